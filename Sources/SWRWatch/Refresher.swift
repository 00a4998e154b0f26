import Foundation
import SWRAPI

/// Fetches keyed values again and again, each key on its own interval, one request at a time:
/// the pipeline details behind the status strip, the job log of an open logs pane. Keys come
/// and go while it runs; a new key is fetched at once. Failures wait twice the interval (capped
/// at 60 s) before the next try. `run()` ends when its task is cancelled.
public actor Refresher<Key: Hashable & Sendable, Value: Sendable> {
    /// One answer (or failure) for a key.
    public struct Update: Sendable {
        public let key: Key
        public let outcome: Result<Value, SWRError>
        public let at: Date
    }

    /// Every answer, in order. Finishes when `run()` returns.
    public nonisolated let updates: AsyncStream<Update>
    private let continuation: AsyncStream<Update>.Continuation
    private let clock: any WatchClock
    private let fetch: @Sendable (Key) async throws -> Value
    private var entries: [Key: (interval: TimeInterval, nextDue: Date)] = [:]
    private let wakeSignal = WakeSignal()
    /// Requests made so far (for tests).
    public private(set) var fetches = 0

    public init(clock: any WatchClock, fetch: @escaping @Sendable (Key) async throws -> Value) {
        self.clock = clock
        self.fetch = fetch
        (updates, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Fetches `key` every `interval` seconds; a key not yet known is fetched at once, a known
    /// one keeps its schedule unless the new interval brings it closer.
    public func set(_ key: Key, every interval: TimeInterval) {
        let now = clock.now()
        if let entry = entries[key] {
            let due = min(entry.nextDue, now.addingTimeInterval(interval))
            entries[key] = (interval, due)
        } else {
            entries[key] = (interval, now)
        }
        wakeSignal.signal()
    }

    /// Stops fetching `key`; an answer already on its way is dropped.
    public func remove(_ key: Key) {
        entries[key] = nil
    }

    /// Stops fetching every key.
    public func removeAll() {
        entries = [:]
    }

    /// The keys fetched now.
    public var keys: Set<Key> { Set(entries.keys) }

    public func run() async {
        while !Task.isCancelled {
            let now = clock.now()
            let due = entries.filter { $0.value.nextDue <= now }.min { $0.value.nextDue < $1.value.nextDue }
            guard let key = due?.key else {
                await wakeSignal.wait(until: entries.values.map(\.nextDue).min(), clock: clock)
                continue
            }
            // Not due again until this fetch ends, even if the fetch takes long.
            entries[key]?.nextDue = .distantFuture
            let outcome: Result<Value, SWRError>
            do {
                outcome = .success(try await fetch(key))
            } catch let error as SWRError {
                outcome = .failure(error)
            } catch {
                if Task.isCancelled { break }
                outcome = .failure(.transport(String(describing: error)))
            }
            fetches += 1
            guard let entry = entries[key] else { continue }
            let wait = outcome.isSuccess ? entry.interval : min(60, entry.interval * 2)
            entries[key] = (entry.interval, clock.now().addingTimeInterval(wait))
            continuation.yield(Update(key: key, outcome: outcome, at: clock.now()))
        }
        continuation.finish()
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
