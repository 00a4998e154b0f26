import Foundation
import Testing
import SWRAPI
import SWRSimulator

/// `--once`, `--watch` and `sim` as scripts use them: exit codes, JSON, lines through a pipe.
@Suite(.serialized) struct ScriptableTests {
    @Test func onceJSONMatchesTheSimulatedWorld() throws {
        try requireTools()
        let result = try runProcess([Paths.binary, "--demo", "--once", "--json"])
        #expect(result.code == 0, "\(result.stderr)")
        let json = try JSONParser.parse(result.stdout)
        #expect(json["generated_at"]?.nonEmptyString.flatMap(ISO8601.parse) != nil)
        let world = SimWorld(seed: 42, pipelineCount: 5, epoch: Date())
        let pipelines = try #require(json["pipelines"]?.arrayValue)
        #expect(pipelines.compactMap { $0["name"]?.nonEmptyString } == world.pipelines.map(\.name))
        #expect(pipelines.compactMap { $0["id"]?.lenientInt } == world.pipelines.map(\.id))
        for (pipeline, simulated) in zip(pipelines, world.pipelines) {
            let stages = try #require(pipeline["stages"]?.arrayValue)
            #expect(stages.compactMap { $0["name"]?.nonEmptyString } == simulated.stages.map(\.name))
            for stage in stages {
                #expect(stage["error"] == .null)
                let jobs = try #require(stage["jobs"]?.arrayValue)
                #expect(!jobs.isEmpty)
                for job in jobs {
                    let keys = job.objectValue?.keys ?? []
                    #expect(keys == ["id", "state", "raw_state", "progress", "duration", "resource", "creator_name", "created_at"])
                    let state = job["state"]?.nonEmptyString ?? ""
                    #expect(["Waiting", "Building", "Successful", "Failed", "Timeout", "Cancel", "Unknown"].contains(state))
                    guard case .string? = job["id"] else { Issue.record("id must be a string"); continue }
                }
            }
        }
    }

    @Test func aFailingStageGivesExit3WithTheErrorObject() throws {
        try requireTools()
        let (sim, url) = try startSimulator()
        defer { sim.stop() }
        let config = try writeConfig(url: url, pipelines: #"[{"id": 1024, "name": "tomcat-release", "stages": [{"index": 0, "name": "source"}, {"index": 9, "name": "ghost"}]}]"#)
        let result = try runProcess([Paths.binary, "--config", config, "--once", "--json"], environment: ["SWR_TOKEN": demoToken])
        #expect(result.code == 3)
        let json = try JSONParser.parse(result.stdout)
        let stages = try #require(json["pipelines"]?.arrayValue?.first?["stages"]?.arrayValue)
        #expect(stages.count == 2)
        #expect(stages[0]["error"] == .null)
        #expect(stages[1]["jobs"] == .array([]))
        #expect(stages[1]["error"]?["kind"] == "bad_request")
        #expect(stages[1]["error"]?["status"] == 400)
        #expect(stages[1]["error"]?["message"]?.nonEmptyString?.contains("out of range") == true)
        #expect(!result.stdout.contains(demoToken))
        // The plain table says the same.
        let plain = try runProcess([Paths.binary, "--config", config, "--once"], environment: ["SWR_TOKEN": demoToken])
        #expect(plain.code == 3)
        #expect(plain.stdout.contains("error [1]"))
        #expect(plain.stdout.contains("[1] bad request (400) on 1 stage of 1 pipeline"))
    }

    @Test(arguments: [("success", Int32(0)), ("failed", 1), ("timeout", 4), ("cancel", 5)])
    func watchExitStatusFollowsTheRun(outcome: String, expected: Int32) throws {
        try requireTools()
        let result = try runProcess([Paths.binary, "--demo", "--watch", "--exit-status", "--pipeline", "1025", "--outcome", outcome,
                                     "--speed", "40", "--interval", "0.5"], timeout: 240)
        #expect(result.code == expected, "outcome \(outcome): exit \(result.code)\n\(result.stdout.suffix(800))\n\(result.stderr)")
        #expect(result.stdout.contains("nginx-hardened/"))
    }

    @Test func faultsDuringTheWatchStillEndInSuccess() throws {
        try requireTools()
        let result = try runProcess([Paths.binary, "--demo", "--watch", "--exit-status", "--pipeline", "1025", "--outcome", "success",
                                     "--speed", "40", "--interval", "0.5", "--faults", "all=0.3,slow-seconds=12"], timeout: 300)
        #expect(result.code == 0, "exit \(result.code)\n\(result.stdout.suffix(1200))\n\(result.stderr)")
    }

    @Test func timeoutTotalGives124() throws {
        try requireTools()
        // At speed 0.01 tomcat-release's deploy (building at the start of the seed-42 world) never ends in time.
        let result = try runProcess([Paths.binary, "--demo", "--watch", "--exit-status", "--pipeline", "1024", "--speed", "0.01", "--timeout-total", "2"])
        #expect(result.code == 124, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("--timeout-total"))
    }

    @Test func watchOutputThroughAPipeIsLineByLine() throws {
        try requireTools()
        let watcher = try Background([Paths.binary, "--demo", "--watch", "--pipeline", "1024", "--speed", "10", "--interval", "0.5"])
        defer { watcher.stop() }
        let line = watcher.waitForLine { $0.contains("tomcat-release/") }
        #expect(line != nil)
        // Lines arrive while the watcher is still running (not only at exit).
        #expect(watcher.isRunning)
        let change = watcher.waitForLine { $0.contains("→") }
        #expect(change != nil, "\(watcher.output)")
    }

    @Test func watchJSONLines() throws {
        try requireTools()
        let result = try runProcess([Paths.binary, "--demo", "--watch", "--json", "--exit-status", "--pipeline", "1025", "--outcome", "failed", "--speed", "40", "--interval", "0.5"], timeout: 240)
        #expect(result.code == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONParser.parse(String(line))
            #expect(object["event"]?.nonEmptyString != nil)
            #expect(object["pipeline_id"] == 1025)
        }
    }

    @Test func noTerminalNoFlagsSaysHowToUseIt() throws {
        try requireTools()
        let result = try runProcess([Paths.binary, "--demo"])
        #expect(result.code == 2)
        #expect(result.stderr.contains("--once"))
        #expect(result.stderr.contains("--watch"))
    }

    @Test func badConfigStopsWithExit2() throws {
        try requireTools()
        let path = NSTemporaryDirectory() + "swr-top-bad-\(UUID().uuidString).json"
        try #"{"endpoint": "https://x", "pipelines": []}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runProcess([Paths.binary, "--config", path, "--once"])
        #expect(result.code == 2)
        #expect(result.stderr.contains("'pipelines': is empty"))
        let missingToken = try runProcess([Paths.binary, "--config", Paths.root.appendingPathComponent("config.example.json").path, "--once"], environment: ["SWR_TOKEN": ""])
        #expect(missingToken.code == 2)
        #expect(missingToken.stderr.contains("SWR_TOKEN"))
    }

    @Test func simAnswersCurlLikeTheService() throws {
        try requireTools()
        let (sim, url) = try startSimulator()
        defer { sim.stop() }
        let jobs = try runProcess(["/usr/bin/curl", "-s", "-H", "X-Auth-Token: \(demoToken)", "\(url)/v3/manage/pipelines/1024/stages/0/jobs"])
        let decoded = try Job.decodeList(Array(jobs.stdout.utf8))
        #expect(!decoded.isEmpty)
        #expect(jobs.stdout.contains(#""duration":""#))  // numbers as strings, as in the official example
        let denied = try runProcess(["/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "\(url)/v3/manage/pipelines/1024/stages/0/jobs"])
        #expect(denied.stdout == "401")
        let yaml = try runProcess(["/usr/bin/curl", "-s", "-H", "X-Auth-Token: \(demoToken)", "\(url)/v3/manage/pipelines/1024"])
        #expect(yaml.stdout.hasPrefix("id: 1024"))
    }
}
