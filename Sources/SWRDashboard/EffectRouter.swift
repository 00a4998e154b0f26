import SWRHistory
import SWRSession
import SWRTopUI
import SWRWatch

/// Where each `Effect` of `update` goes: to the loop itself (the terminal, the notifier, quit)
/// or to the session as commands. One exhaustive switch: a new `Effect` does not compile until
/// it is routed here.
enum EffectRouter {
    /// What the loop does itself.
    enum LoopCommand: Equatable {
        case quit
        case bell
        case notify(String)
    }

    enum Route: Equatable {
        case loop(LoopCommand)
        case session(SessionCommand)
    }

    static func route(_ effect: Effect) -> Route {
        switch effect {
        case .quit: return .loop(.quit)
        case .bell: return .loop(.bell)
        case .notify(let text): return .loop(.notify(text))
        case .focus(let target): return .session(.focus(target))
        case .watch(let targets): return .session(.watch(targets))
        case .refresh(let targets): return .session(.refresh(targets))
        case .pause: return .session(.pause)
        case .resume: return .session(.resume)
        case .followLog(let job): return .session(.followLog(job))
        case .stopLog: return .session(.stopLog)
        case .loadPipelines(let offset): return .session(.loadPipelines(offset: offset, limit: PipelinePicker.pageSize))
        case .loadStageHistory(let target, let now): return .session(.loadStageHistory(target, now: now))
        case .loadTimeline(let job): return .session(.loadTimeline(job))
        case .loadWeekOutcomes(let targets, let now, let request): return .session(.loadWeekOutcomes(targets, now: now, request: request))
        }
    }

    /// A session answer as the action `update` takes.
    static func action(for event: SessionEvent) -> Action {
        switch event {
        case .poll(let result): return .poll(result)
        case .pipelineDetail(let id, let outcome): return .pipelineDetail(id: id, outcome)
        case .log(let job, let outcome): return .log(job, outcome)
        case .pipelinePage(let outcome): return .pipelinePage(outcome)
        case .known(let stage): return .seed(stage.target, jobs: stage.jobs, timelines: stage.timelines, seenAt: stage.lastSeen)
        case .figures(let figures): return .stageFigures(figures)
        case .stageHistory(let target, let answer): return .stageHistory(target, answer)
        case .storedTimeline(let job, let answer): return .storedTimeline(job, answer)
        case .weekOutcomes(let request, let counts): return .weekOutcomes(request: request, counts)
        }
    }
}
