import Synchronization
import SWRWatch

/// Keeps a live session's 7-day reads (the start's `figures`, `SessionCommand.loadWeekOutcomes`)
/// in step with the polls the screen is given, so that an answer never undoes a newer poll.
///
/// The screen counts a job that ends at once, then asks the file again. A read that began before
/// that job was written can answer after the poll that showed it ending (the hourly read of
/// every stage, or the start's figures, say): taken as it is, the stage's count would step back
/// until the newer read answers. So every poll delivered is counted per stage (after the session
/// recorded it: a read that begins later finds it in the file), a read notes the counts of its
/// stages before it begins, and its answer is delivered only for the stages that had no poll
/// since; the others are read again, by a read that begins later (at most `attempts` reads in
/// all; a stage still behind after them keeps what the screen has, and the poll that moved it
/// asked for a read of its own if a job ended; unless the caller needs an answer for every
/// stage, as the start does for "usual"). An answer is delivered under the same lock as the
/// polls, so no poll slips between the check and the answer.
final class WeekReads: Sendable {
    /// The most reads of one request.
    static let attempts = 3

    /// Polls delivered per stage (a counter that only grows; wrapping is harmless, it is only
    /// compared for equality).
    private let polls = Mutex<[Target: UInt64]>([:])

    init() {}

    /// Counts a poll of `target` and delivers it; call after recording the poll in the history.
    func deliverPoll(of target: Target, _ deliver: () -> Void) {
        polls.withLock { counts in
            counts[target, default: 0] &+= 1
            deliver()
        }
    }

    /// Reads `targets` and delivers the answer of each stage once it is as new as the polls
    /// delivered for it (see the type's description).
    /// - Parameters:
    ///   - flush: waits until what the session recorded is in the file.
    ///   - read: the stages' values from the file; `nil` when the file cannot be read (nothing is
    ///     delivered then).
    ///   - everyStage: a stage still behind after the last read gets that read's answer anyway.
    ///   - deliver: called with the stages whose answer is delivered (never empty), in the order
    ///     asked; under the lock that orders answers and polls, so it must only hand them on.
    func read<Value: Sendable>(_ targets: [Target], everyStage: Bool = false, flush: () async -> Void,
                               read: ([Target]) async -> [Target: Value]?, deliver: ([(Target, Value)]) -> Void) async {
        var pending = targets
        for attempt in 1...Self.attempts {
            let marks = polls.withLock { counts in pending.map { counts[$0] ?? 0 } }
            await flush()
            guard let found = await read(pending) else { return }
            pending = polls.withLock { counts -> [Target] in
                var fresh: [(Target, Value)] = []
                var behind: [Target] = []
                let last = attempt == Self.attempts
                for (target, mark) in zip(pending, marks) {
                    if (counts[target] ?? 0) == mark || (last && everyStage) {
                        if let value = found[target] { fresh.append((target, value)) }
                    } else {
                        behind.append(target)
                    }
                }
                if !fresh.isEmpty { deliver(fresh) }
                return behind
            }
            if pending.isEmpty || attempt == Self.attempts { return }
        }
    }
}
