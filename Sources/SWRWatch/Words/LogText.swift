import Foundation

/// Log text as a terminal (the logs pane, `--watch --logs`) can show it.
public enum LogText {
    /// Combining marks kept after one base character (more cannot be seen; a grapheme of a
    /// hundred thousand marks would make every search of the line quadratic).
    public static let maxMarksInARow = 16

    /// `message` without ANSI escape sequences (build tools colour their output), tabs as spaces,
    /// and at most `maxMarksInARow` combining marks in a row.
    public static func plain(_ message: String) -> String {
        guard needsCleaning(message) else { return message }
        var out = String.UnicodeScalarView()
        var scalars = message.unicodeScalars.makeIterator()
        var marks = 0
        while let scalar = scalars.next() {
            if isMark(scalar) {
                marks += 1
                if marks <= maxMarksInARow { out.append(scalar) }
                continue
            }
            marks = 0
            if scalar == "\t" {
                out.append(contentsOf: "    ".unicodeScalars)
            } else if scalar == "\u{1B}" {
                // CSI: ESC [ parameters final-byte (0x40...0x7E); other escapes: ESC and one byte.
                guard let next = scalars.next() else { break }
                if next == "[" {
                    while let c = scalars.next(), !(0x40...0x7E).contains(c.value) {}
                }
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether `plain` changes `message`: an escape, a tab, or a long run of marks.
    public static func needsCleaning(_ message: String) -> Bool {
        var marks = 0
        for scalar in message.unicodeScalars {
            if scalar == "\u{1B}" || scalar == "\t" { return true }
            if isMark(scalar) {
                marks += 1
                if marks > maxMarksInARow { return true }
            } else {
                marks = 0
            }
        }
        return false
    }

    public static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0x300 else { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
