import SWRAPI
import SWRWatch

/// Draws the screen as `view` does, keeping the last frame and redrawing only what changed:
/// the rows that follow the clock (the header, the stage strip, the status line) every frame;
/// a pane (jobs, detail, events) only when its drawing (`Drawing`: everything it puts on
/// screen, as values) differs from the one it drew last, and then only the rows whose texts
/// changed when nothing else did (a running job's duration ticking leaves the other rows).
/// Every other screen (logs, history, overview, help, picker, the refusal banner), a change of
/// layout and a screen too small for panes are drawn whole by `view`, and the next frame starts
/// afresh.
///
/// `render(state)` equals `view(state)` (cells and clickable regions) for any state: only the
/// cost differs. An idle dashboard whose world stands still recomputes its panes' drawings once
/// a second and writes the cells of the clock-driven rows, not those of the panes.
///
/// Two frames take turns (the one on screen, which the terminal backend keeps to compare with,
/// and the one before it): the next frame is drawn on the older one once the rows written since
/// are copied over, so no frame is copied or freed whole. `writtenRows` says which rows a
/// frame may have changed, so the backend compares only those.
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
    /// The frame before `last`, to draw the next one on (see `writtenRows`).
    private var spare: Frame?
    private var lastLayout: Layout?
    private var kept: [Pane: Kept] = [:]
    /// What the kept panes were drawn from: the same inputs draw the same pane, so while they
    /// stay the same the drawing is not even built (`nil`: unknown, build it).
    private var jobsInputs: JobsPane.Inputs?
    private var detailInputs: DetailPane.Inputs?
    private var eventsInputs: EventsPane.Inputs?
    /// The panes the last `render` drew; those not in it were kept as they were on screen.
    public private(set) var redrawn: Set<Pane> = []
    /// The panes whose drawing the last `render` built (the others' inputs had not changed).
    public private(set) var built: Set<Pane> = []
    /// The rows the last `render` wrote: no other row differs from the frame rendered before
    /// it. `nil` when it drew the whole screen (the first frame, a new layout, another screen).
    public private(set) var writtenRows: [Int]?

    public init() {}

    /// The frame for `state` at its size (see `view(_:)`).
    public mutating func render(_ state: AppState) -> Frame {
        let width = Checked.count(state.width), height = Checked.count(state.height)
        guard Self.keepsPanes(state, width: width, height: height) else {
            forget()
            redrawn = Set(Pane.allCases)
            built = Set(Pane.allCases)
            return view(state)
        }
        let layout = Layout(state: state, width: width, height: height)
        var frame: Frame
        let fresh: Bool
        if let previous = last, lastLayout == layout, previous.width == width, previous.height == height {
            if var older = spare, older.width == width, older.height == height, let rows = writtenRows {
                // The frame before the last one, held by nobody else by now (the backend keeps
                // the last): brought up to date by the rows written since, then drawn on.
                spare = nil
                older.copyRows(rows, from: previous)
                frame = older
            } else {
                frame = previous
            }
            frame.regions = []
            fresh = false
        } else {
            frame = Frame(width: width, height: height)
            kept = [:]
            spare = nil
            fresh = true
        }
        redrawn = []
        built = []
        var rows: [Int] = [0, 1, height - 1]
        // The same order as `view`, so the regions come out in the same order.
        if !fresh { frame.fill(Rect(x: 0, y: 0, width: width, height: 2)) }
        Header.render(state, into: &frame, row: 0)
        StageStrip.render(state, into: &frame, row: 1)
        let visible = layout.jobs != nil || layout.detail != nil ? state.visibleJobs : []
        if let rect = layout.jobs {
            let inputs = JobsPane.inputs(state, jobs: visible, rect: rect)
            draw(.jobs, unchanged: inputs != nil && inputs == jobsInputs, inputs.map(JobsPane.drawing) ?? Drawing(), rect: rect, into: &frame, fresh: fresh, rows: &rows)
            jobsInputs = inputs
        }
        if let rect = layout.detail {
            let inputs = DetailPane.inputs(state, jobs: visible, rect: rect)
            draw(.detail, unchanged: inputs != nil && inputs == detailInputs, inputs.map(DetailPane.drawing) ?? Drawing(), rect: rect, into: &frame, fresh: fresh, rows: &rows)
            detailInputs = inputs
        }
        if let rect = layout.events {
            let inputs = EventsPane.inputs(state, rect: rect)
            draw(.events, unchanged: inputs == eventsInputs, EventsPane.drawing(inputs), rect: rect, into: &frame, fresh: fresh, rows: &rows)
            eventsInputs = inputs
        }
        if !fresh { frame.fill(Rect(x: 0, y: height - 1, width: width, height: 1)) }
        if let row = layout.messageRow {
            if !fresh { frame.fill(Rect(x: 0, y: row, width: width, height: 1)) }
            rows.append(row)
        }
        StatusLine.render(state, into: &frame, row: height - 1, messageRow: layout.messageRow)
        if let previous = last, !fresh { spare = previous }
        last = frame
        lastLayout = layout
        writtenRows = fresh ? nil : Array(Set(rows)).sorted()
        return frame
    }

    /// Draws a pane whose drawing changed (on its rectangle made blank again), or keeps the
    /// cells already there and marks its regions again: when its inputs are the ones it was
    /// drawn from (`unchanged`; the drawing is then not built), or its drawing is the same.
    private mutating func draw(_ pane: Pane, unchanged: Bool, _ drawing: @autoclosure () -> Drawing, rect: Rect, into frame: inout Frame,
                               fresh: Bool, rows: inout [Int]) {
        if !fresh, let previous = kept[pane], unchanged {
            frame.regions += previous.regions
            return
        }
        let drawing = drawing()
        built.insert(pane)
        // One comparison with the kept drawing says both whether anything changed (no row) and
        // whether only texts did (those rows).
        if !fresh, let previous = kept[pane], let changed = drawing.rowsChanged(since: previous.drawing),
           changed.allSatisfy({ $0 >= rect.y && $0 < rect.maxY }), !drawing.chartTouches(changed) {
            frame.regions += previous.regions
            guard !changed.isEmpty else { return }
            // Only texts moved (a running job's duration, an age): those rows are drawn again,
            // the rest of the pane and its regions stay.
            let inside = changed.filter { $0 >= 0 && $0 < frame.height }
            for y in inside.sorted() { frame.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1)) }
            frame.draw(drawing, rows: inside)
            kept[pane] = Kept(drawing: drawing, regions: previous.regions)
            rows += inside
            redrawn.insert(pane)
            return
        }
        if !fresh { frame.fill(rect) }
        let top = max(0, rect.y), bottom = min(frame.height, rect.maxY)
        if top < bottom { rows += Array(top..<bottom) }
        let before = frame.regions.count
        frame.draw(drawing)
        kept[pane] = Kept(drawing: drawing, regions: Array(frame.regions[before...]))
        redrawn.insert(pane)
    }

    /// Starts the next frame afresh.
    public mutating func forget() {
        last = nil
        spare = nil
        lastLayout = nil
        kept = [:]
        jobsInputs = nil
        detailInputs = nil
        eventsInputs = nil
        writtenRows = nil
    }

    /// Whether the screen is the dashboard's panes (jobs, detail, events) and nothing over them.
    static func keepsPanes(_ state: AppState, width: Int, height: Int) -> Bool {
        width >= Layout.minWidth && height >= Layout.minHeight && state.logView == nil && state.historyView == nil
            && !state.showOverview && state.picker == nil && !state.showHelp && state.refusal == nil
    }
}
