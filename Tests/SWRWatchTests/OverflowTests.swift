import Foundation
import Testing
import SWRAPI
@testable import SWRWatch

/// Any `Int` a server (or a hand-built `Job`) can hold and any date from year 1 to 9999 go
/// through the store, the summaries and the schedule without a trap, with sensible answers.
@Suite(.timeLimit(.minutes(3))) struct OverflowTests {
    static let ints = [Int.min, Int.min + 1, -1, 0, 1, 99, 100, 101, Int.max - 1, Int.max]
    static let dates: [Date?] = [
        nil, .distantPast, .distantFuture, Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1),
        Date(timeIntervalSinceReferenceDate: -63_113_904_000), // year 1
        Date(timeIntervalSinceReferenceDate: 252_423_993_599), // year 9999
    ]
    static let edgeDoubles: [Double] = [.nan, .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                        1e300, -1e300, 0, -0.0, 1e-300, -1, 0.5, 3, 86_400]

    @Test func clampingDoubleConversion() {
        #expect(Int(clampingDouble: .nan) == 0)
        #expect(Int(clampingDouble: .nan, nanValue: 7) == 7)
        #expect(Int(clampingDouble: .infinity) == .max)
        #expect(Int(clampingDouble: -.infinity) == .min)
        #expect(Int(clampingDouble: 1e300) == .max)
        #expect(Int(clampingDouble: -1e300) == .min)
        #expect(Int(clampingDouble: Double(Int.max)) == .max)  // 2^63: one past the range
        #expect(Int(clampingDouble: Double(Int.min)) == .min)
        #expect(Int(clampingDouble: 1.9) == 1)
        #expect(Int(clampingDouble: -1.9) == -1)
        #expect(Int64(clampingDouble: 9_007_199_254_740_992) == 9_007_199_254_740_992)
        #expect(UInt8(clampingDouble: -3) == 0)
        #expect(UInt8(clampingDouble: 300) == 255)
    }

    @Test func saturatingIntegerArithmetic() {
        #expect(Int.max.addingSaturating(1) == .max)
        #expect(Int.min.addingSaturating(-1) == .min)
        #expect(Int.min.subtractingSaturating(1) == .min)
        #expect(Int.max.subtractingSaturating(-1) == .max)
        #expect(0.subtractingSaturating(Int.min) == .max)
        #expect(Int.max.multipliedSaturating(by: 2) == .max)
        #expect(Int.min.multipliedSaturating(by: 2) == .min)
        #expect(Int.min.multipliedSaturating(by: -1) == .max)
        #expect(Int.midpoint(.max, .max) == .max)
        #expect(Int.midpoint(.min, .min) == .min)
        #expect(Int.midpoint(.min, .max) == 0)
        #expect(Int.midpoint(.max, .max - 1) == .max - 1)
        #expect(Int.midpoint(.min, -1) == Int.min / 2)
        #expect(Int.midpoint(3, 4) == 3)
        #expect(Int.midpoint(-3, -4) == -3)
        #expect(Int.midpoint(-3, 4) == 0)
    }

    /// Traps before the fix: the middle two were summed as `Int`.
    @Test func medianOfExtremeValues() {
        #expect(HistoryStore.median([Int.max, Int.max]) == .max)
        #expect(HistoryStore.median([Int.max, Int.max - 1]) == .max - 1)
        #expect(HistoryStore.median([Int.min, Int.min]) == .min)
        #expect(HistoryStore.median([Int.min, Int.max]) == 0)
        #expect(HistoryStore.median(Self.ints) == 50)  // the middle two are 1 and 99
        #expect(HistoryStore.median([Int]()) == nil)
    }

    @Test func watchInstantSaturates() {
        let start = WatchInstant(nanoseconds: 5)
        #expect(start.adding(.infinity) == .distantFuture)
        #expect(start.adding(1e300) == .distantFuture)
        #expect(start.adding(-.infinity) == WatchInstant(nanoseconds: .min))
        #expect(start.adding(.nan) == start)
        #expect(WatchInstant.distantFuture.adding(1) == .distantFuture)
        #expect(WatchInstant(nanoseconds: .min).adding(-1) == WatchInstant(nanoseconds: .min))
        #expect(WatchInstant.distantFuture.seconds(since: WatchInstant(nanoseconds: .min)).isFinite)
        #expect(start.adding(1.5).seconds(since: start) == 1.5)
        #expect(start.adding(1e-9 * 0.6) == WatchInstant(nanoseconds: 6))  // to the nearest nanosecond
        #expect(WatchInstant(nanoseconds: .min).adding(1.5e10) == WatchInstant(nanoseconds: .min).adding(1.5e10))
        #expect(WatchInstant(nanoseconds: .min).adding(1.5e10) > .zero)  // a long way from the start, exactly enough
    }

    @Test func rateETAFromAnyObservations() {
        for p0 in Self.ints {
            for p1 in Self.ints {
                for (d0, d1) in [(Date.distantPast, Date.distantFuture), (Date.distantFuture, .distantPast),
                                 (Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1e-9)),
                                 (Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 10))] {
                    let timeline = [Observation(at: d0, state: .building, progress: p0, duration: Int.min),
                                    Observation(at: d1, state: .building, progress: p1, duration: Int.max)]
                    for now in Self.dates.compactMap({ $0 }) {
                        if let eta = HistoryStore.rateETA(timeline, now: now) {
                            #expect(eta.isFinite && eta >= 0 && eta <= HistoryStore.maxETA)
                            // A sensible ETA: progress rose, within 0...100, and time ran forward.
                            #expect(d1 > d0 && min(100, max(0, p1)) > min(100, max(0, p0)))
                        }
                    }
                }
            }
        }
        // The ordinary case still works: 10% → 30% in 10 s, so 35 s from the last observation.
        let timeline = [Observation(at: Date(timeIntervalSince1970: 0), state: .building, progress: 10, duration: 10),
                        Observation(at: Date(timeIntervalSince1970: 10), state: .building, progress: 30, duration: 20)]
        #expect(HistoryStore.rateETA(timeline, now: Date(timeIntervalSince1970: 15)) == 30)
        // Progress beyond 100 counts as 100 (done): no ETA.
        let beyond = [timeline[0], Observation(at: Date(timeIntervalSince1970: 10), state: .building, progress: Int.max, duration: 20)]
        #expect(HistoryStore.rateETA(beyond, now: Date(timeIntervalSince1970: 15)) == nil)
        // A wall clock set back by a day does not stretch the estimate.
        #expect(HistoryStore.rateETA(timeline, now: Date(timeIntervalSince1970: 10 - 86_400)) == 35)
    }

    @Test func storeAndSummariesTakeAnyNumberAndDate() {
        var store = HistoryStore()
        let states: [JobState] = [.building, .successful, .failed, .waiting]
        var seconds = 0.0
        for (round, endedAt) in Self.dates.compactMap({ $0 }).enumerated() {
            var jobs: [Job] = []
            for (i, value) in Self.ints.enumerated() {
                for (j, created) in Self.dates.enumerated() {
                    jobs.append(Job(id: "\(i)-\(j)", state: states[(i + j + round) % states.count], progress: value, duration: value,
                                    createdAt: created, logCount: value))
                }
            }
            jobs.append(Job(id: String(Int.min), state: .building, progress: Int.max, duration: Int.min))
            jobs.append(Job(id: String(Int.max), state: .successful, progress: Int.min, duration: Int.max))
            for at in [endedAt, base.addingTimeInterval(seconds)] {
                seconds += 3
                let poll = PollResult(target: t, outcome: .success(round % 2 == 0 ? jobs : jobs.reversed()), startedAt: at, endedAt: at,
                                      nextPollAt: at.addingTimeInterval(3), failureStreak: Int.max)
                store.apply(poll)
                for now in Self.dates.compactMap({ $0 }) + [at] {
                    let summary = store.summary(t, now: now)
                    if let eta = summary.eta { #expect(eta.isFinite && eta >= 0 && eta <= HistoryStore.maxETA) }
                    if let usual = summary.usualDuration { #expect(usual >= 0) }
                    _ = store.requestsPerMinute(now: now)
                    let (_, fraction) = store.pipelineProgress(pipeline: t.pipeline, stages: [0, 1, 2])
                    #expect(fraction.isFinite && fraction >= 0 && fraction <= 1)
                }
            }
            store.apply(PollResult(target: t, outcome: .failure(.rateLimited(retryAfter: .infinity, message: nil)),
                                   startedAt: .distantFuture, endedAt: .distantPast, nextPollAt: .distantFuture, failureStreak: Int.min))
        }
        let kept = store[t]?.jobs ?? []
        #expect(kept.count == Self.ints.count * Self.dates.count + 2)
        #expect(kept == kept.sorted(by: Job.newestFirst))
        #expect(store.timelineCount <= kept.count + HistoryStore.goneCap)
    }

    @Test func summaryOfAnOrdinaryStageIsUnchanged() {
        var store = HistoryStore()
        store.apply(result([job("9", .building, progress: 50, duration: 30, created: 9)]
            + (0..<4).map { job(String($0), .successful, progress: 100, duration: [40, 60, -5, 50][$0], created: Double($0)) }, at: 0))
        let summary = store.summary(t, now: base)
        #expect(summary.usualDuration == 50)  // the negative duration is ignored (or absent)
        #expect(summary.eta == 20)
    }

    @Test func pollScheduleIsFiniteForAnySetting() {
        var schedules: [PollSchedule] = []
        for baseInterval in Self.edgeDoubles {
            for cap in [60.0, .nan, .infinity, 0, -1] {
                var schedule = PollSchedule(baseInterval: baseInterval)
                schedule.cap = cap
                schedule.settledFactor = [4, .nan, .infinity, -1][schedules.count % 4]
                schedule.minimumBackoff = [0.5, .nan, -.infinity, 1e300][schedules.count % 4]
                schedules.append(schedule)
            }
        }
        let errors: [SWRError] = [.timeout, .server(status: 500, message: nil)]
            + Self.edgeDoubles.map { SWRError.rateLimited(retryAfter: $0, message: nil) }
        // Checked in bulk (a million cases): one expectation per kind of bound.
        var badIntervals = 0, badCeilings = 0, badWaits = 0
        for schedule in schedules {
            let cap = schedule.safeCap
            for level in [PollSchedule.FocusLevel.focused, .samePipeline, .other] {
                for settled in [false, true] {
                    let interval = schedule.interval(level: level, settled: settled)
                    if !(interval.isFinite && interval >= PollSchedule.minimumInterval && interval <= cap) { badIntervals += 1 }
                }
            }
            for interval in Self.edgeDoubles {
                for failures in Self.ints {
                    let ceiling = schedule.backoffCeiling(interval: interval, failures: failures)
                    if !(ceiling.isFinite && ceiling >= PollSchedule.minimumInterval && ceiling <= cap) { badCeilings += 1 }
                    for error in errors {
                        for random in [0.0, 0.999, .nan, -1, 2] {
                            let wait = schedule.backoff(after: error, interval: interval, failures: failures, random: random)
                            if !(wait.isFinite && wait >= 0 && wait <= schedule.maximumRetryAfter) { badWaits += 1 }
                            if case .rateLimited = error {} else if wait > cap { badWaits += 1 }
                        }
                    }
                }
            }
        }
        #expect(badIntervals == 0)
        #expect(badCeilings == 0)
        #expect(badWaits == 0)
        // The ordinary schedule is as before.
        let ordinary = PollSchedule(baseInterval: 3)
        #expect(ordinary.interval(level: .other, settled: true) == 60)
        #expect(ordinary.backoffCeiling(interval: 3, failures: Int.max) == 60)
        #expect(ordinary.backoff(after: .rateLimited(retryAfter: 10, message: nil), interval: 3, failures: 1, random: 0) == 10)
        #expect(ordinary.backoff(after: .rateLimited(retryAfter: .infinity, message: nil), interval: 3, failures: 1, random: 0) == 300)
    }

    @Test func nextSlotSkipsAheadInOneStep() {
        let interval = PollSchedule.minimumInterval
        let last = WatchInstant(nanoseconds: .min)
        let now = WatchInstant(nanoseconds: .max - 1)
        let slot = PollingEngine.nextSlot(after: last, every: interval, now: now)
        #expect(slot > now)
        // Ordinary cases: on the beat, and the first beat after `now`.
        #expect(PollingEngine.nextSlot(after: .zero, every: 3, now: .zero) == WatchInstant.zero.adding(3))
        #expect(PollingEngine.nextSlot(after: .zero, every: 3, now: WatchInstant.zero.adding(3)) == WatchInstant.zero.adding(6))
        #expect(PollingEngine.nextSlot(after: .zero, every: 3, now: WatchInstant.zero.adding(7.5)) == WatchInstant.zero.adding(9))
        #expect(PollingEngine.nextSlot(after: .zero, every: 3, now: WatchInstant.zero.adding(86_400 * 365)) > WatchInstant.zero.adding(86_400 * 365))
    }

    /// Before the fix a zero interval looped forever looking for the next slot; NaN timed out
    /// every request at once.
    @Test(arguments: [0.0, -3, .nan, .infinity])
    func engineWithAnUnusableIntervalPollsAtTheMinimum(baseInterval: Double) async {
        let clock = ManualWatchClock()
        let source = ScriptedSource()
        let engine = PollingEngine(source: source, clock: clock, targets: [a], schedule: PollSchedule(baseInterval: baseInterval),
                                   requestTimeout: .nan)
        let reader = ResultReader(engine)
        let task = Task { await engine.run() }
        let first = await reader.next()
        #expect(first?.outcome.isSuccess == true)
        let wait = first.map { $0.nextPollAt.timeIntervalSince($0.endedAt) } ?? 0
        // (Dates near 2023 hold about a microsecond of precision.)
        #expect(abs(wait - (baseInterval == .infinity ? 60 : PollSchedule.minimumInterval)) < 1e-5)
        await engine.waitUntilQuiet()
        #expect(source.calls.count == 1)
        task.cancel()
        await task.value
    }

    @Test(arguments: [0.0, -1, .nan, .infinity, -.infinity])
    func refresherWithAnUnusableIntervalStaysInRange(interval: Double) async {
        let (clock, counter, refresher, _, task) = RefresherTests().started()
        defer { task.cancel() }
        await refresher.set("k", every: interval)
        await refresher.waitUntilIdle()
        #expect(counter.calls("k") == 1)
        clock.advance(by: Refresher<String, Int>.intervalRange.lowerBound)
        await refresher.waitUntilIdle()
        let expected = interval.isNaN || interval <= Refresher<String, Int>.intervalRange.lowerBound ? 2 : 1
        #expect(counter.calls("k") == expected)
    }
}
