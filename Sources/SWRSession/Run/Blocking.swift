import Dispatch
import Synchronization

/// Runs async work from a synchronous caller (the main thread of a command) and waits for it.
/// The work runs on the cooperative pool, so the calling thread stays free for the terminal.
public enum Blocking {
    /// The work's result, or the error it threw (typed: work that cannot fail needs no `try`).
    /// Never call it from the cooperative pool: it blocks its thread until the work ends.
    public static func run<T: Sendable, E: Error>(_ work: @escaping @Sendable () async throws(E) -> T) throws(E) -> T {
        let box = Mutex<Result<T, E>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let result: Result<T, E>
            do throws(E) { result = .success(try await work()) } catch { result = .failure(error) }
            box.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        // Set before `signal`, so it is there after `wait`.
        return try box.withLock { $0! }.get()
    }
}
