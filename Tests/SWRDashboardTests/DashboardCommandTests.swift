import Foundation
import Synchronization
import Testing
@testable import SWRAPI
@testable import SWRDashboard
@testable import SWRSession
@testable import SWRSimulator

/// `swr-top [dashboard]` after its flags: each failure before a mode starts is one line and its
/// exit code, and each mode gets the session and the options it was asked for.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DashboardCommandTests {
    /// A demo service that only counts its starts (a command that fails early starts nothing).
    final class CountingDemo: DemoService, Sendable {
        let starts = Mutex(0)
        func start() async throws -> (endpoint: String, token: String) {
            starts.withLock { $0 += 1 }
            throw CancellationError()
        }
        var historyHost: String { "counting" }
        func stop() async {}
    }

    /// Runs the command on a thread of its own: it blocks its caller until the mode ends, and
    /// the cooperative pool must stay free for the session's work.
    static func run(_ request: DashboardCommand.Request, stdoutIsTerminal: Bool = false,
                    environment: [String: String] = [:]) async -> (code: Int32, out: String, err: String) {
        let capture = Capture()
        let code = await withCheckedContinuation { (done: CheckedContinuation<Int32, Never>) in
            Thread.detachNewThread {
                done.resume(returning: DashboardCommand.run(request, environment: environment, stdoutIsTerminal: stdoutIsTerminal,
                                                            output: capture.output))
            }
        }
        return (code, capture.out, capture.err)
    }

    final class Capture: Sendable {
        private let state = Mutex<(out: String, err: String)>(("", ""))
        var out: String { state.withLock { $0.out } }
        var err: String { state.withLock { $0.err } }
        var output: ScriptOutput {
            ScriptOutput(out: { text in self.state.withLock { $0.out += text } }, err: { text in self.state.withLock { $0.err += text } })
        }
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swr-top-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func demo(outcome: JobState? = nil, speed: Double = 1) -> SimulatorDemo {
        var options = SimulatorOptions()
        options.pipelineCount = 1
        options.speed = speed
        options.forcedOutcome = outcome
        return SimulatorDemo(options: options)
    }

    @Test func theScreenNeedsATerminalAndSaysWhatScriptsUseInstead() async {
        let demo = CountingDemo()
        let result = await Self.run(.init(mode: .screen(DashboardOptions()), session: SessionRequest(demo: demo)), stdoutIsTerminal: false)
        #expect(result.code == ExitStatus.usage)
        #expect(result.err == "swr-top: stdout is not a terminal: use --once (a snapshot) or --watch (a line per change) in scripts; add --json for JSON\n")
        #expect(result.out.isEmpty)
        #expect(demo.starts.withLock { $0 } == 0)
    }

    @Test func aLogThatCannotBeOpenedIsAUsageErrorBeforeAnythingStarts() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let demo = CountingDemo()
        let request = DashboardCommand.Request(mode: .once(json: false, stage: nil), session: SessionRequest(demo: demo),
                                               logPath: file.appendingPathComponent("swr-top.log").path)
        let result = await Self.run(request)
        #expect(result.code == ExitStatus.usage)
        #expect(result.err.hasPrefix("swr-top: ") && result.err.contains("plain-file/swr-top.log"), "\(result.err)")
        #expect(result.err.filter { $0 == "\n" }.count == 1)
        #expect(demo.starts.withLock { $0 } == 0)
    }

    @Test func aSetupFailureIsOneLineWithItsOwnExitCode() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A missing config file: a usage error (2).
        let missing = await Self.run(.init(mode: .once(json: false, stage: nil),
                                           session: SessionRequest(configPath: folder.appendingPathComponent("none.json").path)))
        #expect(missing.code == ExitStatus.usage)
        #expect(missing.err.hasPrefix("swr-top: ") && missing.err.contains("none.json"), "\(missing.err)")
        // A demo that cannot start: the service cannot be read (3).
        let demo = CountingDemo()
        let failed = await Self.run(.init(mode: .watch(WatchOptions()), session: SessionRequest(demo: demo)))
        #expect(failed.code == ExitStatus.serviceUnreadable)
        #expect(failed.err.hasPrefix("swr-top: could not start the simulated service"), "\(failed.err)")
        #expect(demo.starts.withLock { $0 } == 1)
    }

    @Test func onceOnTheDemoPrintsOneJSONSnapshotAndWritesTheLog() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("swr-top.log")
        let request = DashboardCommand.Request(mode: .once(json: true, stage: 0), session: SessionRequest(demo: Self.demo(), noHistory: true),
                                               logPath: log.path, verbose: true)
        let result = await Self.run(request, environment: ["HOME": folder.path])
        #expect(result.code == ExitStatus.ok, "\(result.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let pipelines = try #require(object["pipelines"] as? [[String: Any]])
        #expect(pipelines.count == 1)
        // --stage 0: only that stage of the pipeline.
        let stages = try #require(pipelines.first?["stages"] as? [[String: Any]])
        #expect(stages.map { $0["index"] as? Int } == [0])
        let logged = try String(contentsOf: log, encoding: .utf8)
        #expect(logged.contains("debug"), "verbose: debug lines in the log")
        #expect(!logged.contains("swr-top-demo-token"))
    }

    @Test func watchWithExitStatusEndsWithTheRunsVerdict() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Every run fails, fast: the newest job of each stage ends failed, so the verdict is 1.
        let options = WatchOptions(json: true, exitStatus: true, timeoutTotal: 120)
        let request = DashboardCommand.Request(mode: .watch(options), session: SessionRequest(demo: Self.demo(outcome: .failed, speed: 200), noHistory: true))
        let result = await Self.run(request, environment: ["HOME": folder.path])
        #expect(result.code == ExitStatus.runFailed, "\(result.err)")
        let lines = result.out.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not a JSON object: \(line)")
        }
    }
}
