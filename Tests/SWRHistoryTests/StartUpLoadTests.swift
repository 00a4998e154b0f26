import Foundation
import GRDB
import Testing
import SWRAPI
import SWRWatch
@testable import SWRHistory

/// The start-up load (`StartUpLoad`: statements prepared once, rows read by position, sorted only
/// on a tie) answers exactly what a straightforward reading of the file answers: one query per
/// stage, columns by name, every row copied, everything sorted. On a real file written by the
/// writer, with stages of many jobs, of fewer than 50, empty ones, ties on the time, jobs without
/// a creation time, escaped ids, unknown states and running jobs with long timelines.
@Suite(.timeLimit(.minutes(3))) struct StartUpLoadTests {
    static let many = Target(pipeline: 1024, stage: 0)
    static let few = Target(pipeline: 1024, stage: 1)
    static let exactly50 = Target(pipeline: 1024, stage: 2)
    static let empty = Target(pipeline: 1024, stage: 3)
    static let elsewhere = Target(pipeline: 77, stage: 0)
    static let asked = [many, empty, few, exactly50, elsewhere, Target(pipeline: 1, stage: 9)]
    static let now = at(200_000)

    /// Jobs `0..<count` of a stage: a deterministic mix of states, durations and times, several
    /// sharing a creation time (numeric and other ids), some without one.
    static func jobs(_ count: Int, stage: Int, running: Int) -> [Job] {
        var seed: UInt64 = 0x9E37_79B9 &+ UInt64(stage)
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % bound
        }
        let finished: [JobState] = [.successful, .successful, .successful, .failed, .timeout, .cancelled, .unknown("paused")]
        return (0..<count).map { n in
            let id = n % 9 == 4 ? "x\(n)" : n == 5 ? "7\u{0}1" : n == 6 ? "e\u{E000}" : String(n)
            let state = n >= count - running ? (n % 2 == 0 ? .building : .waiting) : finished[next(finished.count)]
            // Every third job shares its time with the one before; every eleventh has none.
            let created: Double? = n % 11 == 10 ? nil : Double((n - (n % 3 == 2 ? 1 : 0)) * 600 + 100_000)
            return job(id, state, progress: state.isFinal ? 100 : next(100), duration: next(5) == 0 ? nil : next(900), created: created)
        }
    }

    /// Writes the stages through the writer: three rounds, the running jobs moving in each.
    func fill(_ writer: HistoryWriter) async {
        for round in 0..<3 {
            let seconds = 190_000 + Double(round) * 100
            func moved(_ jobs: [Job]) -> [Job] {
                jobs.map { job in
                    var job = job
                    if !job.state.isFinal { job.progress = min(100, (job.progress ?? 0) + round * 7); job.duration = (job.duration ?? 0) + round * 100 }
                    return job
                }
            }
            await write(batch(poll(moved(Self.jobs(80, stage: 0, running: 3)), at: seconds, target: Self.many),
                              poll(moved(Self.jobs(12, stage: 1, running: 1)), at: seconds, target: Self.few),
                              poll(moved(Self.jobs(50, stage: 2, running: 2)), at: seconds, target: Self.exactly50),
                              poll(moved(Self.jobs(30, stage: 5, running: 0)), at: seconds, target: Self.elsewhere)), writer)
        }
    }

    @Test func theLoadIsTheStraightforwardReading() async throws {
        try await withHistory { database, writer, reader async throws in
            await fill(writer)
            // Another endpoint's rows on the same stages are never read.
            let stranger = HistoryWriter(database: database, host: "elsewhere.example.com")
            await write(batch(poll(Self.jobs(60, stage: 9, running: 2), at: 190_000, target: Self.many)), stranger)
            await stranger.close()

            for scope in [TimelineScope.none, .unfinished, .all] {
                for limit in [50, 5, 0, 1000] {
                    let expected = try await reference(database) { db, endpoint in
                        try Self.asked.compactMap { try Reference.knownStage(db, endpoint: endpoint, target: $0, jobs: limit, timelines: scope) }
                    }
                    let loaded = try await reader.lastKnown(targets: Self.asked, jobsPerStage: limit, timelines: scope)
                    #expect(loaded == expected, "\(scope), \(limit) jobs per stage")
                }
            }
            let everyStage = try await reader.lastKnown()
            #expect(everyStage.map(\.target) == [Self.elsewhere, Self.many, Self.few, Self.exactly50])
            #expect(everyStage == (try await reader.lastKnown(targets: [Self.elsewhere, Self.many, Self.few, Self.exactly50])))
            // The shape itself: 50 of 80, all of 12, the running jobs' timelines of three rounds.
            let known = try await reader.lastKnown(targets: Self.asked)
            #expect(known.map(\.jobs.count) == [50, 12, 50, 30])
            #expect(Set(known[0].timelines.keys) == Set(known[0].jobs.filter { !$0.state.isFinal }.map(\.id)))
            #expect(["77", "78", "79"].map { known[0].timelines[$0]?.count } == [3, 3, 3])
            #expect(known[0].jobs.contains { $0.id == "7\u{0}1" } == false && known[1].jobs.contains { $0.id == "7\u{0}1" })

            for samples in [20, 3, 0] {
                let expected = try await reference(database) { db, endpoint in
                    try Self.asked.map { target in
                        StageFigures(target: target, usual: try Reference.usual(db, endpoint: endpoint, target: target, samples: samples),
                                     week: try Reference.outcomes(db, endpoint: endpoint, target: target, since: Self.now.addingTimeInterval(-SuccessRates.week)))
                    }
                }
                #expect(try await reader.figures(Self.asked, now: Self.now, samples: samples) == expected, "\(samples) samples")
            }
            let figures = try await reader.figures(Self.asked, now: Self.now)
            #expect(!figures[0].usual.isEmpty && figures[1].usual.isEmpty && figures[5].usual.isEmpty)
            #expect(figures[0].week.decided > 0 && figures[0].week.cancelled > 0)

            let week = try await reader.weekOutcomes(Self.asked, now: Self.now)
            #expect(week == Dictionary(uniqueKeysWithValues: figures.map { ($0.target, $0.week) }))
        }
    }

    /// Hundreds of stages are read in parts at once (`HistoryReader.stagesPerPart`, one part per
    /// reader connection): the answer is the one a stage-by-stage reading gives, in the order
    /// asked, with the stages that have nothing stored left out (jobs) or empty (figures).
    @Test func manyStagesReadInPartsAnswerAsStageByStage() async throws {
        try await withHistory { _, writer, reader async throws in
            let targets = (0..<300).map { Target(pipeline: 2000 + $0 / 4, stage: $0 % 4) }
            let stored = targets.enumerated().filter { $0.offset % 3 != 1 }
            writer.enqueue(HistoryBatch(results: stored.map { poll(Self.jobs(6, stage: $0.offset, running: 2), at: 190_000, target: $0.element) }))
            await writer.flush()
            let asked = Array(targets.reversed())
            #expect(asked.count / HistoryReader.stagesPerPart >= 2)
            let whole = try await reader.lastKnown(targets: asked)
            var stageByStage: [KnownStage] = []
            for target in asked { stageByStage += try await reader.lastKnown(targets: [target]) }
            #expect(whole.count == stored.count)
            #expect(whole == stageByStage)
            let figures = try await reader.figures(asked, now: Self.now)
            var figuresByStage: [StageFigures] = []
            for target in asked { figuresByStage += try await reader.figures([target], now: Self.now) }
            #expect(figures.map(\.target) == asked)
            #expect(figures == figuresByStage)
            #expect(figures.contains { !$0.usual.isEmpty } && figures.contains { $0.usual.isEmpty })
        }
    }

    /// A count is read from a statement left after its one row: the next read on that connection
    /// still sees the rounds written since (the statement is reset, its snapshot let go).
    @Test func aReadNeverKeepsAnOldSnapshot() async throws {
        try await withHistory { _, writer, reader async throws in
            for n in 1...4 {
                await write(batch(poll((1...n).map { job("\($0)", .failed, created: Double($0)) }, at: Double(n) * 10)), writer)
                #expect(try await reader.weekOutcomes([stage], now: at(100))[stage]?.failed == n)
                #expect(try await reader.figures([stage], now: at(100)).first?.week.failed == n)
                #expect(try await reader.successRates(stage, now: at(100)).week.failed == n)
                #expect(try await reader.lastKnown(targets: [stage]).first?.jobs.count == n)
            }
        }
    }

    /// Runs `body` in a read transaction with the test endpoint's id.
    func reference<T: Sendable>(_ database: HistoryDatabase, _ body: @escaping @Sendable (Database, Int64) throws -> T) async throws -> T {
        try await database.writer.read { db in
            let endpoint = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM endpoint WHERE host = ?", arguments: [host]))
            return try body(db, endpoint)
        }
    }
}

/// The start-up's questions asked the plain way: `SELECT *`, columns by name, every row copied,
/// sorted in Swift afterwards.
enum Reference {
    static let time = "coalesce(created_at, first_seen)"

    static func knownStage(_ db: Database, endpoint: Int64, target: Target, jobs limit: Int, timelines scope: TimelineScope) throws -> KnownStage? {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM job WHERE endpoint = ? AND pipeline = ? AND stage = ? ORDER BY \(time) DESC LIMIT ?",
                                    arguments: [endpoint, target.pipeline, target.stage, max(0, limit)])
        guard !rows.isEmpty else { return nil }
        let entries = rows.map { row -> (at: Date, id: String, row: Int64, job: Job) in
            let id = StoredText.decode(row["job_id"] as String)
            let job = StoredJob(row: row).job(id: id)
            return (job.createdAt ?? Date(timeIntervalSince1970: row["first_seen"]), id, row["id"], job)
        }.sorted { HistoryQueries.newestFirst(($0.at, $0.id), ($1.at, $1.id)) }
        var timelines: [String: [Observation]] = [:]
        for entry in entries where scope == .all || (scope == .unfinished && !entry.job.state.isFinal) {
            let observed = try Row.fetchAll(db, sql: "SELECT * FROM observation WHERE job = ? ORDER BY at DESC, rowid DESC LIMIT ?",
                                            arguments: [entry.row, HistoryStore.timelineCap])
            timelines[entry.id] = observed.reversed().map { row in
                Observation(at: Date(timeIntervalSince1970: row["at"]),
                            state: StoredState.state(label: row["state"], raw: StoredText.decode(row["raw_state"] as String?)),
                            progress: row["progress"], duration: row["duration"])
            }
        }
        let lastSeen = rows.map { Date(timeIntervalSince1970: $0["last_seen"]) }.max() ?? .distantPast
        return KnownStage(target: target, jobs: entries.map(\.job), timelines: timelines, lastSeen: lastSeen)
    }

    static func usual(_ db: Database, endpoint: Int64, target: Target, samples: Int) throws -> [UsualSample] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM job WHERE endpoint = ? AND pipeline = ? AND stage = ? AND state = 'Successful' AND duration >= 0
            ORDER BY \(time) DESC LIMIT ?
            """, arguments: [endpoint, target.pipeline, target.stage, max(0, samples)]).map { row in
            let createdAt: Double? = row["created_at"]
            return UsualSample(jobID: StoredText.decode(row["job_id"] as String), duration: row["duration"],
                               at: Date(timeIntervalSince1970: createdAt ?? row["first_seen"]))
        }.sorted { HistoryQueries.newestFirst(($0.at, $0.jobID), ($1.at, $1.jobID)) }
    }

    static func outcomes(_ db: Database, endpoint: Int64, target: Target, since: Date) throws -> OutcomeCounts {
        var counts = OutcomeCounts()
        for label in try String.fetchAll(db, sql: "SELECT state FROM job WHERE endpoint = ? AND pipeline = ? AND stage = ? AND \(time) >= ?",
                                         arguments: [endpoint, target.pipeline, target.stage, since.timeIntervalSince1970]) {
            counts.add(StoredState.state(label: label, raw: nil))
        }
        return counts
    }
}
