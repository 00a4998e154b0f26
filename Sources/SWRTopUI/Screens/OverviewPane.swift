import Foundation
import SWRAPI
import SWRWatch

/// Every pipeline × stage at once; a row is selected with ↑↓ (PgUp PgDn g G) and opened with
/// Enter. The rows scroll with the selection (`AppState.overviewTop`, fitted in `update`); the
/// title says which are shown when not all fit: `pipelines 176–200 of 200`.
enum OverviewPane {
    static func render(_ state: AppState, into frame: inout Frame, rect: Rect) {
        let g = state.glyphs
        let count = state.pipelines.count
        let selection = Checked.clamp(state.overviewSelection, count - 1)
        // The fitted top, kept valid for this rectangle (the selection always in view).
        let rows = max(0, rect.height - 2)
        let top = Scrolling.offset(selection: selection, count: count, height: rows, current: state.overviewTop)
        let inner = frame.box(rect, title: "overview \(g.separator) " + title(top: top, rows: rows, count: count, glyphs: g), glyphs: g)
        frame.mark(rect, .overview)
        guard inner.height > 0 else { return }
        let nameWidth = min(22, max(8, state.pipelines.map { DisplayWidth.of($0.name, upTo: 16) }.max() ?? 8) + 6)
        // The run's status word and time, when any pipeline detail has been read.
        let showsRuns = !state.pipelineStatuses.isEmpty && inner.width >= 70
        let runWidth = 18
        for (row, pipeline) in state.pipelines.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + row
            let index = top + row
            let run = RunView(state, pipeline: pipeline)
            frame.mark(Rect(x: inner.x, y: y, width: inner.width, height: 1), .overviewPipeline(index))
            let name = "\(index + 1) \(pipeline.name)"
            frame.put(DisplayWidth.pad(name, to: nameWidth), x: inner.x, y: y, limit: nameWidth,
                      style: index == state.pipelineIndex ? Style(.accent, bold: true) : .plain)
            var x = inner.x + nameWidth + 1
            if showsRuns {
                let said = run.text(now: state.now)
                frame.put(DisplayWidth.pad(said?.text ?? "", to: runWidth), x: x, y: y, limit: runWidth, style: Style(said?.role ?? .muted))
                x += runWidth + 1
            }
            for (position, stage) in pipeline.stages.enumerated() {
                let look = run.looks[position]
                let summary = look.summary
                var text = (look.state.map(g.state) ?? " ") + " " + stage.name
                if look.isPending {
                    text += " pending"
                } else if let age = look.previousAge(now: state.now) {
                    text += " \(age) ago"
                } else if !look.isFromStatus, summary.state == .building {
                    text += " " + Format.percent(summary.progress)
                }
                if summary.isStale { text += "!" }
                // The stage's 7-day success rate, when the history file gave one.
                let week = state.weekOutcomes[Target(pipeline: pipeline.id, stage: stage.index)]?.successRate.map { " 7d " + HistoryPane.percent($0) } ?? ""
                guard DisplayWidth.of(text + week, upTo: inner.maxX - x) < inner.maxX - x else {
                    frame.put(g.ellipsis, x: min(x, inner.maxX - 1), y: y, style: .muted)
                    break
                }
                let style: Style
                if look.isPending {
                    style = .muted
                } else if look.isPrevious {
                    style = Style(look.state?.role ?? .muted, dim: true)
                } else {
                    style = Style(look.state?.role ?? .muted, bold: position == run.runningPosition)
                }
                x += frame.put(text, x: x, y: y, style: style)
                x += frame.put(week, x: x, y: y, style: .muted) + 2
            }
            if index == selection {
                frame.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { $0.with(reverse: true) }
            }
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
