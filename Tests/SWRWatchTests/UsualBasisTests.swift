import Foundation
import Testing
@testable import SWRAPI
@testable import SWRWatch

/// "Usual" across sessions: the history file's newest successful jobs, with those this session
/// sees succeed merged in; p50 for the usual and the ETA, p90 for "slower than usual".
@Suite struct UsualBasisTests {
    let target = Target(pipeline: 1, stage: 0)
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func sample(_ id: String, _ duration: Int, hoursAgo: Double) -> UsualSample {
        UsualSample(jobID: id, duration: duration, at: t0.addingTimeInterval(-hoursAgo * 3600))
    }

    func result(_ jobs: [Job], at seconds: Double) -> PollResult {
        PollResult(target: target, outcome: .success(jobs), startedAt: t0.addingTimeInterval(seconds), endedAt: t0.addingTimeInterval(seconds), nextPollAt: t0)
    }

    @Test func mergeKeepsTheNewestSuccessesAndDropsJobsNoLongerSuccessful() {
        let basis = [sample("3", 30, hoursAgo: 1), sample("2", 20, hoursAgo: 2), sample("1", 10, hoursAgo: 3)]
        let jobs = [
            Job(id: "5", state: .successful, duration: 50, createdAt: t0),
            Job(id: "4", state: .failed, duration: 40, createdAt: t0.addingTimeInterval(-60)),
            Job(id: "3", state: .failed, duration: 31, createdAt: t0.addingTimeInterval(-3600)),  // re-run: no longer a success
            Job(id: "6", state: .successful, duration: -5, createdAt: t0),  // no usable duration
            Job(id: "7", state: .successful, duration: 70),  // no creation time: seen now
        ]
        let merged = UsualSample.merge(basis, jobs, seenAt: t0.addingTimeInterval(10), cap: 3)
        #expect(merged.map(\.jobID) == ["7", "5", "2"])
        #expect(merged.first?.at == t0.addingTimeInterval(10))
        #expect(UsualSample.merge(basis, [], seenAt: t0, cap: 0).isEmpty)
    }

    @Test func withoutHistoryUsualIsTheMedianOfTheJobsInMemory() {
        var store = HistoryStore()
        store.apply(result([Job(id: "2", state: .building, duration: 25, createdAt: t0),
                            Job(id: "1", state: .successful, duration: 20, createdAt: t0.addingTimeInterval(-100))], at: 0))
        let summary = store.summary(target, now: t0)
        #expect(summary.usualDuration == 20 && summary.usual == nil)
        // Beyond the median is slow without history.
        #expect(summary.isSlow)
    }

    @Test func withHistoryTheFileSetsUsualAndEachSuccessMovesIt() {
        var store = HistoryStore()
        store.seedUsual(target, samples: (1...9).map { sample("h\($0)", 100, hoursAgo: Double($0)) } + [sample("h10", 200, hoursAgo: 10)], seenAt: t0)
        store.apply(result([Job(id: "a", state: .building, duration: 150, createdAt: t0)], at: 0))
        var summary = store.summary(target, now: t0)
        #expect(summary.usual == UsualDuration(durations: Array(repeating: 100, count: 9) + [200]))
        #expect(summary.usual?.p50 == 100 && summary.usual.map { $0.p90.rounded() } == 110)
        #expect(summary.usualDuration == 100)
        // 150 s is beyond p50 but the test is p90 (110 s): slow; at 105 s it would not be.
        #expect(summary.isSlow)
        store.apply(result([Job(id: "a", state: .building, duration: 105, createdAt: t0)], at: 1))
        #expect(!store.summary(target, now: t0).isSlow)
        // Ten fast successes push the old samples out (20 kept).
        for n in 0..<20 {
            let created = t0.addingTimeInterval(Double(n + 1) * 100)
            store.apply(result([Job(id: "f\(n)", state: .building, duration: 1, createdAt: created), Job(id: "a", state: .successful, duration: 105, createdAt: t0)], at: Double(2 * n + 2)))
            store.apply(result([Job(id: "f\(n)", state: .successful, duration: 10, createdAt: created), Job(id: "a", state: .successful, duration: 105, createdAt: t0)], at: Double(2 * n + 3)))
        }
        summary = store.summary(target, now: t0)
        #expect(store[target]?.usualBasis?.count == HistoryStore.usualHistorySamples)
        #expect(summary.usualDuration == 10)
        #expect(store[target]?.usualBasis?.contains { $0.jobID.hasPrefix("h") } == false)
    }
}
