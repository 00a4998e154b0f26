import Foundation
import Testing
@testable import SWRAPI

/// Values at the edges, checked once where they enter: numbers, text, URLs, secrets.
@Suite(.timeLimit(.minutes(3))) struct HostileInputTests {
    @Test(arguments: [
        #""5000000000000000000""#, "-9223372036854775807", "9223372036854775807", #""1e300""#, "1e308", #""NaN""#,
        "-1", "101", #""-0""#,
    ])
    func outOfRangeNumbersBecomeAbsent(raw: String) throws {
        let jobs = try Job.decodeList(Array(#"[{"id": 1, "status": "RUNNING", "progress": \#(raw), "duration": \#(raw)}]"#.utf8))
        let job = try #require(jobs.first)
        if raw == "101" {
            #expect(job.progress == nil)
            #expect(job.duration == 101)
        } else if raw == #""-0""# {
            #expect(job.progress == 0 && job.duration == 0)
        } else {
            #expect(job.progress == nil)
            #expect(job.duration == nil)
        }
    }

    @Test func numbersInRangeAreKept() throws {
        let job = try #require(try Job.decodeList(Array(#"[{"id": "7", "progress": "100", "duration": 315360000}]"#.utf8)).first)
        #expect(job.progress == 100)
        #expect(job.duration == ServerLimits.maxDuration)
    }

    @Test func directlyBuiltJobsAreCheckedToo() {
        var job = Job(id: "1", state: .building, progress: Int.max, duration: Int.min)
        #expect(job.progress == nil && job.duration == nil)
        job.progress = 50
        job.duration = -5
        #expect(job.progress == 50 && job.duration == nil)
    }

    @Test func longTextIsCutWithAnEllipsis() throws {
        let long = String(repeating: "a", count: 100_000)
        let combining = "e" + String(repeating: "\u{301}", count: 50_000)
        let body = #"[{"id": "\#(long)", "status": "\#(long)", "resource": "\#(long)", "creator_name": "\#(combining)"}]"#
        let job = try #require(try Job.decodeList(Array(body.utf8)).first)
        #expect(job.id.unicodeScalars.count == ServerLimits.maxIDLength)
        #expect(job.rawState.unicodeScalars.count == ServerLimits.maxStateLength)
        #expect(job.resource?.unicodeScalars.count == ServerLimits.maxTextLength)
        #expect(job.resource?.hasSuffix("…") == true)
        #expect((job.creatorName?.unicodeScalars.count ?? 0) <= ServerLimits.maxTextLength)
    }

    @Test func textOfExactlyTheLimitIsKeptWhole() {
        let exact = String(repeating: "é", count: 10)
        #expect(ServerLimits.text(exact, max: 10) == exact)
        #expect(ServerLimits.text(exact + "é", max: 10) == String(repeating: "é", count: 9) + "…")
    }

    @Test func aJobWithoutAnIDIsMarked() throws {
        let jobs = try Job.decodeList(Array(#"[{"status": "RUNNING"}, {"id": "", "status": "RUNNING"}, {"id": 5}]"#.utf8))
        #expect(jobs.map(\.hasID) == [false, false, true])
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: SWRError.self) { try Job.decodeList(Array(deep.utf8)) }
    }

    @Test(arguments: ["2018-02-30T00:00:00Z", "2019-02-29T00:00:00Z", "2018-04-31T00:00:00Z", "2018-13-01T00:00:00Z"])
    func impossibleDatesAreRejected(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test func leapDayAndEdgesParse() {
        #expect(ISO8601.parse("2020-02-29T00:00:00Z") != nil)
        #expect(ISO8601.parse("9999-12-31T23:59:59Z") != nil)
        #expect(ISO8601.format(.distantFuture).hasPrefix("4001") || ISO8601.format(.distantFuture).hasPrefix("9999"))
        #expect(ISO8601.format(Date(timeIntervalSince1970: .nan)) == "1970-01-01T00:00:00.000Z")
        #expect(ISO8601.format(Date(timeIntervalSince1970: 1e300)).hasPrefix("9999-12-31"))
    }

    // MARK: Endpoints

    @Test(arguments: [
        "http://127.evil.example", "http://evil.example#@127.0.0.1", "http://127.0.0.1.evil.example", "http://localhost.evil.example",
        "http://evil.example", "http://[::2]", "http://0x7f.0.0.1", "http://2130706433", "http://localhost.", "ftp://127.0.0.1",
        "http://user:pw@127.0.0.1", "https://user@swr.example", "https://swr.example/?x=1", "https://swr.example/#f", "127.0.0.1:80",
        "https://", "https://swr.example:0", "not a url",
    ])
    func refusedEndpoints(url: String) {
        #expect(EndpointRule.problem(with: url) != nil, "\(url) must be refused")
    }

    @Test(arguments: [
        "https://swr-api.cn-north-4.myhuaweicloud.com", "http://127.0.0.1:8080", "http://127.1.2.3", "http://[::1]:9000/x",
        "http://localhost:1234", "http://LOCALHOST", "https://swr.example/prefix",
    ])
    func acceptedEndpoints(url: String) {
        #expect(EndpointRule.problem(with: url) == nil, "\(url) must be accepted")
    }

    @Test func configNamesTheKeyOfABadEndpoint() {
        do {
            _ = try ConfigParser.parse(Array(#"{"endpoint": "http://evil.example#@127.0.0.1"}"#.utf8), file: "c.json")
            Issue.record("expected a config error")
        } catch {
            #expect(error.key == "endpoint")
        }
        do {
            _ = try ConfigParser.parse(Array(#"{"region": "evil.example/x#"}"#.utf8), file: "c.json")
            Issue.record("expected a config error")
        } catch {
            #expect(error.key == "region")
        }
        do {
            _ = try ConfigParser.parse(Array(#"{"endpoint": "https://s.example", "auth": {"iam": {"endpoint": "http://iam.example", "domain": "d", "user": "u"}}}"#.utf8), file: "c.json")
            Issue.record("expected a config error")
        } catch {
            #expect(error.key == "auth.iam.endpoint")
        }
    }

    // MARK: Secrets

    @Test(arguments: ["abc def", "abc\ndef", "abc\u{1B}def", "tok\u{7F}", "tök"])
    func aTokenWithSpacesOrControlsIsAConfigErrorThatDoesNotShowIt(token: String) async {
        let transport = NoTransport()
        do {
            _ = try Credentials.provider(for: .tokenEnv("T"), file: "c", environment: ["T": token], transport: transport, timeout: .seconds(1))
            Issue.record("expected a config error")
        } catch {
            #expect(error.key == "auth.token_env")
            #expect(!error.description.contains(token))
            #expect(error.description.contains("T"))
        }
    }

    @Test func aTokenFileReadableByOthersIsRefused() throws {
        let path = NSTemporaryDirectory() + "swr-token-\(UUID().uuidString)"
        try "tok-123456".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        chmod(path, 0o644)
        #expect(throws: ConfigError.self) { try Credentials.readTokenFile(path, file: "c", home: nil) }
        chmod(path, 0o600)
        #expect(try Credentials.readTokenFile(path, file: "c", home: nil) == "tok-123456")
        // Through a symlink, the file it resolves to is judged.
        let link = path + ".link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        defer { try? FileManager.default.removeItem(atPath: link) }
        chmod(path, 0o640)
        #expect(throws: ConfigError.self) { try Credentials.readTokenFile(link, file: "c", home: nil) }
    }

    @Test func aHugeTokenFileIsRefused() throws {
        let path = NSTemporaryDirectory() + "swr-token-\(UUID().uuidString)"
        try String(repeating: "a", count: 200_000).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        chmod(path, 0o600)
        #expect(throws: ConfigError.self) { try Credentials.readTokenFile(path, file: "c", home: nil) }
    }

    @Test func theIAMPasswordLeavesTheEnvironment() throws {
        setenv("SWR_TEST_PW", "hunter2-secret", 1)
        _ = try Credentials.provider(
            for: .iam(IAMConfig(endpoint: "https://iam.example", domain: "d", user: "u", passwordEnv: "SWR_TEST_PW", project: "p")),
            file: "c", environment: ["SWR_TEST_PW": "hunter2-secret"], transport: NoTransport(), timeout: .seconds(1))
        #expect(getenv("SWR_TEST_PW") == nil)
    }

    @Test func redactionHappensBeforeTheCut() {
        let body = Array((#"{"error_msg": ""# + String(repeating: "y", count: 190) + "SECRET-TOKEN-VALUE" + #""}"#).utf8)
        let message = ErrorBody.message(from: body, redacting: ["SECRET-TOKEN-VALUE"]) ?? ""
        #expect(!message.contains("SECRET"))
        #expect(message.unicodeScalars.count <= 200)
    }

    // MARK: Output

    @Test func jsonEscapesEveryUnsafeScalar() {
        let text = JSONValue.string("a\u{1B}]0;x\u{07}b\u{7F}c\u{9B}d\u{202E}e").serialized
        #expect(text == #""a\u001b]0;x\u0007b\u007fc\u009bd\u202ee""#)
    }

    @Test func safeTextLeavesNoUnsafeScalar() {
        var all = ""
        for v in 0..<0x250 { all.unicodeScalars.append(Unicode.Scalar(v)!) }
        all += "\u{200E}\u{202A}\u{202E}\u{2066}\u{2069}"
        for cleaned in [SafeText.line(all), SafeText.escaped(all)] {
            #expect(cleaned.unicodeScalars.allSatisfy { !SafeText.isUnsafe($0) })
        }
        #expect(SafeText.line("a\nb\u{1B}\tc") == "a?b? c")
        #expect(SafeText.escaped("job\n2026 error forged\\") == "job\\n2026 error forged\\\\")
        #expect(SafeText.line("plain ascii") == "plain ascii")
    }
}
