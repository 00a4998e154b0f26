import Foundation
import SWRAPI
import SWRWatch

/// The top line: app, pipeline and position, endpoint, LIVE/PAUSED, poll age, countdown, req/min.
enum Header {
    static func render(_ state: AppState, into frame: inout Frame, row: Int) {
        let g = state.glyphs
        var x = frame.put(" swr-top ", x: 0, y: row, style: Style(.title, bold: true, reverse: true))
        x += 1
        if let pipeline = state.pipeline {
            x += frame.put("\(g.bullet) \(pipeline.name) (\(state.pipelineIndex + 1)/\(state.pipelines.count))", x: x, y: row, limit: max(0, frame.width - x), style: .accent)
        }
        var parts: [(String, Style)] = []
        let record = state.focusedTarget.flatMap { state.store[$0] }
        if state.isPaused {
            parts.append((" PAUSED ", Style(.warning, bold: true, reverse: true)))
        } else if record?.isStale == true {
            parts.append((" STALE ", Style(.error, bold: true, reverse: true)))
        } else {
            parts.append((" \(g.live) LIVE ", Style(.success, bold: true, reverse: true)))
        }
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
        // Right-aligned, dropping from the end while they do not fit.
        while !parts.isEmpty {
            let total = parts.reduce(0) { $0 + DisplayWidth.of($1.0) + 2 }
            if x + 2 + total <= frame.width { break }
            parts.removeLast()
        }
        var right = frame.width - parts.reduce(0) { $0 + DisplayWidth.of($1.0) + 2 }
        for (text, style) in parts {
            right += 2
            right += frame.put(text, x: right, y: row, style: style)
        }
    }
}

/// The stage tabs of the current pipeline: glyph, name, progress or duration of the newest job.
enum StageStrip {
    static func render(_ state: AppState, into frame: inout Frame, row: Int) {
        guard let pipeline = state.pipeline else { return }
        let running = StageLook.runningStage(state, pipeline: pipeline)
        var x = 1
        for (position, stage) in pipeline.stages.enumerated() {
            let look = StageLook(state, pipeline: pipeline, stage: stage)
            let summary = look.summary
            let jobState = look.state
            var detail = ""
            if look.isPending {
                detail = "pending"
            } else if let job = summary.current {
                detail = job.state.isFinal ? Format.duration(job.duration) : job.state == .building ? Format.percent(summary.progress) : ""
            } else if let seconds = look.statusDuration {
                detail = Format.duration(seconds)
            }
            let glyph = jobState.map { " " + state.glyphs.state($0) } ?? ""
            let label = "\(position + 1) \(stage.name)\(glyph)" + (detail.isEmpty ? "" : " \(detail)") + (summary.isStale ? " !" : "")
            var style = look.isPending ? Style.muted : Style(jobState?.role ?? .muted)
            if stage.index == running { style.bold = true }
            if position == state.stageIndex { style = Style(.selection, bold: true, reverse: true) }
            let text = "[\(label)]"
            guard DisplayWidth.of(text, upTo: frame.width - x) <= frame.width - x else {
                frame.put(state.glyphs.ellipsis, x: min(x, frame.width - 1), y: row, style: .muted)
                break
            }
            x += frame.put(text, x: x, y: row, style: style) + 1
        }
    }
}

/// The bottom line: the filter or search being typed, the focused stage's error, a notice, the
/// search's matches, or key hints (of the logs pane when it is open).
enum StatusLine {
    static func render(_ state: AppState, into frame: inout Frame, row: Int) {
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
        if state.logView == nil, let target = state.focusedTarget, let record = state.store[target], let error = record.error {
            frame.put(" " + message(for: error, record: record, state: state, target: target), x: 0, y: row, style: .error)
            return
        }
        // A search the user is working through says where they are before any notice.
        if let log = state.logView, !log.search.isEmpty {
            renderSearch(state, log: log, into: &frame, row: row)
            return
        }
        if let notice = state.notice {
            frame.put(" " + notice.text, x: 0, y: row, style: .accent)
            return
        }
        if state.logView != nil {
            let hints = state.glyphs.isUnicode
                ? "↑↓ PgUp PgDn scroll  ←→ sideways  g top  G follow  / search  n N next/prev  l Esc close  q quit"
                : "up/dn PgUp PgDn scroll  <-/-> sideways  g top  G follow  / search  n N next/prev  l Esc close  q quit"
            frame.put(" " + hints, x: 0, y: row, style: .muted)
            return
        }
        let failing = state.store.stages.values.filter(\.isStale).count
        var hints = "←→ stage  [ ] pipeline  ↑↓ job  ⏎ detail  l log  P add  o overview  / filter  s sort  r refresh  space pause  ? help  q quit"
        if !state.glyphs.isUnicode { hints = "<-/-> stage  [ ] pipeline  up/dn job  Enter detail  l log  P add  o overview  / filter  r refresh  space pause  ? help  q quit" }
        var x = 0
        if failing > 0 {
            x = frame.put(" \(failing) stage\(failing == 1 ? "" : "s") failing ", x: 0, y: row, style: Style(.error, bold: true))
        }
        frame.put(" " + hints, x: x, y: row, style: .muted)
    }

    /// Where the current match is among the matches of the logs pane's search.
    static func renderSearch(_ state: AppState, log: LogView, into frame: inout Frame, row: Int) {
        let dot = state.glyphs.separator
        let found = log.matchingLines
        let position = log.match.flatMap { found.firstIndex(of: $0) }.map { "\($0 + 1) of \(found.count)" } ?? "\(found.count)"
        let text = found.isEmpty ? " '\(log.search)' not found \(dot) Esc clear" : " '\(log.search)': \(position) \(dot) n N next/previous \(dot) Esc clear"
        frame.put(text, x: 0, y: row, style: found.isEmpty ? .error : .accent)
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
