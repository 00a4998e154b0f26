import SWRAPI

/// What a pipeline's run status (the detail call) says about one stage, for polling: whether the
/// run is in it or about to reach it (`active`: poll it at its level), has been through it
/// (`finished`: one last poll to record its final job, then rest), or has not reached it, or
/// no run is going (`waiting`: rest; the next detail call notices a run starting).
public enum StageActivity: Sendable, Equatable {
    case active, finished, waiting

    /// Each stage's activity by stage index (the indexes of `status.stages`), from a run status.
    ///
    /// - A stage whose word is neither "not reached" (`waiting`, `pending`, `queued`, empty) nor
    ///   final (`success`, `failed`, `*_exception` ...) is in the run: active.
    /// - While the run goes, the stage at `stage_index` and the one after the furthest active
    ///   stage are active too (the next one is where the run goes next).
    /// - A stage with a final word is finished; every other stage waits.
    public static func of(_ status: PipelineStatus?) -> [Int: StageActivity] {
        guard let status else { return [:] }
        var result: [Int: StageActivity] = [:]
        for (index, stage) in status.stages.enumerated() {
            let word = stage.status.lowercased()
            if RunPosition.notReached.contains(word) {
                result[index] = .waiting
            } else if RunPosition.jobState(ofStatus: word).isFinal {
                result[index] = .finished
            } else {
                result[index] = .active
            }
        }
        if isRunning(status) {
            var furthest = result.filter { $0.value == .active }.keys.max()
            if let at = status.stageIndex, status.stages.indices.contains(at) {
                result[at] = .active
                furthest = max(furthest ?? at, at)
            }
            if let furthest, status.stages.indices.contains(furthest + 1), result[furthest + 1] == .waiting {
                result[furthest + 1] = .active
            }
        }
        return result
    }

    /// Whether the run status says a run is going: its word is not final (and not empty), or a
    /// stage is in progress.
    public static func isRunning(_ status: PipelineStatus?) -> Bool {
        guard let status else { return false }
        let word = status.status.lowercased()
        if !word.isEmpty, !RunPosition.notReached.contains(word), !RunPosition.jobState(ofStatus: word).isFinal { return true }
        return status.stages.contains { stage in
            let word = stage.status.lowercased()
            return !RunPosition.notReached.contains(word) && !RunPosition.jobState(ofStatus: word).isFinal
        }
    }
}
