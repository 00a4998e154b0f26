import SWRSession
import SWRSimulator

/// `--demo`: the built-in simulator as the session's service.
struct SimulatorDemo: DemoService {
    let server: SimulatorServer
    let token: String

    init(options: SimulatorOptions) {
        server = SimulatorServer(options: options)
        token = options.token
    }

    func start() async throws -> (endpoint: String, token: String) {
        (try await server.start(port: 0), token)
    }

    var historyHost: String { server.service.worldName }

    func stop() async {
        server.stop()
    }
}
