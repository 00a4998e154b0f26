import Foundation
import GRDB
import Testing
import SWRAPI
import SWRWatch
@testable import SWRHistory

/// What an idle world costs the disk: 5 pipelines × 4 stages, 10 finished jobs each, every
/// stage polled every 3 s (more often than the engine really polls settled stages), nothing
/// changing, for 60 simulated minutes. Prints the figures quoted in the report:
/// `swift test --skip-build --filter IdleCostTests`.
@Suite(.timeLimit(.minutes(3))) struct IdleCostTests {
    @Test func anIdleWorldWritesAlmostNothing() async throws {
        try await withFolder { folder async throws in
            let path = folder + "/history.sqlite"
            let database = try HistoryDatabase.open(path: path)
            // Keep every WAL frame so its size is the bytes written (no checkpoint resets it).
            _ = try await database.writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint = 0") }
            let writer = HistoryWriter(database: database, host: host)
            let targets = (1...5).flatMap { p in (0..<4).map { Target(pipeline: p, stage: $0) } }
            let jobs = Dictionary(uniqueKeysWithValues: targets.map { target in
                (target, (0..<10).map { job("\(target.pipeline)\(target.stage)\($0)", $0 % 3 == 0 ? .failed : .successful,
                                           progress: 100, duration: 30 + $0, created: Double(-600 * $0)) })
            })
            func round(_ seconds: Double) -> HistoryBatch {
                HistoryBatch(results: targets.map { poll(jobs[$0]!, at: seconds, target: $0) })
            }
            await write(round(0), writer)
            let walStart = size(path + "-wal")
            let start = writer.statistics
            let minutes = 60
            for i in 1...(minutes * 20) {
                writer.enqueue(round(Double(i) * 3))
                if i % 100 == 0 { await writer.flush() }
            }
            await writer.flush()
            let end = writer.statistics
            let walBytes = size(path + "-wal") - walStart
            let rows = end.rowsChanged - start.rowsChanged
            let transactions = end.transactions - start.transactions
            print("idle: \(targets.count) stages × 10 jobs, polled every 3 s for \(minutes) min: \(end.batches - start.batches) rounds, "
                + "\(transactions) transactions, \(rows) rows changed (\(Double(rows) / Double(minutes)) rows/min), "
                + "\(walBytes) WAL bytes (\(walBytes / minutes) bytes/min)")
            #expect(writer.failure == nil)
            #expect(end.dropped == 0)
            // last_seen of the 200 jobs at minutes 10, 20 ... 60; the hourly clean-up (nothing
            // to remove) rides in the last of those transactions.
            #expect(rows == 200 * 6)
            #expect(transactions == 6)
            #expect(walBytes < 64 * 1024 * minutes)
            await writer.close()
            database.close()
        }
    }
}

func size(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
}
