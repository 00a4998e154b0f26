import Benchmark
import Foundation
import SWRAPI
import SWRSimulator
import SWRTopUI
import SWRWatch

// The figures of BENCHMARKS.md: decoding, HistoryStore.apply, view, frame diff, a poll round
// against the simulator, and the history file (HistoryBenchmarks.swift). Run from Benchmarks/:
//   swift package --disable-sandbox benchmark                       all of them
//   swift package --disable-sandbox benchmark --filter 'view.*'     one group
//   swift package --disable-sandbox benchmark thresholds check      against Thresholds/
// Each reports wall clock, throughput (operations per second) and allocations per operation;
// the poll round also the latency of each request.

/// Tolerances for `benchmark thresholds check` against the p90 values recorded in
/// `Thresholds/` (by `benchmark thresholds update`, see BENCHMARKS.md). The machine is shared
/// (2 cores, other builds running): times may grow to 2.5× the recorded p90 (and throughput
/// drop to 40%) before they count as a regression. Allocation counts hardly vary: `relative`
/// percent, or `absolute` allocations for the small counts where one more is already many
/// percent.
func tolerances(mallocRelative: Double = 5, mallocAbsolute: Int? = nil) -> [BenchmarkMetric: BenchmarkThresholds] {
    [
        .wallClock: .init(relative: [.p90: 150]),
        .throughput: .init(relative: [.p90: 60]),
        .mallocCountTotal: mallocAbsolute.map { .init(absolute: [.p90: $0]) } ?? .init(relative: [.p90: mallocRelative]),
    ]
}

func configuration(seconds: Int = 2, mallocRelative: Double = 5, mallocAbsolute: Int? = nil, metrics extra: [BenchmarkMetric] = []) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal] + extra,
        warmupIterations: 2,
        maxDuration: .seconds(seconds),
        maxIterations: 10_000,
        thresholds: tolerances(mallocRelative: mallocRelative, mallocAbsolute: mallocAbsolute)
    )
}

/// State built once, in a benchmark's setup (so that listing the benchmarks builds nothing).
final class Box<Value> {
    var value: Value?
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.timeUnits = .microseconds
    historyBenchmarks()

    // MARK: decoding (swr-top's own JSON reader and lenient job decoding)

    for official in [true, false] {
        let shape = official ? "official example shape" : "documented shape"
        let body = Box<[UInt8]>()
        Benchmark("decode 10,000 jobs (\(shape))", configuration: configuration()) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try Job.decodeList(body.value!))
            }
        } setup: {
            body.value = BenchFixtures.body(count: 10_000, official: official)
            let decoded = try Job.decodeList(body.value!)
            precondition(decoded.count == 10_000)
        }
    }

    // MARK: HistoryStore.apply: one poll round of 500 stages

    struct ApplyState {
        var store = HistoryStore()
        var answers: [[PollResult]] = []
        var round = 1
    }
    let apply = Box<ApplyState>()
    Benchmark("HistoryStore.apply: 500 targets x 50 jobs, 5% changed (one round)", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            let answers = apply.value!.answers[apply.value!.round % apply.value!.answers.count]
            var changes = 0
            for result in answers { changes += apply.value!.store.apply(result).count }
            blackHole(changes)
            apply.value!.round += 1
        }
    } setup: {
        let targets = (0..<500).map { Target(pipeline: 2000 + $0 / 5, stage: $0 % 5) }
        var state = ApplyState()
        state.answers = (0..<40).map { round in
            targets.enumerated().map { index, target in
                let at = Date(timeIntervalSince1970: 1_700_000_000 + Double(round * 3))
                return PollResult(target: target, outcome: .success(BenchFixtures.jobs(count: 50, round: round, changedShare: 0.05, seed: index)),
                                  startedAt: at, endedAt: at, nextPollAt: at)
            }
        }
        for result in state.answers[0] { state.store.apply(result) }
        apply.value = state
    }

    // MARK: view and frame diff

    let screen = Box<(state: AppState, before: Frame, after: Frame)>()
    let prepareScreen: Benchmark.BenchmarkSetupHook = {
        guard screen.value == nil else { return }
        let stages = (0..<5).map { StageInfo(index: $0, name: "stage\($0)") }
        var state = AppState(pipelines: [PipelineInfo(id: 1, name: "tomcat-release", stages: stages)],
                             now: Date(timeIntervalSince1970: 1_700_000_000), endpointHost: "swr-api.cn-north-4.myhuaweicloud.com")
        let jobs = BenchFixtures.jobs(count: 10_000, round: 1, changedShare: 0.1, seed: 1)
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        let target = Target(pipeline: 1, stage: 0)
        _ = update(&state, .poll(PollResult(target: target, outcome: .success(jobs), startedAt: at, endedAt: at, nextPollAt: at)))
        // The frame diff: the newest job's progress bar, percentage and duration move.
        let before = view(state, width: 200, height: 60)
        var moving = jobs
        moving[0].progress = (moving[0].progress ?? 0) + 1
        moving[0].duration = (moving[0].duration ?? 0) + 1
        var next = state
        next.highlights = [:]
        _ = update(&next, .poll(PollResult(target: target, outcome: .success(moving), startedAt: at, endedAt: at, nextPollAt: at)))
        next.highlights = [:]
        screen.value = (state, before, view(next, width: 200, height: 60))
    }
    for (width, height) in [(200, 60), (80, 24)] {
        Benchmark("view \(width)x\(height), 10,000 jobs in the focused stage", configuration: configuration()) { benchmark in
            let state = screen.value!.state
            for _ in benchmark.scaledIterations {
                blackHole(view(state, width: width, height: height))
            }
        } setup: {
            try await prepareScreen()
        }
    }
    Benchmark("frame diff 200x60 (one progress bar moves)", configuration: configuration(mallocAbsolute: 4)) { benchmark in
        let (_, before, after) = screen.value!
        for _ in benchmark.scaledIterations {
            blackHole(after.changedCells(from: before))
        }
    } setup: {
        try await prepareScreen()
        let (_, before, after) = screen.value!
        print("frame diff: \(after.changedCells(from: before).count) of \(200 * 60) cells change")
    }

    // MARK: a poll round against the simulator on loopback

    let requestLatency = BenchmarkMetric.custom("request latency (us)", polarity: .prefersSmaller, useScalingFactor: false)
    let poll = Box<(server: SimulatorServer, transport: AsyncHTTPClientTransport, client: SWRClient, targets: [Target])>()
    Benchmark("poll round: 500 stages against the simulator on loopback (8 at a time)",
              configuration: configuration(seconds: 4, mallocRelative: 25, metrics: [requestLatency])) { benchmark in
        let (_, _, client, targets) = poll.value!
        for _ in benchmark.scaledIterations {
            let latencies = await withTaskGroup(of: Duration.self) { group in
                var pending = targets.makeIterator()
                var collected: [Duration] = []
                collected.reserveCapacity(targets.count)
                func add(_ group: inout TaskGroup<Duration>) {
                    guard let target = pending.next() else { return }
                    group.addTask {
                        let start = ContinuousClock.now
                        _ = try? await client.jobs(pipeline: target.pipeline, stage: target.stage)
                        return ContinuousClock.now - start
                    }
                }
                for _ in 0..<8 { add(&group) }
                while let latency = await group.next() {
                    collected.append(latency)
                    add(&group)
                }
                return collected
            }
            for latency in latencies {
                benchmark.measurement(requestLatency, Int(latency.components.seconds * 1_000_000 + latency.components.attoseconds / 1_000_000_000_000))
            }
        }
    } setup: {
        var options = SimulatorOptions()
        options.pipelineCount = 100
        let server = SimulatorServer(options: options)
        let url = try await server.start()
        let transport = AsyncHTTPClientTransport()
        let client = SWRClient(endpoint: url, transport: transport, tokens: StaticTokenProvider(options.token))
        // Every stage of the 100 pipelines (3 to 6 each), taken in turn until there are 500.
        let stages = server.service.world.pipelines.flatMap { p in p.stages.indices.map { Target(pipeline: p.id, stage: $0) } }
        poll.value = (server, transport, client, (0..<500).map { stages[$0 % stages.count] })
    } teardown: {
        guard let (server, transport, _, _) = poll.value else { return }
        await transport.shutdown()
        server.stop()
        poll.value = nil
    }
}
