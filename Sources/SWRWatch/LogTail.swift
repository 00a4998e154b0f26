import Foundation
import SWRAPI

/// The lines of one job's log seen so far. The service keeps only the newest 20 entries, so
/// every answer is a window that slides as the job writes; `merge` appends only the lines
/// after the last ones already held, and says so with a note when the window slid past lines
/// that were never read.
public struct LogTail: Sendable, Equatable {
    /// At most this many lines are kept (the oldest go first).
    public static let maxLines = 5_000
    /// How many of the newest held lines must match to find where an answer continues.
    static let anchorLength = 3

    public private(set) var lines: [JobLog.Line] = []
    /// The job as the last answer described it.
    public private(set) var job: Job?
    /// `content` strings of the last answer that could not be decoded (shown raw).
    public private(set) var undecodedEntries = 0
    /// Answers merged so far.
    public private(set) var answers = 0

    public init() {}

    /// Adds the lines of `log` that are new; returns how many lines were added.
    @discardableResult
    public mutating func merge(_ log: JobLog) -> Int {
        answers = answers.addingSaturating(1)
        if let job = log.job { self.job = job }
        undecodedEntries = log.undecodedEntries
        let incoming = log.lines
        guard !lines.isEmpty else {
            append(incoming)
            return incoming.count
        }
        let anchor = lines.suffix(Self.anchorLength)
        // The latest place in the answer where what we hold ends.
        for end in stride(from: incoming.count, through: 1, by: -1) {
            let length = min(anchor.count, end)
            let overlap = incoming[(end - length)..<end]
            if overlap.elementsEqual(anchor.suffix(length), by: Self.continues) {
                // A raw entry still being written has grown: show its longer text.
                lines.replaceSubrange((lines.count - length)..., with: overlap)
                let fresh = Array(incoming[end...])
                append(fresh)
                return fresh.count
            }
        }
        guard !incoming.isEmpty else { return 0 }
        let before = lines.count
        append([JobLog.Line(kind: .note, message: "some lines were dropped by the service before they could be read (it keeps the newest 20 entries)")] + incoming)
        return lines.count - before
    }

    /// Whether `newer` is `held` as a later answer sends it: the same line, or the same raw
    /// entry with more text (the newest entry fills up while the job writes).
    static func continues(_ newer: JobLog.Line, _ held: JobLog.Line) -> Bool {
        if newer == held { return true }
        return newer.kind == .raw && held.kind == .raw && newer.time == held.time && newer.message.hasPrefix(held.message)
    }

    private mutating func append(_ new: [JobLog.Line]) {
        lines += new
        if lines.count > Self.maxLines { lines.removeFirst(lines.count - Self.maxLines) }
    }
}
