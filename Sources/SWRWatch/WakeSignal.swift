import Foundation
import Synchronization

/// Lets one waiting loop sleep until a deadline on a `WatchClock`'s monotonic clock or until someone signals that
/// something changed, whichever comes first. A signal sent while nobody waits is kept for the
/// next wait, so no change is missed.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

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
    /// when the task is cancelled. Only one task may wait at a time.
    public func wait(until deadline: WatchInstant?, clock: any WatchClock) async {
        let signalled = state.withLock { s -> Bool in
            defer { s.pending = false }
            return s.pending
        }
        if signalled { return }
        let sleeper = deadline.map { deadline in
            Task { [weak self] in
                do { try await clock.sleep(until: deadline) } catch { return }
                self?.signal()
            }
        }
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
        sleeper?.cancel()
        state.withLock { $0.pending = false }
    }
}
