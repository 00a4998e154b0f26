import Foundation
import Testing
import SWRAPI
import SWRSimulator
@testable import SWRWatch

@Suite(.serialized, .timeLimit(.minutes(3))) struct IntegrationTests {
    /// Engine + store against the simulator over real HTTP, with simulated time moved by hand:
    /// the focused stage's newest run is seen from Waiting to a final state.
    @Test func aWholeRunFromWaitingToTheEnd() async throws {
        let clock = ManualWatchClock(start: Date())
        var options = SimulatorOptions()
        options.pipelineCount = 2
        let service = SimService(options: options, now: { clock.now() })
        let server = SimulatorServer(service: service)
        defer { server.stop() }
        let url = try await server.start()
        let (states, timelineCount) = try await AsyncHTTPClientTransport.with { transport in
        let client = SWRClient(endpoint: url, transport: transport, tokens: StaticTokenProvider(options.token), timeout: .seconds(30))
        let pipeline = service.world.pipelines[0]
        let target = Target(pipeline: pipeline.id, stage: 0)
        // Start just before the next run queues its first stage.
        let nextRun = service.world.run(pipeline, service.world.currentRunNumber(pipeline, at: clock.now()) + 1)
        clock.advance(by: nextRun.start.timeIntervalSince(clock.now()) - 1)
        let engine = PollingEngine(source: client, clock: clock, targets: [target], schedule: PollSchedule(baseInterval: 1), requestTimeout: 1000)
        let reader = ResultReader(engine)
        let task = Task { await engine.run() }
        var store = HistoryStore()
        var states: [JobState] = []
        let runJobID = String(SimJob.makeID(pipeline: pipeline.id, run: nextRun.number, stage: 0))
        for _ in 0..<600 {
            guard let result = await reader.next() else { break }
            store.apply(result)
            if let newest = store[target]?.jobs.first, newest.id == runJobID, states.last != newest.state {
                states.append(newest.state)
            }
            if states.last?.isFinal == true { break }
            clock.advance(by: result.nextPollAt.timeIntervalSince(clock.now()))
        }
        task.cancel()
        await task.value
        return (states, store.timeline(target, jobID: runJobID).count)
        }
        #expect(states.first == .waiting)
        #expect(states.contains(.building))
        #expect(states.last?.isFinal == true)
        #expect(timelineCount > 3)
    }
}
