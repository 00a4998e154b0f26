import Foundation
import Synchronization
import Testing
import SWRAPI
@testable import SWRWatch

/// A job source that answers from a script, records every call, and can hold calls open.
final class ScriptedSource: JobSource {
    struct Call: Sendable {
        var target: Target
        var number: Int
    }

    private struct State {
        var calls: [Call] = []
        var inFlight: [Target: Int] = [:]
        var maxPerTarget = 0
        var cancelled = 0
        var holding = false
        var held: [CheckedContinuation<Void, Never>] = []
        var heldWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// Removes and returns the waiters for as many held calls as there are now.
        mutating func satisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            let ready = heldWaiters.filter { $0.count <= held.count }.map(\.continuation)
            heldWaiters.removeAll { $0.count <= held.count }
            return ready
        }
    }

    private let state = Mutex(State())
    private let answer: @Sendable (Target, Int) -> Result<[Job], SWRError>
    /// What the source says of its own deadline (`JobSource.requestBound`).
    let requestBound: Duration?

    init(requestBound: Duration? = nil, answer: @escaping @Sendable (Target, Int) -> Result<[Job], SWRError> = { _, _ in .success([]) }) {
        self.requestBound = requestBound
        self.answer = answer
    }

    var calls: [Call] { state.withLock { $0.calls } }
    var maxPerTarget: Int { state.withLock { $0.maxPerTarget } }
    var cancelledCount: Int { state.withLock { $0.cancelled } }
    var heldCount: Int { state.withLock { $0.held.count } }

    /// Calls wait (until released or cancelled) while holding.
    func hold() { state.withLock { $0.holding = true } }

    /// Returns once `count` calls are held (signalled by the calls themselves: no polling).
    func waitForHeld(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> Bool in
                if s.held.count >= count { return true }
                s.heldWaiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func release() {
        let held = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.holding = false
            defer { s.held = [] }
            return s.held
        }
        for continuation in held { continuation.resume() }
    }

    func jobs(pipeline: Int, stage: Int) async throws -> [Job] {
        let target = Target(pipeline: pipeline, stage: stage)
        let (number, holding) = state.withLock { s -> (Int, Bool) in
            s.calls.append(Call(target: target, number: s.calls.count + 1))
            s.inFlight[target, default: 0] += 1
            s.maxPerTarget = max(s.maxPerTarget, s.inFlight[target]!)
            return (s.calls.count, s.holding)
        }
        defer { state.withLock { $0.inFlight[target, default: 1] -= 1 } }
        if holding {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let (stillHolding, waiters) = state.withLock { s -> (Bool, [CheckedContinuation<Void, Never>]) in
                        guard s.holding else { return (false, []) }
                        s.held.append(continuation)
                        return (true, s.satisfiedWaiters())
                    }
                    for waiter in waiters { waiter.resume() }
                    if !stillHolding { continuation.resume() }
                }
            } onCancel: {
                let held = state.withLock { s -> [CheckedContinuation<Void, Never>] in
                    s.cancelled += 1
                    defer { s.held = [] }
                    return s.held
                }
                for continuation in held { continuation.resume() }
            }
            try Task.checkCancellation()
        }
        return try answer(target, number).get()
    }
}

/// Reads results from an engine one at a time.
final class ResultReader: @unchecked Sendable {
    private var iterator: AsyncStream<PollResult>.Iterator

    init(_ engine: PollingEngine) {
        iterator = engine.results.makeAsyncIterator()
    }

    func next() async -> PollResult? {
        await iterator.next()
    }

    func next(_ count: Int) async -> [PollResult] {
        var out: [PollResult] = []
        for _ in 0..<count {
            guard let result = await iterator.next() else { break }
            out.append(result)
        }
        return out
    }
}

func job(_ id: String, _ state: JobState, progress: Int? = nil, duration: Int? = nil, created: Double? = nil) -> Job {
    Job(id: id, state: state, progress: progress, duration: duration, createdAt: created.map { Date(timeIntervalSince1970: $0) })
}

/// The instant `seconds` after a fresh `ManualWatchClock`'s start.
func at(_ seconds: TimeInterval) -> WatchInstant {
    WatchInstant.zero.adding(seconds)
}

extension ManualWatchClock {
    /// Waits until as many tasks sleep on the clock as there are `deadlines`, then expects them to
    /// sleep until exactly those: a component asleep there (and waiting for nothing else) can do
    /// nothing before the first. Waits for a count, not for the deadlines themselves, so a wrong
    /// deadline fails at once rather than at the time limit.
    func expectAsleep(until deadlines: [TimeInterval], sourceLocation: SourceLocation = #_sourceLocation) async {
        await waitUntil { $0.deadlines.count == deadlines.count }
        #expect(sleepers.deadlines == deadlines.map(at).sorted(), sourceLocation: sourceLocation)
    }
}

/// A manual clock that counts reads of its monotonic time. Each pass of the engine's loop
/// begins by reading the clock, and while the engine is paused with nothing in flight nothing
/// else reads it: a read after the clock moved says the engine has looked at the moment (its
/// actor finishes that pass before any later call), though it started nothing and set no
/// deadline to sleep on.
final class ReadCountingClock: WatchClock {
    let base: ManualWatchClock
    private let state = Mutex<(reads: Int, waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)])>((0, []))

    init(_ base: ManualWatchClock) { self.base = base }

    var reads: Int { state.withLock { $0.reads } }

    func now() -> Date { base.now() }

    func instant() -> WatchInstant {
        let instant = base.instant()
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.reads += 1
            let reads = s.reads
            defer { s.waiters.removeAll { $0.count <= reads } }
            return s.waiters.filter { $0.count <= reads }.map(\.continuation)
        }
        for waiter in ready { waiter.resume() }
        return instant
    }

    func sleep(until deadline: WatchInstant) async throws {
        try await base.sleep(until: deadline)
    }

    /// Returns once the clock has been read `count` times in all.
    func waitForReads(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> Bool in
                if s.reads >= count { return true }
                s.waiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
