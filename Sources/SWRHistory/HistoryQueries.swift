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

    // MARK: - Stages

    /// The stages with stored jobs for this endpoint, in order.
    static func targets(_ db: Database, endpoint: Int64) throws -> [Target] {
        try Row.fetchAll(db, sql: "SELECT DISTINCT pipeline, stage FROM job WHERE endpoint = ? ORDER BY pipeline, stage", arguments: [endpoint])
            .map { Target(pipeline: $0["pipeline"], stage: $0["stage"]) }
    }

    /// A stage's newest jobs with their timelines.
    static func knownStage(_ db: Database, endpoint: Int64, target: Target, jobs limit: Int, timelines scope: TimelineScope) throws -> KnownStage? {
        // Read by position (see `StoredJob(row:offset:)`): the start-up load reads 50 rows of
        // each of hundreds of stages.
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, job_id, first_seen, last_seen, state, raw_state, progress, duration, created_at, resource, creator
            FROM job WHERE \(stageFilter) ORDER BY \(time) DESC LIMIT ?
            """), arguments: arguments(endpoint, target) + [max(0, limit)])
        var entries: [(at: Date, id: String, rowID: Int64, job: Job)] = []
        entries.reserveCapacity(max(0, min(limit, 1000)))
        var lastSeen = Date.distantPast
        while let row = try rows.next() {
            let stored = StoredJob(row: row, offset: 4)
            let id = StoredText.decode(row[1] as String)
            let firstSeen = Date(timeIntervalSince1970: row[2])
            lastSeen = max(lastSeen, Date(timeIntervalSince1970: row[3]))
            entries.append((stored.createdAt ?? firstSeen, id, row[0], stored.job(id: id)))
        }
        guard !entries.isEmpty else { return nil }
        entries.sort { newestFirst(($0.at, $0.id), ($1.at, $1.id)) }
        var timelines: [String: [Observation]] = [:]
        for entry in entries {
            switch scope {
            case .none: continue
            case .unfinished where entry.job.state.isFinal: continue
            case .unfinished, .all: break
            }
            timelines[entry.id] = try timeline(db, jobRow: entry.rowID, limit: HistoryStore.timelineCap)
        }
        return KnownStage(target: target, jobs: entries.map(\.job), timelines: timelines, lastSeen: lastSeen)
    }

    // MARK: - One job

    /// A job's stored timeline, oldest first (its newest `limit` observations).
    static func timeline(_ db: Database, jobRow: Int64, limit: Int) throws -> [Observation] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT at, state, raw_state, progress, duration FROM observation
            WHERE job = ? ORDER BY at DESC, rowid DESC LIMIT ?
            """), arguments: [jobRow, max(0, limit)])
        return rows.reversed().map { row in
            Observation(
                at: Date(timeIntervalSince1970: row["at"]),
                state: StoredState.state(label: row["state"], raw: StoredText.decode(row["raw_state"] as String?)),
                progress: row["progress"], duration: row["duration"]
            )
        }
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

    /// The stage's newest `samples` successful jobs that have a duration, newest first.
    static func usualSamples(_ db: Database, endpoint: Int64, target: Target, samples: Int) throws -> [UsualSample] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT job_id, duration, \(time) AS at FROM job
            WHERE \(stageFilter) AND state = ? AND duration IS NOT NULL AND duration >= 0
            ORDER BY \(time) DESC LIMIT ?
            """), arguments: arguments(endpoint, target) + [StoredState.successful, max(0, samples)])
        return rows.map { row in
            UsualSample(jobID: StoredText.decode(row["job_id"] as String), duration: row["duration"], at: Date(timeIntervalSince1970: row["at"]))
        }.sorted { newestFirst(($0.at, $0.jobID), ($1.at, $1.jobID)) }
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
        try Row.fetchOne(db.cachedStatement(sql: outcomeCounts), arguments: outcomeArguments(endpoint, target, since: since))
            .map(outcomes(of:)) ?? OutcomeCounts()
    }

    /// One row: how many of the stage's jobs since a time ended in each outcome (successful,
    /// failed, timed out, cancelled); always one row (of zeros when there are none). Sums, not
    /// `GROUP BY state`: the range is in time order, and grouping it would need a temporary B-tree.
    static let outcomeCounts = """
        SELECT total(state = ?), total(state = ?), total(state = ?), total(state = ?)
        FROM job WHERE \(stageFilter) AND \(time) >= ?
        """
    private static let outcomeStates = [StoredState.successful, JobState.failed.label, JobState.timeout.label, StoredState.cancelled]

    private static func outcomeArguments(_ endpoint: Int64, _ target: Target, since: Date) -> StatementArguments {
        StatementArguments(outcomeStates) + arguments(endpoint, target) + [since.timeIntervalSince1970]
    }

    private static func outcomes(of row: Row) -> OutcomeCounts {
        var counts = OutcomeCounts()
        for (index, label) in outcomeStates.enumerated() {
            let n = Int(row[index] as Double)
            if n > 0 { counts.add(StoredState.state(label: label, raw: nil), count: n) }
        }
        return counts
    }

    /// The stage's newest `limit` jobs, newest first.
    static func recent(_ db: Database, endpoint: Int64, target: Target, limit: Int) throws -> [HistoricJob] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT job_id, state, raw_state, duration, created_at, first_seen FROM job
            WHERE \(stageFilter) ORDER BY \(time) DESC LIMIT ?
            """), arguments: arguments(endpoint, target) + [max(0, limit)])
        let jobs = rows.map { row in
            let createdAt: Double? = row["created_at"]
            return HistoricJob(
                id: StoredText.decode(row["job_id"] as String),
                state: StoredState.state(label: row["state"], raw: StoredText.decode(row["raw_state"] as String?)),
                duration: row["duration"],
                createdAt: createdAt.map(Date.init(timeIntervalSince1970:)),
                firstSeen: Date(timeIntervalSince1970: row["first_seen"])
            )
        }
        return jobs.sorted { newestFirst(($0.at, $0.id), ($1.at, $1.id)) }
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
