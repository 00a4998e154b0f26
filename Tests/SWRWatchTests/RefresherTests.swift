import Foundation
import Synchronization
import Testing
import SWRAPI
@testable import SWRWatch

/// Reads a refresher's updates one at a time.
final class UpdateReader<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private var iterator: AsyncStream<Refresher<Key, Value>.Update>.Iterator
    init(_ refresher: Refresher<Key, Value>) { iterator = refresher.updates.makeAsyncIterator() }
    func next() async -> Refresher<Key, Value>.Update? { await iterator.next() }
}

@Suite(.timeLimit(.minutes(3))) struct RefresherTests {
    /// Answers with how many times each key was asked for; fails while `failing` is set.
    final class Counter: Sendable {
        let state = Mutex<(calls: [String: Int], failing: Bool)>(([:], false))
        func fetch(_ key: String) throws -> Int {
            try state.withLock { s in
                s.calls[key, default: 0] += 1
                if s.failing { throw SWRError.server(status: 503, message: nil) }
                return s.calls[key]!
            }
        }
        func calls(_ key: String) -> Int { state.withLock { $0.calls[key] ?? 0 } }
    }

    /// A running refresher over a counter on a manual clock, with a reader of its updates.
    func started() -> (ManualWatchClock, Counter, Refresher<String, Int>, UpdateReader<String, Int>, Task<Void, Never>) {
        let clock = ManualWatchClock()
        let counter = Counter()
        let refresher = Refresher<String, Int>(clock: clock) { try counter.fetch($0) }
        return (clock, counter, refresher, UpdateReader(refresher), Task { await refresher.run() })
    }

    @Test func aNewKeyIsFetchedAtOnceThenOnItsInterval() async throws {
        let (clock, counter, refresher, reader, task) = started()
        defer { task.cancel() }
        await refresher.set("log", every: 5)
        let first = await reader.next()
        #expect(first?.key == "log")
        #expect(try first?.outcome.get() == 1)
        clock.advance(by: 4.9)
        // Idle and asleep until 5 s: nothing can happen before.
        await refresher.waitUntilIdle()
        await clock.expectAsleep(until: [5])
        #expect(counter.calls("log") == 1)
        #expect(clock.advance(by: 0.1) == 1)
        #expect(try await reader.next()?.outcome.get() == 2)
    }

    @Test func aRemovedKeyIsNotFetchedAgain() async throws {
        let (clock, counter, refresher, reader, task) = started()
        defer { task.cancel() }
        await refresher.set("a", every: 5)
        _ = await reader.next()
        await clock.expectAsleep(until: [5])
        await refresher.remove("a")
        #expect(await refresher.keys.isEmpty)
        // Its time comes and there is nothing to fetch (a key still there would be due, and
        // `waitUntilIdle` would wait for the fetch). Whether the 5 s timer is still set depends
        // on whether the loop has looked again since the removal: not counted.
        clock.advance(by: 60)
        await refresher.waitUntilIdle()
        #expect(counter.calls("a") == 1)
        #expect(await refresher.fetches == 1)
    }

    @Test func failuresWaitTwiceTheIntervalAndAreReported() async throws {
        let (clock, counter, refresher, reader, task) = started()
        defer { task.cancel() }
        counter.state.withLock { $0.failing = true }
        await refresher.set("p", every: 5)
        let failed = await reader.next()
        if case .failure(let error)? = failed?.outcome { #expect(error.isTransient) } else { Issue.record("expected a failure") }
        clock.advance(by: 5)
        // Not due at the interval: idle, and asleep until twice the interval.
        await refresher.waitUntilIdle()
        await clock.expectAsleep(until: [10])
        #expect(counter.calls("p") == 1)
        counter.state.withLock { $0.failing = false }
        #expect(clock.advance(by: 5) == 1)
        #expect(try await reader.next()?.outcome.get() == 2)
    }

    @Test func keysAreFetchedOneAtATimeEachOnItsOwnInterval() async throws {
        let (clock, counter, refresher, reader, task) = started()
        defer { task.cancel() }
        await refresher.set("focused", every: 2)
        await refresher.set("other", every: 10)
        _ = await reader.next()
        _ = await reader.next()
        for _ in 0..<4 {
            clock.advance(by: 2)
            #expect(await reader.next()?.key == "focused")
        }
        // At 8 s: both keys next due at 10 s, and nothing before.
        await refresher.waitUntilIdle()
        await clock.expectAsleep(until: [10])
        #expect(counter.calls("focused") == 5)
        #expect(counter.calls("other") == 1)
        #expect(clock.advance(by: 2) == 1)
        let keys = [await reader.next()?.key, await reader.next()?.key]
        #expect(Set(keys.compactMap { $0 }) == ["focused", "other"])
    }

    @Test func cancellingEndsTheUpdates() async throws {
        let refresher = Refresher<String, Int>(clock: ManualWatchClock()) { _ in 1 }
        let reader = UpdateReader(refresher)
        let task = Task { await refresher.run() }
        await refresher.set("a", every: 1)
        _ = await reader.next()
        task.cancel()
        #expect(await reader.next() == nil)
    }
}
