import Foundation
import SWRAPI
import SWRWatch

/// Every pipeline × stage at once, as a matrix (`OverviewMatrix`): a row per pipeline, a column
/// per stage position, a header row naming the columns. One cell is selected: ↑↓ (PgUp PgDn g G)
/// move between pipelines, ←→ (Tab, BackTab) between stages, Enter opens that pipeline on that
/// stage. The selected row has the `▸` cursor on the border and bold text; the selected cell is
/// reversed, bold and underlined (readable with and without colour). The rows scroll with the
/// selection (`AppState.overviewTop`), the stage columns sideways (`AppState.overviewLeft`),
/// both fitted in `update`; the title says which rows show when not all fit:
/// `pipelines 176–200 of 200`. Every cell, row and the pane are marked for the mouse.
enum OverviewPane {
    static func render(_ state: AppState, into frame: inout Frame, rect: Rect) {
        let g = state.glyphs
        let count = state.pipelines.count
        let selection = Checked.clamp(state.overviewSelection, count - 1)
        // The fitted top, kept valid for this rectangle (the selection always in view).
        let rows = max(0, rect.height - 3)
        let top = Scrolling.offset(selection: selection, count: count, height: rows, current: state.overviewTop)
        let inner = frame.box(rect, title: "overview \(g.separator) " + title(top: top, rows: rows, count: count, glyphs: g), glyphs: g)
        frame.mark(rect, .overview)
        guard inner.height > 0, inner.width > 0, count > 0 else { return }
        let matrix = OverviewMatrix(state, width: inner.width)
        let column = state.overviewCellColumn
        let shown = matrix.window(selection: column ?? 0, current: state.overviewLeft, glyphs: g)
        // Where each shown column starts (after the `‹ n` mark when columns hide on the left).
        var starts: [Int: Int] = [:]
        var x = inner.x + matrix.stagesX
        if shown.lowerBound > 0 { x += DisplayWidth.of(OverviewMatrix.moreBefore(shown.lowerBound, glyphs: g)) + 1 }
        for position in shown {
            starts[position] = x
            x = Checked.add(x, matrix.columns[position].width + OverviewMatrix.gap)
        }
        let stagesEnd = inner.maxX
        func columnWidth(_ position: Int) -> Int {
            min(matrix.columns[position].width, max(0, stagesEnd - (starts[position] ?? stagesEnd)))
        }
        drawHeader(matrix, shown: shown, starts: starts, selected: column, inner: inner, into: &frame, glyphs: g, widthOf: columnWidth)
        let end = min(count, Checked.add(top, max(0, inner.height - 1)))
        for (row, index) in (min(top, end)..<end).enumerated() {
            let pipeline = state.pipelines[index]
            let y = inner.y + 1 + row
            let isSelected = index == selection
            frame.mark(Rect(x: inner.x, y: y, width: inner.width, height: 1), .overviewPipeline(index))
            drawFixed(state, matrix: matrix, index: index, y: y, inner: inner, into: &frame)
            let run = matrix.runs[index]
            for position in shown where pipeline.stages.indices.contains(position) {
                guard let start = starts[position] else { continue }
                let width = columnWidth(position)
                guard width > 0 else { continue }
                let stage = pipeline.stages[position]
                let cell = OverviewCell(run.looks[position], stage: stage, pipeline: pipeline.id, isRunning: position == run.runningPosition,
                                        withName: !matrix.columns[position].namesAgree, state: state)
                let drawn = frame.put(cell.text(fitting: width, ellipsis: g.ellipsis), x: start, y: y, limit: width, style: cell.style)
                if matrix.showsWeek, !cell.week.isEmpty, drawn + 1 < width {
                    frame.put(" " + cell.week, x: start + drawn, y: y, limit: width - drawn, style: .muted)
                }
                let area = Rect(x: start, y: y, width: width, height: 1)
                frame.mark(area, .overviewCell(pipeline: index, stage: position))
                if isSelected, position == column {
                    frame.restyle(area) { $0.with(bold: true, reverse: true, underline: true) }
                }
            }
            if isSelected {
                // A cursor on the border and bold text; each cell keeps its own colour.
                frame.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { $0.with(bold: true) }
                frame.put(g.bullet, x: rect.x, y: y, style: Style(.accent, bold: true))
            }
        }
    }

    /// The header row: PIPELINE, RUN, AGE and each shown stage column's header (the selected
    /// column's underlined), with the scroll marks.
    private static func drawHeader(_ matrix: OverviewMatrix, shown: Range<Int>, starts: [Int: Int], selected: Int?, inner: Rect,
                                   into frame: inout Frame, glyphs g: Glyphs, widthOf: (Int) -> Int) {
        let style = Style(.muted, bold: true)
        let y = inner.y
        var x = inner.x
        frame.put(DisplayWidth.pad("PIPELINE", to: matrix.nameWidth), x: x, y: y, limit: matrix.nameWidth, style: style)
        x += matrix.nameWidth + OverviewMatrix.gap
        if matrix.runWidth > 0 {
            frame.put(DisplayWidth.pad("RUN", to: matrix.runWidth), x: x, y: y, limit: matrix.runWidth, style: style)
            x += matrix.runWidth + OverviewMatrix.gap
        }
        if matrix.ageWidth > 0 {
            frame.put(DisplayWidth.pad("AGE", to: matrix.ageWidth, alignRight: true), x: x, y: y, limit: matrix.ageWidth, style: style)
        }
        if shown.lowerBound > 0 {
            frame.put(OverviewMatrix.moreBefore(shown.lowerBound, glyphs: g), x: inner.x + matrix.stagesX, y: y, style: .muted)
        }
        for position in shown {
            guard let start = starts[position] else { continue }
            let width = widthOf(position)
            guard width > 0 else { continue }
            let header = DisplayWidth.truncate(matrix.columns[position].header, to: width, ellipsis: g.ellipsis)
            frame.put(header, x: start, y: y, limit: width, style: position == selected ? style.with(underline: true) : style)
        }
        let hidden = matrix.columns.count - shown.upperBound
        if hidden > 0 {
            let mark = OverviewMatrix.moreAfter(hidden, glyphs: g)
            frame.put(mark, x: inner.maxX - DisplayWidth.of(mark), y: y, style: .muted)
        }
    }

    /// The fixed columns of a row: number and name, the run's figures.
    private static func drawFixed(_ state: AppState, matrix: OverviewMatrix, index: Int, y: Int, inner: Rect, into frame: inout Frame) {
        let pipeline = state.pipelines[index]
        var x = inner.x
        let name = DisplayWidth.truncate("\(index + 1) \(pipeline.name)", to: matrix.nameWidth, ellipsis: state.glyphs.ellipsis)
        frame.put(DisplayWidth.pad(name, to: matrix.nameWidth), x: x, y: y, limit: matrix.nameWidth,
                  style: index == state.pipelineIndex ? Style(.accent, bold: true) : .plain)
        x += matrix.nameWidth + OverviewMatrix.gap
        let summary = matrix.runWidth > 0 || matrix.ageWidth > 0 ? matrix.runs[index].summary(now: state.now) : nil
        if matrix.runWidth > 0 {
            let text = summary?.runText(state.glyphs) ?? ""
            frame.put(DisplayWidth.pad(text, to: matrix.runWidth), x: x, y: y, limit: matrix.runWidth,
                      style: Style(summary?.state.role ?? .muted, bold: summary?.state == .building))
            x += matrix.runWidth + OverviewMatrix.gap
        }
        if matrix.ageWidth > 0 {
            let text = summary?.ageText(now: state.now) ?? ""
            frame.put(DisplayWidth.pad(text, to: matrix.ageWidth, alignRight: true), x: x, y: y, limit: matrix.ageWidth, style: .muted)
        }
    }
}

extension OverviewPane {
    /// `200 pipelines` when every row shows, else `pipelines 176–200 of 200`.
    static func title(top: Int, rows: Int, count: Int, glyphs: Glyphs) -> String {
        guard rows > 0, count > rows else { return "\(count) pipeline\(count == 1 ? "" : "s")" }
        let last = min(count, Checked.add(top, rows))
        return "pipelines \(top + 1)\(glyphs.isUnicode ? "–" : "-")\(last) of \(count)"
    }
}
