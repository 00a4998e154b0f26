import Synchronization

/// Raised once when the simulator stops, so long waits (a stalled answer) end at once.
final class StopSignal: Sendable {
    private struct State {
        var stopped = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }
    private let state = Mutex(State())

    func stop() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.stopped = true
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns after `seconds`, when the signal is raised, or when the task is cancelled.
    func sleep(seconds: Double) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .milliseconds(Int(min(seconds, 86_400) * 1000))) }
            group.addTask { await self.waitUntilStopped() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitUntilStopped() async {
        let id = state.withLock { s -> Int in s.nextID += 1; return s.nextID }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.stopped || Task.isCancelled { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
