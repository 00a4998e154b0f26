import Foundation
import SWRAPI

/// How a stage's finished jobs ended in a window of time.
///
/// The success rate is successful / (successful + failed + timed out). Cancelled jobs are
/// counted but left out of the rate: a cancel is a person's decision, not the stage's health.
/// Jobs that have not finished (waiting, building, unknown states) are not counted at all.
public struct OutcomeCounts: Sendable, Equatable {
    public var successful = 0
    public var failed = 0
    public var timedOut = 0
    public var cancelled = 0

    public init(successful: Int = 0, failed: Int = 0, timedOut: Int = 0, cancelled: Int = 0) {
        self.successful = successful
        self.failed = failed
        self.timedOut = timedOut
        self.cancelled = cancelled
    }

    /// Counts `count` jobs that ended in `state` (states that are not final are ignored).
    public mutating func add(_ state: JobState, count: Int = 1) {
        switch state {
        case .successful: successful += count
        case .failed: failed += count
        case .timeout: timedOut += count
        case .cancelled: cancelled += count
        case .waiting, .building, .unknown: break
        }
    }

    /// Jobs that count towards the rate.
    public var decided: Int { successful + failed + timedOut }

    /// 0...1; `nil` when no job succeeded or failed in the window.
    public var successRate: Double? {
        decided == 0 ? nil : Double(successful) / Double(decided)
    }
}

/// A stage's success over the last 24 hours, 7 days and 30 days (by each job's creation time,
/// or when swr-top first saw it if the service sent none).
public struct SuccessRates: Sendable, Equatable {
    /// The windows, in seconds.
    public static let day: TimeInterval = 86_400
    public static let week: TimeInterval = 7 * 86_400
    public static let month: TimeInterval = 30 * 86_400

    public var day: OutcomeCounts
    public var week: OutcomeCounts
    public var month: OutcomeCounts

    public init(day: OutcomeCounts = OutcomeCounts(), week: OutcomeCounts = OutcomeCounts(), month: OutcomeCounts = OutcomeCounts()) {
        self.day = day
        self.week = week
        self.month = month
    }
}

/// Whether a stage's outcomes alternate.
///
/// Precisely: take the stage's newest `window` (10) finished jobs that succeeded, failed or
/// timed out (cancelled ones are skipped, as in the success rate); count the flips between
/// success and non-success from one to the next; the stage is flaky with `minFlips` (3) or
/// more. `S F S F` is flaky (3 flips); `S S S F F F` is not (it broke once and stayed broken).
public enum Flakiness {
    public static let window = 10
    public static let minFlips = 3

    /// The flips in `states` (newest first, any states: those that do not count are skipped).
    public static func flips(_ states: [JobState]) -> Int {
        var previous: Bool?
        var flips = 0
        var taken = 0
        for state in states {
            let succeeded: Bool
            switch state {
            case .successful: succeeded = true
            case .failed, .timeout: succeeded = false
            case .cancelled, .waiting, .building, .unknown: continue
            }
            if let previous, previous != succeeded { flips += 1 }
            previous = succeeded
            taken += 1
            if taken == window { break }
        }
        return flips
    }

    /// True when `states` (newest first) flip `minFlips` times or more within the window.
    public static func isFlaky(_ states: [JobState]) -> Bool {
        flips(states) >= minFlips
    }
}
