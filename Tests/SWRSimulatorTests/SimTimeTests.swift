import Foundation
import Testing
@testable import SWRAPI
@testable import SWRSimulator

/// A simulator on a wall clock moved by hand, its world at `speed`.
private func service(seed: Int, speed: Double, pipelines: Int = 5, lifetime: Double? = nil) -> (SimService, ManualTime) {
    var options = SimulatorOptions()
    options.seed = seed
    options.speed = speed
    options.pipelineCount = pipelines
    if let lifetime { options.tokenLifetime = lifetime }
    let wall = ManualTime(Date(timeIntervalSince1970: 1_764_000_000.123_456_7))
    return (SimService(options: options, now: { wall.now() }), wall)
}

private func json(_ service: SimService, _ uri: String) throws -> JSONValue {
    let response = get(service, uri)
    #expect(response.status == 200, "\(uri)")
    return try JSONParser.parse(response.body)
}

/// Issue 20 (3): "the simulator sometimes reports job and log times a few minutes in the future".
/// Whatever the seed, the speed and the moment, every time the simulator reports has happened
/// by the wall-clock moment of its answer, and the times of a job agree with its duration.
/// Serialized: the cases are synchronous and busy, and would otherwise hold both threads of the
/// cooperative pool on a 2-core machine, starving other suites into their time limits.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SimTimeTests {
    static let seeds = [1, 42, 977, 20_260_101]
    static let speeds = [0.25, 1, 3, 40, 1000]
    /// Wall-clock seconds after the simulator started: at once, within a run, later, a day later.
    static let instants: [Double] = [0, 0.4, 7.3, 333.3, 86_400.7]
    /// Times are written to the microsecond; parsing one back may land a fraction of that away.
    static let resolution = 0.000_001

    @Test(arguments: seeds, speeds)
    func nothingIsReportedAfterNow(seed: Int, speed: Double) throws {
        let (sim, wall) = service(seed: seed, speed: speed, pipelines: 3)
        let start = wall.now()
        var firstSeen: [String: Date] = [:]
        var checked = 0
        for instant in Self.instants {
            wall.advance(start.addingTimeInterval(instant).timeIntervalSince(wall.now()))
            let now = wall.now()
            func notAfterNow(_ time: Date?, _ what: @autoclosure () -> String) {
                guard let time else { return }
                checked += 1
                #expect(time.timeIntervalSince(now) <= Self.resolution,
                        "seed \(seed) speed \(speed) at +\(instant)s: \(what()) \(ISO8601.format(time, fractionDigits: 6)) is after now \(ISO8601.format(now, fractionDigits: 6))")
            }
            func statusIsPast(_ pipeline: Pipeline, _ call: String) throws {
                let status = try #require(pipeline.status, "\(call) \(pipeline.id) has a status")
                notAfterNow(status.startTime, "\(call) \(pipeline.id) start_time")
                notAfterNow(status.endTime, "\(call) \(pipeline.id) end_time")
                if let begun = status.startTime, let ended = status.endTime { #expect(begun <= ended) }
                for (index, stage) in status.stages.enumerated() {
                    notAfterNow(stage.startTime, "\(call) \(pipeline.id) stage \(index) start_time")
                    notAfterNow(stage.endTime, "\(call) \(pipeline.id) stage \(index) end_time")
                    if let begun = stage.startTime, let ended = stage.endTime { #expect(begun <= ended) }
                    if stage.endTime != nil { #expect(stage.startTime != nil) }
                }
            }

            let list = try json(sim, "/v3/manage/pipelines").arrayValue ?? []
            #expect(list.count == sim.world.pipelines.count)
            for element in list { try statusIsPast(try #require(element.objectValue.flatMap(Pipeline.init(json:))), "list") }

            for simPipeline in sim.world.pipelines {
                let id = simPipeline.id
                let detail = try #require(try json(sim, "/v3/manage/pipelines/\(id)").objectValue.flatMap(Pipeline.init(json:)))
                try statusIsPast(detail, "detail")
                for stage in detail.stages.map(\.index) {
                    let history = try jobs(sim, id, stage)
                    #expect(!history.isEmpty, "pipeline \(id) stage \(stage) has a history")
                    for job in history {
                        let created = try #require(job.createdAt)
                        let duration = try #require(job.duration)
                        notAfterNow(created, "job \(job.id) created_at")
                        // Queued, then built for `duration`: all of it has happened.
                        notAfterNow(created.addingTimeInterval(Double(duration)), "job \(job.id) created_at + duration (\(duration)s)")
                        // A job's time is a fact: asked again later, it is the same.
                        let key = "\(id)/\(stage)/\(job.id)"  // ids are unique within a pipeline's stage
                        if let first = firstSeen[key] {
                            #expect(abs(first.timeIntervalSince(created)) <= Self.resolution, "job \(key) moved")
                        } else {
                            firstSeen[key] = created
                        }
                    }
                    // The newest job (often building), and on the first stage the oldest one kept.
                    for job in [history.first, stage == 0 && history.count > 1 ? history.last : nil].compactMap({ $0 }) {
                        let response = get(sim, "/v3/manage/pipelines/\(id)/stages/\(stage)/jobs/\(job.id)/logs")
                        #expect(response.status == 200)
                        let log = try JobLog.decode(response.body)
                        notAfterNow(log.job?.createdAt, "log of \(job.id): created_at")
                        for line in log.lines {
                            notAfterNow(line.time, "log of \(job.id): line '\(line.message)'")
                            if let time = line.time, let created = job.createdAt {
                                #expect(time.timeIntervalSince(created) >= -Self.resolution, "log of \(job.id): a line before the job was created")
                            }
                        }
                    }
                }
            }
            let login = sim.handle(SimRequest(method: "POST", uri: "/v3/auth/tokens", headers: [:], body: Self.loginBody))
            #expect(login.status == 201)
            let issued = try JSONParser.parse(login.body)["token"]?["issued_at"]?.nonEmptyString.flatMap(ISO8601.parse)
            notAfterNow(issued, "token issued_at")
        }
        #expect(checked > 500)
    }

    /// Speed changes how fast the world moves, not what happens in it: at speed `s`, `t` wall
    /// seconds in, the jobs are those of speed 1 at `s × t` seconds in, told in wall-clock time.
    @Test(arguments: [0.25, 3, 40, 1000])
    func speedOnlyChangesTheClock(speed: Double) throws {
        let (fast, fastWall) = service(seed: 42, speed: speed)
        let (plain, plainWall) = service(seed: 42, speed: 1)
        for instant in [0.5, 120, 3_600] {
            fastWall.advance(instant)
            plainWall.advance(instant * speed)
            for pipeline in fast.world.pipelines {
                for stage in pipeline.stages.indices {
                    let a = try jobs(fast, pipeline.id, stage)
                    let b = try jobs(plain, pipeline.id, stage)
                    #expect(a.map(\.id) == b.map(\.id))
                    #expect(a.map(\.state) == b.map(\.state))
                    #expect(a.map(\.progress) == b.map(\.progress))
                    for (x, y) in zip(a, b) {
                        // The same build, on the wall clock: `speed` times shorter (whole seconds, rounded down).
                        let worldSeconds = Double(try #require(y.duration))
                        #expect(abs(Double(try #require(x.duration)) - worldSeconds / speed) <= 1 + worldSeconds / speed * 1e-9)
                    }
                }
            }
            fastWall.advance(-instant)
            plainWall.advance(-instant * speed)
        }
    }

    /// A token's `expires_at` is when the simulator stops taking it, on the wall clock.
    @Test(arguments: [0.25, 1, 3, 40])
    func tokensExpireWhenTheySay(speed: Double) throws {
        let (sim, wall) = service(seed: 42, speed: speed, lifetime: 20)
        let login = sim.handle(SimRequest(method: "POST", uri: "/v3/auth/tokens", headers: [:], body: Self.loginBody))
        let token = try #require(login.header("X-Subject-Token"))
        let expires = try #require(try JSONParser.parse(login.body)["token"]?["expires_at"]?.nonEmptyString.flatMap(ISO8601.parse))
        #expect(abs(expires.timeIntervalSince(wall.now()) - 20 / speed) < 0.001)
        wall.advance(expires.timeIntervalSince(wall.now()) - 0.01)
        #expect(get(sim, "/v3/manage/pipelines/1024/stages/0/jobs", token: token).status == 200)
        wall.advance(0.02)
        #expect(get(sim, "/v3/manage/pipelines/1024/stages/0/jobs", token: token).status == 401)
    }

    static let loginBody: [UInt8] = {
        let body: JSONValue = ["auth": ["identity": ["methods": ["password"], "password": ["user": ["name": "u", "password": "p", "domain": ["name": "d"]]]],
                                        "scope": ["project": ["name": "cn-north-4"]]]]
        return Array(body.serialized.utf8)
    }()
}
