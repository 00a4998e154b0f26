import Foundation
import SWRAPI
import SWRWatch

/// The selected job: every field, its ETA, the stage's recent durations and the observed timeline.
enum DetailPane {
    /// The selected job of the focused stage, if any.
    static func job(_ state: AppState, jobs: [Job]) -> Job? {
        jobs.isEmpty ? nil : jobs[state.selectedRow(in: jobs)]
    }

    /// The labelled fields shown above the timeline.
    /// Without the `recent` sparkline: `Plan` adds it when no chart fits (see `sparklineRow`).
    static func fields(_ state: AppState, job: Job, target: Target) -> [(String, String, Style)] {
        let summary = state.store.summary(target, now: state.now)
        var lines: [(String, String, Style)] = [
            ("state", "\(state.glyphs.state(job.state)) \(job.state.displayName)" + (job.rawState != job.state.label && !job.rawState.isEmpty ? " (\(job.rawState))" : ""), Style(job.state.role, bold: true)),
            ("progress", job.progress.map { sent in (0...100).contains(sent) ? "\(sent)%" : "\(Format.percent(sent)) (sent \(sent))" } ?? "-", .plain),
            ("duration", Format.duration(job.duration), .plain),
        ]
        // Until a poll of this session confirms them, the figures are an earlier session's.
        let fromHistory = summary.fromHistory != nil ? " (history)" : ""
        if summary.active?.id == job.id {
            let eta = summary.eta.flatMap { Checked.int($0.rounded()) }.map { "~" + Format.duration($0) } ?? (summary.isSlow ? "overdue" : "unknown")
            lines.append(("eta", eta + fromHistory, summary.isSlow ? Style(.warning, bold: true) : .accent))
        }
        var usual = Format.duration(summary.usualDuration)
        if let p90 = summary.usual.flatMap({ Checked.int($0.p90.rounded()) }) { usual += ", p90 " + Format.duration(p90) }
        lines += [
            ("usual", usual + (summary.usualDuration != nil ? fromHistory : ""), .muted),
            ("created", job.createdAt.map { Format.clock($0, timeZone: state.timeZone) + " (\(Format.age($0, now: state.now)) ago)" } ?? "-", .plain),
            ("creator", job.creatorName ?? "-", .plain),
            ("resource", job.resource ?? "-", .plain),
            ("service", job.service ?? "-", .muted),
            ("logs", job.logCount.map { $0 >= 0 ? String($0) : "-" } ?? "-", .muted),
        ]
        return lines
    }

    /// The stage's recent successful durations as one line, when it has any.
    static func sparklineRow(_ state: AppState, target: Target, width: Int) -> (String, String, Style)? {
        let durations = state.store[target]?.jobs.prefix(30).reversed().compactMap { $0.state == .successful ? $0.duration : nil } ?? []
        guard !durations.isEmpty else { return nil }
        return ("recent", Sparkline.render(Array(durations), width: max(1, width - 10), glyphs: state.glyphs), Style(.success))
    }

    /// How a detail pane of a given size shares its rows: the fields, then (when the whole
    /// observed timeline leaves room) a chart of the stage's recent jobs, then the timeline.
    struct Plan {
        var fields: [(String, String, Style)]
        /// Rows of bars in the recent-jobs chart; 0 draws none (the fields keep the sparkline).
        var chartRows: Int
        /// Rows of observations the timeline shows.
        var timelineRows: Int
        var timelineCount: Int

        /// The chart's tallest bars, and the fewest rows worth a chart.
        static let maxChartRows = 8, minChartRows = 3
        /// Around the bars: a blank row and a heading above, the glyph row below.
        static let chartFrame = 3

        init(_ state: AppState, job: Job, target: Target, inner: Rect) {
            let timelineCount = state.store.observationCount(target, jobID: job.id)
            let jobs = state.store[target]?.jobs.count ?? 0
            fields = DetailPane.fields(state, job: job, target: target)
            // The whole timeline (a blank row and its heading first), then what is left for a chart.
            let spare = inner.height - fields.count - 2 - timelineCount - Self.chartFrame
            if jobs >= 2, spare >= Self.minChartRows {
                chartRows = min(Self.maxChartRows, spare)
            } else {
                chartRows = 0
                if let row = DetailPane.sparklineRow(state, target: target, width: inner.width) { fields.append(row) }
            }
            let used = min(inner.height, fields.count) + (chartRows > 0 ? chartRows + Self.chartFrame : 0)
            timelineRows = max(0, inner.height - used - 2)
            self.timelineCount = timelineCount
        }
    }

    /// For `Layout.fit`: the rows the observed timeline gets in a detail pane at `rect`, and how
    /// many observations there are (so the scroll stays in range).
    static func timelineFit(_ state: AppState, rect: Rect) -> (rows: Int, count: Int) {
        guard let target = state.focusedTarget, let job = job(state, jobs: state.visibleJobs) else { return (0, 0) }
        let plan = Plan(state, job: job, target: target, inner: rect.inset(1))
        return (plan.timelineRows, plan.timelineCount)
    }

    /// Everything the pane shows, gathered from the state (the clock's part as the texts it
    /// gives). `drawing(_:)` reads nothing else, so equal inputs draw equal panes:
    /// `ScreenRenderer` does not build the drawing again while they stay the same.
    struct Inputs: Equatable {
        var rect: Rect
        var glyphs: Glyphs
        /// Drilled in: the border says this pane takes the keys.
        var focused: Bool
        var jobID: String?
        /// What is inside the box: nothing without a selected job or without room.
        var body: Body?

        struct Body: Equatable {
            var fields: [Field]
            var chart: Chart?
            /// The job's observed timeline, oldest first.
            var timeline: [Observation]
            /// Observations scrolled back from the newest (`AppState.detailScroll`).
            var scroll: Int
            var timeZone: TimeZone
        }

        struct Field: Equatable {
            var label: String
            var value: String
            var style: Style
        }

        /// The stage's recent jobs as bars (oldest first), each `slot` columns wide, scaled to `top`.
        struct Chart: Equatable {
            var rows: Int
            var bars: [DurationBars.Bar]
            var slot: Int
            var top: Int
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
        let job = job(state, jobs: jobs)
        var inputs = Inputs(rect: rect, glyphs: state.glyphs, focused: state.showDetail, jobID: job?.id)
        let inner = Frame.boxInside(rect)
        guard let job, inner.height > 0 else { return inputs }
        let plan = Plan(state, job: job, target: target, inner: inner)
        inputs.body = Inputs.Body(fields: plan.fields.map { Inputs.Field(label: $0.0, value: $0.1, style: $0.2) },
                                  chart: plan.chartRows > 0 ? chart(state, selected: job, target: target, rows: plan.chartRows, inner: inner) : nil,
                                  timeline: state.store.timeline(target, jobID: job.id), scroll: state.detailScroll, timeZone: state.timeZone)
        return inputs
    }

    /// The pane drawn from its inputs alone.
    static func drawing(_ inputs: Inputs) -> Drawing {
        var pane = Drawing()
        let rect = inputs.rect, focused = inputs.focused, glyphs = inputs.glyphs
        let inner = pane.box(rect, title: inputs.jobID.map { "job \($0)" } ?? "job", titleStyle: focused ? .accent : .title,
                             border: focused ? Style(.accent) : .muted, glyphs: glyphs)
        pane.mark(rect, .detailPane)
        guard let body = inputs.body else { return pane }
        var y = inner.y
        for field in body.fields where y < inner.maxY {
            pane.put(DisplayWidth.pad(field.label, to: 9), x: inner.x, y: y, style: .muted)
            pane.put(field.value, x: inner.x + 9, y: y, limit: inner.width - 9, style: field.style)
            y += 1
        }
        if let chart = body.chart {
            y = recentChart(chart, glyphs: glyphs, into: &pane, inner: inner, y: y + 1)
        }
        guard y + 2 < inner.maxY else { return pane }
        y += 1
        let timeline = body.timeline
        let room = max(0, inner.maxY - y - 1)
        // `detailScroll` counts back from the newest observation (kept in range by `Layout.fit`).
        let back = Checked.clamp(body.scroll, timeline.count - room)
        let end = timeline.count - back
        let start = max(0, end - room)
        var heading = "observed"
        if timeline.count > room {
            heading += " \(start + 1)-\(end) of \(timeline.count)"
            if focused { heading += " \(glyphs.separator) \(glyphs.isUnicode ? "↑↓" : "up/dn") scroll" }
        }
        pane.put(heading, x: inner.x, y: y, limit: inner.width, style: Style(.muted, bold: true))
        y += 1
        for observation in timeline[start..<end] {
            let text = "\(Format.clock(observation.at, timeZone: body.timeZone)) \(DisplayWidth.pad(observation.state.displayName, to: 10)) \(DisplayWidth.pad(Format.percent(observation.progress), to: 4, alignRight: true)) \(Format.duration(observation.duration))"
            pane.put(text, x: inner.x, y: y, limit: inner.width, style: Style(observation.state.role))
            y += 1
        }
        return pane
    }

    /// The stage's recent jobs as duration bars (every outcome, the shown job reversed).
    static func chart(_ state: AppState, selected: Job, target: Target, rows: Int, inner: Rect) -> Inputs.Chart {
        let jobs = state.store[target]?.jobs ?? []
        let slot = DurationBars.slot(count: jobs.count, width: inner.width)
        // The newest jobs, or further back when the shown job is older than they are.
        let selection = jobs.firstIndex { $0.id == selected.id } ?? 0
        let shown = jobs[DurationBars.window(selection: selection, count: jobs.count, bars: inner.width / slot)]
        // Scaled by the finished jobs, so a running job's growing bar does not redraw the others
        // every second (it ends in an arrow once past the top).
        let finished = shown.filter(\.state.isFinal).compactMap(\.duration)
        let top = DurationBars.scaleTop(finished.isEmpty ? shown.compactMap(\.duration) : finished)
        let bars = shown.reversed().map { DurationBars.Bar(state: $0.state, duration: $0.duration, selected: $0.id == selected.id) }
        return Inputs.Chart(rows: rows, bars: bars, slot: slot, top: top)
    }

    /// The chart under a heading with the scale; returns the row after the glyph row.
    static func recentChart(_ chart: Inputs.Chart, glyphs: Glyphs, into pane: inout Drawing, inner: Rect, y: Int) -> Int {
        let scale = "top \(Format.duration(chart.top))"
        let scaleX = max(inner.x, inner.maxX - DisplayWidth.of(scale))
        let shown = chart.bars.count
        let count = "recent \(shown) job\(shown == 1 ? "" : "s")"
        let long = count + " \(glyphs.separator) height: duration"
        pane.put(DisplayWidth.of(long) < scaleX - inner.x ? long : count, x: inner.x, y: y,
                 limit: max(0, scaleX - inner.x - 1), style: Style(.muted, bold: true))
        pane.put(scale, x: scaleX, y: y, style: .muted)
        let glyphRow = y + chart.rows + 1
        pane.bars(chart.bars, slot: chart.slot, top: chart.top, x: inner.x, glyphRow: glyphRow, rows: chart.rows, glyphs: glyphs)
        return glyphRow + 1
    }
}

/// The newest changes across all pipelines.
enum EventsPane {
    /// Everything the pane shows (see `JobsPane.Inputs`).
    struct Inputs: Equatable {
        var rect: Rect
        var glyphs: Glyphs
        /// The newest changes that fit, newest first.
        var events: [JobChange]
        var pipelines: [PipelineInfo]
        var timeZone: TimeZone
    }

    static func render(_ state: AppState, into frame: inout Frame, rect: Rect) {
        frame.draw(drawing(inputs(state, rect: rect)))
    }

    /// What the pane shows at `rect`.
    static func inputs(_ state: AppState, rect: Rect) -> Inputs {
        let rows = Frame.boxInside(rect).height
        return Inputs(rect: rect, glyphs: state.glyphs, events: Array(state.store.events.elements.reversed().prefix(max(0, rows))),
                      pipelines: state.pipelines, timeZone: state.timeZone)
    }

    /// The pane drawn from its inputs alone.
    static func drawing(_ inputs: Inputs) -> Drawing {
        var pane = Drawing()
        let inner = pane.box(inputs.rect, title: "events", glyphs: inputs.glyphs)
        guard inner.height > 0 else { return pane }
        if inputs.events.isEmpty {
            pane.put("no changes yet", x: inner.x, y: inner.y, limit: inner.width, style: .muted)
            return pane
        }
        for (row, change) in inputs.events.enumerated() {
            let text = "\(Format.clock(change.at, timeZone: inputs.timeZone)) " + EventText.describe(change, pipelines: inputs.pipelines, arrow: inputs.glyphs.arrow)
            pane.put(text, x: inner.x, y: inner.y + row, limit: inner.width, style: Style(EventText.role(change)))
        }
        return pane
    }
}

/// The refused-token banner: what failed, what it means, what to do — in words, wrapped to the
/// screen, never the token.
enum RefusalBanner {
    /// The banner's text, wrapped for a banner `width` columns wide (inside its border): what
    /// failed and what it means, then what to do (in the accent).
    static func lines(_ state: AppState, width: Int) -> [(text: String, style: Style)] {
        guard let refusal = state.refusal else { return [] }
        let newest = state.store.stages.values.compactMap(\.lastGoodPoll).max()
        let data = newest.map { "the data on screen is from \(Format.age($0, now: state.now)) ago" } ?? "nothing had been read yet"
        let what = "The service refused the token (401 on \(refusal.place), \(Format.age(refusal.at, now: state.now)) ago) and it could not be renewed. Polling has stopped: nothing is being asked, and \(data)."
        let todo = "To fix it: get a fresh token and start swr-top again with it (auth.token_env or auth.token_file in the config), or use auth.iam so swr-top logs in and renews the token itself. Press r to retry now."
        let room = max(1, width - 4)
        return Wrap.lines(what, width: room, maxLines: 6).map { ($0, Style.plain) } + Wrap.lines(todo, width: room, maxLines: 6).map { ($0, Style.accent) }
    }

    static func render(_ state: AppState, into frame: inout Frame, rect: Rect) {
        frame.fill(rect)
        let inner = frame.box(rect, title: "token refused \(state.glyphs.separator) polling stopped", titleStyle: Style(.error, bold: true, reverse: true),
                              border: Style(.error, bold: true), glyphs: state.glyphs)
        guard inner.height > 0, inner.width > 0 else { return }
        for (row, line) in lines(state, width: rect.width).prefix(inner.height).enumerated() {
            frame.put(line.text, x: inner.x + 1, y: inner.y + row, limit: inner.width - 1, style: line.style)
        }
    }
}

/// The help: every key, then what every glyph and word on screen means. Any key closes it.
enum HelpOverlay {
    /// What the screens show, explained: (the thing as it appears, what it means).
    static func legend(_ g: Glyphs) -> [(String, String)] {
        let bar = ProgressBar.render(63, width: 6, glyphs: g)
        return [
            ("\(g.state(.successful)) \(g.state(.failed)) \(g.state(.timeout)) \(g.state(.cancelled)) \(g.state(.unknown(""))) \(g.state(.building)) \(g.state(.waiting))",
             "successful failed timeout cancelled unknown; building waiting"),
            ("\(g.state(.waiting)) pending", "this run has not reached the stage yet"),
            ("\(g.state(.successful)) 2h ago", "dim: the stage's result is from an earlier run, that long ago"),
            ("42s  63%", "how long the stage's job ran; how far it is"),
            ("\(bar) 63%", "progress (\(g.isUnicode ? "┄" : "[??]") unknown); 1m00s! = longer than usual"),
            ("! \(g.slowedByBudget) STALE", "last poll failed; late (request budget); old data shown"),
            ("FOLLOW", "the view moves with the run's stage (f)"),
            ("LIVE PAUSED", "polling; paused (space); STOPPED: token refused (r)"),
            ("usual recent", "p50 of the last successes across runs (p90: slow); sparkline"),
            ("(history)", "usual, eta and jobs from an earlier session: no poll yet"),
            ("7d 92%", "overview: the stage's success rate over 7 days (history)"),
            ("eta observed", "time left; the job's states as seen, with times"),
        ]
    }

    static func render(_ state: AppState, into frame: inout Frame) {
        let keys = Keymap.help
        let legend = legend(state.glyphs)
        let width = min(frame.width, 80)
        let keyWidth = 14
        // Two columns of keys when they fit, else one.
        let columns = width - 4 >= 2 * (keyWidth + 22) ? 2 : 1
        let keyRows = (keys.count + columns - 1) / columns
        let wanted = keyRows + legend.count + 2 + 2
        let height = min(frame.height, wanted)
        guard width > 10, height > 3 else { return }
        let rect = Rect(x: (frame.width - width) / 2, y: (frame.height - height) / 2, width: width, height: height)
        frame.fill(rect)
        let inner = frame.box(rect, title: "help", titleStyle: .accent, border: .accent, glyphs: state.glyphs)
        // The last row always says how to close.
        let rows = max(0, inner.height - 1)
        let columnWidth = (inner.width - 1) / columns
        var y = inner.y
        for row in 0..<keyRows where y < inner.y + rows {
            for column in 0..<columns {
                let index = row + column * keyRows
                guard keys.indices.contains(index) else { continue }
                let x = inner.x + 1 + column * columnWidth
                frame.put(DisplayWidth.pad(keys[index].keys, to: keyWidth - 1), x: x, y: y, limit: keyWidth - 1, style: Style(.accent, bold: true))
                frame.put(keys[index].meaning, x: x + keyWidth, y: y, limit: columnWidth - keyWidth - 1)
            }
            y += 1
        }
        if y < inner.y + rows {
            frame.put("on screen", x: inner.x + 1, y: y, limit: inner.width - 2, style: Style(.muted, bold: true))
            y += 1
        }
        let symbolWidth = 14
        for (symbol, meaning) in legend where y < inner.y + rows {
            frame.put(DisplayWidth.pad(symbol, to: symbolWidth - 1), x: inner.x + 1, y: y, limit: symbolWidth - 1, style: Style(.accent, bold: true))
            frame.put(meaning, x: inner.x + 1 + symbolWidth, y: y, limit: inner.width - symbolWidth - 2)
            y += 1
        }
        frame.put("any key closes; q closes too (Ctrl-C quits)", x: inner.x + 1, y: inner.maxY - 1, limit: inner.width - 2, style: .muted)
    }
}
