import Foundation
import SWRAPI

/// The pure rules of when a target is polled next: intervals by focus level, slowing down
/// for settled stages, and exponential backoff with full jitter after errors.
public struct PollSchedule: Sendable {
    /// The focused stage's interval.
    public var baseInterval: TimeInterval
    /// No interval or backoff exceeds this.
    public var cap: TimeInterval = 60
    /// Polls with a finished, unchanged newest job before a target counts as settled.
    public var settleAfter = 3
    /// A settled target polls this many times slower (still capped).
    public var settledFactor = 4.0
    /// Backoff never waits less than this, so a storm of errors is never hammered.
    public var minimumBackoff: TimeInterval = 0.5
    /// Every target polls like the focused one (for `--watch`, which has no focus).
    public var uniform = false

    public init(baseInterval: TimeInterval) {
        self.baseInterval = baseInterval
    }

    /// How close a target is to what the user looks at.
    public enum FocusLevel: Sendable {
        case focused, samePipeline, other
    }

    /// The interval of a healthy target.
    public func interval(level: FocusLevel, settled: Bool) -> TimeInterval {
        var interval: TimeInterval
        switch uniform ? .focused : level {
        case .focused: interval = baseInterval
        case .samePipeline: interval = baseInterval * 2
        case .other: interval = baseInterval * 5
        }
        if settled, level != .focused || uniform { interval *= settledFactor }
        return min(cap, interval)
    }

    /// The largest backoff after `failures` consecutive failures (1 for the first).
    public func backoffCeiling(interval: TimeInterval, failures: Int) -> TimeInterval {
        min(cap, interval * pow(2, Double(max(0, failures - 1))))
    }

    /// The wait after a failure: full jitter in `0...ceiling` (at least `minimumBackoff`), or
    /// what the server asked for with `Retry-After`.
    public func backoff(after error: SWRError, interval: TimeInterval, failures: Int, random: Double) -> TimeInterval {
        if case .rateLimited(let retryAfter?, _) = error { return min(cap * 5, max(retryAfter, minimumBackoff)) }
        let ceiling = backoffCeiling(interval: interval, failures: failures)
        return max(minimumBackoff, random * ceiling)
    }
}
