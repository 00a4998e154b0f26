import Dispatch
import Foundation
import SWRAPI
import SWRSimulator
import SWRTopUI
import SWRWatch

// swr-top-bench: the figures of BENCHMARKS.md. Run: swift run -c release swr-top-bench
// Each benchmark reports the median (and p99) time per operation and allocations per operation.

let quick = CommandLine.arguments.contains("--quick")
/// `--only decode|apply|view|poll` runs one group (for profiling it alone).
let only = CommandLine.arguments.firstIndex(of: "--only").flatMap { CommandLine.arguments.indices.contains($0 + 1) ? CommandLine.arguments[$0 + 1] : nil }
func enabled(_ group: String) -> Bool { only == nil || only == group }
var figures: [Figure] = []
var notes: [String] = []

// MARK: Decoding

for official in [true, false] where enabled("decode") {
    let body = BenchFixtures.body(count: 10_000, official: official)
    let shape = official ? "official example shape" : "documented shape"
    var decodedCount = 0
    let figure = Measure.run("decode 10,000 jobs (\(shape), \(body.count / 1024) KiB)", iterations: quick ? 5 : 30) {
        decodedCount = (try? Job.decodeList(body).count) ?? -1
    }
    precondition(decodedCount == 10_000)
    figures.append(figure)
    let path = NSTemporaryDirectory() + "swr-top-bench-\(official ? "official" : "documented").json"
    _ = FileManager.default.createFile(atPath: path, contents: Data(body))
    // python3: json.load plus reading the fields, timed inside python (no start-up).
    let script = NSTemporaryDirectory() + "swr-top-bench-decode.py"
    let pythonSource = #"""
    import json, sys, time
    times = []
    for _ in range(int(sys.argv[2])):
        t = time.perf_counter()
        d = json.load(open(sys.argv[1]))
        n = sum(1 for j in d if (j.get("state") or j.get("status")) and str(j.get("id"))
                and int(j.get("progress") or 0) >= 0 and int(j.get("duration") or 0) >= 0)
        times.append(time.perf_counter() - t)
    times.sort()
    print(times[len(times) // 2])
    """#
    _ = FileManager.default.createFile(atPath: script, contents: Data(pythonSource.utf8))
    let python = Measure.shell("python3 \(script) \(path) \(quick ? 5 : 15)")
    if let seconds = Double(python.output.trimmingCharacters(in: .whitespacesAndNewlines)) {
        notes.append("decode (\(shape)): python3 json.load + field access \(Measure.human(seconds)) in-process → swr-top is \(String(format: "%.1f", seconds / figure.medianSeconds))× faster")
    } else {
        notes.append("decode (\(shape)): python3 not available")
    }
    // jq: a whole process (start-up included), minus jq's own start-up on an empty input.
    var jqTimes: [Double] = []
    var jqStart: [Double] = []
    for _ in 0..<(quick ? 3 : 9) {
        jqTimes.append(Measure.shell("jq 'map(.id) | length' \(path) > /dev/null").seconds)
        jqStart.append(Measure.shell("echo '[]' | jq 'length' > /dev/null").seconds)
    }
    let jq = Measure.percentile(jqTimes, 0.5)
    let jqWork = max(0, jq - Measure.percentile(jqStart, 0.5))
    if jq > 0 {
        notes.append("decode (\(shape)): jq \(Measure.human(jq)) per run, \(Measure.human(jqWork)) without its start-up → swr-top is \(String(format: "%.1f", jqWork / figure.medianSeconds))× faster than jq's work alone")
    }
}

// MARK: HistoryStore.apply

if enabled("apply") {
    let targets = (0..<500).map { Target(pipeline: 2000 + $0 / 5, stage: $0 % 5) }
    let rounds = quick ? 6 : 40
    let answers: [[PollResult]] = (0..<rounds).map { round in
        targets.enumerated().map { index, target in
            let at = Date(timeIntervalSince1970: 1_700_000_000 + Double(round * 3))
            return PollResult(target: target, outcome: .success(BenchFixtures.jobs(count: 50, round: round, changedShare: 0.05, seed: index)),
                              startedAt: at, endedAt: at, nextPollAt: at)
        }
    }
    var store = HistoryStore()
    for result in answers[0] { store.apply(result) }
    var round = 1
    var changes = 0
    let figure = Measure.run("HistoryStore.apply: 500 targets × 50 jobs, 5% changed (one round)", iterations: rounds - 3, warmup: 2) {
        for result in answers[round % rounds] { changes += store.apply(result).count }
        round += 1
    }
    figures.append(figure)
}

// MARK: view

if enabled("view") {
    var state = AppState(pipelines: [PipelineInfo(id: 1, name: "tomcat-release", stages: (0..<5).map { StageInfo(index: $0, name: "stage\($0)") })],
                         now: Date(timeIntervalSince1970: 1_700_000_000), endpointHost: "swr-api.cn-north-4.myhuaweicloud.com")
    let jobs = BenchFixtures.jobs(count: 10_000, round: 1, changedShare: 0.1, seed: 1)
    let at = Date(timeIntervalSince1970: 1_700_000_000)
    _ = update(&state, .poll(PollResult(target: Target(pipeline: 1, stage: 0), outcome: .success(jobs), startedAt: at, endedAt: at, nextPollAt: at)))
    for (width, height) in [(200, 60), (80, 24)] {
        var frame = Frame(width: 1, height: 1)
        figures.append(Measure.run("view \(width)×\(height), 10,000 jobs in the focused stage", iterations: quick ? 20 : 200) {
            frame = view(state, width: width, height: height)
        })
        precondition(frame.width == width)
    }

    // MARK: frame diff
    var moving = jobs
    let before = view(state, width: 200, height: 60)
    moving[0].progress = (moving[0].progress ?? 0) + 1
    moving[0].duration = (moving[0].duration ?? 0) + 1
    var next = state
    next.highlights = [:]
    _ = update(&next, .poll(PollResult(target: Target(pipeline: 1, stage: 0), outcome: .success(moving), startedAt: at, endedAt: at, nextPollAt: at)))
    next.highlights = [:]
    let after = view(next, width: 200, height: 60)
    var changed = 0
    figures.append(Measure.run("frame diff 200×60 (one progress bar moves)", iterations: quick ? 20 : 300) {
        changed = after.changedCells(from: before).count
    })
    notes.append("frame diff: one progress tick (and its duration and percentage) changes \(changed) of \(200 * 60) cells; the backend writes only those")
}

// MARK: a poll round against the simulator

if enabled("poll") {
    var options = SimulatorOptions()
    options.pipelineCount = 100
    let server = SimulatorServer(options: options)
    let semaphore = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var url = ""
    nonisolated(unsafe) var latencies: [Double] = []
    nonisolated(unsafe) var roundSeconds: [Double] = []
    Task.detached {
        url = (try? await server.start()) ?? ""
        let transport = AsyncHTTPClientTransport()
        let client = SWRClient(endpoint: url, transport: transport, tokens: StaticTokenProvider(options.token))
        let targets = server.service.world.pipelines.flatMap { p in (0..<min(5, p.stages.count)).map { Target(pipeline: p.id, stage: $0) } }.prefix(500)
        for _ in 0..<(quick ? 2 : 6) {
            let start = ContinuousClock.now
            let times = await withTaskGroup(of: Double.self) { group in
                var iterator = targets.makeIterator()
                var collected: [Double] = []
                func add(_ group: inout TaskGroup<Double>) {
                    guard let target = iterator.next() else { return }
                    group.addTask {
                        let t = ContinuousClock.now
                        _ = try? await client.jobs(pipeline: target.pipeline, stage: target.stage)
                        return Measure.seconds(ContinuousClock.now - t)
                    }
                }
                for _ in 0..<8 { add(&group) }
                while let time = await group.next() {
                    collected.append(time)
                    add(&group)
                }
                return collected
            }
            roundSeconds.append(Measure.seconds(ContinuousClock.now - start))
            latencies += times
        }
        await transport.shutdown()
        semaphore.signal()
    }
    semaphore.wait()
    let round = Measure.percentile(roundSeconds, 0.5)
    let count = 500
    figures.append(Figure(name: "poll round: 500 stages against the simulator on loopback (8 at a time)", medianSeconds: round,
                          p99Seconds: Measure.percentile(roundSeconds, 0.99), allocationsPerOp: -1,
                          note: String(format: "%.0f requests/s; request p50 %@, p99 %@", Double(count) / round, Measure.human(Measure.percentile(latencies, 0.5)), Measure.human(Measure.percentile(latencies, 0.99)))))
    let curl = Measure.shell("for p in $(seq 1024 1123); do for s in 0 1 2; do curl -s -o /dev/null -H 'X-Auth-Token: \(options.token)' \(url)/v3/manage/pipelines/$p/stages/$s/jobs; done; done")
    if curl.seconds > 0 {
        let perRequest = curl.seconds / 300
        notes.append("poll round: curl in a shell loop takes \(Measure.human(perRequest)) per request (\(Measure.human(perRequest * 500)) for 500) → swr-top's round is \(String(format: "%.1f", perRequest * 500 / round))× faster")
    }
    server.stop()
}

print("| benchmark | median | p99 | allocations/op | note |")
print("| --- | --- | --- | --- | --- |")
for figure in figures { print(figure.row) }
print("")
for note in notes { print("- \(note)") }
