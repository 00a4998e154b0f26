import Glibc
import Testing
@testable import SWRAPI

/// `DisplayWidth` against the C library's `wcwidth` in a UTF-8 locale, which is what ncursesw
/// places glyphs by: for every Unicode scalar (U+0000...U+10FFFF without the surrogates), the
/// columns the frame gives that scalar drawn alone must be what `wcwidth` says, except for the
/// two classes below. Anything else that differs fails the test.
///
/// Checked on Debian 12 with glibc 2.36 (its width data is Unicode 14.0), the image CI uses.
/// The table DisplayWidth reads is generated from that `wcwidth` by `scripts/gen-width-table.sh`;
/// on another C library the test fails with the scalars that differ and names the script.
///
/// The exceptions, each with its reason:
/// 1. **Unsafe scalars are drawn as `?`** (one column): C0 controls, DEL, C1 controls (`wcwidth`
///    -1, NUL 0) and the bidirectional controls U+061C, U+200E, U+200F, U+202A–U+202E,
///    U+2066–U+2069 (`wcwidth` 0). `SafeText` replaces them before anything is measured or drawn,
///    so a server string can neither move the cursor nor reorder what is shown.
/// 2. **Scalars the C library does not print count one column** (`wcwidth` -1 for anything
///    else): code points unassigned in Unicode 14.0, noncharacters (U+FFFE, U+FFFF, ...), and so
///    also characters assigned after Unicode 14.0 that Swift's newer Unicode data knows (U+1FA75
///    🩵, U+31350 of CJK Extension H, new combining marks). `wcwidth` gives no width to use, and
///    ncursesw itself puts such a character in one cell (`wadd_wch` sends a non-printable wide
///    character through `wunctrl`, which keeps it as one cell), so one column keeps our frame and
///    ncursesw's screen in step. (Inside a grapheme, a new mark still joins its base: grapheme
///    breaking uses Swift's data; this test is about scalars drawn alone.)
@Suite struct WidthOracleTests {
    enum Exception: String { case unsafeDrawnAsQuestionMark, notPrintableInTheCLibrary }

    /// The class of a scalar where DisplayWidth may differ from `wcwidth`, and the width it must have then.
    static func exception(_ scalar: Unicode.Scalar, wcwidth: Int) -> (Exception, width: Int)? {
        if SafeText.isUnsafe(scalar), wcwidth == -1 || wcwidth == 0 { return (.unsafeDrawnAsQuestionMark, 1) }
        if wcwidth == -1 { return (.notPrintableInTheCLibrary, 1) }
        return nil
    }

    /// The columns the frame gives `scalar` drawn alone: `?` for an unsafe one, one column for
    /// printable ASCII, else DisplayWidth's scalar width (the table that the frame's fast path
    /// and the grapheme path both read; `WidgetTests` checks that they agree).
    static func ours(_ scalar: Unicode.Scalar) -> Int {
        if SafeText.isUnsafe(scalar) { return DisplayWidth.of(DisplayWidth.sanitized(String(scalar))) }
        if scalar.value < 0x80 { return 1 }
        return DisplayWidth.of(scalar)
    }

    /// The C library's `wcwidth` and `gnu_get_libc_version`, which the Glibc module does not
    /// import (X/Open and GNU extensions), looked up by name.
    static let wcwidth: (@convention(c) (wchar_t) -> Int32)? = symbol("wcwidth")
    static let libcVersion: (@convention(c) () -> UnsafePointer<CChar>)? = symbol("gnu_get_libc_version")

    static func symbol<Function>(_ name: String) -> Function? {
        dlsym(dlopen(nil, RTLD_NOW), name).map { unsafeBitCast($0, to: Function.self) }
    }

    @Test func everyScalarHasTheWidthWcwidthGivesIt() throws {
        let wcwidth = try #require(Self.wcwidth)
        let glibc = Self.libcVersion.map { String(cString: $0()) } ?? "unknown"
        // A UTF-8 locale for this thread only (uselocale), so tests running beside this one keep
        // the process's locale; for wcwidth the same as setlocale(LC_ALL, "C.UTF-8").
        let utf8 = newlocale(1 << LC_CTYPE, "C.UTF-8", nil)
        try #require(utf8 != nil, "no C.UTF-8 locale on this machine (glibc \(glibc))")
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        var disagreements: [(first: UInt32, last: UInt32, ours: Int, wcwidth: Int)] = []
        var unsafeCount = 0
        var notPrintableCount = 0
        var checked = 0
        var next: UInt32 = 0
        while next <= 0x10FFFF {  // a plain loop: a range's iterator costs more than the check in a debug build
            let v = next
            next += 1
            guard let scalar = Unicode.Scalar(v) else { continue }  // surrogates
            checked += 1
            let theirs = Int(wcwidth(wchar_t(bitPattern: v)))
            let width = Self.ours(scalar)
            if let (kind, expected) = Self.exception(scalar, wcwidth: theirs) {
                if kind == .unsafeDrawnAsQuestionMark { unsafeCount += 1 } else { notPrintableCount += 1 }
                if width == expected { continue }
            } else if width == theirs {
                continue
            }
            if let last = disagreements.last, last.last == v - 1, last.ours == width, last.wcwidth == theirs {
                disagreements[disagreements.count - 1].last = v
            } else {
                disagreements.append((v, v, width, theirs))
            }
        }
        #expect(checked == 0x110000 - 0x800)
        if !disagreements.isEmpty {
            let shown = disagreements.prefix(40).map { range in
                let span = range.first == range.last ? "U+\(hex(range.first))" : "U+\(hex(range.first))–U+\(hex(range.last))"
                return "\(span): ours \(range.ours), wcwidth \(range.wcwidth)"
            }
            Issue.record("""
                DisplayWidth differs from wcwidth (glibc \(glibc), C.UTF-8) in \(disagreements.count) ranges; \
                on a new C library run `sh scripts/gen-width-table.sh`, else fix DisplayWidth:
                \(shown.joined(separator: "\n"))
                """)
        }
        // The exception classes stay what they are documented to be (glibc 2.36: 65 C0, DEL
        // and C1 controls and 12 bidi controls; 829,836 not printable, nearly all of them
        // unassigned code points).
        #expect(unsafeCount == 65 + 12)
        #expect(notPrintableCount > 0)
    }

    @Test func theExceptionsAreNarrow() {
        // Sample scalars of each class and of none, with the widths the frame gives them.
        #expect(Self.exception("\u{1B}", wcwidth: -1)?.0 == .unsafeDrawnAsQuestionMark)
        #expect(Self.exception("\u{202E}", wcwidth: 0)?.0 == .unsafeDrawnAsQuestionMark)
        #expect(Self.exception("\u{1FA75}", wcwidth: -1)?.0 == .notPrintableInTheCLibrary)
        #expect(Self.exception("王", wcwidth: 2) == nil)
        #expect(Self.exception("\u{301}", wcwidth: 0) == nil)
        #expect(Self.ours("\u{1B}") == 1 && Self.ours("\u{202E}") == 1)
        #expect(Self.ours("王") == 2 && Self.ours("\u{301}") == 0 && Self.ours("🚀") == 2 && Self.ours("\u{1F321}") == 1)
        #expect(Self.ours("\u{17000}") == 2)  // Tangut: wide (the hand-written ranges had it at 1)
        #expect(Self.ours("\u{1160}") == 0)   // a Hangul vowel jamo: no column of its own
    }

    private func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
