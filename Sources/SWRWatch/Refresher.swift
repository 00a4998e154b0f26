import Foundation
import SWRAPI

/// Fetches keyed values again and again, each key on its own interval, one request at a time:
/// the pipeline details behind the status strip, the job log of an open logs pane. Keys come
/// and go while it runs; a new key is fetched at once. Failures wait twice the interval (capped
/// at 60 s) before the next try. `run()` ends when its task is cancelled. Periods are kept on the
/// clock's monotonic `instant()`, so setting the wall clock neither freezes nor hurries them;
/// `Update.at` is the wall-clock time, for display.
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
    private var entries: [Key: (interval: TimeInterval, nextDue: WatchInstant)] = [:]
    private let wakeSignal = WakeSignal()
    private var fetching = false
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Requests made so far (for tests).
    public private(set) var fetches = 0

    /// No period is shorter than this (a zero, negative or NaN one would spin); none longer than
    /// a day (an infinite one would never come round again).
    public static var intervalRange: ClosedRange<TimeInterval> { 0.1...86_400 }
    /// The longest wait after a failure.
    public static var maximumRetryWait: TimeInterval { 60 }

    public init(clock: any WatchClock, fetch: @escaping @Sendable (Key) async throws -> Value) {
        self.clock = clock
        self.fetch = fetch
        (updates, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Fetches `key` every `interval` seconds; a key not yet known is fetched at once, a known
    /// one keeps its schedule unless the new interval brings it closer.
    public func set(_ key: Key, every interval: TimeInterval) {
        let interval = interval.clamped(to: Self.intervalRange)
        let now = clock.instant()
        if let entry = entries[key] {
            let due = min(entry.nextDue, now.adding(interval))
            entries[key] = (interval, due)
        } else {
            entries[key] = (interval, now)
        }
        wakeSignal.signal()
    }

    /// Stops fetching `key`; an answer already on its way is dropped.
    public func remove(_ key: Key) {
        entries[key] = nil
        // The loop may sleep until this key's turn: let it pick its next deadline again.
        wakeSignal.signal()
    }

    /// Stops fetching every key (the loop then sleeps with no deadline until a key is set).
    public func removeAll() {
        entries = [:]
        wakeSignal.signal()
    }

    /// The keys fetched now.
    public var keys: Set<Key> { Set(entries.keys) }

    /// Returns once no fetch is running and no key is due at the clock's current instant: lets a
    /// test that moves a manual clock know that the refresher has done what that moment asks.
    public func waitUntilIdle() async {
        if isIdle { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private var isIdle: Bool {
        let now = clock.instant()
        return !fetching && !entries.values.contains { $0.nextDue <= now }
    }

    private func resumeIdleWaiters(force: Bool = false) {
        guard !idleWaiters.isEmpty, force || isIdle else { return }
        let waiters = idleWaiters
        idleWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    public func run() async {
        defer {
            wakeSignal.cancelTimer()
            continuation.finish()
            resumeIdleWaiters(force: true)
        }
        while !Task.isCancelled {
            let now = clock.instant()
            let due = entries.filter { $0.value.nextDue <= now }.min { $0.value.nextDue < $1.value.nextDue }
            guard let key = due?.key else {
                resumeIdleWaiters()
                await wakeSignal.wait(until: entries.values.map(\.nextDue).min(), clock: clock)
                continue
            }
            // Not due again until this fetch ends, even if the fetch takes long.
            entries[key]?.nextDue = .distantFuture
            fetching = true
            defer { fetching = false }
            let outcome: Result<Value, SWRError>
            do {
                outcome = .success(try await fetch(key))
            } catch let error as SWRError {
                outcome = .failure(error)
            } catch {
                if Task.isCancelled { break }
                outcome = .failure(.transport(String(describing: error)))
            }
            fetches = fetches.addingSaturating(1)
            guard let entry = entries[key] else { continue }
            let wait = outcome.isSuccess ? entry.interval : min(Self.maximumRetryWait, entry.interval * 2)
            entries[key] = (entry.interval, clock.instant().adding(wait))
            continuation.yield(Update(key: key, outcome: outcome, at: clock.now()))
        }
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
