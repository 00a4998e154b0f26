import Foundation
import Testing
import SWRAPI
@testable import SWRWatch

/// A run status: the pipeline's word, the stage it is at, and each stage's word (stage times
/// from `stamp`, so a later run of the same words reads as a change).
func runStatus(_ word: String, at index: Int? = nil, _ stages: [String], stamp: Double = 0) -> PipelineStatus {
    let time = Date(timeIntervalSince1970: 1_700_000_000 + stamp)
    return PipelineStatus(status: word, stageIndex: index, startTime: time,
                          stages: stages.map { StageStatus(status: $0, startTime: $0 == "waiting" ? nil : time) })
}

@Suite(.timeLimit(.minutes(3))) struct RunAwareTests {
    @Test func activityFromTheRunStatus() {
        #expect(StageActivity.of(nil) == [:])
        let idle = runStatus("success", ["success", "success", "success"])
        #expect(StageActivity.of(idle) == [0: .finished, 1: .finished, 2: .finished])
        #expect(!StageActivity.isRunning(idle))
        let running = runStatus("running", at: 1, ["success", "running", "waiting", "waiting"])
        #expect(StageActivity.of(running) == [0: .finished, 1: .active, 2: .active, 3: .waiting])
        #expect(StageActivity.isRunning(running))
        // A hostile status: an index past the stages, unknown words.
        let odd = PipelineStatus(status: "???", stageIndex: 99, stages: [StageStatus(status: "weird"), StageStatus(status: "")])
        #expect(StageActivity.of(odd) == [0: .active, 1: .active])
    }

    @Test func idlePipelineCostsOneDetailPerSlowIntervalAndARunIsNoticedWithinIt() async {
        let clock = ManualWatchClock()
        let idleWords = ["success", "success", "success", "success"]
        // Pipeline 2 is idle until a run starts at 30 s (at stage 1), which ends at 100 s.
        let source = TimedSource(clock: clock, status: { id, now in
            guard id == 2 else { return runStatus("success", idleWords) }
            if now < at(30) { return runStatus("success", idleWords) }
            if now < at(100) { return runStatus("running", at: 1, ["success", "running", "waiting", "waiting"], stamp: 30) }
            return runStatus("success", idleWords, stamp: 30)
        })
        let focused = Target(pipeline: 1, stage: 0)
        let targets = [1, 2].flatMap { p in (0..<4).map { Target(pipeline: p, stage: $0) } }
        let engine = PollingEngine(source: source, details: source, clock: clock, targets: targets,
                                   schedule: PollSchedule(baseInterval: 3), maxConcurrent: 8, requestTimeout: 10, maxRequestsPerMinute: 300)
        let task = Task { await engine.run() }
        await run(engine, on: clock, for: 200)
        let idle = Target(pipeline: 2, stage: 3)
        // Every stage had its first poll at start.
        for target in targets { #expect(source.calls(.stage(target)).first == 0) }
        // The idle pipeline: one detail per minute; its idle stages rest (the last one until the
        // status at 120 s says the run went through it: one poll to record its job).
        #expect(source.calls(.detail(pipeline: 2)) == [0, 60, 120, 180])
        #expect(source.calls(.stage(idle)) == [0, 120])
        #expect(await engine.nextDue(idle) == .distantFuture)
        // The run began at 30 s: noticed by the detail at 60 s (within one slow interval); the
        // running and next stages polled at once, then at their level (15 s, another pipeline's)
        // until the detail at 120 s says the run is over: one last poll, then rest.
        #expect(source.calls(.stage(Target(pipeline: 2, stage: 1))) == [0, 60, 75, 90, 105, 120])
        #expect(source.calls(.stage(Target(pipeline: 2, stage: 2))) == [0, 60, 75, 90, 105, 120])
        // The first stage, finished again by the new run: one last poll when noticed.
        #expect(source.calls(.stage(Target(pipeline: 2, stage: 0))) == [0, 60])
        // The focused stage keeps the base interval whatever the detail says; its pipeline's
        // detail follows it at the base interval; its idle siblings rest.
        let focusCalls = source.calls(.stage(focused))
        #expect(focusCalls == stride(from: 0.0, through: 200, by: 3).map { $0 })
        #expect(source.calls(.detail(pipeline: 1)).count == focusCalls.count)
        #expect(source.calls(.stage(Target(pipeline: 1, stage: 3))) == [0])
        task.cancel()
        await task.value
    }

    @Test func atStartTheFocusedPipelineThenTheDetailsThenTheOtherStages() {
        // (Then the first polls of the other stages share the budget with later details.)
        let targets = (1...3).flatMap { p in (0..<4).map { Target(pipeline: p, stage: $0) } }
        var plan = PollPlan(targets: targets, schedule: PollSchedule(baseInterval: 3), runAware: true, now: .zero)
        let first = plan.start(at: .zero, slots: 7).map(\.key)
        #expect(first.first == .stage(Target(pipeline: 1, stage: 0)))
        #expect(first.dropFirst().first == .detail(pipeline: 1))
        #expect(Set(first.dropFirst(2).prefix(3)) == Set((1...3).map { PollKey.stage(Target(pipeline: 1, stage: $0)) }))
        #expect(Set(first.suffix(2)) == [.detail(pipeline: 2), .detail(pipeline: 3)])
        // The other pipelines' stages come next, each once.
        let rest = plan.start(at: .zero, slots: 100).map(\.key)
        #expect(Set(rest) == Set((2...3).flatMap { p in (0..<4).map { PollKey.stage(Target(pipeline: p, stage: $0)) } }))
        #expect(rest.count == 8)
    }

    @Test func aRunningJobThatEndsBringsItsPipelinesDetailForward() {
        let schedule = PollSchedule(baseInterval: 3)
        let targets = [Target(pipeline: 1, stage: 0), Target(pipeline: 2, stage: 0), Target(pipeline: 2, stage: 1)]
        var plan = PollPlan(targets: targets, schedule: schedule, runAware: true, now: .zero)
        let started = plan.start(at: .zero, slots: 10).map(\.key)
        #expect(Set(started).count == 5)
        let pipeline = Pipeline(id: 2, name: "p", stages: [PipelineStage(index: 0, name: "a"), PipelineStage(index: 1, name: "b")],
                                status: runStatus("running", at: 0, ["running", "waiting"]))
        #expect(plan.completeDetail(2, outcome: .success(pipeline), now: .zero) == at(60))
        let running = Target(pipeline: 2, stage: 0)
        let building = Job(id: "7", state: .building)
        #expect(plan.completeStage(running, outcome: .success([building]), now: .zero)?.next == at(15))
        // The next stage (1) is active too: polled at its level.
        #expect(plan.completeStage(Target(pipeline: 2, stage: 1), outcome: .success([]), now: .zero)?.next == at(15))
        #expect(plan.start(at: at(15), slots: 10).map(\.key).sorted() == [.stage(running), .stage(Target(pipeline: 2, stage: 1))])
        // The job ended: the detail is read one base interval after the last one, not at 60 s.
        let ended = Job(id: "7", state: .successful)
        _ = plan.completeStage(running, outcome: .success([ended]), now: at(15))
        #expect(plan.nextDue(.detail(pipeline: 2)) == at(15))
    }

    /// Pipeline 1 (focused) and 2, each running stage 0 with stage 1 next; stage 1 of both
    /// answered with an earlier run's finished job, everything else answered alike, until
    /// pipeline 2's stage 1 has been polled five times. Returns the plan, its gaps, and when
    /// the fifth poll was.
    static func settledNextStage() -> (plan: PollPlan, gaps: [TimeInterval], lastPoll: WatchInstant) {
        let next = Target(pipeline: 2, stage: 1)
        var plan = PollPlan(targets: [Target(pipeline: 1, stage: 0), Target(pipeline: 1, stage: 1), Target(pipeline: 2, stage: 0), next],
                            schedule: PollSchedule(baseInterval: 3), runAware: true, now: .zero)
        plan.setFocus(Target(pipeline: 1, stage: 0), now: .zero)
        let earlier = [Job(id: "5", state: .successful, progress: 100)]
        var now = WatchInstant.zero
        var gaps: [TimeInterval] = []
        var lastPoll = WatchInstant.zero
        while gaps.count < 5 {
            // Everything due is answered as before: the details unchanged, the jobs too.
            for (key, _) in plan.start(at: now, slots: 10) {
                switch key {
                case .detail(let id): _ = plan.completeDetail(id, outcome: .success(twoStages(id, ["running", "waiting"])), now: now)
                case .stage(let target) where target == next:
                    if let due = plan.completeStage(next, outcome: .success(earlier), now: now)?.next {
                        gaps.append(due.seconds(since: now))
                        lastPoll = now
                    }
                case .stage(let target):
                    let jobs = target.stage == 0 ? [Job(id: "6", state: .building, progress: 50)] : earlier
                    _ = plan.completeStage(target, outcome: .success(jobs), now: now)
                }
            }
            guard let wake = plan.nextWake(after: now), wake != .distantFuture else { break }
            now = wake
        }
        return (plan, gaps, lastPoll)
    }

    static func twoStages(_ id: Int, _ words: [String], at index: Int = 0) -> Pipeline {
        Pipeline(id: id, name: "p", stages: [PipelineStage(index: 0, name: "a"), PipelineStage(index: 1, name: "b")],
                 status: runStatus("running", at: index, words))
    }

    /// Another pipeline's next stage, still showing an earlier run's finished job: 15 s three
    /// answers running, then 60 s. The focused pipeline's next stage never settles.
    @Test func anotherPipelinesNextStageSettles() {
        let (plan, gaps, _) = Self.settledNextStage()
        #expect(gaps == [15, 15, 60, 60, 60])
        // Answered alike at least as often, the focused pipeline's next stage stays at its level.
        #expect(plan.interval(for: .stage(Target(pipeline: 1, stage: 1))) == 6)
    }

    /// The running stage's job ends: the settled next stage is due at once and polls at its
    /// level again, without waiting for the detail to say the run moved.
    @Test func aRunningJobThatEndsPollsTheSettledNextStageAtOnce() {
        var (plan, _, lastPoll) = Self.settledNextStage()
        let running = Target(pipeline: 2, stage: 0), next = Target(pipeline: 2, stage: 1)
        let ended = lastPoll.adding(1)
        plan.dueNow(.stage(running), now: ended)
        #expect(plan.start(at: ended, slots: 10).map(\.key).contains(.stage(running)))
        _ = plan.completeStage(running, outcome: .success([Job(id: "6", state: .successful, progress: 100)]), now: ended)
        #expect(plan.nextDue(.stage(next)) == ended)
        _ = plan.start(at: ended, slots: 10)
        #expect(plan.completeStage(next, outcome: .success([Job(id: "5", state: .successful, progress: 100)]), now: ended)?.next == ended.adding(15))
    }

    /// The detail read a second after the settled stage's last poll says the run moved into it
    /// (its word changed, or only `stage_index` came to it while its word still says "waiting"):
    /// it is due at once, not at its settled time; its new job brings its level back.
    @Test(arguments: [(["success", "running"], 0), (["success", "waiting"], 1)])
    func theRunMovingIntoASettledStagePollsItAtOnce(words: [String], index: Int) {
        var (plan, _, lastPoll) = Self.settledNextStage()
        let next = Target(pipeline: 2, stage: 1)
        let asked = lastPoll.adding(1)
        #expect(plan.nextDue(.stage(next)) == lastPoll.adding(60))
        plan.dueNow(.detail(pipeline: 2), now: asked)
        #expect(plan.start(at: asked, slots: 10).map(\.key).contains(.detail(pipeline: 2)))
        _ = plan.completeDetail(2, outcome: .success(Self.twoStages(2, words, at: index)), now: asked)
        #expect(plan.nextDue(.stage(next)) == asked)
        #expect(plan.start(at: asked, slots: 10).map(\.key).contains(.stage(next)))
        let building = [Job(id: "9", state: .building), Job(id: "5", state: .successful, progress: 100)]
        #expect(plan.completeStage(next, outcome: .success(building), now: asked)?.next == asked.adding(15))
    }

    @Test func theFocusedPipelinesDetailSlowsWhileItsJobRunsAndComesBackWhenItEnds() {
        let schedule = PollSchedule(baseInterval: 3)
        let focused = Target(pipeline: 1, stage: 0)
        var plan = PollPlan(targets: [focused, Target(pipeline: 1, stage: 1)], schedule: schedule, runAware: true, now: .zero)
        plan.setFocus(focused, now: .zero)
        _ = plan.start(at: .zero, slots: 10)
        let pipeline = Pipeline(id: 1, name: "p", stages: [PipelineStage(index: 0, name: "a"), PipelineStage(index: 1, name: "b")],
                                status: runStatus("running", at: 0, ["running", "waiting"]))
        // No job seen yet: the detail is what shows the run move, so it keeps the base interval.
        #expect(plan.completeDetail(1, outcome: .success(pipeline), now: .zero) == at(3))
        _ = plan.completeStage(Target(pipeline: 1, stage: 1), outcome: .success([]), now: .zero)
        #expect(plan.completeStage(focused, outcome: .success([Job(id: "7", state: .building)]), now: .zero)?.next == at(3))
        // A job runs and is polled every 3 s: the detail is read every 15 s.
        _ = plan.start(at: at(3), slots: 10)
        #expect(plan.completeDetail(1, outcome: .success(pipeline), now: at(3)) == at(18))
        // The job ends at 9 s: the detail is read at once (a base interval after the last one).
        _ = plan.start(at: at(9), slots: 10)
        _ = plan.completeStage(focused, outcome: .success([Job(id: "7", state: .successful)]), now: at(9))
        #expect(plan.nextDue(.detail(pipeline: 1)) == at(9))
        // Nothing runs now: the detail is back at the base interval.
        _ = plan.start(at: at(9), slots: 10)
        #expect(plan.completeDetail(1, outcome: .success(pipeline), now: at(9)) == at(12))
    }

    @Test func aWaitingOrFailingStageDoesNotSlowTheFocusedDetail() {
        let focused = Target(pipeline: 1, stage: 0), other = Target(pipeline: 1, stage: 1)
        var plan = PollPlan(targets: [focused, other], schedule: PollSchedule(baseInterval: 3), runAware: true, now: .zero)
        plan.setFocus(focused, now: .zero)
        _ = plan.start(at: .zero, slots: 10)
        let pipeline = Pipeline(id: 1, name: "p", stages: [PipelineStage(index: 0, name: "a"), PipelineStage(index: 1, name: "b")],
                                status: runStatus("running", at: 0, ["running", "waiting"]))
        _ = plan.completeDetail(1, outcome: .success(pipeline), now: .zero)
        // A job stuck waiting, and a building job whose stage now fails: neither shows the run move.
        _ = plan.completeStage(focused, outcome: .success([Job(id: "7", state: .waiting)]), now: .zero)
        _ = plan.completeStage(other, outcome: .success([Job(id: "8", state: .building)]), now: .zero)
        _ = plan.start(at: at(3), slots: 10)
        _ = plan.completeStage(other, outcome: .failure(.timeout), now: at(3))
        #expect(plan.completeDetail(1, outcome: .success(pipeline), now: at(3)) == at(6))
    }
}
