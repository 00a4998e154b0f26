import Foundation
import GRDB
import SWRAPI
import SWRWatch

/// Which stored jobs `swr-top history` lists.
public struct HistoryFilter: Sendable, Equatable {
    /// Only this endpoint (`HistoryHost.key`); `nil` for every endpoint in the file.
    public var host: String?
    public var pipeline: Int?
    public var stage: Int?
    /// Only jobs whose time (created, else first seen) is at or after this.
    public var since: Date?

    public init(host: String? = nil, pipeline: Int? = nil, stage: Int? = nil, since: Date? = nil) {
        self.host = host
        self.pipeline = pipeline
        self.stage = stage
        self.since = since
    }
}

/// One stored job with its key and when swr-top saw it, as `swr-top history` lists it. The text
/// is as stored (from the network): sanitise it before printing.
public struct ListedJob: Sendable, Equatable {
    /// The endpoint's key (`HistoryHost.key`).
    public var host: String
    public var target: Target
    public var job: Job
    public var firstSeen: Date
    /// A lower bound (see `HistoryWriter.lastSeenRefresh`).
    public var lastSeen: Date

    public init(host: String, target: Target, job: Job, firstSeen: Date, lastSeen: Date) {
        self.host = host
        self.target = target
        self.job = job
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// The job's time in the history: its creation time, else when swr-top first saw it.
    public var at: Date { job.createdAt ?? firstSeen }
}

extension HistoryDatabase {
    /// The stored jobs that `filter` takes, by endpoint, pipeline and stage, newest first within
    /// a stage. One read transaction; never writes.
    public func listJobs(_ filter: HistoryFilter) async throws(HistoryError) -> [ListedJob] {
        let path = self.path
        do {
            return try await writer.read { db in try HistoryListingQuery.jobs(db, filter: filter) }
        } catch {
            throw HistoryError(error, path: path, operation: .reading)
        }
    }
}

/// The query behind `listJobs`.
enum HistoryListingQuery {
    static func jobs(_ db: Database, filter: HistoryFilter) throws -> [ListedJob] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let host = filter.host {
            conditions.append("endpoint.host = ?")
            arguments += [StoredText.encode(host)]
        }
        if let pipeline = filter.pipeline {
            conditions.append("job.pipeline = ?")
            arguments += [pipeline]
        }
        if let stage = filter.stage {
            conditions.append("job.stage = ?")
            arguments += [stage]
        }
        if let since = filter.since {
            conditions.append("coalesce(job.created_at, job.first_seen) >= ?")
            arguments += [since.timeIntervalSince1970]
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT endpoint.host, job.pipeline, job.stage, job.job_id, job.first_seen, job.last_seen, job.state, job.raw_state,
                   job.progress, job.duration, job.created_at, job.resource, job.creator
            FROM job JOIN endpoint ON endpoint.id = job.endpoint
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            """, arguments: arguments)
        let jobs = rows.map { row in
            let id = StoredText.decode(row["job_id"] as String)
            return ListedJob(
                host: StoredText.decode(row["host"] as String),
                target: Target(pipeline: row["pipeline"], stage: row["stage"]),
                job: StoredJob(row: row).job(id: id),
                firstSeen: Date(timeIntervalSince1970: row["first_seen"]),
                lastSeen: Date(timeIntervalSince1970: row["last_seen"])
            )
        }
        return jobs.sorted { a, b in
            if a.host != b.host { return a.host < b.host }
            if a.target != b.target { return a.target < b.target }
            return HistoryQueries.newestFirst((a.at, a.job.id), (b.at, b.job.id))
        }
    }
}
