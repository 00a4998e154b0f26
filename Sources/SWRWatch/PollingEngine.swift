import Foundation
import SWRAPI

/// Polls stage job histories on a schedule and publishes every answer as a `PollResult`.
///
/// - The focused stage polls at the base interval, its siblings at 2×, other pipelines at 5×;
///   settled stages (finished newest job, unchanged) slow further, capped at 60 s.
/// - At most one request per target, at most `maxConcurrent` in all, each bounded by
///   `requestTimeout` on the injected clock.
/// - Failures back off exponentially with full jitter; `Retry-After` is honoured.
/// - Every schedule is kept on the clock's monotonic `instant()`: setting the wall clock back or
///   forward neither freezes nor hurries polling. Results carry wall-clock `Date`s for display.
/// - Every sum and conversion is bounded: no setting, server answer or clock reading can trap it.
/// - `run()` ends promptly when its task is cancelled, cancelling requests in flight.
public actor PollingEngine {
    /// Every poll's result, in completion order. Finishes when `run()` returns.
    public nonisolated let results: AsyncStream<PollResult>
    private let continuation: AsyncStream<PollResult>.Continuation
    private let source: any JobSource
    private let clock: any WatchClock
    private let schedule: PollSchedule
    private let maxConcurrent: Int
    private let requestTimeout: TimeInterval
    private var random: SeededRandom

    private struct TargetState {
        var nextDue: WatchInstant
        var lastScheduled: WatchInstant
        var inFlight = false
        var failures = 0
        var notBefore: WatchInstant?
        var newest: (id: String, state: JobState)?
        var unchangedFinished = 0
    }

    private var states: [Target: TargetState] = [:]
    private var focus: Target?
    private var paused = false
    private var inFlight = 0
    private let wakeSignal = WakeSignal()

    /// Requests started so far, and the most ever in flight at once (for tests and the header).
    public private(set) var requestsStarted = 0
    public private(set) var peakConcurrency = 0
    /// Results put on `results` so far.
    public private(set) var resultsPublished = 0
    private var quietWaiters: [CheckedContinuation<Void, Never>] = []

    public init(
        source: any JobSource, clock: any WatchClock, targets: [Target], schedule: PollSchedule,
        maxConcurrent: Int = 8, requestTimeout: TimeInterval = 10, seed: Int = 1
    ) {
        self.source = source
        self.clock = clock
        self.schedule = schedule
        self.maxConcurrent = max(1, maxConcurrent)
        // NaN would time out every request at once; a negative timeout does so on purpose.
        self.requestTimeout = requestTimeout.isNaN ? 10 : requestTimeout
        self.random = SeededRandom(seed, 4242)
        (results, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        let now = clock.instant()
        for target in targets { states[target] = TargetState(nextDue: now, lastScheduled: now) }
        focus = targets.first
    }

    // MARK: Commands

    /// Makes `target` the focused stage and polls it at once.
    public func setFocus(_ target: Target) {
        focus = target
        let now = clock.instant()
        if states[target] == nil { states[target] = TargetState(nextDue: now, lastScheduled: now) }
        for (t, state) in states where !state.inFlight {
            let sooner = state.lastScheduled.adding(interval(for: t))
            states[t]?.nextDue = state.failures > 0 ? state.nextDue : min(state.nextDue, max(sooner, now))
        }
        dueNow(target, now: now)
        wake()
    }

    /// Polls these targets (default: every stage of the focused pipeline) at once.
    public func refreshNow(_ targets: [Target]? = nil) {
        let now = clock.instant()
        let chosen = targets ?? states.keys.filter { $0.pipeline == focus?.pipeline }
        for target in chosen { dueNow(target, now: now) }
        wake()
    }

    /// Stops starting requests (those in flight still report).
    public func pause() {
        paused = true
    }

    public func resume() {
        paused = false
        wake()
    }

    public var isPaused: Bool { paused }

    /// Adds targets (polled at once) and drops those no longer listed.
    public func setTargets(_ targets: [Target]) {
        let now = clock.instant()
        let wanted = Set(targets)
        for target in states.keys where !wanted.contains(target) { states[target] = nil }
        for target in targets where states[target] == nil { states[target] = TargetState(nextDue: now, lastScheduled: now) }
        if let f = focus, !wanted.contains(f) { focus = targets.first }
        wake()
    }

    /// When `target` is next due on the monotonic clock (nil when unknown).
    public func nextDue(_ target: Target) -> WatchInstant? { states[target]?.nextDue }

    /// Returns once no request is in flight and none is due at the clock's current time: lets
    /// a test that moves a manual clock know that the engine has done what that moment asks.
    public func waitUntilQuiet() async {
        if isQuiet { return }
        await withCheckedContinuation { quietWaiters.append($0) }
    }

    private var isQuiet: Bool {
        inFlight == 0 && (paused || !states.values.contains { $0.nextDue <= clock.instant() })
    }

    private func resumeQuietWaiters() {
        guard !quietWaiters.isEmpty, isQuiet else { return }
        let waiters = quietWaiters
        quietWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    private func dueNow(_ target: Target, now: WatchInstant) {
        guard var state = states[target], !state.inFlight else { return }
        let earliest = max(now, state.notBefore ?? now)
        state.nextDue = earliest
        state.lastScheduled = earliest
        states[target] = state
    }

    // MARK: The loop

    /// Polls until the calling task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = clock.instant()
                if !paused {
                    for target in dueTargets(at: now) {
                        guard inFlight < maxConcurrent else { break }
                        start(target, at: now, in: &group)
                    }
                }
                resumeQuietWaiters()
                await waitForWake(until: paused || inFlight >= maxConcurrent ? nil : nextWake())
            }
            group.cancelAll()
        }
        continuation.finish()
        let waiters = quietWaiters
        quietWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    private func dueTargets(at now: WatchInstant) -> [Target] {
        states.filter { !$0.value.inFlight && $0.value.nextDue <= now }
            .sorted { a, b in
                if (a.key == focus) != (b.key == focus) { return a.key == focus }
                if a.value.nextDue != b.value.nextDue { return a.value.nextDue < b.value.nextDue }
                return a.key < b.key
            }
            .map(\.key)
    }

    private func nextWake() -> WatchInstant? {
        states.values.filter { !$0.inFlight }.map(\.nextDue).min()
    }

    private func start(_ target: Target, at now: WatchInstant, in group: inout DiscardingTaskGroup) {
        states[target]?.inFlight = true
        inFlight += 1
        requestsStarted = requestsStarted.addingSaturating(1)
        peakConcurrency = max(peakConcurrency, inFlight)
        let source = self.source
        let clock = self.clock
        let timeout = requestTimeout
        group.addTask {
            let started = clock.now()
            let deadline = clock.instant().adding(timeout)
            let outcome: Result<[Job], SWRError>
            do {
                outcome = .success(try await Self.fetch(source: source, target: target, clock: clock, deadline: deadline))
            } catch let error as SWRError {
                outcome = .failure(error)
            } catch where !Task.isCancelled {
                // Any other error still counts as a failed attempt and backs off; retrying at once
                // would spin as long as the error lasts.
                outcome = .failure(.transport(String(describing: error)))
            } catch {
                await self.abandon(target)
                return
            }
            await self.complete(target, outcome: outcome, startedAt: started)
        }
    }

    /// The request, raced against the timeout on the injected (monotonic) clock.
    private static func fetch(source: any JobSource, target: Target, clock: any WatchClock, deadline: WatchInstant) async throws -> [Job] {
        try await withThrowingTaskGroup(of: [Job]?.self) { race in
            race.addTask { try await source.jobs(pipeline: target.pipeline, stage: target.stage) }
            race.addTask {
                try await clock.sleep(until: deadline)
                throw SWRError.timeout
            }
            defer { race.cancelAll() }
            guard let first = try await race.next(), let jobs = first else { throw SWRError.timeout }
            return jobs
        }
    }

    private func abandon(_ target: Target) {
        inFlight -= 1
        states[target]?.inFlight = false
        wake()
    }

    private func complete(_ target: Target, outcome: Result<[Job], SWRError>, startedAt: Date) {
        inFlight -= 1
        let now = clock.instant()
        let wallNow = clock.now()
        guard var state = states[target] else {
            wake()
            return
        }
        state.inFlight = false
        let interval = interval(for: target)
        switch outcome {
        case .success(let jobs):
            state.failures = 0
            state.notBefore = nil
            let newest = jobs.min(by: Job.newestFirst)
            if let newest, newest.state.isFinal, let previous = state.newest, previous.id == newest.id, previous.state == newest.state {
                state.unchangedFinished = state.unchangedFinished.addingSaturating(1)
            } else {
                state.unchangedFinished = newest?.state.isFinal == true ? 1 : 0
            }
            state.newest = newest.map { ($0.id, $0.state) }
            let settledInterval = self.interval(for: target, settled: state.unchangedFinished >= schedule.settleAfter)
            let next = Self.nextSlot(after: state.lastScheduled, every: settledInterval, now: now)
            state.lastScheduled = next
            state.nextDue = next
        case .failure(let error):
            state.failures = state.failures.addingSaturating(1)
            let wait = schedule.backoff(after: error, interval: interval, failures: state.failures, random: random.unit())
            let next = now.adding(wait)
            if case .rateLimited(_?, _) = error { state.notBefore = next } else { state.notBefore = nil }
            state.lastScheduled = next
            state.nextDue = next
        }
        states[target] = state
        resultsPublished = resultsPublished.addingSaturating(1)
        let nextPollAt = wallNow.addingTimeInterval(state.nextDue.seconds(since: now))
        continuation.yield(PollResult(target: target, outcome: outcome, startedAt: startedAt, endedAt: wallNow,
                                      nextPollAt: nextPollAt, failureStreak: state.failures))
        wake()
    }

    /// The first slot `last + k × interval` (k ≥ 1) after `now`: keeps a target on its beat
    /// after a slow answer, in one step however far behind it is (no loop, no overflow).
    static func nextSlot(after last: WatchInstant, every interval: TimeInterval, now: WatchInstant) -> WatchInstant {
        let next = last.adding(interval)
        guard next <= now else { return next }
        let behind = now.seconds(since: next)
        let steps = (behind / interval).rounded(.down) + 1
        let slot = next.adding(steps * interval)
        // Rounding in the division may land on `now` or just before it: one more step then.
        return slot > now ? slot : slot.adding(interval)
    }

    private func interval(for target: Target, settled: Bool? = nil) -> TimeInterval {
        let level: PollSchedule.FocusLevel = target == focus ? .focused : target.pipeline == focus?.pipeline ? .samePipeline : .other
        let isSettled = settled ?? ((states[target]?.unchangedFinished ?? 0) >= schedule.settleAfter)
        return schedule.interval(level: level, settled: isSettled)
    }

    // MARK: Waking

    private func wake() {
        wakeSignal.signal()
    }

    private func waitForWake(until deadline: WatchInstant?) async {
        await wakeSignal.wait(until: deadline, clock: clock)
    }
}
