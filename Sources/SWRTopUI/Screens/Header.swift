import Foundation
import SWRAPI
import SWRWatch

/// The top line: app, pipeline and position, LIVE/PAUSED/STALE/STOPPED and FOLLOW, poll age,
/// countdown, `used/budget req/min`, endpoint. What gives way when the line is short, first to
/// last: the endpoint, the pipeline's name (cut to a few columns), the countdown, the rest of
/// the name, req/min, the poll age, FOLLOW, and the state badge last of all. At 80 columns and
/// up the badge, the poll age and req/min always show.
enum Header {
    /// A part of the line and how long it stays when the line is short (higher stays longer).
    struct Part {
        var text: String
        var style: Style
        var priority: Int
    }

    /// The columns the pipeline's name keeps before the endpoint and countdown give way.
    static let nameKeeps = 12

    static func render(_ state: AppState, into frame: inout Frame, row: Int) {
        let g = state.glyphs
        var x = frame.put(" swr-top ", x: 0, y: row, style: Style(.title, bold: true, reverse: true))
        x += 1
        var badges: [(String, Style)] = []
        let record = state.focusedTarget.flatMap { state.store[$0] }
        if state.refusal != nil {
            badges.append((" STOPPED ", Style(.error, bold: true, reverse: true)))
        } else if state.isPaused {
            badges.append((" PAUSED ", Style(.warning, bold: true, reverse: true)))
        } else if record?.isStale == true {
            badges.append((" STALE ", Style(.error, bold: true, reverse: true)))
        } else {
            badges.append((" \(g.live) LIVE ", Style(.success, bold: true, reverse: true)))
        }
        if state.isFollowing { badges.append((" FOLLOW ", Style(.accent, bold: true, reverse: true))) }
        var parts: [Part] = []
        if let last = record?.lastGoodPoll {
            // The budget, not the schedule, made this answer late: the age says so.
            let slowed = record?.heldByBudget == true ? " \(g.slowedByBudget) budget" : ""
            parts.append(Part(text: "polled \(Format.age(last, now: state.now)) ago\(slowed)", style: slowed.isEmpty ? .plain : Style(.warning), priority: 5))
        } else {
            parts.append(Part(text: "waiting for first answer", style: .muted, priority: 5))
        }
        if !state.isPaused, let next = record?.nextPollAt, next.timeIntervalSince(state.now) < 86_400 {
            parts.append(Part(text: "next \(Format.countdown(to: next, now: state.now))", style: .plain, priority: 2))
        }
        parts.append(Part(text: requestRate(state), style: requestRateStyle(state), priority: 4))
        parts.append(Part(text: state.endpointHost, style: .muted, priority: 1))
        // Laid out as `name  badge badge  part  part`, ending at the right edge.
        func total(_ parts: [Part]) -> Int {
            let badgeWidth = badges.reduce(0) { $0 + DisplayWidth.of($1.0) } + badges.count - 1
            return max(0, badgeWidth) + parts.reduce(0) { $0 + 2 + DisplayWidth.of($1.text) }
        }
        let room = frame.width - x - 1
        let position = "(\(state.pipelineIndex + 1)/\(state.pipelines.count))"
        let fullName = state.pipeline.map { DisplayWidth.of(nameText($0.name, position: position, bullet: g.bullet, width: room), upTo: room) } ?? 0
        // The endpoint gives way to the whole name; the countdown to the first columns of it ...
        for (priority, keep) in [(1, fullName), (2, min(fullName, nameKeeps))] {
            while let index = parts.firstIndex(where: { $0.priority == priority }), total(parts) + keep > room {
                parts.remove(at: index)
            }
        }
        // ... then the name goes, then req/min and the poll age, the state badge last of all.
        while let weakest = parts.indices.min(by: { parts[$0].priority < parts[$1].priority }), total(parts) > room {
            parts.remove(at: weakest)
        }
        while !badges.isEmpty, x + 1 + total([]) > frame.width { badges.removeLast() }
        if let pipeline = state.pipeline {
            let limit = max(0, room - total(parts))
            x += frame.put(nameText(pipeline.name, position: position, bullet: g.bullet, width: limit),
                           x: x, y: row, limit: limit, style: .accent)
        }
        var right = max(x + 1, frame.width - total(parts))
        for (index, badge) in badges.enumerated() {
            right += frame.put(badge.0, x: right, y: row, style: badge.1) + (index == badges.count - 1 ? 0 : 1)
        }
        for part in parts {
            right += 2
            right += frame.put(part.text, x: right, y: row, style: part.style)
        }
    }

    /// `▸ name (2/5)` in `width` columns: the name is cut (with an ellipsis) before the position.
    static func nameText(_ name: String, position: String, bullet: String, width: Int) -> String {
        let whole = "\(bullet) \(name) \(position)"
        // A name in fewer than 4 columns says nothing: none then.
        guard width >= 4 else { return "" }
        guard DisplayWidth.of(whole, upTo: width + 1) > width else { return whole }
        let fixed = DisplayWidth.of(bullet) + 2 + DisplayWidth.of(position)
        guard width - fixed >= 2 else { return DisplayWidth.truncate("\(bullet) \(name)", to: width) }
        return "\(bullet) \(DisplayWidth.truncate(name, to: width - fixed)) \(position)"
    }

    /// `123/300 req/min`: requests of the last minute and the budget now (`123 req/min` before
    /// the engine has said its budget).
    static func requestRate(_ state: AppState) -> String {
        let used = state.store.requestsPerMinute(now: state.now)
        guard let budget = state.budget else { return "\(used) req/min" }
        return "\(used)/\(budget.limit) req/min"
    }

    /// Muted while well within the budget; a warning near it or while a 429 has shrunk it.
    static func requestRateStyle(_ state: AppState) -> Style {
        guard let budget = state.budget else { return .muted }
        let used = state.store.requestsPerMinute(now: state.now)
        return budget.limit < budget.configured || used * 10 >= budget.limit * 9 ? Style(.warning) : .muted
    }
}

/// The stage tabs of the current pipeline: glyph, name, and the duration or progress of the
/// newest job; `○ pending` where this run has not been yet, and an earlier run's result dimmed
/// with its age; `!` after a stage whose last poll failed, `⧗` after one the request budget made
/// late. When the tabs do not fit, the strip scrolls to keep the focused stage in view, with
/// `‹ n more` / `n more ›` for the stages left out (see `window`).
enum StageStrip {
    static func render(_ state: AppState, into frame: inout Frame, row: Int) {
        guard let pipeline = state.pipeline else { return }
        let run = RunView(state, pipeline: pipeline)
        let g = state.glyphs
        var tabs: [(text: String, style: Style)] = []
        for (position, stage) in pipeline.stages.enumerated() {
            let look = run.looks[position]
            let summary = look.summary
            let jobState = look.state
            var detail = ""
            if look.isPending {
                detail = "pending"
            } else if let age = look.previousAge(now: state.now) {
                detail = "\(age) ago"
            } else if !look.isFromStatus, let job = summary.current {
                detail = job.state.isFinal ? Format.duration(job.duration) : job.state == .building ? Format.percent(summary.progress) : ""
            } else if let seconds = look.statusDuration {
                detail = Format.duration(seconds)
            }
            let glyph = jobState.map { " " + g.state($0) } ?? ""
            let held = state.store[Target(pipeline: pipeline.id, stage: stage.index)]?.heldByBudget == true
            let label = "\(stage.index) \(stage.name)\(glyph)" + (detail.isEmpty ? "" : " \(detail)") + (summary.isStale ? " !" : "")
                + (held ? " \(g.slowedByBudget)" : "")
            var style: Style
            if look.isPending {
                style = .muted
            } else if look.isPrevious {
                style = Style(jobState?.role ?? .muted, dim: true)
            } else {
                style = Style(jobState?.role ?? .muted)
            }
            if position == run.runningPosition { style.bold = true }
            if position == state.stageIndex { style = Style(.selection, bold: true, reverse: true) }
            tabs.append(("[\(label)]", style))
        }
        let shown = window(widths: tabs.map { DisplayWidth.of($0.text) }, focus: state.stageIndex, width: frame.width - 1, glyphs: g)
        var x = 1
        if shown.lowerBound > 0 {
            x += frame.put(moreText(shown.lowerBound, before: true, glyphs: g), x: x, y: row, style: .muted) + 1
        }
        for position in shown {
            let tab = tabs[position]
            guard DisplayWidth.of(tab.text, upTo: frame.width - x) <= frame.width - x else {
                // Only the focused tab alone on a very narrow screen: cut it.
                let drawn = frame.put(tab.text, x: x, y: row, style: tab.style)
                frame.mark(Rect(x: x, y: row, width: drawn, height: 1), .stage(position))
                return
            }
            let drawn = frame.put(tab.text, x: x, y: row, style: tab.style)
            frame.mark(Rect(x: x, y: row, width: drawn, height: 1), .stage(position))
            x += drawn + 1
        }
        if shown.upperBound < tabs.count {
            frame.put(moreText(tabs.count - shown.upperBound, before: false, glyphs: g), x: x, y: row, style: .muted)
        }
    }

    /// `‹ 3 more` before the shown tabs, `5 more ›` after them.
    static func moreText(_ count: Int, before: Bool, glyphs: Glyphs) -> String {
        before ? "\(glyphs.moreBefore) \(count) more" : "\(count) more \(glyphs.moreAfter)"
    }

    /// The tabs shown in `width` columns: all when they fit; else a run of them around `focus`
    /// (grown one tab after, one before, in turn, while it fits with its `more` marks).
    /// Pure, for any widths and any focus (one out of range counts as the first tab).
    static func window(widths: [Int], focus: Int, width: Int, glyphs: Glyphs) -> Range<Int> {
        let count = widths.count
        guard count > 0 else { return 0..<0 }
        let gaps = widths.map { Checked.add($0, 1) }
        if gaps.reduce(0, Checked.add) <= width { return 0..<count }
        let focus = widths.indices.contains(focus) ? focus : 0
        func fits(_ range: Range<Int>) -> Bool {
            var need = gaps[range].reduce(0, Checked.add)
            if range.lowerBound > 0 { need = Checked.add(need, DisplayWidth.of(moreText(range.lowerBound, before: true, glyphs: glyphs)) + 1) }
            if range.upperBound < count { need = Checked.add(need, DisplayWidth.of(moreText(count - range.upperBound, before: false, glyphs: glyphs))) }
            return need <= width
        }
        var shown = focus..<(focus + 1)
        var grew = true
        while grew {
            grew = false
            if shown.upperBound < count, fits(shown.lowerBound..<(shown.upperBound + 1)) {
                shown = shown.lowerBound..<(shown.upperBound + 1)
                grew = true
            }
            if shown.lowerBound > 0, fits((shown.lowerBound - 1)..<shown.upperBound) {
                shown = (shown.lowerBound - 1)..<shown.upperBound
                grew = true
            }
        }
        return shown
    }
}

/// The bottom line: key hints on the left, a message on the right (the focused stage's error,
/// a notice, the log search's position). Hints have priorities: the least important drop first
/// to make room, but `? help` and `q quit` always show. Typing a filter or a search takes the
/// whole line.
enum StatusLine {
    /// A key hint: its keys, what they do, and how much it matters (`essential` never drops).
    struct Hint {
        var keys: String
        var words: String
        var priority: Int
        static let essential = 100
        var text: String { "\(keys) \(words)" }
    }

    static func render(_ state: AppState, into frame: inout Frame, row: Int, messageRow: Int? = nil) {
        let dot = state.glyphs.separator
        let cursor = state.glyphs.isUnicode ? "▏" : "_"
        if state.isEditingFilter {
            frame.put(" /\(state.filter)\(cursor) Enter keep \(dot) Esc clear", x: 0, y: row, style: .accent)
            return
        }
        if let log = state.logView, log.isEditingSearch {
            let found = log.matchingLines.count
            frame.put(" /\(log.search)\(cursor) \(found) match\(found == 1 ? "" : "es") \(dot) Enter keep \(dot) Esc clear", x: 0, y: row, style: .accent)
            return
        }
        var hints = hints(for: state)
        let prefix = failingPrefix(state)
        let prefixWidth = DisplayWidth.of(prefix)
        var message = message(state)
        if let text = message?.text, let messageRow {
            // Too long to share the line: it has a line of its own, above.
            frame.put(" " + text, x: 0, y: messageRow, style: message?.style ?? .plain)
            message = nil
        }
        var shown = ""
        if let message {
            let room = frame.width - layoutWidth(hints.filter { $0.priority >= Hint.essential }) - 3 - prefixWidth
            shown = room >= 8 ? DisplayWidth.truncate(message.text, to: room) : ""
        }
        let shownWidth = shown.isEmpty ? 0 : DisplayWidth.of(shown) + 2
        let hintRoom = frame.width - prefixWidth - shownWidth
        while layoutWidth(hints) > hintRoom, let weakest = hints.indices.filter({ hints[$0].priority < Hint.essential }).min(by: { (hints[$0].priority, -$0) < (hints[$1].priority, -$1) }) {
            hints.remove(at: weakest)
        }
        var x = 0
        if !prefix.isEmpty { x = frame.put(prefix, x: 0, y: row, style: Style(.error, bold: true)) }
        frame.put(" " + hints.map(\.text).joined(separator: "  "), x: x, y: row, style: .muted)
        if let message, !shown.isEmpty {
            frame.put(shown, x: frame.width - DisplayWidth.of(shown) - 1, y: row, style: message.style)
        }
    }

    /// ` 2 stages failing ` (on the dashboard, not in the logs pane).
    static func failingPrefix(_ state: AppState) -> String {
        let failing = state.logView == nil ? state.store.stages.values.filter(\.isStale).count : 0
        return failing > 0 ? " \(failing) stage\(failing == 1 ? "" : "s") failing " : ""
    }

    /// Whether the message does not fit whole beside the essential hints at `width`, so it
    /// takes a line of its own above the status line (see `Layout`).
    static func needsOwnRow(_ state: AppState, width: Int) -> Bool {
        guard !state.isEditingFilter, state.logView?.isEditingSearch != true, let message = message(state) else { return false }
        let essential = layoutWidth(hints(for: state).filter { $0.priority >= Hint.essential })
        let room = width - essential - 3 - DisplayWidth.of(failingPrefix(state))
        return DisplayWidth.of(message.text, upTo: max(0, room)) > room
    }

    /// The columns the hints take on the line (with their leading space).
    static func layoutWidth(_ hints: [Hint]) -> Int {
        hints.isEmpty ? 0 : 1 + hints.reduce(0) { $0 + DisplayWidth.of($1.text) } + 2 * (hints.count - 1)
    }

    /// The hints for what is on screen, in the order shown.
    static func hints(for state: AppState) -> [Hint] {
        let u = state.glyphs.isUnicode
        let updown = u ? "↑↓" : "up/dn", leftright = u ? "←→" : "<-/->", enter = u ? "⏎" : "Enter"
        let tail = [Hint(keys: "?", words: "help", priority: Hint.essential), Hint(keys: "q", words: "quit", priority: Hint.essential)]
        if state.logView != nil {
            return [
                Hint(keys: "\(updown) PgUp PgDn", words: "scroll", priority: 8), Hint(keys: leftright, words: "sideways", priority: 3),
                Hint(keys: "g", words: "top", priority: 2), Hint(keys: "G", words: "follow", priority: 6),
                Hint(keys: "/", words: "search", priority: 5), Hint(keys: "n N", words: "next/prev", priority: 4),
                Hint(keys: "l Esc", words: "close", priority: 9),
            ] + tail
        }
        if state.historyView != nil {
            return [
                Hint(keys: leftright, words: "job", priority: 9), Hint(keys: enter, words: "timeline", priority: 8),
                Hint(keys: "g G", words: "oldest/newest", priority: 3), Hint(keys: "H Esc", words: "close", priority: 9),
            ] + tail
        }
        if state.refusal != nil {
            return [Hint(keys: "r", words: "retry", priority: Hint.essential), Hint(keys: "o", words: "overview", priority: 3),
                    Hint(keys: leftright, words: "stage", priority: 2)] + tail
        }
        if state.showOverview {
            return [
                Hint(keys: updown, words: "pipeline", priority: 9), Hint(keys: leftright, words: "stage", priority: 7),
                Hint(keys: enter, words: "open", priority: 9), Hint(keys: "o Esc", words: "close", priority: 8),
            ] + tail
        }
        if state.showDetail {
            return [
                Hint(keys: updown, words: "scroll", priority: 9), Hint(keys: "g G", words: "oldest/newest", priority: 4),
                Hint(keys: "\(enter) Esc", words: "back", priority: 10), Hint(keys: leftright, words: "stage", priority: 5),
                Hint(keys: "l", words: "log", priority: 6),
            ] + tail
        }
        var list = [
            Hint(keys: leftright, words: "stage", priority: 8), Hint(keys: "[ ]", words: "pipeline", priority: 8),
            Hint(keys: updown, words: "job", priority: 6), Hint(keys: enter, words: "detail", priority: 7),
        ]
        if !state.isFollowing { list.append(Hint(keys: "f", words: "follow", priority: 9)) }
        list += [Hint(keys: "l", words: "log", priority: 6), Hint(keys: "o", words: "overview", priority: 5)]
        // The history pane's key when there is a file: it gives way after `P add`, before refresh and pause.
        if state.hasHistory { list.append(Hint(keys: "H", words: "history", priority: 3)) }
        list += [
            Hint(keys: "P", words: "add", priority: 3), Hint(keys: "/", words: "filter", priority: 2),
            Hint(keys: "s", words: "sort", priority: 1), Hint(keys: "r", words: "refresh", priority: 4),
            Hint(keys: "space", words: "pause", priority: 4),
        ]
        return list + tail
    }

    /// The message for the right of the line, most urgent first: a refused token, the focused
    /// stage's error, the log search's position, a notice.
    static func message(_ state: AppState) -> (text: String, style: Style)? {
        if state.refusal != nil { return ("token refused: polling stopped", .error) }
        if state.logView == nil, let target = state.focusedTarget, let record = state.store[target], let error = record.error {
            return (message(for: error, record: record, state: state, target: target), .error)
        }
        // A search the user is working through says where they are before any notice.
        if let log = state.logView, !log.search.isEmpty { return searchMessage(state, log: log) }
        if let notice = state.notice { return (notice.text, .accent) }
        if state.logView == nil, let budget = state.budget, budget.isShort { return (budgetMessage(budget, glyphs: state.glyphs), Style(.warning)) }
        return nil
    }

    /// `⧗ stages need ~1,400 req/min, budget 300: some poll late`, the wanted figure rounded to
    /// two digits so the words stay put while it moves a little.
    static func budgetMessage(_ budget: BudgetReading, glyphs: Glyphs) -> String {
        "\(glyphs.slowedByBudget) stages need ~\(Format.roughly(budget.wanted)) req/min, budget \(budget.limit): some poll late"
    }

    /// Where the current match is among the matches of the logs pane's search.
    static func searchMessage(_ state: AppState, log: LogView) -> (text: String, style: Style) {
        let dot = state.glyphs.separator
        let found = log.matchingLines
        let position = log.match.flatMap { found.firstIndex(of: $0) }.map { "\($0 + 1) of \(found.count)" } ?? "\(found.count)"
        let text = found.isEmpty ? "'\(log.search)' not found \(dot) Esc clear" : "'\(log.search)': \(position) \(dot) n N next/previous \(dot) Esc clear"
        return (text, found.isEmpty ? .error : .accent)
    }

    /// `scan: server error 500 — retrying in 8s; showing data from 40s ago`.
    static func message(for error: SWRError, record: HistoryStore.StageRecord, state: AppState, target: Target) -> String {
        let name = state.stage?.name ?? "stage \(target.stage)"
        var text = "\(name): \(error.shortDescription)"
        if let message = error.serverMessage { text += ": \(message)" }
        if let next = record.nextPollAt {
            text += " — retrying in \(Format.countdown(to: next, now: state.now))"
        }
        if let last = record.lastGoodPoll {
            text += "; showing data from \(Format.age(last, now: state.now)) ago"
        } else if !error.isTransient {
            text += "; " + error.advice
        }
        return text
    }
}
