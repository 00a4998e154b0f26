import Foundation
import SWRAPI
import SWRWatch

/// Applies one action to the state and says what the app loop must do. Pure: no I/O, no clock.
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .tick(let now):
        state.now = now
        state.highlights = state.highlights.filter { $0.value > now }
        if let notice = state.notice, notice.until <= now { state.notice = nil }
        return []
    case .poll(let result):
        return applyPoll(&state, result)
    case .key(let key):
        return applyKey(&state, key)
    }
}

private func applyPoll(_ state: inout AppState, _ result: PollResult) -> [Effect] {
    let changes = state.store.apply(result)
    var effects: [Effect] = []
    let until = state.now.addingTimeInterval(AppState.highlightSeconds)
    for change in changes {
        guard let id = change.jobID else { continue }
        switch change.kind {
        case .stateChanged(_, _, let to):
            state.highlights[AppState.HighlightKey(target: change.target, jobID: id)] = until
            if let pipeline = state.pipeline, change.target.pipeline == pipeline.id, to.isFinal,
               to != .successful || change.target.stage == pipeline.stages.last?.index {
                let stageName = pipeline.stages.first { $0.index == change.target.stage }?.name ?? "stage \(change.target.stage)"
                state.notice = ("\(pipeline.name) run ended: \(to.label) at \(stageName)", state.now.addingTimeInterval(30))
                if state.ringBellOnFinish { effects.append(.bell) }
            }
        case .progressChanged, .appeared:
            state.highlights[AppState.HighlightKey(target: change.target, jobID: id)] = until
        default:
            break
        }
    }
    return effects
}

private func applyKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if state.isEditingFilter {
        switch key {
        case .enter: state.isEditingFilter = false
        case .escape:
            state.isEditingFilter = false
            state.filter = ""
        case .backspace: if !state.filter.isEmpty { state.filter.removeLast() }
        case .char(let c): state.filter.append(c)
        case .ctrlC: return [.quit]
        default: break
        }
        state.selectedJobID = nil
        state.scroll = 0
        return []
    }
    let command = Keymap.command(for: key)
    if state.showHelp, command != .quit {
        state.showHelp = false
        return []
    }
    guard let command else { return [] }
    switch command {
    case .quit: return [.quit]
    case .toggleHelp: state.showHelp = true
    case .escape:
        if state.showOverview { state.showOverview = false } else if !state.filter.isEmpty { state.filter = "" } else { state.selectedJobID = nil }
    case .nextStage: return moveStage(&state, by: 1)
    case .previousStage: return moveStage(&state, by: -1)
    case .nextPipeline: return movePipeline(&state, to: state.pipelineIndex + 1)
    case .previousPipeline: return movePipeline(&state, to: state.pipelineIndex - 1)
    case .pipelineNumber(let n):
        guard n - 1 < state.pipelines.count else { return [] }
        return movePipeline(&state, to: n - 1)
    case .up: moveSelection(&state, by: -1)
    case .down: moveSelection(&state, by: 1)
    case .pageUp: moveSelection(&state, by: -max(1, state.pageRows - 1))
    case .pageDown: moveSelection(&state, by: max(1, state.pageRows - 1))
    case .top: moveSelection(&state, to: 0)
    case .bottom: moveSelection(&state, to: Int.max)
    case .toggleDetail: state.showDetail.toggle()
    case .toggleOverview: state.showOverview.toggle()
    case .startFilter: state.isEditingFilter = true
    case .cycleSort:
        state.sort = state.sort.next
        state.scroll = 0
    case .refresh:
        return [.refresh(state.pipeline?.targets ?? [])]
    case .togglePause:
        state.isPaused.toggle()
        return [state.isPaused ? .pause : .resume]
    }
    return []
}

private func moveStage(_ state: inout AppState, by delta: Int) -> [Effect] {
    guard let pipeline = state.pipeline, !pipeline.stages.isEmpty else { return [] }
    let count = pipeline.stages.count
    state.stageIndex = ((state.stageIndex + delta) % count + count) % count
    return focusChanged(&state)
}

private func movePipeline(_ state: inout AppState, to index: Int) -> [Effect] {
    let count = state.pipelines.count
    guard count > 0 else { return [] }
    state.pipelineIndex = (index % count + count) % count
    let stages = state.pipeline?.stages.count ?? 0
    state.stageIndex = min(state.stageIndex, max(0, stages - 1))
    return focusChanged(&state)
}

private func focusChanged(_ state: inout AppState) -> [Effect] {
    state.selectedJobID = nil
    state.scroll = 0
    return state.focusedTarget.map { [.focus($0)] } ?? []
}

private func moveSelection(_ state: inout AppState, by delta: Int) {
    let jobs = state.visibleJobs
    moveSelection(&state, to: state.selectedRow(in: jobs) + delta, jobs: jobs)
}

private func moveSelection(_ state: inout AppState, to row: Int, jobs: [Job]? = nil) {
    let jobs = jobs ?? state.visibleJobs
    guard !jobs.isEmpty else { return }
    let clamped = min(max(0, row), jobs.count - 1)
    state.selectedJobID = jobs[clamped].id
    state.scroll = Scrolling.offset(selection: clamped, count: jobs.count, height: state.pageRows, current: state.scroll)
}
