import Foundation

/// How a redirect target is named in an error: its scheme, host, port and path only (userinfo,
/// query and fragment can hold secrets or noise), sanitised and cut, resolved against the
/// endpoint when relative. Secrets (the token, the password) are redacted from the whole
/// header before anything is cut.
enum Redirect {
    static func describe(_ location: String, relativeTo endpoint: String, secrets: [String]) -> String {
        let redacted = Redaction.redact(location, secrets: secrets)
        let trimmed = ServerLimits.text(redacted.trimmingSpaces(), max: 2048)
        let base = URL(string: endpoint)
        guard let url = URL(string: trimmed, relativeTo: base)?.absoluteURL,
              var parts = URLComponents(url: url, resolvingAgainstBaseURL: true), parts.host != nil else {
            return "another location"
        }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        // A secret percent-encoded into the path would survive the plain redaction above.
        if let decoded = parts.percentEncodedPath.removingPercentEncoding,
           secrets.contains(where: { !$0.isEmpty && decoded.contains($0) }) {
            parts.percentEncodedPath = "/" + Redaction.mark.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
        }
        let text = parts.string ?? trimmed
        return SafeText.line(ServerLimits.text(text, max: 160))
    }
}
