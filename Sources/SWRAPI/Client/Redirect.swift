import Foundation

/// How a redirect target is named in an error: its scheme, host, port and path only (userinfo,
/// query and fragment can hold secrets or noise), sanitised and cut, resolved against the
/// endpoint when relative.
enum Redirect {
    static func describe(_ location: String, relativeTo endpoint: String) -> String {
        let trimmed = ServerLimits.text(location.trimmingSpaces(), max: 2048)
        let base = URL(string: endpoint)
        guard let url = URL(string: trimmed, relativeTo: base)?.absoluteURL,
              var parts = URLComponents(url: url, resolvingAgainstBaseURL: true) else {
            return SafeText.line(ServerLimits.text(trimmed, max: 120))
        }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        let text = parts.string ?? trimmed
        return SafeText.line(ServerLimits.text(text, max: 160))
    }
}
