import Foundation
import SWRAPI
import SWRWatch

/// The logs pane: the lines read so far, which part shows, whether it follows new lines, and
/// the search. It follows (keeps the newest line in view) until the user scrolls up, and
/// follows again on `G` or when scrolled back to the end.
public struct LogView: Sendable {
    public var key: JobRef
    /// `tomcat › build › #2211`.
    public var title: String
    public var tail = LogTail()
    /// The first line shown.
    public var top = 0
    /// Columns of each message scrolled off to the left (`←` `→`), for lines wider than the pane.
    public var column = 0
    /// How far `←` `→` move.
    public static let columnStep = 8
    public var isFollowing = true
    /// Lines that arrived while not following.
    public var unseen = 0
    public var search = "" {
        didSet { refreshMatches() }
    }
    public var isEditingSearch = false
    /// The line of the current search match.
    public var match: Int?
    /// The last failed read (the pane keeps showing what it has and retries).
    public var error: SWRError?
    /// Rows the pane showed in the last layout (for paging and following).
    public var rows = 10

    public init(key: JobRef, title: String) {
        self.key = key
        self.title = title
    }

    public var lines: [JobLog.Line] { tail.lines }
    /// Whether the job has ended, so the log will not grow.
    public var isFinished: Bool { tail.job?.state.isFinal ?? false }
    /// The top line that shows the end of the log.
    public var lastTop: Int { max(0, Checked.sub(lines.count, rows)) }

    /// Where the search text appears in `text` (case-insensitive), if it does.
    public func matchRange(in text: String) -> Range<String.Index>? {
        guard !search.isEmpty else { return nil }
        return text.range(of: search, options: [.caseInsensitive, .diacriticInsensitive])
    }

    /// Every line that contains the search text (as shown: without colour codes). Found when the
    /// search or the lines change, not on every frame.
    public private(set) var matchingLines: [Int] = []

    private mutating func refreshMatches() {
        matchingLines = search.isEmpty ? [] : lines.indices.filter { matchRange(in: LogText.plain(lines[$0].message)) != nil }
        if let match, !matchingLines.contains(match) { self.match = nil }
    }

    // MARK: Moving

    mutating func scroll(to line: Int) {
        top = min(max(0, line), lastTop)
        isFollowing = top >= lastTop
        if isFollowing { unseen = 0 }
    }

    mutating func follow() {
        isFollowing = true
        unseen = 0
        top = lastTop
    }

    /// Moves to the next (or previous) match after the current one (or after the top line),
    /// wrapping around; brings it into view.
    mutating func findNext(forward: Bool, includingCurrent: Bool = false) {
        let found = matchingLines
        guard !found.isEmpty else {
            match = nil
            return
        }
        let from = match ?? (forward ? Checked.sub(top, 1) : Checked.add(top, rows))
        let next: Int
        if forward {
            next = found.first { includingCurrent ? $0 >= from : $0 > from } ?? found[0]
        } else {
            next = found.last { includingCurrent ? $0 <= from : $0 < from } ?? found[found.count - 1]
        }
        match = next
        if next < top || next >= Checked.add(top, rows) { scroll(to: Checked.sub(next, rows / 2)) }
    }

    /// Adds an answer; returns whether the job has just been seen to end.
    mutating func receive(_ outcome: Result<JobLog, SWRError>) -> Bool {
        switch outcome {
        case .success(let log):
            let wasFinished = isFinished
            error = nil
            let added = tail.merge(log)
            if !search.isEmpty { refreshMatches() }
            if isFollowing { top = lastTop } else { unseen = Checked.add(unseen, max(0, added)) }
            return isFinished && !wasFinished
        case .failure(let failure):
            error = failure
            return false
        }
    }

    // MARK: Keys

    /// Handles a key while the pane is open; returns the effects and whether the pane closes.
    mutating func handle(_ key: Key) -> (effects: [Effect], close: Bool) {
        if isEditingSearch {
            switch key {
            case .enter: isEditingSearch = false
            case .escape:
                isEditingSearch = false
                search = ""
                match = nil
            case .backspace:
                if !search.isEmpty { search.removeLast() }
                match = nil
                findNext(forward: true, includingCurrent: true)
            case .char(let c):
                search.append(c)
                // Search as you type, from the current match (or the top line) on.
                findNext(forward: true, includingCurrent: true)
            case .ctrlC: return ([.quit], false)
            default: break
            }
            return ([], false)
        }
        switch key {
        case .up, .char("k"): scroll(to: Checked.sub(top, 1))
        case .down, .char("j"): scroll(to: Checked.add(top, 1))
        case .pageUp: scroll(to: Checked.sub(top, max(1, Checked.sub(rows, 1))))
        case .pageDown: scroll(to: Checked.add(top, max(1, Checked.sub(rows, 1))))
        case .right: column = Checked.add(max(0, column), Self.columnStep)
        case .left: column = max(0, Checked.sub(column, Self.columnStep))
        case .home, .char("g"): scroll(to: 0)
        case .end, .char("G"): follow()
        case .char("/"):
            isEditingSearch = true
            search = ""
            match = nil
        case .char("n"): findNext(forward: true)
        case .char("N"): findNext(forward: false)
        case .escape:
            if !search.isEmpty {
                search = ""
                match = nil
            } else {
                return ([], true)
            }
        case .char("l"): return ([], true)
        case .char("q"), .ctrlC: return ([.quit], false)
        default: break
        }
        return ([], false)
    }
}
