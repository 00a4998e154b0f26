import Foundation
import Testing
import SWRAPI
import SWRSimulator

/// `--once` and `--watch` as scripts meet them: the exit code the process really ends with, and
/// lines through a real pipe. What each code means (every one of `--watch --exit-status`, with
/// its confirmation round) and the formats byte for byte are unit tests (SWRSessionTests).
@Suite(.serialized) struct ScriptableTests {
    /// A command line, the exit code it must end with, and what its output must say.
    struct ExitCase: CustomTestStringConvertible, Sendable {
        var testDescription: String
        var arguments: [String]
        var environment: [String: String] = [:]
        var code: Int32
        var check: @Sendable (Outcome) throws -> Void
    }

    /// A config whose endpoint refuses every connection (names and stages given: no discovery).
    static let refusingConfig: String = {
        let path = NSTemporaryDirectory() + "swr-top-refused-\(UUID().uuidString).json"
        let text = #"{"endpoint": "http://127.0.0.1:9", "auth": {"token_env": "SWR_TOKEN"}, "timeout_seconds": 3, "pipelines": [{"id": 1024, "name": "tomcat-release", "stages": [{"index": 0, "name": "source"}]}]}"#
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    /// Exit 1 (a failed run) is shown by `watchLinesGoThroughARealPipe…`; 2 by `UsageTests`.
    static let exitCases: [ExitCase] = [
        ExitCase(testDescription: "--once --json, every stage answered: 0", arguments: ["--demo", "--once", "--json"], code: 0) { result in
            let json = try JSONParser.parse(result.stdout)
            let world = SimWorld(seed: 42, pipelineCount: 5, epoch: Date())
            let pipelines = try #require(json["pipelines"]?.arrayValue)
            #expect(pipelines.compactMap { $0["name"]?.nonEmptyString } == world.pipelines.map(\.name))
        },
        ExitCase(testDescription: "--once, a stage that cannot be read: 3", arguments: ["--config", refusingConfig, "--once"],
                 environment: ["SWR_TOKEN": demoToken], code: 3) { result in
            #expect(result.stdout.contains("error [1]"), "stdout: \(result.stdout)")
        },
        // At speed 0.01 tomcat-release's deploy (building at the start of the seed-42 world) never ends in time.
        ExitCase(testDescription: "--watch --timeout-total: 124",
                 arguments: ["--demo", "--watch", "--exit-status", "--pipeline", "1024", "--speed", "0.01", "--timeout-total", "1"], code: 124) { result in
            #expect(result.stderr.contains("--timeout-total"), "stderr: \(result.stderr)")
        },
    ]

    @Test(arguments: exitCases)
    func theProcessEndsWithTheCode(_ example: ExitCase) throws {
        try requireTools()
        let result = try runProcess([Paths.binary] + example.arguments, environment: example.environment, timeout: 120)
        #expect(result.code == example.code, "exit \(result.code)\nstdout: \(result.stdout.suffix(800))\nstderr: \(result.stderr)")
        try example.check(result)
    }

    /// `swr-top --watch --exit-status | …` with a reader that reads the first lines as they come,
    /// then leaves (as `head` does) while the run goes on: the watcher's next lines meet a closed
    /// pipe (EPIPE). It must neither die of it (SIGPIPE, 141) nor trap, and its exit code must
    /// still say how the run ended (1: failed).
    @Test func watchLinesGoThroughARealPipeAndAReaderLeavingEarlyChangesNothing() throws {
        try requireTools()
        let watcher = try Piped([Paths.binary, "--demo", "--watch", "--exit-status", "--pipeline", "1025", "--outcome", "failed",
                                 "--speed", "20", "--interval", "0.5"])
        defer { watcher.child.signal(SIGKILL) }
        // Lines arrive while the watcher runs, not when it exits: the starting state, then a change.
        let first = watcher.readLine(timeout: 60)
        #expect(first?.contains("nginx-hardened/") == true, "\(first ?? "no line")")
        #expect(watcher.child.isRunning)
        let change = watcher.readLine(timeout: 60) { $0.contains("→") }
        #expect(change != nil, "no change line")
        // Stopped, the watcher writes nothing while the reader leaves. What it wrote so far must
        // not yet decide the run (the failing stage's change), or nothing would meet the
        // closed pipe and the rest of this test would prove nothing.
        #expect(watcher.child.stop(), "the watcher did not stop")
        let written = watcher.drain()
        #expect(!written.contains { $0.contains("→ Failed") }, "the run ended before the reader left: \(written)")
        watcher.closeReader()
        watcher.child.signal(SIGCONT)
        let code = watcher.child.wait(timeout: 120)
        #expect(watcher.child.terminatingSignal == nil, "ended by signal \(watcher.child.terminatingSignal ?? 0)")
        #expect(code == 1, "exit \(code), stderr: \(watcher.child.stderr)")
        #expect(!watcher.child.stderr.contains("Fatal error"), "\(watcher.child.stderr)")
    }
}
