import Foundation
import Synchronization
import Testing
@testable import SWRAPI
@testable import SWRDashboard
@testable import SWRHistory
@testable import SWRSession
@testable import SWRTopUI
@testable import SWRWatch

/// Restart continuity, end to end but for the terminal: a session (the real runner, engine,
/// history writer and a real SQLite file in a temporary folder) watches a scripted service run
/// a job to its end and the next one start, then quits; a second session on the same file,
/// whose service never answers, starts with the first one's "usual", ETA and history pane.
@Suite(.timeLimit(.minutes(3))) struct RestartContinuityTests {
    static let pipeline = PipelineInfo(id: 7, name: "tomcat-release", stages: [StageInfo(index: 0, name: "build")])
    static let target = Target(pipeline: 7, stage: 0)
    static let token = "MIIDtoken-continuity-\(UUID().uuidString)"

    /// A service that answers each job-history request with the next list of `steps` (the last
    /// one again and again), and 404 to anything else; or, with no steps, never answers.
    final class ScriptedService: HTTPTransport {
        let steps: [String]
        let served = Mutex(0)

        init(steps: [String]) {
            self.steps = steps
        }

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            guard !steps.isEmpty else {
                // Never answers: waits until the request is cancelled (a stream nobody feeds
                // ends when the task waiting on it is cancelled).
                let (never, feed) = AsyncStream.makeStream(of: Int.self)
                for await _ in never {}
                withExtendedLifetime(feed) {}
                throw CancellationError()
            }
            guard request.url.hasSuffix("/jobs") else { return HTTPResponse(status: 404, body: Array("{}".utf8)) }
            let step = served.withLock { n in defer { n += 1 }; return min(n, steps.count - 1) }
            return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(steps[step].utf8))
        }
    }

    /// A job as the service writes it.
    static func job(_ id: Int, _ status: String, progress: Int, duration: Int, created: Date) -> String {
        "{\"id\": \"\(id)\", \"status\": \"\(status)\", \"progress\": \(progress), \"duration\": \(duration), \"created_at\": \"\(ISO8601.format(created))\", \"creator_name\": \"ops\"}"
    }

    /// Two earlier successes; job 102 runs and succeeds in 42 s; job 103 starts.
    static func steps(base: Date) -> [String] {
        let a = job(101, "Successful", progress: 100, duration: 40, created: base.addingTimeInterval(-3600))
        let b = job(100, "Successful", progress: 100, duration: 44, created: base.addingTimeInterval(-7200))
        let c = { (status: String, progress: Int, duration: Int) in job(102, status, progress: progress, duration: duration, created: base.addingTimeInterval(-300)) }
        let d = { (progress: Int, duration: Int) in job(103, "Building", progress: progress, duration: duration, created: base.addingTimeInterval(-20)) }
        return [
            "[\(a), \(b)]",
            "[\(c("Building", 10, 4)), \(a), \(b)]",
            "[\(c("Building", 50, 20)), \(a), \(b)]",
            "[\(c("Successful", 100, 42)), \(a), \(b)]",
            "[\(d(10, 4)), \(c("Successful", 100, 42)), \(a), \(b)]",
            "[\(d(30, 12)), \(c("Successful", 100, 42)), \(a), \(b)]",
        ]
    }

    /// A session on `service` with the history file at `path`, and its runner, whose events
    /// arrive on the returned stream.
    static func start(_ service: ScriptedService, path: String) throws -> (Session, SessionRunner, AsyncStream<SessionEvent>) {
        let endpoint = "http://127.0.0.1:9"
        let client = SWRClient(endpoint: endpoint, transport: service, tokens: StaticTokenProvider(token), timeout: .seconds(5))
        let (history, notice) = SessionHistory.open(settings: HistorySettings(), flag: path, host: HistoryHost.key(endpoint: endpoint), demo: false,
                                                    environment: ["HOME": "/nonexistent"])
        #expect(notice == nil)
        let session = Session(client: client, pipelines: [pipeline], interval: 0.5, timeout: 5, endpointHost: "127.0.0.1", history: history)
        #expect(history != nil)
        let (events, continuation) = AsyncStream.makeStream(of: SessionEvent.self)
        let runner = SessionRunner(session: session, targets: session.targets()) { continuation.yield($0) }
        runner.send(.focus(target))
        return (session, runner, events)
    }

    @Test func aSecondSessionStartsWithTheFirstOnesUsualETAAndHistory() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swr-top-continuity-\(UUID().uuidString)").path
        let path = folder + "/history.sqlite"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let base = Date()

        // The first session: until it has seen 102 end and 103 move from 10% to 30%.
        var first = AppState(pipelines: [Self.pipeline], now: base, endpointHost: "127.0.0.1")
        let (session, runner, events) = try Self.start(ScriptedService(steps: Self.steps(base: base)), path: path)
        var sawRunEnd = false
        for await event in events {
            _ = update(&first, EffectRouter.action(for: event))
            if first.store.events.elements.contains(where: { $0.kind == .stateChanged(jobID: "102", from: .building, to: .successful) }) { sawRunEnd = true }
            if sawRunEnd, first.store.timeline(Self.target, jobID: "103").map(\.progress) == [10, 30] { break }
        }
        runner.stop()
        await session.shutdown()
        #expect(sawRunEnd)
        // The time of the last observation: the ETA is then the whole remaining estimate.
        let later = try #require(first.store.timeline(Self.target, jobID: "103").last?.at)
        let before = first.store.summary(Self.target, now: later)
        #expect(before.usual == UsualDuration(durations: [42, 40, 44]))
        #expect(before.active?.id == "103")
        let eta = try #require(before.eta)
        #expect(eta > 0)

        // The token went nowhere near the file.
        let bytes = ["", "-wal", "-shm"].reduce(into: Data()) { all, suffix in
            if let data = FileManager.default.contents(atPath: path + suffix) { all.append(data) }
        }
        #expect(bytes.range(of: Data("102".utf8)) != nil)
        #expect(bytes.range(of: Data(Self.token.utf8)) == nil)

        // The second session: its service never answers, so everything comes from the file.
        var second = AppState(pipelines: [Self.pipeline], now: later, endpointHost: "127.0.0.1")
        let silent = ScriptedService(steps: [])
        let (session2, runner2, events2) = try Self.start(silent, path: path)
        var seeded = false, figured = false, polled = false
        var asked = false
        for await event in events2 {
            switch event {
            case .known: seeded = true
            case .figures: figured = true
            case .poll: polled = true
            default: break
            }
            for effect in update(&second, EffectRouter.action(for: event)) {
                if case .session(let command) = EffectRouter.route(effect) { runner2.send(command) }
            }
            if seeded, figured, !asked {
                // Before any poll: the state as the first frame would show it.
                let summary = second.store.summary(Self.target, now: later)
                #expect(summary.usual == before.usual)
                #expect(summary.usualDuration == 42)
                #expect(summary.active?.id == "103")
                // The same estimate (times round-trip through the file's seconds since 1970: within a microsecond).
                #expect(summary.eta.map { abs($0 - eta) < 0.001 } == true)
                #expect(summary.fromHistory != nil)
                #expect(second.store.timeline(Self.target, jobID: "103").map(\.progress) == [10, 30])
                #expect(view(second, width: 120, height: 40).lines.contains { $0.contains("(history)") })
                // The history pane, asked as the H key asks.
                asked = true
                for effect in update(&second, .key(.char("H"))) {
                    if case .session(let command) = EffectRouter.route(effect) { runner2.send(command) }
                }
            }
            if case .found? = second.historyView?.answer { break }
        }
        runner2.stop()
        await session2.shutdown()
        #expect(!polled)
        let pane = try #require(second.historyView?.answer)
        guard case .found(let history) = pane else {
            Issue.record("the pane has no history: \(pane)")
            return
        }
        #expect(history.recent.map(\.id) == ["103", "102", "101", "100"])
        #expect(history.recent.first?.state == .building)
        #expect(history.rates.day == OutcomeCounts(successful: 3))
        #expect(history.usual == before.usual)
        let frame = view(second, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(frame.contains("24h 100% of 3"))
    }
}
