import Foundation
import SWRAPI
import SWRWatch

/// Decides when `--watch` ends, from what each poll showed: a pure state machine.
///
/// - A refused answer that retrying cannot fix (401 after renewal, 404, a redirect …) ends the
///   watch with exit 3 — a watcher problem is never confused with a failed run.
/// - With `--exit-status`, once the newest job of every watched stage has finished, one more
///   answer from every stage is awaited (the confirmation round), so a stage whose job was
///   queued a moment ago is not missed; then the exit code says how the run ended: 1 if any
///   job failed, else 4 if any timed out, else 5 if any was cancelled, else 0.
/// Transient errors never end a watch.
public struct WatchVerdict: Sendable {
    /// What the last poll round showed of one watched stage.
    public struct Stage: Sendable, Equatable {
        /// When the stage last answered successfully (`nil`: never yet).
        public var lastGoodPoll: Date?
        /// The state of its newest job (`nil`: no job at all).
        public var newest: JobState?

        public init(lastGoodPoll: Date?, newest: JobState?) {
            self.lastGoodPoll = lastGoodPoll
            self.newest = newest
        }
    }

    /// What the watcher does next.
    public enum Decision: Sendable, Equatable {
        case keepGoing
        /// Every stage looks finished: poll them all once more, then decide.
        case confirm
        /// Stop with this exit code.
        case exit(Int32)
    }

    public let exitStatus: Bool
    private var confirmingSince: Date?

    public init(exitStatus: Bool) {
        self.exitStatus = exitStatus
    }

    /// Takes one poll result (`error` when it failed, at `at`) and every watched stage as it is now.
    public mutating func observe(error: SWRError?, at: Date, stages: [Stage]) -> Decision {
        if let error, !error.isTransient { return .exit(ExitStatus.serviceUnreadable) }
        guard exitStatus else { return .keepGoing }
        let allDone = !stages.isEmpty && stages.allSatisfy { $0.lastGoodPoll != nil && ($0.newest?.isFinal ?? true) }
        guard allDone else {
            confirmingSince = nil
            return .keepGoing
        }
        guard let since = confirmingSince else {
            confirmingSince = at
            return .confirm
        }
        guard stages.allSatisfy({ ($0.lastGoodPoll ?? .distantPast) > since }) else { return .keepGoing }
        return .exit(Self.exitCode(for: stages.compactMap(\.newest)))
    }

    /// 1 any Failed; 4 any Timeout (none Failed); 5 any Cancel (none Failed or Timeout); else 0.
    public static func exitCode(for states: [JobState]) -> Int32 {
        if states.contains(.failed) { return ExitStatus.runFailed }
        if states.contains(.timeout) { return ExitStatus.runTimedOut }
        if states.contains(.cancelled) { return ExitStatus.runCancelled }
        return ExitStatus.ok
    }
}
