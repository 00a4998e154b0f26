import Foundation
import Testing
@testable import SWRWatch

/// `WakeSignal` keeps the timer of a deadline between waits: a loop woken by signals (answers)
/// that waits again for the same deadline sets no new timer; a timer that fires while nobody
/// waits still wakes the next wait; a cancelled waiter takes its timer with it.
@Suite(.timeLimit(.minutes(1))) struct WakeSignalTests {
    static func at(_ seconds: TimeInterval) -> WatchInstant { WatchInstant.zero.adding(seconds) }

    /// A wait until `deadline` that really waits (its timer set and asleep on `clock`, the task
    /// waiting on `signal`) and that a signal then ends.
    static func waitEndedBySignal(_ signal: WakeSignal, until deadline: WatchInstant, clock: ManualWatchClock) async {
        async let waited: Void = signal.wait(until: deadline, clock: clock)
        await clock.waitForSleepers(1)
        while !signal.hasWaiter { await Task.yield() }
        signal.signal()
        await waited
    }

    @Test func wakingBySignalAndWaitingForTheSameDeadlineSetsNoNewTimer() async {
        let clock = ManualWatchClock()
        let signal = WakeSignal()
        for _ in 0..<3 { await Self.waitEndedBySignal(signal, until: Self.at(10), clock: clock) }
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
        await Self.waitEndedBySignal(signal, until: Self.at(10), clock: clock)
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
        await Self.waitEndedBySignal(signal, until: Self.at(10), clock: clock)
        #expect(clock.sleeperCount == 1, "the timer is kept after the wait")
        signal.cancelTimer()
        #expect(clock.sleeperCount == 0)
    }
}
