import Synchronization
import SWRTopUI
import Terminal

/// Actions waiting for the UI thread. A push wakes the loop through the wake-up pipe (once per
/// batch: the loop drains everything at once), except, while the screen is quiet (nobody at the
/// keyboard), for answers that may wait for the next whole-second tick (`RedrawPolicy.canWait`):
/// the loop wakes for the tick anyway and takes them then, so an idle dashboard wakes once a
/// second, not once per answer too. What such an answer brings (the bell or a notification at
/// the end of a run) comes with that tick, at most a second later.
final class Inbox: Sendable {
    private struct Queue {
        var actions: [Action] = []
        /// The pipe already holds a wake-up for this batch.
        var woken = false
    }

    private let pending = Mutex(Queue())
    private let quiet = Atomic<Bool>(false)
    private let wake: WakePipe

    init(wake: WakePipe) {
        self.wake = wake
    }

    /// Whether answers that can wait wake the loop (`false`: someone is at the keyboard).
    func setQuiet(_ isQuiet: Bool) {
        quiet.store(isQuiet, ordering: .relaxed)
    }

    func push(_ action: Action) {
        let mayWait = quiet.load(ordering: .relaxed) && RedrawPolicy.canWait(action)
        let wakes = pending.withLock { queue -> Bool in
            queue.actions.append(action)
            guard !queue.woken, !mayWait else { return false }
            queue.woken = true
            return true
        }
        if wakes { wake.wake() }
    }

    func drain() -> [Action] {
        pending.withLock { queue in
            defer { queue = Queue() }
            return queue.actions
        }
    }
}
