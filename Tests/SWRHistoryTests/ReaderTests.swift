import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRHistory

@Suite struct StatisticsTests {
    @Test func percentilesOfOddEvenAndEmptySamples() {
        #expect(UsualDuration(durations: []) == nil)
        #expect(UsualDuration(durations: [42]) == UsualDuration(samples: 1, p50: 42, p90: 42))
        #expect(UsualDuration(durations: [30, 10, 20]) == UsualDuration(samples: 3, p50: 20, p90: 28))
        #expect(UsualDuration(durations: [40, 10, 30, 20]) == UsualDuration(samples: 4, p50: 25, p90: 37))
        let ten = UsualDuration(durations: Array(1...10))
        #expect(ten?.p50 == 5.5)
        #expect(abs((ten?.p90 ?? 0) - 9.1) < 1e-9)
        #expect(Percentile.of([5, 1, 3], 0) == 1)
        #expect(Percentile.of([5, 1, 3], 100) == 5)
        #expect(Percentile.of([5, 1, 3], 250) == 5)
        #expect(Percentile.of([5, 1, 3], -1) == 1)
        #expect(Percentile.of([Int.max, Int.max], 50) == Double(Int.max))
        #expect(Percentile.of([], 50) == nil)
    }

    @Test func flakinessCountsFlipsInTheNewestTenDecidedJobs() {
        let s = JobState.successful, f = JobState.failed, t = JobState.timeout, c = JobState.cancelled, b = JobState.building
        #expect(Flakiness.flips([s, f, s, f]) == 3)
        #expect(Flakiness.isFlaky([s, f, s, f]))
        #expect(!Flakiness.isFlaky([s, f, s]))
        #expect(!Flakiness.isFlaky([s, s, s, f, f, f]))
        // Timeouts count as failures; cancelled and unfinished jobs are skipped.
        #expect(Flakiness.isFlaky([b, s, c, t, c, s, .unknown("x"), f]))
        #expect(!Flakiness.isFlaky([f, f, f, f, f, f, f, f, f, f, s, f, s, f]))
        #expect(Flakiness.isFlaky([f, f, f, f, f, f, f, s, f, s]))
        #expect(!Flakiness.isFlaky([]))
    }

    @Test func outcomeCountsLeaveCancelledOutOfTheRate() {
        var counts = OutcomeCounts()
        #expect(counts.successRate == nil)
        counts.add(.cancelled)
        counts.add(.building)
        #expect(counts.successRate == nil)
        counts.add(.successful, count: 3)
        counts.add(.failed)
        #expect(counts.successRate == 0.75)
        counts.add(.timeout)
        #expect(counts == OutcomeCounts(successful: 3, failed: 1, timedOut: 1, cancelled: 1))
        #expect(counts.successRate == 0.6)
    }
}

@Suite(.timeLimit(.minutes(3))) struct ReaderTests {
    let other = Target(pipeline: 2048, stage: 0)

    @Test func usualComesFromTheLastSuccessfulJobsAcrossSessions() async throws {
        try await withFolder { folder async throws in
            let path = folder + "/history.sqlite"
            // Two sessions, each seeing part of the stage's history.
            for session in 0..<2 {
                let database = try HistoryDatabase.open(path: path)
                let writer = HistoryWriter(database: database, host: host)
                let range = session == 0 ? 1...12 : 13...25
                let jobs = range.map { job("\($0)", .successful, progress: 100, duration: $0, created: Double($0) * 100) }
                    + [job("f\(session)", .failed, duration: 1000, created: 5000), job("r\(session)", .building, duration: 999, created: 5001),
                       job("n\(session)", .successful, duration: nil, created: 5002)]
                await write(batch(poll(jobs, at: Double(session) * 10_000)), writer)
                await writer.close()
                database.close()
            }
            let database = try HistoryDatabase.open(path: path)
            let reader = HistoryReader(database: database, host: host)
            // The newest 20 successful with a duration: 6...25.
            let usual = try #require(try await reader.usualDuration(stage))
            #expect(usual.samples == 20)
            #expect(usual.p50 == 15.5)
            #expect(abs(usual.p90 - 23.1) < 1e-9)
            #expect(try await reader.usualDuration(stage, samples: 3) == UsualDuration(samples: 3, p50: 24, p90: 24.8))
            #expect(try await reader.usualDuration(other) == nil)
            #expect(try await HistoryReader(database: database, host: "elsewhere.example.com").usualDuration(stage) == nil)
            database.close()
        }
    }

    @Test func successRatesPerWindow() async throws {
        try await withHistory { _, writer, reader async throws in
            let hour = 3600.0, day = 86_400.0
            let now = at(40 * day)
            func ago(_ seconds: Double) -> Double { 40 * day - seconds }
            let jobs = [
                job("1", .successful, created: ago(hour)),
                job("2", .failed, created: ago(2 * hour)),
                job("3", .cancelled, created: ago(3 * hour)),
                job("4", .building, created: ago(60)),
                job("5", .successful, created: ago(day)),          // exactly 24 h: in the day
                job("6", .timeout, created: ago(day + 1)),
                job("7", .successful, created: ago(6 * day)),
                job("8", .failed, created: ago(8 * day)),
                job("9", .successful, created: ago(29 * day)),
                job("10", .successful, created: ago(31 * day)),    // outside every window
                job("11", .unknown("paused"), created: ago(hour)),
            ]
            await write(batch(poll(jobs, at: 40 * day)), writer)
            let rates = try await reader.successRates(stage, now: now)
            #expect(rates.day == OutcomeCounts(successful: 2, failed: 1, cancelled: 1))
            #expect(rates.week == OutcomeCounts(successful: 3, failed: 1, timedOut: 1, cancelled: 1))
            #expect(rates.month == OutcomeCounts(successful: 4, failed: 2, timedOut: 1, cancelled: 1))
            #expect(rates.day.successRate == 2.0 / 3.0)
            #expect(rates.month.successRate == 4.0 / 7.0)
            // Nothing in the last day of a quiet stage: no rate, not 0 %.
            #expect(try await reader.successRates(stage, now: at(80 * day)).day.successRate == nil)
        }
    }

    @Test func weekOutcomesSlideWithTheTimeAskedFor() async throws {
        try await withHistory { _, writer, reader async throws in
            let day = 86_400.0
            let jobs = [
                job("1", .successful, created: 40 * day - 3600),
                job("2", .failed, created: 40 * day - 2 * day),
                job("3", .successful, created: 40 * day - 6 * day),
                job("4", .timeout, created: 40 * day - 8 * day),      // outside the week
                job("5", .building, created: 40 * day - 60),          // not decided
            ]
            await write(batch(poll(jobs, at: 40 * day)), writer)
            let week = try await reader.weekOutcomes([stage, other], now: at(40 * day))
            // Every stage asked for has an answer; the same counts as the pane's week.
            #expect(week == [stage: OutcomeCounts(successful: 2, failed: 1), other: OutcomeCounts()])
            #expect(week[stage] == (try await reader.successRates(stage, now: at(40 * day))).week)
            // Two days on, the six-day-old success has left the window; eight days on, all but the newest.
            #expect(try await reader.weekOutcomes([stage], now: at(42 * day))[stage] == OutcomeCounts(successful: 1, failed: 1))
            #expect(try await reader.weekOutcomes([stage], now: at(46 * day) + 3000)[stage] == OutcomeCounts(successful: 1))
        }
    }

    @Test func theLast100JobsNewestFirstAndTheFlakyMark() async throws {
        try await withHistory { _, writer, reader async throws in
            // 120 jobs alternating success/failure; two share a creation time (ordered by id, numerically).
            var jobs = (1...120).map { job("\($0)", $0 % 2 == 0 ? .successful : .failed, duration: $0, created: Double($0) * 60) }
            jobs.append(job("1000", .successful, duration: 5, created: 120 * 60))
            await write(batch(poll(jobs, at: 8000)), writer)
            let recent = try await reader.recentJobs(stage)
            #expect(recent.count == 100)
            #expect(recent.prefix(3).map(\.id) == ["1000", "120", "119"])
            #expect(recent.first == HistoricJob(id: "1000", state: .successful, duration: 5, createdAt: at(7200), firstSeen: at(8000)))
            #expect(try await reader.isFlaky(stage))
            let history = try await reader.stageHistory(stage, now: at(8000))
            #expect(history.recent == recent)
            #expect(history.isFlaky)
            #expect(history.usual?.samples == 20)
            #expect(history.rates.day.decided == 121)
            // A stage that broke once and stayed broken is not flaky.
            let broken = (1...12).map { job("b\($0)", $0 < 6 ? .successful : .failed, created: Double($0)) }
            await write(batch(poll(broken, at: 8003, target: other)), writer)
            #expect(try await reader.isFlaky(other) == false)
        }
    }

    @Test func aJobsStoredTimeline() async throws {
        try await withHistory { _, writer, reader async throws in
            let steps: [(JobState, Int?, Int?)] = [(.waiting, 0, 0), (.building, 0, 3), (.building, 0, 3), (.building, 40, 9), (.successful, 100, 21), (.successful, 100, 21)]
            for (i, step) in steps.enumerated() {
                await write(batch(poll([job("77", step.0, progress: step.1, duration: step.2, created: 0)], at: Double(i) * 3)), writer)
            }
            #expect(try await reader.timeline(of: JobRef(target: stage, jobID: "77")) == [
                Observation(at: at(0), state: .waiting, progress: 0, duration: 0),
                Observation(at: at(3), state: .building, progress: 0, duration: 3),
                Observation(at: at(9), state: .building, progress: 40, duration: 9),
                Observation(at: at(12), state: .successful, progress: 100, duration: 21),
            ])
            #expect(try await reader.timeline(of: JobRef(target: stage, jobID: "78")).isEmpty)
            #expect(try await reader.timeline(of: JobRef(target: other, jobID: "77")).isEmpty)
        }
    }

    @Test func lastKnownJobsFillTheStoreBeforeTheFirstPoll() async throws {
        try await withHistory { _, writer, reader async throws in
            let finished = (1...60).map { job("\($0)", .successful, progress: 100, duration: 30, created: Double($0)) }
            await write(batch(poll(finished + [job("61", .waiting, progress: 0, created: 61)], at: 100),
                              poll([job("x", .failed, created: 5)], at: 100, target: other)), writer)
            await write(batch(poll(finished + [job("61", .building, progress: 20, duration: 6, created: 61)], at: 103),
                              poll([job("x", .failed, created: 5)], at: 103, target: other)), writer)

            #expect(try await reader.knownTargets() == [stage, other])
            let known = try await reader.lastKnown()
            #expect(known.map(\.target) == [stage, other])
            #expect(known[0].jobs.count == 50)
            #expect(known[0].jobs.first == job("61", .building, progress: 20, duration: 6, created: 61))
            #expect(known[0].jobs.last?.id == "12")
            // Only the unfinished job's timeline comes along by default.
            #expect(known[0].timelines == ["61": [
                Observation(at: at(100), state: .waiting, progress: 0, duration: nil),
                Observation(at: at(103), state: .building, progress: 20, duration: 6),
            ]])
            #expect(known[0].lastSeen == at(103))
            #expect(known[1].lastSeen == at(100))

            let some = try await reader.lastKnown(targets: [other, Target(pipeline: 9, stage: 9)], jobsPerStage: 5, timelines: .all)
            #expect(some == [KnownStage(target: other, jobs: [job("x", .failed, created: 5)],
                                        timelines: ["x": [Observation(at: at(100), state: .failed, progress: nil, duration: nil)]], lastSeen: at(100))])
            #expect(try await reader.lastKnown(timelines: .none).allSatisfy { $0.timelines.isEmpty })

            // They seed the in-memory store as they are.
            var store = HistoryStore()
            for known in known { store.seed(known.target, jobs: known.jobs, timelines: known.timelines, seenAt: known.lastSeen) }
            #expect(store[stage]?.jobs == known[0].jobs)
            #expect(store[stage]?.fromHistory == at(103))
            #expect(store.timeline(stage, jobID: "61") == known[0].timelines["61"])
        }
    }
}
