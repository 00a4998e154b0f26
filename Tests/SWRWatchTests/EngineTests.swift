import Foundation
import Testing
import SWRAPI
@testable import SWRWatch

let a = Target(pipeline: 1, stage: 0)
let b = Target(pipeline: 1, stage: 1)
let c = Target(pipeline: 2, stage: 0)

func startEngine(_ source: ScriptedSource, targets: [Target] = [a, b, c], clock: ManualWatchClock, maxConcurrent: Int = 8, timeout: TimeInterval = 10) -> (PollingEngine, ResultReader, Task<Void, Never>) {
    let engine = PollingEngine(source: source, clock: clock, targets: targets, schedule: PollSchedule(baseInterval: 3),
                               maxConcurrent: maxConcurrent, requestTimeout: timeout)
    let reader = ResultReader(engine)
    let task = Task { await engine.run() }
    return (engine, reader, task)
}

@Suite(.timeLimit(.minutes(3))) struct EngineTests {
    @Test func intervalsPerFocusLevel() async {
        let clock = ManualWatchClock()
        let t0 = clock.now()
        let source = ScriptedSource()
        let (_, reader, task) = startEngine(source, clock: clock)
        let first = await reader.next(3)
        let due = Dictionary(uniqueKeysWithValues: first.map { ($0.target, $0.nextPollAt.timeIntervalSince(t0)) })
        #expect(due == [a: 3, b: 6, c: 15])
        #expect(source.calls.first?.target == a)  // the focused stage starts first
        clock.advance(by: 3)
        let second = await reader.next()
        #expect(second?.target == a)
        #expect(second?.nextPollAt.timeIntervalSince(t0) == 6)
        task.cancel()
        await task.value
    }

    @Test func focusChangePollsAtOnce() async {
        let clock = ManualWatchClock()
        let (engine, reader, task) = startEngine(ScriptedSource(), clock: clock)
        _ = await reader.next(3)
        await engine.setFocus(c)
        let result = await reader.next()
        #expect(result?.target == c)
        #expect(result?.startedAt == clock.now())
        #expect(result?.nextPollAt == clock.now().addingTimeInterval(3))
        task.cancel()
        await task.value
    }

    @Test func refreshNowPollsTheFocusedPipeline() async {
        let clock = ManualWatchClock()
        let (engine, reader, task) = startEngine(ScriptedSource(), clock: clock)
        _ = await reader.next(3)
        await engine.refreshNow()
        let results = await reader.next(2)
        #expect(Set(results.map(\.target)) == [a, b])
        task.cancel()
        await task.value
    }

    @Test func concurrencyCapAndNoOverlapPerTarget() async {
        let source = ScriptedSource()
        source.hold()
        let clock = ManualWatchClock()
        let targets = (0..<20).map { Target(pipeline: 10 + $0 / 4, stage: $0 % 4) }
        let (engine, reader, task) = startEngine(source, targets: targets, clock: clock, maxConcurrent: 4, timeout: 1000)
        await source.waitForHeld(4)
        // The loop's pass that started them is over (the engine's actor answers only after it).
        #expect(await engine.requestsStarted == 4)
        // The four requests' deadlines are all that sleeps on the clock: the engine itself waits
        // for a free slot, not for a time.
        await clock.expectAsleep(until: [1000, 1000, 1000, 1000])
        // Time passes while requests hang: it wakes nobody, so nobody is polled twice.
        #expect(clock.advance(by: 100) == 0)
        #expect(await engine.requestsStarted == 4)
        #expect(source.calls.count == 4)
        source.release()
        _ = await reader.next(20)
        #expect(await engine.peakConcurrency == 4)
        #expect(source.maxPerTarget == 1)
        task.cancel()
        await task.value
    }

    @Test func backoffGrowsWithinJitterBoundsAndResets() async {
        let failing = ScriptedSource { _, number in number <= 6 ? .failure(.server(status: 500, message: nil)) : .success([]) }
        let clock = ManualWatchClock()
        let (_, reader, task) = startEngine(failing, targets: [a], clock: clock)
        let schedule = PollSchedule(baseInterval: 3)
        var waits: [TimeInterval] = []
        for failures in 1...6 {
            guard let result = await reader.next() else { break }
            #expect(result.failureStreak == failures)
            let wait = result.nextPollAt.timeIntervalSince(result.endedAt)
            waits.append(wait)
            #expect(wait >= schedule.minimumBackoff)
            #expect(wait <= schedule.backoffCeiling(interval: 3, failures: failures))
            clock.advance(by: wait)
        }
        #expect(schedule.backoffCeiling(interval: 3, failures: 1) == 3)
        #expect(schedule.backoffCeiling(interval: 3, failures: 5) == 48)
        #expect(schedule.backoffCeiling(interval: 3, failures: 6) == 60)
        let recovered = await reader.next()
        #expect(recovered?.failureStreak == 0)
        #expect(recovered.map { $0.nextPollAt.timeIntervalSince($0.endedAt) } == 3)
        // Full jitter: the waits are not all the ceiling.
        #expect(Set(waits).count > 1)
        task.cancel()
        await task.value
    }

    @Test func retryAfterIsHonoured() async {
        let limited = ScriptedSource { _, number in number == 1 ? .failure(.rateLimited(retryAfter: 10, message: nil)) : .success([]) }
        let clock = ManualWatchClock()
        let (engine, reader, task) = startEngine(limited, targets: [a], clock: clock, timeout: 1000)
        let result = await reader.next()
        #expect(result.map { $0.nextPollAt.timeIntervalSince($0.endedAt) } == 10)
        await clock.expectAsleep(until: [10])
        // A refresh does not jump the queue the server asked for: still due at 10 s, and once
        // the engine has looked again, asleep until then.
        await engine.refreshNow([a])
        #expect(await engine.nextDue(a) == at(10))
        await engine.waitUntilQuiet()
        #expect(clock.sleepers.deadlines == [at(10)])
        #expect(await engine.requestsStarted == 1)
        #expect(limited.calls.count == 1)
        #expect(clock.advance(by: 10) == 1)
        let next = await reader.next()
        #expect(next?.failureStreak == 0)
        task.cancel()
        await task.value
    }

    @Test func settledTargetsSlowDown() async {
        let source = ScriptedSource { _, _ in .success([job("1", .successful, progress: 100, duration: 5)]) }
        let clock = ManualWatchClock()
        let (_, reader, task) = startEngine(source, targets: [a, c], clock: clock)
        var due: [Target: Date] = [:]
        var gaps: [TimeInterval] = []
        while gaps.count < 5 {
            guard let result = await reader.next() else { break }
            due[result.target] = result.nextPollAt
            if result.target == c { gaps.append(result.nextPollAt.timeIntervalSince(result.startedAt)) }
            if due.count == 2, let earliest = due.values.min(), earliest > clock.now() {
                clock.advance(by: earliest.timeIntervalSince(clock.now()))
            }
        }
        #expect(gaps.first == 15)
        #expect(gaps.last == 60)  // settled: 15 s × 4, capped at 60
        task.cancel()
        await task.value
    }

    @Test func unexpectedErrorsBackOffToo() async {
        struct Odd: Error {}
        struct Throwing: JobSource {
            func jobs(pipeline: Int, stage: Int) async throws -> [Job] { throw Odd() }
        }
        let clock = ManualWatchClock()
        let engine = PollingEngine(source: Throwing(), clock: clock, targets: [a], schedule: PollSchedule(baseInterval: 3))
        let reader = ResultReader(engine)
        let task = Task { await engine.run() }
        let result = await reader.next()
        guard case .failure(.transport)? = result?.outcome else {
            Issue.record("expected a transport failure, got \(String(describing: result?.outcome))")
            return
        }
        #expect(result.map { $0.nextPollAt > $0.endedAt } == true)
        #expect(await engine.requestsStarted == 1)
        task.cancel()
        await task.value
    }

    @Test func pauseAndResume() async {
        let source = ScriptedSource()
        let clock = ManualWatchClock()
        let probe = ReadCountingClock(clock)
        let engine = PollingEngine(source: source, clock: probe, targets: [a], schedule: PollSchedule(baseInterval: 3), requestTimeout: 1000)
        let reader = ResultReader(engine)
        let task = Task { await engine.run() }
        _ = await reader.next()
        await clock.expectAsleep(until: [3])
        await engine.pause()
        // Its next poll comes while it is paused: it wakes, looks, and starts nothing.
        let reads = probe.reads
        #expect(clock.advance(by: 30) == 1)
        await probe.waitForReads(reads + 1)
        #expect(await engine.requestsStarted == 1)
        #expect(await engine.nextDue(a) == at(3), "still due, held back by the pause")
        #expect(source.calls.count == 1)
        await engine.resume()
        let result = await reader.next()
        #expect(result?.target == a)
        #expect(result?.startedAt == clock.now())
        #expect(source.calls.count == 2)
        task.cancel()
        await task.value
    }

    @Test func slowRequestTimesOutOnTheInjectedClock() async {
        let source = ScriptedSource()
        source.hold()
        let clock = ManualWatchClock()
        let (_, reader, task) = startEngine(source, targets: [a], clock: clock, timeout: 5)
        await source.waitForHeld(1)
        await clock.expectAsleep(until: [5])  // the request's deadline; the engine waits for no time
        clock.advance(by: 4.999_999)
        #expect(clock.sleepers.deadlines == [at(5)], "not a microsecond early")
        #expect(clock.advance(by: 0.000_001) == 1)
        let result = await reader.next()
        guard case .failure(.timeout)? = result?.outcome else {
            Issue.record("expected a timeout, got \(String(describing: result?.outcome))")
            return
        }
        #expect(source.cancelledCount == 1)
        task.cancel()
        await task.value
    }

    /// A source that ends its requests by the timeout itself (`SWRClient` on the production
    /// transport) is not raced again: no deadline of the engine's waits on the clock, and a
    /// request held past the timeout is the source's to end. One that promises a longer bound,
    /// or none, is raced.
    @Test func aSourceThatEndsItsOwnRequestsIsNotRacedAgain() async {
        let source = ScriptedSource(requestBound: .seconds(5))
        source.hold()
        let clock = ManualWatchClock()
        let (_, reader, task) = startEngine(source, targets: [a], clock: clock, timeout: 5)
        await source.waitForHeld(1)
        #expect(clock.sleepers.deadlines.contains(at(5)) == false, "the engine set no deadline of its own")
        clock.advance(by: 6)
        source.release()
        let result = await reader.next()
        guard case .success? = result?.outcome else {
            Issue.record("expected the source's answer, got \(String(describing: result?.outcome))")
            return
        }
        #expect(source.cancelledCount == 0)
        task.cancel()
        await task.value

        let looser = ScriptedSource(requestBound: .seconds(30))
        looser.hold()
        let clock2 = ManualWatchClock()
        let (_, reader2, task2) = startEngine(looser, targets: [a], clock: clock2, timeout: 5)
        await looser.waitForHeld(1)
        await clock2.expectAsleep(until: [5])
        clock2.advance(by: 5)
        guard case .failure(.timeout)? = await reader2.next()?.outcome else {
            Issue.record("a bound longer than the timeout is raced")
            return
        }
        task2.cancel()
        await task2.value
    }

    @Test func theProductionClientSaysItsBoundAndOthersDoNot() async {
        let production = AsyncHTTPClientTransport()
        let client = SWRClient(endpoint: "http://127.0.0.1:9", transport: production, tokens: StaticTokenProvider("t"), timeout: .seconds(7))
        #expect(client.requestBound == .seconds(7))
        await production.shutdown()
        let other = SWRClient(endpoint: "http://127.0.0.1:9", transport: RefusingTransport(), tokens: StaticTokenProvider("t"))
        #expect(other.requestBound == nil)
    }

    @Test func cancellationStopsEverything() async {
        let source = ScriptedSource()
        source.hold()
        let clock = ManualWatchClock()
        let (_, reader, task) = startEngine(source, clock: clock)
        await source.waitForHeld(3)
        task.cancel()
        await task.value
        #expect(source.cancelledCount >= 1)
        #expect(source.heldCount == 0)
        // The stream ends: nobody waits on a finished engine.
        while let _ = await reader.next() {}
    }
}


/// A transport that promises nothing about its requests' length (and answers none).
private struct RefusingTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse { throw SWRError.transport("refused") }
}
