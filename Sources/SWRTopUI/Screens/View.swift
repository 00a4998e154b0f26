import Foundation
import SWRAPI
import SWRWatch

/// Renders the whole screen at the state's size (see `Action.resize`).
public func view(_ state: AppState) -> Frame {
    view(state, width: state.width, height: state.height)
}

/// Renders the whole screen from the state. Pure: the same state and size give the same frame.
public func view(_ state: AppState, width requestedWidth: Int, height requestedHeight: Int) -> Frame {
    var frame = Frame(width: requestedWidth, height: requestedHeight)
    // The frame's own size: never negative, never beyond `Checked.maxColumns`.
    let width = frame.width, height = frame.height
    if width < Layout.minWidth || height < Layout.minHeight {
        let message = width >= 12 ? "enlarge to 20×5" : "too small"
        let text = DisplayWidth.truncate(message, to: width)
        frame.put(text, x: max(0, (width - DisplayWidth.of(text)) / 2), y: height / 2, style: .accent)
        return frame
    }
    let layout = Layout(state: state, width: width, height: height)
    Header.render(state, into: &frame, row: 0)
    StageStrip.render(state, into: &frame, row: 1)
    if let banner = layout.banner { RefusalBanner.render(state, into: &frame, rect: banner) }
    if let log = state.logView {
        LogPane.render(state, log: log, into: &frame, rect: layout.body)
    } else if let history = state.historyView {
        HistoryPane.render(state, view: history, into: &frame, rect: layout.body)
    } else if state.showOverview {
        OverviewPane.render(state, into: &frame, rect: layout.body)
    } else {
        // Filtered and sorted once per frame, shared by the panes that list jobs.
        let visible = layout.jobs != nil || layout.detail != nil ? state.visibleJobs : []
        if let rect = layout.jobs { JobsPane.render(state, jobs: visible, into: &frame, rect: rect) }
        if let rect = layout.detail { DetailPane.render(state, jobs: visible, into: &frame, rect: rect) }
        if let events = layout.events { EventsPane.render(state, into: &frame, rect: events) }
    }
    StatusLine.render(state, into: &frame, row: height - 1, messageRow: layout.messageRow)
    if let picker = state.picker { PickerOverlay.render(state, picker: picker, into: &frame) }
    if state.showHelp { HelpOverlay.render(state, into: &frame) }
    return frame
}

/// Where the panes go for a size: panes drop in order (detail, events) as the screen shrinks.
public struct Layout: Sendable, Equatable {
    public static let minWidth = 20
    public static let minHeight = 5
    /// Wide enough for the detail pane beside the jobs.
    public static let sideDetailWidth = 110
    public static let eventsMinHeight = 24

    /// The refused-token banner, above the panes, while polling is stopped (see `AppState.refusal`).
    public var banner: Rect?
    public var body: Rect
    public var jobs: Rect?
    public var detail: Rect?
    public var events: Rect?
    /// A line above the status line for a message too long to share it (see `StatusLine`).
    public var messageRow: Int?
    /// Whether the detail pane sits beside the jobs (a wide screen) rather than replacing them.
    public var detailBeside: Bool { jobs != nil && detail != nil }

    public init(state: AppState, width requestedWidth: Int, height requestedHeight: Int) {
        // The sizes a frame can have (see `Frame.init`), so no arithmetic below can overflow.
        let width = Checked.count(requestedWidth), height = Checked.count(requestedHeight)
        body = Rect(x: 0, y: 2, width: width, height: max(0, height - 3))
        if body.height >= 4, StatusLine.needsOwnRow(state, width: width) {
            body.height -= 1
            messageRow = body.maxY
        }
        if state.refusal != nil, body.height > 0 {
            // The banner goes first: it says why nothing moves. The panes keep what is left.
            let rows = min(body.height, RefusalBanner.lines(state, width: width).count + 2)
            banner = Rect(x: 0, y: 2, width: width, height: rows)
            body = Rect(x: 0, y: 2 + rows, width: width, height: body.height - rows)
        }
        var main = body
        if height >= Self.eventsMinHeight, body.height >= 12 {
            let rows = min(9, max(4, body.height / 4))
            let split = main.splitBottom(rows)
            main = split.0
            events = split.1
        }
        if width >= Self.sideDetailWidth {
            // A third of the screen, at least 46 columns (or the third, when narrower) and at
            // most 64, so a wide screen gives the detail room for its chart and timeline.
            let detailWidth = min(width / 3, max(46, min(64, width * 3 / 10)))
            let split = main.splitLeft(width - detailWidth)
            jobs = split.0
            detail = split.1
        } else if state.showDetail {
            detail = main
        } else {
            jobs = main
        }
    }

    /// Rows available to list jobs in a jobs pane of this layout.
    public var jobRows: Int { max(0, (jobs?.height ?? 0) - 3) }
    /// Rows of log lines the logs pane shows.
    public var logRows: Int { max(1, body.height - 2) }

    /// Tells the state how many rows its lists show at its size (for paging and following),
    /// and keeps the positions that depend on them in range. The overview's stage columns are
    /// scrolled only when `overviewColumns` (after input: the matrix measures every pipeline, so
    /// a poll does not pay for it; `view` keeps the selected cell in view whatever the state).
    static func fit(_ state: inout AppState, overviewColumns: Bool = true) {
        let width = state.width, height = state.height
        let layout = Layout(state: state, width: width, height: height)
        state.pageRows = layout.jobRows
        state.logView?.rows = layout.logRows
        state.picker?.rows = PickerOverlay.listRows(width: width, height: height)
        if let log = state.logView, log.isFollowing { state.logView?.top = log.lastTop }
        state.overviewRows = max(1, layout.body.height - 3)
        state.overviewSelection = Checked.clamp(state.overviewSelection, state.pipelines.count - 1)
        state.overviewTop = Scrolling.offset(selection: state.overviewSelection, count: state.pipelines.count,
                                             height: state.overviewRows, current: state.overviewTop)
        if overviewColumns, state.showOverview, state.logView == nil, state.historyView == nil {
            // The stage columns scroll sideways so the selected cell shows (the pane's inside).
            let matrix = OverviewMatrix(state, width: layout.body.width - 2)
            state.overviewLeft = matrix.window(selection: state.overviewCellColumn ?? 0, current: state.overviewLeft, glyphs: state.glyphs).lowerBound
        }
        if state.showDetail, let rect = layout.detail {
            let fitted = DetailPane.timelineFit(state, rect: rect)
            state.detailRows = fitted.rows
            state.detailScroll = Checked.clamp(state.detailScroll, fitted.count - fitted.rows)
        } else {
            state.detailScroll = 0
        }
    }
}
