import Foundation
import Testing
@testable import SWRWatch

/// `WakeSignal` keeps the timer of a deadline between waits: a loop woken by signals (answers)
/// that waits again for the same deadline sets no new timer; a timer that fires while nobody
/// waits still wakes the next wait; a cancelled waiter takes its timer with it.
@Suite(.timeLimit(.minutes(1))) struct WakeSignalTests {
    static func at(_ seconds: TimeInterval) -> WatchInstant { WatchInstant.zero.adding(seconds) }

    /// Returns once a task waits on `signal` (the wait has armed its timer by then).
    static func untilWaiting(_ signal: WakeSignal) async {
        while !signal.hasWaiter { await Task.yield() }
    }

    @Test func wakingBySignalAndWaitingForTheSameDeadlineSetsNoNewTimer() async {
        let clock = ManualWatchClock()
        let signal = WakeSignal()
        for _ in 0..<3 {
            async let waited: Void = signal.wait(until: Self.at(10), clock: clock)
            // Each wait really waits (and so asks for its timer) before the signal ends it.
            await Self.untilWaiting(signal)
            signal.signal()
            await waited
        }
        #expect(signal.timersSet == 1)
        #expect(clock.sleepers.deadlines == [Self.at(10)])
        // Another deadline: the old timer goes, a new one is set.
        async let waited: Void = signal.wait(until: Self.at(15), clock: clock)
        await clock.waitUntil { $0.deadlines == [Self.at(15)] }
        #expect(signal.timersSet == 2)
        #expect(clock.advance(by: 15) == 1)
        await waited
    }

    @Test func aTimerThatFiresWhileNobodyWaitsWakesTheNextWait() async {
        let clock = ManualWatchClock()
        let signal = WakeSignal()
        async let first: Void = signal.wait(until: Self.at(10), clock: clock)
        await clock.waitForSleepers(1)
        await Self.untilWaiting(signal)
        signal.signal()
        await first
        // Nobody waits now; the kept timer fires.
        guard clock.advance(by: 10) == 1 else {
            Issue.record("the timer did not outlive the wait")
            return
        }
        // With no deadline, only that timer's wake-up can end this wait.
        await signal.wait(until: nil, clock: clock)
        #expect(signal.timersSet == 1)
    }

    @Test func aCancelledWaiterTakesItsTimerWithIt() async {
        let clock = ManualWatchClock()
        let signal = WakeSignal()
        let waiter = Task { await signal.wait(until: Self.at(10), clock: clock) }
        await clock.waitForSleepers(1)
        waiter.cancel()
        await waiter.value
        // Cancelled before the wait returned: no sleeper is left.
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancelTimerLeavesNoSleeper() async {
        let clock = ManualWatchClock()
        let signal = WakeSignal()
        async let waited: Void = signal.wait(until: Self.at(10), clock: clock)
        await clock.waitForSleepers(1)
        await Self.untilWaiting(signal)
        signal.signal()
        await waited
        #expect(clock.sleeperCount == 1, "the timer is kept after the wait")
        signal.cancelTimer()
        #expect(clock.sleeperCount == 0)
    }
}
