import Benchmark
import Foundation
import SWRHistory
import SWRWatch

// The history file (issue 15): writing, the start-up load, the history pane's read. Real SQLite
// files in temporary folders, written through `HistoryWriter` as the dashboard writes them.
//   swift package --disable-sandbox benchmark --filter 'history.*'

/// The history benchmarks; called from `benchmarks`.
func historyBenchmarks() {
    let fileKiB = BenchmarkMetric.custom("file KiB per 10,000 jobs", polarity: .prefersSmaller, useScalingFactor: false)
    let transactions = BenchmarkMetric.custom("transactions", polarity: .prefersSmaller, useScalingFactor: false)

    // MARK: writing: 100,000 jobs, one transaction per poll round

    // 500 stages answer their 20 newest jobs every round; 2 new jobs per stage per round show
    // as Building and end in the next one: 100 rounds, 100,000 jobs, each written twice.
    let writeShape = HistoryFixtures.Shape(stages: HistoryFixtures.stages(500), rounds: 100, newPerRound: 2, window: 20,
                                           spacing: 60, building: true)
    let writeBatches = Box<[HistoryBatch]>()
    Benchmark("history write: 100,000 jobs in 100 poll rounds of 500 stages (one transaction each)",
              configuration: historyConfiguration(seconds: 20, iterations: 5, throughput: false, metrics: [fileKiB, transactions])) { benchmark in
        // One write per call (no scaled iterations): a fresh folder before the clock starts,
        // the size and the clean-up after it stops.
        let folder = try HistoryFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        benchmark.startMeasurement()
        let statistics = try await HistoryFixtures.write(writeShape, batches: writeBatches.value!, into: folder)
        benchmark.stopMeasurement()
        benchmark.measurement(fileKiB, HistoryFixtures.size(of: folder) / 1024 / (writeShape.jobs / 10_000))
        benchmark.measurement(transactions, statistics.transactions)
    } setup: {
        writeBatches.value = HistoryFixtures.batches(writeShape)
    } teardown: {
        writeBatches.value = nil
    }

    // MARK: the start-up load: 500 stages of that file

    let startFile = Box<(folder: URL, database: HistoryDatabase, reader: HistoryReader)>()
    Benchmark("history start-up load: 500 stages of a 100,000-job file (last known jobs, then figures)",
              configuration: historyConfiguration(seconds: 5, iterations: 1000)) { benchmark in
        let (_, _, reader) = startFile.value!
        for _ in benchmark.scaledIterations {
            // What `SessionRunner` reads before the first poll.
            let known = try await reader.lastKnown(targets: writeShape.stages)
            let figures = try await reader.figures(writeShape.stages, now: writeShape.end)
            blackHole((known, figures))
        }
    } setup: {
        startFile.value = try await openFile(writeShape, label: "start-up load")
        let known = try await startFile.value!.reader.lastKnown(targets: writeShape.stages)
        precondition(known.count == 500 && known.allSatisfy { $0.jobs.count == 50 && $0.timelines.count == 2 })
    } teardown: {
        closeFile(startFile)
    }

    // MARK: the history pane on a file of a million jobs

    // 100 stages of 10,000 jobs each (the cap per stage), one every 734 s: 85 days, inside the
    // 90 days kept. 1,000,000 rows in `job` and as many in `observation`.
    let bigShape = HistoryFixtures.Shape(stages: HistoryFixtures.stages(100), rounds: 100, newPerRound: 100, window: 100,
                                         spacing: 734, building: false)
    let bigFile = Box<(folder: URL, database: HistoryDatabase, reader: HistoryReader)>()
    let prepareBig: Benchmark.BenchmarkSetupHook = {
        guard bigFile.value == nil else { return }
        bigFile.value = try await openFile(bigShape, label: "1,000,000 jobs")
    }
    let pane = Box<Int>()
    Benchmark("history pane query: one stage of a 1,000,000-job file (100 jobs, rates, p50/p90, flaky)",
              configuration: historyConfiguration(seconds: 5, iterations: 10_000)) { benchmark in
        let reader = bigFile.value!.reader
        for _ in benchmark.scaledIterations {
            pane.value = ((pane.value ?? 0) + 37) % bigShape.stages.count
            blackHole(try await reader.stageHistory(bigShape.stages[pane.value!], now: bigShape.end))
        }
    } setup: {
        try await prepareBig()
        let answer = try await bigFile.value!.reader.stageHistory(bigShape.stages[0], now: bigShape.end)
        precondition(answer.recent.count == 100 && answer.rates.month.decided > 0)
    } teardown: {
        closeFile(bigFile)
    }
    Benchmark("history last 100 jobs: one stage of a 1,000,000-job file",
              configuration: historyConfiguration(seconds: 5, iterations: 10_000)) { benchmark in
        let reader = bigFile.value!.reader
        for _ in benchmark.scaledIterations {
            pane.value = ((pane.value ?? 0) + 37) % bigShape.stages.count
            blackHole(try await reader.recentJobs(bigShape.stages[pane.value!]))
        }
    } setup: {
        try await prepareBig()
    } teardown: {
        closeFile(bigFile)
    }
}

/// Few iterations: each one is long, or its setup is. Without `throughput` (for an operation of
/// seconds, whose rate rounds to 0 a second) and in milliseconds.
func historyConfiguration(seconds: Int, iterations: Int, throughput: Bool = true, metrics extra: [BenchmarkMetric] = []) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .mallocCountTotal] + (throughput ? [.throughput] : []) + extra,
        timeUnits: throughput ? .microseconds : .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(seconds),
        maxIterations: iterations,
        thresholds: tolerances(mallocRelative: 10).filter { throughput || $0.key != .throughput }
    )
}

/// Opens a fixture's file for reading, written first when it is not there yet: the files are
/// kept in the temporary folder under a name that says their shape
/// (`swr-top-bench-history-STAGESx JOBS-...`), so a second run, or a second benchmark on the same
/// file, does not write it again. Written in a folder of its own, then renamed into place.
func openFile(_ shape: HistoryFixtures.Shape, label: String) async throws -> (folder: URL, database: HistoryDatabase, reader: HistoryReader) {
    let name = "swr-top-bench-history-v1-\(shape.stages.count)x\(shape.jobsPerStage)-\(shape.rounds)r-\(shape.window)w-\(Int(shape.spacing))s\(shape.building ? "-b" : "")"
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
    if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("history.sqlite").path) {
        let fresh = try HistoryFixtures.folder()
        let start = ContinuousClock.now
        let statistics = try await HistoryFixtures.write(shape, into: fresh)
        print("\(label): \(shape.jobs) jobs, \(statistics.transactions) transactions, \(HistoryFixtures.size(of: fresh) / 1024) KiB, written in \(ContinuousClock.now - start)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.moveItem(at: fresh, to: folder)
    }
    let database = try HistoryDatabase.open(path: folder.appendingPathComponent("history.sqlite").path)
    return (folder, database, HistoryReader(database: database, host: HistoryFixtures.host))
}

/// Closes a fixture's file (it stays for the next run).
func closeFile(_ file: Box<(folder: URL, database: HistoryDatabase, reader: HistoryReader)>) {
    guard let (_, database, _) = file.value else { return }
    database.close()
    file.value = nil
}
