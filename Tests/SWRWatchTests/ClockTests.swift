import Foundation
import Testing
import SWRAPI
@testable import SWRWatch

/// Scheduling runs on the monotonic clock: a wall clock set back or forward by a day (NTP, a
/// user, a resumed VM) changes only the times shown, never when the next request goes out.
@Suite(.timeLimit(.minutes(3))) struct WallClockStepTests {
    static let day: TimeInterval = 86_400

    /// Moves the clock one second at a time, letting the engine do what each moment asks.
    func run(_ engine: PollingEngine, _ clock: ManualWatchClock, seconds: Int) async {
        for _ in 0..<seconds {
            clock.advance(by: 1)
            await engine.waitUntilQuiet()
        }
    }

    func calls(_ source: ScriptedSource) -> [Target: Int] {
        source.calls.reduce(into: [:]) { $0[$1.target, default: 0] += 1 }
    }

    @Test(arguments: [-day, day])
    func enginePollsAtItsIntervalsWhenTheWallClockSteps(step: TimeInterval) async {
        let clock = ManualWatchClock()
        let t0 = clock.now()
        let source = ScriptedSource()
        let (engine, reader, task) = startEngine(source, targets: [a, b, c], clock: clock)
        await engine.waitUntilQuiet()
        #expect(calls(source) == [a: 1, b: 1, c: 1])
        // Focused 3 s, same pipeline 6 s, other pipeline 15 s: 20, 10 and 4 polls a minute.
        await run(engine, clock, seconds: 60)
        #expect(calls(source) == [a: 21, b: 11, c: 5])

        clock.stepWall(by: step)
        await engine.waitUntilQuiet()
        #expect(calls(source) == [a: 21, b: 11, c: 5], "no burst (and no extra poll) when the wall clock steps")
        await run(engine, clock, seconds: 60)
        #expect(calls(source) == [a: 41, b: 21, c: 9], "no freeze: the next minute polls as the last")

        clock.stepWall(by: -step)  // and back again
        await run(engine, clock, seconds: 60)
        #expect(calls(source) == [a: 61, b: 31, c: 13])

        // Results carry the wall clock for display; their countdown is the interval.
        let results = await reader.next(61 + 31 + 13)
        let middle = results.filter { $0.target == a }.dropFirst(21).prefix(20).map { $0.endedAt.timeIntervalSince(t0) }
        #expect(middle == (21...40).map { step + Double($0 * 3) })
        #expect(results.filter { $0.target == a }.allSatisfy { $0.nextPollAt.timeIntervalSince($0.endedAt) == 3 })
        #expect(await engine.requestsStarted == 105)
        task.cancel()
        await task.value
    }

    @Test(arguments: [-day, day])
    func retryAfterAndBackoffWaitOnTheMonotonicClock(step: TimeInterval) async {
        let source = ScriptedSource { _, number in number == 1 ? .failure(.rateLimited(retryAfter: 10, message: nil)) : .success([]) }
        let clock = ManualWatchClock()
        let (engine, _, task) = startEngine(source, targets: [a], clock: clock)
        await engine.waitUntilQuiet()
        #expect(source.calls.count == 1)
        clock.stepWall(by: step)
        await run(engine, clock, seconds: 9)
        #expect(source.calls.count == 1, "the server asked for 10 s, whatever the wall clock says")
        await run(engine, clock, seconds: 1)
        #expect(source.calls.count == 2)
        task.cancel()
        await task.value
    }

    @Test(arguments: [-day, day])
    func requestTimeoutIsMeasuredOnTheMonotonicClock(step: TimeInterval) async {
        let source = ScriptedSource()
        source.hold()
        let clock = ManualWatchClock()
        let (engine, reader, task) = startEngine(source, targets: [a], clock: clock, timeout: 5)
        // The request's deadline (the engine, its one target in flight, waits for no time).
        await source.waitForHeld(1)
        await clock.expectAsleep(until: [5])
        clock.stepWall(by: step)
        clock.advance(by: 4)
        #expect(clock.sleeperCount == 1, "the request's deadline is still ahead")
        #expect(clock.nextDeadline == WatchInstant.zero.adding(5))
        clock.advance(by: 1)
        let result = await reader.next()
        guard case .failure(.timeout)? = result?.outcome else {
            Issue.record("expected a timeout, got \(String(describing: result?.outcome))")
            return
        }
        #expect(await engine.requestsStarted == 1)
        task.cancel()
        await task.value
    }

    @Test(arguments: [-day, day])
    func refresherKeepsItsPeriodWhenTheWallClockSteps(step: TimeInterval) async throws {
        let (clock, counter, refresher, reader, task) = RefresherTests().started()
        defer { task.cancel() }
        await refresher.set("p", every: 5)
        await refresher.waitUntilIdle()
        #expect(counter.calls("p") == 1)
        func minute() async {
            for _ in 0..<60 {
                clock.advance(by: 1)
                await refresher.waitUntilIdle()
            }
        }
        await minute()
        #expect(counter.calls("p") == 13)
        clock.stepWall(by: step)
        await refresher.waitUntilIdle()
        #expect(counter.calls("p") == 13, "no burst when the wall clock steps")
        await minute()
        #expect(counter.calls("p") == 25, "no freeze: the next minute fetches as the last")
        clock.stepWall(by: -step)
        await minute()
        #expect(counter.calls("p") == 37)
        #expect(await refresher.fetches == 37)
        // Updates carry the wall clock.
        var updates: [Refresher<String, Int>.Update] = []
        for _ in 0..<37 { if let update = await reader.next() { updates.append(update) } }
        let shifted = updates[13..<25].map { $0.at.timeIntervalSince(updates[12].at) }
        #expect(shifted == (1...12).map { step + Double($0 * 5) })
    }

    @Test func manualClockMovesItsTwoClocksSeparately() {
        let clock = ManualWatchClock(start: Date(timeIntervalSince1970: 1_000), instant: WatchInstant(nanoseconds: 7))
        clock.advance(by: 2)
        #expect(clock.now() == Date(timeIntervalSince1970: 1_002))
        #expect(clock.instant() == WatchInstant(nanoseconds: 2_000_000_007))
        clock.stepWall(by: -3_600)
        #expect(clock.now() == Date(timeIntervalSince1970: -2_598))
        #expect(clock.instant() == WatchInstant(nanoseconds: 2_000_000_007))
        clock.advance(by: -10)  // a monotonic clock never goes back
        clock.advance(by: .nan)
        #expect(clock.instant() == WatchInstant(nanoseconds: 2_000_000_007))
        #expect(clock.wallTime(at: clock.instant().adding(3)) == Date(timeIntervalSince1970: -2_595))
    }

    @Test func systemClockIsMonotonicAndNeverSleepsForThePast() async throws {
        let clock = SystemWatchClock()
        let first = clock.instant()
        let second = SystemWatchClock().instant()
        #expect(first <= second)  // one origin for every SystemWatchClock
        try await clock.sleep(until: first)
        try await clock.sleep(until: WatchInstant(nanoseconds: .min))
        #expect(clock.instant() >= second)
    }

    @Test func systemClockSleepEndsPromptlyWhenCancelled() async {
        let clock = SystemWatchClock()
        let sleeper = Task { try await clock.sleep(until: .distantFuture) }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }
}
