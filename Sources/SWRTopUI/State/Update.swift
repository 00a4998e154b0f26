import Foundation
import SWRAPI
import SWRWatch

/// Applies one action to the state and says what the app loop must do. Pure: no I/O, no clock.
/// The layout that depends on the screen size (rows per page, the log's rows) is fitted here,
/// after every action, so `view` only draws.
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    var effects = apply(&state, action)
    // Where the run is does not depend on the time: a tick never moves it (the dashboard
    // sends one a second, and one before every batch of answers).
    if !action.isTick { effects += Follow.catchUp(&state) }
    Layout.fit(&state, overviewColumns: action.isInput)
    return effects
}

extension Action {
    var isTick: Bool {
        if case .tick = self { return true }
        return false
    }

    /// A key, a click or a new size: what can move the overview's selected cell or its room.
    var isInput: Bool {
        switch self {
        case .key, .mouse, .resize: return true
        default: return false
        }
    }
}

private func apply(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .resize(let width, let height):
        state.width = Checked.count(width)
        state.height = Checked.count(height)
        return []
    case .notice(let text):
        state.notice = (text, state.now.addingTimeInterval(15))
        return []
    case .seed(let target, let jobs, let timelines, let seenAt):
        state.store.seed(target, jobs: jobs, timelines: timelines, seenAt: seenAt)
        return []
    case .stageFigures(let figures):
        state.store.seedUsual(figures.target, samples: figures.usual, seenAt: state.now)
        // A later read of the file (a job ended meanwhile) knows better.
        if state.weekRefresh.applied[figures.target] == nil { state.weekOutcomes[figures.target] = figures.week }
        return []
    case .weekOutcomes(let request, let counts):
        state.weekRefresh.receive(request, counts, into: &state.weekOutcomes)
        return []
    case .stageHistory(let target, let answer):
        if state.historyView?.target == target { state.historyView?.receive(answer) }
        return []
    case .storedTimeline(let job, let answer):
        if state.historyView?.target == job.target, state.historyView?.timeline?.jobID == job.jobID {
            state.historyView?.timeline = HistoryView.OpenTimeline(jobID: job.jobID, answer: answer)
        }
        return []
    case .tick(let now):
        state.now = now
        state.highlights = state.highlights.filter { $0.value > now }
        if let notice = state.notice, notice.until <= now { state.notice = nil }
        // Once an hour the 7-day window has moved on: every stage's rate is read again.
        guard state.hasHistory, let read = state.weekRefresh.tick(now: now, targets: state.allTargets) else { return [] }
        return [read]
    case .poll(let result):
        return applyPoll(&state, result)
    case .key(let key):
        return applyKey(&state, key)
    case .mouse(let event):
        return Mouse.apply(&state, event, keys: applyKey)
    case .log(let key, let outcome):
        state.store.countRequest(at: state.now)
        guard var log = state.logView, log.key == key else { return [] }
        let ended = log.receive(outcome)
        state.logView = log
        // The log of an ended job does not grow: one last read, then no more.
        return ended ? [.stopLog] : []
    case .pipelinePage(let outcome):
        state.store.countRequest(at: state.now)
        guard var picker = state.picker else { return [] }
        let next = picker.receive(outcome)
        state.picker = picker
        return next.map { [$0] } ?? []
    case .pipelineDetail(let id, let outcome):
        state.store.countRequest(at: state.now)
        switch outcome {
        case .success(let pipeline):
            if let status = pipeline.status { state.pipelineStatuses[id] = status }
            return []
        case .failure(let error):
            let name = state.pipelines.first { $0.id == id }?.name ?? "pipeline \(id)"
            return refuse(&state, error, place: name)
        }
    }
}

/// A 401 that reaches the screen is final (the client has already renewed once where it
/// could): stop polling (`.pause`) and say so in a banner until `r`. Other errors change nothing here.
private func refuse(_ state: inout AppState, _ error: SWRError, place: String) -> [Effect] {
    guard case .unauthorized = error, state.refusal == nil else { return [] }
    state.refusal = AppState.Refusal(at: state.now, place: place)
    state.isPaused = true
    return [.pause]
}

private func applyPoll(_ state: inout AppState, _ result: PollResult) -> [Effect] {
    let changes = state.store.apply(result)
    if let budget = result.budget { state.budget = budget }
    var effects: [Effect] = []
    if case .failure(let error) = result.outcome {
        effects += refuse(&state, error, place: EventText.placeName(result.target, pipelines: state.pipelines))
    }
    let until = state.now.addingTimeInterval(AppState.highlightSeconds)
    // An open history pane reads its stage again when a job of it appears or ends.
    if let pane = state.historyView, pane.target == result.target, changes.contains(where: \.changesHistoryPane) {
        effects.append(.loadStageHistory(pane.target, now: state.now))
    }
    var ended = false
    for change in changes {
        guard let id = change.jobID else { continue }
        let key = JobRef(target: change.target, jobID: id)
        switch change.kind {
        case .stateChanged(_, let from, let to):
            state.highlights[key] = until
            // A job that ends counts in the stage's 7-day rate (when history gave one).
            if to.isFinal, !from.isFinal {
                state.weekOutcomes[change.target]?.add(to)
                ended = true
            }
            if let pipeline = state.pipeline, change.target.pipeline == pipeline.id, to.isFinal,
               to != .successful || change.target.stage == pipeline.stages.last?.index,
               state.announcedJobs[change.target] != id {
                state.announcedJobs[change.target] = id
                let stageName = pipeline.stages.first { $0.index == change.target.stage }?.name ?? "stage \(change.target.stage)"
                let text = "\(pipeline.name) run ended: \(to.label) at \(stageName)"
                state.notice = (text, state.now.addingTimeInterval(30))
                if state.ringBellOnFinish { effects.append(.bell) }
                if state.notifyOnFinish { effects.append(.notify(text)) }
            }
        case .appeared(let job):
            state.highlights[key] = until
            if job.state.isFinal {
                state.weekOutcomes[change.target]?.add(job.state)
                ended = true
            }
        case .progressChanged:
            state.highlights[key] = until
        default:
            break
        }
    }
    // The count above shows at once; the file's, read once the writer has the job, replaces it
    // (and drops what has left the window meanwhile).
    if ended, state.hasHistory { effects.append(state.weekRefresh.request([result.target], now: state.now)) }
    return effects
}

private func applyKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if state.picker != nil { return applyPickerKey(&state, key) }
    if state.logView?.isEditingSearch == true { return applyLogKey(&state, key) }
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
    if state.showHelp {
        // Any key closes the help, `q` too (it says so); only Ctrl-C quits from here.
        if key == .ctrlC { return [.quit] }
        state.showHelp = false
        return []
    }
    if state.logView != nil, command != .toggleHelp { return applyLogKey(&state, key) }
    guard let command else { return [] }
    if state.historyView != nil, command != .toggleHelp, command != .quit { return applyHistoryCommand(&state, command) }
    if state.showOverview, let effects = applyOverviewCommand(&state, command) { return effects }
    if state.showDetail, applyDetailCommand(&state, command) { return [] }
    switch command {
    case .quit: return [.quit]
    case .toggleHelp: state.showHelp = true
    case .escape:
        if state.showOverview { state.showOverview = false } else if !state.filter.isEmpty { state.filter = "" } else { state.selectedJobID = nil }
    case .nextStage: return moveStage(&state, by: 1)
    case .previousStage: return moveStage(&state, by: -1)
    case .follow: return follow(&state)
    case .nextPipeline: return movePipeline(&state, to: Checked.add(state.pipelineIndex, 1))
    case .previousPipeline: return movePipeline(&state, to: Checked.sub(state.pipelineIndex, 1))
    case .pipelineNumber(let n):
        guard n - 1 < state.pipelines.count else { return [] }
        return movePipeline(&state, to: n - 1)
    case .up: moveSelection(&state, by: -1)
    case .down: moveSelection(&state, by: 1)
    case .pageUp: moveSelection(&state, by: -max(1, Checked.sub(state.pageRows, 1)))
    case .pageDown: moveSelection(&state, by: max(1, Checked.sub(state.pageRows, 1)))
    case .top: moveSelection(&state, to: 0)
    case .bottom: moveSelection(&state, to: Int.max)
    case .toggleDetail:
        state.showDetail = true
        state.detailScroll = 0
    case .toggleOverview:
        state.showOverview = true
        state.overviewSelection = state.pipelineIndex
        state.overviewColumn = state.stageIndex
    case .toggleHistory: return openHistory(&state)
    case .openLog: return openLog(&state)
    case .openPicker:
        var picker = PipelinePicker()
        let load = picker.pageToLoad()
        state.picker = picker
        return load.map { [$0] } ?? []
    case .startFilter: state.isEditingFilter = true
    case .cycleSort:
        state.sort = state.sort.next
        state.scroll = 0
    case .refresh:
        if state.refusal != nil { return retryAfterRefusal(&state) }
        return [.refresh(state.pipeline?.targets ?? [])]
    case .togglePause:
        if state.refusal != nil { return retryAfterRefusal(&state) }
        state.isPaused.toggle()
        return [state.isPaused ? .pause : .resume]
    }
    return []
}

/// `r` after a refused token: polling starts again and the focused pipeline is asked at once
/// (a token still refused brings the banner back).
private func retryAfterRefusal(_ state: inout AppState) -> [Effect] {
    state.refusal = nil
    state.isPaused = false
    return [.resume, .refresh(state.pipeline?.targets ?? [])]
}

/// The overview's own keys: ↑↓ (and paging) select a row, ←→ (Tab, BackTab) a stage column,
/// Enter opens the selected cell (`openOverviewCell`), Esc or `o` close. `nil` for a command the
/// overview leaves to the dashboard.
private func applyOverviewCommand(_ state: inout AppState, _ command: Keymap.Command) -> [Effect]? {
    let count = state.pipelines.count
    let rows = max(1, state.overviewRows)
    func select(_ row: Int) -> [Effect] {
        state.overviewSelection = count == 0 ? 0 : min(max(0, row), count - 1)
        return []
    }
    let current = Checked.clamp(state.overviewSelection, count - 1)
    switch command {
    case .up: return select(Checked.sub(current, 1))
    case .down: return select(Checked.add(current, 1))
    case .pageUp: return select(Checked.sub(current, max(1, rows - 1)))
    case .pageDown: return select(Checked.add(current, max(1, rows - 1)))
    case .top: return select(0)
    case .bottom: return select(Int.max)
    case .nextStage, .previousStage:
        // From the column shown selected (a shorter pipeline's last stage), within the row.
        guard let column = state.overviewCellColumn, state.pipelines.indices.contains(current) else { return [] }
        let delta = command == .nextStage ? 1 : -1
        state.overviewColumn = Checked.clamp(Checked.add(column, delta), state.pipelines[current].stages.count - 1)
        return []
    case .toggleDetail:
        guard count > 0 else { return [] }
        return openOverviewCell(&state, row: current)
    case .toggleOverview, .escape:
        state.showOverview = false
        return []
    default: return nil
    }
}

/// Enter on an overview cell: closes the overview and shows that pipeline on that stage, chosen
/// by hand (as a clicked stage tab: it stops following the run; `f` follows again). A pipeline
/// without stages opens as `[`/`]` would.
func openOverviewCell(_ state: inout AppState, row: Int) -> [Effect] {
    guard state.pipelines.indices.contains(row) else { return [] }
    state.showOverview = false
    state.overviewSelection = row
    guard let column = state.overviewCellColumn else { return movePipeline(&state, to: row) }
    state.pipelineIndex = row
    state.stageIndex = column
    state.isFollowing = false
    return focusChanged(&state)
}

/// The detail pane's keys once drilled in: ↑↓ (and paging) scroll the observed timeline,
/// Enter or Esc return to the jobs. Returns whether the command was taken.
private func applyDetailCommand(_ state: inout AppState, _ command: Keymap.Command) -> Bool {
    let page = max(1, Checked.sub(state.detailRows, 1))
    switch command {
    case .up: state.detailScroll = Checked.add(state.detailScroll, 1)
    case .down: state.detailScroll = max(0, Checked.sub(state.detailScroll, 1))
    case .pageUp: state.detailScroll = Checked.add(state.detailScroll, page)
    case .pageDown: state.detailScroll = max(0, Checked.sub(state.detailScroll, page))
    case .top: state.detailScroll = Int.max
    case .bottom: state.detailScroll = 0
    case .toggleDetail, .escape:
        state.showDetail = false
        state.detailScroll = 0
    default: return false
    }
    return true
}

/// `f`: follow the run again, at once (and the newest job).
private func follow(_ state: inout AppState) -> [Effect] {
    state.isFollowing = true
    state.showDetail = false
    state.detailScroll = 0
    state.selectedJobID = nil
    state.scroll = 0
    return []  // `Follow.catchUp` moves to the run's stage after this action.
}

private func moveStage(_ state: inout AppState, by delta: Int) -> [Effect] {
    guard let pipeline = state.pipeline, !pipeline.stages.isEmpty else { return [] }
    let count = pipeline.stages.count
    // From a valid index (the public state may hold any), so the sum cannot overflow.
    let current = pipeline.stages.indices.contains(state.stageIndex) ? state.stageIndex : 0
    state.stageIndex = ((current + delta % count) % count + count) % count
    // A stage chosen by hand: stop following the run (`f` follows again).
    state.isFollowing = false
    return focusChanged(&state)
}

/// Shows another pipeline on its running stage, or the last stage its run reached when idle
/// (stage 0 when nothing is known yet), following it.
private func movePipeline(_ state: inout AppState, to index: Int) -> [Effect] {
    let count = state.pipelines.count
    guard count > 0 else { return [] }
    state.pipelineIndex = (index % count + count) % count
    state.overviewSelection = state.pipelineIndex
    state.isFollowing = true
    state.stageIndex = state.pipeline.flatMap { RunView(state, pipeline: $0, withLooks: false).followPosition } ?? 0
    return focusChanged(&state)
}

func focusChanged(_ state: inout AppState) -> [Effect] {
    state.selectedJobID = nil
    state.scroll = 0
    state.detailScroll = 0
    return state.focusedTarget.map { [.focus($0)] } ?? []
}

/// Follow mode: after every action, a following view moves to the stage the focused pipeline's
/// run is at (see `RunView.followPosition`), with the newest job selected, and tells the engine
/// (`.focus`) so that stage is polled at the base interval. It waits while the user reads a
/// job's detail (drilled in) or a stage's history pane, and catches up on the way out.
enum Follow {
    static func catchUp(_ state: inout AppState) -> [Effect] {
        guard state.isFollowing, !state.showDetail, state.historyView == nil, let pipeline = state.pipeline,
              let position = RunView(state, pipeline: pipeline, withLooks: false).followPosition, position != state.stageIndex else { return [] }
        state.stageIndex = position
        return focusChanged(&state)
    }
}

private func moveSelection(_ state: inout AppState, by delta: Int) {
    let jobs = state.visibleJobs
    moveSelection(&state, to: Checked.add(state.selectedRow(in: jobs), delta), jobs: jobs)
}

private func moveSelection(_ state: inout AppState, to row: Int, jobs: [Job]? = nil) {
    let jobs = jobs ?? state.visibleJobs
    guard !jobs.isEmpty else { return }
    let clamped = min(max(0, row), jobs.count - 1)
    state.selectedJobID = jobs[clamped].id
    state.scroll = Scrolling.offset(selection: clamped, count: jobs.count, height: state.pageRows, current: state.scroll)
}

private func openLog(_ state: inout AppState) -> [Effect] {
    let jobs = state.visibleJobs
    guard let pipeline = state.pipeline, let stage = state.stage, let target = state.focusedTarget, !jobs.isEmpty else {
        state.notice = ("no job selected: the log needs a job", state.now.addingTimeInterval(5))
        return []
    }
    let job = jobs[state.selectedRow(in: jobs)]
    guard job.hasID else {
        state.notice = ("this job came without an id, so there is no log to ask for", state.now.addingTimeInterval(5))
        return []
    }
    let key = JobRef(target: target, jobID: job.id)
    let arrow = state.glyphs.isUnicode ? "›" : ">"
    state.logView = LogView(key: key, title: "\(pipeline.name) \(arrow) \(stage.name) \(arrow) #\(job.id)")
    state.showOverview = false
    return [.followLog(key)]
}

extension JobChange {
    /// Whether the change adds a bar to the history pane or ends one (a job appears, or its
    /// state changes).
    var changesHistoryPane: Bool {
        switch kind {
        case .appeared, .stateChanged: return true
        case .progressChanged, .durationChanged, .disappeared, .targetFailed, .targetRecovered: return false
        }
    }
}

/// `H`: the focused stage's history pane, read from the file at once.
private func openHistory(_ state: inout AppState) -> [Effect] {
    guard let pipeline = state.pipeline, let stage = state.stage, let target = state.focusedTarget else { return [] }
    let arrow = state.glyphs.isUnicode ? "›" : ">"
    state.historyView = HistoryView(target: target, title: "\(pipeline.name) \(arrow) \(stage.name)")
    state.showOverview = false
    return [.loadStageHistory(target, now: state.now)]
}

private func applyHistoryCommand(_ state: inout AppState, _ command: Keymap.Command) -> [Effect] {
    guard var view = state.historyView else { return [] }
    let (effects, close) = view.handle(command)
    state.historyView = close ? nil : view
    return effects
}

private func applyLogKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var log = state.logView else { return [] }
    let (effects, close) = log.handle(key)
    state.logView = close ? nil : log
    return close ? effects + [.stopLog] : effects
}

private func applyPickerKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var picker = state.picker else { return [] }
    switch picker.handle(key) {
    case .stay(let effects):
        state.picker = picker
        return effects
    case .close:
        state.picker = nil
        return []
    case .quit:
        return [.quit]
    case .choose(let chosen):
        state.picker = nil
        return watch(&state, chosen)
    }
}

/// Adds a pipeline from the picker to the watched set (for this session) and shows it.
private func watch(_ state: inout AppState, _ pipeline: Pipeline) -> [Effect] {
    if let index = state.pipelines.firstIndex(where: { $0.id == pipeline.id }) {
        return movePipeline(&state, to: index)
    }
    guard !pipeline.stages.isEmpty else {
        state.notice = ("\(pipeline.name) has no stages to watch", state.now.addingTimeInterval(10))
        return []
    }
    let info = PipelineInfo(pipeline)
    state.pipelines.append(info)
    if let status = pipeline.status { state.pipelineStatuses[pipeline.id] = status }
    state.notice = ("watching \(pipeline.name) for this session; add it to the config to keep it", state.now.addingTimeInterval(10))
    return [.watch(state.allTargets)] + movePipeline(&state, to: state.pipelines.count - 1)
}
