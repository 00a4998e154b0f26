import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A request context that keeps the channel, so the simulator can drop a connection.
struct SimContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Serves a `SimService` over HTTP/1.1 on 127.0.0.1 (Hummingbird).
public final class SimulatorServer: Sendable {
    public let service: SimService
    private let runner = Mutex<Task<Void, any Error>?>(nil)
    private let boundPort = Mutex<Int>(0)

    public init(service: SimService) {
        self.service = service
    }

    /// Convenience: a service with these options on simulated time (`SimClock`).
    public convenience init(options: SimulatorOptions) {
        let clock = SimClock(speed: options.speed)
        self.init(service: SimService(options: options, now: { clock.now() }))
    }

    /// The base URL once started.
    public var baseURL: String { "http://127.0.0.1:\(boundPort.withLock { $0 })" }

    /// Binds `port` (0 for an ephemeral one) on 127.0.0.1, starts serving, and returns the base URL.
    @discardableResult
    public func start(port: Int = 0) async throws -> String {
        let service = self.service
        let responder = CallbackResponder<SimContext> { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let simRequest = SimRequest(method: request.method.rawValue, uri: request.uri.description, headers: headers,
                                        body: Array(buffer: body))
            var response = service.handle(simRequest)
            while case .delayed(let seconds, let inner) = response {
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                response = inner
            }
            switch response {
            case .reply(let status, let headers, let body):
                var fields = HTTPFields()
                for (name, value) in headers {
                    if let name = HTTPField.Name(name) { fields[name] = value }
                }
                return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
            case .drop, .delayed:
                try await context.channel.close()
                throw CancellationError()
            }
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "swr-top-simulator"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "swr-top.simulator", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let task = Task {
            do { try await app.run() } catch { continuation.finish(); throw error }
        }
        runner.withLock { $0 = task }
        var bound = 0
        for await p in ports { bound = p }
        guard bound > 0 else {
            _ = try await task.value
            throw SimulatorStartError(message: "could not listen on 127.0.0.1:\(port)")
        }
        boundPort.withLock { $0 = bound }
        return baseURL
    }

    /// Stops serving; returns at once.
    public func stop() {
        runner.withLock { $0?.cancel() }
    }

    /// Serves until the task is cancelled.
    public func wait() async {
        let task = runner.withLock { $0 }
        _ = try? await task?.value
    }
}

/// The simulator could not start (the port is taken, for example).
public struct SimulatorStartError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
