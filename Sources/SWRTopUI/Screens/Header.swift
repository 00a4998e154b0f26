import Foundation
import SWRAPI
import SWRWatch

/// The top line: app, pipeline and position, LIVE/PAUSED/STALE/STOPPED and FOLLOW, poll age,
/// countdown, req/min, endpoint. The badges always show; the rest drops from the end.
enum Header {
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
        var parts: [(String, Style)] = []
        if let last = record?.lastGoodPoll {
            parts.append(("polled \(Format.age(last, now: state.now)) ago", .plain))
        } else {
            parts.append(("waiting for first answer", .muted))
        }
        if !state.isPaused, let next = record?.nextPollAt {
            parts.append(("next \(Format.countdown(to: next, now: state.now))", .plain))
        }
        parts.append(("\(state.store.requestsPerMinute(now: state.now)) req/min", .muted))
        parts.append((state.endpointHost, .muted))
        // Laid out as `badge badge  part  part`, ending at the right edge.
        func total(_ parts: [(String, Style)]) -> Int {
            let badgeWidth = badges.reduce(0) { $0 + DisplayWidth.of($1.0) } + badges.count - 1
            return max(0, badgeWidth) + parts.reduce(0) { $0 + 2 + DisplayWidth.of($1.0) }
        }
        // The pipeline's name gives way to the badges (keeping a few columns), the other parts
        // to the name; on a tiny screen FOLLOW, then the status badge, give way too.
        while !badges.isEmpty, x + 8 + 1 + total([]) > frame.width { badges.removeLast() }
        if let pipeline = state.pipeline {
            let limit = max(0, frame.width - x - 1 - total([]))
            x += frame.put("\(g.bullet) \(pipeline.name) (\(state.pipelineIndex + 1)/\(state.pipelines.count))", x: x, y: row, limit: limit, style: .accent)
        }
        while !parts.isEmpty, x + 1 + total(parts) > frame.width {
            parts.removeLast()
        }
        var right = max(x + 1, frame.width - total(parts))
        for (index, badge) in badges.enumerated() {
            right += frame.put(badge.0, x: right, y: row, style: badge.1) + (index == badges.count - 1 ? 0 : 1)
        }
        for (text, style) in parts {
            right += 2
            right += frame.put(text, x: right, y: row, style: style)
        }
    }
}

/// The stage tabs of the current pipeline: glyph, name, and the duration or progress of the
/// newest job; `○ pending` where this run has not been yet, and an earlier run's result dimmed
/// with its age.
enum StageStrip {
    static func render(_ state: AppState, into frame: inout Frame, row: Int) {
        guard let pipeline = state.pipeline else { return }
        let run = RunView(state, pipeline: pipeline)
        var x = 1
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
            let glyph = jobState.map { " " + state.glyphs.state($0) } ?? ""
            let label = "\(position + 1) \(stage.name)\(glyph)" + (detail.isEmpty ? "" : " \(detail)") + (summary.isStale ? " !" : "")
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
            let text = "[\(label)]"
            guard DisplayWidth.of(text, upTo: frame.width - x) <= frame.width - x else {
                frame.put(state.glyphs.ellipsis, x: min(x, frame.width - 1), y: row, style: .muted)
                break
            }
            let drawn = frame.put(text, x: x, y: row, style: style)
            frame.mark(Rect(x: x, y: row, width: drawn, height: 1), .stage(position))
            x += drawn + 1
        }
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
                Hint(keys: updown, words: "select", priority: 9), Hint(keys: enter, words: "open", priority: 9),
                Hint(keys: "o Esc", words: "close", priority: 8), Hint(keys: "[ ]", words: "pipeline", priority: 3),
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
        list += [
            Hint(keys: "l", words: "log", priority: 6), Hint(keys: "o", words: "overview", priority: 5),
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
        return nil
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
