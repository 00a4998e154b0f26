import Foundation
import Testing
import SWRAPI
@testable import SWRWatch

let t = Target(pipeline: 1024, stage: 1)
let base = Date(timeIntervalSince1970: 1_700_000_000)

func result(_ jobs: [Job], at seconds: Double, target: Target = t) -> PollResult {
    let at = base.addingTimeInterval(seconds)
    return PollResult(target: target, outcome: .success(jobs), startedAt: at, endedAt: at, nextPollAt: at.addingTimeInterval(3))
}

func failure(_ error: SWRError, at seconds: Double) -> PollResult {
    let at = base.addingTimeInterval(seconds)
    return PollResult(target: t, outcome: .failure(error), startedAt: at, endedAt: at, nextPollAt: at.addingTimeInterval(8), failureStreak: 1)
}

@Suite struct StoreTests {
    @Test func firstAnswerIsTheBaseline() {
        var store = HistoryStore()
        let changes = store.apply(result([job("1", .successful, progress: 100, duration: 12)], at: 0))
        #expect(changes.isEmpty)
        #expect(store[t]?.jobs.map(\.id) == ["1"])
        #expect(store.timeline(t, jobID: "1").count == 1)
    }

    @Test func everyChangeKind() {
        var store = HistoryStore()
        store.apply(result([job("1", .successful, progress: 100, duration: 12, created: 10), job("0", .failed, created: 5)], at: 0))
        let appeared = store.apply(result([job("2", .waiting, progress: 0, duration: 0, created: 20), job("1", .successful, progress: 100, duration: 12, created: 10)], at: 3))
        #expect(appeared.map(\.kind) == [.appeared(job("2", .waiting, progress: 0, duration: 0, created: 20)), .disappeared(jobID: "0")])
        let moved = store.apply(result([job("2", .building, progress: 41, duration: 6, created: 20), job("1", .successful, progress: 100, duration: 12, created: 10)], at: 6))
        #expect(moved.map(\.kind) == [
            .stateChanged(jobID: "2", from: .waiting, to: .building),
            .progressChanged(jobID: "2", from: 0, to: 41),
            .durationChanged(jobID: "2", from: 0, to: 6),
        ])
        let failed = store.apply(failure(.server(status: 500, message: nil), at: 9))
        #expect(failed.map(\.kind) == [.targetFailed(.server(status: 500, message: nil))])
        #expect(store[t]?.isStale == true)
        #expect(store[t]?.jobs.map(\.id) == ["2", "1"])  // the last good list stays
        #expect(store[t]?.lastGoodPoll == base.addingTimeInterval(6))
        // The same error again is not news.
        #expect(store.apply(failure(.server(status: 500, message: nil), at: 12)).isEmpty)
        let recovered = store.apply(result([job("2", .building, progress: 41, duration: 6, created: 20), job("1", .successful, progress: 100, duration: 12, created: 10)], at: 15))
        #expect(recovered.map(\.kind) == [.targetRecovered])
        #expect(store[t]?.isStale == false)
        // Duration ticks stay out of the events pane.
        #expect(store.events.elements.contains { if case .durationChanged = $0.kind { true } else { false } } == false)
        #expect(store.events.count == 6)
    }

    @Test func listIsSortedNewestFirst() {
        var store = HistoryStore()
        store.apply(result([job("1", .successful, created: 10), job("3", .failed, created: 30), job("2", .failed, created: 20), job("9", .waiting)], at: 0))
        #expect(store[t]?.jobs.map(\.id) == ["3", "2", "1", "9"])
    }

    @Test func timelineAppendsOnlyOnChangeAndIsCapped() {
        var store = HistoryStore()
        store.apply(result([job("1", .building, progress: 0, duration: 0)], at: 0))
        store.apply(result([job("1", .building, progress: 0, duration: 0)], at: 1))
        #expect(store.timeline(t, jobID: "1").count == 1)
        for i in 1...400 {
            store.apply(result([job("1", .building, progress: i % 100, duration: i)], at: Double(i)))
        }
        let timeline = store.timeline(t, jobID: "1")
        #expect(timeline.count == HistoryStore.timelineCap)
        #expect(timeline.last?.duration == 400)
    }

    /// A running job's duration moves with every answer: the timeline gets a row when its state
    /// or progress moves, when it ends, and for the clock alone once a minute.
    @Test func aRunningJobsClockAloneAddsATimelineRowOnceAMinute() {
        var store = HistoryStore()
        for second in stride(from: 0, through: 57, by: 3) {
            store.apply(result([job("1", .building, progress: 40, duration: 100 + second)], at: Double(second)))
        }
        #expect(store.timeline(t, jobID: "1").map(\.duration) == [100])
        store.apply(result([job("1", .building, progress: 40, duration: 160)], at: 60))
        #expect(store.timeline(t, jobID: "1").map(\.duration) == [100, 160])
        store.apply(result([job("1", .building, progress: 41, duration: 163)], at: 63))
        store.apply(result([job("1", .successful, progress: 41, duration: 164)], at: 64))
        store.apply(result([job("1", .successful, progress: 41, duration: 170)], at: 65))
        #expect(store.timeline(t, jobID: "1").map(\.duration) == [100, 160, 163, 164, 170], "a finished job's corrected duration is a row")
        // The jobs themselves always carry the newest duration.
        #expect(store[t]?.jobs.first?.duration == 170)
    }

    /// Progress that stands still lowers the rate as the polls go on, though the timeline keeps
    /// no row for them: the latest answer counts as the newest observation.
    @Test func theEtaOfAJobWhoseProgressStandsStillGrowsWithEveryPoll() throws {
        var store = HistoryStore()
        store.apply(result([job("1", .building, progress: 10, duration: 0)], at: 0))
        store.apply(result([job("1", .building, progress: 20, duration: 10)], at: 10))
        for second in stride(from: 13, through: 40, by: 3) {
            store.apply(result([job("1", .building, progress: 20, duration: second)], at: Double(second)))
        }
        store.apply(result([job("1", .building, progress: 20, duration: 41)], at: 41))
        #expect(store.timeline(t, jobID: "1").count == 2)
        // 10 points in 41 s: 80 points to go take 328 s (the answer is as old as now).
        let eta = try #require(store.summary(t, now: base.addingTimeInterval(41)).eta)
        #expect(abs(eta - 328) < 0.001)
    }

    @Test func eventLogAndGoneJobsAreCapped() {
        var store = HistoryStore()
        store.apply(result([], at: 0))
        for i in 1...1500 {
            store.apply(result([job(String(i), .waiting, created: Double(i))], at: Double(i)))
        }
        #expect(store.events.count == HistoryStore.eventCap)
        #expect(store[t]?.gone.count == HistoryStore.goneCap)
        #expect(store.timelineCount <= HistoryStore.goneCap + 1)
    }

    @Test func etaFromObservedRate() {
        var store = HistoryStore()
        store.apply(result([job("1", .building, progress: 10, duration: 10)], at: 0))
        store.apply(result([job("1", .building, progress: 30, duration: 20)], at: 10))
        // 2%/s observed; 70% left → 35 s after the last observation; 5 s have passed since.
        let summary = store.summary(t, now: base.addingTimeInterval(15))
        #expect(summary.eta == 30)
        #expect(summary.progress == 30)
    }

    @Test func etaFromHistoryAndSlowFlag() {
        var store = HistoryStore()
        let history = [job("5", .building, progress: 0, duration: 20, created: 50)]
            + [60, 40, 50, 45, 1000].enumerated().map { job(String($0.offset), $0.element == 1000 ? .failed : .successful, progress: 100, duration: $0.element, created: Double($0.offset)) }
        store.apply(result(history, at: 0))
        let summary = store.summary(t, now: base)
        #expect(summary.usualDuration == 47)  // median of 60, 40, 50, 45 (the failed run is ignored)
        #expect(summary.eta == 27)
        #expect(summary.isSlow == false)
        store.apply(result([job("5", .building, progress: 0, duration: 90, created: 50)] + history.dropFirst(), at: 70))
        #expect(store.summary(t, now: base.addingTimeInterval(70)).isSlow)
        #expect(store.summary(t, now: base.addingTimeInterval(70)).eta == nil)
    }

    @Test func pipelineProgress() {
        var store = HistoryStore()
        for (stage, j) in [job("a", .successful, progress: 100), job("b", .building, progress: 50), job("c", .successful, progress: 100)].enumerated() {
            store.apply(result([j], at: 0, target: Target(pipeline: 7, stage: stage)))
        }
        let (running, fraction) = store.pipelineProgress(pipeline: 7, stages: [0, 1, 2, 3])
        #expect(running == 1)
        #expect(fraction == 1.5 / 4)
    }

    @Test func requestsPerMinute() {
        var store = HistoryStore()
        for i in 0..<30 { store.apply(result([], at: Double(i) * 4)) }
        #expect(store.requestsPerMinute(now: base.addingTimeInterval(116)) == 15)
    }

    @Test func anySequenceKeepsCapsAndTheLastGoodAnswer() {
        var rng = SeededRandom(seed: 2024)
        let states: [JobState] = JobState.known + [.unknown("rollbacking")]
        var store = HistoryStore()
        var lastGood: [Job]?
        for step in 0..<3000 {
            let at = Double(step)
            if rng.unit() < 0.2 {
                store.apply(failure([SWRError.timeout, .server(status: 503, message: nil), .decoding("x")][Int(rng.next() % 3)], at: at))
                continue
            }
            let count = Int(rng.next() % 30)
            let jobs = (0..<count).map { _ in
                let id = String(rng.next() % 60)
                return job(id, states[Int(rng.next() % UInt64(states.count))], progress: Int(rng.next() % 130) - 10,
                           duration: Int(rng.next() % 500), created: rng.unit() < 0.9 ? Double(rng.next() % 1000) : nil)
            }
            // Ids are unique within one answer, as the service's are.
            var seen = Set<String>()
            let unique = jobs.filter { seen.insert($0.id).inserted }
            store.apply(result(unique, at: at))
            lastGood = unique
        }
        #expect(store[t]?.jobs == lastGood?.sorted(by: Job.newestFirst))
        #expect(store.events.count <= HistoryStore.eventCap)
        #expect(store.timelineCount <= 60)
        for id in 0..<60 { #expect(store.timeline(t, jobID: String(id)).count <= HistoryStore.timelineCap) }
    }
}
