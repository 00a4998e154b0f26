/// Reads the server's message (and code) from an error body in any of the three shapes the
/// service uses: `{"errorCode","errorMessage"}`, `[{"errorCode","errorMessage","detail"}]` and
/// `{"error_code","error_msg"}`. HTML or other text gives a short note instead.
public enum ErrorBody {
    /// The message, cleaned to one line of at most 200 characters, or `nil` when there is none.
    /// `secrets` (the token, a password) are replaced by `•••` in the whole text *before* it is
    /// cut, so no part of a secret survives at the edge of the cut.
    public static func message(from body: [UInt8], redacting secrets: [String] = []) -> String? {
        if body.isEmpty { return nil }
        guard let value = try? JSONParser.parse(body) else {
            let head = String(decoding: body.prefix(4096), as: UTF8.self)
            if head.lowercased().contains("<html") || head.hasPrefix("<") { return "the server sent an HTML page" }
            let whole = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
            return clean(Redaction.redact(whole, secrets: secrets))
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
        return parts.isEmpty ? nil : clean(Redaction.redact(parts.joined(separator: " "), secrets: secrets))
    }

    static func clean(_ text: String) -> String? {
        let line = SafeText.line(ServerLimits.text(text, max: 4096)).trimmingSpaces()
        if line.isEmpty { return nil }
        return ServerLimits.text(line, max: 200)
    }
}
