import Foundation
import SWRAPI
import SWRWatch

/// How a stage shows in the stage strip and the overview: from its job history, corrected by
/// the pipeline's run status where the detail call gave one. A stage the current run has not
/// reached shows as pending, even before it has any job (its newest job, if any, belongs to an
/// earlier run).
struct StageLook {
    var summary: StageSummary
    var isPending: Bool
    /// From the run status, for a stage with no job in its history: its state and how long it ran.
    var statusState: JobState?
    var statusDuration: Int?

    /// The state to draw: Waiting for a pending stage, else the newest job's (or the run status's).
    var state: JobState? { isPending ? .waiting : summary.state ?? statusState }

    init(_ state: AppState, pipeline: PipelineInfo, stage: StageInfo) {
        summary = state.store.summary(Target(pipeline: pipeline.id, stage: stage.index), now: state.now)
        isPending = false
        guard let status = state.pipelineStatuses[pipeline.id], status.stages.indices.contains(stage.index) else { return }
        let stageStatus = status.stages[stage.index]
        let word = stageStatus.status.lowercased()
        guard ["waiting", "pending", "queued", ""].contains(word) else {
            if summary.current == nil {
                statusState = Self.jobState(ofStatus: word)
                if let start = stageStatus.startTime {
                    statusDuration = Checked.seconds(from: start, to: stageStatus.endTime ?? state.now)
                }
            }
            return
        }
        guard let job = summary.current else {
            isPending = true
            return
        }
        // The newest job began before this run did, so it is from an earlier run.
        if let created = job.createdAt, let runStart = status.startTime, created < runStart { isPending = true }
    }

    /// A pipeline or stage status word as a job state: `success`, `running`, `cancel`, `timeout`
    /// as their synonyms; `*_exception` and `rollback_failed` as Failed; others kept as sent.
    static func jobState(ofStatus word: String) -> JobState {
        let state = JobState(raw: word)
        if case .unknown = state, word.hasSuffix("exception") || word == "rollback_failed" { return .failed }
        return state
    }

    /// `running 2m10s`, `success 5m02s`: the run's status word and how long it has run (or ran).
    static func runText(_ status: PipelineStatus, now: Date) -> String {
        guard let start = status.startTime else { return status.status }
        return "\(status.status) \(Format.duration(Checked.seconds(from: start, to: status.endTime ?? now)))"
    }

    /// The stage the run is at: from the run status when it says the run is going, else the
    /// furthest stage with an unfinished newest job.
    static func runningStage(_ state: AppState, pipeline: PipelineInfo) -> Int? {
        if let status = state.pipelineStatuses[pipeline.id], status.status.lowercased() == "running", let index = status.stageIndex {
            return index
        }
        return state.store.pipelineProgress(pipeline: pipeline.id, stages: pipeline.stages.map(\.index)).running
    }
}
