import Foundation
import Testing
@testable import SWRAPI
@testable import SWRHistory
@testable import SWRSession
@testable import SWRWatch

/// `swr-top history`: a real file written by the history writer, read back without network, in
/// the three forms. The JSON and CSV are the scripted contract (README "swr-top history").
@Suite(.timeLimit(.minutes(3))) struct HistoryListingTests {
    static let now = Fixture.at(3600)

    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swr-top-listing-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Jobs of two stages and two endpoints, one with hostile text: an escape in the creator,
    /// a line break in the id, a formula in the resource, a comma and quotes in the raw state.
    func writeFile(_ path: String) async throws {
        let database = try HistoryDatabase.open(path: path, now: Fixture.t0)
        let writer = HistoryWriter(database: database, host: HistoryHost.key(endpoint: "https://swr-api.example.com"))
        let hostile = Job(id: "77\nINJECTED", state: .unknown("rolling, \"back\""), rawState: "rolling, \"back\"", progress: 5, duration: nil,
                          resource: "=HYPERLINK(\"http://evil\")", creatorName: "\u{1B}[31mmallory\u{1B}[0m", createdAt: Fixture.at(-100))
        writer.enqueue(HistoryBatch(results: [
            Fixture.result(Fixture.build, [Fixture.job("2211", .failed, progress: 40, duration: 20, created: -200),
                                           Fixture.job("2210", .successful, progress: 100, duration: 30, created: -86_400 * 2),
                                           Fixture.job("2200", .successful, progress: 100, duration: 50, created: -86_400 * 9)], at: 0),
            Fixture.result(Fixture.deploy, [hostile], at: 0),
        ], at: Fixture.at(0)))
        await writer.close()
        let other = HistoryWriter(database: database, host: HistoryHost.key(endpoint: "https://swr-api.other.example"))
        other.enqueue(HistoryBatch(results: [Fixture.result(Fixture.nginx, [Fixture.job("9", .timeout, duration: 600, created: -50)], at: 1)], at: Fixture.at(1)))
        await other.close()
        database.close()
    }

    func list(_ request: HistoryListingRequest) async -> (code: Int32, out: String, err: String) {
        let captured = CapturedOutput()
        let code = await HistoryListingMode.run(request, environment: ["HOME": "/nonexistent"], now: Self.now, output: captured.output)
        return (code, captured.out, captured.err)
    }

    @Test func jsonGolden() async throws {
        let path = try folder() + "/history.sqlite"
        try await writeFile(path)
        let (code, out, err) = await list(HistoryListingRequest(historyPath: path, style: .json))
        #expect(code == 0 && err.isEmpty)
        assertGolden(out, "history.json")
        guard case .object(let root)? = try? JSONParser.parse(out) else {
            Issue.record("not one JSON object")
            return
        }
        #expect(root.members.map(\.key) == ["generated_at", "since", "stages"])
        #expect(!out.contains("\u{1B}") && !out.contains("\\u001b") && !out.contains("77\\nINJECTED"))
        #expect(out.contains("\"id\":\"77?INJECTED\""))
    }

    @Test func csvGolden() async throws {
        let path = try folder() + "/history.sqlite"
        try await writeFile(path)
        let (code, out, _) = await list(HistoryListingRequest(historyPath: path, style: .csv))
        #expect(code == 0)
        assertGolden(out, "history.csv")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        // A header and one line per job: the hostile id's line break did not make a line.
        #expect(lines.count == 1 + 5)
        #expect(lines.first == Substring(HistoryListingFormat.csvColumns.joined(separator: ",")))
        #expect(out.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","))
        #expect(!out.contains("\u{1B}"))
    }

    @Test func filtersAndTheTable() async throws {
        let path = try folder() + "/history.sqlite"
        try await writeFile(path)
        // Seven days back: the nine-day-old job is left out; one pipeline, one stage, one endpoint.
        let week = await list(HistoryListingRequest(historyPath: path, endpoint: "https://swr-api.example.com", pipeline: 11, stage: 0,
                                                    since: 7 * 86_400, style: .csv))
        #expect(week.out.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[3] } == ["2211", "2210"])
        let table = await list(HistoryListingRequest(historyPath: path, pipeline: 11, stage: 0))
        #expect(table.out.hasPrefix("swr-api.example.com pipeline 11 stage 0: 3 jobs, 67% successful of 3, p50 40s, p90 48s\n"))
        #expect(table.out.contains("2211  Failed      20s"))
        let none = await list(HistoryListingRequest(historyPath: path, pipeline: 99))
        #expect(none.code == 0 && none.out.isEmpty && none.err.contains("no stored job matches"))
    }

    @Test func aMissingFileIsSaidAndNothingIsCreated() async throws {
        let path = try folder() + "/missing/history.sqlite"
        let (code, out, err) = await list(HistoryListingRequest(historyPath: path, style: .json))
        #expect(code == 0)
        #expect(out == "{\"generated_at\":\"2023-11-14T23:13:20.000Z\",\"since\":null,\"stages\":[]}\n")
        #expect(err.contains("no history file at \(path)"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aDamagedFileIsSaidAndLeftAsItIs() async throws {
        let folder = try folder()
        let path = folder + "/history.sqlite"
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try garbage.write(to: URL(fileURLWithPath: path))
        let (code, out, err) = await list(HistoryListingRequest(historyPath: path, style: .json))
        #expect(code == ExitStatus.serviceUnreadable)
        #expect(out.isEmpty)
        #expect(err.contains(path))
        #expect(FileManager.default.contents(atPath: path) == garbage)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["history.sqlite"])
    }

    @Test func aConfigThatCannotBeReadIsAUsageError() async throws {
        let (code, _, err) = await list(HistoryListingRequest(configPath: try folder() + "/absent.json"))
        #expect(code == ExitStatus.usage)
        #expect(err.contains("absent.json"))
    }

    /// A config file with the `history` key given (its JSON text).
    func config(history: String) throws -> String {
        let path = try folder() + "/config.json"
        try Data(#"{"region": "cn-north-4", "pipelines": [{"id": 11}], "history": \#(history)}"#.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func historyTurnedOffInTheConfigIsAUsageErrorInPlainWords() async throws {
        let configPath = try config(history: "false")
        for style in [HistoryListingStyle.table, .json, .csv] {
            let (code, out, err) = await list(HistoryListingRequest(configPath: configPath, style: style))
            #expect(code == ExitStatus.usage)
            #expect(out.isEmpty)
            #expect(err.hasPrefix("swr-top: history is turned off in \(configPath) (\"history\": false)"))
            #expect(err.contains("--history PATH"))
        }
        // The same config found through SWR_TOP_CONFIG.
        let captured = CapturedOutput()
        let code = await HistoryListingMode.run(HistoryListingRequest(), environment: ["HOME": "/nonexistent", "SWR_TOP_CONFIG": configPath],
                                                now: Self.now, output: captured.output)
        #expect(code == ExitStatus.usage && captured.err.contains("history is turned off"))
    }

    @Test func historyTurnedOffStillReadsAFileNamedWithTheFlag() async throws {
        let path = try folder() + "/history.sqlite"
        try await writeFile(path)
        let (code, out, err) = await list(HistoryListingRequest(configPath: try config(history: "false"), historyPath: path, style: .csv))
        #expect(code == 0 && err.isEmpty)
        #expect(out.split(separator: "\n").count == 1 + 5)
    }

    @Test func theConfigsHistoryPathIsReadWhenHistoryIsOn() throws {
        let configPath = try config(history: #"{"path": "/srv/swr/history.sqlite", "keep_days": 30}"#)
        let request = HistoryListingRequest(configPath: configPath)
        #expect(HistoryListingMode.locate(request, environment: ["HOME": "/home/a"]) == .success("/srv/swr/history.sqlite"))
    }

    @Test func theDemoReadsNoConfigAsTheDemoDashboardDoes() throws {
        // The demo dashboard records whatever the config says, in the default folder: so does
        // `swr-top history --demo` read it there, history off in the config or not.
        for history in ["false", #"{"path": "/srv/swr/history.sqlite"}"#] {
            let request = HistoryListingRequest(configPath: try config(history: history), demo: true)
            #expect(HistoryListingMode.locate(request, environment: ["HOME": "/home/a"])
                == .success("/home/a/.local/state/swr-top/demo-history.sqlite"))
        }
        // A config that cannot be read does not matter to the demo either.
        let absent = HistoryListingRequest(configPath: try folder() + "/absent.json", demo: true)
        #expect((try? HistoryListingMode.locate(absent, environment: ["HOME": "/home/a"]).get()) != nil)
    }

    @Test(arguments: [("7d", 604_800.0), ("24h", 86_400), ("90m", 5400), ("30s", 30), ("2w", 1_209_600)])
    func sinceTakesACountAndAUnit(text: String, seconds: Double) {
        #expect(HistoryListingRequest.parseSince(text) == seconds)
    }

    @Test(arguments: ["", "d", "7", "7x", "-1d", "0d", "1.5h", "99999999999d"])
    func sinceRefusesAnythingElse(text: String) {
        #expect(HistoryListingRequest.parseSince(text) == nil)
    }

    @Test func csvCellsAreQuotedAndDefused() {
        #expect(HistoryListingFormat.csvCell("plain") == "plain")
        #expect(HistoryListingFormat.csvCell("a,b") == "\"a,b\"")
        #expect(HistoryListingFormat.csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(HistoryListingFormat.csvCell(" padded") == "\" padded\"")
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"] {
            #expect(HistoryListingFormat.csvCell(formula).hasPrefix("'") || HistoryListingFormat.csvCell(formula).hasPrefix("\"'"))
        }
        #expect(HistoryListingFormat.text("a\u{1B}]52;c;x\u{7}b") == "a?]52;c;x?b")
    }
}
