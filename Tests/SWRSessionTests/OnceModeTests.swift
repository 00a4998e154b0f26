import Foundation
import Synchronization
import Testing
@testable import SWRAPI
@testable import SWRSession
@testable import SWRWatch

/// `--once` on a scripted source: order, the concurrency bound, errors kept per stage.
@Suite(.timeLimit(.minutes(3))) struct OnceModeTests {
    /// Answers each stage after the others have had a chance to start, and counts how many
    /// requests were in flight at once.
    final class CountingSource: JobSource {
        let state = Mutex<(inFlight: Int, most: Int, calls: Int)>((0, 0, 0))
        let failing: Set<Int>

        init(failing: Set<Int> = []) { self.failing = failing }

        func jobs(pipeline: Int, stage: Int) async throws -> [Job] {
            state.withLock { s in
                s.inFlight += 1
                s.calls += 1
                s.most = max(s.most, s.inFlight)
            }
            for _ in 0..<20 { await Task.yield() }
            state.withLock { $0.inFlight -= 1 }
            if failing.contains(pipeline) { throw SWRError.unauthorized(message: nil) }
            return [Fixture.job("\(pipeline)-\(stage)-old", .successful, created: -600), Fixture.job("\(pipeline)-\(stage)-new", .building, created: -10)]
        }
    }

    static let many = (1...30).map { id in PipelineInfo(id: id, name: "p\(id)", stages: (0..<3).map { StageInfo(index: $0, name: "s\($0)") }) }

    @Test func everyStageOnceInWatchOrderNewestFirstAtMostEightAtATime() async {
        let source = CountingSource()
        let results = await OnceMode.poll(Self.many, stage: nil, source: source)
        #expect(results.map { "\($0.pipeline.id)/\($0.stage.index)" } == Self.many.flatMap { p in p.stages.map { "\(p.id)/\($0.index)" } })
        #expect(results.allSatisfy { (try? $0.outcome.get().first?.id) == "\($0.pipeline.id)-\($0.stage.index)-new" })
        let counts = source.state.withLock { $0 }
        #expect(counts.calls == 90)
        #expect(counts.most <= Session.maxConcurrent)
    }

    @Test func onlyTheAskedStage() async {
        let results = await OnceMode.poll(Self.many, stage: 2, source: CountingSource())
        #expect(results.count == 30)
        #expect(results.allSatisfy { $0.stage.index == 2 })
    }

    /// The run started after the newest jobs of stages 1 and 2 were created, and the detail
    /// says it has not reached them: pending, whatever their old jobs say. Stage 0 runs.
    @Test func stagesTheRunHasNotReachedArePending() async {
        let pipelines = Array(Self.many.prefix(2))
        let run = PipelineStatus(status: "running", stageIndex: 0, startTime: Fixture.at(-5), endTime: nil,
                                 stages: [StageStatus(status: "running"), StageStatus(status: "waiting"), StageStatus(status: "")])
        let results = await OnceMode.poll(pipelines, stage: nil, source: CountingSource(), runs: [1: run])
        #expect(results.map(\.pending) == [false, true, true, false, false, false])
        #expect(results.first?.run == run)
        let table = SnapshotFormat.table(results)
        #expect(table[2].contains("pending") && table[3].contains("pending"))
        #expect(!table[1].contains("pending") && !table[4].contains("pending"))
    }

    @Test func aDetailThatCannotBeReadLeavesNoStatus() async {
        struct Refused: Error {}
        let statuses = await OnceMode.details([1, 2, 3]) { id in
            if id == 2 { throw Refused() }
            return Pipeline(id: id, name: "p", stages: [], status: PipelineStatus(status: "success", stageIndex: nil, stages: []))
        }
        #expect(Set(statuses.keys) == [1, 3])
    }

    @Test func anErrorStaysWithItsStage() async {
        let results = await OnceMode.poll(Array(Self.many.prefix(3)), stage: nil, source: CountingSource(failing: [2]))
        #expect(results.filter { $0.error != nil }.map(\.pipeline.id) == [2, 2, 2])
    }
}
