import Foundation
import GRDB
import SWRAPI
import SWRWatch

/// The read queries, as pure functions of a database connection (no clock: `now` is passed).
///
/// A stage's jobs are walked newest first on the `job_by_stage_outcome` index
/// (`coalesce(created_at, first_seen)`), with a `LIMIT`, so a query costs the rows it returns,
/// not the size of the file. Ties on the time are ordered in Swift (then by id, numerically).
enum HistoryQueries {
    /// The job's time: the expression `job_by_stage_outcome` indexes.
    static let time = "coalesce(created_at, first_seen)"
    static let stageFilter = "endpoint = ? AND pipeline = ? AND stage = ?"

    static func endpointID(_ db: Database, host: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM endpoint WHERE host = ?"), arguments: [StoredText.encode(host)])
    }

    static func arguments(_ endpoint: Int64, _ target: Target) -> StatementArguments {
        [endpoint, target.pipeline, target.stage]
    }

    /// Newest first by time, then id (numerically when both are numbers).
    static func newestFirst(_ a: (at: Date, id: String), _ b: (at: Date, id: String)) -> Bool {
        if a.at != b.at { return a.at > b.at }
        if let x = Int(a.id), let y = Int(b.id), x != y { return x > y }
        return a.id > b.id
    }

    /// Sorts `items` newest first (`newestFirst` on `key`). They come from the index newest first
    /// by time already: only ties on the time can be out of order, so most of the time nothing
    /// moves.
    static func putNewestFirst<T>(_ items: inout [T], key: (T) -> (at: Date, id: String)) {
        guard items.indices.dropFirst().contains(where: { newestFirst(key(items[$0]), key(items[$0 - 1])) }) else { return }
        items.sort { newestFirst(key($0), key($1)) }
    }

    // MARK: - Stages

    /// The stages with stored jobs for this endpoint, in order.
    static func targets(_ db: Database, endpoint: Int64) throws -> [Target] {
        try Row.fetchAll(db, sql: "SELECT DISTINCT pipeline, stage FROM job WHERE endpoint = ? ORDER BY pipeline, stage", arguments: [endpoint])
            .map { Target(pipeline: $0["pipeline"], stage: $0["stage"]) }
    }

    // MARK: - One job

    /// A job's newest observations, newest first; the columns `timeline` reads, by position.
    static let newestObservations = """
        SELECT at, state, raw_state, progress, duration FROM observation
        WHERE job = ? ORDER BY at DESC, rowid DESC LIMIT ?
        """

    /// A job's stored timeline, oldest first (its newest `limit` observations).
    static func timeline(_ db: Database, jobRow: Int64, limit: Int) throws -> [Observation] {
        try timeline(db.cachedStatement(sql: newestObservations), jobRow: jobRow, limit: limit)
    }

    /// `timeline` on a prepared `newestObservations`.
    static func timeline(_ statement: Statement, jobRow: Int64, limit: Int) throws -> [Observation] {
        let rows = try ColumnCursor(statement, arguments: [jobRow, max(0, limit)])
        var timeline: [Observation] = []
        while let row = try rows.next() {
            timeline.append(Observation(
                at: Date(timeIntervalSince1970: row.double(0)),
                state: StoredState.state(label: row.text(1), raw: StoredText.decode(row.optionalText(2))),
                progress: row.int(3), duration: row.int(4)
            ))
        }
        timeline.reverse()
        return timeline
    }

    /// The row id of a job, if stored.
    static func jobRow(_ db: Database, endpoint: Int64, target: Target, jobID: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM job WHERE \(stageFilter) AND job_id = ?"),
                           arguments: arguments(endpoint, target) + [StoredText.encode(jobID)])
    }

    // MARK: - Statistics

    /// Durations of the stage's newest `samples` successful jobs that have one.
    static func successfulDurations(_ db: Database, endpoint: Int64, target: Target, samples: Int) throws -> [Int] {
        try Int.fetchAll(db.cachedStatement(sql: """
            SELECT duration FROM job
            WHERE \(stageFilter) AND state = ? AND duration IS NOT NULL
            ORDER BY \(time) DESC LIMIT ?
            """), arguments: arguments(endpoint, target) + [StoredState.successful, max(0, samples)])
    }

    /// A stage's newest successful jobs with a duration; the columns `usualSamples` reads, by position.
    static let newestSuccessful = """
        SELECT job_id, duration, \(time) AS at FROM job
        WHERE \(stageFilter) AND state = ? AND duration IS NOT NULL AND duration >= 0
        ORDER BY \(time) DESC LIMIT ?
        """

    /// The stage's newest `samples` successful jobs that have a duration, newest first.
    static func usualSamples(_ db: Database, endpoint: Int64, target: Target, samples: Int) throws -> [UsualSample] {
        try usualSamples(db.cachedStatement(sql: newestSuccessful), endpoint: endpoint, target: target, samples: samples)
    }

    /// `usualSamples` on a prepared `newestSuccessful`.
    static func usualSamples(_ statement: Statement, endpoint: Int64, target: Target, samples: Int) throws -> [UsualSample] {
        let rows = try ColumnCursor(statement, arguments: arguments(endpoint, target) + [StoredState.successful, max(0, samples)])
        var usual: [UsualSample] = []
        while let row = try rows.next() {
            usual.append(UsualSample(jobID: StoredText.decode(row.text(0)), duration: row.int(1) ?? 0, at: Date(timeIntervalSince1970: row.double(2))))
        }
        putNewestFirst(&usual) { ($0.at, $0.jobID) }
        return usual
    }

    /// Outcome counts of the stage's jobs whose time is at or after each window's start.
    ///
    /// Each window is counted by `outcomes` on its own range of `job_by_stage_outcome`, which
    /// holds the state, so the table is never read; the week's and the day's ranges are the
    /// newest ends of the month's.
    static func rates(_ db: Database, endpoint: Int64, target: Target, now: Date) throws -> SuccessRates {
        func since(_ window: TimeInterval) throws -> OutcomeCounts {
            try outcomes(db, endpoint: endpoint, target: target, since: now.addingTimeInterval(-window))
        }
        return SuccessRates(day: try since(SuccessRates.day), week: try since(SuccessRates.week), month: try since(SuccessRates.month))
    }

    /// Outcome counts of the stage's jobs whose time is at or after `since`.
    static func outcomes(_ db: Database, endpoint: Int64, target: Target, since: Date) throws -> OutcomeCounts {
        try outcomes(db.cachedStatement(sql: outcomeCounts), endpoint: endpoint, target: target, since: since)
    }

    /// `outcomes` on a prepared `outcomeCounts`.
    static func outcomes(_ statement: Statement, endpoint: Int64, target: Target, since: Date) throws -> OutcomeCounts {
        let rows = try ColumnCursor(statement, arguments: outcomeArguments(endpoint, target, since: since))
        var counts = OutcomeCounts()
        guard let row = try rows.next() else { return counts }
        for (index, state) in outcomeStates.enumerated() {
            // A count: never negative (a damaged file's NULL reads as 0).
            let n = max(0, row.int(Int32(index)) ?? 0)
            if n > 0 { counts.add(state, count: n) }
        }
        return counts
    }

    /// One row: how many of the stage's jobs since a time ended in each outcome (successful,
    /// failed, timed out, cancelled); always one row (of zeros when there are none). Filtered
    /// counts, not `GROUP BY state`: the range is in time order, and grouping it would need a
    /// temporary B-tree. (`count(*) FILTER` costs a third less than `total(state = ?)`, which
    /// adds a REAL per row.)
    static let outcomeCounts = """
        SELECT count(*) FILTER (WHERE state = ?), count(*) FILTER (WHERE state = ?),
               count(*) FILTER (WHERE state = ?), count(*) FILTER (WHERE state = ?)
        FROM job WHERE \(stageFilter) AND \(time) >= ?
        """
    private static let outcomeStates = [JobState.successful, .failed, .timeout, .cancelled]
    private static let outcomeLabels = StatementArguments(outcomeStates.map(\.label))

    private static func outcomeArguments(_ endpoint: Int64, _ target: Target, since: Date) -> StatementArguments {
        outcomeLabels + [endpoint, target.pipeline, target.stage, since.timeIntervalSince1970]
    }

    /// The stage's newest `limit` jobs, newest first.
    static func recent(_ db: Database, endpoint: Int64, target: Target, limit: Int) throws -> [HistoricJob] {
        let rows = try ColumnCursor(db.cachedStatement(sql: """
            SELECT job_id, state, raw_state, duration, created_at, first_seen FROM job
            WHERE \(stageFilter) ORDER BY \(time) DESC LIMIT ?
            """), arguments: arguments(endpoint, target) + [max(0, limit)])
        var jobs: [HistoricJob] = []
        while let row = try rows.next() {
            jobs.append(HistoricJob(
                id: StoredText.decode(row.text(0)),
                state: StoredState.state(label: row.text(1), raw: StoredText.decode(row.optionalText(2))),
                duration: row.int(3),
                createdAt: row.optionalDouble(4).map(Date.init(timeIntervalSince1970:)),
                firstSeen: Date(timeIntervalSince1970: row.double(5))
            ))
        }
        putNewestFirst(&jobs) { ($0.at, $0.id) }
        return jobs
    }

    /// States of the stage's newest finished jobs that count for flakiness, newest first.
    static func decidedStates(_ db: Database, endpoint: Int64, target: Target, limit: Int) throws -> [JobState] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT state FROM job WHERE \(stageFilter) AND state IN (?, ?, ?)
            ORDER BY \(time) DESC LIMIT ?
            """), arguments: arguments(endpoint, target) + [
                StoredState.successful, JobState.failed.label, JobState.timeout.label, limit,
            ]).map { StoredState.state(label: $0, raw: nil) }
    }

    // MARK: - Runs

    /// A pipeline's newest `limit` runs, newest first.
    static func runs(_ db: Database, endpoint: Int64, pipeline: Int, limit: Int) throws -> [PipelineRun] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, started_at, ended_at, status, stage_index, first_seen, last_seen FROM pipeline_run
            WHERE endpoint = ? AND pipeline = ? ORDER BY started_at DESC LIMIT ?
            """, arguments: [endpoint, pipeline, max(0, limit)])
        let stages = try db.cachedStatement(sql: "SELECT status, started_at, ended_at FROM pipeline_run_stage WHERE run = ? ORDER BY stage")
        return try rows.map { row in
            let stageRows = try Row.fetchAll(stages, arguments: [row["id"] as Int64])
            let endedAt: Double? = row["ended_at"]
            let status = PipelineStatus(
                status: StoredText.decode(row["status"] as String),
                stageIndex: row["stage_index"],
                startTime: Date(timeIntervalSince1970: row["started_at"]),
                endTime: endedAt.map(Date.init(timeIntervalSince1970:)),
                stages: stageRows.map { s in
                    let start: Double? = s["started_at"]
                    let end: Double? = s["ended_at"]
                    return StageStatus(status: StoredText.decode(s["status"] as String),
                                       startTime: start.map(Date.init(timeIntervalSince1970:)),
                                       endTime: end.map(Date.init(timeIntervalSince1970:)))
                }
            )
            return PipelineRun(pipeline: pipeline, status: status,
                               firstSeen: Date(timeIntervalSince1970: row["first_seen"]),
                               lastSeen: Date(timeIntervalSince1970: row["last_seen"]))
        }
    }
}
