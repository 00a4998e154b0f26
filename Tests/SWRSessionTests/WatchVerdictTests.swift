import Foundation
import SWRAPI
import SWRSession
import Testing

/// Every way `--watch --exit-status` can end, on values (no process, no network).
@Suite struct WatchVerdictTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static let endings: [([JobState], Int32)] = [
        ([.successful, .successful], 0),
        ([.successful, .failed], 1),
        ([.timeout, .failed], 1),
        ([.successful, .timeout], 4),
        ([.cancelled, .timeout], 4),
        ([.successful, .cancelled], 5),
    ]

    @Test(arguments: endings)
    func finishedRunsEndAfterTheConfirmationRound(states: [JobState], expected: Int32) {
        var verdict = WatchVerdict(exitStatus: true)
        let first = states.map { WatchVerdict.Stage(lastGoodPoll: at(1), newest: $0) }
        #expect(verdict.observe(error: nil, at: at(1), stages: first) == .confirm)
        // Only one stage has answered again: not yet.
        var half = first
        half[0].lastGoodPoll = at(2)
        #expect(verdict.observe(error: nil, at: at(2), stages: half) == .keepGoing)
        let second = states.map { WatchVerdict.Stage(lastGoodPoll: at(3), newest: $0) }
        #expect(verdict.observe(error: nil, at: at(3), stages: second) == .exit(expected))
    }

    @Test func aStageQueuedDuringTheConfirmationKeepsTheWatchGoing() {
        var verdict = WatchVerdict(exitStatus: true)
        let done = [WatchVerdict.Stage(lastGoodPoll: at(1), newest: .successful), .init(lastGoodPoll: at(1), newest: .successful)]
        #expect(verdict.observe(error: nil, at: at(1), stages: done) == .confirm)
        let queued = [WatchVerdict.Stage(lastGoodPoll: at(2), newest: .successful), .init(lastGoodPoll: at(2), newest: .waiting)]
        #expect(verdict.observe(error: nil, at: at(2), stages: queued) == .keepGoing)
        // It runs and fails: a new confirmation round, then exit 1.
        let failed = [WatchVerdict.Stage(lastGoodPoll: at(3), newest: .successful), .init(lastGoodPoll: at(3), newest: .failed)]
        #expect(verdict.observe(error: nil, at: at(3), stages: failed) == .confirm)
        let again = [WatchVerdict.Stage(lastGoodPoll: at(4), newest: .successful), .init(lastGoodPoll: at(4), newest: .failed)]
        #expect(verdict.observe(error: nil, at: at(4), stages: again) == .exit(1))
    }

    @Test func aStageThatNeverAnsweredIsNotDone() {
        var verdict = WatchVerdict(exitStatus: true)
        let stages = [WatchVerdict.Stage(lastGoodPoll: at(1), newest: .successful), .init(lastGoodPoll: nil, newest: nil)]
        #expect(verdict.observe(error: nil, at: at(1), stages: stages) == .keepGoing)
    }

    @Test func aStageWithNoJobsCountsAsDone() {
        var verdict = WatchVerdict(exitStatus: true)
        let stages = [WatchVerdict.Stage(lastGoodPoll: at(1), newest: nil)]
        #expect(verdict.observe(error: nil, at: at(1), stages: stages) == .confirm)
        #expect(verdict.observe(error: nil, at: at(2), stages: [.init(lastGoodPoll: at(2), newest: nil)]) == .exit(0))
    }

    @Test(arguments: [SWRError.unauthorized(message: nil), .notFound(message: nil), .redirect(status: 307, location: "https://x/"), .badRequest(message: nil)])
    func aPermanentErrorEndsAnyWatchWithExit3(error: SWRError) {
        var plain = WatchVerdict(exitStatus: false)
        #expect(plain.observe(error: error, at: at(1), stages: []) == .exit(3))
        var status = WatchVerdict(exitStatus: true)
        #expect(status.observe(error: error, at: at(1), stages: []) == .exit(3))
    }

    @Test(arguments: [SWRError.timeout, .server(status: 502, message: nil), .rateLimited(retryAfter: 2, message: nil), .transport("x"), .decoding("x")])
    func transientErrorsNeverEndAWatch(error: SWRError) {
        var verdict = WatchVerdict(exitStatus: true)
        let running = [WatchVerdict.Stage(lastGoodPoll: at(1), newest: .building)]
        #expect(verdict.observe(error: error, at: at(1), stages: running) == .keepGoing)
    }

    @Test func withoutExitStatusAFinishedRunKeepsWatching() {
        var verdict = WatchVerdict(exitStatus: false)
        let done = [WatchVerdict.Stage(lastGoodPoll: at(1), newest: .failed)]
        #expect(verdict.observe(error: nil, at: at(1), stages: done) == .keepGoing)
        #expect(verdict.observe(error: nil, at: at(2), stages: done) == .keepGoing)
    }
}
