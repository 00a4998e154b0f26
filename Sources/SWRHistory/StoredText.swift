/// Text as kept in the file. SQLite's C interface, as GRDB calls it, ends text at a NUL byte,
/// so a hostile id such as `"7\u{0}1"` would be stored as `"7"` and collide with job 7. Text
/// with a NUL (or with the escape character itself) is escaped reversibly: U+E000 (a private-use
/// character) followed by `0` for NUL, by `e` for U+E000. Any other text is stored unchanged, so
/// the file reads as plain text in `sqlite3` and queries can compare it directly.
enum StoredText {
    static let escape: Character = "\u{E000}"

    static func encode(_ text: String) -> String {
        guard mayHold(text, 0), text.unicodeScalars.contains(where: { $0 == "\u{0}" || $0 == "\u{E000}" }) else { return text }
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
        guard mayHold(text), text.unicodeScalars.contains("\u{E000}") else { return text }
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

    /// False when `text` holds neither U+E000 (EE 80 80 in UTF-8) nor the byte `also`: a scan
    /// of its bytes in place (the start-up load decodes 100,000 texts; almost none hold either).
    private static func mayHold(_ text: String, _ also: UInt8 = 0xEE) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains { $0 == 0xEE || $0 == also } }
            ?? text.utf8.contains { $0 == 0xEE || $0 == also }
    }

    static func encode(_ text: String?) -> String? { text.map { encode($0) } }
    static func decode(_ text: String?) -> String? { text.map { decode($0) } }
}
