/// Text as kept in the file. SQLite's C interface, as GRDB calls it, ends text at a NUL byte,
/// so a hostile id such as `"7\u{0}1"` would be stored as `"7"` and collide with job 7. Text
/// with a NUL (or with the escape character itself) is escaped reversibly: U+E000 (a private-use
/// character) followed by `0` for NUL, by `e` for U+E000. Any other text is stored unchanged, so
/// the file reads as plain text in `sqlite3` and queries can compare it directly.
enum StoredText {
    static let escape: Character = "\u{E000}"

    static func encode(_ text: String) -> String {
        // U+E000 is EE 80 80 in UTF-8: a text without a 0x00 or 0xEE byte has neither.
        guard text.utf8.contains(where: { $0 == 0 || $0 == 0xEE }),
              text.unicodeScalars.contains(where: { $0 == "\u{0}" || $0 == "\u{E000}" }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{0}": out.append("\u{E000}"); out.append("0")
            case "\u{E000}": out.append("\u{E000}"); out.append("e")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    static func decode(_ text: String) -> String {
        guard text.utf8.contains(0xEE), text.unicodeScalars.contains("\u{E000}") else { return text }
        var out = String.UnicodeScalarView()
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                out.append(scalar == "0" ? "\u{0}" : scalar == "e" ? "\u{E000}" : scalar)
                escaped = false
            } else if scalar == "\u{E000}" {
                escaped = true
            } else {
                out.append(scalar)
            }
        }
        if escaped { out.append("\u{E000}") }
        return String(out)
    }

    static func encode(_ text: String?) -> String? { text.map { encode($0) } }
    static func decode(_ text: String?) -> String? { text.map { decode($0) } }
}
