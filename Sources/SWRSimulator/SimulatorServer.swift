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

/// Serves a `SimService` over HTTP/1.1 on 127.0.0.1 (Hummingbird), with the redirect trap
/// (`RedirectTrap`) on a second loopback port: another origin for the `redirect` fault.
public final class SimulatorServer: Sendable {
    public let service: SimService
    private let runners = Mutex<[Task<Void, any Error>]>([])
    private let boundPort = Mutex<Int>(0)
    private let trapPort = Mutex<Int>(0)
    private let stopSignal = StopSignal()

    public init(service: SimService) {
        self.service = service
    }

    /// Convenience: a service with these options on the wall clock (its world runs at `options.speed`).
    public convenience init(options: SimulatorOptions) {
        self.init(service: SimService(options: options, now: { Date() }))
    }

    /// The base URL once started.
    public var baseURL: String { "http://127.0.0.1:\(boundPort.withLock { $0 })" }

    /// The origin of the redirect trap once started (no client should ever reach it).
    public var trapURL: String { "http://127.0.0.1:\(trapPort.withLock { $0 })" }

    /// Binds `port` (0 for an ephemeral one) on 127.0.0.1, and the trap on an ephemeral port,
    /// starts serving, and returns the base URL.
    /// - Throws: `SimulatorStartError` (`portInUse` when `port` is taken).
    @discardableResult
    public func start(port: Int = 0) async throws -> String {
        let trap = service.trap
        let trapBound = try await launch(port: 0) { request, _ in trap.handle(request) }
        trapPort.withLock { $0 = trapBound }
        service.setTrapOrigin(trapURL)
        let service = self.service
        do {
            let bound = try await launch(port: port) { request, _ in service.handle(request) }
            boundPort.withLock { $0 = bound }
        } catch {
            stop()
            throw error
        }
        return baseURL
    }

    /// Serves `answer` on 127.0.0.1:`port`; returns the port bound.
    private func launch(port: Int, answer: @escaping @Sendable (SimRequest, SimContext) -> SimResponse) async throws -> Int {
        let stopSignal = self.stopSignal
        let responder = CallbackResponder<SimContext> { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let simRequest = SimRequest(method: request.method.rawValue, uri: request.uri.description, headers: headers,
                                        body: Array(buffer: body))
            return try await Self.respond(answer(simRequest, context), channel: context.channel, stopSignal: stopSignal)
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
        runners.withLock { $0.append(task) }
        var bound = 0
        for await p in ports { bound = p }
        guard bound > 0 else {
            do {
                _ = try await task.value
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                throw SimulatorStartError.portInUse(port)
            }
            throw SimulatorStartError(message: "could not listen on 127.0.0.1:\(port)")
        }
        return bound
    }

    /// Puts a `SimResponse` on the wire.
    private static func respond(_ answer: SimResponse, channel: any Channel, stopSignal: StopSignal) async throws -> Response {
        var response = answer
        while case .delayed(let seconds, let inner) = response {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            response = inner
        }
        switch response {
        case .reply(let status, let headers, let body):
            return Response(status: .init(code: status), headers: fields(headers), body: .init(byteBuffer: ByteBuffer(bytes: body)))
        case .streamed(let status, let headers, let huge):
            let body = ResponseBody(contentLength: huge.declaresLength ? huge.byteCount : nil) { writer in
                for chunk in huge { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            }
            return Response(status: .init(code: status), headers: fields(headers), body: body)
        case .stalled(let status, let headers, let sent, let holdSeconds):
            let declared = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) }
            let body = ResponseBody(contentLength: declared) { writer in
                try await writer.write(ByteBuffer(bytes: sent))
                // Hold until the time is up, the server stops or the client gives up; never send
                // the rest: the connection ends short of its Content-Length.
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await stopSignal.sleep(seconds: holdSeconds) }
                    group.addTask { try? await channel.closeFuture.get() }
                    await group.next()
                    try? await channel.close()
                    group.cancelAll()
                }
                throw CancellationError()
            }
            return Response(status: .init(code: status), headers: fields(headers), body: body)
        case .drop, .delayed:
            try await channel.close()
            throw CancellationError()
        }
    }

    private static func fields(_ headers: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return fields
    }

    /// Stops serving (both ports) and ends stalled answers; returns at once.
    public func stop() {
        stopSignal.stop()
        runners.withLock { $0.forEach { $0.cancel() } }
    }

    /// Serves until the task is cancelled.
    public func wait() async {
        let tasks = runners.withLock { $0 }
        for task in tasks { _ = try? await task.value }
    }
}

/// The simulator could not start (the port is taken, for example).
public struct SimulatorStartError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) { self.message = message }

    /// `port` is taken by another program.
    public static func portInUse(_ port: Int) -> SimulatorStartError {
        SimulatorStartError(message: "port \(port) is in use; pick another with --port or 0 for any")
    }
}
