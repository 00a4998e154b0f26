import Foundation
import SWRAPI
import SWRWatch

/// Every metric `swr-top export` serves: its name, kind, help text and label names (README
/// "Metrics"). Label values come only from the watched pipelines and stages and from fixed
/// vocabularies (`StateWord`, `SWRError.kind`), so the number of series is bounded by pipelines
/// × stages × states, however long the exporter runs and whatever the server sends.
public enum MetricFamily: String, CaseIterable, Sendable {
    case newestJobState = "swr_stage_newest_job_state"
    case newestJobProgress = "swr_stage_newest_job_progress_ratio"
    case newestJobDuration = "swr_stage_newest_job_duration_seconds"
    case newestJobCreated = "swr_stage_newest_job_created_timestamp_seconds"
    case jobsFinished = "swr_stage_jobs_finished_total"
    case jobDuration = "swr_stage_job_duration_seconds"
    case lastSuccess = "swr_stage_last_success_timestamp_seconds"
    case stageUp = "swr_stage_up"
    case pipelineRunStatus = "swr_pipeline_run_status"
    case apiRequests = "swr_api_requests_total"
    case apiRequestDuration = "swr_api_request_duration_seconds"
    case buildInfo = "swr_build_info"

    public enum Kind: Sendable {
        case gauge, counter, histogram
    }

    public var name: String { rawValue }

    public var kind: Kind {
        switch self {
        case .jobsFinished, .apiRequests: return .counter
        case .jobDuration, .apiRequestDuration: return .histogram
        default: return .gauge
        }
    }

    /// The label names, in the order they are written.
    public var labelNames: [String] {
        switch self {
        case .newestJobState, .jobsFinished: return Self.stageLabelNames + ["state"]
        case .newestJobProgress, .newestJobDuration, .newestJobCreated, .jobDuration, .lastSuccess, .stageUp: return Self.stageLabelNames
        case .pipelineRunStatus: return Self.pipelineLabelNames + ["status"]
        case .apiRequests: return ["kind", "outcome"]
        case .apiRequestDuration: return ["kind"]
        case .buildInfo: return ["version"]
        }
    }

    static let pipelineLabelNames = ["pipeline", "pipeline_id"]
    static let stageLabelNames = pipelineLabelNames + ["stage", "stage_index"]

    public var help: String {
        switch self {
        case .newestJobState: return "1 for the state of the stage's newest job, 0 for the other states."
        case .newestJobProgress: return "Progress of the stage's newest job, 0 to 1 (absent when the service sends none)."
        case .newestJobDuration: return "Execution time of the stage's newest job as the service reports it, in seconds."
        case .newestJobCreated: return "When the stage's newest job was created, in seconds since the Unix epoch."
        case .jobsFinished: return "Jobs seen to finish, by final state; each job id counts once, jobs already finished at the exporter's first poll do not count."
        case .jobDuration: return "Execution time of jobs seen to finish (observed once per job), in seconds."
        case .lastSuccess: return "When a poll of the stage last succeeded, in seconds since the Unix epoch."
        case .stageUp: return "1 while the stage's data is fresh (a poll succeeded within 3 of its intervals), 0 while it is stale or not read yet."
        case .pipelineRunStatus: return "1 for the status of the pipeline's current run (from the detail call), 0 for the others."
        case .apiRequests: return "Requests the exporter made to the SWR API, by kind and outcome (success or the error kind)."
        case .apiRequestDuration: return "Time the exporter's requests to the SWR API took, in seconds."
        case .buildInfo: return "Always 1; the version of swr-top in a label."
        }
    }

    /// Bucket bounds of a histogram, in seconds.
    public var buckets: [Double] {
        switch self {
        case .jobDuration: return [10, 30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 14400]
        case .apiRequestDuration: return [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
        default: return []
        }
    }
}

/// The words of the `state` and `status` labels: fixed sets, never the server's own text.
public enum StateWord {
    /// Every value of the `state` label, in order: the canonical words of `--once --json`, in
    /// lower case.
    public static let jobStates = ["waiting", "building", "successful", "failed", "timeout", "cancel", "unknown"]

    /// A job state as a label value; a state swr-top does not know is `unknown`.
    public static func job(_ state: JobState) -> String { state.label.lowercased() }

    /// Every value of the `status` label of `swr_pipeline_run_status`: the service's lower-case
    /// run words, `unknown` for anything else.
    public static let runStatuses = ["waiting", "running", "success", "failed", "timeout", "cancel", "unknown"]

    /// A run status word from the detail call as a label value (synonyms read as
    /// `RunPosition.jobState(ofStatus:)` reads them).
    public static func run(_ word: String) -> String {
        switch RunPosition.jobState(ofStatus: word) {
        case .waiting: return "waiting"
        case .building: return "running"
        case .successful: return "success"
        case .failed: return "failed"
        case .timeout: return "timeout"
        case .cancelled: return "cancel"
        case .unknown: return "unknown"
        }
    }
}
