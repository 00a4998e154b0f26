import Foundation
import Synchronization
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
    }

    private let state = Mutex(State())
    private let answer: @Sendable (Target, Int) -> Result<[Job], SWRError>

    init(answer: @escaping @Sendable (Target, Int) -> Result<[Job], SWRError> = { _, _ in .success([]) }) {
        self.answer = answer
    }

    var calls: [Call] { state.withLock { $0.calls } }
    var maxPerTarget: Int { state.withLock { $0.maxPerTarget } }
    var cancelledCount: Int { state.withLock { $0.cancelled } }
    var heldCount: Int { state.withLock { $0.held.count } }

    /// Calls wait (until released or cancelled) while holding.
    func hold() { state.withLock { $0.holding = true } }

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
                    let stillHolding = state.withLock { s -> Bool in
                        if s.holding { s.held.append(continuation) }
                        return s.holding
                    }
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

/// Lets other tasks run; used only to give a paused engine the chance to misbehave.
func settle() async {
    for _ in 0..<2000 { await Task.yield() }
}

/// Yields until `condition` holds, a bounded number of times (never a wall-clock wait); false
/// when it never held, so a broken engine fails the test instead of hanging it.
func spin(until condition: () -> Bool) async -> Bool {
    for _ in 0..<200_000 {
        if condition() { return true }
        await Task.yield()
    }
    return condition()
}
