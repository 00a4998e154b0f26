import Foundation
import Synchronization
import Testing
@testable import SWRAPI
@testable import SWRSimulator

/// Simulated time moved by hand.
final class ManualTime: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

func makeService(_ configure: (inout SimulatorOptions) -> Void = { _ in }) -> (SimService, ManualTime) {
    var options = SimulatorOptions()
    configure(&options)
    let time = ManualTime()
    return (SimService(options: options, now: { time.now() }), time)
}

func get(_ service: SimService, _ uri: String, token: String? = "swr-top-demo-token", accept: String = "application/json") -> SimResponse {
    var headers = ["accept": accept]
    if let token { headers["x-auth-token"] = token }
    return service.handle(SimRequest(method: "GET", uri: uri, headers: headers, body: []))
}

func jobs(_ service: SimService, _ pipeline: Int, _ stage: Int) throws -> [Job] {
    let response = get(service, "/v3/manage/pipelines/\(pipeline)/stages/\(stage)/jobs")
    #expect(response.status == 200)
    return try Job.decodeList(response.body)
}

@Suite(.timeLimit(.minutes(3))) struct SimWorldTests {
    @Test func sameSeedSameWorld() {
        let (a, _) = makeService { $0.seed = 7 }
        let (b, _) = makeService { $0.seed = 7 }
        let (c, _) = makeService { $0.seed = 8 }
        let uri = "/v3/manage/pipelines/1024/stages/1/jobs"
        #expect(get(a, uri).body == get(b, uri).body)
        #expect(get(a, uri).body != get(c, uri).body)
        #expect(a.world.pipelines.map(\.name) == b.world.pipelines.map(\.name))
    }

    @Test func aLargeAccountIsMostlyQuietAndTheFirstFiveStayBusy() {
        let epoch = Date(timeIntervalSince1970: 1_790_000_000)
        let large = SimWorld(seed: 42, pipelineCount: 200, epoch: epoch)
        let small = SimWorld(seed: 42, pipelineCount: 5, epoch: epoch)
        let allBusy = SimWorld(seed: 42, pipelineCount: 200, busyCount: 200, epoch: epoch)
        // The first five are the default demo's, unchanged by the size of the account.
        #expect(large.pipelines.prefix(5).map(\.period) == small.pipelines.map(\.period))
        #expect(large.pipelines.prefix(5).map(\.name) == small.pipelines.map(\.name))
        // The others rest three to six hours between runs; with --sim-busy they do not.
        #expect(large.pipelines.dropFirst(5).allSatisfy { (3 * 3600...6.5 * 3600).contains($0.period) })
        #expect(allBusy.pipelines.allSatisfy { $0.period < 600 })
        #expect(Set(large.pipelines.dropFirst(5).map(\.period)).count > 50)
        // Sampled every ten minutes over a day: a few of the 195 quiet ones run at any moment.
        func runningCount(_ world: SimWorld, at time: Date) -> Int {
            world.pipelines.filter { p in
                let run = world.run(p, world.currentRunNumber(p, at: time))
                return run.stages.contains { $0.queuedAt <= time && time < $0.endsAt }
            }.count
        }
        let samples = stride(from: 0.0, to: 86_400, by: 600).map { epoch.addingTimeInterval($0) }
        let quiet = samples.map { runningCount(large, at: $0) - runningCount(small, at: $0) }
        #expect(Double(quiet.reduce(0, +)) / Double(samples.count) < 5)
        #expect(quiet.contains { $0 > 0 })
        #expect(samples.map { runningCount(allBusy, at: $0) }.min()! > 60)
    }

    @Test func everyStageHasAMixedHistory() throws {
        let (service, _) = makeService { $0.pipelineCount = 8 }
        var states = Set<JobState>()
        for pipeline in service.world.pipelines {
            #expect((3...6).contains(pipeline.stages.count))
            for stage in pipeline.stages.indices {
                let history = try jobs(service, pipeline.id, stage)
                #expect(!history.isEmpty)
                states.formUnion(history.map(\.state))
                #expect(history.allSatisfy { $0.duration != nil && $0.createdAt != nil })
            }
        }
        #expect(states.isSuperset(of: [.successful, .failed, .timeout, .cancelled]))
    }

    @Test func aRunMovesThroughStatesAndProgressNeverGoesBack() throws {
        let (service, time) = makeService()
        let pipeline = service.world.pipelines[0]
        let n = service.world.currentRunNumber(pipeline, at: time.now()) + 1
        let run = service.world.run(pipeline, n)
        time.advance(run.start.timeIntervalSince(time.now()) + 0.5)
        var seen: [JobState] = []
        var lastProgress = -1
        var lastDuration = -1
        let targetID = String(SimJob.makeID(pipeline: pipeline.id, run: n, stage: 0))
        for _ in 0..<400 {
            let job = try #require(try jobs(service, pipeline.id, 0).first)
            #expect(job.id == targetID)
            if seen.last != job.state { seen.append(job.state) }
            let progress = try #require(job.progress)
            #expect(progress >= lastProgress)
            let duration = try #require(job.duration)
            #expect(duration >= lastDuration)
            lastProgress = progress
            lastDuration = duration
            if job.state.isFinal { break }
            time.advance(0.5)
        }
        #expect(seen.first == .waiting)
        #expect(seen.contains(.building))
        #expect(seen.last?.isFinal == true)
    }

    @Test func stagesOfAPipelineRunInOrder() {
        let (service, _) = makeService { $0.pipelineCount = 6 }
        for pipeline in service.world.pipelines {
            for n in -5...5 {
                let run = service.world.run(pipeline, n)
                for (a, b) in zip(run.stages, run.stages.dropFirst()) {
                    #expect(a.outcome == .successful)
                    #expect(b.queuedAt >= a.endsAt)
                }
                // A run ends before the next one starts.
                #expect(run.stages.last!.endsAt < service.world.run(pipeline, n + 1).start)
            }
        }
    }

    @Test func forcedOutcomeEndsEveryRunThatWay() {
        for outcome in [JobState.failed, .timeout, .cancelled, .successful] {
            let (service, _) = makeService { $0.forcedOutcome = outcome }
            for pipeline in service.world.pipelines {
                let run = service.world.run(pipeline, 3)
                #expect(run.stages.count == pipeline.stages.count)
                #expect(run.stages.last?.outcome == outcome)
            }
        }
    }

    @Test func wireFormats() throws {
        let (official, _) = makeService { $0.wireFormat = .official }
        let body = try JSONParser.parse(get(official, "/v3/manage/pipelines/1024/stages/0/jobs").body)
        let first = try #require(body.arrayValue?.first)
        guard case .int? = first["id"], case .string? = first["duration"], case .string? = first["progress"], first["state"] != nil else {
            Issue.record("official shape expected, got \(first.serialized)")
            return
        }
        let (documented, _) = makeService { $0.wireFormat = .documented }
        let doc = try #require(try JSONParser.parse(get(documented, "/v3/manage/pipelines/1024/stages/0/jobs").body).arrayValue?.first)
        guard case .string? = doc["id"], case .int? = doc["duration"], doc["status"] != nil, doc["state"] == nil else {
            Issue.record("documented shape expected, got \(doc.serialized)")
            return
        }
        let (mixed, _) = makeService { $0.wireFormat = .mixed; $0.pipelineCount = 3 }
        var shapes = Set<Bool>()
        for stage in 0..<3 {
            for element in try JSONParser.parse(get(mixed, "/v3/manage/pipelines/1024/stages/\(stage)/jobs").body).arrayValue ?? [] {
                shapes.insert(element["state"] != nil)
            }
        }
        #expect(shapes == [true, false])
    }

    @Test func someJobsUseLowerCaseWords() throws {
        let (service, _) = makeService { $0.pipelineCount = 6 }
        var raws = Set<String>()
        for pipeline in service.world.pipelines {
            for stage in pipeline.stages.indices { raws.formUnion(try jobs(service, pipeline.id, stage).map(\.rawState)) }
        }
        #expect(raws.contains("success"))
        #expect(raws.contains("Successful"))
    }
}

@Suite(.timeLimit(.minutes(3))) struct SimServiceTests {
    @Test func authIsChecked() {
        let (service, _) = makeService()
        let missing = get(service, "/v3/manage/pipelines/1024/stages/0/jobs", token: nil)
        #expect(missing.status == 401)
        #expect(ErrorBody.message(from: missing.body)?.contains("APIGW.0301") == true)
        let wrong = get(service, "/v3/manage/pipelines/1024/stages/0/jobs", token: "nope")
        #expect(wrong.status == 401)
        #expect(ErrorBody.message(from: wrong.body)?.contains("SVCSTG.SWR.4010000") == true)
    }

    @Test func unknownPipelineOrStageIsA400InSWRShape() {
        let (service, _) = makeService()
        let pipeline = get(service, "/v3/manage/pipelines/9/stages/0/jobs")
        #expect(pipeline.status == 400)
        #expect(ErrorBody.message(from: pipeline.body) == "pipeline 9 does not exist (SVCSTG.SWR.4000002)")
        let stage = get(service, "/v3/manage/pipelines/1024/stages/99/jobs")
        #expect(stage.status == 400)
        #expect(ErrorBody.message(from: stage.body)?.contains("SVCSTG.SWR.4000003") == true)
        #expect(get(service, "/v3/nothing").status == 404)
    }

    @Test func iamTokensExpire() throws {
        let (service, time) = makeService { $0.tokenLifetime = 20 }
        let body: JSONValue = ["auth": ["identity": ["methods": ["password"], "password": ["user": ["name": "u", "password": "p", "domain": ["name": "d"]]]],
                                        "scope": ["project": ["name": "cn-north-4"]]]]
        let login = service.handle(SimRequest(method: "POST", uri: "/v3/auth/tokens", headers: [:], body: Array(body.serialized.utf8)))
        #expect(login.status == 201)
        let token = try #require(login.header("X-Subject-Token"))
        let expires = try JSONParser.parse(login.body)["token"]?["expires_at"]?.nonEmptyString.flatMap(ISO8601.parse)
        #expect(expires == time.now().addingTimeInterval(20))
        #expect(get(service, "/v3/manage/pipelines/1024/stages/0/jobs", token: token).status == 200)
        time.advance(21)
        let expired = get(service, "/v3/manage/pipelines/1024/stages/0/jobs", token: token)
        #expect(expired.status == 401)
        #expect(ErrorBody.message(from: expired.body) == "the token has expired (SVCSTG.SWR.4010000)")
        let bad = service.handle(SimRequest(method: "POST", uri: "/v3/auth/tokens", headers: [:], body: Array("{}".utf8)))
        #expect(bad.status == 400)
    }

    @Test func pipelineListPagesWithContentRange() throws {
        let (service, _) = makeService { $0.pipelineCount = 7 }
        let page = get(service, "/v3/manage/pipelines?limit=3&offset=3")
        #expect(page.header("Content-Range") == "3-3/7")
        let ids = try JSONParser.parse(page.body).arrayValue?.compactMap { $0["id"]?.lenientInt }
        #expect(ids == [1027, 1028, 1029])
        let filtered = get(service, "/v3/manage/pipelines?filter=name::NGINX")
        let names = try JSONParser.parse(filtered.body).arrayValue?.compactMap { $0["name"]?.nonEmptyString }
        #expect(names == ["nginx-hardened"])
    }

    @Test func detailIsYAMLUnlessJSONIsAsked() throws {
        let (service, _) = makeService()
        let yaml = get(service, "/v3/manage/pipelines/1024", accept: "*/*")
        #expect(yaml.header("Content-Type") == "application/x-yaml")
        let text = String(decoding: yaml.body, as: UTF8.self)
        #expect(text.hasPrefix("id: 1024\nname: \"tomcat-release\"\n"))
        #expect(text.contains("stage_index:"))
        let json = get(service, "/v3/manage/pipelines/1024")
        let object = try #require(try JSONParser.parse(json.body).objectValue)
        let pipeline = try #require(Pipeline(json: object))
        #expect(pipeline.name == "tomcat-release")
        #expect(pipeline.status?.stages.count == pipeline.stages.count)
        #expect(pipeline.status?.stageIndex != nil)
    }

    @Test func logsGrowWhileBuilding() throws {
        let (service, time) = makeService()
        let pipeline = service.world.pipelines[0]
        let n = service.world.currentRunNumber(pipeline, at: time.now()) + 1
        let plan = service.world.run(pipeline, n).stages[1]
        time.advance(plan.buildsAt.timeIntervalSince(time.now()) + 1)
        let id = SimJob.makeID(pipeline: pipeline.id, run: n, stage: 1)
        let early = try JobLog.decode(get(service, "/v3/manage/pipelines/\(pipeline.id)/stages/1/jobs/latest/logs").body)
        #expect(early.job?.id == String(id))
        #expect(early.job?.state == .building)
        time.advance(plan.endsAt.timeIntervalSince(plan.buildsAt) * 0.6)
        let later = try JobLog.decode(get(service, "/v3/manage/pipelines/\(pipeline.id)/stages/1/jobs/\(id)/logs").body)
        #expect(later.lines.count > early.lines.count)
        #expect(later.lines.first?.kind == .phase)
        #expect(later.undecodedEntries == 0)
        #expect(Array(later.lines.prefix(early.lines.count)) == early.lines)
    }

    @Test func logRepliesDecodeIntoPhasesContentLinesAndRawEntries() throws {
        let (service, time) = makeService { $0.faults = try! FaultPlan.parse("bad-log=0.4") }
        let pipeline = service.world.pipelines[0]
        let n = service.world.currentRunNumber(pipeline, at: time.now()) + 1
        let plan = service.world.run(pipeline, n).stages[1]
        time.advance(plan.endsAt.timeIntervalSince(time.now()) + 1)
        let id = SimJob.makeID(pipeline: pipeline.id, run: n, stage: 1)
        let uri = "/v3/manage/pipelines/\(pipeline.id)/stages/1/jobs/\(id)/logs"
        let log = try JobLog.decode(get(service, uri).body)
        #expect(log.job?.id == String(id))
        #expect(log.job?.state.isFinal == true)
        // Some entries carry a nested string cut short: counted, kept raw, never dropped.
        #expect(log.undecodedEntries > 0)
        let raw = log.lines.filter { $0.kind == .raw }
        #expect(raw.count == log.undecodedEntries)
        #expect(raw.allSatisfy { $0.message.hasPrefix("[{") && $0.time != nil })
        // The rest decode into phase headings and timed content lines with state and progress.
        let phases = log.lines.filter { $0.kind == .phase }
        let content = log.lines.filter { $0.kind == .content }
        #expect(!content.isEmpty)
        #expect((phases + content).allSatisfy { $0.time != nil && $0.state != nil && $0.progress != nil })
        #expect(log.lines.count == raw.count + phases.count + content.count)
        // The same entries are spoilt on every request (so a log can be followed).
        #expect(try JobLog.decode(get(service, uri).body) == log)
        // Without the fault every entry decodes, phases first.
        service.setFaults(.none)
        let clean = try JobLog.decode(get(service, uri).body)
        #expect(clean.undecodedEntries == 0)
        #expect(clean.lines.first?.kind == .phase)
        #expect(clean.lines.filter { $0.kind == .phase }.count >= 2)
    }

    @Test func everyFaultKindWhenAskedAndOnlyThen() {
        let (quiet, _) = makeService()
        for _ in 0..<200 { #expect(get(quiet, "/v3/manage/pipelines/1024/stages/0/jobs").status == 200) }
        #expect(quiet.faultCounts.isEmpty)

        for fault in Fault.allCases {
            let (service, _) = makeService()
            var plan = FaultPlan()
            switch fault {
            case .serverError: plan.serverErrorRate = 1
            case .rateLimited: plan.rateLimitRate = 1
            case .slow: plan.slowRate = 1
            case .truncated: plan.truncateRate = 1
            case .nonJSON: plan.nonJSONRate = 1
            case .dropped: plan.dropRate = 1
            }
            service.setFaults(plan)
            let response = get(service, "/v3/manage/pipelines/1024/stages/0/jobs")
            switch fault {
            case .serverError: #expect([500, 502, 503].contains(response.status ?? 0))
            case .rateLimited:
                #expect(response.status == 429)
                #expect(response.header("Retry-After") == "2")
            case .slow:
                guard case .delayed(let seconds, _) = response else { Issue.record("slow not delayed"); continue }
                #expect(seconds >= 30)
            case .truncated:
                #expect(response.status == 200)
                #expect(throws: SWRError.self) { try Job.decodeList(response.body) }
            case .nonJSON:
                #expect(String(decoding: response.body, as: UTF8.self).hasPrefix("<html>"))
            case .dropped:
                guard case .drop = response else { Issue.record("not dropped"); continue }
            }
            #expect(service.faultCounts == [fault: 1])
        }
    }

    @Test func faultRateIsSeededAndRoughlyRight() {
        func statuses() -> [Int?] {
            let (service, _) = makeService { $0.faults = .all(0.3) }
            return (0..<1000).map { _ in get(service, "/v3/manage/pipelines/1024/stages/0/jobs").status }
        }
        let a = statuses()
        #expect(a.map { $0 ?? -1 } == statuses().map { $0 ?? -1 })
        let spoilt = a.filter { $0 != 200 }.count
        #expect((150...450).contains(spoilt))
    }

    @Test func faultSpecParsing() throws {
        let plan = try FaultPlan.parse("5xx=0.1,429=0.05,latency=20,jitter=10")
        #expect(plan.serverErrorRate == 0.1 && plan.rateLimitRate == 0.05 && plan.latencyMilliseconds == 20)
        #expect(try FaultPlan.parse("bad-log=0.25").badLogRate == 0.25)
        #expect(throws: FaultSpecError.self) { try FaultPlan.parse("bogus=1") }
        #expect(throws: FaultSpecError.self) { try FaultPlan.parse("5xx=0.8,429=0.8") }
    }
}

@Suite(.serialized, .timeLimit(.minutes(3))) struct SimHTTPTests {
    @Test func clientDecodesEverythingTheSimulatorServes() async throws {
        var options = SimulatorOptions()
        options.wireFormat = .mixed
        options.pipelineCount = 4
        let server = SimulatorServer(options: options)
        defer { server.stop() }
        let url = try await server.start()
        try await AsyncHTTPClientTransport.with { transport in
        let client = SWRClient(endpoint: url, transport: transport, tokens: StaticTokenProvider(options.token), timeout: .seconds(30))
        let pipelines = try await client.pipelines(pageSize: 3)
        #expect(pipelines.count == 4)
        for listed in pipelines {
            let detail = try await client.pipeline(id: listed.id)
            #expect(detail.stages == listed.stages)
            for stage in detail.stages {
                let jobs = try await client.jobs(pipeline: detail.id, stage: stage.index)
                #expect(!jobs.isEmpty)
                #expect(jobs.allSatisfy { if case .unknown = $0.state { false } else { true } })
            }
            let log = try await client.jobLog(pipeline: detail.id, stage: 0, jobID: "latest")
            #expect(log.job != nil)
        }
        // IAM through the same server.
        let iam = IAMTokenProvider(credentials: .init(endpoint: url, domain: "d", user: "u", password: "p", project: "cn-north-4"), transport: transport)
        let viaIAM = SWRClient(endpoint: url, transport: transport, tokens: iam)
        #expect(try await !viaIAM.jobs(pipeline: 1024, stage: 0).isEmpty)
        // A dropped connection reaches the client as a transport error.
        server.service.setFaults(try FaultPlan.parse("drop=1"))
        await #expect(throws: SWRError.self) { try await client.jobs(pipeline: 1024, stage: 0) }
        }
    }
}
