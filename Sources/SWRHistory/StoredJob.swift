import Foundation
import GRDB
import SWRAPI

/// The values of a job as one `job` row holds them (everything but the key and the times).
struct StoredJob: Sendable, Equatable {
    var state: JobState
    var rawState: String
    var progress: Int?
    var duration: Int?
    var createdAt: Date?
    var resource: String?
    var creator: String?

    init(state: JobState, rawState: String, progress: Int?, duration: Int?, createdAt: Date?, resource: String?, creator: String?) {
        self.state = state
        self.rawState = rawState
        self.progress = progress
        self.duration = duration
        self.createdAt = createdAt
        self.resource = resource
        self.creator = creator
    }

    init(_ job: Job) {
        self.init(
            state: job.state, rawState: job.rawState, progress: job.progress, duration: job.duration,
            createdAt: job.createdAt, resource: job.resource, creator: job.creatorName
        )
    }

    /// The values of a `job` row (columns state, raw_state, progress, duration, created_at,
    /// resource, creator).
    init(row: Row) {
        let raw = StoredText.decode(row["raw_state"] as String? ?? "")
        let createdAt: Double? = row["created_at"]
        self.init(
            state: StoredState.state(label: row["state"], raw: raw), rawState: raw,
            progress: row["progress"], duration: row["duration"],
            createdAt: createdAt.map(Date.init(timeIntervalSince1970:)),
            resource: StoredText.decode(row["resource"] as String?), creator: StoredText.decode(row["creator"] as String?)
        )
    }

    /// The values of a row whose columns from `offset` on are state, raw_state, progress,
    /// duration, created_at, resource, creator, in that order (read by position, for the
    /// start-up load's thousands of rows).
    init(columns row: Columns, offset: Int32) {
        let raw = StoredText.decode(row.text(offset + 1))
        self.init(
            state: StoredState.state(label: row.text(offset), raw: raw), rawState: raw,
            progress: row.int(offset + 2), duration: row.int(offset + 3),
            createdAt: row.optionalDouble(offset + 4).map(Date.init(timeIntervalSince1970:)),
            resource: StoredText.decode(row.optionalText(offset + 5)), creator: StoredText.decode(row.optionalText(offset + 6))
        )
    }

    /// Whether `other` differs from these values in its duration and nothing else.
    func onlyDurationDiffers(from other: StoredJob) -> Bool {
        guard duration != other.duration else { return false }
        var same = other
        same.duration = duration
        return same == self
    }

    /// Whether a timeline row is due: the state, progress or duration moved (as `HistoryStore`).
    func sameTimeline(as other: StoredJob) -> Bool {
        state == other.state && progress == other.progress && duration == other.duration
    }

    /// The job for the in-memory store.
    func job(id: String) -> Job {
        Job(
            id: id, state: state, rawState: rawState, progress: progress, duration: duration,
            resource: resource, creatorName: creator, createdAt: createdAt
        )
    }
}
