import Foundation
import SWRWatch

/// Keeps the overview's 7-day success rates (`AppState.weekOutcomes`) moving with time: the
/// history file is read again for a stage when one of its jobs ends (the session reads after the
/// writer has committed that job), and for every watched stage once every `interval` as the
/// window slides. Nothing else reads: a tick compares two times, so an idle dashboard never asks
/// the file more than once an hour.
///
/// Each read runs on its own off the loop, so answers may arrive out of order: every request has
/// a number, and a stage keeps the answer of the newest request that covered it.
public struct WeekRefresh: Sendable, Equatable {
    /// How often every watched stage's rate is read again.
    public static let interval: TimeInterval = 3600

    /// When every stage is read next; `nil` until the first tick of a session with history.
    public var nextAt: Date?
    /// The number of the last request made.
    public var lastRequest = 0
    /// Per stage, the number of the request whose answer it shows.
    public var applied: [Target: Int] = [:]

    public init() {}

    /// The read of every stage when the hour is up (also when the clock went back by more than
    /// an hour: the next read is then scheduled from the new time).
    mutating func tick(now: Date, targets: [Target]) -> Effect? {
        guard let next = nextAt, next.timeIntervalSince(now) <= Self.interval else {
            nextAt = now.addingTimeInterval(Self.interval)
            return nil
        }
        guard now >= next, !targets.isEmpty else { return nil }
        nextAt = now.addingTimeInterval(Self.interval)
        return request(targets, now: now)
    }

    /// A numbered read of `targets`' outcomes over the 7 days before `now`.
    mutating func request(_ targets: [Target], now: Date) -> Effect {
        lastRequest += 1
        return .loadWeekOutcomes(targets, now: now, request: lastRequest)
    }

    /// Takes the answer of request `number` where no newer request's answer is shown.
    mutating func receive(_ number: Int, _ counts: [Target: OutcomeCounts], into outcomes: inout [Target: OutcomeCounts]) {
        for (target, count) in counts where applied[target].map({ $0 < number }) ?? true {
            applied[target] = number
            outcomes[target] = count
        }
    }
}
