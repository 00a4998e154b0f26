import Foundation
import GRDB
import SWRAPI
import SWRWatch

/// The reads before the first poll (`HistoryReader.lastKnown`, `figures`): hundreds of stages,
/// tens of thousands of rows, so each statement is prepared once per load and run once per
/// stage, and rows are read by position straight from the statement (`ColumnCursor`: no column
/// is looked up by name, no row is copied, no record is decoded).
///
/// The rows are those of `HistoryQueries`' one-stage queries, in the same order: each stage's
/// newest jobs by time from `job_by_stage_outcome`, then ties on the time put in order in Swift
/// (`HistoryQueries.newestFirst`). The database hands them out newest first already, so they are
/// sorted only when two of them share a time.
enum StartUpLoad {
    /// A stage's newest jobs; the columns `knownStages` reads, by position.
    static let newestJobs = """
        SELECT id, job_id, first_seen, last_seen, state, raw_state, progress, duration, created_at, resource, creator
        FROM job WHERE \(HistoryQueries.stageFilter) ORDER BY \(HistoryQueries.time) DESC LIMIT ?
        """

    /// Each stage's newest `limit` jobs with the timelines `scope` asks for; stages with nothing
    /// stored are left out.
    static func knownStages(_ db: Database, endpoint: Int64, targets: [Target], jobs limit: Int, timelines scope: TimelineScope) throws -> [KnownStage] {
        let jobs = try db.cachedStatement(sql: newestJobs)
        let observations = try db.cachedStatement(sql: HistoryQueries.newestObservations)
        let limit = max(0, limit)
        var stages: [KnownStage] = []
        stages.reserveCapacity(targets.count)
        var rows = StageRows()
        for target in targets {
            try rows.read(jobs, arguments: HistoryQueries.arguments(endpoint, target) + [limit])
            guard !rows.jobs.isEmpty else { continue }
            rows.putInOrder()
            var timelines: [String: [Observation]] = [:]
            for (index, job) in rows.jobs.enumerated() {
                switch scope {
                case .none: continue
                case .unfinished where job.state.isFinal: continue
                case .unfinished, .all: break
                }
                timelines[job.id] = try HistoryQueries.timeline(observations, jobRow: rows.rowIDs[index], limit: HistoryStore.timelineCap)
            }
            stages.append(KnownStage(target: target, jobs: rows.jobs, timelines: timelines, lastSeen: rows.lastSeen))
        }
        return stages
    }

    /// Each stage's basis of "usual" and its outcomes since `week`, in the order asked.
    static func figures(_ db: Database, endpoint: Int64, targets: [Target], since week: Date, samples: Int) throws -> [StageFigures] {
        let usual = try db.cachedStatement(sql: HistoryQueries.newestSuccessful)
        let outcomes = try db.cachedStatement(sql: HistoryQueries.outcomeCounts)
        return try targets.map { target in
            StageFigures(target: target,
                         usual: try HistoryQueries.usualSamples(usual, endpoint: endpoint, target: target, samples: samples),
                         week: try HistoryQueries.outcomes(outcomes, endpoint: endpoint, target: target, since: week))
        }
    }

    /// One stage's rows, kept between stages so their storage is reused.
    private struct StageRows {
        var jobs: [Job] = []
        var rowIDs: [Int64] = []
        /// Each job's time and id, the sort key.
        var keys: [(at: Date, id: String)] = []
        var lastSeen = Date.distantPast

        mutating func read(_ statement: Statement, arguments: StatementArguments) throws {
            jobs.removeAll(keepingCapacity: true)
            rowIDs.removeAll(keepingCapacity: true)
            keys.removeAll(keepingCapacity: true)
            lastSeen = .distantPast
            let rows = try ColumnCursor(statement, arguments: arguments)
            while let row = try rows.next() {
                let id = StoredText.decode(row.text(1))
                let stored = StoredJob(columns: row, offset: 4)
                lastSeen = max(lastSeen, Date(timeIntervalSince1970: row.double(3)))
                keys.append((stored.createdAt ?? Date(timeIntervalSince1970: row.double(2)), id))
                rowIDs.append(row.int64(0))
                jobs.append(stored.job(id: id))
            }
        }

        /// Newest first, ties on the time by id (`HistoryQueries.newestFirst`). The rows come
        /// newest first from the index; only a run of equal times can be out of order.
        mutating func putInOrder() {
            let keys = self.keys
            guard keys.indices.dropFirst().contains(where: { HistoryQueries.newestFirst(keys[$0], keys[$0 - 1]) }) else { return }
            // No two keys are equal (a stage's job ids are unique), so the order is the only one.
            let order = keys.indices.sorted { HistoryQueries.newestFirst(keys[$0], keys[$1]) }
            jobs = order.map { jobs[$0] }
            rowIDs = order.map { rowIDs[$0] }
            self.keys = order.map { keys[$0] }
        }
    }
}
