import SWRAPI
import SWRHistory
import SWRWatch

/// What a live session is asked to do (by the dashboard's keys, or another front end).
public enum SessionCommand: Sendable, Equatable {
    /// Poll this stage at the base interval from now on (and at once); read its pipeline's run
    /// status at the base interval, the others' once a minute.
    case focus(Target?)
    /// Poll exactly these stages from now on.
    case watch([Target])
    /// Poll these stages now.
    case refresh([Target])
    case pause
    case resume
    /// Read this job's log again and again (at the base interval) until `stopLog`.
    case followLog(JobRef)
    case stopLog
    /// Read a page of the account's pipeline list.
    case loadPipelines(offset: Int, limit: Int)
}

/// What a live session answers, in the order it happens.
public enum SessionEvent: Sendable {
    case poll(PollResult)
    case pipelineDetail(id: Int, Result<Pipeline, SWRError>)
    case log(JobRef, Result<JobLog, SWRError>)
    case pipelinePage(Result<PipelinePage, SWRError>)
    /// What an earlier session saw of a stage (the history file), once at start.
    case known(KnownStage)
}
