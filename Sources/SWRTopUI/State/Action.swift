import Foundation
import SWRAPI
import SWRWatch

/// A key, decoded by the terminal backend.
public enum Key: Sendable, Equatable {
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, ctrlC
    case char(Character)
}

/// Everything that can happen to the app: a key, a poll result, a clock tick, an answer for
/// the logs pane, the picker or the pipeline status.
public enum Action: Sendable {
    case key(Key)
    case poll(PollResult)
    case tick(Date)
    case log(LogKey, Result<JobLog, SWRError>)
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
    case followLog(LogKey)
    case stopLog
    /// Read a page of the pipeline list.
    case loadPipelines(offset: Int)
    /// The watched set changed: poll exactly these targets from now on.
    case watch([Target])
    case quit
}
