import Foundation
import Testing
@testable import SWRAPI
@testable import SWRWatch

/// 100,000 poll results through the store: what it holds stays under the documented caps
/// (per stage: the answer's jobs plus 50 gone ones, 256 observations each; 1,000 events).
@Suite struct MemoryTests {
    @Test func storeStaysBounded() {
        var store = HistoryStore()
        var rng = SeededRandom(seed: 99)
        let targets = (0..<50).map { Target(pipeline: 1000 + $0 / 5, stage: $0 % 5) }
        var runs = [Int](repeating: 0, count: targets.count)
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        for n in 0..<100_000 {
            let index = Int(rng.next() % UInt64(targets.count))
            runs[index] += 1
            let newest = runs[index]
            // A sliding window of 25 jobs; the newest one builds.
            let jobs = (0..<25).map { k -> Job in
                let id = newest - k
                return Job(id: String(id), state: k == 0 ? .building : .successful, progress: k == 0 ? n % 100 : 100,
                           duration: k == 0 ? n % 600 : 60, createdAt: base.addingTimeInterval(Double(id)))
            }
            let at = base.addingTimeInterval(Double(n))
            store.apply(PollResult(target: targets[index], outcome: .success(jobs), startedAt: at, endedAt: at, nextPollAt: at))
        }
        #expect(store.events.count == HistoryStore.eventCap)
        #expect(store.timelineCount <= targets.count * (25 + HistoryStore.goneCap))
        var observations = 0
        for target in targets {
            #expect(store[target]?.gone.count ?? 0 <= HistoryStore.goneCap)
            for job in store[target]?.jobs ?? [] {
                let timeline = store.timeline(target, jobID: job.id)
                #expect(timeline.count <= HistoryStore.timelineCap)
                observations += timeline.count
            }
        }
        // The documented bound for this load: 50 stages × 75 jobs × 256 observations.
        #expect(observations <= 50 * 75 * HistoryStore.timelineCap)
    }
}
