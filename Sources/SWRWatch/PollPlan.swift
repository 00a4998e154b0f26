import Foundation
import SWRAPI

/// What the engine polls: a stage's job history, or a pipeline's detail (its run status).
public enum PollKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    case stage(Target)
    case detail(pipeline: Int)

    public var description: String {
        switch self {
        case .stage(let target): return "stage \(target)"
        case .detail(let id): return "detail \(id)"
        }
    }
}

/// The engine's schedule as a value: when each stage and pipeline detail is due, which of the due
/// ones start now (the request budget and their priority), and how every answer moves them on.
/// No I/O and no clock of its own: every method takes the monotonic `now`, so the rules are
/// tested by calling them (and the engine around it on a manual clock).
///
/// Run-aware (`runAware`, with pipeline details): each pipeline's detail is read at the base
/// interval when focused (five times slower while one of its jobs runs: the job's polls show the
/// run moving), else once per `schedule.cap` (the slow interval), and sooner when a stage's
/// running job ends. A stage polls at its focus level while the detail says the run is
/// in it or about to reach it (or its own newest job is unfinished); a stage the run has been
/// through since the last detail gets one last poll; the rest rest. Another pipeline's stage that
/// only waits for the run (the detail says "not reached", its newest job an earlier run's,
/// unchanged three answers running) settles, polled four times slower (capped): the run's
/// arrival changes the detail's word on it, and that polls it at once. The focused stage always
/// polls at the base interval; every stage is polled once at start. Without details, every
/// stage polls on the focus-level schedule (slower once settled).
///
/// The budget: no more than `budget.limit` requests start in any 60 s. Among due requests the
/// focused stage goes first, then its pipeline's detail and other stages, then any request whose
/// data is older than `maxAge` (a detail: three slow intervals; furthest past it first: nothing
/// starves), then what a run is in (its running and next stages, the details of pipelines whose
/// run goes on) and the first polls the screen needs, then the rest (idle pipelines' details,
/// stages polled by schedule only). Within each of the last two, by the age of their data times
/// the weight of their kind (details 10: one tells where a whole pipeline's run is; running
/// stages 3; a first poll 5; others 1), so a busy budget reads each kind about that much more
/// often. The focused pipeline's stages and detail always find room (`RequestBudget.reserve`);
/// the rest is paced, a few starts a second, so what comes due finds room within a second.
public struct PollPlan: Sendable {
    struct Entry: Sendable {
        var nextDue: WatchInstant
        var lastScheduled: WatchInstant
        /// When the latest request started (nil: never).
        var lastStarted: WatchInstant?
        var inFlight = false
        var failures = 0
        var notBefore: WatchInstant?
        var newestID: String?
        var newestState: JobState?
        var newestProgress: Int?
        var unchangedFinished = 0
        /// Answers in a row whose newest job was the same unfinished job, in the same state at
        /// the same progress, as the answer before.
        var unchangedRunning = 0
        /// From the latest detail of the stage's pipeline (nil: none yet).
        var activity: StageActivity?
        /// The detail's latest word on the stage, to notice a run that went through it.
        var seenStatus: StageStatus?
        /// The detail's latest run is at this stage (its `stage_index`), whatever its word.
        var runIsHere = false
        /// Whether the request now in flight waited on the budget (past its due time).
        var heldByBudget = false
        /// A detail's latest word: the pipeline's run goes on.
        var runGoing = false

        init(due: WatchInstant) {
            nextDue = due
            lastScheduled = due
        }

        var isResting: Bool { nextDue == .distantFuture }
        var newestIsUnfinished: Bool { newestState.map { !$0.isFinal } ?? false }

        /// The stage the run goes to next, waiting for it: the detail's word on it is "not
        /// reached", and `settleAfter` answers in a row showed the same finished newest job (an
        /// earlier run's; `unchangedFinished` counts only finished ones). The run's arrival shows
        /// in the detail first (its word or `stage_index` changes, and `applyStatus` polls the
        /// stage at once), so such a stage can settle.
        func waitsForTheRun(settleAfter: Int) -> Bool {
            guard !runIsHere, let word = seenStatus?.status.lowercased(), RunPosition.notReached.contains(word) else { return false }
            return unchangedFinished >= settleAfter
        }
    }

    public let schedule: PollSchedule
    public let runAware: Bool
    /// Data older than this (since its last request began) jumps the queue.
    public var maxAge: TimeInterval
    public private(set) var budget: RequestBudget?
    public private(set) var focus: Target?
    private(set) var entries: [PollKey: Entry] = [:]
    /// The last moment the budget kept a due request waiting.
    private var budgetBlockedAt: WatchInstant?
    private var random: SeededRandom

    /// - Parameters:
    ///   - runAware: read each pipeline's detail too and poll its stages by what it says.
    ///   - maxRequestsPerMinute: the budget; `nil` for none (tests of other rules, scripts).
    public init(targets: [Target], schedule: PollSchedule, runAware: Bool = false, maxRequestsPerMinute: Int? = nil,
                maxAge: TimeInterval = 600, seed: Int = 1, now: WatchInstant) {
        random = SeededRandom(seed, 4242)
        self.schedule = schedule
        self.runAware = runAware
        self.maxAge = maxAge.isFinite ? max(schedule.cap, maxAge) : 600
        budget = maxRequestsPerMinute.map(RequestBudget.init(perMinute:))
        focus = targets.first
        setTargets(targets, now: now)
    }

    // MARK: Commands

    /// Adds targets (due at once) and their pipelines' details, drops those no longer listed.
    public mutating func setTargets(_ targets: [Target], now: WatchInstant) {
        let wanted = Set(targets.map(PollKey.stage) + (runAware ? targets.map { PollKey.detail(pipeline: $0.pipeline) } : []))
        for key in entries.keys where !wanted.contains(key) { entries[key] = nil }
        // Details first: their answers decide how much the stages cost.
        for key in wanted.sorted() where entries[key] == nil { entries[key] = Entry(due: now) }
        if let f = focus, !targets.contains(f) { focus = targets.first }
    }

    /// Makes `target` the focused stage: due at once; every other request comes closer if the
    /// new focus shortens its interval.
    public mutating func setFocus(_ target: Target, now: WatchInstant) {
        focus = target
        if entries[.stage(target)] == nil { entries[.stage(target)] = Entry(due: now) }
        if runAware, entries[.detail(pipeline: target.pipeline)] == nil { entries[.detail(pipeline: target.pipeline)] = Entry(due: now) }
        for (key, entry) in entries where !entry.inFlight && entry.failures == 0 {
            guard let interval = interval(for: key) else { continue }
            let sooner = entry.isResting ? now : max(entry.lastScheduled.adding(interval), now)
            entries[key]?.nextDue = min(entry.nextDue, sooner)
        }
        dueNow(.stage(target), now: now)
    }

    /// Makes these requests due now (unless in flight, or a `Retry-After` still holds).
    public mutating func dueNow(_ key: PollKey, now: WatchInstant) {
        guard var entry = entries[key], !entry.inFlight else { return }
        let earliest = max(now, entry.notBefore ?? now)
        entry.nextDue = earliest
        entry.lastScheduled = earliest
        entries[key] = entry
    }

    /// Every stage key (for `refreshNow`).
    public var stageTargets: [Target] {
        entries.keys.compactMap { if case .stage(let t) = $0 { return t } else { return nil } }
    }

    /// When `key` is next due (nil: unknown; `distantFuture`: resting).
    public func nextDue(_ key: PollKey) -> WatchInstant? { entries[key]?.nextDue }

    /// Whether a request for `key` is in flight.
    public func isInFlight(_ key: PollKey) -> Bool { entries[key]?.inFlight ?? false }

    // MARK: Starting

    /// Picks what starts at `now` (at most `slots`), marks it in flight and records it on the
    /// budget. Returns the keys with whether each waited on the budget.
    public mutating func start(at now: WatchInstant, slots: Int) -> [(key: PollKey, heldByBudget: Bool)] {
        guard slots > 0 else { return [] }
        // With no room for the rest, only the foreground may start: the rest is not even ranked
        // (a busy budget with a thousand due requests asks this a few times a second).
        let backgroundRoom = budget.map { $0.canStart(at: now, reserve: $0.reserve(at: now), paced: true) } ?? true
        var backgroundWaits = false
        // The `slots` first by rank, in order (a partial selection: `slots` is small).
        var ordered: [(key: PollKey, rank: Double)] = []
        for (key, entry) in entries where !entry.inFlight && entry.nextDue <= now {
            guard backgroundRoom || isForeground(key) else {
                backgroundWaits = true
                continue
            }
            let candidate = (key: key, rank: rank(key, entry, now: now))
            guard ordered.count < slots || Self.precedes(candidate, ordered[ordered.count - 1]) else { continue }
            ordered.insert(candidate, at: ordered.firstIndex { Self.precedes(candidate, $0) } ?? ordered.count)
            if ordered.count > slots { ordered.removeLast() }
        }
        defer { if backgroundWaits { budgetBlockedAt = now } }
        var started: [(key: PollKey, heldByBudget: Bool)] = []
        for (key, _) in ordered {
            let background = !isForeground(key)
            if let budget, !budget.canStart(at: now, reserve: background ? budget.reserve(at: now) : 0, paced: background) {
                budgetBlockedAt = now
                break
            }
            budget?.record(at: now, paced: background)
            guard var entry = entries[key] else { continue }
            let overdue = now.seconds(since: entry.nextDue)
            entry.heldByBudget = overdue >= 1 && (budgetBlockedAt.map { $0 >= entry.nextDue } ?? false)
            entry.inFlight = true
            entry.lastStarted = now
            entries[key] = entry
            started.append((key, entry.heldByBudget))
        }
        return started
    }

    /// The order of due requests: smaller rank first, then by key (so ties are stable).
    private static func precedes(_ a: (key: PollKey, rank: Double), _ b: (key: PollKey, rank: Double)) -> Bool {
        a.rank != b.rank ? a.rank < b.rank : a.key < b.key
    }

    /// Records a request that is not the plan's own (a log, a page of the pipeline list) if the
    /// budget has room at `now`; returns whether it had.
    public mutating func admitOther(at now: WatchInstant) -> Bool {
        guard let budget else { return true }
        guard budget.canStart(at: now) else {
            budgetBlockedAt = now
            return false
        }
        self.budget?.record(at: now)
        return true
    }

    /// The focused pipeline's stages and detail: what the user looks at (the focused stage's
    /// jobs, the strip of its stages), never kept waiting by the rest (the budget keeps room for
    /// them, and does not pace them).
    func isForeground(_ key: PollKey) -> Bool {
        switch key {
        case .stage(let target): return target.pipeline == focus?.pipeline
        case .detail(let id): return id == focus?.pipeline
        }
    }

    /// The order of due requests (smaller first): the focused stage, its pipeline's detail and
    /// other stages, the starving (furthest past their bound first), then what comes first
    /// and the rest, each by weighted age.
    private func rank(_ key: PollKey, _ entry: Entry, now: WatchInstant) -> Double {
        if case .stage(let t) = key, t == focus { return -3e12 }
        if case .detail(let id) = key, id == focus?.pipeline { return -2e12 }
        if case .stage(let t) = key, t.pipeline == focus?.pipeline { return -1.5e12 }
        // Never asked: details first (their answers decide what the stages cost); a stage's
        // first poll shares the budget with the rest, weighted 5 by how long it has waited.
        if entry.lastStarted == nil, case .detail = key { return -1.3e12 }
        let age = now.seconds(since: entry.lastStarted ?? entry.lastScheduled)
        // Starving: the furthest past its own bound first, so a detail (three slow intervals)
        // is not kept behind stages only just past ten minutes.
        let bound = maxAge(of: key)
        if age > bound { return -1e12 - min(age / bound, 1e11) }
        // Weighted fair: among due requests, the one whose data is oldest for its weight. In a
        // busy minute each kind is then read about `weight` times as often as a kind of weight 1.
        let score = min(1e10, (max(0, age) + 0.001) * (entry.lastStarted == nil ? 5 : weight(key, entry)))
        // What a run is in, and the first polls the screen needs, come before the rest (idle
        // pipelines' details, stages polled only because their schedule says so).
        return comesFirst(key, entry) ? -1e11 - score : -score
    }

    /// How old `key`'s data may get before it jumps the queue: `maxAge`, but a pipeline's detail
    /// at most three slow intervals, so even when running stages fill the budget a run that
    /// starts on an idle pipeline is noticed within a few minutes (one idle detail is cheap).
    private func maxAge(of key: PollKey) -> TimeInterval {
        if case .detail = key { return min(maxAge, 3 * schedule.safeCap) }
        return maxAge
    }

    /// A stage the run is in or about to reach (or whose newest job is unfinished), a stage
    /// never polled, or the detail of a pipeline whose run goes on: what the budget serves
    /// before the rest.
    private func comesFirst(_ key: PollKey, _ entry: Entry) -> Bool {
        switch key {
        case .detail: return entry.runGoing
        case .stage: return entry.lastStarted == nil || entry.activity == .active || entry.newestIsUnfinished
        }
    }

    private func weight(_ key: PollKey, _ entry: Entry) -> Double {
        switch key {
        // One detail says where a whole pipeline's run is: worth several stage polls.
        case .detail: return 10
        case .stage: return entry.activity == .active || entry.newestIsUnfinished ? 3 : 1
        }
    }

    /// When the engine must look again: the earliest due time of what is not in flight, or,
    /// while the budget keeps due requests waiting, when it has room again. `nil`: nothing.
    public func nextWake(after now: WatchInstant) -> WatchInstant? {
        // One pass, no copies: the engine asks this after every answer and every wake.
        var later: WatchInstant?
        var anyDue = false
        var foreground = false
        for (key, entry) in entries where !entry.inFlight {
            let due = entry.nextDue
            if due <= now {
                anyDue = true
                if !foreground, isForeground(key) { foreground = true }
            } else if due != .distantFuture, later.map({ due < $0 }) ?? true {
                later = due
            }
        }
        guard anyDue else { return later }
        guard let budget else { return now }
        // Due now but maybe waiting on the budget (the foreground may use the reserve too), and
        // what comes due later may be able to start before that.
        let slot = budget.nextStart(after: now, reserve: foreground ? 0 : budget.reserve(at: now), paced: !foreground)
        guard slot > now else { return now }
        return later.map { min($0, slot) } ?? slot
    }

    // MARK: Answers

    /// A request ended without an answer (its task was cancelled): due again as it was.
    public mutating func abandon(_ key: PollKey) {
        entries[key]?.inFlight = false
    }

    /// Folds in a stage's answer; returns when it is due next and its failure streak.
    public mutating func completeStage(_ target: Target, outcome: Result<[Job], SWRError>, now: WatchInstant) -> (next: WatchInstant, failures: Int)? {
        let key = PollKey.stage(target)
        guard var entry = entries[key] else { return nil }
        entry.inFlight = false
        switch outcome {
        case .success(let jobs):
            let wasUnfinished = entry.newestIsUnfinished
            entry.failures = 0
            entry.notBefore = nil
            let newest = jobs.min(by: Job.newestFirst)
            let same = newest != nil && newest?.id == entry.newestID && newest?.state == entry.newestState
            if let newest, newest.state.isFinal, same {
                entry.unchangedFinished = entry.unchangedFinished.addingSaturating(1)
            } else {
                entry.unchangedFinished = newest?.state.isFinal == true ? 1 : 0
            }
            if let newest, !newest.state.isFinal, same, newest.progress == entry.newestProgress {
                entry.unchangedRunning = entry.unchangedRunning.addingSaturating(1)
            } else {
                entry.unchangedRunning = 0
            }
            entry.newestID = newest?.id
            entry.newestState = newest?.state
            entry.newestProgress = newest?.progress
            entries[key] = entry
            if let interval = interval(for: key) {
                let next = PollingEngine.nextSlot(after: entry.lastScheduled, every: interval, now: now)
                entry.lastScheduled = next
                entry.nextDue = next
            } else {
                entry.lastScheduled = now
                entry.nextDue = .distantFuture
            }
            // A running job ended: the run moved on, so its pipeline's detail is read soon, and
            // a stage that settled waiting for the run is polled now and at its level again.
            if runAware, wasUnfinished, newest?.state.isFinal == true {
                detailSoon(target.pipeline, now: now)
                unsettleWaiting(pipeline: target.pipeline, now: now)
            }
        case .failure(let error):
            fail(&entry, key: key, error: error, now: now)
        }
        entries[key] = entry
        return (entry.nextDue, entry.failures)
    }

    /// Folds in a pipeline detail: its stages' activities, then when the detail is due next.
    public mutating func completeDetail(_ id: Int, outcome: Result<Pipeline, SWRError>, now: WatchInstant) -> WatchInstant? {
        let key = PollKey.detail(pipeline: id)
        guard var entry = entries[key] else { return nil }
        entry.inFlight = false
        switch outcome {
        case .success(let pipeline):
            entry.failures = 0
            entry.notBefore = nil
            entry.runGoing = StageActivity.isRunning(pipeline.status)
            applyStatus(pipeline.status, pipeline: id, askedAt: entry.lastStarted ?? now, now: now)
            let interval = interval(for: key) ?? schedule.safeCap
            let next = PollingEngine.nextSlot(after: entry.lastScheduled, every: interval, now: now)
            entry.lastScheduled = next
            entry.nextDue = next
        case .failure(let error):
            fail(&entry, key: key, error: error, now: now)
        }
        entries[key] = entry
        return entry.nextDue
    }

    /// What a pipeline's run status means for its stages (see `StageActivity`).
    /// `askedAt`: when the detail was asked for; a stage polled since then already shows
    /// what the detail says.
    mutating func applyStatus(_ status: PipelineStatus?, pipeline id: Int, askedAt: WatchInstant, now: WatchInstant) {
        let activities = StageActivity.of(status)
        for (key, entry) in entries {
            guard case .stage(let target) = key, target.pipeline == id else { continue }
            var entry = entry
            let old = entry.activity
            let oldStatus = entry.seenStatus
            let wasHere = entry.runIsHere
            let activity = activities[target.stage] ?? .waiting
            let said = status.flatMap { $0.stages.indices.contains(target.stage) ? $0.stages[target.stage] : nil }
            entry.activity = activity
            entry.seenStatus = said
            entry.runIsHere = status?.stageIndex == target.stage && StageActivity.isRunning(status)
            entries[key] = entry
            defer { entries[key] = entry }
            guard !entry.inFlight, entry.failures == 0 else { continue }
            let level = self.interval(for: key)
            let polledSince = entry.lastStarted.map { $0 >= askedAt } ?? false
            switch activity {
            case .active:
                // A run reached it (or it was resting), or the run moved into it (the detail's
                // word on it changed, or its `stage_index` came here with the word still
                // "waiting": it may have settled while it waited): poll now, then at its level.
                let wordChanged = oldStatus != nil && oldStatus?.status.lowercased() != said?.status.lowercased()
                let arrived = entry.runIsHere && !wasHere
                if entry.isResting || ((old != .active || wordChanged || arrived) && !polledSince) {
                    entry.nextDue = max(now, entry.notBefore ?? now)
                    entry.lastScheduled = entry.nextDue
                }
            case .finished where old != nil && oldStatus != said && !polledSince:
                // The run went through it since the last detail: one last poll to record its final job.
                entry.nextDue = min(entry.nextDue, now)
                entry.lastScheduled = entry.nextDue
            default:
                // Nothing to follow here: rest once the first poll is done.
                if level == nil, entry.lastStarted != nil { entry.nextDue = .distantFuture }
            }
        }
    }

    /// The pipeline's stages that settled waiting for the run (`Entry.waitsForTheRun`) are due
    /// now and count their unchanged answers afresh: the run may be moving into one of them, and
    /// it must not wait for the detail to be seen.
    private mutating func unsettleWaiting(pipeline id: Int, now: WatchInstant) {
        for (key, entry) in entries {
            guard case .stage(let target) = key, target.pipeline == id, !entry.inFlight, entry.failures == 0,
                  entry.waitsForTheRun(settleAfter: schedule.settleAfter) else { continue }
            entries[key]?.unchangedFinished = 0
            entries[key]?.nextDue = min(entry.nextDue, now)
            entries[key]?.lastScheduled = min(entry.nextDue, now)
        }
    }

    /// The pipeline's detail is due now, unless it is in flight, failing, or was asked less
    /// than a base interval ago.
    private mutating func detailSoon(_ id: Int, now: WatchInstant) {
        let key = PollKey.detail(pipeline: id)
        guard let entry = entries[key], !entry.inFlight, entry.failures == 0 else { return }
        let earliest = entry.lastStarted.map { max(now, $0.adding(schedule.baseInterval)) } ?? now
        if earliest < entry.nextDue {
            entries[key]?.nextDue = earliest
            entries[key]?.lastScheduled = earliest
        }
    }

    private mutating func fail(_ entry: inout Entry, key: PollKey, error: SWRError, now: WatchInstant) {
        entry.failures = entry.failures.addingSaturating(1)
        let level = interval(for: key) ?? schedule.safeCap
        let wait = schedule.backoff(after: error, interval: level, failures: entry.failures, random: random.unit())
        let next = now.adding(wait)
        if case .rateLimited(let retryAfter, _) = error {
            budget?.rateLimited(retryAfter: retryAfter, at: now)
            entry.notBefore = retryAfter == nil ? nil : next
        } else {
            entry.notBefore = nil
        }
        entry.lastScheduled = next
        entry.nextDue = next
    }

    /// The requests a minute this schedule makes with no budget: 60 s over the interval of every
    /// healthy stage and detail that is not resting (a failing one waits on its backoff instead).
    public func wantedPerMinute() -> Int {
        var perMinute = 0.0
        for (key, entry) in entries where entry.failures == 0 && !entry.isResting {
            guard let interval = interval(for: key), interval > 0 else { continue }
            perMinute += 60 / interval
        }
        return Checked.int(perMinute.rounded(), in: 0...Int.max) ?? Int.max
    }

    /// How much slower the focused pipeline's detail is read while one of its jobs runs.
    static let focusedDetailFactorWhileRunning = 5.0

    /// Whether a healthy stage of the pipeline last showed a building newest job (one whose
    /// polls show the run move). Not a waiting or unknown one, nor a stage whose polls fail: a
    /// job stuck there must not keep the detail slow.
    func hasUnfinishedJob(pipeline id: Int) -> Bool {
        entries.contains { key, entry in
            if case .stage(let target) = key, target.pipeline == id { return entry.failures == 0 && entry.newestState == .building }
            return false
        }
    }

    /// The interval `key` polls at now; `nil`: it rests until a detail or the focus says otherwise.
    func interval(for key: PollKey, settled: Bool? = nil) -> TimeInterval? {
        switch key {
        case .detail(let id):
            guard id == focus?.pipeline else { return schedule.safeCap }
            // While one of its jobs runs (and is polled), the job's end brings the detail forward
            // (`detailSoon`): reading it at the base interval too would only repeat it.
            let factor = hasUnfinishedJob(pipeline: id) ? Self.focusedDetailFactorWhileRunning : 1
            return PollSchedule.bounded(schedule.baseInterval * factor, cap: schedule.safeCap)
        case .stage(let target):
            let level: PollSchedule.FocusLevel = target == focus ? .focused : target.pipeline == focus?.pipeline ? .samePipeline : .other
            if level == .focused { return schedule.interval(level: .focused, settled: false) }
            guard let entry = entries[key] else { return schedule.interval(level: level, settled: false) }
            let stalled = entry.unchangedRunning >= schedule.stallAfter
            guard runAware, let activity = entry.activity else {
                let isSettled = settled ?? (entry.unchangedFinished >= schedule.settleAfter)
                return schedule.interval(level: level, settled: isSettled, stalled: stalled)
            }
            if activity == .active || entry.newestIsUnfinished {
                return schedule.interval(level: level, settled: level == .other && entry.waitsForTheRun(settleAfter: schedule.settleAfter),
                                         stalled: stalled)
            }
            return nil
        }
    }
}
