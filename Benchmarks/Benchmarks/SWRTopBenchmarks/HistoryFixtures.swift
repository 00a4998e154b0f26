import Foundation
import SWRAPI
import SWRHistory
import SWRWatch

/// History files for the benchmarks, written the way the dashboard writes them: poll rounds
/// handed to a `HistoryWriter`, which compares each answer with the file and writes the changes
/// of a round in one transaction. Real SQLite files in a temporary folder of their own.
enum HistoryFixtures {
    static let host = "swr-api.cn-north-4.myhuaweicloud.com"
    static let base = Date(timeIntervalSince1970: 1_700_000_000)

    /// How the rounds of a fixture go.
    struct Shape {
        /// The stages answered in every round.
        var stages: [Target]
        var rounds: Int
        /// New jobs per stage per round.
        var newPerRound: Int
        /// Jobs in each answer (newest first), as the service lists them.
        var window: Int
        /// Seconds between two jobs of a stage.
        var spacing: TimeInterval
        /// Whether a new job first shows as Building and ends in the next round (two writes and
        /// two timeline rows per job), or shows already finished (one of each).
        var building: Bool

        var jobsPerStage: Int { rounds * newPerRound }
        var jobs: Int { stages.count * jobsPerStage }
        /// When the last round happened: the time windows of the reads end here.
        var end: Date { HistoryFixtures.base.addingTimeInterval(Double(jobsPerStage) * spacing + 1) }
    }

    /// `count` stages: five to a pipeline.
    static func stages(_ count: Int) -> [Target] {
        (0..<count).map { Target(pipeline: 3000 + $0 / 5, stage: $0 % 5) }
    }

    /// Job `n` of a stage (the higher, the newer): created `n * spacing` after `base`; 1 in 20
    /// fails; Building at half way while `running`.
    static func job(_ n: Int, stage: Int, shape: Shape, running: Bool) -> Job {
        let created = base.addingTimeInterval(Double(n) * shape.spacing)
        if running {
            return Job(id: String(n), state: .building, progress: 50, duration: 30, resource: "swr/tomcat:1.\(n % 100)",
                       creatorName: "f00355482", createdAt: created)
        }
        let failed = (n + stage) % 20 == 0
        return Job(id: String(n), state: failed ? .failed : .successful, progress: failed ? 40 : 100, duration: 60 + (n * 7 + stage) % 120,
                   resource: "swr/tomcat:1.\(n % 100)", creatorName: "f00355482", createdAt: created)
    }

    /// The batches of every round, built before anything is timed.
    static func batches(_ shape: Shape) -> [HistoryBatch] {
        (0..<shape.rounds).map { batch($0, shape) }
    }

    /// Round `round`'s batch: every stage answers its `window` newest jobs.
    static func batch(_ round: Int, _ shape: Shape) -> HistoryBatch {
        let newest = (round + 1) * shape.newPerRound   // jobs 0..<newest exist after this round
        let at = base.addingTimeInterval(Double(newest) * shape.spacing + 1)
        let results = shape.stages.enumerated().map { index, target in
            let jobs = stride(from: newest - 1, through: max(0, newest - shape.window), by: -1).map { n in
                job(n, stage: index, shape: shape, running: shape.building && n >= newest - shape.newPerRound)
            }
            return PollResult(target: target, outcome: .success(jobs), startedAt: at, endedAt: at, nextPollAt: at)
        }
        return HistoryBatch(results: results, at: at)
    }

    /// A new empty folder under the system's temporary folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swr-top-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes the rounds into a new file in `folder` through a `HistoryWriter` (`batches` when
    /// given, else each round built as it goes, ten queued at most); the writer's counters. The
    /// file is closed (its WAL checkpointed into it) on return.
    static func write(_ shape: Shape, batches: [HistoryBatch]? = nil, into folder: URL) async throws -> HistoryWriter.Statistics {
        let database = try HistoryDatabase.open(path: folder.appendingPathComponent("history.sqlite").path)
        let writer = HistoryWriter(database: database, host: host)
        for round in 0..<shape.rounds {
            writer.enqueue(batches?[round] ?? batch(round, shape))
            if batches == nil, round % 10 == 9 { await writer.flush() }
        }
        await writer.close()
        let statistics = writer.statistics
        database.close()
        if let failure = writer.failure { throw failure }
        return statistics
    }

    /// The size in bytes of the file and its `-wal` (0 for one that does not exist).
    static func size(of folder: URL) -> Int {
        ["history.sqlite", "history.sqlite-wal"].reduce(0) { total, name in
            let path = folder.appendingPathComponent(name).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            return total + (size ?? 0)
        }
    }
}
