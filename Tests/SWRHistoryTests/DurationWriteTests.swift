import Foundation
import GRDB
import Testing
import SWRAPI
import SWRWatch
@testable import SWRHistory

/// A running job's duration grows at every poll; the writer holds such duration-only changes
/// back to one write a minute (`HistoryWriter.durationRefresh`), and writes anything else at once.
@Suite(.timeLimit(.minutes(3))) struct DurationWriteTests {
    func running(_ seconds: Int, progress: Int = 50) -> Job {
        job("7", .building, progress: progress, duration: 10 + seconds, created: -10)
    }

    @Test func aRunningJobPolledEvery3sForFiveMinutesIsWrittenOnceAMinuteAndItsEndAtOnce() async throws {
        try await withHistory { database, writer, reader async throws in
            for t in stride(from: 0, to: 300, by: 3) {
                await write(batch(poll([running(t)], at: Double(t))), writer)
            }
            // Seen at 0 (new), then its duration alone at 60, 120, 180 and 240.
            #expect(writer.statistics.transactions == 5)
            #expect(try await reader.timeline(of: JobRef(target: stage, jobID: "7")).map(\.duration) == [10, 70, 130, 190, 250])
            #expect(try await reader.lastKnown().first?.jobs.first?.duration == 250)

            // The end is written with its batch, 3 s after the last poll, with its own duration.
            let done = job("7", .successful, progress: 100, duration: 313, created: -10)
            await write(batch(poll([done], at: 303)), writer)
            #expect(writer.statistics.transactions == 6)
            #expect(try await reader.lastKnown().first?.jobs == [done])
            let timeline = try await reader.timeline(of: JobRef(target: stage, jobID: "7"))
            #expect(timeline.last == Observation(at: at(303), state: .successful, progress: 100, duration: 313))
            #expect(timeline.count == 6)
            #expect(try count("observation", database) == 6)
        }
    }

    @Test func progressAStateWordOrANewJobIsWrittenAtOnce() async throws {
        try await withHistory { _, writer, reader async throws in
            await write(batch(poll([running(0)], at: 0)), writer)
            await write(batch(poll([running(3)], at: 3)), writer)
            #expect(writer.statistics.transactions == 1)
            // Progress moves: written at once, with the duration held back so far.
            await write(batch(poll([running(6, progress: 60)], at: 6)), writer)
            #expect(writer.statistics.transactions == 2)
            // The state word changes (still running): written at once.
            let queued = Job(id: "7", state: .building, rawState: "queued", progress: 60, duration: 19,
                             resource: "swr/app:1.0", creatorName: "ops-bot", createdAt: at(-10))
            await write(batch(poll([queued], at: 9)), writer)
            #expect(writer.statistics.transactions == 3)
            // A new job beside it: written at once (and the running one's duration waits).
            let next = job("8", .waiting, created: 11)
            await write(batch(poll([next, Job(id: "7", state: .building, rawState: "queued", progress: 60, duration: 22,
                                              resource: "swr/app:1.0", creatorName: "ops-bot", createdAt: at(-10))], at: 12)), writer)
            #expect(writer.statistics.transactions == 4)
            let known = try #require(try await reader.lastKnown().first)
            #expect(known.jobs.map(\.id) == ["8", "7"])
            #expect(known.jobs.last?.duration == 19)
            #expect(try await reader.timeline(of: JobRef(target: stage, jobID: "7")).map(\.progress) == [50, 60, 60])
        }
    }

    /// At quit, the duration held back is written: the file ends with what the session last saw.
    @Test func closingWritesTheDurationHeldBack() async throws {
        try await withFolder { folder async throws in
            let path = folder + "/history.sqlite"
            let database = try HistoryDatabase.open(path: path)
            let writer = HistoryWriter(database: database, host: host)
            for t in stride(from: 0, through: 42, by: 3) {
                await write(batch(poll([running(t)], at: Double(t))), writer)
            }
            // Seen at 0 (new); its duration alone moved since.
            #expect(writer.statistics.transactions == 1)
            await writer.close()
            #expect(writer.statistics.transactions == 2)
            // Closing again writes nothing more.
            await writer.close()
            #expect(writer.statistics.transactions == 2)
            database.close()

            // The next session finds the last duration, in the job's row and in its timeline.
            let again = try HistoryDatabase.open(path: path)
            defer { again.close() }
            let reader = HistoryReader(database: again, host: host)
            let known = try #require(try await reader.lastKnown().first)
            #expect(known.jobs == [running(42)])
            #expect(known.lastSeen == at(42))
            #expect(known.timelines["7"] == [
                Observation(at: at(0), state: .building, progress: 50, duration: 10),
                Observation(at: at(42), state: .building, progress: 50, duration: 52),
            ])
        }
    }

    /// What was held back and then written with a later change, or went back to the file's
    /// value, is not written again at close.
    @Test func closingWritesNothingWhenNothingIsHeldBack() async throws {
        let other = Target(pipeline: 1024, stage: 2)
        try await withHistory { _, writer, reader async throws in
            await write(batch(poll([running(0)], at: 0), poll([job("9", .building, progress: 10, duration: 5, created: -5)], at: 0, target: other)), writer)
            await write(batch(poll([running(3)], at: 3), poll([job("9", .building, progress: 10, duration: 8, created: -5)], at: 3, target: other)), writer)
            #expect(writer.statistics.transactions == 1)
            // Progress moves on the first stage (written with its duration); the second's
            // duration goes back to the file's value.
            await write(batch(poll([running(6, progress: 60)], at: 6), poll([job("9", .building, progress: 10, duration: 5, created: -5)], at: 6, target: other)), writer)
            #expect(writer.statistics.transactions == 2)
            await writer.close()
            #expect(writer.statistics.transactions == 2)
            #expect(try await reader.lastKnown(targets: [stage]).first?.jobs == [running(6, progress: 60)])
            #expect(try await reader.lastKnown(targets: [other]).first?.jobs.first?.duration == 5)
        }
    }

    @Test func aFinishedJobsDurationIsNotHeldBack() async throws {
        try await withHistory { _, writer, reader async throws in
            await write(batch(poll([job("5", .failed, progress: 40, duration: 30, created: -60)], at: 0)), writer)
            // The service corrects a finished job's duration: written at once.
            await write(batch(poll([job("5", .failed, progress: 40, duration: 31, created: -60)], at: 3)), writer)
            #expect(writer.statistics.transactions == 2)
            #expect(try await reader.lastKnown().first?.jobs.first?.duration == 31)
        }
    }
}
