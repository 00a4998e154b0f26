import Foundation
import Testing
@testable import SWRAPI
@testable import SWRExport
@testable import SWRSession
@testable import SWRWatch

@Suite struct ExportMetricsTests {
    typealias F = Fixture

    @Test func aFinishedJobCountsOnceHoweverManyPollsSeeIt() {
        var metrics = F.metrics()
        let labels = F.labels(F.build)
        var updates = metrics.apply(F.result(F.build, [F.job("1", .successful, duration: 40, created: -600)], at: 0))
        updates += metrics.apply(F.result(F.build, [F.job("2", .building, progress: 10, created: -5), F.job("1", .successful, duration: 40, created: -600)], at: 3))
        #expect(updates.added(.jobsFinished).isEmpty)
        for second in stride(from: 6.0, through: 30, by: 3) {
            updates += metrics.apply(F.result(F.build, [F.job("2", .failed, duration: 70, created: -5), F.job("1", .successful, duration: 40, created: -600)], at: second))
        }
        #expect(updates.added(.jobsFinished) == [labels + [Label("state", "failed")]: 1])
        #expect(updates.observed(.jobDuration) == [70])
    }

    @Test func theFirstGoodAnswerIsABaselineEvenAfterFailures() {
        var metrics = F.metrics()
        var updates = metrics.apply(F.failure(F.build, .server(status: 503, message: nil), at: 0))
        updates += metrics.apply(F.result(F.build, [F.job("3", .cancelled, duration: 5), F.job("2", .successful, duration: 9, created: -90)], at: 3))
        #expect(updates.added(.jobsFinished).isEmpty)
        #expect(updates.observed(.jobDuration).isEmpty)
    }

    /// A restart is a new model fed the same answer: nothing already finished counts again.
    @Test func aRestartDoesNotCountJobsAgain() {
        let answer = [F.job("5", .successful, duration: 30, created: -10), F.job("4", .timeout, duration: 3600, created: -4000)]
        var first = F.metrics()
        _ = first.apply(F.result(F.build, [F.job("5", .building, created: -10), answer[1]], at: 0))
        #expect(first.apply(F.result(F.build, answer, at: 3)).added(.jobsFinished).values.reduce(0, +) == 1)
        var restarted = F.metrics()
        #expect(restarted.apply(F.result(F.build, answer, at: 6)).added(.jobsFinished).isEmpty)
        #expect(restarted.apply(F.result(F.build, answer, at: 9)).added(.jobsFinished).isEmpty)
    }

    /// A restart with the history file: what an earlier session saw unfinished, or never saw
    /// (newer than all it knew), counts at the first answer; what it saw finished does not.
    @Test func aRestartWithHistoryCountsWhatFinishedWhileNobodyWatched() {
        let known = [F.job("5", .building, created: -100), F.job("4", .successful, duration: 50, created: -200), F.job("3", .failed, duration: 9, created: -300)]
        let answer = [F.job("7", .cancelled, duration: 4, created: -20), F.job("6", .successful, duration: 30, created: -50),
                      F.job("5", .successful, duration: 90, created: -100), F.job("4", .successful, duration: 50, created: -200),
                      F.job("3", .failed, duration: 9, created: -300), F.job("1", .failed, duration: 9, created: -900)]
        var metrics = F.metrics()
        metrics.seed(F.build, jobs: known, lastSeen: F.at(-600))
        let updates = metrics.apply(F.result(F.build, answer, at: 0))
        let labels = F.labels(F.build)
        #expect(updates.added(.jobsFinished) == [labels + [Label("state", "successful")]: 2, labels + [Label("state", "cancel")]: 1])
        #expect(updates.observed(.jobDuration) == [90, 30, 4])
        // And never again.
        #expect(metrics.apply(F.result(F.build, answer, at: 3)).added(.jobsFinished).isEmpty)
    }

    @Test func historyOlderThanTheHorizonIsOnlyABaseline() {
        var metrics = F.metrics()
        metrics.seed(F.build, jobs: [F.job("5", .building, created: -100)], lastSeen: F.at(-ExportMetrics.historyHorizon - 1))
        #expect(metrics.apply(F.result(F.build, [F.job("6", .failed, created: -10), F.job("5", .successful, created: -100)], at: 0)).added(.jobsFinished).isEmpty)
    }

    @Test func historyMattersOnlyBeforeTheFirstGoodAnswer() {
        var metrics = F.metrics()
        _ = metrics.apply(F.failure(F.build, .timeout, at: 0))
        metrics.seed(F.build, jobs: [F.job("5", .building, created: -100)], lastSeen: F.at(-10))
        // Still before the first good answer: used.
        #expect(metrics.apply(F.result(F.build, [F.job("5", .successful, created: -100)], at: 3)).added(.jobsFinished).count == 1)
        // After it: ignored (job 8 was seen running by this session, counted when it ends).
        metrics.seed(F.build, jobs: [F.job("8", .building, created: -1)], lastSeen: F.at(5))
        _ = metrics.apply(F.result(F.build, [F.job("8", .building, created: -1), F.job("5", .successful, created: -100)], at: 6))
        #expect(metrics.apply(F.result(F.build, [F.job("8", .failed, created: -1), F.job("5", .successful, created: -100)], at: 9)).added(.jobsFinished).count == 1)
        // A stage nobody watches is not seeded.
        metrics.seed(Target(pipeline: 99, stage: 0), jobs: [F.job("1", .building)], lastSeen: F.at(9))
    }

    @Test func aJobThatStartsAndEndsBetweenPollsCounts() {
        var metrics = F.metrics()
        _ = metrics.apply(F.result(F.build, [], at: 0))
        let updates = metrics.apply(F.result(F.build, [F.job("9", .successful, duration: 2, created: -2)], at: 3))
        #expect(updates.added(.jobsFinished) == [F.labels(F.build) + [Label("state", "successful")]: 1])
        #expect(updates.observed(.jobDuration) == [2])
    }

    @Test func jobsWithoutAnIDNeverCount() {
        var metrics = F.metrics()
        _ = metrics.apply(F.result(F.build, [], at: 0))
        var anonymous = F.job("?0", .failed, duration: 3)
        anonymous.hasID = false
        #expect(metrics.apply(F.result(F.build, [anonymous], at: 3)).added(.jobsFinished).isEmpty)
    }

    @Test func stagesCountOnTheirOwn() {
        var metrics = F.metrics()
        for target in [F.build, F.deploy, F.nginx] { _ = metrics.apply(F.result(target, [], at: 0)) }
        var updates: [MetricUpdate] = []
        for target in [F.build, F.deploy, F.nginx] {
            // The same job id on every stage (ids are per stage on the service).
            updates += metrics.apply(F.result(target, [F.job("7", .successful, duration: 1)], at: 3))
        }
        #expect(updates.added(.jobsFinished).count == 3)
    }

    @Test func theNewestJobsStateIsOneHot() {
        var metrics = F.metrics()
        let labels = F.labels(F.build)
        let cases: [(JobState, String)] = [(.waiting, "waiting"), (.building, "building"), (.successful, "successful"), (.failed, "failed"),
                                           (.timeout, "timeout"), (.cancelled, "cancel"), (JobState(raw: "Frobnicating\u{1B}[2J"), "unknown")]
        for (n, (state, word)) in cases.enumerated() {
            let states = metrics.apply(F.result(F.build, [F.job("1", state, progress: 50, duration: 10)], at: Double(n * 3))).gauges(.newestJobState)
            #expect(states.count == StateWord.jobStates.count)
            #expect(states.values.reduce(0, +) == 1)
            #expect(states[labels + [Label("state", word)]] == 1)
        }
    }

    @Test func theNewestJobsGaugesFollowItAndGoWhenUnknown() {
        var metrics = F.metrics()
        let labels = F.labels(F.build)
        let running = metrics.apply(F.result(F.build, [F.job("2", .building, progress: 63, duration: 62, created: -62)], at: 0))
        #expect(running.gauges(.newestJobProgress)[labels] == 0.63)
        #expect(running.gauges(.newestJobDuration)[labels] == 62)
        #expect(running.gauges(.newestJobCreated)[labels] == F.at(-62).timeIntervalSince1970)
        #expect(running.gauges(.lastSuccess)[labels] == F.at(0).timeIntervalSince1970)
        // A newer job without progress or duration: the old job's values must not stay.
        let waiting = metrics.apply(F.result(F.build, [F.job("3", .waiting, created: -1), F.job("2", .successful, progress: 100, duration: 70, created: -62)], at: 3))
        #expect(waiting.removed(.newestJobProgress) == [labels])
        #expect(waiting.removed(.newestJobDuration) == [labels])
        #expect(waiting.gauges(.newestJobState)[labels + [Label("state", "waiting")]] == 1)
        // A stage with no jobs: every state 0.
        let empty = metrics.apply(F.result(F.deploy, [], at: 3)).gauges(.newestJobState)
        #expect(empty.count == StateWord.jobStates.count && empty.values.allSatisfy { $0 == 0 })
    }

    @Test func runStatusIsOneHotFromTheDetailCall() {
        var metrics = F.metrics()
        let pipeline = LabelText.pipeline(F.pipelines[0])
        func detail(_ word: String) -> [MetricUpdate] {
            metrics.applyDetail(pipeline: 11, .success(Pipeline(id: 11, name: "tomcat-release", stages: [],
                                                                status: PipelineStatus(status: word, stageIndex: 0, stages: []))))
        }
        for (word, label) in [("running", "running"), ("success", "success"), ("rollback_failed", "failed"), ("wait\nING", "unknown")] {
            let statuses = detail(word).gauges(.pipelineRunStatus)
            #expect(statuses.count == StateWord.runStatuses.count)
            #expect(statuses[pipeline + [Label("status", label)]] == 1)
            #expect(statuses.values.reduce(0, +) == 1)
        }
        #expect(metrics.applyDetail(pipeline: 11, .failure(.timeout)).isEmpty)
        #expect(metrics.applyDetail(pipeline: 99, .success(Pipeline(id: 99, name: "x", stages: []))).isEmpty)
    }

    @Test func requestsAreCountedByKindAndOutcome() {
        var metrics = F.metrics()
        var updates = metrics.apply(F.result(F.build, [], at: 0))
        updates += metrics.apply(F.failure(F.build, .rateLimited(retryAfter: 2, message: nil), at: 3))
        updates += ExportMetrics.request(.pipelineDetail, error: nil, seconds: -1)
        #expect(updates.added(.apiRequests) == [
            [Label("kind", "jobs"), Label("outcome", "success")]: 1,
            [Label("kind", "jobs"), Label("outcome", "rate_limited")]: 1,
            [Label("kind", "pipeline_detail"), Label("outcome", "success")]: 1,
        ])
        #expect(updates.observed(.apiRequestDuration) == [0.25, 0.25, 0])
    }

    // MARK: Freshness

    @Test func aStageIsStaleAfterThreeOfItsIntervals() {
        var metrics = F.metrics()
        // Never answered: its age counts from the start.
        #expect(metrics.staleStages(now: F.at(9)).isEmpty)
        #expect(metrics.staleStages(now: F.at(9.5)) == [F.build, F.deploy, F.nginx])
        _ = metrics.apply(F.result(F.build, [F.job("1", .building)], at: 10))
        _ = metrics.apply(F.result(F.deploy, [F.job("1", .successful)], at: 10))
        _ = metrics.apply(F.failure(F.nginx, .server(status: 500, message: nil), at: 10))
        // Running: 3 × 3 s; settled (newest finished): 3 × 12 s; never a good answer: stale.
        #expect(metrics.staleStages(now: F.at(19)) == [F.nginx])
        #expect(metrics.staleStages(now: F.at(19.5)) == [F.build, F.nginx])
        #expect(metrics.staleStages(now: F.at(46.5)) == [F.build, F.deploy, F.nginx])
        let up = metrics.freshness(now: F.at(19.5)).gauges(.stageUp)
        #expect(up[F.labels(F.build)] == 0 && up[F.labels(F.deploy)] == 1 && up[F.labels(F.nginx)] == 0)
    }

    @Test func readyOnceEveryStageHasBeenPolled() {
        var metrics = F.metrics()
        #expect(!metrics.isReady && metrics.waitingForFirstPoll == 3)
        _ = metrics.apply(F.result(F.build, [], at: 0))
        _ = metrics.apply(F.failure(F.deploy, .timeout, at: 0))
        #expect(!metrics.isReady && metrics.waitingForFirstPoll == 1)
        _ = metrics.apply(F.result(F.nginx, [], at: 0))
        #expect(metrics.isReady)
    }

    @Test func theStateDocumentIsTheOnceDocument() {
        var metrics = F.metrics()
        _ = metrics.apply(F.result(F.build, [F.job("2", .building, progress: 40, created: -5), F.job("1", .successful, created: -600)], at: 0))
        _ = metrics.apply(F.failure(F.nginx, .server(status: 502, message: "bad gateway"), at: 0))
        _ = metrics.applyDetail(pipeline: 11, .success(Pipeline(id: 11, name: "tomcat-release", stages: [],
            status: PipelineStatus(status: "running", stageIndex: 0, startTime: F.at(-10), stages: [StageStatus(status: "running"), StageStatus(status: "waiting")]))))
        let snapshot = metrics.snapshot()
        // Stages not polled yet are left out; the rest as --once would show them.
        #expect(snapshot.map { "\($0.pipeline.id)/\($0.stage.index)" } == ["11/0", "12/0"])
        #expect(snapshot[0].run?.status == "running")
        #expect(snapshot[1].error == .server(status: 502, message: "bad gateway"))
        let document = SnapshotFormat.json(snapshot, generatedAt: F.at(1))
        let expected = SnapshotFormat.json([
            StageSnapshot(pipeline: F.pipelines[0], stage: F.pipelines[0].stages[0],
                          outcome: .success([F.job("2", .building, progress: 40, created: -5), F.job("1", .successful, created: -600)]),
                          run: snapshot[0].run),
            StageSnapshot(pipeline: F.pipelines[1], stage: F.pipelines[1].stages[0], outcome: .failure(.server(status: 502, message: "bad gateway"))),
        ], generatedAt: F.at(1))
        #expect(document.serialized == expected.serialized)
    }

    // MARK: Bounds

    /// However many jobs pass and whatever their states, the series stay pipelines × stages × states.
    @Test func cardinalityIsBoundedByStagesAndStates() {
        var metrics = F.metrics()
        var sink = PrometheusSink()
        sink.apply(metrics.initialUpdates(version: "0.1.0"))
        var random = SeededRandom(7, 7)
        let words = ["Successful", "Failed", "Timeout", "Cancel", "Building", "Waiting", "weird-\u{1B}", "x\ny"]
        for round in 0..<400 {
            for target in [F.build, F.deploy, F.nginx] {
                let jobs = (0..<5).map { k in
                    F.job("\(round * 10 + k)", JobState(raw: words[Int(random.unit() * Double(words.count)) % words.count]),
                          progress: Int(random.unit() * 100), duration: Int(random.unit() * 5000), created: Double(round * 10 + k))
                }
                sink.apply(metrics.apply(F.result(target, jobs.reversed(), at: Double(round * 3))))
                sink.apply(ExportMetrics.request(.jobs, error: round % 7 == 0 ? .server(status: 500 + round % 5, message: "m\(round)") : nil, seconds: 0.1))
            }
            sink.apply(metrics.freshness(now: F.at(Double(round * 3))))
        }
        let stages = 3
        let perStage = StateWord.jobStates.count + 3 + 1 + 1 + 1 + 4 + 1  // states, progress/duration/created, last success, up, finished×4, histogram
        let bound = stages * perStage + 1 + RequestKindBound.outcomes + 2
        #expect(sink.seriesCount <= bound)
        let exposition = Exposition(sink.exposition())
        let states = Set(exposition.samples.compactMap { line -> String? in
            guard let range = line.range(of: "state=\"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        })
        #expect(states.isSubset(of: Set(StateWord.jobStates)))
        #expect(!exposition.lines.contains { $0.contains("m1") || $0.contains("\u{1B}") })
    }

    @Test func hostileNamesAreSanitisedAndBounded() {
        let hostile = "evil\"} 1\nswr_stage_up{pipeline=\"x\" 9\u{1B}[31m\u{202E}\\" + String(repeating: "é", count: 10_000)
        let pipelines = [PipelineInfo(id: 5, name: hostile, stages: [StageInfo(index: 0, name: "\r\nstage\u{0}"), StageInfo(index: 1, name: "")])]
        var metrics = F.metrics(pipelines)
        var sink = PrometheusSink()
        sink.apply(metrics.initialUpdates(version: "0.1.0\n"))
        sink.apply(metrics.apply(F.result(Target(pipeline: 5, stage: 0), [F.job("1", .building, progress: 5)], at: 0)))
        let labels = LabelText.stage(pipelines[0], pipelines[0].stages[0])
        for label in labels {
            #expect(label.value.unicodeScalars.count <= LabelText.maxScalars)
            #expect(!label.value.unicodeScalars.contains { SafeText.isUnsafe($0) })
        }
        #expect(LabelText.stage(pipelines[0], pipelines[0].stages[1])[2].value == "-")
        let exposition = Exposition(sink.exposition())
        // Every line is a comment or a sample of one of our families: nothing forged.
        for line in exposition.lines {
            #expect(line.hasPrefix("# ") || MetricFamily.allCases.contains { line.hasPrefix($0.name) }, "\(line.prefix(80))")
        }
        // One swr_stage_up series per stage (the forged one is inside a label value, escaped).
        #expect(exposition.count("swr_stage_up") == 2)
    }

    // MARK: Request rate

    @Test func theRequestRateOfTheSchedule() {
        let rate = RequestRate(stages: 17, pipelines: 5, schedule: PollSchedule(baseInterval: 3), detailInterval: 60)
        #expect(rate.busyPerMinute == 17 * 20 + 5)
        #expect(rate.settledPerMinute == 17 * 5 + 5)
        #expect(rate.sentence == "polling 17 stages of 5 pipelines: at most 345 requests/min to the SWR API while every stage runs (each every 3s), 90/min once all have settled (each every 12s); both count 5/min of run-status calls (each pipeline every 60s)")
        // Long intervals are capped like the engine's.
        let slow = RequestRate(stages: 1, pipelines: 1, schedule: PollSchedule(baseInterval: 30), detailInterval: 60)
        #expect(slow.runningInterval == 30 && slow.settledInterval == 60)
    }
}

/// The outcome label's values: success and every `SWRError.kind`.
enum RequestKindBound {
    static let outcomes = 1 + 11
}
