import Foundation
import GRDB
import SWRAPI
import SWRWatch

/// Everything one batch changes in the file, decided before the transaction (by comparing the
/// batch with what the writer knows the file holds) and performed inside it by `apply`.
struct WritePlan: Sendable {
    /// A job to insert, or whose row changed.
    struct JobWrite: Sendable {
        var target: Target
        var jobID: String
        var values: StoredJob
        var seen: Date
        /// Whether its state, progress or duration moved (a timeline row is due).
        var observe: Bool
    }

    /// A job whose values did not change but whose `last_seen` is due a refresh.
    struct Touch: Sendable {
        var rowID: Int64
        var seen: Date
    }

    /// A pipeline run to insert or update (its status changed or its `last_seen` is due).
    struct RunWrite: Sendable {
        var pipeline: Int
        var status: PipelineStatus
        var startedAt: Date
        var seen: Date
    }

    var host: String
    /// Rows not seen since this time are removed first (the retention clean-up), when set.
    var pruneBefore: Date?
    var jobs: [JobWrite] = []
    var touches: [Touch] = []
    var runs: [RunWrite] = []

    var isEmpty: Bool { pruneBefore == nil && jobs.isEmpty && touches.isEmpty && runs.isEmpty }

    /// What `apply` did: the row ids of `jobs` (in order) and the rows it changed.
    struct Outcome: Sendable {
        var endpointID: Int64
        var jobRowIDs: [Int64]
        var changes: Int
    }

    /// Performs the plan in the current transaction.
    func apply(_ db: Database) throws -> Outcome {
        let before = db.totalChangesCount
        if let pruneBefore {
            try Retention.prune(db, before: pruneBefore, maxJobsPerStage: HistorySettings.maxJobsPerStage)
        }
        let endpoint = try Self.endpointID(db, host: host)
        var jobRowIDs: [Int64] = []
        jobRowIDs.reserveCapacity(jobs.count)
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO job (endpoint, pipeline, stage, job_id, first_seen, last_seen, state, raw_state,
                             progress, duration, created_at, resource, creator)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (endpoint, pipeline, stage, job_id) DO UPDATE SET
                last_seen = max(last_seen, excluded.last_seen), state = excluded.state,
                raw_state = excluded.raw_state, progress = excluded.progress, duration = excluded.duration,
                created_at = excluded.created_at, resource = excluded.resource, creator = excluded.creator
            RETURNING id
            """)
        // A timeline row unless the job's newest one already has these values (another
        // swr-top on the same file may have written it).
        let observe = try db.cachedStatement(sql: """
            INSERT INTO observation (job, at, state, raw_state, progress, duration)
            SELECT ?1, ?2, ?3, ?4, ?5, ?6
            WHERE NOT EXISTS (
                SELECT 1 FROM (SELECT state, raw_state, progress, duration FROM observation
                               WHERE job = ?1 ORDER BY at DESC LIMIT 1) AS newest
                WHERE newest.state = ?3 AND newest.raw_state IS ?4
                  AND newest.progress IS ?5 AND newest.duration IS ?6)
            """)
        for write in jobs {
            let v = write.values
            let seen = write.seen.timeIntervalSince1970
            let rowID = try Int64.fetchOne(upsert, arguments: [
                endpoint, write.target.pipeline, write.target.stage, StoredText.encode(write.jobID), seen, seen,
                v.state.label, StoredText.encode(v.rawState), v.progress, v.duration,
                v.createdAt?.timeIntervalSince1970, StoredText.encode(v.resource), StoredText.encode(v.creator),
            ])
            guard let rowID else { throw DatabaseError(resultCode: .SQLITE_ERROR, message: "no job row id") }
            jobRowIDs.append(rowID)
            if write.observe {
                try observe.execute(arguments: [
                    rowID, seen, v.state.label, StoredText.encode(StoredState.timelineRaw(v.state)), v.progress, v.duration,
                ])
            }
        }
        if !touches.isEmpty {
            let touch = try db.cachedStatement(sql: "UPDATE job SET last_seen = ?2 WHERE id = ?1 AND last_seen < ?2")
            for t in touches {
                try touch.execute(arguments: [t.rowID, t.seen.timeIntervalSince1970])
            }
        }
        for run in runs {
            try Self.write(run, endpoint: endpoint, db)
        }
        return Outcome(endpointID: endpoint, jobRowIDs: jobRowIDs, changes: db.totalChangesCount - before)
    }

    /// The id of `host` in `endpoint`, inserted the first time.
    static func endpointID(_ db: Database, host: String) throws -> Int64 {
        let key = StoredText.encode(host)
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM endpoint WHERE host = ?"), arguments: [key]) {
            return id
        }
        try db.execute(sql: "INSERT INTO endpoint (host) VALUES (?)", arguments: [key])
        return db.lastInsertedRowID
    }

    /// Upserts one run and its stages; unchanged stage rows are left alone.
    private static func write(_ run: RunWrite, endpoint: Int64, _ db: Database) throws {
        let status = run.status
        let seen = run.seen.timeIntervalSince1970
        let started = run.startedAt.timeIntervalSince1970
        try db.cachedStatement(sql: """
            INSERT INTO pipeline_run (endpoint, pipeline, started_at, ended_at, status, stage_index, first_seen, last_seen)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
            ON CONFLICT (endpoint, pipeline, started_at) DO UPDATE SET
                ended_at = excluded.ended_at, status = excluded.status, stage_index = excluded.stage_index,
                last_seen = max(last_seen, excluded.last_seen)
            WHERE ended_at IS NOT excluded.ended_at OR status IS NOT excluded.status
               OR stage_index IS NOT excluded.stage_index OR last_seen < excluded.last_seen
            """).execute(arguments: [
                endpoint, run.pipeline, started, status.endTime?.timeIntervalSince1970,
                StoredText.encode(status.status), status.stageIndex, seen,
            ])
        guard let runID = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM pipeline_run WHERE endpoint = ? AND pipeline = ? AND started_at = ?"),
            arguments: [endpoint, run.pipeline, started]
        ) else { throw DatabaseError(resultCode: .SQLITE_ERROR, message: "no run row id") }
        let stage = try db.cachedStatement(sql: """
            INSERT INTO pipeline_run_stage (run, stage, status, started_at, ended_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (run, stage) DO UPDATE SET
                status = excluded.status, started_at = excluded.started_at, ended_at = excluded.ended_at
            WHERE status IS NOT excluded.status OR started_at IS NOT excluded.started_at
               OR ended_at IS NOT excluded.ended_at
            """)
        for (index, s) in status.stages.enumerated() {
            try stage.execute(arguments: [
                runID, index, StoredText.encode(s.status), s.startTime?.timeIntervalSince1970, s.endTime?.timeIntervalSince1970,
            ])
        }
    }
}
