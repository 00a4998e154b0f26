import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The production transport: one shared AsyncHTTPClient that never follows a redirect, bounds
/// every request end to end (connect, head *and* body) by the request's timeout, and reads at
/// most `ServerLimits.maxBodyBytes` of a body. Call `shutdown()` once when done.
///
/// Errors are said in swr-top's own words: the HTTP library's descriptions can carry header
/// values (the token), so none of its text is passed on.
public final class AsyncHTTPClientTransport: HTTPTransport {
    /// The largest body read; a larger answer is a transport error rather than unbounded memory.
    public static let maxBodyBytes = ServerLimits.maxBodyBytes

    private let client: HTTPClient

    public init(connectTimeout: Duration = .seconds(5)) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .nanoseconds(Self.nanoseconds(connectTimeout)), read: nil)
        configuration.connectionPool = .init(idleTimeout: .seconds(60))
        configuration.httpVersion = .http1Only
        // A redirect would carry X-Auth-Token (or the IAM password) to wherever it points.
        configuration.redirectConfiguration = .disallow
        // No tracing: nothing reads the spans, and building one per request (its attributes
        // parsed from the URL) was 2.5 % of an idle dashboard's CPU.
        configuration.tracing.tracer = nil
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Every request, body included, ends by its timeout.
    public var endsEveryRequestByItsTimeout: Bool { true }

    /// One request on the client's event loop from start to end: the deadline is a timer on that
    /// loop that fails the whole request (connect, head and body), and the body is gathered
    /// there (`ResponseAccumulator`, capped at `maxBodyBytes`). The calling task waits once, for
    /// the complete answer. (The async API bounded only the head, so every request was raced
    /// against a `Task.sleep` of its own: two more tasks, a dispatch timer and a hop per body
    /// chunk, a third of an idle dashboard's request work.)
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        // A task cancelled already starts no request.
        try Task.checkCancellation()
        let task: HTTPClient.Task<HTTPClient.Response>
        do {
            var headers = HTTPHeaders()
            for header in request.headers { headers.add(name: header.name, value: header.value) }
            let outgoing = try HTTPClient.Request(url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers,
                                                  body: request.body.map { .bytes($0) })
            let accumulator = ResponseAccumulator(request: outgoing, maxBodySize: Self.maxBodyBytes)
            task = client.execute(request: outgoing, delegate: accumulator, deadline: .now() + .nanoseconds(Self.nanoseconds(request.timeout)))
        } catch let error as HTTPClientError {
            throw Self.translate(error)
        } catch {
            throw SWRError.transport(Self.describe(error))
        }
        do {
            let response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            var body = response.body ?? ByteBuffer()
            return HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: body.readBytes(length: body.readableBytes) ?? []
            )
        } catch let error as HTTPClientError {
            if Task.isCancelled { throw CancellationError() }
            throw Self.translate(error)
        } catch is ResponseAccumulator.ResponseTooBigError {
            throw SWRError.transport("the answer is larger than \(Self.maxBodyBytes / 1024 / 1024) MiB; swr-top reads no more than that and dropped it")
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw SWRError.transport(Self.describe(error))
        }
    }

    /// The library's errors in plain words, never with the values they carry.
    static func translate(_ error: HTTPClientError) -> any Error {
        switch error {
        case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
            return SWRError.timeout
        case .cancelled:
            return CancellationError()
        case .remoteConnectionClosed:
            return SWRError.transport("the server closed the connection")
        case .invalidURL, .emptyHost, .emptyScheme:
            return SWRError.transport("the endpoint URL cannot be used; check 'endpoint' in the config")
        case .bodyLengthMismatch:
            return SWRError.transport("the server sent a body of another length than it announced")
        default:
            // Field names and values (the token among them) must not be printed: name the kind only.
            if error.shortDescription.lowercased().contains("header field") {
                return SWRError.transport("a request header holds a character HTTP does not allow; check the token for spaces or line breaks")
            }
            return SWRError.transport("the HTTP request failed (\(error.shortDescription))")
        }
    }

    /// A non-library error in a few words; free text is never passed through.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("NXDOMAIN") || text.contains("lookup") || text.contains("getaddrinfo") { return "the host name could not be resolved" }
        if text.contains("NIOSSL") || text.contains("handshake") || text.contains("certificate") { return "the TLS connection failed (certificate or handshake)" }
        if text.contains("reset") { return "the connection was reset" }
        return "the connection failed (\(String(describing: type(of: error))))"
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        guard seconds < 3_600_000 else { return 3_600_000 * 1_000_000_000 }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
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
