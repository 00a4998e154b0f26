import Foundation
import SWRAPI
import SWRWatch

/// A key, decoded by the terminal backend.
public enum Key: Sendable, Equatable {
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, ctrlC
    case char(Character)
}

/// Everything that can happen to the app: a key, a new terminal size, a poll result, a clock
/// tick, an answer for the logs pane, the picker or the pipeline status, a notice from the
/// loop. Time reaches `update` only through actions (`tick` carries it).
public enum Action: Sendable {
    case key(Key)
    /// A click or a turn of the wheel (`Mouse`).
    case mouse(MouseEvent)
    /// The terminal's size, at start and after every resize.
    case resize(width: Int, height: Int)
    case poll(PollResult)
    /// The time now: ages, countdowns and expiring highlights follow it.
    case tick(Date)
    /// Something the loop must say in the status line (the `--log` file stopped, say).
    case notice(String)
    /// What an earlier session saw of a stage (the history file): its jobs, newest first, their
    /// timelines by job id, and when they were last seen. Shown until the first poll answers.
    case seed(Target, jobs: [Job], timelines: [String: [Observation]], seenAt: Date)
    /// The history file's basis of "usual" and 7-day outcomes of a stage, at start.
    case stageFigures(StageFigures)
    /// The history file's 7-day outcomes of stages, the answer to `Effect.loadWeekOutcomes`
    /// number `request`.
    case weekOutcomes(request: Int, [Target: OutcomeCounts])
    /// The history pane's data for a stage (`off` when the session keeps no history).
    case stageHistory(Target, HistoryLookup<StageHistory>)
    /// A job's timeline as the history file stored it.
    case storedTimeline(JobRef, HistoryLookup<[Observation]>)
    case log(JobRef, Result<JobLog, SWRError>)
    case pipelinePage(Result<PipelinePage, SWRError>)
    case pipelineDetail(id: Int, Result<Pipeline, SWRError>)
}

/// What the app loop must do after an update.
public enum Effect: Sendable, Equatable {
    case focus(Target)
    case refresh([Target])
    case pause
    case resume
    case bell
    /// A desktop notification (OSC 9 / OSC 777) with this text.
    case notify(String)
    /// Read this job's log again and again (at the focused interval) until `stopLog`.
    case followLog(JobRef)
    case stopLog
    /// Read a page of the pipeline list.
    case loadPipelines(offset: Int)
    /// The watched set changed: poll exactly these targets from now on.
    case watch([Target])
    /// Read the history pane's data for a stage (windows of time end at `now`).
    case loadStageHistory(Target, now: Date)
    /// Read a job's stored timeline from the history file.
    case loadTimeline(JobRef)
    /// Read these stages' outcomes over the 7 days before `now` from the history file (after
    /// what was recorded so far is written); the answer is `Action.weekOutcomes` with `request`.
    case loadWeekOutcomes([Target], now: Date, request: Int)
    case quit
}
