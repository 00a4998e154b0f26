import Foundation
import Testing
import SWRAPI
@testable import SWRWatch

/// A stage keeps at most `HistoryStore.jobCap` newest jobs, whatever a server sends, and jobs
/// that fall beyond the cap are not reported as gone.
@Suite(.timeLimit(.minutes(3))) struct StoreCapTests {
    /// Jobs `first...last`, newest (highest number) first, created one second apart.
    func jobs(_ range: ClosedRange<Int>, state: JobState = .successful) -> [Job] {
        range.reversed().map { job(String($0), state, progress: 100, duration: 10, created: Double($0)) }
    }

    func ids(_ store: HistoryStore) -> [String] { store[t]?.jobs.map(\.id) ?? [] }

    @Test func aHugeAnswerKeepsOnlyTheNewestJobs() {
        var store = HistoryStore()
        // 100,000 jobs, oldest first (so the store must sort them).
        let huge = Array(jobs(1...100_000).reversed())
        #expect(store.apply(result(huge, at: 0)).isEmpty)
        #expect(HistoryStore.jobCap == 200)
        #expect(ids(store) == (99_801...100_000).reversed().map(String.init))
        #expect(store[t]?.omittedJobs == 99_800)
        #expect(store.timelineCount == HistoryStore.jobCap)
        // The same answer again: nothing changed, nothing disappeared.
        #expect(store.apply(result(huge, at: 3)).isEmpty)
        #expect(store.timelineCount == HistoryStore.jobCap)
    }

    @Test func jobsPushedBeyondTheCapAreNotGone() {
        var store = HistoryStore()
        store.apply(result(jobs(1...1_000), at: 0))
        var all: [JobChange] = []
        // A new job every poll: each pushes the oldest kept one beyond the cap.
        for n in 1_001...1_300 {
            let changes = store.apply(result(jobs(1...n), at: Double(n)))
            #expect(changes.map(\.kind) == [.appeared(job(String(n), .successful, progress: 100, duration: 10, created: Double(n)))])
            all += changes
        }
        #expect(!all.contains { if case .disappeared = $0.kind { true } else { false } })
        #expect(ids(store) == (1_101...1_300).reversed().map(String.init))
        #expect(store[t]?.gone.count == 0)
        // Timelines of jobs beyond the cap go with them.
        #expect(store.timelineCount == HistoryStore.jobCap)
        #expect(store.timeline(t, jobID: "1100").isEmpty)
    }

    @Test func aJobBackFromBeyondTheCapIsNotNew() {
        var store = HistoryStore()
        store.apply(result(jobs(1...500), at: 0))
        // The newest job leaves the history: the next older one comes back into the kept list.
        let changes = store.apply(result(jobs(1...499), at: 3))
        #expect(changes.map(\.kind) == [.disappeared(jobID: "500")])
        #expect(ids(store).count == HistoryStore.jobCap)
        #expect(ids(store).last == "300")
        #expect(store[t]?.gone.count == 1)
        // A genuinely new job is still news.
        let next = store.apply(result(jobs(1...499) + [job("9999", .waiting, created: 10_000)], at: 6))
        #expect(next.map(\.kind) == [.appeared(job("9999", .waiting, created: 10_000))])
    }

    @Test func aJobThatLeavesTheWholeAnswerIsStillGone() {
        var store = HistoryStore()
        store.apply(result(jobs(1...300), at: 0))
        // A kept job vanishes from the answer (not merely pushed back).
        let answer = jobs(1...300).filter { $0.id != "250" }
        let changes = store.apply(result(answer, at: 3))
        #expect(changes.map(\.kind) == [.disappeared(jobID: "250")])
        #expect(ids(store).count == HistoryStore.jobCap)
        #expect(store.timelineCount <= HistoryStore.jobCap + HistoryStore.goneCap)
    }

    @Test func smallAnswersAreKeptWhole() {
        var store = HistoryStore()
        store.apply(result(jobs(1...HistoryStore.jobCap), at: 0))
        #expect(ids(store).count == HistoryStore.jobCap)
        #expect(store[t]?.omittedJobs == 0)
    }
}
