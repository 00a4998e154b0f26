import Foundation
import SWRAPI

/// The pure rules of when a target is polled next: intervals by focus level, slowing down
/// for settled stages and for stalled ones (a running job whose answer stays the same), and
/// exponential backoff with full jitter after errors.
public struct PollSchedule: Sendable {
    /// The focused stage's interval.
    public var baseInterval: TimeInterval
    /// No interval or backoff exceeds this.
    public var cap: TimeInterval = 60
    /// Polls with a finished, unchanged newest job before a target counts as settled.
    public var settleAfter = 3
    /// A settled target polls this many times slower (still capped).
    public var settledFactor = 4.0
    /// Answers in a row showing the same running job, same state, same progress, before a
    /// target other than the focused one counts as stalled. One answer that moves ends it.
    public var stallAfter = 3
    /// A stalled target polls this many times slower (still capped): a job whose progress has
    /// not moved in three polls is looked at less often until it moves. Never the focused stage,
    /// never with `uniform` (`--watch` wants every end at once).
    public var stalledFactor = 4.0
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

    /// No interval is shorter than this, so a zero, negative or NaN base interval never spins.
    public static let minimumInterval: TimeInterval = 0.1
    /// The longest `Retry-After` honoured: five times the cap.
    public var maximumRetryAfter: TimeInterval { safeCap * 5 }

    /// The interval of a healthy target: finite, in `minimumInterval...cap`, whatever the settings.
    public func interval(level: FocusLevel, settled: Bool, stalled: Bool = false) -> TimeInterval {
        var interval: TimeInterval
        switch uniform ? .focused : level {
        case .focused: interval = baseInterval
        case .samePipeline: interval = baseInterval * 2
        case .other: interval = baseInterval * 5
        }
        if settled, level != .focused || uniform, settledFactor.isFinite, settledFactor > 1 { interval *= settledFactor }
        if stalled, !settled, level != .focused, !uniform, stalledFactor.isFinite, stalledFactor > 1 { interval *= stalledFactor }
        return Self.bounded(interval, cap: safeCap)
    }

    /// The largest backoff after `failures` consecutive failures (1 for the first); any count,
    /// even `Int.max` or a negative one, gives a finite wait in `minimumInterval...cap`.
    public func backoffCeiling(interval: TimeInterval, failures: Int) -> TimeInterval {
        // 2^62 overflows no Double, and anything past 2^10 is over any cap already.
        let doublings = min(62, max(0, failures.subtractingSaturating(1)))
        return Self.bounded(Self.bounded(interval, cap: safeCap) * pow(2, Double(doublings)), cap: safeCap)
    }

    /// The wait after a failure: full jitter in `0...ceiling` (at least `minimumBackoff`), or
    /// what the server asked for with `Retry-After` (at most `maximumRetryAfter`; a NaN or
    /// infinite one counts as the most). In whole microseconds (rounded down), like the intervals.
    public func backoff(after error: SWRError, interval: TimeInterval, failures: Int, random: Double) -> TimeInterval {
        let floor = Self.wholeMicroseconds(minimumBackoff.isFinite ? min(safeCap, max(0, minimumBackoff)) : min(safeCap, 0.5))
        if case .rateLimited(let retryAfter?, _) = error {
            return retryAfter.isNaN ? maximumRetryAfter : min(maximumRetryAfter, max(Self.wholeMicroseconds(retryAfter), floor))
        }
        let ceiling = backoffCeiling(interval: interval, failures: failures)
        return max(floor, Self.wholeMicroseconds(random.clamped(to: 0...1) * ceiling))
    }

    /// `seconds` rounded down to a whole microsecond (finite values only; others pass through).
    static func wholeMicroseconds(_ seconds: TimeInterval) -> TimeInterval {
        guard seconds.isFinite, abs(seconds) < 1e12 else { return seconds }
        return (seconds * 1e6).rounded(.down) / 1e6
    }

    /// `cap`, or its default when set to something unusable.
    var safeCap: TimeInterval { cap.isFinite && cap >= Self.minimumInterval ? cap : 60 }

    /// `interval` as a usable wait: NaN and anything below the minimum become the minimum,
    /// anything above `cap` (infinity too) becomes `cap`.
    static func bounded(_ interval: TimeInterval, cap: TimeInterval) -> TimeInterval {
        guard !interval.isNaN else { return minimumInterval }
        return min(cap, max(minimumInterval, interval))
    }
}
