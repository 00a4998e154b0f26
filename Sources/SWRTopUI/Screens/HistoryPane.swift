import Foundation
import SWRAPI
import SWRWatch

/// The history pane (`H`): the focused stage's last jobs from the history file as a bar chart of
/// their durations (oldest left, newest right), coloured by outcome and with each job's state
/// glyph under its bar (so it reads without colour too); the success rate over 24 h, 7 d and
/// 30 d, p50 and p90 of the successful jobs' durations, and a FLAKY mark when outcomes
/// alternate. Enter on a bar shows that job's stored timeline.
enum HistoryPane {
    /// The chart's tallest bar, in rows (eighths of a row make the heights finer).
    static let maxChartRows = 12
    /// The fewest chart rows worth drawing with a timeline under them.
    static let minChartRows = 4
    /// A timeline under the chart gets at least this many rows.
    static let minTimelineRows = 6

    static func render(_ state: AppState, view: HistoryView, into frame: inout Frame, rect: Rect) {
        let g = state.glyphs
        let count = view.jobs.count
        let title = "history \(g.separator) \(view.title)" + (count > 0 ? " \(g.separator) \(count) job\(count == 1 ? "" : "s")" : "")
        let inner = frame.box(rect, title: title, titleStyle: .accent, border: Style(.accent), glyphs: g)
        guard inner.height > 0, inner.width > 0 else { return }
        switch view.answer {
        case nil:
            frame.put("reading the history file\(g.ellipsis)", x: inner.x, y: inner.y, limit: inner.width, style: .muted)
        case .off?:
            say(["History is off: this session keeps no record of jobs (--no-history, \"history\": false in the config, or the file could not be opened, which swr-top said as it started).",
                 "Start swr-top without --no-history to record what it sees; the pane then shows the stage's past runs."],
                into: &frame, inner: inner)
        case .failed(let reason)?:
            say(["The history file could not be read: \(reason)"], into: &frame, inner: inner, style: .error)
        case .found(let history)?:
            if history.recent.isEmpty {
                say(["No job of this stage is in the history file yet: swr-top records each job it sees, so the chart fills as runs go by (and across restarts)."],
                    into: &frame, inner: inner)
            } else if let open = view.timeline {
                // Under the chart when both fit, else instead of it.
                let chartRows = min(inner.height, 2 + 1 + minChartRows + 3)
                if inner.height - chartRows >= minTimelineRows {
                    let end = chart(state, view: view, history: history, into: &frame,
                                    inner: Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - minTimelineRows), showLegend: false)
                    let rest = Rect(x: inner.x, y: end + 1, width: inner.width, height: max(0, inner.maxY - end - 1))
                    timeline(state, view: view, jobID: open.jobID, answer: open.answer, into: &frame, inner: rest)
                } else {
                    timeline(state, view: view, jobID: open.jobID, answer: open.answer, into: &frame, inner: inner)
                }
            } else {
                chart(state, view: view, history: history, into: &frame, inner: inner)
            }
        }
    }

    /// Wrapped sentences, one paragraph after the other.
    private static func say(_ paragraphs: [String], into frame: inout Frame, inner: Rect, style: Style = .plain) {
        var y = inner.y
        for paragraph in paragraphs {
            for line in Wrap.lines(paragraph, width: max(1, inner.width - 1), maxLines: 6) where y < inner.maxY {
                frame.put(line, x: inner.x, y: y, limit: inner.width, style: style)
                y += 1
            }
            y += 1
        }
    }

    /// A clock time, with the day (`11-27 14:19:27`) when it is not within the last 20 hours.
    static func time(_ date: Date, state: AppState) -> String {
        let clock = Format.clock(date, timeZone: state.timeZone)
        guard abs(state.now.timeIntervalSince(date)) >= 20 * 3600 else { return clock }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = state.timeZone
        let day = calendar.dateComponents([.month, .day], from: date)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "--" }
        return "\(two(day.month))-\(two(day.day)) \(clock)"
    }

    /// `92% of 12` (successful of decided), `-` when none was decided.
    static func rate(_ counts: OutcomeCounts) -> String {
        guard let rate = counts.successRate else { return "-" }
        return "\(percent(rate)) of \(counts.decided)"
    }

    /// A rate as a whole percentage, `99%` for anything short of all (never rounds up to 100%).
    static func percent(_ rate: Double) -> String {
        let value = rate >= 1 ? 100 : min(99, Int((rate * 100).rounded()))
        return "\(value)%"
    }

    /// The lines above the chart: success rates, then durations and the flaky mark.
    static func summary(_ history: StageHistory, glyphs g: Glyphs) -> [(text: String, style: Style)] {
        let rates = "success  24h \(rate(history.rates.day))  \(g.separator)  7d \(rate(history.rates.week))  \(g.separator)  30d \(rate(history.rates.month))"
        var durations = "duration "
        if let usual = history.usual {
            durations += " p50 \(Format.duration(Checked.int(usual.p50.rounded())))  p90 \(Format.duration(Checked.int(usual.p90.rounded())))  (\(usual.samples) successful)"
        } else {
            durations += " no successful job with a duration yet"
        }
        return [(rates, .plain), (durations, .plain)]
    }

    /// Draws the summary lines, the bars, their glyphs, the selected job and (with
    /// `showLegend`) the legend; returns the row after the last one drawn.
    @discardableResult
    private static func chart(_ state: AppState, view: HistoryView, history: StageHistory, into frame: inout Frame, inner: Rect,
                              showLegend: Bool = true) -> Int {
        let g = state.glyphs
        var y = inner.y
        for line in summary(history, glyphs: g) where y < inner.maxY {
            frame.put(line.text, x: inner.x, y: y, limit: inner.width, style: line.style)
            y += 1
        }
        if history.isFlaky, inner.height > 1 {
            // After the durations: the mark, then what it means.
            var x = inner.x + DisplayWidth.of(summary(history, glyphs: g)[1].text) + 2
            x += frame.put(" FLAKY ", x: x, y: inner.y + 1, limit: max(0, inner.maxX - x), style: Style(.warning, bold: true, reverse: true))
            frame.put(" outcomes alternate", x: x, y: inner.y + 1, limit: max(0, inner.maxX - x), style: Style(.warning))
        }
        // Below the chart: the glyph row, the selected job, the legend.
        let below = showLegend ? 3 : 2
        let rows = min(Self.maxChartRows, inner.maxY - y - 1 - below)
        guard rows >= 1 else { return y }
        y += 1
        let jobs = history.recent
        let slot = DurationBars.slot(count: jobs.count, width: inner.width)
        let shown = DurationBars.window(selection: view.selection, count: jobs.count, bars: inner.width / slot)
        let top = DurationBars.scaleTop(jobs[shown].compactMap(\.duration))
        // Above the bars: what their height means, and the duration at the top.
        let scale = "top \(Format.duration(top))"
        let scaleX = max(inner.x, inner.maxX - DisplayWidth.of(scale))
        var heading = "height: duration, \(g.isUnicode ? "↑" : "^") beyond the top"
        // Jobs the width leaves out, on either side.
        let hidden = [(jobs.count - shown.upperBound, "older"), (shown.lowerBound, "newer")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        if !hidden.isEmpty { heading += " \(g.separator) \(hidden.joined(separator: ", ")) off screen" }
        frame.put(heading, x: inner.x, y: y - 1, limit: max(0, scaleX - inner.x - 1), style: .muted)
        frame.put(scale, x: scaleX, y: y - 1, style: .muted)
        let base = y + rows - 1
        // Oldest shown on the left: index `shown.upperBound - 1` ... newest shown `shown.lowerBound`.
        let bars = shown.reversed().map { DurationBars.Bar(state: jobs[$0].state, duration: jobs[$0].duration, selected: $0 == view.selection) }
        DurationBars.draw(bars, slot: slot, top: top, x: inner.x, glyphRow: base + 1, rows: rows, into: &frame, glyphs: g)
        if let job = view.selected {
            let when = "\(time(job.at, state: state)) (\(Format.age(job.at, now: state.now)) ago)"
            let text = "#\(job.id)  \(g.state(job.state)) \(job.state.displayName)  \(Format.duration(job.duration))  \(when)"
            frame.put(text, x: inner.x, y: base + 2, limit: inner.width, style: Style(job.state.role, bold: true))
        }
        guard showLegend else { return base + 3 }
        let states: [JobState] = [.successful, .failed, .timeout, .cancelled, .building, .waiting, .unknown("")]
        let legend = states.map { "\(g.state($0)) \($0 == .unknown("") ? "other" : $0.displayName.lowercased())" }.joined(separator: "  ")
        frame.put(legend, x: inner.x, y: base + 3, limit: inner.width, style: .muted)
        return base + 4
    }

    private static func timeline(_ state: AppState, view: HistoryView, jobID: String, answer: HistoryLookup<[Observation]>?,
                                 into frame: inout Frame, inner: Rect) {
        let g = state.glyphs
        var y = inner.y
        let job = view.jobs.first { $0.id == jobID }
        let head = "stored timeline of #\(jobID)" + (job.map { " \(g.state($0.state)) \($0.state.displayName) \(Format.duration($0.duration))" } ?? "")
            + "  \(g.separator) Esc back to the chart"
        frame.put(head, x: inner.x, y: y, limit: inner.width, style: Style(job?.state.role ?? .accent, bold: true))
        y += 2
        switch answer {
        case nil:
            frame.put("reading\(g.ellipsis)", x: inner.x, y: y, limit: inner.width, style: .muted)
        case .off?:
            frame.put("history is off", x: inner.x, y: y, limit: inner.width, style: .muted)
        case .failed(let reason)?:
            frame.put("could not read: \(reason)", x: inner.x, y: y, limit: inner.width, style: .error)
        case .found(let observations)?:
            guard !observations.isEmpty else {
                frame.put("no change of this job was stored", x: inner.x, y: y, limit: inner.width, style: .muted)
                return
            }
            // The newest that fit, oldest first.
            let room = max(0, inner.maxY - y)
            let skipped = max(0, observations.count - room)
            if skipped > 0, room > 0 {
                frame.put("\(skipped) earlier change\(skipped == 1 ? "" : "s") not shown", x: inner.x, y: y, limit: inner.width, style: .muted)
                y += 1
            }
            for observation in observations.suffix(max(0, inner.maxY - y)) {
                let date = time(observation.at, state: state)
                let text = "\(date) \(g.state(observation.state)) \(DisplayWidth.pad(observation.state.displayName, to: 10)) \(DisplayWidth.pad(Format.percent(observation.progress), to: 4, alignRight: true)) \(Format.duration(observation.duration))"
                frame.put(text, x: inner.x, y: y, limit: inner.width, style: Style(observation.state.role))
                y += 1
            }
        }
    }
}
