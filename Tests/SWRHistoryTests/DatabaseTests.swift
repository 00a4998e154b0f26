import Foundation
import GRDB
import Testing
@testable import SWRHistory

@Suite(.timeLimit(.minutes(3))) struct DatabaseTests {
    @Test func theMigratorBuildsTheSchemaFromEmpty() throws {
        let queue = try DatabaseQueue()
        try HistorySchema.migrator.migrate(queue)
        try queue.read { db in
            #expect(try HistorySchema.migrator.appliedIdentifiers(db) == ["v1", "v2"])
            #expect(try HistorySchema.migrator.hasCompletedMigrations(db))
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' ORDER BY name")
            #expect(tables == ["endpoint", "job", "observation", "pipeline_run", "pipeline_run_stage"])
            func columns(_ table: String) throws -> [String] { try db.columns(in: table).map(\.name) }
            #expect(try columns("job") == ["id", "endpoint", "pipeline", "stage", "job_id", "first_seen", "last_seen", "state", "raw_state",
                                           "progress", "duration", "created_at", "resource", "creator"])
            #expect(try columns("observation") == ["job", "at", "state", "raw_state", "progress", "duration"])
            #expect(try columns("pipeline_run") == ["id", "endpoint", "pipeline", "started_at", "ended_at", "status", "stage_index", "first_seen", "last_seen"])
            #expect(try columns("pipeline_run_stage") == ["run", "stage", "status", "started_at", "ended_at"])
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            #expect(indexes == ["job_by_stage_outcome", "observation_by_job"])
            // Nothing in the schema has room for a credential.
            let everyColumn = try ["endpoint", "job", "observation", "pipeline_run", "pipeline_run_stage"].flatMap(columns)
            #expect(!everyColumn.contains { $0.contains("token") || $0.contains("auth") || $0.contains("error") || $0.contains("password") })
            #expect(try db.foreignKeys(on: "observation").first?.destinationTable == "job")
        }
    }

    @Test func aFileIsWALWithABusyTimeoutAndPrivateModes() async throws {
        try await withFolder { folder async throws in
            let path = folder + "/a/b/history.sqlite"
            let database = try HistoryDatabase.open(path: path)
            #expect(database.notice == nil)
            let pragmas = try await database.writer.writeWithoutTransaction { db in
                [try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                 try String.fetchOne(db, sql: "PRAGMA busy_timeout"),
                 try String.fetchOne(db, sql: "PRAGMA foreign_keys")]
            }
            #expect(pragmas == ["wal", "2000", "1"])
            // A write makes the -wal and -shm files.
            let writer = HistoryWriter(database: database, host: host)
            await write(batch(poll([job("1", .building)], at: 0)), writer)
            #expect(mode(folder + "/a") == 0o700)
            #expect(mode(folder + "/a/b") == 0o700)
            #expect(mode(path) == 0o600)
            #expect(mode(path + "-wal") == 0o600)
            #expect(mode(path + "-shm") == 0o600)
            await writer.close()
            database.close()
            // Opening again migrates nothing and keeps the rows.
            let again = try HistoryDatabase.open(path: path)
            #expect(try count("job", again) == 1)
            #expect(try await again.writer.read { try HistorySchema.migrator.appliedIdentifiers($0) } == ["v1", "v2"])
            again.close()
        }
    }

    @Test func aDamagedFileIsMovedAsideAndANewOneStarted() async throws {
        try await withFolder { folder async throws in
            let path = folder + "/history.sqlite"
            let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            try garbage.write(to: URL(fileURLWithPath: path))
            let database = try HistoryDatabase.open(path: path, now: Date(timeIntervalSince1970: 1_700_000_000))
            let aside = path + ".corrupt-20231114-221320"
            #expect(database.notice == "history: \(path) was not a readable SQLite database; it was moved to \(aside) and a new history started.")
            #expect(try Data(contentsOf: URL(fileURLWithPath: aside)) == garbage)
            #expect(try count("job", database) == 0)
            #expect(mode(path) == 0o600)
            database.close()
        }
    }

    @Test func aFileOfTheFirstSchemaIsMigratedAndKeepsItsRows() async throws {
        try await withFolder { folder async throws in
            let path = folder + "/history.sqlite"
            // A file as the first release wrote it: schema v1 only, with a job and its timeline.
            let old = try DatabaseQueue(path: path)
            try HistorySchema.migrator.migrate(old, upTo: "v1")
            try await old.write { db in
                try db.execute(sql: """
                    INSERT INTO endpoint (id, host) VALUES (1, ?);
                    INSERT INTO job (id, endpoint, pipeline, stage, job_id, first_seen, last_seen, state, raw_state, progress, duration, created_at)
                    VALUES (1, 1, 1024, 1, '7', 1700000000, 1700000060, 'Successful', 'COMPLETED', 100, 60, 1700000000);
                    INSERT INTO observation (job, at, state, progress, duration) VALUES (1, 1700000060, 'Successful', 100, 60);
                    """, arguments: [host])
            }
            #expect(try await old.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'job_by_stage_time'") } == ["job_by_stage_time"])
            try old.close()

            let database = try HistoryDatabase.open(path: path)
            let (applied, indexes, plan) = try await database.writer.read { db in
                (try HistorySchema.migrator.appliedIdentifiers(db),
                 try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"),
                 try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + HistoryQueries.outcomeCounts,
                                  arguments: ["Successful", "Failed", "Timeout", "Cancelled", 1, 1024, 1, 0]).map { $0["detail"] as String }.joined())
            }
            #expect(applied == ["v1", "v2"])
            #expect(indexes == ["job_by_stage_outcome", "observation_by_job"])
            #expect(plan.contains("COVERING INDEX job_by_stage_outcome"))
            let reader = HistoryReader(database: database, host: host)
            let known = try await reader.lastKnown(timelines: .all)
            #expect(known.map(\.target) == [stage])
            #expect(known.first?.jobs.map(\.id) == ["7"])
            #expect(known.first?.timelines["7"]?.map(\.duration) == [60])
            #expect(try await reader.successRates(stage, now: at(60)).day.decided == 1)
            database.close()
        }
    }

    @Test func aFileFromANewerSwrTopIsNotTouched() async throws {
        try await withFolder { folder async throws in
            let path = folder + "/history.sqlite"
            var newer = HistorySchema.migrator
            newer.registerMigration("v99") { db in try db.execute(sql: "CREATE TABLE future (x)") }
            let queue = try DatabaseQueue(path: path)
            try newer.migrate(queue)
            try queue.close()
            #expect(throws: HistoryError(kind: .newerSchema, path: path, operation: .opening)) {
                try HistoryDatabase.open(path: path)
            }
        }
    }

    @Test func aFolderThatCannotBeMadeIsAPlainError() async throws {
        try await withFolder { folder async throws in
            let blocker = folder + "/not-a-folder"
            try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
            let path = blocker + "/history.sqlite"
            let error = try #require(throws: HistoryError.self) { try HistoryDatabase.open(path: path) }
            #expect(error.kind == .cannotOpen)
            #expect(error.description == "history: opening \(path) failed: the file or its folder cannot be created or opened; history is off for this session (the dashboard goes on): check the folder exists and is yours, or choose another file with --history PATH.")
        }
    }

    @Test func inMemoryHasTheSchema() throws {
        let database = try HistoryDatabase.inMemory()
        #expect(database.path == ":memory:")
        #expect(try count("job", database) == 0)
    }

    @Test func errorsReadInPlainWords() {
        let full = HistoryError(kind: .full, path: "/h.sqlite", operation: .writing, code: 13)
        #expect(full.description == "history: writing /h.sqlite failed: the disk is full; history is off for this session (the dashboard goes on): free some space, or point --history (history.path) at another disk.")
        let reading = HistoryError(kind: .busy, path: "/h.sqlite", operation: .reading)
        #expect(reading.description.contains("the history shown is incomplete"))
        let sqlite = HistoryError(DatabaseError(resultCode: .SQLITE_READONLY, message: "SELECT secret"), path: "/h", operation: .writing)
        #expect(sqlite.kind == .readOnly)
        #expect(!sqlite.description.contains("secret"))
    }
}

func mode(_ path: String) -> mode_t {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0 }
    return info.st_mode & 0o777
}
