import Foundation
import Testing
import SWRAPI

/// The logs pane, the pipelines picker and `--watch --logs`, run as a person (or a script) would.
@Suite(.serialized) struct LogsAndPickerTests {
    /// "line 3-14 of 14" → 14.
    func lineCount(_ screen: String) -> Int? {
        guard let range = screen.range(of: #"of (\d+) · "#, options: .regularExpression) else { return nil }
        return Int(screen[range].dropFirst(3).prefix { $0.isNumber })
    }

    @Test func theLogOfABuildingJobFollowsNewLines() throws {
        try requireTools()
        // In the seed-42 demo, payments-api's build stage is early in a long build at start.
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo --speed 4 --interval 1")
        defer { tmux.close() }
        #expect(tmux.waitFor { $0.contains("LIVE") && $0.contains("Successful") } != nil, "\(tmux.capture())")
        tmux.send("4")
        #expect(tmux.waitFor { $0.contains("payments-api (4/5)") } != nil, "\(tmux.capture())")
        // Follow mode lands on the running stage (build) by itself.
        guard tmux.waitFor({ $0.contains("jobs · stage 1 build") && $0.range(of: #"\n│\d+ +● Building"#, options: .regularExpression) != nil }) != nil else {
            Issue.record("the newest build job is not building:\n\(tmux.capture())")
            return
        }
        tmux.send("l")
        guard let opened = tmux.waitFor({ $0.contains("log · payments-api › build › #") && $0.contains("following") && lineCount($0) != nil }) else {
            Issue.record("no log pane following:\n\(tmux.capture())")
            return
        }
        let first = lineCount(opened) ?? 0
        #expect(opened.contains("▸ "), "phases are headings:\n\(opened)")
        let grown = tmux.waitFor(timeout: 90) { (lineCount($0) ?? 0) > first }
        #expect(grown != nil, "no new log lines after \(first):\n\(tmux.capture())")
        // Scrolling to the top stops following; G follows again.
        tmux.send("g")
        #expect(tmux.waitFor { $0.contains("G to follow") || $0.contains("ended") } != nil, "\(tmux.capture())")
        tmux.send("/")
        tmux.send("-l", "workspace")
        #expect(tmux.waitFor { $0.contains("/workspace") && $0.contains("match") } != nil, "\(tmux.capture())")
        tmux.send("Enter")
        tmux.send("Escape")
        tmux.send("Escape")
        #expect(tmux.waitFor { $0.contains("jobs · stage 1 build") } != nil, "the pane did not close:\n\(tmux.capture())")
        tmux.send("q")
        #expect(tmux.waitFor { $0.contains("EXIT=0") } != nil)
    }

    @Test func theLogIsReadOnlyWhileThePaneIsOpen() throws {
        try requireTools()
        let (sim, url) = try startSimulator(["--speed", "2"])
        defer { sim.stop() }
        // payments-api: its build stage runs a long build at the start of the seed-42 world.
        let config = try writeConfig(url: url, pipelines: #"[{"id": 1027}]"#)
        let tmux = try TmuxSession(command: "\(Paths.binary) --config \(config)", environment: ["SWR_TOKEN": demoToken])
        defer { tmux.close() }
        #expect(tmux.waitFor { $0.contains("LIVE") && $0.contains("Successful") } != nil, "\(tmux.capture())")
        #expect(simulatorCalls(url, "logs") == 0)
        // Follow mode lands on the running stage (build) by itself.
        #expect(tmux.waitFor { $0.contains("jobs · stage 1 build") && $0.contains("Building") } != nil, "\(tmux.capture())")
        tmux.send("l")
        #expect(tmux.waitFor { $0.contains("log · payments-api › build") && $0.contains("following") } != nil, "\(tmux.capture())")
        // Open: read about once per focused interval (1 s).
        let opened = simulatorCalls(url, "logs") ?? 0
        Thread.sleep(forTimeInterval: 4)
        let whileOpen = simulatorCalls(url, "logs") ?? 0
        #expect(whileOpen - opened >= 2, "the open log was read \(whileOpen - opened) times in 4 s")
        #expect(whileOpen - opened <= 6, "the open log was read \(whileOpen - opened) times in 4 s")
        tmux.send("Escape")
        #expect(tmux.waitFor { $0.contains("jobs · stage 1 build") } != nil, "\(tmux.capture())")
        Thread.sleep(forTimeInterval: 0.5)
        let closed = simulatorCalls(url, "logs") ?? 0
        Thread.sleep(forTimeInterval: 4)
        #expect(simulatorCalls(url, "logs") == closed, "the log is still read after the pane closed")
        tmux.send("q")
    }

    @Test func thePickerPagesThroughTheAccountAndWatchesAPipeline() throws {
        try requireTools()
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo --pipeline 1024 --sim-pipelines 45")
        defer { tmux.close() }
        #expect(tmux.waitFor { $0.contains("tomcat-release (1/1)") && $0.contains("Successful") } != nil, "\(tmux.capture())")
        tmux.send("P")
        #expect(tmux.waitFor { $0.contains("add a pipeline · 20 of 45 loaded") } != nil, "\(tmux.capture())")
        // Moving to the end of what is loaded reads the next pages.
        var all: String?
        for _ in 0..<6 where all == nil {
            tmux.send("End")
            all = tmux.waitFor(timeout: 3) { $0.contains("45 of 45 loaded") }
        }
        #expect(all != nil, "did not page through:\n\(tmux.capture())")
        tmux.send("-l", "nginx")
        let filtered = tmux.waitFor { $0.contains("filter: nginx") && $0.contains("nginx-hardened") }
        #expect(filtered != nil, "\(tmux.capture())")
        tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("nginx-hardened (2/2)") && $0.contains("watching nginx-hardened for this session") } != nil, "\(tmux.capture())")
        #expect(tmux.waitFor { $0.contains("swr/nginx-hardened") } != nil, "the added pipeline is not polled:\n\(tmux.capture())")
        tmux.send("q")
    }

    @Test func watchWithLogsPrintsEachNewLogLineOnce() throws {
        try requireTools()
        let result = try runProcess([Paths.binary, "--demo", "--watch", "--logs", "--json", "--speed", "10", "--sim-pipelines", "1",
                                     "--interval", "1", "--timeout-total", "20"], timeout: 60)
        #expect(result.code == 124, "\(result.stderr)")
        let events = result.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        let logs = events.filter { $0["event"]?.nonEmptyString == "log" }
        #expect(logs.count > 5, "\(result.stdout)")
        #expect(logs.contains { $0["kind"]?.nonEmptyString == "phase" })
        #expect(logs.contains { $0["kind"]?.nonEmptyString == "content" })
        // Each line once: no (job, time, message) twice.
        let keys = logs.map { "\($0["job_id"]?.lenientString ?? "")|\($0["time"]?.lenientString ?? "")|\($0["message"]?.lenientString ?? "")" }
        #expect(Set(keys).count == keys.count, "a log line was printed twice:\n\(result.stdout)")
    }
}
