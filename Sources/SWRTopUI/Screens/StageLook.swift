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
        let status = state.pipelineStatuses[pipeline.id]
        isPending = RunPosition.isPending(stage: stage.index, status: status, newestJob: summary.current)
        guard !isPending, summary.current == nil, let status, status.stages.indices.contains(stage.index) else { return }
        let stageStatus = status.stages[stage.index]
        let word = stageStatus.status.lowercased()
        guard !RunPosition.notReached.contains(word) else { return }
        statusState = RunPosition.jobState(ofStatus: word)
        if let start = stageStatus.startTime {
            statusDuration = Checked.seconds(from: start, to: stageStatus.endTime ?? state.now)
        }
    }

    /// A status word as a job state (see `RunPosition.jobState`).
    static func jobState(ofStatus word: String) -> JobState { RunPosition.jobState(ofStatus: word) }

    /// `running 2m10s`, `success 5m02s`: the run's status word and how long it has run (or ran).
    static func runText(_ status: PipelineStatus, now: Date) -> String {
        guard let start = status.startTime else { return status.status }
        return "\(status.status) \(Format.duration(Checked.seconds(from: start, to: status.endTime ?? now)))"
    }

    /// The stage the run is at: from the run status when it says the run is going, else the
    /// furthest stage with an unfinished newest job.
    static func runningStage(_ state: AppState, pipeline: PipelineInfo) -> Int? {
        if let index = RunPosition.runningStage(state.pipelineStatuses[pipeline.id]) { return index }
        return state.store.pipelineProgress(pipeline: pipeline.id, stages: pipeline.stages.map(\.index)).running
    }
}
