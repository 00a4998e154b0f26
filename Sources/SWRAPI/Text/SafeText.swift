/// The one sanitiser for text that came from the network, applied before it reaches a terminal,
/// a file or a pipe.
///
/// A server string may carry C0 controls (ESC starts every terminal escape), DEL, C1 controls
/// (U+0080–U+009F: some terminals read U+009B as CSI and U+009D as OSC) and bidirectional
/// overrides (which reorder what the reader sees). None of them ever passes raw:
/// - `line` is for one line on a screen or in a pipe: each unsafe scalar becomes `?`, a tab a space.
/// - `escaped` is for log files: unsafe scalars are written as visible escapes (`\n`, `\x1b`,
///   `\u{202e}`), so a job name can neither forge a log line nor hide in one.
/// JSON output escapes them as `\u00XX` (see `JSONValue.serialized`).
public enum SafeText {
    /// True for scalars that must never reach an output raw: C0, DEL, C1, bidi controls.
    @inline(__always)
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        if v == 0x061C { return true }  // ARABIC LETTER MARK, a bidi control
        if v < 0x200E { return false }
        return v == 0x200E || v == 0x200F || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// True when `text` has nothing to clean (the common case; checked on UTF-8 bytes first).
    @inline(__always)
    public static func isClean(_ text: String) -> Bool {
        var allASCII = true
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F { return false }
            if byte >= 0x80 { allASCII = false }
        }
        return allASCII || !text.unicodeScalars.contains(where: isUnsafe)
    }

    /// One line: every unsafe scalar (newlines included) becomes `?`, a tab one space.
    public static func line(_ text: String) -> String {
        if isClean(text) { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(scalar == "\t" ? " " : isUnsafe(scalar) ? "?" : scalar)
        }
        return String(out)
    }

    /// For a log file: unsafe scalars as visible escapes; the backslash itself doubled, so an
    /// escape in the file always came from us.
    public static func escaped(_ text: String) -> String {
        if isClean(text), !text.utf8.contains(UInt8(ascii: "\\")) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if isUnsafe(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    if scalar.value <= 0xFF {
                        out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                    } else {
                        out += "\\u{" + hex + "}"
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
