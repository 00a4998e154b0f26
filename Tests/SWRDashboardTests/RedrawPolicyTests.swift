import Foundation
import Testing
@testable import SWRAPI
@testable import SWRDashboard
@testable import SWRTopUI
@testable import SWRWatch
@testable import Terminal
import Glibc

/// When the loop draws: at once for input and what it asked for; background answers wait for the
/// next whole-second tick unless a key came in the last two seconds.
@Suite struct RedrawPolicyTests {
    static let start = ContinuousClock.now
    static let poll = Action.poll(PollResult(target: Target(pipeline: 1, stage: 0), outcome: .success([]),
                                             startedAt: Date(), endedAt: Date(), nextPollAt: Date()))
    static let detail = Action.pipelineDetail(id: 1, .failure(.timeout))

    /// `drawsNow` outside `#expect` (the macro cannot take a mutating call).
    func draws(_ policy: inout RedrawPolicy, _ actions: [Action], newSecond: Bool, at now: ContinuousClock.Instant) -> Bool {
        policy.drawsNow(actions, newSecond: newSecond, at: now)
    }

    @Test func backgroundAnswersOfAnIdleScreenWaitForTheTick() {
        var policy = RedrawPolicy()
        #expect(!draws(&policy, [Self.poll], newSecond: false, at: Self.start))
        #expect(!draws(&policy, [Self.poll, Self.detail], newSecond: false, at: Self.start + .seconds(30)))
        #expect(draws(&policy, [Self.poll], newSecond: true, at: Self.start + .seconds(31)))
        #expect(draws(&policy, [], newSecond: true, at: Self.start + .seconds(32)))
    }

    @Test func inputAndWhatItAskedForDrawAtOnce() {
        var policy = RedrawPolicy()
        #expect(draws(&policy, [.key(.right)], newSecond: false, at: Self.start))
        var fresh = RedrawPolicy()
        #expect(draws(&fresh, [.resize(width: 80, height: 24)], newSecond: false, at: Self.start))
        var logs = RedrawPolicy()
        let log = Action.log(JobRef(target: Target(pipeline: 1, stage: 0), jobID: "7"), .failure(.timeout))
        #expect(draws(&logs, [Self.poll, log], newSecond: false, at: Self.start))
    }

    @Test func answersRightAfterAKeyDrawAtOnceThenWaitAgain() {
        var policy = RedrawPolicy()
        _ = policy.drawsNow([.key(.char("]"))], newSecond: false, at: Self.start)
        #expect(draws(&policy, [Self.poll], newSecond: false, at: Self.start + .milliseconds(1_900)))
        #expect(!draws(&policy, [Self.poll], newSecond: false, at: Self.start + .milliseconds(2_100)))
    }
}

/// The inbox wakes the loop once per batch, and not at all for answers that can wait while the
/// screen is quiet (the loop takes them at the next tick).
@Suite struct InboxTests {
    /// Bytes waiting in the wake-up pipe (0 or 1: one per batch), read out.
    static func wakeUps(_ pipe: WakePipe) -> Int {
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(pipe.readFD, $0.baseAddress, $0.count) }
        return max(0, count)
    }

    /// An inbox on a pipe of its own, quiet or not.
    static func inbox(quiet: Bool) throws -> (Inbox, WakePipe) {
        let pipe = try WakePipe()
        let inbox = Inbox(wake: pipe)
        inbox.setQuiet(quiet)
        return (inbox, pipe)
    }

    @Test func aQuietScreenIsNotWokenForAnswersThatCanWait() throws {
        let (inbox, pipe) = try Self.inbox(quiet: true)
        inbox.push(RedrawPolicyTests.poll)
        inbox.push(RedrawPolicyTests.detail)
        #expect(Self.wakeUps(pipe) == 0)
        // A log the user asked for cannot wait: it wakes the loop, once, for the whole batch.
        inbox.push(.log(JobRef(target: Target(pipeline: 1, stage: 0), jobID: "7"), .failure(.timeout)))
        inbox.push(.notice("x"))
        #expect(Self.wakeUps(pipe) == 1)
        #expect(inbox.drain().count == 4)
        #expect(inbox.drain().isEmpty)
    }

    @Test func someoneAtTheKeyboardIsWokenForEveryBatch() throws {
        let (inbox, pipe) = try Self.inbox(quiet: false)
        inbox.push(RedrawPolicyTests.poll)
        inbox.push(RedrawPolicyTests.poll)
        #expect(Self.wakeUps(pipe) == 1)
        _ = inbox.drain()
        inbox.push(RedrawPolicyTests.detail)
        #expect(Self.wakeUps(pipe) == 1)
    }

    @Test func theStartCountsAsInput() {
        let start = ContinuousClock.now
        let policy = RedrawPolicy(watchedSince: start)
        #expect(policy.watchedClosely(at: start + .seconds(1)))
        #expect(!policy.watchedClosely(at: start + .seconds(3)))
        #expect(!RedrawPolicy().watchedClosely(at: start))
    }
}
