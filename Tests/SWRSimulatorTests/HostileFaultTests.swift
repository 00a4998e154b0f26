import Foundation
import Testing
@testable import SWRAPI
@testable import SWRSimulator

private let jobsURI = "/v3/manage/pipelines/1024/stages/0/jobs"
private let loginBody: [UInt8] = Array(#"{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"u","password":"p","domain":{"name":"d"}}}},"scope":{"project":{"name":"cn-north-4"}}}}"#.utf8)

private func login(_ service: SimService) -> SimResponse {
    service.handle(SimRequest(method: "POST", uri: "/v3/auth/tokens", headers: [:], body: loginBody))
}

private func text(_ response: SimResponse) -> String { String(decoding: response.body, as: UTF8.self) }

/// A service whose every answer is the hostile `fault`.
private func hostileService(_ spec: String, _ configure: (inout SimulatorOptions) -> Void = { _ in }) -> SimService {
    makeService { options in
        options.faults = try! FaultPlan.parse(spec)
        configure(&options)
    }.0
}

@Suite struct FaultSpecTests {
    @Test func hostileSpreadsEvenlyAndAllKeepsItsMeaning() throws {
        let hostile = try FaultPlan.parse("hostile=0.6")
        #expect(hostile.hostileRates.map(\.1).allSatisfy { abs($0 - 0.1) < 1e-12 })
        #expect(hostile.classicTotal == 0)
        let all = try FaultPlan.parse("all=0.6")
        #expect(abs(all.classicTotal - 0.6) < 1e-12)
        #expect(all.hostileRates.allSatisfy { $0.1 == 0 })
        #expect(all == FaultPlan.all(0.6))
        // Neither resets what came before it.
        let both = try FaultPlan.parse("slow-seconds=5,bad-log=0.2,all=0.3,hostile=0.3,latency=10")
        #expect(both.slowSeconds == 5 && both.badLogRate == 0.2 && both.latencyMilliseconds == 10)
        #expect(abs(both.classicTotal + both.hostileRates.reduce(0) { $0 + $1.1 } - 0.6) < 1e-12)
        let each = try FaultPlan.parse("extreme=0.1,escape=0.1,redirect=0.1,stall=0.1,huge=0.1,deep=0.1,stall-seconds=7,huge-mib=2")
        #expect(each.hostileRates.map(\.0) == HostileFault.allCases)
        #expect(each.stallSeconds == 7 && each.hugeMebibytes == 2)
    }

    @Test(arguments: [
        "5xx=inf", "5xx=nan", "all=nan", "hostile=-0.1", "extreme=1.5", "deep=infinity",
        "latency=inf", "latency=-inf", "latency=nan", "latency=1e300", "latency=60001", "jitter=-1", "jitter=1e19",
        "slow-seconds=3601", "slow-seconds=nan", "retry-after=1e20", "retry-after=inf", "retry-after=-1",
        "stall-seconds=nan", "stall-seconds=4000", "huge-mib=0", "huge-mib=1e19", "huge-mib=inf",
        "extreme=0.5,escape=0.6", "all=0.6,hostile=0.6", "latency", "latency=ten",
    ])
    func refusesWhatIsNotAFiniteNumberInRange(spec: String) {
        // Refused with an error, never a trap on `Int(value)`.
        #expect(throws: FaultSpecError.self) { try FaultPlan.parse(spec) }
    }

    @Test func acceptsTheEdgesOfEachRange() throws {
        let plan = try FaultPlan.parse("latency=60000,jitter=0,slow-seconds=3600,retry-after=3600,stall-seconds=0,huge-mib=1024,hostile=1")
        #expect(plan.latencyMilliseconds == 60_000 && plan.retryAfterSeconds == 3600 && plan.hugeMebibytes == 1024)
    }

    @Test func unknownFaultNamesEveryKind() {
        do {
            _ = try FaultPlan.parse("bogus=1")
            Issue.record("bogus accepted")
        } catch {
            for name in ["all", "hostile", "extreme", "escape", "redirect", "stall", "huge", "deep", "stall-seconds", "huge-mib", "bad-log"] {
                #expect(error.message.contains(name))
            }
        }
    }

    @Test func simulatorLimitsNameTheFlag() throws {
        for speed in [Double.infinity, -.infinity, .nan, 0, -1, 1000.5] {
            #expect(throws: SimulatorLimitError.self) { try SimulatorLimits.checkSpeed(speed) }
        }
        try SimulatorLimits.checkSpeed(1000)
        try SimulatorLimits.checkSpeed(0.01)
        for lifetime in [Double.infinity, .nan, 0, 0.5, 31_536_001] {
            do {
                try SimulatorLimits.check(lifetime, in: SimulatorLimits.tokenLifetime, flag: "--token-lifetime")
                Issue.record("\(lifetime) accepted")
            } catch {
                #expect(error.message == "--token-lifetime must be a finite number between 1 and 31536000")
            }
        }
        try SimulatorLimits.check(31_536_000, in: SimulatorLimits.tokenLifetime, flag: "--token-lifetime")
        for port in [-1, 65536, Int.max] {
            #expect(throws: SimulatorLimitError.self) { try SimulatorLimits.check(port, in: SimulatorLimits.port, flag: "--port") }
        }
        try SimulatorLimits.check(0, in: SimulatorLimits.port, flag: "--port")
        for count in [0, 2001, Int.min] {
            #expect(throws: SimulatorLimitError.self) { try SimulatorLimits.check(count, in: SimulatorLimits.pipelines, flag: "--sim-pipelines") }
        }
    }
}

@Suite struct HostileServiceTests {
    @Test func hostileFaultsAreSeededCountedAndLeaveClassicDecisionsAlone() {
        func run(_ spec: String) -> (statuses: [Int], service: SimService) {
            let service = hostileService(spec)
            let statuses = (0..<300).map { _ -> Int in
                switch get(service, jobsURI) {
                case .streamed: return -2
                case .stalled: return -3
                case let other: return other.status ?? -1
                }
            }
            return (statuses, service)
        }
        let a = run("hostile=0.6,huge-mib=1")
        #expect(a.statuses == run("hostile=0.6,huge-mib=1").statuses)
        #expect(Set(a.service.hostileCounts.keys) == Set(HostileFault.allCases))
        #expect(a.service.faultCounts.isEmpty)
        let counts = a.service.hostileCounts
        #expect(a.statuses.filter { $0 != 200 }.count == (counts[.redirect] ?? 0) + (counts[.huge] ?? 0) + (counts[.stall] ?? 0))
        // Adding hostile kinds after the classic ones changes no classic decision.
        let classic = run("5xx=0.2").statuses
        let mixed = run("5xx=0.2,extreme=0.3,deep=0.3").statuses
        for (plain, withHostile) in zip(classic, mixed) where [500, 502, 503].contains(plain) { #expect(withHostile == plain) }
        // The counts appear in /_sim/stats by name.
        let stats = get(a.service, "/_sim/stats")
        #expect(text(stats).contains("\"extreme\":"))
    }

    @Test func extremeNumbersAndTimesInEveryReply() throws {
        let service = hostileService("extreme=1")
        let body = text(get(service, jobsURI))
        for raw in HostileValues.rawNumbers {
            let found = body.contains(":\(raw),") || body.contains(":\(raw)}")
            #expect(found, "raw \(raw)")
        }
        for string in HostileValues.numberStrings {
            let found = body.contains(":\"\(string)\"")
            #expect(found, "string \(string)")
        }
        for time in HostileValues.times {
            let found = body.contains("\"created_at\":\"\(time)\"")
            #expect(found, "time \(time)")
        }
        // The rest of each job is intact, so a client reaches the numbers.
        #expect(body.contains("\"state\":"))
        for uri in ["/v3/manage/pipelines", "/v3/manage/pipelines/1024", "/v3/manage/pipelines/1024/stages/0/jobs/latest/logs"] {
            let reply = text(get(service, uri))
            #expect(HostileValues.times.contains { reply.contains("\"\($0)\"") }, "\(uri)")
        }
        let yaml = text(get(service, "/v3/manage/pipelines/1024", accept: "*/*"))
        #expect(HostileValues.times.contains { yaml.contains("\"\($0)\"") })
        let log = text(get(service, "/v3/manage/pipelines/1024/stages/0/jobs/latest/logs"))
        #expect(log.contains("\\\"Progress\\\":"))
        let token = login(service)
        #expect(token.status == 201)
        #expect(HostileValues.times.contains { text(token).contains("\"expires_at\":\"\($0)\"") })
    }

    @Test func escapesInEveryStringAndHostileJobIDsThatStillLeadToTheirLogs() throws {
        let service = hostileService("escape=1")
        let body = text(get(service, jobsURI))
        for escaped in [#"\u001b]0;pwned\u0007"#, #"\u001b[2J"#, #"\u001b]52;c;cHduZWQ=\u0007"#, #"\u009b31m"#, #"\u009d0;pwned\u009c"#,
                        #"del\u007fdel"#, #"line\r\nInjected-Header: yes"#, #"nul\u0000byte"#, #"lone \ud800 surrogate"#] {
            let found = body.contains(escaped)
            #expect(found, "\(escaped)")
        }
        // The bidi override passes raw or escaped, as the JSON writer chooses; either way a client reads U+202E.
        let bidi = body.contains("\u{202E}gnp.exe") || body.contains(#"\u202egnp.exe"#)
        #expect(bidi)
        let long = body.contains(String(repeating: "W", count: 99_996))
        #expect(long)
        let placeholders = body.unicodeScalars.contains { $0.value >= 0x10_FFF0 }
        #expect(!placeholders, "no placeholder left")
        for index in 0..<10 {
            let found = body.contains("\"id\":\(JSONValue.string(HostileValues.jobID(index)).serialized)")
            #expect(found, "id \(index)")
        }
        // A client that percent-encodes the id reaches the log of that job; one that does not, does not.
        service.setFaults(.none)
        for index in [0, 1, 2, 3, 4, 5, 6, 7] {
            let id = HostileValues.jobID(index)
            let log = get(service, "/v3/manage/pipelines/1024/stages/0/jobs/\(percentEncodedPathSegment(id))/logs")
            #expect(log.status == 200, "\(id)")
            #expect(try JSONParser.parse(log.body)["id"]?.nonEmptyString == id)
        }
        #expect(get(service, "/v3/manage/pipelines/1024/stages/0/jobs/a/b/logs").status == 404)
        // Pipeline names, stage names, log messages and the login get the same.
        service.setFaults(try FaultPlan.parse("escape=1"))
        for uri in ["/v3/manage/pipelines", "/v3/manage/pipelines/1024", "/v3/manage/pipelines/1024/stages/0/jobs/latest/logs"] {
            #expect(text(get(service, uri)).contains(#"\u001b"#), "\(uri)")
        }
        let log = text(get(service, "/v3/manage/pipelines/1024/stages/0/jobs/latest/logs"))
        #expect(log.contains(#"\\u001b"#), "escapes inside the nested content")
        let token = login(service)
        let issued = try #require(token.header("X-Subject-Token"))
        #expect(issued.contains("/../?#%20 x"))
        let tokenBody = text(token)
        let shaped = HostileValues.strings.contains { tokenBody.contains(JSONValue.string($0).serialized) }
        #expect(shaped, "the login reply's strings are hostile too")
        service.setFaults(.none)
        #expect(get(service, jobsURI, token: issued).status == 200, "the odd token is a real one")
    }

    @Test func redirectsPointToTheTrapOrigin() {
        let service = hostileService("redirect=1")
        service.setTrapOrigin("http://127.0.0.1:9")
        var statuses = Set<Int>()
        for _ in 0..<40 {
            let response = get(service, "/v3/manage/pipelines?limit=3&offset=0")
            statuses.insert(response.status ?? 0)
            #expect(response.header("Location") == "http://127.0.0.1:9/v3/manage/pipelines?limit=3&offset=0")
        }
        #expect(statuses == [301, 302, 307, 308])
        let token = login(service)
        #expect([301, 302, 307, 308].contains(token.status ?? 0))
        #expect(token.header("Location") == "http://127.0.0.1:9/v3/auth/tokens")
        #expect(RedirectTrap.carriesPassword(loginBody))
        #expect(!RedirectTrap.carriesPassword(Array("[]".utf8)))
    }

    @Test func stallHugeAndDeepShapes() throws {
        let stall = get(hostileService("stall=1"), jobsURI)
        guard case .stalled(let status, _, let sent, let hold) = stall else { Issue.record("not stalled: \(stall)"); return }
        #expect(status == 200 && hold == 300)
        #expect(try #require(stall.header("Content-Length").flatMap(Int.init)) > sent.count)
        #expect(sent.first == UInt8(ascii: "["))

        guard case .streamed(_, _, let huge) = get(hostileService("huge=1"), jobsURI) else { Issue.record("not streamed"); return }
        #expect(huge.byteCount >= 64 << 20)
        #expect(huge.element.first == UInt8(ascii: "{"))

        let deep = get(hostileService("deep=1"), jobsURI)
        #expect(deep.status == 200 && deep.body == HostileValues.deepNesting && deep.body.count == 200_000)
        #expect(login(hostileService("deep=1")).body == HostileValues.deepNesting)
    }

    @Test(arguments: [true, false])
    func hugeBodyIsExactAndValid(declaresLength: Bool) throws {
        let body = HugeBody(element: Array(#"{"id":1,"state":"Successful"}"#.utf8), targetBytes: 300_000, declaresLength: declaresLength)
        var bytes: [UInt8] = []
        var largest = 0
        for chunk in body {
            bytes += chunk
            largest = max(largest, chunk.count)
        }
        #expect(bytes.count == body.byteCount && bytes.count >= 300_000)
        #expect(largest <= 65_536 + body.element.count + 1, "written in chunks, never whole")
        #expect(try JSONParser.parse(bytes).arrayValue?.count == body.count)
    }
}

@Suite struct SimulatorSettingsTests {
    @Test func settingsBecomeOptionsOrARefusalNamingTheFlag() throws {
        var settings = SimulatorSettings()
        settings.pipelines = 200
        settings.busy = 0
        settings.wireFormat = "mixed"
        settings.outcome = "failed"
        let options = try settings.options()
        #expect(options.pipelineCount == 200 && options.busyPipelines == 0 && options.wireFormat == .mixed && options.forcedOutcome == .failed)
        func refusal(_ change: (inout SimulatorSettings) -> Void) -> String? {
            var bad = SimulatorSettings()
            change(&bad)
            do { _ = try bad.options(); return nil } catch { return error.message }
        }
        #expect(refusal { $0.busy = -1 }?.hasPrefix("--sim-busy") == true)
        #expect(refusal { $0.pipelines = 0 }?.hasPrefix("--sim-pipelines") == true)
        #expect(refusal { $0.speed = .nan }?.hasPrefix("--speed") == true)
        #expect(refusal { $0.faults = "bogus=1" }?.hasPrefix("--faults") == true)
        #expect(refusal { $0.wireFormat = "xml" }?.hasPrefix("--wire-format") == true)
        #expect(refusal { $0.outcome = "building" }?.hasPrefix("--outcome") == true)
    }
}
