import Foundation
import Testing
import SWRAPI
@testable import SWRWatch

/// A running job whose answer stays the same (same job, state and progress) is polled less often
/// after `stallAfter` such answers, unless it is the focused stage or every stage polls alike
/// (`--watch`); the first answer that moves brings the usual interval back.
@Suite struct StallTests {
    static let focused = Target(pipeline: 1, stage: 0)
    static let other = Target(pipeline: 2, stage: 0)

    /// The gaps between the due times the plan gives `target` for `answers`, each answered when due.
    static func gaps(_ plan: inout PollPlan, _ target: Target, answers: [[Job]]) -> [TimeInterval] {
        var now = WatchInstant.zero
        var gaps: [TimeInterval] = []
        for jobs in answers {
            _ = plan.start(at: now, slots: 10)
            guard let next = plan.completeStage(target, outcome: .success(jobs), now: now)?.next else { return gaps }
            gaps.append(next.seconds(since: now))
            now = next
        }
        return gaps
    }

    static func building(_ progress: Int?, id: String = "7") -> [Job] {
        [job(id, .building, progress: progress), job("6", .successful, progress: 100)]
    }

    @Test func anotherPipelinesStalledJobSlowsFourTimesAndTheFirstMoveBringsItBack() {
        var plan = PollPlan(targets: [Self.focused, Self.other], schedule: PollSchedule(baseInterval: 3), now: .zero)
        let same = Array(repeating: Self.building(40), count: 6)
        let moved = [Self.building(41), Self.building(41)]
        // 15 s (another pipeline) until three answers in a row are the same as the one before,
        // then 60 s (15 × 4); the answer that moves (41 %) is back at 15 s.
        #expect(Self.gaps(&plan, Self.other, answers: same + moved) == [15, 15, 15, 60, 60, 60, 15, 15])
    }

    @Test func aNewJobOrANewStateIsAMoveToo() {
        var plan = PollPlan(targets: [Self.focused, Self.other], schedule: PollSchedule(baseInterval: 3), now: .zero)
        let same = Array(repeating: Self.building(nil), count: 4)
        let answers = same + [Self.building(nil, id: "8")] + same + [[job("7", .waiting)]]
        // A new job (8) and then the same job (7) in a new state each end the stall.
        #expect(Self.gaps(&plan, Self.other, answers: answers) == [15, 15, 15, 60, 15, 15, 15, 15, 60, 15])
    }

    @Test func theFocusedStageAndWatchModeNeverSlow() {
        var plan = PollPlan(targets: [Self.focused, Self.other], schedule: PollSchedule(baseInterval: 3), now: .zero)
        let same = Array(repeating: Self.building(40), count: 8)
        #expect(Self.gaps(&plan, Self.focused, answers: same) == Array(repeating: 3, count: 8))
        var uniform = PollSchedule(baseInterval: 3)
        uniform.uniform = true
        var watching = PollPlan(targets: [Self.focused, Self.other], schedule: uniform, now: .zero)
        #expect(Self.gaps(&watching, Self.other, answers: same) == Array(repeating: 3, count: 8))
    }

    @Test func runAwareStagesOfARunningPipelineSlowTheSameWay() {
        var plan = PollPlan(targets: [Self.focused, Self.other], schedule: PollSchedule(baseInterval: 3), runAware: true, now: .zero)
        _ = plan.start(at: .zero, slots: 10)
        let pipeline = Pipeline(id: 2, name: "p", stages: [PipelineStage(index: 0, name: "a")], status: runStatus("running", at: 0, ["running"]))
        _ = plan.completeDetail(2, outcome: .success(pipeline), now: .zero)
        let same = Array(repeating: Self.building(40), count: 5)
        #expect(Self.gaps(&plan, Self.other, answers: same) == [15, 15, 15, 60, 60])
    }

    @Test func theScheduleRule() {
        let schedule = PollSchedule(baseInterval: 3)
        #expect(schedule.interval(level: .samePipeline, settled: false, stalled: true) == 24)
        #expect(schedule.interval(level: .other, settled: false, stalled: true) == 60)
        #expect(schedule.interval(level: .focused, settled: false, stalled: true) == 3)
        // Settled wins (a finished job is not a stalled one): no double slowing.
        #expect(schedule.interval(level: .samePipeline, settled: true, stalled: true) == 24)
        var odd = schedule
        odd.stalledFactor = .nan
        #expect(odd.interval(level: .other, settled: false, stalled: true) == 15)
    }
}
