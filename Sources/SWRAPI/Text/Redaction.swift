/// Removes secrets (the token, the IAM password) from text before it is shown, logged or cut.
public enum Redaction {
    /// The mark put where a secret was.
    public static let mark = "•••"

    /// `text` with every occurrence of each non-empty secret replaced by `mark` (even a short
    /// password: redacting a common word is a lesser harm than printing a secret).
    public static func redact(_ text: String, secrets: [String]) -> String {
        var out = text
        for secret in secrets where !secret.isEmpty && out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: mark)
        }
        return out
    }
}
