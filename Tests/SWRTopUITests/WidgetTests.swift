import Foundation
import Testing
@testable import SWRWatch
@testable import SWRAPI
@testable import SWRTopUI

@Suite struct WidgetTests {
    @Test func progressBarUnicode() {
        let cases: [(Int?, String)] = [
            (0, "░░░░░░░░░░"), (1, "░░░░░░░░░░"), (50, "█████░░░░░"), (99, "█████████▉"), (100, "██████████"),
            (250, "██████████"), (-5, "░░░░░░░░░░"), (nil, "┄┄┄┄┄┄┄┄┄┄"), (13, "█▎░░░░░░░░"),
        ]
        for (value, expected) in cases {
            #expect(ProgressBar.render(value, width: 10, glyphs: .unicode) == expected, "\(String(describing: value))")
        }
    }

    @Test func progressBarASCII() {
        let cases: [(Int?, String)] = [
            (0, "[--------]"), (1, "[--------]"), (50, "[####----]"), (99, "[#######-]"), (100, "[########]"),
            (250, "[########]"), (nil, "[????????]"),
        ]
        for (value, expected) in cases {
            #expect(ProgressBar.render(value, width: 10, glyphs: .ascii) == expected, "\(String(describing: value))")
        }
        #expect(ProgressBar.render(50, width: 0, glyphs: .ascii) == "")
    }

    @Test func sparkline() {
        #expect(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8], width: 8, glyphs: .unicode) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([5, 5], width: 8, glyphs: .unicode) == "▄▄")
        #expect(Sparkline.render([1, 8], width: 1, glyphs: .ascii) == "=")
    }

    @Test func widthsOfCJKEmojiAndControls() {
        #expect(DisplayWidth.of("王小明") == 6)
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("é") == 1)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.sanitized("a\u{1B}[31mb\n") == "a?[31mb?")
        #expect(DisplayWidth.truncate("王小明王小明", to: 5) == "王小…")
        #expect(DisplayWidth.truncate("abcdef", to: 6) == "abcdef")
        #expect(DisplayWidth.truncate("abcdefg", to: 6) == "abcde…")
    }

    @Test func frameNeverSplitsAWideGrapheme() {
        var frame = Frame(width: 5, height: 1)
        frame.put("ab王小", x: 0, y: 0, ellipsis: false)
        #expect(frame.lines == ["ab王 "])
        frame.put("x", x: 3, y: 0)
        #expect(frame.lines == ["ab x "])
        #expect(DisplayWidth.of(frame.lines[0]) == 5)
    }

    @Test func frameDiff() {
        var a = Frame(width: 10, height: 2)
        a.put("hello", x: 0, y: 0)
        var b = a
        b.put("j", x: 0, y: 0)
        #expect(b.changedCells(from: a).map { [$0.x, $0.y] } == [[0, 0]])
        #expect(b.changedCells(from: nil).count == 20)
    }

    @Test func formats() {
        #expect(Format.duration(12) == "12s")
        #expect(Format.duration(62) == "1m02s")
        #expect(Format.duration(3780) == "1h03m")
        #expect(Format.duration(nil) == "-")
        #expect(Format.age(now.addingTimeInterval(-7200), now: now) == "2h")
    }

    @Test func scrolling() {
        #expect(Scrolling.offset(selection: 0, count: 100, height: 10, current: 0) == 0)
        #expect(Scrolling.offset(selection: 15, count: 100, height: 10, current: 0) == 6)
        #expect(Scrolling.offset(selection: 14, count: 100, height: 10, current: 6) == 6)
        #expect(Scrolling.offset(selection: 3, count: 100, height: 10, current: 6) == 3)
        #expect(Scrolling.offset(selection: 99, count: 100, height: 10, current: 0) == 90)
    }

    @Test func theScalarFastPathAgreesWithGraphemeWidths() {
        // Every BMP scalar the fast path takes has the width the grapheme path gives it.
        var simple = 0
        for v in UInt32(0)..<0x10000 {
            guard let scalar = Unicode.Scalar(v), DisplayWidth.bmpWidths[Int(v)] != DisplayWidth.joins else { continue }
            simple += 1
            #expect(DisplayWidth.of(Character(scalar)) == Int(DisplayWidth.bmpWidths[Int(v)]), "U+\(String(v, radix: 16))")
        }
        #expect(simple > 50_000)
        // Text that needs grapheme breaking is not taken: combining marks, joiners, jamo, astral emoji.
        for text in ["e\u{301}", "👍🏽", "a\u{200D}b", "\u{1100}\u{1161}", "✓\u{FE0F}", "x\u{7}"] {
            #expect(DisplayWidth.simpleColumns(text) == nil, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(DisplayWidth.simpleColumns("█▌░ ✓ ✗ ● ○ ⊘ ⏱ ─│ 王小明 …") == DisplayWidth.of("█▌░ ✓ ✗ ● ○ ⊘ ⏱ ─│ ") + 8)
    }
}
