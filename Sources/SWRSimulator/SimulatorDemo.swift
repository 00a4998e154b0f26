import SWRAPI

/// `--demo`: the built-in simulator as the session's service, on a free loopback port.
public struct SimulatorDemo: DemoService {
    let server: SimulatorServer
    let token: String

    public init(options: SimulatorOptions) {
        server = SimulatorServer(options: options)
        token = options.token
    }

    public func start() async throws -> (endpoint: String, token: String) {
        (try await server.start(port: 0), token)
    }

    /// This start's world (`SimService.worldName`): the same seed gives the same job ids.
    public var historyHost: String { server.service.worldName }

    public func stop() async {
        server.stop()
    }
}
