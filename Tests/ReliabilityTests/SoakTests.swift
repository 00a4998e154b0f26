import Foundation
import Synchronization
import Testing
import SWRAPI
import SWRSimulator
import SWRTopUI
@testable import SWRWatch

/// Engine + store + view against the simulator over real HTTP with 30% faults of every kind
/// and tokens that expire every 20 simulated seconds, for 10 simulated minutes on a manual clock.
@Suite(.serialized, .timeLimit(.minutes(5))) struct SoakTests {
    /// The classic faults, then the same with the hostile kinds (extreme numbers, escapes,
    /// redirects to another origin, stalled and huge bodies, deep nesting) mixed in.
    static let plans = [
        "all=0.3,slow-seconds=0.3,retry-after=2",
        "all=0.15,hostile=0.3,slow-seconds=0.3,retry-after=2,stall-seconds=1,huge-mib=9",
    ]

    @Test(arguments: plans)
    func tenSimulatedMinutesOfFaultsThenRecovery(plan: String) async throws {
        let hostile = plan.contains("hostile")
        let clock = ManualWatchClock(start: Date())
        var options = SimulatorOptions()
        options.pipelineCount = 3
        options.tokenLifetime = 20
        options.faults = try FaultPlan.parse(plan)
        let service = SimService(options: options, now: { clock.now() })
        let server = SimulatorServer(service: service)
        defer { server.stop() }
        let url = try await server.start()
        try await AsyncHTTPClientTransport.with { transport in
        let iam = IAMTokenProvider(credentials: .init(endpoint: url, domain: "d", user: "u", password: "p", project: "cn-north-4"),
                                   transport: transport, timeout: .seconds(2), renewMargin: 5, now: { clock.now() })
        let client = SWRClient(endpoint: url, transport: transport, tokens: iam, timeout: .milliseconds(150))
        let pipelines = service.world.pipelines.map { p in
            PipelineInfo(id: p.id, name: p.name, stages: p.stages.enumerated().map { StageInfo(index: $0.offset, name: $0.element.name) })
        }
        var state = AppState(pipelines: pipelines, now: clock.now(), endpointHost: "127.0.0.1")
        let engine = PollingEngine(source: client, clock: clock, targets: state.allTargets, schedule: PollSchedule(baseInterval: 3),
                                   maxConcurrent: 8, requestTimeout: 10)
        let reader = Reader(engine.results)
        let run = Task { await engine.run() }
        var consumed = 0
        var failures = 0

        func step(_ seconds: TimeInterval) async {
            clock.advance(by: seconds)
            await engine.waitUntilQuiet()
            let published = await engine.resultsPublished
            while consumed < published {
                guard let result = await reader.next() else { break }
                consumed += 1
                if case .failure = result.outcome { failures += 1 }
                _ = update(&state, .poll(result))
            }
            _ = update(&state, .tick(clock.now()))
        }

        // An engine that never settles fails on the suite's time limit.
        for second in 0..<600 {
            await step(1)
            if second % 15 == 0 {
                let problems = frameProblems(view(state, width: 120, height: 40))
                if let problem = problems.halfWide ?? problems.other { Issue.record("simulated second \(second): \(problem)") }
            }
            #expect(state.store.events.count <= HistoryStore.eventCap)
        }
        #expect(failures > 50)  // the faults really happened
        #expect(service.faultCounts.count == Fault.allCases.count)
        if hostile {
            #expect(service.hostileCounts.count == HostileFault.allCases.count, "\(service.hostileCounts)")
            // Whatever came in, nothing unsafe reached the screen.
            let frame = view(state, width: 120, height: 40)
            #expect(frame.lines.joined().unicodeScalars.allSatisfy { !SafeText.isUnsafe($0) })
        }
        #expect(await iam.logins >= 20)  // tokens expired and were renewed

        // Faults stop: every stage recovers.
        service.setFaults(.none)
        for _ in 0..<180 { await step(1) }
        for target in state.allTargets {
            #expect(state.store[target]?.isStale == false, "\(target) did not recover: \(String(describing: state.store[target]?.error))")
        }
        #expect(await engine.peakConcurrency <= 8)
        #expect(state.store.timelineCount <= state.allTargets.count * (SimWorld.historyDepth + HistoryStore.goneCap))

        run.cancel()
        await run.value
        // The stream ends: nothing is left running.
        while await reader.next() != nil {}
        }
    }
}

/// Reads a stream one element at a time from a test.
final class Reader: @unchecked Sendable {
    private var iterator: AsyncStream<PollResult>.Iterator
    init(_ stream: AsyncStream<PollResult>) { iterator = stream.makeAsyncIterator() }
    func next() async -> PollResult? { await iterator.next() }
}
