import Foundation
import Logging

/// The read-only client of the SWR pipeline API: job histories, pipeline discovery and logs.
///
/// Every call sends `X-Auth-Token`, retries once after a 401 when the token provider can renew,
/// and maps failures to `SWRError`. Nothing it throws or logs contains the token.
public struct SWRClient: Sendable {
    public let endpoint: String
    private let transport: any HTTPTransport
    private let tokens: any TokenProvider
    private let timeout: Duration
    private let logger: Logger
    /// Each stage's last answer, so the same bytes again are not decoded again.
    private let lastJobs = JobsMemo()

    public init(endpoint: String, transport: any HTTPTransport, tokens: any TokenProvider, timeout: Duration = .seconds(10), logger: Logger = Logger(label: "swr-top.client", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.transport = transport
        self.tokens = tokens
        self.timeout = timeout
        self.logger = logger
    }

    /// How long one HTTP request of this client can take at most, when its transport ends every
    /// request by its timeout (`nil`: the transport promises nothing). A call that renews the
    /// token makes two.
    public var requestBound: Duration? { transport.endsEveryRequestByItsTimeout ? timeout : nil }

    /// The execution history of one stage (`GET /v3/manage/pipelines/{id}/stages/{index}/jobs`),
    /// in the order the server sent it.
    public func jobs(pipeline: Int, stage: Int) async throws -> [Job] {
        let response = try await get("/v3/manage/pipelines/\(pipeline)/stages/\(stage)/jobs")
        return try lastJobs.decode(response.body, pipeline: pipeline, stage: stage)
    }

    /// One pipeline with its stages and status (`GET /v3/manage/pipelines/{id}`, as JSON).
    public func pipeline(id: Int) async throws -> Pipeline {
        let response = try await get("/v3/manage/pipelines/\(id)")
        let value: JSONValue
        do { value = try JSONParser.parse(response.body) } catch {
            throw SWRError.decoding("the pipeline detail is not valid JSON: \(error.description)")
        }
        guard let object = value.objectValue, let pipeline = Pipeline(json: object) else {
            throw SWRError.decoding("expected a pipeline object with an id, got \(value.kindName)")
        }
        return pipeline
    }

    /// The most pipelines discovery keeps (a hostile list cannot make swr-top watch millions).
    public static let maxDiscoveredPipelines = 2000

    /// Every pipeline matching `filter`, following `limit`/`offset` pages until the
    /// `Content-Range` total (or a short page) says there are no more. A page longer than asked
    /// is cut to `pageSize`, repeated ids are kept once, and at most `maxDiscoveredPipelines` are kept.
    public func pipelines(filter: PipelineFilter = PipelineFilter(), pageSize: Int = 50, maxPages: Int = 200) async throws -> [Pipeline] {
        var all: [Pipeline] = []
        var seen: Set<Int> = []
        var offset = 0
        for _ in 0..<maxPages {
            let page = try await pipelinesPage(filter: filter, limit: pageSize, offset: offset)
            for pipeline in page.pipelines.prefix(pageSize) where seen.insert(pipeline.id).inserted {
                all.append(pipeline)
                if all.count >= Self.maxDiscoveredPipelines { return all }
            }
            let counted = min(page.count, pageSize)
            offset += counted
            if counted == 0 || counted < pageSize { break }
            if let total = page.total, offset >= total { break }
        }
        return all
    }

    /// One page of the pipeline list: its pipelines, how many elements it had and the total.
    public func pipelinesPage(filter: PipelineFilter = PipelineFilter(), limit: Int, offset: Int) async throws -> PipelinePage {
        var query = "limit=\(limit)&offset=\(offset)"
        if let f = filter.queryValue { query = "filter=\(f)&" + query }
        let response = try await get("/v3/manage/pipelines?" + query)
        let value: JSONValue
        do { value = try JSONParser.parse(response.body) } catch {
            throw SWRError.decoding("the pipeline list is not valid JSON: \(error.description)")
        }
        guard let elements = value.arrayValue else {
            throw SWRError.decoding("expected a JSON array of pipelines, got \(value.kindName)")
        }
        let pipelines = elements.compactMap { $0.objectValue.flatMap(Pipeline.init(json:)) }
        let total = response.header("Content-Range").flatMap(Self.totalFromContentRange)
        return PipelinePage(offset: offset, pipelines: pipelines, count: elements.count, total: total)
    }

    /// A job's log (`.../jobs/{job_id}/logs`); `jobID` may be `latest`.
    public func jobLog(pipeline: Int, stage: Int, jobID: String, limit: Int = 20, offset: Int = 0) async throws -> JobLog {
        let response = try await get("/v3/manage/pipelines/\(pipeline)/stages/\(stage)/jobs/\(Self.pathSegment(jobID))/logs?limit=\(limit)&offset=\(offset)")
        return try JobLog.decode(response.body)
    }

    /// `Content-Range: 0-20/134` → 134 (`nil` when absent, unreadable or beyond belief).
    static func totalFromContentRange(_ header: String) -> Int? {
        guard let slash = header.lastIndex(of: "/"),
              let total = Int(header[header.index(after: slash)...].trimmingCharacters(in: .whitespaces)),
              (0...ServerLimits.maxCount).contains(total) else { return nil }
        return total
    }

    /// A server value made safe as one path segment: every byte but the unreserved ones
    /// (RFC 3986 `A-Z a-z 0-9 - . _ ~`) percent-encoded, so an id like `../../x?y` stays one segment.
    public static func pathSegment(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "."):
                // "." and ".." alone would still be dot-segments to a server: encode every dot.
                out += "%2E"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count < 2 ? "0" : "") + hex
            }
        }
        return out
    }

    private func get(_ path: String) async throws -> HTTPResponse {
        var (response, token) = try await send(path)
        if response.status == 401, await tokens.invalidate() {
            logger.info("401 from \(path); renewing the token once")
            (response, token) = try await send(path)
        }
        try Self.check(response, token: token, endpoint: endpoint)
        return response
    }

    private func send(_ path: String) async throws -> (HTTPResponse, String) {
        let token = try await tokens.token()
        let request = HTTPRequest(
            url: endpoint + path,
            headers: [("X-Auth-Token", token), ("Accept", "application/json"), ("User-Agent", "swr-top")],
            timeout: timeout
        )
        do {
            let response = try await transport.send(request)
            logger.debug("GET \(path) → \(response.status) (\(response.body.count) bytes)")
            return (response, token)
        } catch let error as SWRError {
            logger.debug("GET \(path) failed: \(Self.redact(error, token: token))")
            throw Self.redact(error, token: token)
        }
    }

    static func check(_ response: HTTPResponse, token: String, endpoint: String = "") throws {
        let status = response.status
        if (200..<300).contains(status) { return }
        if (300..<400).contains(status) {
            throw SWRError.redirect(status: status, location: response.header("Location").map { Redirect.describe($0, relativeTo: endpoint, secrets: [token]) })
        }
        // A server that echoes the token must not make us print it: redacted before any cut.
        let message = ErrorBody.message(from: response.body, redacting: [token])
        switch status {
        case 400: throw SWRError.badRequest(message: message)
        case 401: throw SWRError.unauthorized(message: message)
        case 403: throw SWRError.forbidden(message: message)
        case 404: throw SWRError.notFound(message: message)
        case 409: throw SWRError.conflict(message: message)
        case 429: throw SWRError.rateLimited(retryAfter: response.header("Retry-After").flatMap(Self.retryAfterSeconds), message: message)
        case 503:
            if let after = response.header("Retry-After").flatMap(Self.retryAfterSeconds) {
                throw SWRError.rateLimited(retryAfter: after, message: message ?? "service unavailable (503)")
            }
            throw SWRError.server(status: status, message: message)
        default: throw SWRError.server(status: status, message: message)
        }
    }

    /// `Retry-After` as seconds: a number, or an HTTP date.
    static func retryAfterSeconds(_ header: String) -> Double? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0, seconds.isFinite { return min(seconds, 3600) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: trimmed) { return max(0, min(3600, date.timeIntervalSinceNow)) }
        return nil
    }

    static func redact(_ error: SWRError, token: String) -> SWRError {
        guard !token.isEmpty else { return error }
        switch error {
        case .transport(let m): return .transport(Redaction.redact(m, secrets: [token]))
        case .decoding(let m): return .decoding(Redaction.redact(m, secrets: [token]))
        default: return error
        }
    }
}
