import Foundation
import Testing
@testable import SWRAPI
@testable import SWRWatch

/// What an earlier session saw (the history file) fills a stage until its first poll answers.
@Suite struct StoreSeedTests {
    let target = Target(pipeline: 1, stage: 0)
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func seededJobsShowUntilTheFirstAnswerWhichIsStillTheBaseline() {
        var store = HistoryStore()
        let old = [job("2", .building, progress: 40, created: 1_699_999_000), job("1", .successful, created: 1_699_990_000)]
        let seen = t0.addingTimeInterval(-3600)
        store.seed(target, jobs: old, timelines: ["2": [Observation(at: seen.addingTimeInterval(-60), state: .waiting, progress: nil, duration: nil),
                                                       Observation(at: seen, state: .building, progress: 40, duration: 20)]], seenAt: seen)
        #expect(store[target]?.jobs.map(\.id) == ["2", "1"])
        #expect(store[target]?.fromHistory == seen)
        #expect(store[target]?.lastGoodPoll == nil)
        #expect(store.timeline(target, jobID: "2").count == 2)
        // The first answer: the job finished while swr-top was closed. A baseline: no changes.
        let changes = store.apply(PollResult(target: target, outcome: .success([job("2", .successful, progress: 100, created: 1_699_999_000), old[1]]),
                                             startedAt: t0, endedAt: t0, nextPollAt: t0))
        #expect(changes.isEmpty)
        #expect(store[target]?.fromHistory == nil)
        #expect(store.timeline(target, jobID: "2").map(\.state) == [.waiting, .building, .successful])
    }

    @Test func aStageThatAnsweredIsNeverOverwritten() {
        var store = HistoryStore()
        store.apply(PollResult(target: target, outcome: .success([job("9", .building)]), startedAt: t0, endedAt: t0, nextPollAt: t0))
        store.seed(target, jobs: [job("1", .successful)], timelines: [:], seenAt: t0)
        #expect(store[target]?.jobs.map(\.id) == ["9"])
        #expect(store[target]?.fromHistory == nil)
    }
}
