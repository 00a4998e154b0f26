import Foundation
import Testing
@testable import SWRAPI
@testable import SWRHistory
@testable import SWRSession
@testable import SWRWatch

/// The session's history: what `--watch`, `--once` and the dashboard see is recorded, and what
/// an earlier session saw comes back.
@Suite(.timeLimit(.minutes(1))) struct SessionHistoryTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("swr-top-history-\(UUID().uuidString)/history.sqlite").path
    }

    func open(_ path: String, enabled: Bool = true) -> (SessionHistory?, String?) {
        SessionHistory.open(settings: HistorySettings(enabled: enabled), flag: path, endpoint: "https://swr.example.com",
                            demo: false, environment: ["HOME": "/nonexistent"])
    }

    @Test func aWatchIsRecordedAndTheNextSessionSeesIt() async throws {
        let path = temporaryPath()
        let (history, notice) = open(path)
        let recorder = try #require(history)
        #expect(notice == nil)
        let follower = WatchFollower(targets: [Fixture.build], format: WatchFormat(pipelines: Fixture.pipelines, json: false),
                                     exitStatus: false, output: CapturedOutput().output, history: recorder)
        let results = [Fixture.result(Fixture.build, [Fixture.job("b1", .building, progress: 10)], at: 1),
                       Fixture.result(Fixture.build, [Fixture.job("b1", .successful, progress: 100, duration: 30)], at: 4)]
        _ = await follower.follow(AsyncStream { continuation in
            for result in results { continuation.yield(result) }
            continuation.finish()
        }) { _ in }
        await recorder.close()

        let (again, _) = open(path)
        let reader = try #require(again).reader
        let known = try await reader.lastKnown(targets: [Fixture.build], timelines: .all)
        #expect(known.first?.jobs.map(\.id) == ["b1"])
        #expect(known.first?.jobs.first?.state == .successful)
        #expect(try await reader.timeline(of: JobRef(target: Fixture.build, jobID: "b1")).map(\.state) == [.building, .successful])
    }

    @Test func noHistoryMeansNoFile() {
        let path = temporaryPath()
        let (history, notice) = open(path, enabled: false)
        #expect(history == nil && notice == nil)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aFileThatCannotBeOpenedIsSaidOnceAndTheSessionGoesOn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swr-top-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A folder where the file should be.
        let (history, notice) = open(directory.path)
        #expect(history == nil)
        #expect(notice?.contains("going on without history") == true)
    }
}
