import SWRAPI
import SWRWatch

/// A pane's drawing as values: the calls it makes on a `Frame` (texts, boxes, restyles, chart
/// bars, clickable regions), recorded in order and replayed by `Frame.draw(_:)`. Two equal
/// drawings replayed on the same blank rectangle give the same cells and the same regions, so
/// `ScreenRenderer` keeps a pane on screen as it is when its drawing did not change (the
/// drawing is what the pane shows: no input of the pane can be forgotten in the comparison).
struct Drawing: Sendable, Equatable {
    enum Op: Sendable, Equatable {
        case put(String, x: Int, y: Int, limit: Int?, style: Style, ellipsis: Bool)
        case box(Rect, title: String, titleStyle: Style, border: Style, glyphs: Glyphs)
        case mark(Rect, HitTarget)
        case restyle(Rect, bold: Bool?, underline: Bool?)
        case bars([DurationBars.Bar], slot: Int, top: Int, x: Int, glyphRow: Int, rows: Int, glyphs: Glyphs)
    }

    private(set) var ops: [Op] = []

    /// Records `Frame.put` (see there; its width is not needed by the panes that record).
    mutating func put(_ text: String, x: Int, y: Int, limit: Int? = nil, style: Style = .plain, ellipsis: Bool = true) {
        ops.append(.put(text, x: x, y: y, limit: limit, style: style, ellipsis: ellipsis))
    }

    /// Records `Frame.box` and returns the inside it will have.
    @discardableResult
    mutating func box(_ rect: Rect, title: String = "", titleStyle: Style = .title, border: Style = .muted, glyphs: Glyphs) -> Rect {
        ops.append(.box(rect, title: title, titleStyle: titleStyle, border: border, glyphs: glyphs))
        return Frame.boxInside(rect)
    }

    /// Records `Frame.mark`.
    mutating func mark(_ rect: Rect, _ target: HitTarget) {
        ops.append(.mark(rect, target))
    }

    /// Records a `Frame.restyle` that sets bold and underline (`nil` keeps them).
    mutating func restyle(_ rect: Rect, bold: Bool? = nil, underline: Bool? = nil) {
        ops.append(.restyle(rect, bold: bold, underline: underline))
    }

    /// Records `DurationBars.draw`.
    mutating func bars(_ bars: [DurationBars.Bar], slot: Int, top: Int, x: Int, glyphRow: Int, rows: Int, glyphs: Glyphs) {
        ops.append(.bars(bars, slot: slot, top: top, x: x, glyphRow: glyphRow, rows: rows, glyphs: glyphs))
    }
}

extension Drawing {
    /// The rows where `self` and `earlier` differ when they differ only in the texts of `put`s
    /// (their places and styles included): every other call the same, in the same order, so the
    /// other rows come out the same and the regions too. `nil` when they differ otherwise (a
    /// box, a region, a restyle, a chart or the number of calls): the pane is drawn whole.
    func rowsChanged(since earlier: Drawing) -> Set<Int>? {
        guard ops.count == earlier.ops.count else { return nil }
        var rows: Set<Int> = []
        for (new, old) in zip(ops, earlier.ops) where new != old {
            guard case let .put(_, _, newRow, _, _, _) = new, case let .put(_, _, oldRow, _, _, _) = old else { return nil }
            rows.insert(newRow)
            rows.insert(oldRow)
        }
        return rows
    }

    /// Whether a chart (`bars`) has cells in `rows`: a chart is only ever drawn whole.
    func chartTouches(_ rows: Set<Int>) -> Bool {
        ops.contains { op in
            guard case let .bars(_, _, _, _, glyphRow, chartRows, _) = op else { return false }
            return rows.contains { $0 >= glyphRow - max(0, chartRows) && $0 <= glyphRow }
        }
    }
}

extension Frame {
    /// Replays a drawing.
    mutating func draw(_ drawing: Drawing) {
        draw(drawing, rows: nil)
    }

    /// Replays the cells a drawing puts in `rows` (every cell when `nil`), in the drawing's
    /// order; regions are marked only when drawing whole. A chart is drawn only when drawing
    /// whole: rows it has cells in are never redrawn alone (see `chartTouches`).
    mutating func draw(_ drawing: Drawing, rows: Set<Int>?) {
        for op in drawing.ops {
            switch op {
            case let .put(text, x, y, limit, style, ellipsis):
                if rows?.contains(y) ?? true { put(text, x: x, y: y, limit: limit, style: style, ellipsis: ellipsis) }
            case let .box(rect, title, titleStyle, border, glyphs):
                box(rect, title: title, titleStyle: titleStyle, border: border, glyphs: glyphs, rows: rows)
            case let .mark(rect, target):
                if rows == nil { mark(rect, target) }
            case let .restyle(rect, bold, underline):
                if let rows {
                    for y in rows.sorted() where y >= rect.y && y < rect.maxY {
                        restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0.with(bold: bold, underline: underline) }
                    }
                } else {
                    restyle(rect) { $0.with(bold: bold, underline: underline) }
                }
            case let .bars(bars, slot, top, x, glyphRow, chartRows, glyphs):
                if rows == nil {
                    DurationBars.draw(bars, slot: slot, top: top, x: x, glyphRow: glyphRow, rows: chartRows, into: &self, glyphs: glyphs)
                }
            }
        }
    }
}
