/// Where the `X-Auth-Token` comes from: a fixed token, or an IAM login that can renew.
public protocol TokenProvider: Sendable {
    /// A token to send now (renewing first when it is about to expire).
    func token() async throws -> String
    /// Called after a 401: forget the current token. Returns true when a fresh one can be had,
    /// so the request is worth one more try.
    func invalidate() async -> Bool
}

/// A fixed token (from an environment variable or a file); it cannot renew.
public struct StaticTokenProvider: TokenProvider {
    private let value: String

    public init(_ token: String) {
        self.value = token
    }

    public func token() async throws -> String { value }
    public func invalidate() async -> Bool { false }
}
