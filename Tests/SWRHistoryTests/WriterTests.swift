import Foundation
import GRDB
import Testing
import SWRAPI
import SWRWatch
@testable import SWRHistory

@Suite(.timeLimit(.minutes(3))) struct WriterTests {
    let other = Target(pipeline: 2048, stage: 0)

    @Test func aBatchRoundTrips() async throws {
        try await withHistory { database, writer, reader async throws in
            let running = Job(id: "25003", state: .building, rawState: "running", progress: 41, duration: 6,
                              resource: "swr/tomcat:1.20.0", creatorName: "王伟", createdAt: at(-10))
            let done = Job(id: "24987", state: .successful, progress: 100, duration: 32, resource: nil, creatorName: nil, createdAt: at(-600))
            let odd = Job(id: "24990", state: .unknown("paused"), rawState: "paused", createdAt: nil)
            await write(batch(poll([running, odd, done], at: 0), poll([job("9", .failed, duration: 3, created: -50)], at: 1, target: other)), writer)
            #expect(writer.failure == nil)

            let known = try await reader.lastKnown(timelines: .all)
            #expect(known.map(\.target) == [stage, other])
            // Newest first; a job without a creation time counts from when it was first seen (now).
            #expect(known[0].jobs == [odd, running, done])
            #expect(known[0].jobs.first { $0.id == "24990" }?.state == .unknown("paused"))
            #expect(known[0].timelines["25003"] == [Observation(at: at(0), state: .building, progress: 41, duration: 6)])
            #expect(known[0].timelines["24990"] == [Observation(at: at(0), state: .unknown("paused"), progress: nil, duration: nil)])
            #expect(known[0].lastSeen == at(0))
            #expect(known[1].jobs == [job("9", .failed, duration: 3, created: -50)])

            // The job moves on: one timeline row per change, the row updated in place.
            let moved = Job(id: "25003", state: .building, rawState: "running", progress: 87, duration: 15,
                            resource: "swr/tomcat:1.20.0", creatorName: "王伟", createdAt: at(-10))
            await write(batch(poll([moved, odd, done], at: 3)), writer)
            #expect(try await reader.timeline(of: JobRef(target: stage, jobID: "25003")) == [
                Observation(at: at(0), state: .building, progress: 41, duration: 6),
                Observation(at: at(3), state: .building, progress: 87, duration: 15),
            ])
            #expect(try count("job", database) == 4)
            #expect(try count("observation", database) == 5)
            let seen = try await database.writer.read { db in
                try Double.fetchAll(db, sql: "SELECT first_seen - 1700000000 FROM job WHERE job_id = '25003' UNION ALL SELECT last_seen - 1700000000 FROM job WHERE job_id = '25003'")
            }
            #expect(seen == [0, 3])
        }
    }

    @Test func anUnchangedRoundWritesNothing() async throws {
        try await withHistory { database, writer, _ async throws in
            let jobs = [job("3", .building, progress: 50, duration: 30, created: -30), job("2", .successful, progress: 100, duration: 40, created: -300)]
            await write(batch(poll(jobs, at: 0), poll([job("1", .failed, created: -90)], at: 0, target: other)), writer)
            let commits = CommitCounter()
            database.writer.add(transactionObserver: commits, extent: .databaseLifetime)
            let before = totalChanges(database)
            let transactions = writer.statistics.transactions
            for round in 1...20 {
                await write(batch(poll(jobs, at: Double(round) * 3), poll([job("1", .failed, created: -90)], at: Double(round) * 3, target: other)), writer)
            }
            #expect(totalChanges(database) == before)
            #expect(commits.commits == 0)
            #expect(writer.statistics.transactions == transactions)
            #expect(writer.statistics.batches == 21)
        }
    }

    @Test func aRestartReadsTheFileInsteadOfWritingAgain() async throws {
        try await withFolder { folder async throws in
            let path = folder + "/history.sqlite"
            let jobs = [job("3", .building, progress: 50, duration: 30, created: -30), job("2", .successful, progress: 100, duration: 40, created: -300)]
            let first = try HistoryDatabase.open(path: path)
            let writer = HistoryWriter(database: first, host: host)
            await write(batch(poll(jobs, at: 0)), writer)
            await writer.close()
            first.close()

            let second = try HistoryDatabase.open(path: path)
            let again = HistoryWriter(database: second, host: host)
            // The same answer a minute later: only the start-up clean-up's empty transaction.
            await write(batch(poll(jobs, at: 60)), again)
            #expect(again.statistics.rowsChanged == 0)
            // The running job finished while swr-top was away: one row updated, one timeline row.
            let finished = [job("3", .successful, progress: 100, duration: 55, created: -30), jobs[1]]
            await write(batch(poll(finished, at: 63)), again)
            #expect(again.statistics.rowsChanged == 2)
            #expect(try await HistoryReader(database: second, host: host).timeline(of: JobRef(target: stage, jobID: "3")).map(\.state) == [.building, .successful])
            await again.close()
            second.close()
        }
    }

    @Test func oneTransactionPerBatch() async throws {
        try await withHistory { database, writer, _ async throws in
            await write(batch(poll([job("0", .successful, duration: 1, created: -1000)], at: 0)), writer)
            let commits = CommitCounter()
            database.writer.add(transactionObserver: commits, extent: .databaseLifetime)
            let targets = (0..<5).map { Target(pipeline: 1, stage: $0) }
            let results = targets.map { target in
                poll((0..<30).map { job("\(target.stage)-\($0)", .building, progress: $0, duration: $0, created: Double($0)) }, at: 3, target: target)
            }
            let pipeline = Pipeline(id: 1, name: "p", stages: [], status: PipelineStatus(status: "running", stageIndex: 2, startTime: at(-100), stages: [StageStatus(status: "success")]))
            await write(HistoryBatch(results: results, pipelines: [pipeline]), writer)
            #expect(commits.commits == 1)
            #expect(try count("job", database) == 151)
            #expect(try count("observation", database) == 151)
            #expect(try count("pipeline_run", database) == 1)
        }
    }

    @Test func lastSeenIsRefreshedAtMostEveryTenMinutes() async throws {
        try await withHistory { database, writer, _ async throws in
            let jobs = [job("1", .successful, duration: 5, created: -60), job("2", .failed, duration: 5, created: -120)]
            await write(batch(poll(jobs, at: 0)), writer)
            func lastSeen() async throws -> [Double] {
                try await database.writer.read { try Double.fetchAll($0, sql: "SELECT last_seen - 1700000000 FROM job ORDER BY job_id") }
            }
            await write(batch(poll(jobs, at: 599)), writer)
            #expect(try await lastSeen() == [0, 0])
            let changed = writer.statistics.rowsChanged
            await write(batch(poll(jobs, at: 600)), writer)
            #expect(try await lastSeen() == [600, 600])
            #expect(writer.statistics.rowsChanged == changed + 2)
            await write(batch(poll(jobs, at: 900)), writer)
            #expect(try await lastSeen() == [600, 600])
            #expect(try count("observation", database) == 2)
        }
    }

    @Test func failedPollsDuplicateIdsAndHugeAnswers() async throws {
        try await withHistory { database, writer, reader async throws in
            await write(batch(failedPoll(.server(status: 500, message: "boom"), at: 0)), writer)
            #expect(try count("job", database) == 0)
            // Duplicate ids: the first (newest) one is kept.
            await write(batch(poll([job("5", .building, progress: 10, created: 10), job("5", .failed, created: 1)], at: 3)), writer)
            #expect(try await reader.recentJobs(stage).map(\.state) == [.building])
            // 5,000 jobs: the newest 200 are kept, as in the in-memory store.
            let many = (0..<5000).map { job("\($0)", .successful, duration: $0, created: Double($0)) }
            await write(batch(poll(many, at: 6, target: other)), writer)
            let recent = try await reader.recentJobs(other, limit: 1000)
            #expect(recent.count == HistoryStore.jobCap)
            #expect(recent.first?.id == "4999")
            #expect(recent.last?.id == "4800")
        }
    }

    @Test func pipelineRunsAreOneRowUpdatedAsTheyGo() async throws {
        try await withHistory { database, writer, reader async throws in
            func detail(_ status: String, stageIndex: Int, start: Double?, end: Double? = nil, stages: [String]) -> Pipeline {
                Pipeline(id: 1024, name: "tomcat", stages: [], status: PipelineStatus(
                    status: status, stageIndex: stageIndex, startTime: start.map(at), endTime: end.map(at),
                    stages: stages.map { StageStatus(status: $0) }))
            }
            await write(HistoryBatch(pipelines: [detail("running", stageIndex: 0, start: -100, stages: ["running", "waiting"])], at: at(0)), writer)
            let commits = CommitCounter()
            database.writer.add(transactionObserver: commits, extent: .databaseLifetime)
            await write(HistoryBatch(pipelines: [detail("running", stageIndex: 0, start: -100, stages: ["running", "waiting"])], at: at(60)), writer)
            #expect(commits.commits == 0)
            await write(HistoryBatch(pipelines: [detail("running", stageIndex: 1, start: -100, stages: ["success", "running"])], at: at(120)), writer)
            await write(HistoryBatch(pipelines: [detail("success", stageIndex: 1, start: -100, end: 200, stages: ["success", "success"])], at: at(200)), writer)
            #expect(try count("pipeline_run", database) == 1)
            // A new run; a status without a start time is not recorded.
            await write(HistoryBatch(pipelines: [detail("running", stageIndex: 0, start: 500, stages: ["running"])], at: at(500)), writer)
            await write(HistoryBatch(pipelines: [detail("running", stageIndex: 0, start: nil, stages: ["running"])], at: at(510)), writer)
            let runs = try await reader.runs(pipeline: 1024)
            #expect(runs.count == 2)
            #expect(runs[1].status == PipelineStatus(status: "success", stageIndex: 1, startTime: at(-100), endTime: at(200),
                                                     stages: [StageStatus(status: "success"), StageStatus(status: "success")]))
            #expect(runs[1].firstSeen == at(0))
            #expect(runs[1].lastSeen == at(200))
            #expect(runs[0].status.stages == [StageStatus(status: "running")])
            #expect(try await reader.runs(pipeline: 1).isEmpty)
        }
    }

    @Test func hostileValuesRoundTrip() async throws {
        try await withHistory { database, writer, reader async throws in
            let long = String(repeating: "9", count: ServerLimits.maxIDLength)
            let ids = ["'; DROP TABLE job; --", "\"quoted\"", "7\u{0}1", "7", "\u{E000}0", "\u{0}", "🚀💥", long, "a\u{1B}[31mred", "  "]
            let jobs = ids.enumerated().map { index, id in
                Job(id: id, state: index == 0 ? .unknown("wei\u{0}rd") : .successful, rawState: index == 0 ? "wei\u{0}rd" : nil,
                    progress: 100, duration: ServerLimits.maxDuration,
                    resource: "res\u{0}\n\u{1B}]52;c;evil\u{07}", creatorName: "王\u{0}伟 🚀", createdAt: at(Double(index)))
            }
            await write(batch(poll(jobs, at: 0)), writer)
            #expect(writer.failure == nil)
            #expect(try count("job", database) == ids.count)
            let known = try await reader.lastKnown(jobsPerStage: 100, timelines: .all)
            #expect(Set(known[0].jobs.map(\.id)) == Set(ids))
            for original in jobs {
                let stored = known[0].jobs.first { $0.id == original.id }
                #expect(stored == original, "id \(original.id.debugDescription)")
                #expect(try await reader.timeline(of: JobRef(target: stage, jobID: original.id)).count == 1)
            }
            // The same answer again is unchanged (the escaping reads back exactly).
            let changed = writer.statistics.rowsChanged
            await write(batch(poll(jobs, at: 3)), writer)
            #expect(writer.statistics.rowsChanged == changed)
            // Ten years a run, twenty times: no trap in the percentiles.
            let huge = (0..<20).map { job("h\($0)", .successful, duration: ServerLimits.maxDuration, created: Double(100 + $0)) }
            await write(batch(poll(huge, at: 6, target: other)), writer)
            #expect(try await reader.usualDuration(other) == UsualDuration(samples: 20, p50: Double(ServerLimits.maxDuration), p90: Double(ServerLimits.maxDuration)))
            // Extreme times.
            let extreme = [Job(id: "far", state: .waiting, createdAt: .distantFuture), Job(id: "old", state: .waiting, createdAt: .distantPast)]
            await write(batch(poll(extreme, at: 9, target: Target(pipeline: Int.max, stage: Int.min))), writer)
            #expect(try await reader.recentJobs(Target(pipeline: Int.max, stage: Int.min)).map(\.id) == ["far", "old"])
        }
    }

    @Test func theTokenIsNeverInTheFile() async throws {
        let secret = "MIIDtoken-8c1f2e7d-SECRET-\(UUID().uuidString)"
        setenv("SWR_TOKEN", secret, 1)
        defer { unsetenv("SWR_TOKEN") }
        try await withFolder { folder async throws in
            let path = folder + "/history.sqlite"
            let database = try HistoryDatabase.open(path: path)
            // Everything the session could hand over: an endpoint URL with the token in it,
            // failed polls whose messages echo it, alongside ordinary answers.
            let endpoint = "https://token:\(secret)@swr-api.example.com/v2?X-Auth-Token=\(secret)"
            let writer = HistoryWriter(database: database, host: HistoryHost.key(endpoint: endpoint))
            await write(batch(
                failedPoll(.unauthorized(message: "token \(secret) expired"), at: 0),
                failedPoll(.transport("X-Auth-Token: \(secret)"), at: 0, target: other),
                poll([job("marker-job-4242", .building, progress: 3, created: 0)], at: 0, target: Target(pipeline: 7, stage: 0))
            ), writer)
            await write(batch(failedPoll(.badRequest(message: secret), at: 3, target: Target(pipeline: 7, stage: 0))), writer)
            #expect(writer.failure == nil)
            func bytes() -> Data {
                ["", "-wal", "-shm"].reduce(into: Data()) { all, suffix in
                    if let data = FileManager.default.contents(atPath: path + suffix) { all.append(data) }
                }
            }
            // Before and after the WAL is folded into the file.
            for phase in ["open", "closed"] {
                let data = bytes()
                #expect(data.range(of: Data("marker-job-4242".utf8)) != nil, "the search works (\(phase))")
                #expect(data.range(of: Data("swr-api.example.com".utf8)) != nil, "(\(phase))")
                #expect(data.range(of: Data(secret.utf8)) == nil, "the token is in the file (\(phase))")
                #expect(data.range(of: Data("SECRET".utf8)) == nil, "(\(phase))")
                await writer.close()
                database.close()
            }
        }
    }

    @Test func retentionRemovesWhatWasNotSeenForKeepDays() async throws {
        try await withHistory(settings: HistorySettings(keepDays: 1)) { database, writer, reader in
            let day = 86_400.0
            let pipeline = Pipeline(id: 1024, name: "p", stages: [], status: PipelineStatus(status: "success", stageIndex: 0, startTime: at(-50), stages: [StageStatus(status: "success")]))
            await write(HistoryBatch(results: [poll([job("old", .successful, duration: 5, created: -100)], at: 0)], pipelines: [pipeline], at: at(0)), writer)
            await write(batch(poll([job("new", .building, created: day)], at: day)), writer)
            #expect(try count("job", database) == 2)
            // Within the hour since the last clean-up: nothing removed yet.
            await write(batch(poll([job("new", .building, created: day)], at: day + 1800)), writer)
            #expect(try count("job", database) == 2)
            // Past it: "old" was last seen more than a day ago.
            await write(batch(poll([job("new", .building, created: day)], at: day + 3600)), writer)
            #expect(try await reader.recentJobs(stage).map(\.id) == ["new"])
            #expect(try count("observation", database) == 1)
            #expect(try count("pipeline_run", database) == 0)
            #expect(try count("pipeline_run_stage", database) == 0)
            // Seen again, it is simply new.
            await write(batch(poll([job("new", .building, created: day), job("old", .successful, duration: 5, created: -100)], at: day + 3603)), writer)
            let old = try await reader.recentJobs(stage).first { $0.id == "old" }
            #expect(old?.firstSeen == at(day + 3603))
            #expect(try await reader.timeline(of: JobRef(target: stage, jobID: "old")).count == 1)
        }
    }

    @Test func retentionKeepsAStagesNewestJobsUnderTheCap() async throws {
        let database = try HistoryDatabase.inMemory()
        let writer = HistoryWriter(database: database, host: host)
        await write(batch(poll((0..<10).map { job("\($0)", .successful, duration: $0, created: Double($0)) }, at: 0),
                          poll([job("x", .failed, created: 0)], at: 0, target: other)), writer)
        await writer.close()
        try await database.writer.write { db in try Retention.prune(db, before: at(-1), maxJobsPerStage: 3) }
        let reader = HistoryReader(database: database, host: host)
        #expect(try await reader.recentJobs(stage).map(\.id) == ["9", "8", "7"])
        #expect(try await reader.recentJobs(other).map(\.id) == ["x"])
        #expect(try count("observation", database) == 4)
    }

    @Test func aFullDiskStopsTheWriterWithAPlainMessage() async throws {
        try await withHistory { database, writer, reader async throws in
            await write(batch(poll([job("1", .building, created: 0)], at: 0)), writer)
            // The file may not grow by a single page any more: SQLite reports SQLITE_FULL.
            try await database.writer.write { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
                _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
            }
            let big = (0..<300).map { job("big-\($0)", .waiting, created: Double($0), resource: String(repeating: "r", count: 500)) }
            await write(batch(poll(big, at: 3, target: other)), writer)
            let failure = try #require(writer.failure)
            #expect(failure.kind == .full)
            #expect(failure.operation == .writing)
            #expect(failure.description == "history: writing \(database.path) failed: the disk is full; history is off for this session (the dashboard goes on): free some space, or point --history (history.path) at another disk.")
            // Nothing half-written; later batches return at once and write nothing.
            #expect(try count("job", database) == 1)
            for round in 2...50 { writer.enqueue(batch(poll([job("1", .successful, created: 0)], at: Double(round * 3)))) }
            await writer.flush()
            #expect(writer.statistics.batches == 51)
            #expect(try await reader.recentJobs(stage).map(\.state) == [.building])
            #expect(writer.failure == failure)
        }
    }

    @Test func aReadOnlyFileStopsTheWriterWithAPlainMessage() async throws {
        try await withHistory { database, writer, _ async throws in
            try await database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 1") }
            await write(batch(poll([job("1", .building, created: 0)], at: 0)), writer)
            let failure = try #require(writer.failure)
            #expect(failure.kind == .readOnly)
            #expect(failure.description.hasPrefix("history: writing \(database.path) failed: the file or its folder is read-only; history is off for this session (the dashboard goes on)"))
            try await database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 0") }
        }
    }

    @Test(.enabled(if: geteuid() != 0, "root may write anywhere")) func aReadOnlyFolderIsAPlainErrorAtOpen() async throws {
        try await withFolder { folder async throws in
            let locked = folder + "/locked"
            try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
            chmod(locked, 0o500)
            defer { chmod(locked, 0o700) }
            let error = try #require(throws: HistoryError.self) { try HistoryDatabase.open(path: locked + "/history.sqlite") }
            #expect(error.kind == .readOnly)
        }
    }

    @Test func readersSeeWholeBatchesWhileTheWriterWrites() async throws {
        try await withHistory { database, writer, reader async throws in
            // Under 100 rounds, every job's progress moves every round (see the count below).
            let rounds = 40
            try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    for round in 0..<rounds {
                        // Each batch: a new job and a change of every earlier one.
                        let jobs = (0...round).map { job("\($0)", .building, progress: min(100, round - $0), created: Double($0)) }
                        writer.enqueue(batch(poll(jobs, at: Double(round) * 3)))
                    }
                    await writer.flush()
                    return 0
                }
                for _ in 0..<2 {
                    group.addTask {
                        var reads = 0
                        while true {
                            // In one read: every stored job has its timeline rows (never a half batch).
                            let (jobs, orphans, observations) = try await database.writer.read { db in
                                (try Int.fetchOne(db, sql: "SELECT count(*) FROM job") ?? 0,
                                 try Int.fetchOne(db, sql: "SELECT count(*) FROM job WHERE NOT EXISTS (SELECT 1 FROM observation WHERE job = job.id)") ?? 0,
                                 try Int.fetchOne(db, sql: "SELECT count(*) FROM observation") ?? 0)
                            }
                            #expect(orphans == 0)
                            // Job n has one row per round it changed in: round n..., a triangle.
                            #expect(observations == jobs * (jobs + 1) / 2)
                            _ = try await reader.stageHistory(stage, now: at(0))
                            reads += 1
                            if jobs == rounds { return reads }
                        }
                    }
                }
                var total = 0
                for try await reads in group { total += reads }
                #expect(total > 0)
            }
            #expect(writer.failure == nil)
            #expect(try count("job", database) == rounds)
        }
    }

    @Test func twoWritersOnOneFile() async throws {
        try await withFolder { folder async throws in
            let path = folder + "/history.sqlite"
            let one = try HistoryDatabase.open(path: path)
            let two = try HistoryDatabase.open(path: path)
            let a = HistoryWriter(database: one, host: host)
            let b = HistoryWriter(database: two, host: host)
            for round in 0..<40 {
                let jobs = [job("1", .building, progress: round, created: 0)]
                a.enqueue(batch(poll(jobs, at: Double(round) * 3)))
                b.enqueue(batch(poll(jobs, at: Double(round) * 3)))
                b.enqueue(batch(poll([job("b\(round)", .successful, created: Double(round))], at: Double(round) * 3, target: other)))
            }
            await a.flush()
            await b.flush()
            #expect(a.failure == nil && b.failure == nil)
            #expect(try count("job", one) == 41)
            // Both saw the same changes of job 1: each written once (or twice at most when both
            // raced on one round), never lost.
            let progress = try await HistoryReader(database: one, host: host).timeline(of: JobRef(target: stage, jobID: "1")).compactMap(\.progress)
            #expect(Set(progress) == Set(0..<40))
            #expect(progress == progress.sorted())
            await a.close(); await b.close()
            one.close(); two.close()
        }
    }
}
