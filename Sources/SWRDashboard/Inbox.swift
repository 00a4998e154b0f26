import Synchronization
import SWRTopUI
import Terminal

/// Actions waiting for the UI thread; each push wakes the loop through the wake-up pipe.
final class Inbox: Sendable {
    private let pending = Mutex<[Action]>([])
    private let wake: WakePipe

    init(wake: WakePipe) {
        self.wake = wake
    }

    func push(_ action: Action) {
        let wasEmpty = pending.withLock { queue -> Bool in
            queue.append(action)
            return queue.count == 1
        }
        // One byte per batch: the loop drains everything at once.
        if wasEmpty { wake.wake() }
    }

    func drain() -> [Action] {
        pending.withLock { queue in defer { queue = [] }; return queue }
    }
}
