import Foundation
import Synchronization
import Testing
import SWRAPI
@testable import SWRWatch

/// A job and detail source that answers at once and records when (on the clock) each call came.
final class TimedSource: JobSource, DetailSource {
    struct Call: Sendable, Equatable {
        var key: PollKey
        var at: WatchInstant
    }

    private let clock: ManualWatchClock
    private let state = Mutex<[Call]>([])
    private let answer: @Sendable (PollKey, WatchInstant) -> SWRError?
    private let status: @Sendable (Int, WatchInstant) -> PipelineStatus?

    init(clock: ManualWatchClock, answer: @escaping @Sendable (PollKey, WatchInstant) -> SWRError? = { _, _ in nil },
         status: @escaping @Sendable (Int, WatchInstant) -> PipelineStatus? = { _, _ in nil }) {
        self.clock = clock
        self.answer = answer
        self.status = status
    }

    var calls: [Call] { state.withLock { $0 } }

    func calls(_ key: PollKey) -> [TimeInterval] {
        calls.filter { $0.key == key }.map { $0.at.seconds(since: .zero) }
    }

    private func record(_ key: PollKey) throws {
        let now = clock.instant()
        state.withLock { $0.append(Call(key: key, at: now)) }
        if let error = answer(key, now) { throw error }
    }

    func jobs(pipeline: Int, stage: Int) async throws -> [Job] {
        try record(.stage(Target(pipeline: pipeline, stage: stage)))
        return []
    }

    func pipeline(id: Int) async throws -> Pipeline {
        try record(.detail(pipeline: id))
        let stages = (0..<4).map { PipelineStage(index: $0, name: "s\($0)") }
        return Pipeline(id: id, name: "p\(id)", stages: stages, status: status(id, clock.instant()))
    }
}

/// The largest number of `instants` in any half-open window `[t, t + 60)`.
func busiestMinute(_ instants: [WatchInstant]) -> Int {
    let sorted = instants.sorted()
    var best = 0
    var first = 0
    for (index, instant) in sorted.enumerated() {
        while instant.seconds(since: sorted[first]) >= 60 { first += 1 }
        best = max(best, index - first + 1)
    }
    return best
}

/// Moves the clock in steps of `step` seconds up to `seconds`, letting the engine do what each
/// moment asks before the next.
func run(_ engine: PollingEngine, on clock: ManualWatchClock, for seconds: TimeInterval, step: TimeInterval = 1) async {
    await engine.waitUntilQuiet()
    var elapsed = 0.0
    while elapsed < seconds {
        clock.advance(by: step)
        elapsed += step
        await engine.waitUntilQuiet()
    }
}

// The limit catches a hang, not slowness: these simulate up to half an hour on the manual
// clock, tens of seconds of CPU, and a loaded 2-core CI machine stretched one to 213 s.
@Suite(.timeLimit(.minutes(5))) struct BudgetTests {
    /// The window is found by binary search over the starts in order; a start recorded at an
    /// earlier moment than the last (a caller's clock that stepped back) still lands in order.
    @Test func theWindowHoldsExactlyTheStartsOfTheLastMinute() {
        var budget = RequestBudget(perMinute: 10)
        for seconds in [10.0, 20, 15, 20] { budget.record(at: at(seconds)) }
        #expect(budget.used(at: at(20)) == 4)
        #expect(budget.used(at: at(17)) == 2)     // 10 and 15
        #expect(budget.used(at: at(69.5)) == 4)   // 10 is 59.5 s old
        budget.record(at: at(70))
        #expect(budget.used(at: at(70)) == 4)     // 10 left the window, 70 came
        #expect(budget.used(at: at(75)) == 3)     // and 15 left
        #expect(budget.used(at: at(5)) == 0)      // before every start
        #expect(budget.used(at: at(200)) == 0)
        // Ten in the window: the next start waits for the oldest of them to leave it.
        var full = RequestBudget(perMinute: 10)
        for seconds in stride(from: 0.0, to: 10, by: 1) { full.record(at: at(seconds)) }
        #expect(full.nextStart(after: at(30)) == at(60))
        #expect(full.nextStart(after: at(30), reserve: 2) == at(62))
        #expect(full.nextStart(after: at(61)) == at(61))
    }

    @Test func budgetAloneNeverAdmitsMoreThanItsLimitInAnyMinute() {
        var budget = RequestBudget(perMinute: 50)
        var admitted: [WatchInstant] = []
        var rng = SeededRandom(seed: 9)
        var now = WatchInstant.zero
        for _ in 0..<20_000 {
            now = now.adding(Double(rng.next() % 1000) / 1000)
            if budget.canStart(at: now) {
                budget.record(at: now)
                admitted.append(now)
            }
        }
        #expect(busiestMinute(admitted) == 50)
        // It was the limit that held them back: far more were asked for.
        #expect(admitted.count < 20_000 / 2)
    }

    @Test func engineNeverExceedsTheBudgetInAnyMinuteWithAThousandTargets() async {
        let clock = ManualWatchClock()
        let source = TimedSource(clock: clock)
        let targets = (0..<250).flatMap { p in (0..<4).map { Target(pipeline: 100 + p, stage: $0) } }
        #expect(targets.count == 1000)
        let engine = PollingEngine(source: source, clock: clock, targets: targets, schedule: PollSchedule(baseInterval: 3),
                                   maxConcurrent: 8, requestTimeout: 10, maxRequestsPerMinute: 300)
        let task = Task { await engine.run() }
        await run(engine, on: clock, for: 600, step: 0.5)
        let starts = source.calls.map(\.at)
        #expect(busiestMinute(starts) <= 300)
        // The budget was used, not left idle: 1,000 stages want far more than 300 a minute. A
        // fifth (60) is kept for the focused stage and its pipeline's detail, which used 20 of it.
        #expect(busiestMinute(starts) >= 255)
        #expect(starts.count >= 10 * 250)
        // No stage starved: each was polled within the age bound after the first round.
        let byTarget = Dictionary(grouping: source.calls, by: \.key)
        #expect(byTarget.count == 1000)
        let worstGap = byTarget.values.map { calls in
            zip(calls, calls.dropFirst()).map { $1.at.seconds(since: $0.at) }.max() ?? 0
        }.max() ?? 0
        #expect(worstGap <= 600 + 60)
        let reading = await engine.budgetReading
        #expect(reading?.limit == 300)
        #expect((reading?.used ?? 0) <= 300)
        task.cancel()
        await task.value
    }

    @Test func aRunAwareEngineWithEveryPipelineRunningStaysWithinTheBudgetAndReadsEveryDetail() async {
        let clock = ManualWatchClock()
        // 250 pipelines, every one running at stage 1: 500 stages want a poll every 15 s.
        let source = TimedSource(clock: clock, status: { _, now in
            runStatus("running", at: 1, ["success", "running", "waiting", "waiting"], stamp: now.seconds(since: .zero) < 1 ? 0 : 1)
        })
        let targets = (0..<250).flatMap { p in (0..<4).map { Target(pipeline: 100 + p, stage: $0) } }
        let engine = PollingEngine(source: source, details: source, clock: clock, targets: targets, schedule: PollSchedule(baseInterval: 3),
                                   maxConcurrent: 8, requestTimeout: 10, maxRequestsPerMinute: 300)
        let task = Task { await engine.run() }
        await run(engine, on: clock, for: 900, step: 0.5)
        let starts = source.calls.map(\.at)
        #expect(busiestMinute(starts) <= 300)
        #expect(busiestMinute(starts) >= 255)
        // Every pipeline's detail was read, and read again: the run status of all 250 stays known.
        let details = source.calls.filter { if case .detail = $0.key { return true } else { return false } }
        #expect(Set(details.map(\.key)).count == 250)
        let lastRound = Set(details.filter { $0.at >= at(600) }.map(\.key))
        #expect(lastRound.count == 250)
        // Every stage had its first poll; the waiting ones (2, 3) of other pipelines rest after it.
        #expect(Set(source.calls.compactMap { if case .stage(let t) = $0.key { return t } else { return nil } }).count == 1000)
        let idle = Target(pipeline: 300, stage: 3)
        #expect(source.calls(.stage(idle)).count == 1)
        task.cancel()
        await task.value
    }

    @Test func whenRunsFillTheBudgetAnIdlePipelinesDetailIsStillReadEveryFewMinutes() async {
        let clock = ManualWatchClock()
        // 250 pipelines: 200 run in all four stages (800 stages want a poll every 15 s, ten
        // times the budget, so they starve past the ten-minute bound), 50 are idle.
        let source = TimedSource(clock: clock, status: { id, _ in
            id < 300 ? runStatus("running", at: 1, ["running", "running", "running", "running"])
                : runStatus("success", ["success", "success", "success", "success"])
        })
        let targets = (0..<250).flatMap { p in (0..<4).map { Target(pipeline: 100 + p, stage: $0) } }
        let engine = PollingEngine(source: source, details: source, clock: clock, targets: targets, schedule: PollSchedule(baseInterval: 3),
                                   maxConcurrent: 8, requestTimeout: 10, maxRequestsPerMinute: 300)
        let task = Task { await engine.run() }
        await run(engine, on: clock, for: 1800, step: 0.5)
        task.cancel()
        await task.value
        #expect(busiestMinute(source.calls.map(\.at)) <= 300)
        // Every stage had its first poll before the ten-minute bound made it jump the queue: the
        // screen needs them, so they share the budget with the runs rather than wait behind
        // them (behind them, the last came at 663 s).
        let firstPolls = Dictionary(grouping: source.calls.filter { if case .stage = $0.key { return true } else { return false } }, by: \.key)
            .values.compactMap { $0.first?.at }
        #expect(firstPolls.count == 1000)
        #expect((firstPolls.max() ?? at(.infinity)) < at(600))
        // Once stages starve (after ten minutes), no pipeline's detail waits more than three
        // minutes and the minute or so it takes to read those due at the budget's pace.
        let worst = (100..<350).map { id in
            let reads = source.calls(.detail(pipeline: id)).filter { $0 >= 900 }
            return zip(reads, reads.dropFirst()).map { $1 - $0 }.max() ?? .infinity
        }.max() ?? .infinity
        #expect(worst <= 300)
        // The stages starve but are bounded too: each polled again within about ten minutes.
        let stageWorst = targets.dropFirst(4).map { target in
            let polls = source.calls(.stage(target)).filter { $0 >= 900 }
            return zip(polls, polls.dropFirst()).map { $1 - $0 }.max() ?? 0
        }.max() ?? .infinity
        #expect(stageWorst <= 900)
        #expect(source.calls.filter { $0.at >= at(900) }.contains { if case .stage(let t) = $0.key { return t.pipeline >= 300 } else { return false } } == false)
    }

    @Test func focusedStageKeepsItsIntervalUnderABusyBudget() async {
        let clock = ManualWatchClock()
        let source = TimedSource(clock: clock)
        let targets = (0..<250).flatMap { p in (0..<4).map { Target(pipeline: 100 + p, stage: $0) } }
        let focused = Target(pipeline: 200, stage: 2)
        let engine = PollingEngine(source: source, clock: clock, targets: targets, schedule: PollSchedule(baseInterval: 3),
                                   maxConcurrent: 8, requestTimeout: 10, maxRequestsPerMinute: 300)
        await engine.setFocus(focused)
        let task = Task { await engine.run() }
        await run(engine, on: clock, for: 180, step: 0.5)
        let times = source.calls(.stage(focused))
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect(times.first == 0)
        #expect(gaps.count >= 59)
        #expect(gaps.allSatisfy { $0 == 3 })
        task.cancel()
        await task.value
    }

    @Test func rateLimitShrinksTheBudgetThenItRecoversGradually() async {
        let clock = ManualWatchClock()
        // One 429 with Retry-After: 90 s at the 10th request (in the first round, at 0 s).
        let count = Mutex(0)
        let source = TimedSource(clock: clock, answer: { _, _ in
            count.withLock { n in n += 1; return n == 10 ? .rateLimited(retryAfter: 90, message: nil) : nil }
        })
        let targets = (0..<250).flatMap { p in (0..<4).map { Target(pipeline: 100 + p, stage: $0) } }
        let engine = PollingEngine(source: source, clock: clock, targets: targets, schedule: PollSchedule(baseInterval: 3),
                                   maxConcurrent: 8, requestTimeout: 10, maxRequestsPerMinute: 300)
        let task = Task { await engine.run() }
        await engine.waitUntilQuiet()
        // The 429 came in the first burst, at 0 s: halved, held for the 90 s asked.
        #expect(await engine.budgetReading?.limit == 150)
        await run(engine, on: clock, for: 89)
        #expect(await engine.budgetReading?.limit == 150)
        // Once the old starts left the window (after 60 s), a minute of the shrunk budget holds 150 at most.
        let shrunk = source.calls.map(\.at).filter { $0 >= at(60) && $0 < at(90) }
        #expect(busiestMinute(shrunk) <= 150)
        #expect(shrunk.count > 0)
        // Then it recovers gradually over five minutes: half way at 240 s, whole at 390 s.
        await run(engine, on: clock, for: 151)
        let halfway = await engine.budgetReading?.limit ?? 0
        #expect(halfway == 225)
        await run(engine, on: clock, for: 150)
        #expect(await engine.budgetReading?.limit == 300)
        task.cancel()
        await task.value
    }

    @Test func backgroundStartsArePacedEvenlyAndForegroundOnesAreNot() {
        var budget = RequestBudget(perMinute: 300)
        #expect(budget.burst == 15)
        var now = WatchInstant.zero
        var paced: [WatchInstant] = []
        // Asked every 50 ms for two minutes: the bucket's 15 at once, then one every 0.2 s.
        while now < at(120) {
            while budget.canStart(at: now, reserve: budget.reserve(at: now), paced: true) {
                budget.record(at: now, paced: true)
                paced.append(now)
            }
            now = now.adding(0.05)
        }
        #expect(paced.prefix(15).allSatisfy { $0 == .zero })
        let later = paced.dropFirst(15)
        let gaps = zip(later, later.dropFirst()).map { $1.seconds(since: $0) }
        // Until the window holds its limit less the room (285), then as starts leave it.
        #expect(gaps.prefix(200).allSatisfy { $0 > 0.15 && $0 < 0.25 })
        #expect(busiestMinute(paced) == 300 - budget.reserve(at: now))
        // When the bucket is empty, `nextStart` says when it holds one again.
        var empty = RequestBudget(perMinute: 300)
        for _ in 0..<15 { empty.record(at: .zero, paced: true) }
        #expect(!empty.canStart(at: .zero, paced: true))
        #expect(empty.canStart(at: .zero))
        let next = empty.nextStart(after: .zero, paced: true)
        #expect(abs(next.seconds(since: .zero) - 0.2) < 0.001)
        #expect(empty.canStart(at: next, paced: true))
        #expect(empty.nextStart(after: .zero) == .zero)
    }

    @Test func whatARunIsInGoesBeforeAnIdlePipelinesDetail() {
        let targets = [Target(pipeline: 1, stage: 0)] + (2...3).flatMap { p in (0..<2).map { Target(pipeline: p, stage: $0) } }
        var plan = PollPlan(targets: targets, schedule: PollSchedule(baseInterval: 3), runAware: true, maxRequestsPerMinute: 300, now: .zero)
        #expect(plan.start(at: .zero, slots: 100).count == 8)
        let stages = (0..<2).map { PipelineStage(index: $0, name: "s\($0)") }
        // Pipeline 2 runs (stage 0, and stage 1 next); pipeline 3 is idle.
        let running = runStatus("running", at: 0, ["running", "waiting"])
        let idle = runStatus("success", ["success", "success"])
        _ = plan.completeDetail(2, outcome: .success(Pipeline(id: 2, name: "p2", stages: stages, status: running)), now: .zero)
        _ = plan.completeDetail(3, outcome: .success(Pipeline(id: 3, name: "p3", stages: stages, status: idle)), now: .zero)
        _ = plan.completeDetail(1, outcome: .success(Pipeline(id: 1, name: "p1", stages: stages, status: idle)), now: .zero)
        for target in targets { _ = plan.completeStage(target, outcome: .success([]), now: .zero) }
        // At 61 s pipeline 3's detail has waited longest of the rest (due at 60), yet after the
        // focused pipeline, pipeline 2's detail and running stages go first; the idle detail
        // comes with the next room.
        func started(_ slots: Int, at seconds: Double) -> Set<PollKey> {
            Set(plan.start(at: at(seconds), slots: slots).map(\.key))
        }
        let focused: Set<PollKey> = [.stage(Target(pipeline: 1, stage: 0)), .detail(pipeline: 1)]
        let run: Set<PollKey> = [.detail(pipeline: 2), .stage(Target(pipeline: 2, stage: 0)), .stage(Target(pipeline: 2, stage: 1))]
        #expect(started(5, at: 61) == focused.union(run))
        #expect(started(5, at: 61.5) == [.detail(pipeline: 3)])
    }

    @Test func hostileRetryAfterIsClampedAndRepeated429sFloorAtOne() {
        var budget = RequestBudget(perMinute: 10)
        for _ in 0..<100 { budget.rateLimited(retryAfter: .nan, at: .zero) }
        #expect(budget.limit(at: .zero) == 1)
        // NaN counts as the longest hold (an hour), then five minutes of recovery.
        #expect(budget.limit(at: at(3599)) == 1)
        #expect(budget.limit(at: at(3600 + 300)) == 10)
        var other = RequestBudget(perMinute: 300)
        other.rateLimited(retryAfter: -5, at: .zero)
        #expect(other.limit(at: at(59)) == 150)
        #expect(other.limit(at: at(60 + 150)) == 225)
    }
}

@Suite(.timeLimit(.minutes(3))) struct AdmissionTests {
    @Test func otherRequestsWaitForRoomInTheSameBudget() async {
        let clock = ManualWatchClock()
        let source = TimedSource(clock: clock)
        let targets = (0..<20).map { Target(pipeline: 1 + $0 / 4, stage: $0 % 4) }
        let engine = PollingEngine(source: source, clock: clock, targets: targets, schedule: PollSchedule(baseInterval: 3),
                                   maxConcurrent: 8, requestTimeout: 10, maxRequestsPerMinute: 10)
        let task = Task { await engine.run() }
        await engine.waitUntilQuiet()
        // The focused pipeline's four stages at once, and one other poll: at this budget the
        // pacing bucket holds one start (the rest then gets one every 6 s, the limit's rate).
        #expect(source.calls.count == 5)
        // Outside requests share the budget: five more go at once, the sixth waits for the
        // window to slide.
        for _ in 0..<5 { await engine.admit() }
        let granted = Mutex<WatchInstant?>(nil)
        let sixth = Task {
            await engine.admit()
            granted.withLock { $0 = clock.instant() }
        }
        await run(engine, on: clock, for: 59)
        #expect(granted.withLock { $0 } == nil)
        #expect(source.calls.count == 5)
        clock.advance(by: 1)
        await sixth.value
        #expect(granted.withLock { $0 } == at(60))
        await engine.waitUntilQuiet()
        #expect(await engine.budgetReading?.used ?? 0 <= 10)
        task.cancel()
        await task.value
    }

    @Test func wantedIsEveryHealthyRequestAtItsInterval() {
        let targets = (0..<4).map { Target(pipeline: 1, stage: $0) }
        var plan = PollPlan(targets: targets, schedule: PollSchedule(baseInterval: 3), runAware: false, now: .zero)
        plan.setFocus(targets[0], now: .zero)
        // The focused stage every 3 s (20 a minute), its three siblings every 6 s (10 each).
        #expect(plan.wantedPerMinute() == 50)
        // A failing stage waits on its backoff: not counted.
        _ = plan.start(at: .zero, slots: 10)
        _ = plan.completeStage(targets[3], outcome: .failure(.timeout), now: .zero)
        #expect(plan.wantedPerMinute() == 40)
    }

    @Test func roughFiguresHaveTwoDigitsAndNeverTrap() {
        #expect(Format.roughly(0) == "0" && Format.roughly(-5) == "0" && Format.roughly(87) == "87" && Format.roughly(99) == "99")
        #expect(Format.roughly(100) == "100" && Format.roughly(1_349) == "1,300" && Format.roughly(1_360) == "1,400")
        #expect(Format.roughly(25_049) == "25,000" && Format.roughly(999_999) == "1,000,000")
        #expect(Format.roughly(Int.max).hasPrefix("9,2"))
    }
}
