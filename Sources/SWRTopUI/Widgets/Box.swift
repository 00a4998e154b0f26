import SWRAPI
import SWRWatch

extension Frame {
    /// Draws a bordered pane with a title in its top edge and returns the inside.
    @discardableResult
    public mutating func box(_ rect: Rect, title: String = "", titleStyle: Style = .title, border: Style = .muted, glyphs: Glyphs) -> Rect {
        box(rect, title: title, titleStyle: titleStyle, border: border, glyphs: glyphs, rows: nil)
    }

    /// The same, drawing only the cells in `rows` (all of them when `nil`): what the whole box
    /// puts in those rows, for a redraw of some rows (`Frame.draw(_:rows:)`).
    @discardableResult
    mutating func box(_ rect: Rect, title: String, titleStyle: Style, border: Style, glyphs: Glyphs, rows: Set<Int>?) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Self.boxInside(rect) }
        let drawn = { (y: Int) in rows?.contains(y) ?? true }
        let b = glyphs.box
        // Edges are drawn only where the frame is: a rectangle larger than the frame costs
        // what the frame costs.
        let visible = min(rect.width - 2, Checked.sub(width, rect.x), 2 * Checked.maxColumns)
        let horizontal = String(repeating: b.h, count: max(0, visible))
        if drawn(rect.y) { put(b.tl + horizontal + b.tr, x: rect.x, y: rect.y, limit: rect.width, style: border, ellipsis: false) }
        if drawn(rect.maxY - 1) { put(b.bl + horizontal + b.br, x: rect.x, y: rect.maxY - 1, limit: rect.width, style: border, ellipsis: false) }
        let firstRow = max(0, Checked.add(rect.y, 1))
        let endRow = min(height, rect.maxY - 1)
        if firstRow < endRow {
            for y in firstRow..<endRow where drawn(y) {
                put(b.v, x: rect.x, y: y, style: border)
                put(b.v, x: rect.maxX - 1, y: y, style: border)
            }
        }
        if !title.isEmpty, rect.width > 4, drawn(rect.y) {
            put(" " + title + " ", x: Checked.add(rect.x, 1), y: rect.y, limit: rect.width - 2, style: titleStyle)
        }
        return Self.boxInside(rect)
    }

    /// The inside of a box drawn at `rect`: one cell in from every side, nothing for a box
    /// too small to have one.
    static func boxInside(_ rect: Rect) -> Rect {
        rect.width >= 2 && rect.height >= 2 ? rect.inset(1) : Rect(x: rect.x, y: rect.y, width: 0, height: 0)
    }
}
