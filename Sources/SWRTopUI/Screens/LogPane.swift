import Foundation
import SWRAPI
import SWRWatch

/// The logs pane: a job's log with phases as headings, times, search matches highlighted, and
/// whether it follows new lines.
enum LogPane {
    static func render(_ state: AppState, log: LogView, into frame: inout Frame, rect: Rect) {
        let g = state.glyphs
        var title = "log \(g.separator) \(log.title)"
        if let job = log.tail.job {
            title += " \(g.separator) \(job.state.displayName)" + (job.state == .building ? " \(Format.percent(job.displayProgress))" : "")
        }
        let inner = frame.box(rect, title: title, glyphs: g)
        frame.mark(rect, .logPane)
        guard inner.height > 0, inner.width > 0 else { return }
        renderFooter(state, log: log, into: &frame, rect: rect)
        let lines = log.lines
        if lines.isEmpty {
            let text: String
            if let error = log.error {
                text = "could not read the log: \(error.shortDescription) (retrying)"
            } else if log.tail.answers == 0 {
                text = "reading the log\(g.ellipsis)"
            } else {
                text = "no log lines yet"
            }
            frame.put(text, x: inner.x + 1, y: inner.y, limit: inner.width - 1, style: log.error == nil ? .muted : .error)
            return
        }
        let top = Checked.clamp(log.top, lines.count - inner.height)
        for row in 0..<min(inner.height, lines.count - top) {
            let index = top + row
            line(lines[index], isMatch: index == log.match, log: log, state: state, into: &frame, x: inner.x, y: inner.y + row, width: inner.width)
        }
    }

    /// One log line: `▸ Phase` heading, `12:34:56  message`, a raw entry, or a note.
    static func line(_ line: JobLog.Line, isMatch: Bool, log: LogView, state: AppState, into frame: inout Frame, x: Int, y: Int, width: Int) {
        let message = DisplayWidth.dropColumns(LogText.plain(line.message), log.column)
        var column = x + 1
        let end = x + width
        let base: Style
        switch line.kind {
        case .phase:
            base = Style(.accent, bold: true)
            column += frame.put(state.glyphs.bullet + " ", x: column, y: y, limit: end - column, style: base)
        case .content:
            base = .plain
            let time = line.time.map { Format.clock($0, timeZone: state.timeZone) } ?? String(repeating: " ", count: 8)
            column += frame.put(time + "  ", x: column, y: y, limit: end - column, style: .muted)
        case .raw:
            base = Style(.warning)
            column += frame.put("raw  ", x: column, y: y, limit: end - column, style: Style(.warning, bold: true))
        case .note:
            base = .muted
            column += frame.put("-- ", x: column, y: y, limit: end - column, style: .muted)
        }
        guard let range = log.matchRange(in: message) else {
            frame.put(message, x: column, y: y, limit: end - column, style: base)
            return
        }
        let highlight = isMatch ? Style(.selection, bold: true, reverse: true) : Style(.warning, reverse: true)
        column += frame.put(String(message[..<range.lowerBound]), x: column, y: y, limit: end - column, style: base)
        column += frame.put(String(message[range]), x: column, y: y, limit: end - column, style: highlight)
        frame.put(String(message[range.upperBound...]), x: column, y: y, limit: end - column, style: base)
    }

    /// The bottom border: undecoded entries on the left, where the view is on the right.
    static func renderFooter(_ state: AppState, log: LogView, into frame: inout Frame, rect: Rect) {
        let y = rect.maxY - 1
        var left = rect.x + 2
        if log.tail.undecodedEntries > 0 {
            let n = log.tail.undecodedEntries
            left += frame.put(" \(n) log entr\(n == 1 ? "y" : "ies") could not be decoded; shown raw ", x: left, y: y, limit: rect.width - 4, style: Style(.warning, bold: true))
        }
        var position: String
        if log.isFinished {
            position = "ended"
        } else if log.isFollowing {
            position = "following"
        } else {
            position = log.unseen > 0 ? "\(log.unseen) new \(state.glyphs.separator) G to follow" : "G to follow"
        }
        if log.column > 0 { position = "col \(Checked.add(log.column, 1)) \(state.glyphs.separator) " + position }
        if !log.lines.isEmpty {
            let count = log.lines.count
            let top = Checked.clamp(log.top, count - 1)
            position = "line \(top + 1)-\(min(Checked.add(top, max(1, log.rows)), count)) of \(count) \(state.glyphs.separator) " + position
        }
        let text = " \(position) "
        let x = rect.maxX - 2 - DisplayWidth.of(text)
        if x > left { frame.put(text, x: x, y: y, style: log.isFollowing && !log.isFinished ? .accent : .muted) }
    }
}
