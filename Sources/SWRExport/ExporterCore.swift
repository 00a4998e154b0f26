import Foundation
import SWRAPI
import SWRSession
import SWRWatch
import Synchronization

/// What the HTTP layer passes on of a request.
public struct ExportRequest: Sendable {
    public var method: String
    /// The path, without the query.
    public var path: String
    /// The `Authorization` header, if any.
    public var authorization: String?

    public init(method: String = "GET", path: String, authorization: String? = nil) {
        self.method = method
        self.path = path
        self.authorization = authorization
    }
}

/// An answer, whole.
public struct ExportResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The exporter's one owner of state: the metrics model and the registry it writes to, behind
/// one lock. The engine's results and the detail answers come in (`ingest`); the HTTP server's
/// requests are answered from here (`answer`), without I/O: a scrape reads the registry under
/// the same lock, so it never sees half of an update (a one-hot state with two ones).
final class ExporterCore: Sendable {
    private struct State: Sendable {
        var metrics: ExportMetrics
        var sink: PrometheusSink
    }

    private let state: Mutex<State>
    let clock: any WatchClock
    private let token: [UInt8]?

    /// The most stale stages `/healthz` names; the rest are counted.
    static let maxNamedStale = 20

    static let exposition = "text/plain; version=0.0.4; charset=utf-8"
    static let plain = "text/plain; charset=utf-8"

    init(metrics: ExportMetrics, version: String, clock: any WatchClock, token: String?) {
        var sink = PrometheusSink()
        sink.apply(metrics.initialUpdates(version: version))
        state = Mutex(State(metrics: metrics, sink: sink))
        self.clock = clock
        self.token = token.map { Array($0.utf8) }
    }

    // MARK: Input

    func ingest(_ result: PollResult) {
        state.withLock { state in
            let updates = state.metrics.apply(result)
            state.sink.apply(updates)
        }
    }

    func ingestDetail(pipeline id: Int, _ outcome: Result<Pipeline, SWRError>) {
        state.withLock { state in
            let updates = state.metrics.applyDetail(pipeline: id, outcome)
            state.sink.apply(updates)
        }
    }

    func request(_ kind: RequestKind, error: SWRError?, seconds: TimeInterval) {
        state.withLock { $0.sink.apply(ExportMetrics.request(kind, error: error, seconds: seconds)) }
    }

    /// A copy of the model (for tests and the state document).
    var metrics: ExportMetrics { state.withLock { $0.metrics } }

    // MARK: Answers

    func answer(_ request: ExportRequest) -> ExportResponse {
        if let token, !Self.bearerMatches(request.authorization, token: token) {
            return Self.response(401, Self.plain, "a bearer token is required: send 'Authorization: Bearer <token>'\n",
                                 extra: [("WWW-Authenticate", "Bearer realm=\"swr-top\"")])
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return Self.response(405, Self.plain, "only GET\n", extra: [("Allow", "GET, HEAD")])
        }
        let now = clock.now()
        switch request.path {
        case "/metrics":
            let body = state.withLock { state in
                state.sink.apply(state.metrics.freshness(now: now))
                return state.sink.exposition()
            }
            return ExportResponse(status: 200, headers: [("Content-Type", Self.exposition), ("Cache-Control", "no-store")], body: body)
        case "/healthz":
            return health(now: now)
        case "/readyz":
            let (ready, waiting, total) = state.withLock { ($0.metrics.isReady, $0.metrics.waitingForFirstPoll, $0.metrics.targets.count) }
            return ready ? Self.response(200, Self.plain, "ready\n")
                : Self.response(503, Self.plain, "not ready: \(waiting) of \(total) stages not polled yet\n")
        case "/api/state":
            let snapshot = state.withLock { $0.metrics.snapshot() }
            let json = SnapshotFormat.json(snapshot, generatedAt: now).serialized + "\n"
            return Self.response(200, "application/json", json)
        case "/":
            return Self.response(200, Self.plain, "swr-top export: /metrics /healthz /readyz /api/state\n")
        default:
            return Self.response(404, Self.plain, "not found: try /metrics, /healthz, /readyz or /api/state\n")
        }
    }

    /// 200 while every stage's data is fresh, else 503 naming the stale stages.
    private func health(now: Date) -> ExportResponse {
        let lines: [String] = state.withLock { state in
            let metrics = state.metrics
            return metrics.staleStages(now: now).map { target in
                let since = metrics.store[target]?.lastGoodPoll
                let age = since.map { "last good poll \(Format.duration(Int(now.timeIntervalSince($0).rounded(.down)))) ago" } ?? "never polled successfully"
                let error = metrics.store[target]?.error.map { ", latest error: \($0.shortDescription)" } ?? ""
                return "\(metrics.place(target)): \(age) (stale after \(RequestRate.seconds(metrics.maximumAge(target))))\(error)"
            }
        }
        guard !lines.isEmpty else { return Self.response(200, Self.plain, "ok\n") }
        var body = "stale: \(lines.count) \(lines.count == 1 ? "stage" : "stages")\n"
        for line in lines.prefix(Self.maxNamedStale) { body += SafeText.line(line) + "\n" }
        if lines.count > Self.maxNamedStale { body += "and \(lines.count - Self.maxNamedStale) more\n" }
        return Self.response(503, Self.plain, body)
    }

    static func response(_ status: Int, _ contentType: String, _ body: String, extra: [(String, String)] = []) -> ExportResponse {
        ExportResponse(status: status, headers: [("Content-Type", contentType), ("Cache-Control", "no-store")] + extra.map { ($0.0, $0.1) },
                       body: Array(body.utf8))
    }

    /// Whether `header` is `Bearer <token>`, compared in time that does not depend on where the
    /// first difference is (only on the lengths).
    static func bearerMatches(_ header: String?, token: [UInt8]) -> Bool {
        guard let header else { return false }
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count else { return false }
        var schemeDiff: UInt8 = 0
        for i in scheme.indices { schemeDiff |= (bytes[i] | 0x20) ^ scheme[i] }
        let given = bytes[scheme.count...]
        var diff: UInt8 = schemeDiff
        diff |= given.count == token.count ? 0 : 1
        // Always walks the whole given value; compares against the token cyclically when lengths differ.
        for (offset, byte) in given.enumerated() {
            diff |= byte ^ (token.isEmpty ? 0 : token[offset % token.count])
        }
        return diff == 0 && !token.isEmpty
    }
}
