import Foundation
import Hummingbird
import HTTPTypes
import Synchronization
import Logging
import NIOCore
import SWRAPI

/// What the scripted server does with one request.
enum Scripted: Sendable {
    case reply(status: Int, headers: [(String, String)] = [], body: String)
    case slow(seconds: Double, body: String)
    case close
    /// Head (announcing `announced` bytes) and `partial`, then nothing more until the server stops.
    case stall(partial: String, announced: Int)
    /// A 200 whose body is `megabytes` MiB of a JSON array, streamed in chunks.
    case huge(megabytes: Int)
}

/// A request as the scripted server saw it.
struct SeenRequest: Sendable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: String
}

/// A context that keeps the channel so a script can drop the connection.
struct ChannelContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// A real HTTP server on 127.0.0.1 with an ephemeral port, answering from a script.
final class ScriptedServer: Sendable {
    let seen = Mutex<[SeenRequest]>([])
    private let script: @Sendable (SeenRequest, Int) -> Scripted
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(script: @escaping @Sendable (SeenRequest, Int) -> Scripted) {
        self.script = script
    }

    /// Starts the server and returns its base URL.
    func start() async throws -> String {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let responder = CallbackResponder<ChannelContext> { [self] request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let seenRequest = SeenRequest(method: request.method.rawValue, path: request.uri.description, headers: headers,
                                          body: String(buffer: body))
            let count = self.seen.withLock { $0.append(seenRequest); return $0.count }
            switch self.script(seenRequest, count) {
            case .reply(let status, let extra, let text):
                var fields = HTTPFields()
                fields[.contentType] = "application/json"
                for (name, value) in extra { fields[HTTPField.Name(name)!] = value }
                return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
            case .slow(let seconds, let text):
                try await Task.sleep(for: .seconds(seconds))
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: text)))
            case .close:
                try await context.channel.close()
                throw CancellationError()
            case .stall(let partial, let announced):
                var fields = HTTPFields()
                fields[.contentType] = "application/json"
                fields[.contentLength] = String(announced)
                return Response(status: .ok, headers: fields, body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: partial))
                    try await Task.sleep(for: .seconds(600))
                    try await writer.finish(nil)
                })
            case .huge(let megabytes):
                return Response(status: .ok, body: ResponseBody { writer in
                    let chunk = ByteBuffer(string: String(repeating: "{\"id\":1},", count: 64 * 1024 / 9))
                    try await writer.write(ByteBuffer(string: "["))
                    for _ in 0..<(megabytes * 16) { try await writer.write(chunk) }
                    try await writer.write(ByteBuffer(string: "{}]"))
                    try await writer.finish(nil)
                })
            }
        }
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0); continuation.finish() },
            logger: Logger(label: "scripted", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        task.withLock { $0 = Task { try await app.run() } }
        var port = 0
        for await p in stream { port = p }
        return "http://127.0.0.1:\(port)"
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }
}


