import Foundation
import Synchronization
import Testing
import SWRAPI
import SWRSimulator
@testable import SWRWatch

/// The simulator answering in process (no sockets), with every request noted on the manual clock.
final class InProcessSimulator: HTTPTransport {
    let service: SimService
    private let clock: ManualWatchClock
    private let log = Mutex<[(path: String, at: TimeInterval)]>([])

    init(service: SimService, clock: ManualWatchClock) {
        self.service = service
        self.clock = clock
    }

    /// Every request so far: its path and when (seconds on the manual clock).
    var requests: [(path: String, at: TimeInterval)] { log.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let uri = request.url.firstRange(of: "/v3").map { String(request.url[$0.lowerBound...]) } ?? request.url
        let at = clock.instant().seconds(since: .zero)
        log.withLock { $0.append((String(uri.prefix { $0 != "?" }), at)) }
        var headers: [String: String] = [:]
        for header in request.headers { headers[header.name.lowercased()] = header.value }
        guard case .reply(let status, let replyHeaders, let body) = service.handle(SimRequest(method: request.method, uri: uri, headers: headers, body: []))
        else { throw SWRError.transport("the simulator dropped the request") }
        return HTTPResponse(status: status, headers: replyHeaders.map { (name: $0.0, value: $0.1) }, body: body)
    }
}

/// Issue 19's acceptance on the injected clock: `--demo --sim-pipelines 200` (the simulator at
/// 3×, five busy pipelines and 195 quiet ones, as most of a large account is) with the default
/// budget of 300 a minute. The engine stays within the budget in every minute, and once the
/// first round is over every stage the run is in is polled at its interval.
// The limit catches a hang, not slowness: these simulate up to half an hour on the manual
// clock, tens of seconds of CPU, and a loaded 2-core CI machine stretched one to 213 s.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ScaleWorldTests {
    @Test func twoHundredPipelinesStayInTheBudgetAndEveryRunningStageKeepsItsInterval() async throws {
        let clock = ManualWatchClock(start: Date(timeIntervalSince1970: 1_790_000_000))
        var options = SimulatorOptions()
        options.pipelineCount = 200
        options.speed = 3
        let service = SimService(options: options, now: { clock.now() })
        let transport = InProcessSimulator(service: service, clock: clock)
        let client = SWRClient(endpoint: "http://sim.invalid", transport: transport, tokens: StaticTokenProvider(options.token), timeout: .seconds(30))
        let targets = service.world.pipelines.flatMap { p in p.stages.indices.map { Target(pipeline: p.id, stage: $0) } }
        let schedule = PollSchedule(baseInterval: Config.defaultInterval)
        let engine = PollingEngine(source: client, details: client, clock: clock, targets: targets, schedule: schedule,
                                   maxRequestsPerMinute: RequestBudget.defaultLimit)
        let task = Task { await engine.run() }
        let measured = (from: 10.0 * 60, to: 20.0 * 60)
        await run(engine, on: clock, for: measured.to, step: 0.5)
        task.cancel()
        await task.value

        let requests = transport.requests
        #expect(busiestMinute(requests.map { WatchInstant.zero.adding($0.at) }) <= RequestBudget.defaultLimit)
        var polls: [String: [TimeInterval]] = [:]
        for request in requests { polls[request.path, default: []].append(request.at) }

        // Each building span of a stage in the measured window, from when the engine knew of it
        // (its pipeline's first detail read after the run started) to its end.
        let origin = clock.now().addingTimeInterval(-measured.to)
        func wall(_ world: Date) -> TimeInterval { service.timeline.wallTime(of: world).timeIntervalSince(origin) }
        let focus = targets[0]
        var spans = 0
        var late: [String] = []
        var notice: [TimeInterval] = []
        var worstExcess = -Double.infinity
        for pipeline in service.world.pipelines {
            let first = service.world.currentRunNumber(pipeline, at: service.timeline.worldTime(at: origin.addingTimeInterval(measured.from))) - 1
            let last = service.world.currentRunNumber(pipeline, at: service.timeline.worldTime(at: clock.now()))
            for n in first...last {
                let run = service.world.run(pipeline, n)
                let details = polls["/v3/manage/pipelines/\(pipeline.id)", default: []]
                guard let noticed = details.first(where: { $0 >= wall(run.start) }) else { continue }
                if wall(run.start) >= measured.from { notice.append(noticed - wall(run.start)) }
                for plan in run.stages {
                    let known = max(wall(plan.buildsAt), noticed, measured.from)
                    let end = min(wall(plan.endsAt), measured.to)
                    guard end - known > 0 else { continue }
                    let target = Target(pipeline: pipeline.id, stage: plan.stage)
                    let level: PollSchedule.FocusLevel = target == focus ? .focused : pipeline.id == focus.pipeline ? .samePipeline : .other
                    let interval = schedule.interval(level: level, settled: false)
                    let times = polls["/v3/manage/pipelines/\(pipeline.id)/stages/\(plan.stage)/jobs", default: []]
                    // From when it was known, through every poll in the span, to its end: no gap
                    // longer than the interval and two seconds: the clock's half-second steps, the
                    // pacing's fifth of a second, and a starving detail that may go first.
                    let inside = [known] + times.filter { $0 > known && $0 < end } + [end]
                    let gap = zip(inside, inside.dropFirst()).map { $1 - $0 }.max() ?? 0
                    spans += 1
                    worstExcess = max(worstExcess, gap - interval)
                    if gap > interval + 2 { late.append("\(target) gap \(gap) s (interval \(Int(interval)) s)") }
                }
            }
        }
        // Every stage had its first poll during the first round (it ends after about 7 minutes).
        let firstPolls = polls.filter { $0.key.hasSuffix("/jobs") }.values.compactMap(\.first)
        #expect(firstPolls.count == targets.count)
        #expect((firstPolls.max() ?? .infinity) < measured.from)
        // A run that starts is noticed within about a slow interval: the budget is nearly full,
        // so an idle pipeline's detail may wait a few seconds more than its minute.
        #expect(!notice.isEmpty)
        #expect((notice.max() ?? .infinity) <= schedule.cap + 15)
        #expect(spans > 50)
        print("ScaleWorldTests: \(spans) building spans, the longest gap \(worstExcess) s over its interval; runs noticed within \(notice.max() ?? -1) s")
        #expect(late.isEmpty, "\(late.count) of \(spans) spans: \(late.prefix(10))")
    }
}
