/// Reads the server's message (and code) from an error body in any of the three shapes the
/// service uses: `{"errorCode","errorMessage"}`, `[{"errorCode","errorMessage","detail"}]` and
/// `{"error_code","error_msg"}`. HTML or other text gives a short note instead.
public enum ErrorBody {
    /// The message, cleaned to one line of at most 200 characters, or `nil` when there is none.
    public static func message(from body: [UInt8]) -> String? {
        if body.isEmpty { return nil }
        guard let value = try? JSONParser.parse(body) else {
            let text = String(decoding: body.prefix(512), as: UTF8.self)
            if text.lowercased().contains("<html") || text.hasPrefix("<") { return "the server sent an HTML page" }
            return clean(text)
        }
        var object = value.objectValue
        if case .array(let elements) = value { object = elements.first?.objectValue }
        guard let object else { return nil }
        let code = (object["errorCode"] ?? object["error_code"] ?? object["code"])?.lenientString
        let message = (object["errorMessage"] ?? object["error_msg"] ?? object["message"])?.lenientString
        let detail = object["detail"]?.nonEmptyString
        var parts: [String] = []
        if let message, !message.isEmpty { parts.append(message) }
        if let detail { parts.append(detail) }
        if let code, !code.isEmpty { parts.append("(\(code))") }
        return parts.isEmpty ? nil : clean(parts.joined(separator: " "))
    }

    static func clean(_ text: String) -> String? {
        var line = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        line = line.trimmingSpaces()
        if line.isEmpty { return nil }
        if line.count > 200 { line = String(line.prefix(199)) + "…" }
        return line
    }
}
