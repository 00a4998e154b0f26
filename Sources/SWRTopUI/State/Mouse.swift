import SWRAPI
import SWRWatch

/// A mouse report, decoded by the terminal backend: a press of the first button or a turn of the
/// wheel, at a cell (0-based, as the frame counts).
public struct MouseEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case press, wheelUp, wheelDown
    }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// The mouse, mapped onto what the keys already do: the frame `view` would draw now says what is
/// under the pointer (`Frame.hits`), and a click or a turn of the wheel becomes the keys that do
/// the same there. So every mouse action is as tested as its keys, and hit-testing stays pure.
enum Mouse {
    /// Rows the wheel moves at a time.
    static let wheelRows = 3

    static func apply(_ state: inout AppState, _ event: MouseEvent, keys: (inout AppState, Key) -> [Effect]) -> [Effect] {
        let targets = view(state).hits(x: event.x, y: event.y)
        switch event.kind {
        case .wheelUp, .wheelDown:
            let key: Key = event.kind == .wheelUp ? .up : .down
            // The wheel scrolls what the screen shows: the log, the picker, the overview, the
            // drilled-in timeline, else the jobs.
            // What ↑/↓ move in the mode the screen is in; the help overlay ignores it.
            if state.showHelp || targets.isEmpty { return [] }
            return (0..<wheelRows).flatMap { _ in keys(&state, key) }
        case .press:
            guard let target = targets.first else { return [] }
            return press(&state, on: target, keys: keys)
        }
    }

    private static func press(_ state: inout AppState, on target: HitTarget, keys: (inout AppState, Key) -> [Effect]) -> [Effect] {
        if state.showHelp { return keys(&state, .escape) }
        switch target {
        case .stage(let position):
            guard let pipeline = state.pipeline, pipeline.stages.indices.contains(position), position != state.stageIndex else { return [] }
            state.stageIndex = position
            // A stage chosen by hand, as with ←/→: stop following the run.
            state.isFollowing = false
            return focusChanged(&state)
        case .job(let id):
            // A click selects the row; a click on the selected row opens its detail (Enter).
            if state.selectedJobID == id, !state.showDetail { return keys(&state, .enter) }
            let jobs = state.visibleJobs
            guard let row = jobs.firstIndex(where: { $0.id == id }) else { return [] }
            state.selectedJobID = id
            state.scroll = Scrolling.offset(selection: row, count: jobs.count, height: state.pageRows, current: state.scroll)
            if state.showDetail {
                state.detailScroll = 0
            }
            return []
        case .column(let title):
            guard let order = sortOrder(forColumn: title), order != state.sort else { return [] }
            state.sort = order
            state.scroll = 0
            return []
        case .overviewPipeline(let index):
            // A click selects the row; a click on the selected row opens it (Enter).
            if state.overviewSelection == index { return keys(&state, .enter) }
            state.overviewSelection = Checked.clamp(index, state.pipelines.count - 1)
            return []
        case .overviewCell(let index, let position):
            // A click selects the cell; a click on the selected cell opens it (Enter): that
            // pipeline on that stage.
            guard state.pipelines.indices.contains(index), state.pipelines[index].stages.indices.contains(position) else { return [] }
            if state.overviewSelection == index, state.overviewCellColumn == position { return keys(&state, .enter) }
            state.overviewSelection = index
            state.overviewColumn = position
            return []
        case .pickerRow(let row):
            guard var picker = state.picker else { return [] }
            if picker.selection == row { return keys(&state, .enter) }
            picker.selection = Checked.clamp(row, picker.shown.count - 1)
            state.picker = picker
            return []
        case .detailPane:
            // A click on the detail pane drills into it, as Enter does.
            return state.showDetail || state.logView != nil || state.showOverview ? [] : keys(&state, .enter)
        case .jobsPane:
            // Back from the detail pane to the jobs, as Esc does.
            return state.showDetail && state.logView == nil ? keys(&state, .escape) : []
        case .logPane, .overview, .picker:
            return []
        }
    }

    /// The order a click on a column title asks for; nil where the column sorts nothing.
    static func sortOrder(forColumn title: String) -> SortOrder? {
        switch title {
        case "ID", "AGE": return .newest
        case "DUR": return .longest
        case "STATE": return .state
        default: return nil
        }
    }
}
