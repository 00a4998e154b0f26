import SWRAPI
import SWRWatch

/// A bar chart of job durations: oldest on the left, newest on the right, each bar coloured by
/// the job's outcome with its state glyph under it (so it reads without colour too). Heights are
/// in eighths of a row; a bar beyond the scale's top is drawn full and ends in an arrow. Used by
/// the history pane (stored jobs) and the detail pane (the stage's recent jobs).
enum DurationBars {
    /// One job's bar.
    struct Bar: Equatable {
        var state: JobState
        var duration: Int?
        var selected: Bool = false
    }

    /// Columns per bar: wider bars (with a gap) when few jobs leave room.
    static func slot(count: Int, width: Int) -> Int {
        guard count > 0 else { return 1 }
        return min(4, max(1, width / count))
    }

    /// The bars' first job (its index, counted back from the newest) so the selection shows:
    /// the newest jobs fill the right edge unless the selection is further back.
    static func window(selection: Int, count: Int, bars: Int) -> Range<Int> {
        let bars = max(1, bars), count = max(0, count)
        let start = min(count, max(0, Checked.add(Checked.sub(selection, bars), 1)))
        return start..<min(count, Checked.add(start, bars))
    }

    /// The duration at the top of the chart: the longest shown, but at most three times the
    /// median, so one run that hung for an hour does not flatten every other bar.
    static func scaleTop(_ durations: [Int]) -> Int {
        let positive = durations.filter { $0 > 0 }.sorted()
        guard let longest = positive.last else { return 1 }
        let median = positive[positive.count / 2]
        let (tripled, overflow) = median.multipliedReportingOverflow(by: 3)
        return max(1, overflow ? longest : min(longest, tripled))
    }

    /// A bar's cell with `eighths` of it filled (0...8).
    static func barGlyph(_ eighths: Int, glyphs: Glyphs) -> String {
        let filled = min(8, max(0, eighths))
        if filled == 0 { return " " }
        guard glyphs.isUnicode else { return filled >= 4 ? "#" : "." }
        return ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"][filled - 1]
    }

    /// Draws `bars` (oldest first), `slot` columns each, scaled to `top`: `rows` rows of bars
    /// whose base is the row above `glyphRow`, and each job's state glyph on `glyphRow`.
    static func draw(_ bars: [Bar], slot: Int, top: Int, x: Int, glyphRow: Int, rows: Int, into frame: inout Frame, glyphs g: Glyphs) {
        guard rows > 0 else { return }
        let base = glyphRow - 1
        let top = max(1, top)
        for (column, bar) in bars.enumerated() {
            let left = Checked.add(x, Checked.mul(column, slot))
            let barWidth = slot > 1 ? slot - 1 : 1
            var style = Style(bar.state.role)
            if bar.selected { style = style.with(bold: true, reverse: true) }
            let eighths = bar.duration.map { d -> Int in
                guard d > 0 else { return 0 }
                return max(1, Int((Double(min(d, top)) / Double(top) * Double(rows * 8)).rounded()))
            } ?? 0
            let beyond = (bar.duration ?? 0) > top
            for row in 0..<rows {
                let glyph = beyond && row == rows - 1 ? (g.isUnicode ? "↑" : "^") : barGlyph(eighths - row * 8, glyphs: g)
                for dx in 0..<barWidth {
                    frame.put(glyph, x: left + dx, y: base - row, style: style)
                }
            }
            frame.put(g.state(bar.state), x: left, y: glyphRow, limit: 1, style: style)
        }
    }
}
