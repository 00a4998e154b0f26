import Foundation
import SWRAPI

/// What one poll of one target gave: the jobs or the error, when, and when the next one is due.
public struct PollResult: Sendable {
    public var target: Target
    public var outcome: Result<[Job], SWRError>
    public var startedAt: Date
    public var endedAt: Date
    /// When the engine will poll this target again (for the countdown on screen).
    public var nextPollAt: Date
    /// Consecutive failures including this one (0 after a success).
    public var failureStreak: Int

    public init(target: Target, outcome: Result<[Job], SWRError>, startedAt: Date, endedAt: Date, nextPollAt: Date, failureStreak: Int = 0) {
        self.target = target
        self.outcome = outcome
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.nextPollAt = nextPollAt
        self.failureStreak = failureStreak
    }

    public var latency: TimeInterval { endedAt.timeIntervalSince(startedAt) }
}
