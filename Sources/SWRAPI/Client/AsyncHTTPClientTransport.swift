import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The production transport: one shared AsyncHTTPClient with connect and read timeouts and a
/// capped body. Call `shutdown()` once when done.
public final class AsyncHTTPClientTransport: HTTPTransport {
    /// The largest body read; a larger answer is a transport error rather than unbounded memory.
    public static let maxBodyBytes = 32 * 1024 * 1024

    private let client: HTTPClient

    public init(connectTimeout: Duration = .seconds(5)) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .milliseconds(Int64(connectTimeout.components.seconds * 1000)), read: nil)
        configuration.connectionPool = .init(idleTimeout: .seconds(60))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let timeout = TimeAmount.nanoseconds(Int64(request.timeout.components.seconds) * 1_000_000_000
            + request.timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(outgoing, timeout: timeout)
            var buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            return HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: bytes
            )
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError {
            if Task.isCancelled { throw CancellationError() }
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                throw SWRError.timeout
            case .cancelled:
                throw CancellationError()
            case .remoteConnectionClosed:
                throw SWRError.transport("the server closed the connection")
            default:
                throw SWRError.transport(String(describing: error))
            }
        } catch is NIOTooManyBytesError {
            throw SWRError.transport("the answer is larger than \(Self.maxBodyBytes / 1024 / 1024) MiB")
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw SWRError.transport(Self.describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("NXDOMAIN") || text.contains("lookup") { return "the host name could not be resolved" }
        return text.count > 160 ? String(text.prefix(159)) + "…" : text
    }

    /// Closes every connection; the transport cannot be used afterwards.
    public func shutdown() async {
        try? await client.shutdown()
    }
}

extension AsyncHTTPClientTransport {
    /// Runs `body` with a transport that is shut down afterwards, whether `body` throws or not.
    public static func with<T: Sendable>(connectTimeout: Duration = .seconds(5), _ body: (AsyncHTTPClientTransport) async throws -> T) async throws -> T {
        let transport = AsyncHTTPClientTransport(connectTimeout: connectTimeout)
        do {
            let result = try await body(transport)
            await transport.shutdown()
            return result
        } catch {
            await transport.shutdown()
            throw error
        }
    }
}
