import Foundation
import SWRAPI

/// Where the current run of a pipeline is, from its run status (the detail call) and a stage's
/// newest job: whether the stage is still pending (the run has not reached it: its newest job,
/// if any, belongs to an earlier run), and the stage the run is at. Shared by the screen and
/// `--once`, so both say the same thing.
public enum RunPosition {
    /// Stage status words that mean "not reached yet".
    public static let notReached: Set<String> = ["waiting", "pending", "queued", ""]

    /// Whether the current run has not reached stage `index` yet. `nil` status: unknown, so not pending.
    public static func isPending(stage index: Int, status: PipelineStatus?, newestJob: Job?) -> Bool {
        guard let status, status.stages.indices.contains(index) else { return false }
        guard notReached.contains(status.stages[index].status.lowercased()) else { return false }
        guard let job = newestJob else { return true }
        // The newest job began before this run did, so it is from an earlier run.
        if let created = job.createdAt, let runStart = status.startTime, created < runStart { return true }
        return false
    }

    /// A pipeline or stage status word as a job state: `success`, `running`, `cancel`, `timeout`
    /// as their synonyms; `*_exception` and `rollback_failed` as Failed; others kept as sent.
    public static func jobState(ofStatus word: String) -> JobState {
        let state = JobState(raw: word)
        if case .unknown = state, word.hasSuffix("exception") || word == "rollback_failed" { return .failed }
        return state
    }

    /// The stage the run is at while the run status says it is running.
    public static func runningStage(_ status: PipelineStatus?) -> Int? {
        guard let status, status.status.lowercased() == "running" else { return nil }
        return status.stageIndex
    }
}
