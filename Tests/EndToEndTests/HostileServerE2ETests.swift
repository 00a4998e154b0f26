import Foundation
import Testing
import SWRAPI

/// The built binary against the simulator's hostile faults: one test per way a server or
/// network can attack (issue 13). Each failed on the version before the fix.
@Suite(.serialized) struct HostileServerE2ETests {
    /// A config for the simulator at `url`, with names and stages given (no detail call needed).
    func hostileConfig(url: String, timeout: Double = 3) throws -> String {
        let path = NSTemporaryDirectory() + "swr-top-hostile-\(UUID().uuidString).json"
        let text = #"{"endpoint": "\#(url)", "auth": {"token_env": "SWR_TOKEN"}, "interval_seconds": 1, "timeout_seconds": \#(timeout), "pipelines": [{"id": 1024, "name": "tomcat-release", "stages": [{"index": 0, "name": "source"}, {"index": 1, "name": "build"}]}]}"#
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Bytes a terminal would act on: C0 but newline, DEL, and C1 (as UTF-8: C2 80...C2 9F).
    func controlBytes(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var found: [UInt8] = []
        for (i, byte) in bytes.enumerated() {
            if (byte < 0x20 && byte != 0x0A) || byte == 0x7F { found.append(byte) }
            if byte == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) { found.append(bytes[i + 1]) }
        }
        return found
    }

    @Test func extremeNumbersDoNotCrashTheDashboard() throws {
        try requireTools()
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo --faults extreme=1")
        defer { tmux.close() }
        let screen = tmux.waitFor(timeout: 60) { $0.contains("jobs") && $0.contains("STATE") }
        #expect(screen != nil)
        // Several polls and frames later it is still drawing, not crashed.
        tmux.send("Right")
        tmux.send("Enter")
        tmux.send("o")
        tmux.send("o")
        let later = tmux.waitFor(timeout: 10) { $0.contains("EXIT=") || $0.contains("crashed") }
        #expect(later == nil, "the dashboard ended: \(later ?? "")")
        let once = try runProcess([Paths.binary, "--demo", "--faults", "extreme=1", "--once", "--json"])
        #expect(once.code == 0, "\(once.stderr)")
        let json = try JSONParser.parse(once.stdout)
        for pipeline in json["pipelines"]?.arrayValue ?? [] {
            for stage in pipeline["stages"]?.arrayValue ?? [] {
                for job in stage["jobs"]?.arrayValue ?? [] {
                    if case .int(let p)? = job["progress"] { #expect((0...100).contains(p)) }
                    if case .int(let d)? = job["duration"] { #expect((0...315_360_000).contains(d)) }
                }
            }
        }
    }

    @Test func aRedirectIsNotFollowedAndTheTokenStaysHome() throws {
        try requireTools()
        let (sim, url) = try startSimulator(["--faults", "redirect=1"])
        defer { sim.stop() }
        let config = try hostileConfig(url: url)
        let result = try runProcess([Paths.binary, "--config", config, "--once", "--json"], environment: ["SWR_TOKEN": demoToken])
        #expect(result.code == 3)
        let json = try JSONParser.parse(result.stdout)
        let stage = json["pipelines"]?.arrayValue?.first?["stages"]?.arrayValue?.first
        #expect(stage?["error"]?["kind"] == "redirect")
        #expect(stage?["error"]?["message"]?.nonEmptyString?.contains("does not follow redirects") == true)
        let trap = try runProcess(["/usr/bin/curl", "-s", "\(url)/_sim/trap"])
        let record = try JSONParser.parse(trap.stdout)
        #expect(record["requests"] == 0, "the other origin was contacted: \(trap.stdout)")
        #expect(record["tokens_seen"] == 0)
        // A watch cannot go on past a redirect: exit 3, said once on stderr.
        let watch = try runProcess([Paths.binary, "--config", config, "--watch"], environment: ["SWR_TOKEN": demoToken], timeout: 60)
        #expect(watch.code == 3)
        #expect(watch.stderr.contains("redirect"))
        #expect(!watch.stderr.contains(demoToken) && !watch.stdout.contains(demoToken))
    }

    @Test func aStalledBodyEndsOnceWithinTheTimeout() throws {
        try requireTools()
        let (sim, url) = try startSimulator(["--faults", "stall=1"])
        defer { sim.stop() }
        let config = try hostileConfig(url: url, timeout: 1)
        let started = Date()
        let result = try runProcess([Paths.binary, "--config", config, "--once", "--json"], environment: ["SWR_TOKEN": demoToken], timeout: 90)
        let took = Date().timeIntervalSince(started)
        #expect(result.code == 3)
        // timeout_seconds (1) plus generous slack for a loaded machine; before the fix: forever.
        #expect(took < 45, "took \(took) s")
        let json = try JSONParser.parse(result.stdout)
        #expect(json["pipelines"]?.arrayValue?.first?["stages"]?.arrayValue?.first?["error"]?["kind"] == "timeout")
    }

    @Test func escapesFromTheServerNeverReachAnOutputRaw() throws {
        try requireTools()
        let (sim, url) = try startSimulator(["--faults", "escape=1"])
        defer { sim.stop() }
        let config = try hostileConfig(url: url)
        let log = NSTemporaryDirectory() + "swr-top-hostile-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let table = try runProcess([Paths.binary, "--config", config, "--once", "--log", log, "--verbose"], environment: ["SWR_TOKEN": demoToken])
        #expect(controlBytes(table.stdout).isEmpty, "table: \(controlBytes(table.stdout))")
        #expect(controlBytes(table.stderr).isEmpty)
        let json = try runProcess([Paths.binary, "--config", config, "--once", "--json"], environment: ["SWR_TOKEN": demoToken])
        #expect(controlBytes(json.stdout).isEmpty, "json: \(controlBytes(json.stdout))")
        _ = try JSONParser.parse(json.stdout)
        let watch = try Background([Paths.binary, "--config", config, "--watch", "--logs"], environment: ["SWR_TOKEN": demoToken])
        _ = watch.waitForLine(timeout: 30) { $0.contains("tomcat-release") }
        let lines = watch.output.joined(separator: "\n")
        watch.stop()
        #expect(!lines.isEmpty)
        #expect(controlBytes(lines).isEmpty, "watch: \(controlBytes(lines))")
        let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(controlBytes(logText).isEmpty, "log: \(controlBytes(logText))")
    }

    @Test(arguments: ["http://127.evil.example", "http://evil.example#@127.0.0.1", "http://user:pw@127.0.0.1:1", "https://swr.example/?q=1"])
    func anEndpointThatOnlyLooksLoopbackIsAConfigError(endpoint: String) throws {
        try requireTools()
        let config = try hostileConfig(url: "https://swr.example")
        let result = try runProcess([Paths.binary, "--config", config, "--endpoint", endpoint, "--once"], environment: ["SWR_TOKEN": demoToken])
        #expect(result.code == 2)
        #expect(result.stderr.contains("'endpoint'"))
        let file = NSTemporaryDirectory() + "swr-top-hostile-\(UUID().uuidString).json"
        try #"{"endpoint": "\#(endpoint)", "pipelines": [{"id": 1, "name": "a", "stages": 1}]}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try runProcess([Paths.binary, "--config", file, "--once"], environment: ["SWR_TOKEN": demoToken])
        #expect(fromFile.code == 2)
        #expect(fromFile.stderr.contains("'endpoint'"))
    }
}
