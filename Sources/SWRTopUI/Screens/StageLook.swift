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

    /// The state to draw: Waiting for a pending stage, else the newest job's.
    var state: JobState? { isPending ? .waiting : summary.state }

    init(_ state: AppState, pipeline: PipelineInfo, stage: StageInfo) {
        summary = state.store.summary(Target(pipeline: pipeline.id, stage: stage.index), now: state.now)
        isPending = false
        guard let status = state.pipelineStatuses[pipeline.id], status.stages.indices.contains(stage.index) else { return }
        let word = status.stages[stage.index].status.lowercased()
        guard ["waiting", "pending", "queued", ""].contains(word) else { return }
        guard let job = summary.current else {
            isPending = true
            return
        }
        // The newest job began before this run did, so it is from an earlier run.
        if let created = job.createdAt, let runStart = status.startTime, created < runStart { isPending = true }
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
