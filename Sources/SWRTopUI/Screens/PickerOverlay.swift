import Foundation
import SWRAPI
import SWRWatch

/// The pipelines picker over the body: filter line, pipelines with their group and stage
/// count, and how many of the account's pipelines are loaded.
enum PickerOverlay {
    /// The picker's rectangle for a screen size.
    static func rect(width requestedWidth: Int, height requestedHeight: Int) -> Rect {
        let width = Checked.count(requestedWidth), height = Checked.count(requestedHeight)
        let w = min(width - 2, 72)
        let h = min(height - 3, 24)
        return Rect(x: max(0, (width - w) / 2), y: 2, width: max(0, w), height: max(0, h))
    }

    /// Rows of pipelines the picker shows at a size.
    static func listRows(width: Int, height: Int) -> Int { max(1, rect(width: width, height: height).height - 4) }

    static func render(_ state: AppState, picker: PipelinePicker, into frame: inout Frame) {
        let g = state.glyphs
        let rect = rect(width: frame.width, height: frame.height)
        guard rect.width > 10, rect.height > 3 else { return }
        frame.fill(rect)
        frame.mark(rect, .picker)
        let loaded = picker.total.map { "\(picker.items.count) of \($0)" } ?? "\(picker.items.count)\(picker.isComplete ? "" : "+")"
        let inner = frame.box(rect, title: "add a pipeline \(g.separator) \(loaded) loaded", titleStyle: .accent, border: .accent, glyphs: g)
        frame.put("filter: \(picker.filter)\(g.isUnicode ? "▏" : "_")", x: inner.x + 1, y: inner.y, limit: inner.width - 1, style: .accent)
        let shown = picker.shown
        let listTop = inner.y + 1
        let rows = inner.height - 2
        if shown.isEmpty {
            let text: String
            if let error = picker.error {
                text = "could not list the pipelines: \(error.shortDescription); \(g.arrow) retries"
            } else if picker.isLoading || !picker.isComplete {
                text = "loading\(g.ellipsis)"
            } else {
                text = picker.items.isEmpty ? "the account has no pipelines" : "no pipeline matches"
            }
            frame.put(text, x: inner.x + 1, y: listTop, limit: inner.width - 1, style: picker.error == nil ? .muted : .error)
        }
        let watched = Set(state.pipelines.map(\.id))
        let top = Scrolling.offset(selection: picker.selection, count: shown.count, height: rows, current: picker.scroll)
        for (row, pipeline) in shown.dropFirst(top).prefix(rows).enumerated() {
            let y = listTop + row
            let selected = top + row == picker.selection
            frame.mark(Rect(x: inner.x, y: y, width: inner.width, height: 1), .pickerRow(top + row))
            let mark = watched.contains(pipeline.id) ? "\(g.state(.successful)) " : "  "
            let group = pipeline.groupName.map { "[\($0)]" } ?? ""
            let right = "\(group) \(pipeline.stages.count) stage\(pipeline.stages.count == 1 ? "" : "s")  #\(pipeline.id)"
            let rightWidth = DisplayWidth.of(right, upTo: inner.width)
            let nameWidth = max(4, inner.width - 2 - rightWidth - 3)
            let style = selected ? Style(.selection, bold: true, reverse: true) : .plain
            if selected { frame.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style) }
            frame.put(mark + pipeline.name, x: inner.x + 1, y: y, limit: nameWidth, style: style)
            frame.put(right, x: inner.maxX - 1 - rightWidth, y: y, limit: rightWidth, style: selected ? style : .muted)
        }
        var hint = "type to filter \(g.separator) ↑↓ select \(g.separator) Enter watch \(g.separator) Esc close"
        if !g.isUnicode { hint = "type to filter - up/dn select - Enter watch - Esc close" }
        if picker.isLoading, !shown.isEmpty { hint = "loading more\(g.ellipsis)  " + hint }
        frame.put(hint, x: inner.x + 1, y: inner.maxY - 1, limit: inner.width - 1, style: .muted)
    }
}
