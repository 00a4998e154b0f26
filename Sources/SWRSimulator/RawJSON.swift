import SWRAPI

/// JSON text the `JSONValue` writer cannot produce: numbers beyond `Int`/`Double` written as
/// sent, and lone surrogate escapes. Values carry placeholders that `splice` replaces in the
/// serialized text.
enum RawJSON {
    private static let open: Unicode.Scalar = "\u{10FFF0}"
    private static let close: Unicode.Scalar = "\u{10FFF1}"

    /// A value that is written as `raw`, unquoted (no `"` inside `raw`).
    static func placeholder(_ raw: String) -> JSONValue {
        .string(String(open) + raw + String(close))
    }

    static func value(_ value: JSONValueOrRaw) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .raw(let text): return placeholder(text)
        }
    }

    /// The UTF-8 JSON text of `value`, placeholders spliced.
    static func bytes(_ value: JSONValue) -> [UInt8] {
        Array(splice(value.serialized).utf8)
    }

    /// Replaces each quoted placeholder by its raw text and each lone surrogate marker by `\ud800`.
    static func splice(_ text: String) -> String {
        let marker = HostileValues.loneSurrogateMarker
        guard text.unicodeScalars.contains(where: { $0 == open || $0 == marker }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            if scalar == "\"", i + 1 < scalars.count, scalars[i + 1] == open,
               let end = scalars[(i + 2)...].firstIndex(of: close), end + 1 < scalars.count, scalars[end + 1] == "\"" {
                out.append(contentsOf: scalars[(i + 2)..<end])
                i = end + 2
                continue
            }
            if scalar == marker { out.append(contentsOf: "\\ud800".unicodeScalars) } else { out.append(scalar) }
            i += 1
        }
        return String(out)
    }
}
