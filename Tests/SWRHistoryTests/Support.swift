import Foundation
import GRDB
import SWRAPI
import SWRWatch
@testable import SWRHistory

let host = "swr-api.cn-north-4.myhuaweicloud.com"
let stage = Target(pipeline: 1024, stage: 1)
let base = Date(timeIntervalSince1970: 1_700_000_000)

func at(_ seconds: Double) -> Date { base.addingTimeInterval(seconds) }

func job(_ id: String, _ state: JobState, progress: Int? = nil, duration: Int? = nil, created: Double? = nil,
         resource: String? = "swr/app:1.0", creator: String? = "ops-bot") -> Job {
    Job(id: id, state: state, progress: progress, duration: duration, resource: resource, creatorName: creator,
        createdAt: created.map { at($0) })
}

func poll(_ jobs: [Job], at seconds: Double, target: Target = stage) -> PollResult {
    PollResult(target: target, outcome: .success(jobs), startedAt: at(seconds), endedAt: at(seconds), nextPollAt: at(seconds + 3))
}

func failedPoll(_ error: SWRError, at seconds: Double, target: Target = stage) -> PollResult {
    PollResult(target: target, outcome: .failure(error), startedAt: at(seconds), endedAt: at(seconds), nextPollAt: at(seconds + 8), failureStreak: 1)
}

func batch(_ results: PollResult..., pipelines: [Pipeline] = []) -> HistoryBatch {
    HistoryBatch(results: results, pipelines: pipelines)
}

/// A fresh folder under the system's temporary folder, removed when the body returns.
func withFolder<T>(_ body: (String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swr-history-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try await body(folder)
}

/// A history file in a fresh folder, with a writer and a reader for `host`; everything closed
/// and removed afterwards.
func withHistory<T>(settings: HistorySettings = HistorySettings(), _ body: (HistoryDatabase, HistoryWriter, HistoryReader) async throws -> T) async throws -> T {
    try await withFolder { folder in
        let database = try HistoryDatabase.open(path: folder + "/history.sqlite")
        let writer = HistoryWriter(database: database, host: host, settings: settings)
        let reader = HistoryReader(database: database, host: host)
        let result = try await body(database, writer, reader)
        await writer.close()
        database.close()
        return result
    }
}

/// Enqueues `batch` and waits until it is written.
func write(_ batch: HistoryBatch, _ writer: HistoryWriter) async {
    writer.enqueue(batch)
    await writer.flush()
}

/// Counts commits on the writer connection.
final class CommitCounter: TransactionObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var commits: Int { lock.withLock { count } }
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { lock.withLock { count += 1 } }
    func databaseDidRollback(_ db: Database) {}
}

/// Rows in a table.
func count(_ table: String, _ database: HistoryDatabase) throws -> Int {
    try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? 0 }
}

/// The total change count of the writer connection.
func totalChanges(_ database: HistoryDatabase) -> Int {
    database.writer.writeWithoutTransaction { $0.totalChangesCount }
}
