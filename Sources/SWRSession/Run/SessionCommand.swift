import Foundation
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
    /// Read what the history file holds of a stage (the history pane), as of `now`.
    case loadStageHistory(Target, now: Date)
    /// Read one job's stored timeline from the history file.
    case loadTimeline(JobRef)
    /// Read stages' outcomes over the 7 days before `now` from the history file, once what was
    /// recorded so far is written; answered by `SessionEvent.weekOutcomes` with `request`.
    case loadWeekOutcomes([Target], now: Date, request: Int)
}

/// What a live session answers, in the order it happens.
public enum SessionEvent: Sendable {
    case poll(PollResult)
    case pipelineDetail(id: Int, Result<Pipeline, SWRError>)
    case log(JobRef, Result<JobLog, SWRError>)
    case pipelinePage(Result<PipelinePage, SWRError>)
    /// What an earlier session saw of a stage (the history file), once at start.
    case known(KnownStage)
    /// The history file's basis of "usual" and 7-day outcomes of a stage, once at start.
    case figures(StageFigures)
    /// The history pane's answer (`off` when the session keeps no history).
    case stageHistory(Target, HistoryLookup<StageHistory>)
    /// A stored timeline's answer.
    case storedTimeline(JobRef, HistoryLookup<[Observation]>)
    /// Stages' 7-day outcomes from the history file, for `loadWeekOutcomes` number `request`
    /// (nothing is answered without history, or when the file cannot be read).
    case weekOutcomes(request: Int, [Target: OutcomeCounts])
}
