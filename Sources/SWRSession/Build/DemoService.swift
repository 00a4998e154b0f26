/// A service to watch instead of the cloud (`--demo`: the built-in simulator). The session
/// starts it, reads it like any endpoint, and stops it at shutdown.
public protocol DemoService: Sendable {
    /// Starts the service on a free loopback port: its endpoint and the token it accepts.
    func start() async throws -> (endpoint: String, token: String)
    func stop() async
}
