import Foundation
import Synchronization
import Testing
@testable import SWRAPI
@testable import SWRSession
@testable import SWRWatch

/// `--watch` end to end on values: a scripted engine (results in order; "poll now" answers with
/// the next scripted round), the real follower, verdict and formats. Every exit code.
@Suite(.timeLimit(.minutes(3))) struct WatchFollowerTests {
    /// The engine's results: `first`, then each `refresh` takes the next of `rounds`. The stream
    /// ends when nothing is left, so a watch that would go on forever returns `nil`.
    final class ScriptedEngine: Sendable {
        private let queue: Mutex<(pending: [PollResult], rounds: [[PollResult]], refreshes: [[Target]])>

        init(first: [PollResult], rounds: [[PollResult]] = []) {
            queue = Mutex((first, rounds, []))
        }

        var refreshes: [[Target]] { queue.withLock { $0.refreshes } }

        var results: AsyncStream<PollResult> {
            AsyncStream(unfolding: { self.queue.withLock { $0.pending.isEmpty ? nil : $0.pending.removeFirst() } })
        }

        func refresh(_ targets: [Target]) {
            queue.withLock { state in
                state.refreshes.append(targets)
                if !state.rounds.isEmpty { state.pending += state.rounds.removeFirst() }
            }
        }
    }

    let targets = [Fixture.build, Fixture.deploy]

    func run(_ engine: ScriptedEngine, exitStatus: Bool = true, json: Bool = false) async -> (Int32?, CapturedOutput) {
        let capture = CapturedOutput()
        let follower = WatchFollower(targets: targets, format: WatchFormat(pipelines: Fixture.pipelines, json: json, timeZone: Fixture.utc),
                                     exitStatus: exitStatus, output: capture.output)
        let code = await follower.follow(engine.results) { engine.refresh($0) }
        return (code, capture)
    }

    func round(_ build: JobState, _ deploy: JobState, at seconds: Double) -> [PollResult] {
        [Fixture.result(Fixture.build, [Fixture.job("b1", build)], at: seconds),
         Fixture.result(Fixture.deploy, [Fixture.job("d1", deploy)], at: seconds + 0.5)]
    }

    static let endings: [(JobState, JobState, Int32)] = [
        (.successful, .successful, ExitStatus.ok),
        (.successful, .failed, ExitStatus.runFailed),
        (.timeout, .failed, ExitStatus.runFailed),
        (.successful, .timeout, ExitStatus.runTimedOut),
        (.cancelled, .timeout, ExitStatus.runTimedOut),
        (.successful, .cancelled, ExitStatus.runCancelled),
    ]

    @Test(arguments: endings)
    func aFinishedRunEndsAfterOneConfirmationRound(build: JobState, deploy: JobState, expected: Int32) async {
        let engine = ScriptedEngine(first: round(build, deploy, at: 1), rounds: [round(build, deploy, at: 5)])
        let (code, capture) = await run(engine)
        #expect(code == expected)
        #expect(engine.refreshes == [targets])
        // The starting state once per stage, marked as such; nothing changed after.
        #expect(capture.outLines == [
            "22:13:21 snapshot tomcat-release/build #b1 \(build.displayName) -",
            "22:13:21 snapshot tomcat-release/deploy #d1 \(deploy.displayName) -",
        ])
    }

    @Test func aStageQueuedDuringTheConfirmationKeepsTheWatchGoing() async {
        let engine = ScriptedEngine(first: round(.successful, .successful, at: 1), rounds: [
            // The confirmation round finds a new job queued on deploy …
            [Fixture.result(Fixture.build, [Fixture.job("b1", .successful)], at: 5),
             Fixture.result(Fixture.deploy, [Fixture.job("d2", .waiting, created: 4), Fixture.job("d1", .successful)], at: 5.5),
             // … which fails: a new confirmation round …
             Fixture.result(Fixture.deploy, [Fixture.job("d2", .failed, created: 4), Fixture.job("d1", .successful)], at: 9)],
            // … that agrees.
            [Fixture.result(Fixture.build, [Fixture.job("b1", .successful)], at: 12),
             Fixture.result(Fixture.deploy, [Fixture.job("d2", .failed, created: 4), Fixture.job("d1", .successful)], at: 12.5)],
        ])
        let (code, capture) = await run(engine)
        #expect(code == ExitStatus.runFailed)
        #expect(engine.refreshes.count == 2)
        #expect(capture.outLines.contains("22:13:25 tomcat-release/deploy #d2 new Waiting"))
        #expect(capture.outLines.contains("22:13:29 tomcat-release/deploy #d2 Waiting → Failed"))
    }

    @Test func aStageThatNeverAnsweredIsNotFinished() async {
        let engine = ScriptedEngine(first: [Fixture.result(Fixture.build, [Fixture.job("b1", .successful)], at: 1),
                                            Fixture.failure(Fixture.deploy, .server(status: 503, message: nil), at: 2)])
        let (code, _) = await run(engine)
        #expect(code == nil)
        #expect(engine.refreshes.isEmpty)
    }

    @Test(arguments: [SWRError.unauthorized(message: "no"), .notFound(message: nil), .redirect(status: 302, location: "https://elsewhere.example")])
    func aRefusalEndsTheWatchWithExit3AndSaysWhere(error: SWRError) async {
        let engine = ScriptedEngine(first: [Fixture.result(Fixture.build, [Fixture.job("b1", .building)], at: 1),
                                            Fixture.failure(Fixture.deploy, error, at: 2)])
        let (code, capture) = await run(engine, exitStatus: false)
        #expect(code == ExitStatus.serviceUnreadable)
        #expect(capture.err.hasPrefix("swr-top: tomcat-release/deploy: "))
        #expect(capture.err.filter { $0 == "\n" }.count == 1)
    }

    @Test(arguments: [SWRError.server(status: 503, message: nil), .timeout, .rateLimited(retryAfter: 2, message: nil), .transport("reset")])
    func transientErrorsNeverEndAWatch(error: SWRError) async {
        let engine = ScriptedEngine(first: [Fixture.failure(Fixture.build, error, at: 1), Fixture.failure(Fixture.build, error, at: 4),
                                            Fixture.result(Fixture.build, [Fixture.job("b1", .building)], at: 7)])
        let (code, capture) = await run(engine)
        #expect(code == nil)
        #expect(capture.err.isEmpty)
    }

    @Test func withoutExitStatusAFinishedRunDoesNotEndTheWatch() async {
        let engine = ScriptedEngine(first: round(.successful, .failed, at: 1) + round(.successful, .failed, at: 5))
        let (code, _) = await run(engine, exitStatus: false)
        #expect(code == nil)
        #expect(engine.refreshes.isEmpty)
    }

    @Test func jsonLinesStartWithOneSnapshotPerStageThenChanges() async {
        let engine = ScriptedEngine(first: round(.building, .waiting, at: 1) + round(.successful, .waiting, at: 4))
        let (_, capture) = await run(engine, exitStatus: false, json: true)
        let events = capture.outLines.map { line -> String in
            guard case .object(let object)? = try? JSONParser.parse(line), case .string(let event)? = object["event"] else { return "?" }
            return event
        }
        #expect(events == ["snapshot", "snapshot", "state_changed"])
    }
}
