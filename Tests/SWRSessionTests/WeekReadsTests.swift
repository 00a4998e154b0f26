import Foundation
import Synchronization
import Testing
@testable import SWRAPI
@testable import SWRHistory
@testable import SWRSession
@testable import SWRWatch

/// A 7-day read that began before a poll of a stage never answers for that stage after the poll
/// (the screen would step back from the job it just counted); a read that begins later does. Each
/// test makes the poll arrive from inside the read, so the interleaving is fixed, without sleeps.
@Suite(.timeLimit(.minutes(3))) struct WeekReadsTests {
    /// What reached the screen, in order.
    enum Event: Equatable {
        case poll(Target)
        case week([Target: Int])
    }

    final class Screen: Sendable {
        private let list = Mutex<[Event]>([])
        var events: [Event] { list.withLock { $0 } }
        func show(_ event: Event) { list.withLock { $0.append(event) } }
        func week(_ stages: [(Target, Int)]) { show(.week(Dictionary(stages, uniquingKeysWith: { first, _ in first }))) }
    }

    @Test func aStagePolledWhileItIsReadIsReadAgainAndAnsweredAfterThePoll() async {
        let reads = WeekReads()
        let screen = Screen()
        var attempt = 0
        var asked: [[Target]] = []
        await reads.read([Fixture.build, Fixture.deploy], flush: {}, read: { targets in
            attempt += 1
            asked.append(targets)
            // The build stage's job ends (a poll reaches the screen) while the first read runs.
            if attempt == 1 { reads.deliverPoll(of: Fixture.build) { screen.show(.poll(Fixture.build)) } }
            return Dictionary(uniqueKeysWithValues: targets.map { ($0, attempt) })
        }, deliver: screen.week)
        #expect(asked == [[Fixture.build, Fixture.deploy], [Fixture.build]])
        // The first read's answer for build is never shown; the second's comes after the poll.
        #expect(screen.events == [.poll(Fixture.build), .week([Fixture.deploy: 1]), .week([Fixture.build: 2])])
    }

    @Test func aPollBeforeTheReadBeganNeedsNoSecondRead() async {
        let reads = WeekReads()
        let screen = Screen()
        reads.deliverPoll(of: Fixture.build) { screen.show(.poll(Fixture.build)) }
        var flushes = 0
        var attempt = 0
        await reads.read([Fixture.build], flush: { flushes += 1 }, read: { targets in
            attempt += 1
            return Dictionary(uniqueKeysWithValues: targets.map { ($0, attempt) })
        }, deliver: screen.week)
        #expect(flushes == 1 && attempt == 1)
        #expect(screen.events == [.poll(Fixture.build), .week([Fixture.build: 1])])
    }

    @Test func aStageStillBehindAfterEveryReadKeepsWhatTheScreenHas() async {
        let reads = WeekReads()
        let screen = Screen()
        var attempt = 0
        await reads.read([Fixture.build, Fixture.nginx], flush: {}, read: { targets in
            attempt += 1
            reads.deliverPoll(of: Fixture.build) { screen.show(.poll(Fixture.build)) }
            return Dictionary(uniqueKeysWithValues: targets.map { ($0, attempt) })
        }, deliver: screen.week)
        #expect(attempt == WeekReads.attempts)
        #expect(screen.events == [.poll(Fixture.build), .week([Fixture.nginx: 1])]
            + Array(repeating: .poll(Fixture.build), count: WeekReads.attempts - 1))
    }

    /// The start's figures bring "usual" too: a stage still behind after the last read gets it.
    @Test func theStartsFiguresReachEveryStage() async {
        let reads = WeekReads()
        let screen = Screen()
        var attempt = 0
        await reads.read([Fixture.build, Fixture.nginx], everyStage: true, flush: {}, read: { targets in
            attempt += 1
            reads.deliverPoll(of: Fixture.build) { screen.show(.poll(Fixture.build)) }
            return Dictionary(uniqueKeysWithValues: targets.map { ($0, attempt) })
        }, deliver: screen.week)
        #expect(attempt == WeekReads.attempts)
        #expect(screen.events == [.poll(Fixture.build), .week([Fixture.nginx: 1])]
            + Array(repeating: .poll(Fixture.build), count: WeekReads.attempts - 1) + [.week([Fixture.build: WeekReads.attempts])])
    }

    @Test func anUnreadableFileAnswersNothing() async {
        let reads = WeekReads()
        let screen = Screen()
        var attempt = 0
        await reads.read([Fixture.build], flush: {}, read: { (_: [Target]) -> [Target: Int]? in
            attempt += 1
            reads.deliverPoll(of: Fixture.build) { screen.show(.poll(Fixture.build)) }
            return nil
        }, deliver: screen.week)
        #expect(attempt == 1)
        #expect(screen.events == [.poll(Fixture.build)])
    }

    /// On a real file: the job that ends while the week is read is counted in the answer the
    /// screen gets after that poll (the second read waits for the writer).
    @Test func theAnswerAfterThePollCountsTheJobItShowedEnding() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swr-top-week-\(UUID().uuidString)/history.sqlite").path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let (opened, _) = SessionHistory.open(settings: HistorySettings(), flag: path, host: "swr.example.com",
                                              demo: false, environment: ["HOME": "/nonexistent"])
        let history = try #require(opened)
        history.record(Fixture.result(Fixture.build, [Fixture.job("b1", .successful, duration: 30, created: -600),
                                                      Fixture.job("b2", .building, progress: 50, created: -60)], at: 1))
        let reads = WeekReads()
        let answers = Mutex<[[Target: OutcomeCounts]]>([])
        var attempt = 0
        await reads.read([Fixture.build], flush: { await history.flush() }, read: { targets in
            attempt += 1
            if attempt == 1 {
                // The session records the poll in which b2 failed and hands it to the screen.
                let ended = Fixture.result(Fixture.build, [Fixture.job("b2", .failed, progress: 50, duration: 40, created: -60),
                                                           Fixture.job("b1", .successful, duration: 30, created: -600)], at: 4)
                history.record(ended)
                reads.deliverPoll(of: Fixture.build) {}
            }
            return try? await history.reader.weekOutcomes(targets, now: Fixture.at(5))
        }, deliver: { stages in answers.withLock { $0.append(Dictionary(stages, uniquingKeysWith: { first, _ in first })) } })
        #expect(attempt == 2)
        #expect(answers.withLock { $0 } == [[Fixture.build: OutcomeCounts(successful: 1, failed: 1)]])
        await history.close()
    }
}
