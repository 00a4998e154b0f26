import SWRAPI

/// One job of one stage: the stage (`Target`) and the job's id. The one key for a job across
/// the store's timelines, the screen's highlights, the logs pane and `--watch --logs`.
public struct JobRef: Hashable, Sendable, CustomStringConvertible {
    public var target: Target
    public var jobID: String

    public init(target: Target, jobID: String) {
        self.target = target
        self.jobID = jobID
    }

    public var description: String { "\(target)#\(jobID)" }
}
