import Foundation
import Synchronization
import SWRAPI

/// A request as the simulator sees it (header names lower case).
public struct SimRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String = "GET", path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Splits `/a/b?x=1&y=2` into a path and a query.
    public init(method: String, uri: String, headers: [String: String], body: [UInt8]) {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[String(kv[0])] = kv.count == 2 ? String(kv[1]) : ""
            }
        }
        self.init(method: method, path: String(parts[0]), query: query, headers: headers, body: body)
    }
}

/// What the simulator answers: a response, a dropped connection, or either after a delay; or,
/// for hostile faults, a body streamed in chunks or a response that stalls half-way.
public indirect enum SimResponse: Sendable {
    case reply(status: Int, headers: [(String, String)], body: [UInt8])
    case drop
    case delayed(seconds: Double, SimResponse)
    /// A body produced chunk by chunk (never held whole).
    case streamed(status: Int, headers: [(String, String)], body: HugeBody)
    /// The head (its `Content-Length` larger than `sent`), `sent`, then nothing for `holdSeconds`.
    case stalled(status: Int, headers: [(String, String)], sent: [UInt8], holdSeconds: Double)

    static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> SimResponse {
        .reply(status: status, headers: [("Content-Type", "application/json;charset=UTF-8")] + headers, body: Array(value.serialized.utf8))
    }

    /// The status, ignoring delays (nil for a drop).
    public var status: Int? {
        switch self {
        case .reply(let status, _, _), .streamed(let status, _, _), .stalled(let status, _, _, _): return status
        case .drop: return nil
        case .delayed(_, let inner): return inner.status
        }
    }

    /// The body, ignoring delays (for a stalled answer, the part sent; for a streamed one, nothing).
    public var body: [UInt8] {
        switch self {
        case .reply(_, _, let body), .stalled(_, _, let body, _): return body
        case .drop, .streamed: return []
        case .delayed(_, let inner): return inner.body
        }
    }

    public func header(_ name: String) -> String? {
        switch self {
        case .reply(_, let headers, _), .streamed(_, let headers, _), .stalled(_, let headers, _, _):
            return headers.first { $0.0.lowercased() == name.lowercased() }?.1
        case .drop: return nil
        case .delayed(_, let inner): return inner.header(name)
        }
    }
}

/// Settings of a simulated service.
public struct SimulatorOptions: Sendable {
    public var seed = 42
    /// How fast the world runs: world seconds per wall-clock second. Answers still tell times
    /// and durations on the wall clock (`SimMoment`), so none lies in the future.
    public var speed = 1.0
    public var pipelineCount = 5
    /// How many of them run back to back; the rest run every few hours (`SimWorld`).
    public var busyPipelines = SimWorld.defaultBusyCount
    public var wireFormat = WireFormat.official
    public var faults = FaultPlan.none
    /// The token accepted without logging in.
    public var token = "swr-top-demo-token"
    /// Lifetime of tokens issued by the IAM endpoint, in simulated seconds.
    public var tokenLifetime: Double = 24 * 3600
    public var forcedOutcome: JobState?

    public init() {}
}

/// The simulated SWR service as a function from request to response (no networking here, so it
/// is tested directly); `SimulatorServer` puts it on a loopback port.
public final class SimService: Sendable {
    public let world: SimWorld
    public let options: SimulatorOptions
    /// The world's clock against the wall clock (`options.speed`).
    public let timeline: SimTimeline
    /// The wall clock.
    let now: @Sendable () -> Date
    private let state: Mutex<State>

    struct State {
        var faults: FaultPlan
        var requestCount = 0
        var issuedTokens: [String: Date] = [:]
        var faultCounts: [Fault: Int] = [:]
        var hostileCounts: [HostileFault: Int] = [:]
        /// Logins so far (their own sequence, so logins do not shift the faults of other calls).
        var loginCount = 0
        /// Where `redirect` points: the trap listener's origin once the server runs.
        var trapOrigin = "http://127.0.0.1:1"
        /// Requests by kind of call: `list`, `detail`, `jobs`, `logs`, `other`.
        var callCounts: [String: Int] = [:]
    }

    /// - Parameter now: the wall clock (tests pass one they move by hand). The world starts at
    ///   its first reading and runs `options.speed` times as fast (`timeline`).
    public init(options: SimulatorOptions, now: @escaping @Sendable () -> Date) {
        self.options = options
        self.now = now
        let origin = now()
        self.timeline = SimTimeline(origin: origin, speed: options.speed)
        self.world = SimWorld(seed: options.seed, pipelineCount: options.pipelineCount, busyCount: options.busyPipelines, epoch: origin, forcedOutcome: options.forcedOutcome)
        self.state = Mutex(State(faults: options.faults))
    }

    /// The world's time now.
    public var currentTime: Date { timeline.worldTime(at: now()) }

    /// A name for this world, unique to the moment it started (to the millisecond): what the
    /// demo records its history under. Each start is a new world whose runs and job ids begin
    /// again from the same seed, so its jobs must never be taken for an earlier world's.
    public var worldName: String {
        // UTC as `20261129-234012.345`: no `:` and no capital, as `HistoryHost.key` keeps a host,
        // so `swr-top history --endpoint NAME` finds it.
        let stamp = ISO8601.format(timeline.origin, fractionDigits: 3)
            .filter { $0 != "-" && $0 != ":" && $0 != "Z" }.replacingOccurrences(of: "T", with: "-")
        return "simulator-seed\(options.seed)-\(stamp)"
    }

    /// Replaces the fault plan (e.g. to start or end a storm).
    public func setFaults(_ faults: FaultPlan) {
        state.withLock { $0.faults = faults }
    }

    /// How many responses of each fault kind were produced so far.
    public var faultCounts: [Fault: Int] { state.withLock { $0.faultCounts } }
    public var requestCount: Int { state.withLock { $0.requestCount } }
    /// How many responses of each hostile kind were produced so far.
    public var hostileCounts: [HostileFault: Int] { state.withLock { $0.hostileCounts } }

    /// The other origin that `redirect` sends clients to; it records what reaches it.
    public let trap = RedirectTrap()

    /// Sets the origin (`http://127.0.0.1:port`) of the trap listener.
    public func setTrapOrigin(_ origin: String) {
        state.withLock { $0.trapOrigin = origin }
    }

    var trapOrigin: String { state.withLock { $0.trapOrigin } }

    func count(_ fault: HostileFault) {
        state.withLock { $0.hostileCounts[fault, default: 0] += 1 }
    }

    public func handle(_ request: SimRequest) -> SimResponse {
        let moment = SimMoment(timeline: timeline, wall: now())
        if request.path.hasPrefix("/_sim/") { return control(request) }
        if request.method == "POST", request.path == "/v3/auth/tokens" { return login(request, at: moment) }

        let (number, faults) = state.withLock { s -> (Int, FaultPlan) in
            s.requestCount += 1
            s.callCounts[Self.callKind(request.path), default: 0] += 1
            return (s.requestCount, s.faults)
        }
        if let denial = authenticate(request, at: moment.world) { return denial }
        var rng = SeededRandom(options.seed, 77, number)
        let roll = rng.unit()
        let fault = faults.pick(roll)
        let hostile = fault == nil ? faults.pickHostile(roll, after: faults.classicTotal) : nil
        var latency = Double(faults.latencyMilliseconds) / 1000
        if faults.jitterMilliseconds > 0 { latency += rng.unit() * Double(faults.jitterMilliseconds) / 1000 }
        if let fault { state.withLock { $0.faultCounts[fault, default: 0] += 1 } }
        if let hostile {
            count(hostile)
            let response = hostileResponse(hostile, request, number: number, plan: faults) { route(request, at: moment, shaper: $0) }
            return latency > 0 ? .delayed(seconds: latency, response) : response
        }

        var response: SimResponse
        switch fault {
        case .serverError?:
            let status = [500, 502, 503][Int(rng.next() % 3)]
            response = status == 502
                ? .reply(status: 502, headers: [("Content-Type", "text/html")], body: Array("<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>".utf8))
                : .json(status, status == 503
                    ? ["errorCode": "SVCSTG.S2I.5037015", "errorMessage": "the number of concurrent builds exceeds the limit"]
                    : ["errorCode": "SVCSTG.SWR.5000001", "errorMessage": "internal error"])
        case .rateLimited?:
            response = .json(429, ["error_code": "APIGW.0308", "error_msg": "The throttling threshold has been reached"],
                             headers: [("Retry-After", String(faults.retryAfterSeconds))])
        case .dropped?:
            response = .drop
        case .nonJSON?:
            response = .reply(status: 200, headers: [("Content-Type", "text/html")], body: Array("<html><body><h1>Service maintenance</h1></body></html>".utf8))
        case .slow?, .truncated?, nil:
            response = route(request, at: moment)
            if fault == .truncated, case .reply(let status, let headers, let body) = response, body.count > 2 {
                response = .reply(status: status, headers: headers, body: Array(body.prefix(body.count / 2)))
            }
            if fault == .slow { latency += faults.slowSeconds }
        }
        return latency > 0 ? .delayed(seconds: latency, response) : response
    }

    // MARK: Auth

    private func authenticate(_ request: SimRequest, at time: Date) -> SimResponse? {
        guard let token = request.headers["x-auth-token"], !token.isEmpty else {
            return .json(401, ["error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: x-auth-token not found"])
        }
        if token == options.token { return nil }
        let expiry = state.withLock { $0.issuedTokens[token] }
        if let expiry, expiry > time { return nil }
        return .json(401, ["errorCode": "SVCSTG.SWR.4010000", "errorMessage": expiry == nil ? "Authenticate failed" : "the token has expired"])
    }

    /// `POST /v3/auth/tokens`: classic faults spare it, hostile ones do not.
    private func login(_ request: SimRequest, at moment: SimMoment) -> SimResponse {
        let (number, faults) = state.withLock { s -> (Int, FaultPlan) in
            s.loginCount += 1
            return (s.loginCount, s.faults)
        }
        var rng = SeededRandom(options.seed, 79, number)
        guard let hostile = faults.pickHostile(rng.unit(), after: 0) else { return issueToken(request, at: moment) }
        count(hostile)
        return hostileResponse(hostile, request, number: -number, plan: faults) { issueToken(request, at: moment, shaper: $0) }
    }

    /// A token valid for `tokenLifetime` world seconds (its `expires_at` on the wall clock).
    private func issueToken(_ request: SimRequest, at moment: SimMoment, shaper: HostileShaper? = nil) -> SimResponse {
        guard let body = try? JSONParser.parse(request.body),
              let user = body["auth"]?["identity"]?["password"]?["user"],
              user["name"]?.nonEmptyString != nil, user["password"]?.nonEmptyString != nil else {
            return .json(400, ["error": ["code": 400, "message": "The request body is invalid", "title": "Bad Request"]])
        }
        if user["password"]?.nonEmptyString == "wrong" {
            return .json(401, ["error": ["code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"]])
        }
        let (token, expires) = state.withLock { s -> (String, Date) in
            var rng = SeededRandom(options.seed, 91, s.issuedTokens.count)
            var token = "MIIsim" + String(rng.next(), radix: 36) + String(rng.next(), radix: 36)
            // Legal in a header, but not in a URL or a log line unquoted.
            if shaper?.fault == .escape { token += "/../?#%20 x" }
            let expires = moment.world.addingTimeInterval(options.tokenLifetime)
            s.issuedTokens[token] = expires
            return (token, expires)
        }
        let project = body["auth"]?["scope"]?["project"]?["name"]?.nonEmptyString ?? "cn-north-4"
        let value: JSONValue = ["token": ["expires_at": .string(moment.deadline(expires)),
                                          "issued_at": .string(moment.stamp(moment.world)),
                                          "methods": ["password"], "project": ["name": .string(project)]]]
        return ok(value, status: 201, headers: [("X-Subject-Token", token)], shaper, as: .token)
    }

    // MARK: Routes

    /// A 200 (or `status`) JSON reply of `value`, shaped by `shaper` when a hostile fault asks.
    private func ok(_ value: JSONValue, status: Int = 200, headers: [(String, String)] = [], _ shaper: HostileShaper?,
                    as reply: HostileShaper.Reply) -> SimResponse {
        guard let shaper else { return .json(status, value, headers: headers) }
        return .reply(status: status, headers: [("Content-Type", "application/json;charset=UTF-8")] + headers,
                      body: RawJSON.bytes(shaper.shape(value, as: reply)))
    }

    private func route(_ request: SimRequest, at moment: SimMoment, shaper: HostileShaper? = nil) -> SimResponse {
        let time = moment.world
        guard request.method == "GET" else {
            return .json(405, ["error_code": "APIGW.0101", "error_msg": "swr-top's simulator is read-only"])
        }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "v3", parts[1] == "manage", parts[2] == "pipelines" else {
            return notFound()
        }
        if parts.count == 3 { return listPipelines(request, at: moment, shaper) }
        guard let id = Int(parts[3]), let pipeline = world.pipeline(id: id) else {
            return .json(400, [["errorCode": "SVCSTG.SWR.4000002", "errorMessage": "pipeline \(parts[3]) does not exist", "detail": ""]])
        }
        if parts.count == 4 { return pipelineDetail(pipeline, request, at: moment, shaper) }
        guard parts.count >= 7, parts[4] == "stages", parts[6] == "jobs" else { return notFound() }
        guard let stage = Int(parts[5]), pipeline.stages.indices.contains(stage) else {
            return .json(400, ["error_code": "SVCSTG.SWR.4000003", "error_msg": "stage index \(parts[5]) is out of range for pipeline \(id)"])
        }
        if parts.count == 7 {
            let jobs = world.jobs(pipeline: pipeline, stage: stage, at: time)
            return ok(.array(jobs.map { options.wireFormat.encode($0, at: moment) }), shaper, as: .jobs)
        }
        guard parts.count == 9, parts[8] == "logs" else { return notFound() }
        // A hostile id (from an `escape` reply), percent-decoded: the job at that place in the history.
        let hostileIndex = parts[7].removingPercentEncoding.flatMap(HostileValues.jobIndex(of:))
        let found = hostileIndex.map { index in world.jobs(pipeline: pipeline, stage: stage, at: time).dropFirst(index).first }
            ?? world.job(pipeline: pipeline, stage: stage, id: parts[7], at: time)
        guard let job = found else {
            return .json(404, ["errorCode": "SVCSTG.SWR.4040001", "errorMessage": "job \(parts[7]) not found"])
        }
        let limit = request.query["limit"].flatMap(Int.init) ?? SimLogs.keptEntries
        let offset = request.query["offset"].flatMap(Int.init) ?? 0
        guard case .object(var object) = options.wireFormat.encode(job, at: moment) else { return notFound() }
        if let hostileIndex, let at = object.members.firstIndex(where: { $0.key == "id" }) {
            object.members[at].value = .string(HostileValues.jobID(hostileIndex))
        }
        let badLogRate = state.withLock { $0.faults.badLogRate }
        let entries = SimLogs.entries(job, at: moment, limit: limit, offset: offset, badLogRate: badLogRate, seed: options.seed)
        object.members.append((key: "log", value: .array(entries)))
        return ok(.object(object), shaper, as: .log(historyIndex: hostileIndex ?? 0))
    }

    private func notFound() -> SimResponse {
        .json(404, ["error_code": "APIGW.0101", "error_msg": "The API does not exist or has not been published in the environment"])
    }

    private func listPipelines(_ request: SimRequest, at moment: SimMoment, _ shaper: HostileShaper?) -> SimResponse {
        let filter = request.query["filter"].map(PipelineFilter.init(queryValue:)) ?? PipelineFilter()
        let matching = world.pipelines.filter { p in
            (filter.name.map { p.name.lowercased().contains($0.lowercased()) } ?? true)
                && (filter.group.map { p.group == $0 } ?? true)
        }
        let offset = max(0, request.query["offset"].flatMap(Int.init) ?? 0)
        let limit = max(0, request.query["limit"].flatMap(Int.init) ?? matching.count)
        let page = Array(matching.dropFirst(offset).prefix(limit))
        return ok(.array(page.map { pipelineJSON($0, at: moment) }),
                  headers: [("Content-Range", "\(offset)-\(page.count)/\(matching.count)")], shaper, as: .pipelines)
    }

    private func pipelineDetail(_ pipeline: SimPipeline, _ request: SimRequest, at moment: SimMoment, _ shaper: HostileShaper?) -> SimResponse {
        let value = pipelineJSON(pipeline, at: moment)
        if request.headers["accept"]?.contains("json") == true { return ok(value, shaper, as: .pipelines) }
        let shaped = shaper?.shape(value, as: .pipelines) ?? value
        return .reply(status: 200, headers: [("Content-Type", "application/x-yaml")], body: Array(RawJSON.splice(YAML.write(shaped)).utf8))
    }

    static let zeroTime = "0001-01-01T00:00:00Z"

    /// The pipeline with its current run's status, as the answer made at `moment` writes it.
    func pipelineJSON(_ pipeline: SimPipeline, at moment: SimMoment) -> JSONValue {
        let time = moment.world
        let run = world.run(pipeline, world.currentRunNumber(pipeline, at: time))
        let jobs = pipeline.stages.indices.map { run.job(stage: $0, at: time) }
        func word(_ job: SimJob?) -> String {
            guard let job else { return "waiting" }
            switch job.state {
            case .waiting: return "waiting"
            case .building: return "running"
            case .successful: return "success"
            case .failed: return "stage_exception"
            case .timeout: return "timeout"
            case .cancelled: return "cancel"
            case .unknown(let raw): return raw
            }
        }
        let active = jobs.lastIndex { $0 != nil } ?? 0
        let last = jobs[active]
        let overall = last.map { $0.isFinished ? word($0) : "running" } ?? "waiting"
        let stageStatuses: [JSONValue] = jobs.map { job in
            let ended = job.map { $0.isFinished } ?? false
            return ["status": .string(word(job)),
                    "start_time": .string(job.map { moment.stamp($0.createdAt) } ?? Self.zeroTime),
                    "end_time": .string(ended ? moment.stamp(job!.plan.endsAt) : Self.zeroTime)]
        }
        let finished = last?.isFinished ?? false
        let stages: [JSONValue] = pipeline.stages.enumerated().map { index, stage in
            ["id": .string("stage-\(pipeline.id)-\(index)"), "name": .string(stage.name), "service_name": .string(stage.serviceName)]
        }
        let endTime = finished ? moment.stamp(last!.plan.endsAt) : Self.zeroTime
        return [
            "id": .int(pipeline.id), "name": .string(pipeline.name), "group_name": .string(pipeline.group),
            "description": .string("Builds and ships \(pipeline.name)"),
            "stages": .array(stages),
            "status": [
                "status": .string(overall), "stage_index": .int(active),
                "start_time": .string(moment.stamp(run.start)),
                "end_time": .string(endTime),
                "stages": .array(stageStatuses),
            ],
        ]
    }

    // MARK: Control (not part of the SWR API)

    /// The kind of call a path is, for `/_sim/stats`.
    static func callKind(_ path: String) -> String {
        let parts = path.split(separator: "/")
        guard parts.count >= 3, parts[0] == "v3", parts[1] == "manage", parts[2] == "pipelines" else { return "other" }
        switch parts.count {
        case 3: return "list"
        case 4: return "detail"
        case 7: return "jobs"
        case 9 where parts[8] == "logs": return "logs"
        default: return "other"
        }
    }

    private func control(_ request: SimRequest) -> SimResponse {
        switch (request.method, request.path) {
        case ("POST", "/_sim/faults"):
            let spec = request.query["spec"]?.removingPercentEncoding ?? String(decoding: request.body, as: UTF8.self)
            do {
                setFaults(try FaultPlan.parse(spec))
                return .json(200, ["faults": .string(spec)])
            } catch {
                return .json(400, ["error": .string(String(describing: error))])
            }
        case ("GET", "/_sim/trap"):
            return .json(200, trap.json)
        case ("GET", "/_sim/stats"):
            let (count, classic, hostile, calls) = state.withLock { ($0.requestCount, $0.faultCounts, $0.hostileCounts, $0.callCounts) }
            let faults = classic.map { ($0.key.rawValue, $0.value) } + hostile.map { ($0.key.rawValue, $0.value) }
            return .json(200, ["requests": .int(count),
                               "calls": .object(JSONObject(calls.sorted { $0.key < $1.key }.map { (key: $0.key, value: .int($0.value)) })),
                               "faults": .object(JSONObject(faults.sorted { $0.0 < $1.0 }.map { (key: $0.0, value: .int($0.1)) }))])
        default:
            return notFound()
        }
    }
}
