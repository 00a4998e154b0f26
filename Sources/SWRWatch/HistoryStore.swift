import DequeModule
import Foundation
import SWRAPI

/// The diffing store: the latest job list per stage, a bounded timeline per job, and a bounded
/// log of notable changes. `apply` is pure (no I/O, no clock) and costs O(jobs in the answer).
///
/// Caps (memory stays bounded however long swr-top runs, and however much a server sends):
/// - a stage keeps its newest `jobCap` (200) jobs of an answer; older ones are dropped from the
///   stored list without being reported as gone (they are still in the server's history);
/// - a job's timeline keeps its newest `timelineCap` (256) observations;
/// - the event log keeps the newest `eventCap` (1,000) changes;
/// - a stage remembers its newest `goneCap` (50) jobs that left the history; their timelines go
///   when they leave that ring;
/// - poll times for the requests-per-minute figure: the newest `pollTimeCap` (4,096).
public struct HistoryStore: Sendable {
    /// The most jobs kept per stage: the newest 200 of an answer (sorted newest first). The
    /// service's own history is a few dozen executions; a server that sends 100,000 costs one
    /// sort, not 100,000 timelines.
    public static let jobCap = 200
    public static let timelineCap = 256
    /// A running job whose duration alone moved (its clock, every answer) gets a timeline row
    /// at most this often: a row per poll said the same thing again and again. The history
    /// file writes such a change as rarely (`HistoryWriter.durationRefresh` is this).
    public static let runningClockRefresh: TimeInterval = 60
    public static let eventCap = 1000
    public static let goneCap = 50
    public static let pollTimeCap = 4096

    /// What the store knows of one stage.
    public struct StageRecord: Sendable {
        /// Newest first (`created_at`, then id), at most `jobCap`. Kept when a poll fails.
        public var jobs: [Job] = []
        /// How many older jobs the latest good answer held beyond `jobCap` (not kept).
        public var omittedJobs = 0
        public var lastGoodPoll: Date?
        /// Set while the jobs shown come from the history file (an earlier session) and no poll
        /// of this session has answered yet: when that session last saw them.
        public var fromHistory: Date?
        /// The error of the latest poll; `nil` once a poll succeeds again.
        public var error: SWRError?
        public var nextPollAt: Date?
        public var failureStreak = 0
        /// Whether the latest poll started late because the request budget was full.
        public var heldByBudget = false
        /// Jobs that left the history (newest last), with when they went.
        public var gone = Ring<(id: String, at: Date)>(capacity: HistoryStore.goneCap)
        /// The basis of "usual" when the history file gave one (`seedUsual`): the stage's newest
        /// successful jobs across sessions, newest first, with those this session sees succeed
        /// merged in as they do. `nil` without history ("usual" is then the median of `jobs`).
        public var usualBasis: [UsualSample]?

        /// True when the data shown is older than the latest attempt (the last poll failed).
        public var isStale: Bool { error != nil }
    }

    public private(set) var stages: [Target: StageRecord] = [:]
    private var timelines: [JobRef: Ring<Observation>] = [:]
    public private(set) var events = Ring<JobChange>(capacity: HistoryStore.eventCap)
    private var pollTimes = Ring<Date>(capacity: HistoryStore.pollTimeCap)

    public init() {}

    /// Folds one poll result in and returns what changed. The first good answer of a stage is
    /// its baseline: its jobs get timelines but no `appeared` changes.
    @discardableResult
    public mutating func apply(_ result: PollResult) -> [JobChange] {
        let target = result.target
        let at = result.endedAt
        // Taken out (not copied) so its arrays and rings are uniquely held and change in place.
        var record = stages.removeValue(forKey: target) ?? StageRecord()
        record.nextPollAt = result.nextPollAt
        record.failureStreak = result.failureStreak
        record.heldByBudget = result.heldByBudget
        pollTimes.append(at)
        var changes: [JobChange] = []
        var refreshUsual = false

        switch result.outcome {
        case .failure(let error):
            if record.error != error {
                changes.append(JobChange(at: at, target: target, kind: .targetFailed(error)))
            }
            record.error = error
        case .success(let answer):
            if record.error != nil {
                changes.append(JobChange(at: at, target: target, kind: .targetRecovered))
            }
            record.error = nil
            record.fromHistory = nil
            let isBaseline = record.lastGoodPoll == nil
            refreshUsual = isBaseline
            record.lastGoodPoll = at
            let sorted = Self.sortedNewestFirst(answer)
            let jobs = sorted.count > Self.jobCap ? Array(sorted.prefix(Self.jobCap)) : sorted
            let beyondCap = sorted.dropFirst(Self.jobCap)
            record.omittedJobs = beyondCap.count
            if !isBaseline, Self.sameIDs(jobs, record.jobs) {
                // Fast path, most polls: the same jobs in the same order. Only the jobs whose
                // values changed cost a lookup (an unchanged job's timeline already ends with them).
                let old = record.jobs
                for i in jobs.indices where !Self.sameValues(old[i], jobs[i]) {
                    diff(old[i], jobs[i], target: target, at: at, into: &changes)
                    observe(jobs[i], target: target, at: at)
                }
                record.jobs = jobs
                break
            }
            var previous: [String: Job] = [:]
            previous.reserveCapacity(record.jobs.count)
            for job in record.jobs { previous[job.id] = job }
            // A full list's oldest job: anything older that shows up now was beyond the cap
            // before (pushed back in by a job that left), not new.
            let oldestKept = record.jobs.count >= Self.jobCap ? record.jobs.last : nil
            for job in jobs {
                if let old = previous.removeValue(forKey: job.id) {
                    // On a baseline, `old` is what the history file held: not a change seen now.
                    if !isBaseline { diff(old, job, target: target, at: at, into: &changes) }
                } else if !isBaseline, oldestKept.map({ Job.newestFirst(job, $0) }) ?? true {
                    changes.append(JobChange(at: at, target: target, kind: .appeared(job)))
                    removeFromGone(job.id, in: &record)
                }
                observe(job, target: target, at: at)
            }
            // Jobs pushed beyond the cap by newer ones are still in the history: not gone, just
            // no longer kept (their timelines go with them).
            if !previous.isEmpty, !beyondCap.isEmpty {
                for job in beyondCap where previous.removeValue(forKey: job.id) != nil {
                    timelines[JobRef(target: target, jobID: job.id)] = nil
                    if previous.isEmpty { break }
                }
            }
            // Seeded jobs the first answer no longer holds: forgotten quietly, timelines too.
            if isBaseline {
                for old in record.jobs where previous[old.id] != nil { timelines[JobRef(target: target, jobID: old.id)] = nil }
            }
            for old in record.jobs where !isBaseline && previous[old.id] != nil {
                changes.append(JobChange(at: at, target: target, kind: .disappeared(jobID: old.id)))
                if record.gone.count == Self.goneCap, let evicted = record.gone.first {
                    timelines[JobRef(target: target, jobID: evicted.id)] = nil
                }
                record.gone.append((old.id, at))
            }
            record.jobs = jobs
        }
        if let basis = record.usualBasis, refreshUsual || changes.contains(where: \.mayChangeUsual) {
            record.usualBasis = UsualSample.merge(basis, record.jobs, seenAt: at, cap: Self.usualHistorySamples)
        }
        stages[target] = record
        for change in changes where change.isNotable { events.append(change) }
        return changes
    }

    /// Fills a stage no poll of this session has answered with what an earlier session saw (the
    /// history file): its jobs, newest first, and their timelines, marked `fromHistory` until
    /// the first poll answers. That poll is still the baseline (no changes reported) and
    /// replaces the jobs; the timelines go on. Caps apply as to any answer.
    public mutating func seed(_ target: Target, jobs: [Job], timelines: [String: [Observation]], seenAt: Date) {
        guard stages[target]?.lastGoodPoll == nil else { return }
        var record = stages[target] ?? StageRecord()
        record.jobs = Array(Self.sortedNewestFirst(jobs).prefix(Self.jobCap))
        record.fromHistory = seenAt
        for job in record.jobs {
            var ring = Ring<Observation>(capacity: Self.timelineCap)
            for observation in (timelines[job.id] ?? []).suffix(Self.timelineCap) { ring.appendIfNew(observation) }
            if ring.count > 0 { self.timelines[JobRef(target: target, jobID: job.id)] = ring }
        }
        stages[target] = record
    }

    /// Sets a stage's basis of "usual" from the history file (its newest successful jobs across
    /// sessions, newest first); the successful jobs the store already holds are merged in.
    public mutating func seedUsual(_ target: Target, samples: [UsualSample], seenAt: Date) {
        var record = stages[target] ?? StageRecord()
        record.usualBasis = UsualSample.merge(samples, record.jobs, seenAt: seenAt, cap: Self.usualHistorySamples)
        stages[target] = record
    }

    /// The changes from `old` to `job` (same id).
    private func diff(_ old: Job, _ job: Job, target: Target, at: Date, into changes: inout [JobChange]) {
        if old.state != job.state {
            changes.append(JobChange(at: at, target: target, kind: .stateChanged(jobID: job.id, from: old.state, to: job.state)))
        }
        if old.progress != job.progress {
            changes.append(JobChange(at: at, target: target, kind: .progressChanged(jobID: job.id, from: old.progress, to: job.progress)))
        }
        if old.duration != job.duration {
            changes.append(JobChange(at: at, target: target, kind: .durationChanged(jobID: job.id, from: old.duration, to: job.duration)))
        }
    }

    /// Appends an observation to the job's timeline when its values differ from the last one
    /// (mutated in place: no copy of the ring).
    private mutating func observe(_ job: Job, target: Target, at: Date) {
        // One hash lookup, the ring changed in place.
        timelines[JobRef(target: target, jobID: job.id), default: Ring(capacity: Self.timelineCap)].appendIfChanged(Observation(job, at: at))
    }

    static func sameValues(_ a: Job, _ b: Job) -> Bool {
        a.state == b.state && a.progress == b.progress && a.duration == b.duration
    }

    /// The answer newest first; already-sorted answers (the usual case) are not sorted again.
    static func sortedNewestFirst(_ jobs: [Job]) -> [Job] {
        isNewestFirst(jobs) ? jobs : jobs.sorted(by: Job.newestFirst)
    }

    /// Whether no job is newer than the one before it: compares creation times directly (a
    /// `Date?` is cheap to read, a whole `Job` is not) and falls back to `Job.newestFirst` on ties.
    static func isNewestFirst(_ jobs: [Job]) -> Bool {
        jobs.withUnsafeBufferPointer { buffer in
            for i in buffer.indices.dropFirst() {
                switch (buffer[i].createdAt, buffer[i - 1].createdAt) {
                case let (x?, y?) where x != y: if x > y { return false }
                case (.some, nil): return false
                case (nil, .some): continue
                default: if Job.newestFirst(buffer[i], buffer[i - 1]) { return false }
                }
            }
            return true
        }
    }

    /// Whether both lists hold the same job ids in the same order.
    static func sameIDs(_ a: [Job], _ b: [Job]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in !pa.indices.contains { pa[$0].id != pb[$0].id } }
        }
    }

    private func removeFromGone(_ id: String, in record: inout StageRecord) {
        guard record.gone.elements.contains(where: { $0.id == id }) else { return }
        var kept = Ring<(id: String, at: Date)>(capacity: Self.goneCap)
        for entry in record.gone.elements where entry.id != id { kept.append(entry) }
        record.gone = kept
    }

    /// The observed timeline of a job, oldest first.
    public func timeline(_ target: Target, jobID: String) -> [Observation] {
        timelines[JobRef(target: target, jobID: jobID)].map { Array($0.elements) } ?? []
    }

    /// The observed timeline of a job as kept, oldest first (no copy).
    func observations(_ target: Target, jobID: String) -> Deque<Observation> {
        timelines[JobRef(target: target, jobID: jobID)]?.elements ?? []
    }

    /// How many observations a job's timeline holds.
    public func observationCount(_ target: Target, jobID: String) -> Int {
        timelines[JobRef(target: target, jobID: jobID)]?.count ?? 0
    }

    /// How many timelines are held (for the memory caps).
    public var timelineCount: Int { timelines.count }

    /// Counts a request that is not a job-history poll (a log, a pipeline detail, a list page),
    /// so the requests-per-minute figure covers everything sent to the service.
    public mutating func countRequest(at time: Date) {
        pollTimes.append(time)
    }

    /// Requests (polls and those counted with `countRequest`) that ended in the 60 seconds before `now`.
    ///
    /// Times are wall-clock and counted newest first until one falls outside the minute around
    /// `now`: after the wall clock is set forward, older requests are before the window; after it
    /// is set back, they are far after it (more than a minute ahead of `now`) — either way the
    /// count stops there instead of reporting every request held.
    public func requestsPerMinute(now: Date) -> Int {
        let since = now.addingTimeInterval(-60)
        // Answers that ended a little after the frame's `now` still count.
        let until = now.addingTimeInterval(60)
        var count = 0
        for time in pollTimes.elements.reversed() {
            if time <= since || time > until { break }
            count += 1
        }
        return count
    }

    public subscript(target: Target) -> StageRecord? { stages[target] }

    /// The newest job of a stage (its summary's `current`), read without copying its record.
    public func newestJob(_ target: Target) -> Job? { stages[target]?.jobs.first }
}

extension Ring where Element == Observation {
    /// Appends `observation` unless the newest one already has its values, or only a running
    /// job's clock moved (its duration alone) within `HistoryStore.runningClockRefresh` after
    /// it (a wall clock set back starts the minute again, as the history file's writer does).
    mutating func appendIfChanged(_ observation: Observation) {
        if let last, !observation.state.isFinal, last.state == observation.state, last.progress == observation.progress,
           (0..<HistoryStore.runningClockRefresh).contains(observation.at.timeIntervalSince(last.at)) {
            return
        }
        appendIfNew(observation)
    }

    /// Appends `observation` unless the newest one already has its values: for rows read back
    /// from the history file, which keep every row it holds.
    mutating func appendIfNew(_ observation: Observation) {
        if let last, last.sameValues(as: observation) { return }
        append(observation)
    }
}
