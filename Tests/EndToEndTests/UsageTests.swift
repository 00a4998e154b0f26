import Foundation
import Testing

/// Every usage error exits 2 with a message naming the flag (README "Exit codes"), whatever the
/// argument parser's own code would be; `--help` exits 0.
@Suite(.timeLimit(.minutes(5))) struct UsageTests {
    /// A bad command line: what to run, and the words its message must contain.
    struct Case: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var names: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    /// Every number a dashboard flag takes, with values no range allows.
    static let numberCases: [Case] = {
        var cases: [Case] = []
        let flags: [(flag: String, extra: [String])] = [
            ("--interval", []), ("--timeout-total", ["--watch", "--demo"]), ("--stage", ["--watch", "--demo"]), ("--pipeline", ["--demo", "--once"]),
            ("--max-requests-per-minute", []),
        ]
        for (flag, extra) in flags {
            for value in ["-1", "nan", "inf", "1e300", "abc"] {
                cases.append(Case(arguments: extra + [flag, value], names: flag))
            }
        }
        return cases
    }()

    static let otherCases: [Case] = [
        Case(arguments: ["--bogus"], names: "--bogus"),
        Case(arguments: ["--watch", "--once"], names: "--once and --watch"),
        Case(arguments: ["--demo", "--json"], names: "--json"),
        Case(arguments: ["--stage", "1"], names: "--stage"),
        Case(arguments: ["--demo", "--once", "--outcome", "nope"], names: "--outcome"),
        Case(arguments: ["--interval"], names: "--interval"),
        Case(arguments: ["--timeout-total", "5"], names: "--timeout-total"),
        Case(arguments: ["--watch", "--demo", "--timeout-total", "0"], names: "--timeout-total"),
        Case(arguments: ["--watch", "--demo", "--timeout-total", "31536001"], names: "--timeout-total"),
        Case(arguments: ["--interval", "0.4"], names: "--interval"),
        Case(arguments: ["--watch", "--demo", "--stage", "4097"], names: "--stage"),
        Case(arguments: ["--max-requests-per-minute", "9"], names: "--max-requests-per-minute must be between 10 and 100000"),
        Case(arguments: ["--max-requests-per-minute", "100001"], names: "--max-requests-per-minute must be between 10 and 100000"),
        Case(arguments: ["export", "--max-requests-per-minute", "0"], names: "--max-requests-per-minute"),
        Case(arguments: ["sim", "--bogus"], names: "--bogus"),
        // One letter from --pipeline: on the dashboard it is no alias of --sim-pipelines (issue 20).
        Case(arguments: ["--demo", "--once", "--pipelines", "1024"], names: "--pipelines"),
        Case(arguments: ["sim", "--pipelines", "0"], names: "--sim-pipelines"),
        Case(arguments: ["--demo", "--sim-busy", "-1"], names: "--sim-busy must be between 0 and 2000"),
        Case(arguments: ["history", "--since", "7x"], names: "--since"),
        Case(arguments: ["history", "--json", "--csv"], names: "--json and --csv"),
        Case(arguments: ["history", "--stage", "4097"], names: "--stage"),
        Case(arguments: ["history", "--pipeline", "0"], names: "--pipeline"),
    ]

    @Test(arguments: numberCases + otherCases)
    func aUsageErrorExits2NamingTheFlag(_ example: Case) throws {
        try requireTools()
        let result = try runProcess([Paths.binary] + example.arguments, timeout: 30)
        #expect(result.code == 2, "exit \(result.code)\nstdout: \(result.stdout.prefix(400))\nstderr: \(result.stderr)")
        #expect(result.stderr.contains(example.names), "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty, "stdout: \(result.stdout.prefix(400))")
    }

    @Test func aNegativeIntervalIsAValueOutOfRange() throws {
        try requireTools()
        let result = try runProcess([Paths.binary, "--interval", "-1"], timeout: 30)
        #expect(result.code == 2)
        #expect(result.stderr.contains("--interval must be between 0.5 and 3600"), "\(result.stderr)")
        #expect(!result.stderr.lowercased().contains("missing value"))
    }

    @Test(arguments: [["--help"], ["dashboard", "--help"], ["sim", "--help"], ["history", "--help"], ["--version"]])
    func helpAndVersionExit0(_ arguments: [String]) throws {
        try requireTools()
        let result = try runProcess([Paths.binary] + arguments, timeout: 30)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(!result.stdout.isEmpty)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test func helpShowsTheRangesAndTheEverydayFlagsFirst() throws {
        try requireTools()
        let result = try runProcess([Paths.binary, "dashboard", "--help"], timeout: 30)
        #expect(result.code == 0)
        #expect(result.stdout.contains("USAGE"))
        #expect(result.stdout.contains("0.5 to 3600"))
        // The simulator's flags come last.
        let order = ["WHAT TO WATCH", "--config <config>", "SCRIPTS", "--once", "SCREEN, LOG AND HISTORY", "SIMULATOR", "--seed"].map { result.stdout.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        // The top-level help names the everyday flags, not only the subcommands.
        let top = try runProcess([Paths.binary, "--help"], timeout: 30)
        for flag in ["--config", "--demo", "--once", "--watch", "--json", "--exit-status"] {
            #expect(top.stdout.contains(flag), "top-level --help lacks \(flag)")
        }
    }

    /// `swr-top history` reads only the file: with none there, an empty answer and a word on
    /// stderr, exit 0, and no file made.
    @Test func historyNeedsNoNetworkAndMakesNoFile() throws {
        try requireTools()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swr-top-e2e-\(UUID().uuidString)/history.sqlite").path
        let result = try runProcess([Paths.binary, "history", "--history", path, "--json", "--since", "7d"], timeout: 30)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("{\"generated_at\":") && result.stdout.hasSuffix(",\"stages\":[]}\n"), "\(result.stdout)")
        #expect(result.stderr.contains("no history file at \(path)"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aCommandsOwnExitCodeIsKept() throws {
        try requireTools()
        // Not a terminal and no scriptable mode: the command's own usage exit, not the parser's,
        // saying what to use instead.
        let result = try runProcess([Paths.binary, "--demo"], timeout: 30)
        #expect(result.code == 2)
        #expect(result.stderr.contains("stdout is not a terminal"), "\(result.stderr)")
        #expect(result.stderr.contains("--once") && result.stderr.contains("--watch"), "\(result.stderr)")
    }

    /// A config the process cannot use (an empty list, a missing token, an endpoint that only
    /// looks like loopback) stops it with 2 and the words that name the fix. Every message on its
    /// own is a unit test (ConfigTests, HostileInputTests).
    @Test func aBadConfigIsAUsageError() throws {
        try requireTools()
        let path = NSTemporaryDirectory() + "swr-top-bad-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{"endpoint": "https://x", "pipelines": []}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let empty = try runProcess([Paths.binary, "--config", path, "--once"], timeout: 30)
        #expect(empty.code == 2)
        #expect(empty.stderr.contains("'pipelines': is empty"), "\(empty.stderr)")
        let example = Paths.root.appendingPathComponent("config.example.json").path
        let missingToken = try runProcess([Paths.binary, "--config", example, "--once"], environment: ["SWR_TOKEN": ""], timeout: 30)
        #expect(missingToken.code == 2)
        #expect(missingToken.stderr.contains("SWR_TOKEN"), "\(missingToken.stderr)")
        let lookalike = try runProcess([Paths.binary, "--config", example, "--endpoint", "http://127.evil.example", "--once"],
                                       environment: ["SWR_TOKEN": demoToken], timeout: 30)
        #expect(lookalike.code == 2)
        #expect(lookalike.stderr.contains("'endpoint'"), "\(lookalike.stderr)")
    }

    @Test func anUnwritableLogIsAUsageErrorNamingTheFile() throws {
        try requireTools()
        let result = try runProcess([Paths.binary, "--demo", "--once", "--log", "/nonexistent-swr-top-dir/x.log"], timeout: 30)
        #expect(result.code == 2)
        #expect(result.stderr.contains("cannot write the log file /nonexistent-swr-top-dir/x.log"), "\(result.stderr)")
    }

    @Test func aLogIntoAPipeWhoseReaderLeftNeverStopsTheWatch() throws {
        try requireTools()
        // The log goes to stderr, a pipe whose reader leaves after one byte: the watch goes on
        // to its --timeout-total (124), neither trapped nor killed by SIGPIPE (141).
        let script = #"exec 3>&1; { "$0" --demo --watch --verbose --log /dev/stderr --timeout-total 4 2>&1 >/dev/null 3>&-; echo "EXIT=$?" >&3; } | head -c 1 >/dev/null"#
        let result = try runProcess(["/bin/sh", "-c", script, Paths.binary], timeout: 60)
        #expect(result.stdout.contains("EXIT=124"), "stdout: \(result.stdout)\nstderr: \(result.stderr)")
    }
}
