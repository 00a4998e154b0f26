import Foundation
import SWRAPI

/// Polls stage job histories (and, run-aware, pipeline details) on a schedule and publishes every
/// answer: stages as `PollResult`s on `results`, details as `DetailResult`s on `details`.
///
/// - The rules of what is due and what starts first live in `PollPlan` (a value): the focused
///   stage polls at the base interval, its siblings at 2×, other pipelines at 5×; settled stages
///   (finished newest job, unchanged) and stalled ones (a running job whose answer stays the
///   same) slow further, capped at 60 s. With a `DetailSource` the
///   engine is run-aware: idle pipelines cost one detail call per slow interval, stages rest
///   unless the run is in them (see `PollPlan`).
/// - With `maxRequestsPerMinute`, no more than that many requests start in any 60 s, the
///   engine's own and those admitted through `admit()` (logs, list pages) together; 429 answers
///   shrink it for a while.
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
    /// Every pipeline detail read (run-aware engines only). Finishes when `run()` returns.
    public nonisolated let details: AsyncStream<DetailResult>
    private let detailContinuation: AsyncStream<DetailResult>.Continuation
    private let source: any JobSource
    private let detailSource: (any DetailSource)?
    private let clock: any WatchClock
    private var plan: PollPlan
    private let maxConcurrent: Int
    private let requestTimeout: TimeInterval
    private var paused = false
    private var inFlight = 0
    private let wakeSignal = WakeSignal()
    /// Requests from outside (`admit()`) waiting for the budget, first come first served.
    private var admissions: [CheckedContinuation<Void, Never>] = []

    /// Requests started so far, and the most ever in flight at once (for tests and the header).
    public private(set) var requestsStarted = 0
    public private(set) var peakConcurrency = 0
    /// Results put on `results` so far.
    public private(set) var resultsPublished = 0
    private var quietWaiters: [CheckedContinuation<Void, Never>] = []
    private var loopEnded = false
    private var wantedCache: (at: WatchInstant, value: Int)?

    /// - Parameters:
    ///   - details: where pipeline details come from; with it the engine is run-aware.
    ///   - maxRequestsPerMinute: the request budget (`nil`: none).
    public init(
        source: any JobSource, details: (any DetailSource)? = nil, clock: any WatchClock, targets: [Target], schedule: PollSchedule,
        maxConcurrent: Int = 8, requestTimeout: TimeInterval = 10, maxRequestsPerMinute: Int? = nil, seed: Int = 1
    ) {
        self.source = source
        self.detailSource = details
        self.clock = clock
        self.maxConcurrent = max(1, maxConcurrent)
        // NaN would time out every request at once; a negative timeout does so on purpose.
        self.requestTimeout = requestTimeout.isNaN ? 10 : requestTimeout
        (results, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        (self.details, detailContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        plan = PollPlan(targets: targets, schedule: schedule, runAware: details != nil, maxRequestsPerMinute: maxRequestsPerMinute,
                        seed: seed, now: clock.instant())
    }

    // MARK: Commands

    /// Makes `target` the focused stage and polls it at once.
    public func setFocus(_ target: Target) {
        plan.setFocus(target, now: clock.instant())
        wake()
    }

    /// Polls these targets (default: every stage of the focused pipeline, and its detail) at once.
    public func refreshNow(_ targets: [Target]? = nil) {
        let now = clock.instant()
        let chosen = targets ?? plan.stageTargets.filter { $0.pipeline == plan.focus?.pipeline }
        for target in chosen { plan.dueNow(.stage(target), now: now) }
        for id in Set(chosen.map(\.pipeline)) { plan.dueNow(.detail(pipeline: id), now: now) }
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
        plan.setTargets(targets, now: clock.instant())
        wake()
    }

    /// When `target` is next due on the monotonic clock (nil when unknown; `distantFuture` while it rests).
    public func nextDue(_ target: Target) -> WatchInstant? { plan.nextDue(.stage(target)) }

    /// When a pipeline's detail is next due (run-aware engines).
    public func nextDetailDue(_ pipeline: Int) -> WatchInstant? { plan.nextDue(.detail(pipeline: pipeline)) }

    /// The request budget now: its effective limit and what the last 60 s used (nil: no budget).
    public var budgetReading: BudgetReading? {
        let now = clock.instant()
        guard let budget = plan.budget else { return nil }
        return BudgetReading(used: budget.used(at: now), limit: budget.limit(at: now), configured: budget.configured,
                             wanted: wantedPerMinute(at: now))
    }

    /// `plan.wantedPerMinute()` (a pass over every target), worked out at most once a second:
    /// it is a rough figure for the header, and every answer carries it.
    private func wantedPerMinute(at now: WatchInstant) -> Int {
        if let cached = wantedCache, now >= cached.at, now.seconds(since: cached.at) < 1 { return cached.value }
        let value = plan.wantedPerMinute()
        wantedCache = (now, value)
        return value
    }

    /// Waits until the budget has room for one request that is not the engine's own (the open
    /// log, a page of the pipeline list), and counts it. Returns at once without a budget, and
    /// when the engine stops.
    public func admit() async {
        if admissions.isEmpty, plan.admitOther(at: clock.instant()) {
            requestsStarted = requestsStarted.addingSaturating(1)
            return
        }
        // The loop grants it when the budget has room (it runs only once this call suspends,
        // so the waiter is queued before it looks).
        wake()
        await withCheckedContinuation { admissions.append($0) }
    }

    /// Returns once the loop has looked at the clock's current time (after every command sent
    /// before this call) and no request is in flight and none is due (or every due one waits on
    /// the budget): lets a test that moves a manual clock know that the engine has done what
    /// that moment asks. `run()` must be running (or about to): this waits for its loop. Returns
    /// at once when the loop has ended.
    public func waitUntilQuiet() async {
        if loopEnded { return }
        wake()
        await withCheckedContinuation { quietWaiters.append($0) }
    }

    private var isQuiet: Bool {
        let now = clock.instant()
        guard inFlight == 0 else { return false }
        if paused { return true }
        guard let wake = plan.nextWake(after: now) else { return true }
        return wake > now
    }

    private func resumeQuietWaiters() {
        guard !quietWaiters.isEmpty, isQuiet else { return }
        let waiters = quietWaiters
        quietWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    // MARK: The loop

    /// Polls until the calling task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = clock.instant()
                while !admissions.isEmpty, plan.admitOther(at: now) {
                    requestsStarted = requestsStarted.addingSaturating(1)
                    admissions.removeFirst().resume()
                }
                if !paused {
                    for (key, held) in plan.start(at: now, slots: maxConcurrent - inFlight) {
                        start(key, heldByBudget: held, in: &group)
                    }
                }
                resumeQuietWaiters()
                var deadline = paused || inFlight >= maxConcurrent ? nil : plan.nextWake(after: now)
                if !admissions.isEmpty, let budget = plan.budget {
                    let slot = budget.nextStart(after: now)
                    deadline = deadline.map { min($0, slot) } ?? slot
                }
                await waitForWake(until: deadline)
            }
            group.cancelAll()
        }
        loopEnded = true
        wakeSignal.cancelTimer()
        continuation.finish()
        detailContinuation.finish()
        let waiters = quietWaiters + admissions
        quietWaiters = []
        admissions = []
        for waiter in waiters { waiter.resume() }
    }

    private func start(_ key: PollKey, heldByBudget: Bool, in group: inout DiscardingTaskGroup) {
        inFlight += 1
        requestsStarted = requestsStarted.addingSaturating(1)
        peakConcurrency = max(peakConcurrency, inFlight)
        let source = self.source
        let detailSource = self.detailSource
        let clock = self.clock
        let timeout = requestTimeout
        // A source that ends its requests by the timeout itself (`SWRClient` on the production
        // transport) is not raced again: that would cost two more tasks and a timer per request.
        let bound = Duration.milliseconds(Int64(clampingDouble: timeout * 1000))
        let jobsBounded = source.requestBound.map { $0 <= bound } ?? false
        let detailsBounded = detailSource?.requestBound.map { $0 <= bound } ?? false
        group.addTask {
            let started = clock.now()
            let deadline = clock.instant().adding(timeout)
            switch key {
            case .stage(let target):
                let outcome: Result<[Job], SWRError>
                do {
                    outcome = .success(try await Self.race(clock: clock, deadline: deadline, unless: jobsBounded) {
                        try await source.jobs(pipeline: target.pipeline, stage: target.stage)
                    })
                } catch let error as SWRError {
                    outcome = .failure(error)
                } catch where !Task.isCancelled {
                    // Any other error still counts as a failed attempt and backs off; retrying at once
                    // would spin as long as the error lasts.
                    outcome = .failure(.transport(String(describing: error)))
                } catch {
                    await self.abandon(key)
                    return
                }
                await self.complete(target, outcome: outcome, startedAt: started, heldByBudget: heldByBudget)
            case .detail(let id):
                guard let detailSource else {
                    await self.abandon(key)
                    return
                }
                let outcome: Result<Pipeline, SWRError>
                do {
                    outcome = .success(try await Self.race(clock: clock, deadline: deadline, unless: detailsBounded) { try await detailSource.pipeline(id: id) })
                } catch let error as SWRError {
                    outcome = .failure(error)
                } catch where !Task.isCancelled {
                    outcome = .failure(.transport(String(describing: error)))
                } catch {
                    await self.abandon(key)
                    return
                }
                await self.completeDetail(id, outcome: outcome)
            }
        }
    }

    /// The request, raced against the timeout on the injected (monotonic) clock; `unless` the
    /// request ends by then anyway.
    private static func race<Value: Sendable>(clock: any WatchClock, deadline: WatchInstant, unless bounded: Bool,
                                              _ request: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if bounded { return try await request() }
        return try await withThrowingTaskGroup(of: Value?.self) { race in
            race.addTask { try await request() }
            race.addTask {
                try await clock.sleep(until: deadline)
                throw SWRError.timeout
            }
            defer { race.cancelAll() }
            guard let first = try await race.next(), let value = first else { throw SWRError.timeout }
            return value
        }
    }

    private func abandon(_ key: PollKey) {
        inFlight -= 1
        plan.abandon(key)
        wake()
    }

    private func complete(_ target: Target, outcome: Result<[Job], SWRError>, startedAt: Date, heldByBudget: Bool) {
        inFlight -= 1
        let now = clock.instant()
        let wallNow = clock.now()
        guard let (next, failures) = plan.completeStage(target, outcome: outcome, now: now) else {
            wake()
            return
        }
        resultsPublished = resultsPublished.addingSaturating(1)
        // A resting stage is due at no time: `distantFuture` (the screen shows no countdown).
        let nextPollAt = next == .distantFuture ? Date.distantFuture : wallNow.addingTimeInterval(next.seconds(since: now))
        continuation.yield(PollResult(target: target, outcome: outcome, startedAt: startedAt, endedAt: wallNow,
                                      nextPollAt: nextPollAt, failureStreak: failures, heldByBudget: heldByBudget,
                                      budget: budgetReading))
        wake()
    }

    private func completeDetail(_ id: Int, outcome: Result<Pipeline, SWRError>) {
        inFlight -= 1
        let now = clock.instant()
        guard plan.completeDetail(id, outcome: outcome, now: now) != nil else {
            wake()
            return
        }
        detailContinuation.yield(DetailResult(pipeline: id, outcome: outcome, at: clock.now()))
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

    // MARK: Waking

    private func wake() {
        wakeSignal.signal()
    }

    private func waitForWake(until deadline: WatchInstant?) async {
        await wakeSignal.wait(until: deadline, clock: clock)
    }
}
