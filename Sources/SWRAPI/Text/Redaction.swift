/// Removes secrets (the token, the IAM password) from text before it is shown, logged or cut.
public enum Redaction {
    /// The mark put where a secret was.
    public static let mark = "•••"

    /// `text` with every occurrence of each non-empty secret replaced by `mark`. Secrets shorter
    /// than 4 characters are not searched (they would redact ordinary words; tokens are long).
    public static func redact(_ text: String, secrets: [String]) -> String {
        var out = text
        for secret in secrets where secret.utf8.count >= 4 && out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: mark)
        }
        return out
    }
}
