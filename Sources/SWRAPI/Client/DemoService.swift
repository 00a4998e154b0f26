/// A service to watch instead of the cloud (`--demo`: the built-in simulator). The session
/// starts it, reads it like any endpoint, and stops it at shutdown.
public protocol DemoService: Sendable {
    /// Starts the service on a free loopback port: its endpoint and the token it accepts.
    func start() async throws -> (endpoint: String, token: String)
    /// What the session's history is recorded under instead of the endpoint's host: a name for
    /// this start of the service. A simulator that starts its world again from the same seed
    /// reuses job ids, so one start's jobs must not be read as another's.
    var historyHost: String { get }
    func stop() async
}
