import Foundation
import Synchronization

/// A point on a monotonic clock: nanoseconds since an arbitrary origin (the process's first
/// reading for `SystemWatchClock`, zero for a fresh `ManualWatchClock`). Never moves backwards
/// and never jumps when the wall clock is set, so every schedule (due times, backoff,
/// `Retry-After`, request timeouts, refresher periods) is kept in these. Arithmetic saturates:
/// adding any interval (NaN counts as zero, ±infinity as the ends) never traps.
public struct WatchInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = WatchInstant(nanoseconds: 0)
    /// Later than any real instant: "not due until told otherwise".
    public static let distantFuture = WatchInstant(nanoseconds: .max)

    public static func < (a: WatchInstant, b: WatchInstant) -> Bool { a.nanoseconds < b.nanoseconds }

    /// This instant moved by `seconds`, to the nearest nanosecond (saturating at the ends of
    /// the range; NaN moves nothing).
    public func adding(_ seconds: TimeInterval) -> WatchInstant {
        guard !seconds.isNaN else { return self }
        let delta = (seconds * 1e9).rounded()
        // Beyond ±2^62 ns (146 years) the exact sum no longer matters, only where it saturates.
        if abs(delta) < 0x1p62 {
            return WatchInstant(nanoseconds: nanoseconds.addingSaturating(Int64(clampingDouble: delta)))
        }
        return WatchInstant(nanoseconds: Int64(clampingDouble: Double(nanoseconds) + delta))
    }

    /// Seconds from `earlier` to this instant (negative when `earlier` is later). Exact enough
    /// for scheduling, and never traps.
    public func seconds(since earlier: WatchInstant) -> TimeInterval {
        (Double(nanoseconds) - Double(earlier.nanoseconds)) / 1e9
    }

    public var description: String { "\(Double(nanoseconds) / 1e9)s" }
}

/// The engine's notion of time, injected so tests move it by hand and never sleep:
/// - `instant()` is monotonic and is what every schedule is kept on;
/// - `now()` is the wall clock, only for what is displayed (result times, countdowns); it may be
///   set back or forward at any moment (NTP, a user, a suspended VM) without disturbing polling.
public protocol WatchClock: Sendable {
    /// The wall-clock time, for display.
    func now() -> Date
    /// The monotonic time, for scheduling.
    func instant() -> WatchInstant
    /// Returns at `deadline` on the monotonic clock, or throws `CancellationError` when the task
    /// is cancelled first.
    func sleep(until deadline: WatchInstant) async throws
}

extension WatchClock {
    /// The wall-clock time at which the monotonic `instant` falls (or fell), estimated from now:
    /// what a countdown on screen shows. Saturates rather than traps for absurd instants.
    public func wallTime(at instant: WatchInstant) -> Date {
        let now = now()
        let seconds = instant.seconds(since: self.instant())
        return now.addingTimeInterval(seconds.clamped(to: -4e11...4e11))
    }
}

/// The real clock: `Date()` for the wall, `ContinuousClock` (monotonic, counts a suspended
/// machine's sleep too) for scheduling.
public struct SystemWatchClock: WatchClock {
    /// One origin for every `SystemWatchClock`, so their instants compare.
    private static let origin = ContinuousClock.now
    /// The longest single sleep; longer waits sleep again (keeps `Task.sleep` far from its limits).
    private static let maxSleepChunk: Duration = .seconds(3600)

    public init() {}

    public func now() -> Date { Date() }

    public func instant() -> WatchInstant {
        WatchInstant(nanoseconds: Self.nanoseconds(ContinuousClock.now - Self.origin))
    }

    public func sleep(until deadline: WatchInstant) async throws {
        while true {
            let remaining = deadline.nanoseconds.subtractingSaturating(instant().nanoseconds)
            if remaining <= 0 { break }
            let chunk = min(Duration.nanoseconds(remaining), Self.maxSleepChunk)
            try await Task.sleep(until: ContinuousClock.now + chunk, clock: .continuous)
        }
        try Task.checkCancellation()
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedSaturating(by: 1_000_000_000).addingSaturating(attoseconds / 1_000_000_000)
    }
}

/// A clock that moves only when told. `advance(by:)` moves both clocks forward (sleepers wake
/// when the monotonic clock passes their deadline); `stepWall(by:)` sets only the wall clock
/// back or forward, as NTP or a user would, and wakes nobody.
///
/// For tests that must show that nothing happens: a component asleep on this clock (and on
/// nothing else) can do nothing before `nextDeadline`. `waitForSleepers(_:)` and
/// `waitUntil(_:)` wait, without polling, until tasks are asleep; `advance(by:)` says how many it
/// woke.
public final class ManualWatchClock: WatchClock {
    private struct Sleeper {
        let id: Int
        let deadline: WatchInstant
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// Who sleeps on the clock now, and how many sleeps have begun since it was made.
    public struct Sleepers: Sendable, Equatable {
        /// The deadlines of the tasks asleep now, earliest first.
        public var deadlines: [WatchInstant]
        /// Every call of `sleep(until:)` so far, including those that returned at once (a
        /// deadline already passed, or a task already cancelled).
        public var begun: Int
    }

    private struct Watcher {
        let id: Int
        let condition: @Sendable (Sleepers) -> Bool
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var wall: Date
        var instant: WatchInstant
        var sleepers: [Sleeper] = []
        var nextID = 0
        var begun = 0
        var watchers: [Watcher] = []

        var snapshot: Sleepers { Sleepers(deadlines: sleepers.map(\.deadline).sorted(), begun: begun) }

        /// Removes and returns the watchers whose condition now holds.
        mutating func satisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
            guard !watchers.isEmpty else { return [] }
            let now = snapshot
            let ready = watchers.filter { $0.condition(now) }
            watchers.removeAll { $0.condition(now) }
            return ready.map(\.continuation)
        }
    }

    private let state: Mutex<State>

    public init(start: Date = Date(timeIntervalSince1970: 1_700_000_000), instant: WatchInstant = .zero) {
        state = Mutex(State(wall: start, instant: instant))
    }

    public func now() -> Date { state.withLock { $0.wall } }

    public func instant() -> WatchInstant { state.withLock { $0.instant } }

    /// How many tasks are sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline anyone sleeps until.
    public var nextDeadline: WatchInstant? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    /// The tasks asleep now and the sleeps begun so far.
    public var sleepers: Sleepers { state.withLock { $0.snapshot } }

    public func sleep(until deadline: WatchInstant) async throws {
        let id = state.withLock { s -> Int in s.nextID += 1; return s.nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, watchers) = state.withLock { s -> (Result<Bool, CancellationError>, [CheckedContinuation<Void, Never>]) in
                    s.begun += 1
                    let outcome: Result<Bool, CancellationError>
                    // Cancelled before getting here: the handler found no sleeper to remove, so
                    // none may be added (it would sleep on the clock for ever).
                    if Task.isCancelled {
                        outcome = .failure(CancellationError())
                    } else if s.instant >= deadline {
                        outcome = .success(true)
                    } else {
                        s.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                        outcome = .success(false)
                    }
                    return (outcome, s.satisfiedWatchers())
                }
                for watcher in watchers { watcher.resume() }
                switch outcome {
                case .failure(let error): continuation.resume(throwing: error)
                case .success(true): continuation.resume()
                case .success(false): break
                }
            }
        } onCancel: {
            let (sleeper, watchers) = state.withLock { s -> (Sleeper?, [CheckedContinuation<Void, Never>]) in
                guard let index = s.sleepers.firstIndex(where: { $0.id == id }) else { return (nil, []) }
                let sleeper = s.sleepers.remove(at: index)
                return (sleeper, s.satisfiedWatchers())
            }
            for watcher in watchers { watcher.resume() }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Returns once at least `count` tasks sleep on this clock.
    public func waitForSleepers(_ count: Int) async {
        await waitUntil { $0.deadlines.count >= count }
    }

    /// Returns once `condition` holds for the sleepers, checked now and at every change (a
    /// sleep begun, cancelled or woken), without polling. Returns early when the calling task is
    /// cancelled (a test past its time limit), so check what it waited for.
    public func waitUntil(_ condition: @escaping @Sendable (Sleepers) -> Bool) async {
        let id = state.withLock { s -> Int in s.nextID += 1; return s.nextID }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if Task.isCancelled || condition(s.snapshot) { return true }
                    s.watchers.append(Watcher(id: id, condition: condition, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let watcher = state.withLock { s -> Watcher? in
                guard let index = s.watchers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.watchers.remove(at: index)
            }
            watcher?.continuation.resume()
        }
    }

    /// Moves both clocks forward by `seconds`, rounded to the microsecond (a negative amount
    /// moves neither: a monotonic clock never goes back; use `stepWall` for that), and wakes every
    /// sleeper whose deadline has come; returns how many it woke. Rounding lets a test advance by
    /// the difference of two displayed `Date`s (which hold about a tenth of a microsecond today)
    /// and land exactly on a deadline the engine keeps in whole microseconds.
    @discardableResult
    public func advance(by seconds: TimeInterval) -> Int {
        let (due, watchers) = state.withLock { s -> ([Sleeper], [CheckedContinuation<Void, Never>]) in
            let step = seconds.isFinite ? (max(0, seconds) * 1e6).rounded() / 1e6 : 0
            s.wall = s.wall.addingTimeInterval(step)
            s.instant = s.instant.adding(step)
            let now = s.instant
            let due = s.sleepers.filter { $0.deadline <= now }
            s.sleepers.removeAll { $0.deadline <= now }
            return (due, due.isEmpty ? [] : s.satisfiedWatchers())
        }
        for watcher in watchers { watcher.resume() }
        for sleeper in due { sleeper.continuation.resume() }
        return due.count
    }

    /// Sets the wall clock back (negative) or forward by `seconds`; the monotonic clock, and so
    /// every schedule and sleeper, is untouched.
    public func stepWall(by seconds: TimeInterval) {
        state.withLock { s in
            if seconds.isFinite { s.wall = s.wall.addingTimeInterval(seconds) }
        }
    }
}
