import Foundation
import GRDB
import Synchronization
import SWRAPI
import SWRWatch

/// Records poll rounds in the history file, off the caller's thread.
///
/// The app loop calls `enqueue` (never blocks, never awaits the disk); the writer takes batches
/// one at a time and writes each in one transaction, on GRDB's writer queue. Only changes are
/// written: the writer remembers what the file holds for the jobs of each stage's latest answer
/// (read from the file the first time a job is seen), so an unchanged poll writes nothing and
/// opens no transaction.
///
/// - `last_seen` is refreshed lazily: when a job (or run) is seen and the file's `last_seen`
///   is `lastSeenRefresh` (10 minutes) old or more. It only matters to retention, measured in
///   days; refreshing it every poll would make an idle dashboard write all the time.
/// - A running job whose only change is its `duration` (it grows with the clock at every poll)
///   is written at most once every `durationRefresh` (a minute, by the answers' times): the
///   file's row and timeline then hold its duration in steps of a minute or more. Any other
///   change (state, progress, a new job, the job ending) is written with its batch, and the
///   held-back duration with it; `close()` writes the durations still held back, so the file
///   ends with what the session last saw.
/// - Retention (`HistorySettings.keepDays`, `maxJobsPerStage`) runs with the first batch and
///   then at most once an hour (by the batches' times), inside that batch's transaction.
/// - The queue holds at most `queueLimit` batches; beyond that the oldest is dropped. Nothing
///   is lost for good: the next answer of each stage is compared with the file again.
/// - On the first failure (disk full, read-only file, damaged file, a lock held too long) the
///   writer stops writing for the rest of the session and `failure` says what happened in
///   plain words; `enqueue` keeps returning at once.
public actor HistoryWriter {
    /// How old `last_seen` may get before a sighting refreshes it.
    public static let lastSeenRefresh: TimeInterval = 600
    /// How often a running job whose only change is its duration is written.
    public static let durationRefresh: TimeInterval = HistoryStore.runningClockRefresh
    /// How often retention runs.
    public static let pruneInterval: TimeInterval = 3600
    /// The most batches waiting; beyond that the oldest is dropped.
    public static let queueLimit = 256

    /// Counters for tests and measurements.
    public struct Statistics: Sendable, Equatable {
        /// Batches taken from the queue (written, found unchanged or skipped after a failure).
        public var batches = 0
        /// Transactions committed.
        public var transactions = 0
        /// Rows inserted, updated or deleted (SQLite's change count).
        public var rowsChanged = 0
        /// Batches dropped because the queue was full.
        public var dropped = 0
    }

    private enum Command: Sendable {
        case batch(HistoryBatch)
    }

    /// State shared with the caller's thread.
    private struct Shared {
        var enqueued = 0
        var done = 0
        var waiters: [(upTo: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var failure: HistoryError?
        var statistics = Statistics()

        mutating func finish(_ count: Int = 1) -> [CheckedContinuation<Void, Never>] {
            done += count
            var ready: [CheckedContinuation<Void, Never>] = []
            waiters.removeAll { waiter in
                guard waiter.upTo <= done else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
    }

    /// What the writer knows the file holds for one job.
    private struct Known {
        var rowID: Int64
        var values: StoredJob
        var lastSeen: Date
        /// Newer values seen but not written yet: only the running job's duration moved,
        /// within `durationRefresh` of the last write (`close()` writes them).
        var heldBack: HeldBack?
    }

    /// A running job's values whose duration alone is newer than the file's, and when they were seen.
    private struct HeldBack {
        var values: StoredJob
        var seen: Date
    }

    /// What the writer knows the file holds for a pipeline's latest run.
    private struct KnownRun {
        var startedAt: Date
        var status: PipelineStatus
        var lastSeen: Date
    }

    /// The file written to.
    public nonisolated let database: HistoryDatabase
    /// The endpoint key of every row written (`HistoryHost.key`).
    public nonisolated let host: String
    private nonisolated let retention: TimeInterval
    private nonisolated let inbox: AsyncStream<Command>.Continuation
    private nonisolated let shared = Mutex(Shared())

    /// Per stage, the jobs of its latest answer as the file holds them.
    private var known: [Target: [String: Known]] = [:]
    private var knownRuns: [Int: KnownRun] = [:]
    private var endpointID: Int64?
    private var lastPrune: Date?

    /// Starts a writer; call `close()` when done (it writes what is queued, then stops).
    /// - Parameters:
    ///   - database: the open file.
    ///   - host: `HistoryHost.key(endpoint:)` of the session's endpoint.
    ///   - settings: `keepDays` is used for retention.
    public init(database: HistoryDatabase, host: String, settings: HistorySettings = HistorySettings()) {
        self.database = database
        self.host = host
        self.retention = settings.retention
        let (stream, continuation) = AsyncStream<Command>.makeStream(bufferingPolicy: .bufferingNewest(Self.queueLimit))
        self.inbox = continuation
        Task { [self] in
            for await command in stream {
                switch command {
                case .batch(let batch): await self.process(batch)
                }
                for waiter in shared.withLock({ $0.finish() }) { waiter.resume() }
            }
        }
    }

    /// Hands a batch to the writer and returns at once.
    public nonisolated func enqueue(_ batch: HistoryBatch) {
        let ready = shared.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.enqueued += 1
            switch inbox.yield(.batch(batch)) {
            case .enqueued: return []
            case .dropped:
                s.statistics.dropped += 1
                return s.finish()
            case .terminated: return s.finish()
            @unknown default: return s.finish()
            }
        }
        for waiter in ready { waiter.resume() }
    }

    /// Waits until every batch enqueued before this call is written (or dropped, or skipped).
    public nonisolated func flush() async {
        await withCheckedContinuation { continuation in
            let ready = shared.withLock { s -> Bool in
                if s.done >= s.enqueued { return true }
                s.waiters.append((s.enqueued, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Writes what is queued and the durations held back (see `durationRefresh`), then stops
    /// taking batches (later ones are ignored). Closing again writes nothing more.
    public func close() async {
        await flush()
        inbox.finish()
        // A batch enqueued while the first flush returned is taken too; later ones are refused.
        await flush()
        await writeHeldBack()
    }

    /// The first failure, in plain words; `nil` while writing works. Once set, nothing more is
    /// written this session.
    public nonisolated var failure: HistoryError? { shared.withLock { $0.failure } }

    /// Counters so far.
    public nonisolated var statistics: Statistics { shared.withLock { $0.statistics } }

    // MARK: - Writing

    /// Writes, in one transaction, the newest values of the running jobs whose duration alone
    /// was held back since their last write (nothing when there are none or writing failed).
    private func writeHeldBack() async {
        guard shared.withLock({ $0.failure == nil }) else { return }
        var plan = WritePlan(host: host)
        for (target, jobs) in known.sorted(by: { ($0.key.pipeline, $0.key.stage) < ($1.key.pipeline, $1.key.stage) }) {
            for (id, job) in jobs.sorted(by: { $0.key < $1.key }) {
                guard let held = job.heldBack else { continue }
                plan.jobs.append(.init(target: target, jobID: id, values: held.values, seen: held.seen,
                                       observe: !job.values.sameTimeline(as: held.values)))
            }
        }
        guard !plan.isEmpty else { return }
        do {
            let outcome = try await commit(plan)
            for (write, rowID) in zip(plan.jobs, outcome.jobRowIDs) {
                known[write.target, default: [:]][write.jobID] = Known(rowID: rowID, values: write.values, lastSeen: write.seen)
            }
        } catch {
            stop(error)
        }
    }

    /// Performs `plan` in one transaction and counts it.
    private func commit(_ plan: WritePlan) async throws -> WritePlan.Outcome {
        let outcome = try await database.writer.write { db in try plan.apply(db) }
        shared.withLock {
            $0.statistics.transactions += 1
            $0.statistics.rowsChanged += outcome.changes
        }
        return outcome
    }

    /// Stops writing for the rest of the session after `error` (the first failure is kept).
    private func stop(_ error: any Error) {
        let failure = HistoryError(error, path: database.path, operation: .writing)
        shared.withLock { if $0.failure == nil { $0.failure = failure } }
        known = [:]
    }

    private func process(_ batch: HistoryBatch) async {
        shared.withLock { $0.statistics.batches += 1 }
        guard shared.withLock({ $0.failure == nil }) else { return }
        do {
            try await loadUnknownJobs(of: batch)
            var plan = WritePlan(host: host)
            if lastPrune.map({ batch.at.timeIntervalSince($0) >= Self.pruneInterval || batch.at < $0 }) ?? true {
                plan.pruneBefore = batch.at.addingTimeInterval(-retention)
            }
            var nextKnown = known
            addJobs(of: batch, to: &plan, known: &nextKnown)
            addRuns(of: batch, to: &plan)
            guard !plan.isEmpty else {
                known = nextKnown
                return
            }
            let outcome = try await commit(plan)
            endpointID = outcome.endpointID
            for (write, rowID) in zip(plan.jobs, outcome.jobRowIDs) {
                nextKnown[write.target, default: [:]][write.jobID] = Known(rowID: rowID, values: write.values, lastSeen: write.seen)
            }
            for run in plan.runs {
                knownRuns[run.pipeline] = KnownRun(startedAt: run.startedAt, status: run.status, lastSeen: run.seen)
            }
            if let cutoff = plan.pruneBefore {
                lastPrune = batch.at
                // What was last seen before the cut-off is gone from the file: forget it too
                // (a job seen again after retention is simply new).
                known = nextKnown.mapValues { $0.filter { $0.value.lastSeen >= cutoff } }
                knownRuns = knownRuns.filter { $0.value.lastSeen >= cutoff }
            } else {
                known = nextKnown
            }
        } catch {
            stop(error)
        }
    }

    /// Reads from the file the jobs of the batch the writer does not know yet (first sight in
    /// this session, or new to the stage's answer).
    private func loadUnknownJobs(of batch: HistoryBatch) async throws {
        var wanted: [Target: [String]] = [:]
        for result in batch.results {
            guard case .success(let jobs) = result.outcome else { continue }
            let stage = known[result.target]
            for job in Self.kept(jobs) where stage?[job.id] == nil {
                wanted[result.target, default: []].append(job.id)
            }
        }
        guard !wanted.isEmpty else { return }
        let asked = wanted
        let host = self.host
        let endpointID = self.endpointID
        let found = try await database.writer.read { db -> [Target: [String: Known]] in
            guard let endpoint = try endpointID ?? Int64.fetchOne(db, sql: "SELECT id FROM endpoint WHERE host = ?", arguments: [StoredText.encode(host)]) else {
                return [:]
            }
            var found: [Target: [String: Known]] = [:]
            for (target, ids) in asked {
                let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
                var arguments: StatementArguments = [endpoint, target.pipeline, target.stage]
                arguments += StatementArguments(ids.map { StoredText.encode($0) })
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT id, job_id, last_seen, state, raw_state, progress, duration, created_at, resource, creator
                    FROM job WHERE endpoint = ? AND pipeline = ? AND stage = ? AND job_id IN (\(marks))
                    """, arguments: arguments)
                while let row = try rows.next() {
                    let stored = StoredJob(row: row)
                    found[target, default: [:]][StoredText.decode(row["job_id"] as String)] = Known(
                        rowID: row["id"], values: stored, lastSeen: Date(timeIntervalSince1970: row["last_seen"])
                    )
                }
            }
            return found
        }
        for (target, jobs) in found {
            known[target, default: [:]].merge(jobs) { _, new in new }
        }
    }

    /// Adds the jobs of the batch's answers that differ from the file to `plan`; `known`
    /// becomes each answered stage's jobs as the file will hold them.
    private func addJobs(of batch: HistoryBatch, to plan: inout WritePlan, known: inout [Target: [String: Known]]) {
        for result in batch.results {
            guard case .success(let jobs) = result.outcome else { continue }
            let seen = result.endedAt
            let before = known[result.target] ?? [:]
            var after: [String: Known] = [:]
            after.reserveCapacity(jobs.count)
            var handled = Set<String>()
            // The first of duplicate ids wins (as the answer is newest first).
            for job in Self.kept(jobs) where handled.insert(job.id).inserted {
                let values = StoredJob(job)
                guard let old = before[job.id] else {
                    plan.jobs.append(.init(target: result.target, jobID: job.id, values: values, seen: seen, observe: true))
                    continue
                }
                if old.values.onlyDurationDiffers(from: values), !values.state.isFinal,
                   (0..<Self.durationRefresh).contains(seen.timeIntervalSince(old.lastSeen)) {
                    // Only the running clock moved: the file keeps the older duration for now
                    // (written with the job's next change, a minute after its last write, or at close).
                    var holding = old
                    holding.heldBack = HeldBack(values: values, seen: seen)
                    after[job.id] = holding
                } else if old.values != values {
                    // `after` gets the new values once the write succeeds.
                    plan.jobs.append(.init(target: result.target, jobID: job.id, values: values, seen: seen, observe: !old.values.sameTimeline(as: values)))
                } else if seen.timeIntervalSince(old.lastSeen) >= Self.lastSeenRefresh {
                    plan.touches.append(.init(rowID: old.rowID, seen: seen))
                    after[job.id] = Known(rowID: old.rowID, values: values, lastSeen: seen)
                } else {
                    // The file's values again: nothing is held back any more.
                    var same = old
                    same.heldBack = nil
                    after[job.id] = same
                }
            }
            known[result.target] = after
        }
    }

    /// Adds the runs whose status changed, or whose `last_seen` is due, to `plan`.
    private func addRuns(of batch: HistoryBatch, to plan: inout WritePlan) {
        for pipeline in batch.pipelines {
            guard let status = pipeline.status, let started = status.startTime else { continue }
            if let old = knownRuns[pipeline.id], old.startedAt == started, old.status == status,
               batch.at.timeIntervalSince(old.lastSeen) < Self.lastSeenRefresh {
                continue
            }
            plan.runs.append(.init(pipeline: pipeline.id, status: status, startedAt: started, seen: batch.at))
        }
    }

    /// The jobs of an answer that are recorded: the newest `HistoryStore.jobCap`, as the
    /// in-memory store keeps them (a server that sends 100,000 costs one sort).
    static func kept(_ jobs: [Job]) -> ArraySlice<Job> {
        guard jobs.count > HistoryStore.jobCap else { return jobs[...] }
        return jobs.sorted(by: Job.newestFirst).prefix(HistoryStore.jobCap)
    }
}
