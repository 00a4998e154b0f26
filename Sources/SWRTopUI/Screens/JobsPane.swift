import Foundation
import SWRAPI
import SWRWatch

/// The focused stage's execution history as a table; only visible rows are built.
enum JobsPane {
    /// A table column: its header, width, and how important it is (lower drops first).
    struct Column: Equatable {
        var title: String
        var width: Int
        var priority: Int
        var alignRight = false
    }

    /// Everything the pane shows, gathered from the state (the clock's part as the texts it
    /// gives: ages, highlights). `drawing(_:)` reads nothing else, so equal inputs draw equal
    /// panes: `ScreenRenderer` does not build the drawing again while they stay the same.
    struct Inputs: Equatable {
        var rect: Rect
        var glyphs: Glyphs
        var title: String
        var isStale: Bool
        /// Said in the middle of the pane when no job is listed.
        var message: String?
        /// The widest job id shown (the ID column's width).
        var idWidth = 2
        var rows: [Row] = []
        /// `3/40` when the jobs do not all fit.
        var position: String?

        /// A listed job as it shows: what it says, not the job (a running job's duration moves
        /// every second, its text far less often, and equal rows must mean an equal pane).
        struct Row: Equatable {
            var id: String
            var state: JobState
            var progress: Int?
            var duration: String
            var creator: String
            var resource: String
            var isSelected: Bool
            /// Highlighted: its state or progress changed a moment ago.
            var changed: Bool
            /// The stage's building job, running longer than usual.
            var isSlow: Bool
            var age: String

            init(job: Job, isSelected: Bool, changed: Bool, isSlow: Bool, age: String) {
                id = job.id
                state = job.state
                progress = job.displayProgress
                duration = Format.duration(job.duration)
                creator = job.creatorName ?? "-"
                resource = job.resource ?? "-"
                self.isSelected = isSelected
                self.changed = changed
                self.isSlow = isSlow
                self.age = age
            }
        }
    }

    static func render(_ state: AppState, jobs: [Job], into frame: inout Frame, rect: Rect) {
        frame.draw(drawing(state, jobs: jobs, rect: rect))
    }

    /// What the pane draws at `rect` (see `Drawing`).
    static func drawing(_ state: AppState, jobs: [Job], rect: Rect) -> Drawing {
        inputs(state, jobs: jobs, rect: rect).map(drawing) ?? Drawing()
    }

    /// What the pane shows at `rect` (`nil`: nothing, without a focused stage).
    static func inputs(_ state: AppState, jobs: [Job], rect: Rect) -> Inputs? {
        guard let target = state.focusedTarget else { return nil }
        let record = state.store[target]
        let name = state.stage?.name ?? ""
        var title = "jobs \(state.glyphs.separator) stage \(target.stage)" + (name.isEmpty || name == "stage \(target.stage)" ? "" : " \(name)")
        if let record, record.isStale, let last = record.lastGoodPoll {
            title += " \(state.glyphs.separator) STALE \(Format.age(last, now: state.now))"
        } else if record?.isStale == true {
            title += " \(state.glyphs.separator) STALE"
        } else if let seen = record?.fromHistory {
            // From the history file until this session's first answer.
            title += " \(state.glyphs.separator) from history, seen \(Format.age(seen, now: state.now)) ago"
        }
        if !state.filter.isEmpty { title += " \(state.glyphs.separator) /\(state.filter)" }
        if state.sort != .newest { title += " \(state.glyphs.separator) by \(state.sort.rawValue)" }
        var inputs = Inputs(rect: rect, glyphs: state.glyphs, title: title, isStale: record?.isStale == true)
        let inner = Frame.boxInside(rect)
        guard inner.height > 0, inner.width > 0 else { return inputs }
        if jobs.isEmpty {
            if record == nil { inputs.message = "loading\(state.glyphs.ellipsis)" }
            else if record?.lastGoodPoll == nil, let error = record?.error { inputs.message = error.shortDescription }
            else if !state.filter.isEmpty { inputs.message = "no job matches /\(state.filter)" }
            else { inputs.message = "no jobs in this stage yet" }
            return inputs
        }
        inputs.idWidth = min(10, max(2, jobs.prefix(200).map { $0.id.prefix(10).count }.max() ?? 2))
        let rows = inner.height - 1
        let selected = state.selectedRow(in: jobs)
        let top = Scrolling.offset(selection: selected, count: jobs.count, height: rows, current: state.scroll)
        let slow = state.store.summary(target, now: state.now)
        let slowID = slow.isSlow ? slow.active?.id : nil
        for row in 0..<max(0, min(rows, jobs.count - top)) {
            let job = jobs[top + row]
            let isSelected = top + row == selected
            // The change highlight gives way on the selected row: the cursor says where it is.
            let changed = state.isHighlighted(target, job.id) && !isSelected
            inputs.rows.append(Inputs.Row(job: job, isSelected: isSelected, changed: changed, isSlow: job.id == slowID,
                                          age: Format.age(job.createdAt, now: state.now)))
        }
        if jobs.count > rows { inputs.position = "\(selected + 1)/\(jobs.count)" }
        return inputs
    }

    /// The pane drawn from its inputs alone.
    static func drawing(_ inputs: Inputs) -> Drawing {
        var pane = Drawing()
        let rect = inputs.rect
        let inner = pane.box(rect, title: inputs.title, titleStyle: inputs.isStale ? .error : .title, glyphs: inputs.glyphs)
        pane.mark(rect, .jobsPane)
        guard inner.height > 0, inner.width > 0 else { return pane }
        if let message = inputs.message {
            pane.put(message, x: inner.x + max(0, (inner.width - DisplayWidth.of(message)) / 2), y: inner.y + inner.height / 2, limit: inner.width, style: .muted)
            return pane
        }
        let columns = fitColumns(width: inner.width, idWidth: inputs.idWidth)
        var x = inner.x
        for column in columns {
            pane.put(DisplayWidth.pad(column.title, to: column.width, alignRight: column.alignRight), x: x, y: inner.y, limit: column.width, style: Style(.muted, bold: true))
            pane.mark(Rect(x: x, y: inner.y, width: column.width, height: 1), .column(column.title))
            x += column.width + 1
        }
        for (index, row) in inputs.rows.enumerated() {
            let y = inner.y + 1 + index
            pane.mark(Rect(x: inner.x, y: y, width: inner.width, height: 1), .job(row.id))
            var x = inner.x
            for column in columns {
                let (text, style) = cell(column.title, row: row, width: column.width, glyphs: inputs.glyphs)
                pane.put(DisplayWidth.pad(text, to: column.width, alignRight: column.alignRight), x: x, y: y, limit: column.width, style: style)
                x += column.width + 1
            }
            if row.isSelected {
                // A cursor on the border and bold, underlined text: every cell keeps its own
                // colour, so the bar stays readable (a reversed row turned it into pale blocks).
                pane.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), bold: true, underline: true)
                pane.put(inputs.glyphs.bullet, x: rect.x, y: y, style: Style(.accent, bold: true))
            }
        }
        if let position = inputs.position {
            pane.put(" \(position) ", x: rect.maxX - DisplayWidth.of(position) - 4, y: rect.maxY - 1, style: .muted)
        }
        return pane
    }

    /// The widest progress bar (cells, without its percentage).
    static let widestBar = 40

    /// Columns that fit `width`: the progress bar shrinks (to 15 columns, 11 when few columns
    /// are left) before the least important column drops. Spare width goes half to the bar (up
    /// to `widestBar`) and the rest to the last column.
    static func fitColumns(width: Int, idWidth: Int) -> [Column] {
        let all = [
            Column(title: "ID", width: idWidth, priority: 10),
            Column(title: "STATE", width: 12, priority: 9),
            Column(title: "PROGRESS", width: 21, priority: 8),
            Column(title: "DUR", width: 6, priority: 7, alignRight: true),
            Column(title: "AGE", width: 4, priority: 5, alignRight: true),
            Column(title: "CREATOR", width: 12, priority: 4),
            Column(title: "RESOURCE", width: 24, priority: 3),
        ]
        func total(_ columns: [Column]) -> Int { columns.reduce(0) { $0 + $1.width } + columns.count - 1 }
        var columns = all
        for dropped in 0..<(all.count - 1) {
            let weakest = Set(all.sorted { $0.priority < $1.priority }.prefix(dropped).map(\.title))
            columns = all.filter { !weakest.contains($0.title) }
            let excess = total(columns) - width
            guard excess > 0 else { break }
            if let bar = columns.firstIndex(where: { $0.title == "PROGRESS" }) {
                let floor = columns.count <= 5 ? 11 : 15
                if columns[bar].width - excess >= floor {
                    columns[bar].width -= excess
                    break
                }
            }
        }
        if total(columns) > width, let bar = columns.firstIndex(where: { $0.title == "PROGRESS" }) {
            // Too narrow even for a short bar: the percentage alone.
            columns[bar] = Column(title: "%", width: 4, priority: 6, alignRight: true)
        }
        let spare = width - total(columns)
        if spare > 1, let bar = columns.firstIndex(where: { $0.title == "PROGRESS" }) {
            // A wide pane: half of the spare columns widen the bar, up to `widestBar` cells.
            columns[bar].width += min(spare / 2, max(0, widestBar + 5 - columns[bar].width))
        }
        if let last = columns.indices.last {
            columns[last].width = max(1, columns[last].width + width - total(columns))
        }
        return columns
    }

    static func cell(_ column: String, row: Inputs.Row, width: Int, glyphs: Glyphs) -> (String, Style) {
        let changed = row.changed
        let changedStyle = Style(.changed, bold: true)
        switch column {
        case "ID": return (row.id, .plain)
        case "STATE":
            return ("\(glyphs.state(row.state)) \(row.state.displayName)", changed ? changedStyle : Style(row.state.role, bold: row.state == .building))
        case "PROGRESS":
            let percent = row.progress.map { "\($0)%" } ?? "-"
            let bar = ProgressBar.render(row.progress, width: max(1, width - 5), glyphs: glyphs)
            return (bar + " " + DisplayWidth.pad(percent, to: 4, alignRight: true), changed ? changedStyle : Style(row.state.role))
        case "%": return (row.progress.map { "\($0)%" } ?? "-", changed ? changedStyle : Style(row.state.role))
        case "DUR":
            return (row.duration + (row.isSlow ? "!" : ""), row.isSlow ? Style(.warning, bold: true) : .plain)
        case "AGE": return (row.age, .muted)
        case "CREATOR": return (row.creator, .plain)
        case "RESOURCE": return (row.resource, .muted)
        default: return ("", .plain)
        }
    }
}
