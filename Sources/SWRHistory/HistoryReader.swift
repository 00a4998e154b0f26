import Foundation
import GRDB
import SWRAPI
import SWRWatch

/// Questions to the history file about one endpoint. Each call is one read transaction on a
/// reader connection (WAL: it never waits for the writer, and sees only committed rounds);
/// none takes a clock (`now` is passed), so answers are deterministic.
public struct HistoryReader: Sendable {
    /// How many successful jobs "usual" is taken from, unless asked otherwise.
    public static let usualSamples = HistoryStore.usualHistorySamples
    /// How many jobs the history pane's bar chart shows.
    public static let recentLimit = 100

    public let database: HistoryDatabase
    /// `HistoryHost.key(endpoint:)` of the endpoint asked about.
    public let host: String

    public init(database: HistoryDatabase, host: String) {
        self.database = database
        self.host = host
    }

    /// The stages with stored jobs, in order (for a start-up that does not know its stages yet).
    public func knownTargets() async throws(HistoryError) -> [Target] {
        try await read([]) { db, endpoint in try HistoryQueries.targets(db, endpoint: endpoint) }
    }

    /// The newest jobs of each stage and their timelines, to fill the in-memory store before
    /// the first poll (see `KnownStage`). Stages with nothing stored are left out.
    /// - Parameters:
    ///   - targets: the stages to load; `nil` for every stage of the endpoint.
    ///   - jobsPerStage: at most this many jobs per stage (newest first).
    ///   - timelines: which jobs' timelines come along.
    public func lastKnown(targets: [Target]? = nil, jobsPerStage: Int = 50, timelines: TimelineScope = .unfinished) async throws(HistoryError) -> [KnownStage] {
        let stages: [Target]
        if let targets { stages = targets } else { stages = try await knownTargets() }
        return try await readInParts(stages) { db, endpoint, part in
            try StartUpLoad.knownStages(db, endpoint: endpoint, targets: part, jobs: jobsPerStage, timelines: timelines)
        }
    }

    /// A stage's usual duration: p50 and p90 of its newest `samples` successful jobs with a
    /// duration, across sessions; `nil` when it has none.
    public func usualDuration(_ target: Target, samples: Int = HistoryReader.usualSamples) async throws(HistoryError) -> UsualDuration? {
        try await read(nil) { db, endpoint in
            UsualDuration(durations: try HistoryQueries.successfulDurations(db, endpoint: endpoint, target: target, samples: samples))
        }
    }

    /// What the file says of each stage beyond its jobs, for the start (see `StageFigures`):
    /// the basis of "usual" and the last 7 days' outcomes. Every stage asked for has an answer
    /// (empty when nothing is stored: the jobs seen from now on count).
    public func figures(_ targets: [Target], now: Date, samples: Int = HistoryReader.usualSamples) async throws(HistoryError) -> [StageFigures] {
        let empty = targets.map { StageFigures(target: $0, usual: [], week: OutcomeCounts()) }
        let week = now.addingTimeInterval(-SuccessRates.week)
        let found = try await readInParts(targets) { db, endpoint, part in
            try StartUpLoad.figures(db, endpoint: endpoint, targets: part, since: week, samples: samples)
        }
        return found.isEmpty ? empty : found
    }

    /// Each stage's outcomes over the 7 days before `now` (the overview's rate, read again as
    /// jobs end and the window slides). Every stage asked for has an answer (empty when nothing
    /// is stored).
    public func weekOutcomes(_ targets: [Target], now: Date) async throws(HistoryError) -> [Target: OutcomeCounts] {
        let since = now.addingTimeInterval(-SuccessRates.week)
        let empty = Dictionary(targets.map { ($0, OutcomeCounts()) }, uniquingKeysWith: { first, _ in first })
        return try await read(empty) { db, endpoint in
            let statement = try db.cachedStatement(sql: HistoryQueries.outcomeCounts)
            var counts = empty
            for target in targets { counts[target] = try HistoryQueries.outcomes(statement, endpoint: endpoint, target: target, since: since) }
            return counts
        }
    }

    /// A stage's outcomes over the last 24 h, 7 d and 30 d before `now` (see `OutcomeCounts`).
    public func successRates(_ target: Target, now: Date) async throws(HistoryError) -> SuccessRates {
        try await read(SuccessRates()) { db, endpoint in try HistoryQueries.rates(db, endpoint: endpoint, target: target, now: now) }
    }

    /// A stage's newest `limit` jobs, newest first (the bar chart).
    public func recentJobs(_ target: Target, limit: Int = HistoryReader.recentLimit) async throws(HistoryError) -> [HistoricJob] {
        try await read([]) { db, endpoint in try HistoryQueries.recent(db, endpoint: endpoint, target: target, limit: limit) }
    }

    /// Whether a stage's newest finished jobs alternate between success and failure (`Flakiness`).
    public func isFlaky(_ target: Target) async throws(HistoryError) -> Bool {
        try await read(false) { db, endpoint in
            Flakiness.isFlaky(try HistoryQueries.decidedStates(db, endpoint: endpoint, target: target, limit: Flakiness.window))
        }
    }

    /// Everything the history pane shows for a stage, in one read.
    public func stageHistory(_ target: Target, now: Date, recent limit: Int = HistoryReader.recentLimit, samples: Int = HistoryReader.usualSamples) async throws(HistoryError) -> StageHistory {
        let empty = StageHistory(recent: [], rates: SuccessRates(), usual: nil, isFlaky: false)
        return try await read(empty) { db, endpoint in
            StageHistory(
                recent: try HistoryQueries.recent(db, endpoint: endpoint, target: target, limit: limit),
                rates: try HistoryQueries.rates(db, endpoint: endpoint, target: target, now: now),
                usual: UsualDuration(durations: try HistoryQueries.successfulDurations(db, endpoint: endpoint, target: target, samples: samples)),
                isFlaky: Flakiness.isFlaky(try HistoryQueries.decidedStates(db, endpoint: endpoint, target: target, limit: Flakiness.window))
            )
        }
    }

    /// One job's stored timeline, oldest first (its newest `HistoryStore.timelineCap` changes);
    /// empty when the job is not stored.
    public func timeline(of job: JobRef) async throws(HistoryError) -> [Observation] {
        try await read([]) { db, endpoint in
            guard let row = try HistoryQueries.jobRow(db, endpoint: endpoint, target: job.target, jobID: job.jobID) else { return [] }
            return try HistoryQueries.timeline(db, jobRow: row, limit: HistoryStore.timelineCap)
        }
    }

    /// A pipeline's newest `limit` runs, newest first.
    public func runs(pipeline: Int, limit: Int = 20) async throws(HistoryError) -> [PipelineRun] {
        try await read([]) { db, endpoint in try HistoryQueries.runs(db, endpoint: endpoint, pipeline: pipeline, limit: limit) }
    }

    /// Stages read by one read transaction at most, when there are more: the start-up reads of
    /// hundreds of stages are split into parts read at once, one per reader connection (two), so
    /// they take both cores.
    static let stagesPerPart = 64

    /// `query` over `targets`, in parts of at least `stagesPerPart` read at once, each in a read
    /// transaction of its own; the answers in the order of `targets` (empty when the endpoint has
    /// nothing stored). Each stage's answer is consistent; two parts may see different commits.
    private func readInParts<T: Sendable>(_ targets: [Target],
                                          _ query: @escaping @Sendable (Database, Int64, [Target]) throws -> [T]) async throws(HistoryError) -> [T] {
        let partCount = min(HistoryDatabase.readerCount, targets.count / Self.stagesPerPart)
        guard partCount > 1 else { return try await read([]) { db, endpoint in try query(db, endpoint, targets) } }
        let size = (targets.count + partCount - 1) / partCount
        let parts = stride(from: 0, to: targets.count, by: size).map { Array(targets[$0..<min($0 + size, targets.count)]) }
        let answers = await withTaskGroup(of: (Int, Result<[T], HistoryError>).self) { group in
            for (index, part) in parts.enumerated() {
                group.addTask {
                    do throws(HistoryError) {
                        return (index, .success(try await read([]) { db, endpoint in try query(db, endpoint, part) }))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var answers = [Result<[T], HistoryError>](repeating: .success([]), count: parts.count)
            for await (index, answer) in group { answers[index] = answer }
            return answers
        }
        var all: [T] = []
        for answer in answers { all += try answer.get() }
        return all
    }

    /// Runs `query` in one read transaction with the endpoint's id; `empty` when the endpoint
    /// has nothing stored.
    private func read<T: Sendable>(_ empty: T, _ query: @escaping @Sendable (Database, Int64) throws -> T) async throws(HistoryError) -> T {
        let host = self.host
        do {
            return try await database.writer.read { db in
                guard let endpoint = try HistoryQueries.endpointID(db, host: host) else { return empty }
                return try query(db, endpoint)
            }
        } catch {
            throw HistoryError(error, path: database.path, operation: .reading)
        }
    }
}
