import Foundation
import Testing
@testable import SWRAPI
@testable import SWRHistory
@testable import SWRSession
@testable import SWRWatch

/// The session's history: what `--watch`, `--once` and the dashboard see is recorded, and what
/// an earlier session saw comes back.
@Suite(.timeLimit(.minutes(3))) struct SessionHistoryTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("swr-top-history-\(UUID().uuidString)/history.sqlite").path
    }

    func open(_ path: String, enabled: Bool = true) -> (SessionHistory?, String?) {
        SessionHistory.open(settings: HistorySettings(enabled: enabled), flag: path, host: "swr.example.com",
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

    /// The overview's 7-day rate read again: what the session recorded just before is counted
    /// (the read waits for the writer), and the answer carries the request's number.
    @Test func aWeekReadCountsWhatWasJustRecorded() async throws {
        let (history, _) = open(temporaryPath())
        let recorder = try #require(history)
        let start = Fixture.at(0)
        let transport = CountingTransport()
        let client = SWRClient(endpoint: "http://127.0.0.1:9", transport: transport, tokens: StaticTokenProvider("t"))
        let session = Session(client: client, pipelines: Fixture.pipelines, interval: 3, timeout: 10, endpointHost: "swr.example.com",
                              history: recorder)
        let (events, delivered) = AsyncStream.makeStream(of: [Target: OutcomeCounts].self)
        let runner = SessionRunner(session: session, targets: [], clock: ManualWatchClock(start: start), now: { start }) { event in
            if case .weekOutcomes(let request, let counts) = event, request == 7 { delivered.yield(counts) }
        }
        defer { runner.stop() }
        recorder.record(Fixture.result(Fixture.build, [Fixture.job("b2", .failed, progress: 40, duration: 20, created: -60),
                                                       Fixture.job("b1", .successful, progress: 100, duration: 30, created: -8 * 86_400)], at: 1))
        runner.send(.loadWeekOutcomes([Fixture.build, Fixture.deploy], now: Fixture.at(2), request: 7))
        var iterator = events.makeAsyncIterator()
        let counts = await iterator.next()
        // The eight-day-old success is outside the week; a stage with nothing stored counts nothing.
        #expect(counts == [Fixture.build: OutcomeCounts(failed: 1), Fixture.deploy: OutcomeCounts()])
        await recorder.close()
    }

    /// The pipeline on screen at start is read from the history first: its stages' jobs and
    /// figures arrive before any other stage's, whatever the order of the targets.
    @Test func thePipelineOnScreenIsLoadedFirst() async throws {
        let (history, _) = open(temporaryPath())
        let recorder = try #require(history)
        let start = Fixture.at(0)
        for target in [Fixture.build, Fixture.deploy, Fixture.nginx] {
            recorder.record(Fixture.result(target, [Fixture.job("j\(target.pipeline)-\(target.stage)", .successful, progress: 100, duration: 30)], at: -5))
        }
        await recorder.flush()
        let client = SWRClient(endpoint: "http://127.0.0.1:9", transport: CountingTransport(), tokens: StaticTokenProvider("t"))
        let session = Session(client: client, pipelines: Fixture.pipelines, interval: 3, timeout: 10, endpointHost: "swr.example.com",
                              history: recorder)
        let (events, delivered) = AsyncStream.makeStream(of: (kind: String, target: Target).self)
        let runner = SessionRunner(session: session, targets: [Fixture.build, Fixture.deploy, Fixture.nginx], firstPipeline: Fixture.nginx.pipeline,
                                   clock: ManualWatchClock(start: start), now: { start }) { event in
            switch event {
            case .known(let stage): delivered.yield(("known", stage.target))
            case .figures(let figures): delivered.yield(("figures", figures.target))
            default: break
            }
        }
        defer { runner.stop() }
        var iterator = events.makeAsyncIterator()
        var order: [(kind: String, target: Target)] = []
        while order.count < 6, let event = await iterator.next() { order.append(event) }
        #expect(order.prefix(2).map(\.kind) == ["known", "figures"])
        #expect(order.prefix(2).allSatisfy { $0.target == Fixture.nginx })
        #expect(Set(order.dropFirst(2).map(\.target)) == [Fixture.build, Fixture.deploy])
        await recorder.close()
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
