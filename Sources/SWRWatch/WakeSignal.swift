import Foundation
import Synchronization

/// Lets one waiting loop sleep until a deadline on a `WatchClock`'s monotonic clock or until someone signals that
/// something changed, whichever comes first. A signal sent while nobody waits is kept for the
/// next wait, so no change is missed.
///
/// The timer for a deadline is kept between waits: a loop woken by a signal (an answer) mostly
/// waits again for the same deadline, and then no new timer is set. A timer that fires while
/// nobody waits leaves a signal, so the next wait returns at once and its loop looks again
/// (a wake too many, never one too few).
public final class WakeSignal: Sendable {
    private struct Timer {
        var deadline: WatchInstant
        var id: Int
        var task: Task<Void, Never>
    }

    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var timer: Timer?
        var timersSet = 0
    }

    private let state = Mutex(State())

    public init() {}

    deinit {
        cancelTimer()
    }

    /// How many timers the waits have set so far (for tests).
    var timersSet: Int { state.withLock { $0.timersSet } }

    /// Whether a task waits now (for tests).
    var hasWaiter: Bool { state.withLock { $0.waiter != nil } }

    /// Cancels the kept timer: for a loop that ends, so no timer outlives it.
    public func cancelTimer() {
        let timer = state.withLock { s -> Timer? in
            defer { s.timer = nil }
            return s.timer
        }
        // Cancelled outside the lock: a clock's cancellation handler runs right here.
        timer?.task.cancel()
    }

    /// Wakes the waiter, or the next one to wait.
    public func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let waiter = s.waiter else {
                s.pending = true
                return nil
            }
            s.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when signalled (or signalled since the last wait), at `deadline` on `clock`, or
    /// when the task is cancelled. Only one task may wait at a time, always on the same clock.
    public func wait(until deadline: WatchInstant?, clock: any WatchClock) async {
        let signalled = state.withLock { s -> Bool in
            defer { s.pending = false }
            return s.pending
        }
        if signalled { return }
        arm(deadline, clock: clock)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.pending || Task.isCancelled { return true }
                    s.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
        state.withLock { $0.pending = false }
        // A loop that is ending waits no more: its timer goes with it.
        if Task.isCancelled { cancelTimer() }
    }

    /// Makes sure a timer fires at `deadline` (none for `nil`): the one already set is kept when
    /// it is for the same instant, else it is cancelled and a new one is set.
    private func arm(_ deadline: WatchInstant?, clock: any WatchClock) {
        let replaced = state.withLock { s -> Timer? in
            if let timer = s.timer, timer.deadline == deadline { return nil }
            let old = s.timer
            s.timer = nil
            guard let deadline else { return old }
            s.timersSet += 1
            let id = s.timersSet
            // Made under the lock (a new task never runs inline), so two waits cannot both set one.
            let task = Task { [weak self] in
                do { try await clock.sleep(until: deadline) } catch { return }
                self?.fired(id)
            }
            s.timer = Timer(deadline: deadline, id: id, task: task)
            return old
        }
        replaced?.task.cancel()
    }

    private func fired(_ id: Int) {
        state.withLock { s in
            if s.timer?.id == id { s.timer = nil }
        }
        signal()
    }
}
