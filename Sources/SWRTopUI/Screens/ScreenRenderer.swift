import SWRAPI
import SWRWatch

/// Draws the screen as `view` does, keeping the last frame and redrawing only what changed:
/// the rows that follow the clock (the header, the stage strip, the status line) every frame;
/// a pane (jobs, detail, events) only when its drawing (`Drawing`: everything it puts on
/// screen, as values) differs from the one it drew last. Every other screen (logs, history,
/// overview, help, picker, the refusal banner), a change of layout and a screen too small for
/// panes are drawn whole by `view`, and the next frame starts afresh.
///
/// `render(state)` equals `view(state)` (cells and clickable regions) for any state: only the
/// cost differs. An idle dashboard whose world stands still recomputes its panes' drawings once
/// a second and writes the cells of the clock-driven rows, not those of the panes.
public struct ScreenRenderer {
    /// The panes kept from one frame to the next when their drawing did not change.
    public enum Pane: Sendable, Hashable, CaseIterable {
        case jobs, detail, events
    }

    /// A pane as it was last drawn: its drawing and the regions it marked.
    private struct Kept {
        var drawing: Drawing
        var regions: [HitRegion]
    }

    private var last: Frame?
    private var lastLayout: Layout?
    private var kept: [Pane: Kept] = [:]
    /// The panes the last `render` drew; those not in it were kept as they were on screen.
    public private(set) var redrawn: Set<Pane> = []

    public init() {}

    /// The frame for `state` at its size (see `view(_:)`).
    public mutating func render(_ state: AppState) -> Frame {
        let width = Checked.count(state.width), height = Checked.count(state.height)
        guard Self.keepsPanes(state, width: width, height: height) else {
            forget()
            redrawn = Set(Pane.allCases)
            return view(state)
        }
        let layout = Layout(state: state, width: width, height: height)
        var frame: Frame
        let fresh: Bool
        if var previous = last, lastLayout == layout, previous.width == width, previous.height == height {
            last = nil  // the frame below is then the only owner of its cells: changed in place
            previous.regions = []
            frame = previous
            fresh = false
        } else {
            frame = Frame(width: width, height: height)
            kept = [:]
            fresh = true
        }
        redrawn = []
        // The same order as `view`, so the regions come out in the same order.
        if !fresh { frame.fill(Rect(x: 0, y: 0, width: width, height: 2)) }
        Header.render(state, into: &frame, row: 0)
        StageStrip.render(state, into: &frame, row: 1)
        let visible = layout.jobs != nil || layout.detail != nil ? state.visibleJobs : []
        if let rect = layout.jobs { draw(.jobs, JobsPane.drawing(state, jobs: visible, rect: rect), rect: rect, into: &frame, fresh: fresh) }
        if let rect = layout.detail { draw(.detail, DetailPane.drawing(state, jobs: visible, rect: rect), rect: rect, into: &frame, fresh: fresh) }
        if let rect = layout.events { draw(.events, EventsPane.drawing(state, rect: rect), rect: rect, into: &frame, fresh: fresh) }
        if !fresh {
            frame.fill(Rect(x: 0, y: height - 1, width: width, height: 1))
            if let row = layout.messageRow { frame.fill(Rect(x: 0, y: row, width: width, height: 1)) }
        }
        StatusLine.render(state, into: &frame, row: height - 1, messageRow: layout.messageRow)
        last = frame
        lastLayout = layout
        return frame
    }

    /// Draws a pane whose drawing changed (on its rectangle made blank again), or keeps the
    /// cells already there and marks its regions again.
    private mutating func draw(_ pane: Pane, _ drawing: Drawing, rect: Rect, into frame: inout Frame, fresh: Bool) {
        if !fresh, let previous = kept[pane], previous.drawing == drawing {
            frame.regions += previous.regions
            return
        }
        if !fresh { frame.fill(rect) }
        let before = frame.regions.count
        frame.draw(drawing)
        kept[pane] = Kept(drawing: drawing, regions: Array(frame.regions[before...]))
        redrawn.insert(pane)
    }

    /// Starts the next frame afresh.
    public mutating func forget() {
        last = nil
        lastLayout = nil
        kept = [:]
    }

    /// Whether the screen is the dashboard's panes (jobs, detail, events) and nothing over them.
    static func keepsPanes(_ state: AppState, width: Int, height: Int) -> Bool {
        width >= Layout.minWidth && height >= Layout.minHeight && state.logView == nil && state.historyView == nil
            && !state.showOverview && state.picker == nil && !state.showHelp && state.refusal == nil
    }
}
