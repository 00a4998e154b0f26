import Foundation
import Testing
import SWRAPI

/// The logs pane and the pipelines picker against a simulator whose calls can be counted, and
/// `--watch --logs`, run as a person (or a script) would.
@Suite(.serialized) struct LogsAndPickerTests {
    /// The log of the focused job is read about once per interval while its pane is open and
    /// not at all once it is closed; the picker pages through the account and adds a pipeline.
    /// Time is measured in the dashboard's own polls (the jobs calls the simulator counts), not
    /// in seconds, so a slow machine slows both sides alike.
    @Test func theLogIsReadOnlyWhileThePaneIsOpenAndThePickerAddsAPipeline() throws {
        try requireTools()
        let (sim, url) = try startSimulator(["--speed", "2", "--sim-pipelines", "45"])
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

        /// Waits until the dashboard has made `polls` more jobs calls; the log calls meanwhile.
        func logReads(during polls: Int) -> Int? {
            guard let before = simulatorStats(url) else { return nil }
            let (jobs, logs) = (before["calls"]?["jobs"]?.lenientInt ?? 0, before["calls"]?["logs"]?.lenientInt ?? 0)
            guard let after = waitForSimulator(url, { ($0["calls"]?["jobs"]?.lenientInt ?? 0) >= jobs + polls }) else { return nil }
            return (after["calls"]?["logs"]?.lenientInt ?? 0) - logs
        }
        // Open: the focused stage is polled every second, its siblings every two (three stages:
        // two jobs calls a second), and the log once a second: about 5 reads in 10 polls.
        let whileOpen = logReads(during: 10)
        #expect((2...8).contains(whileOpen ?? -1), "the open log was read \(whileOpen ?? -1) times in 10 polls")
        tmux.send("Escape")
        #expect(tmux.waitFor { $0.contains("jobs · stage 1 build") && !$0.contains("log · ") } != nil, "\(tmux.capture())")
        // A read already on its way when the pane closed lands within a poll or two.
        _ = logReads(during: 3)
        let whileClosed = logReads(during: 6)
        #expect(whileClosed == 0, "the log was read \(whileClosed ?? -1) times after the pane closed")

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
        #expect(tmux.waitFor { $0.contains("filter: nginx") && $0.contains("nginx-hardened") } != nil, "\(tmux.capture())")
        tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("nginx-hardened (2/2)") && $0.contains("watching nginx-hardened for this session") } != nil, "\(tmux.capture())")
        #expect(tmux.waitFor { $0.contains("swr/nginx-hardened") } != nil, "the added pipeline is not polled:\n\(tmux.capture())")
        tmux.send("q")
        #expect(tmux.waitFor { $0.contains("EXIT=0") } != nil, "\(tmux.capture())")
    }

    @Test func watchWithLogsPrintsEachNewLogLineOnce() throws {
        try requireTools()
        // payments-api's run goes on from its build (early at the start) to the end: the watch
        // follows the logs of its jobs, then ends with the run.
        let result = try runProcess([Paths.binary, "--demo", "--watch", "--logs", "--json", "--exit-status", "--pipeline", "1027",
                                     "--outcome", "success", "--speed", "20", "--interval", "0.5"], timeout: 120)
        #expect(result.code == 0, "exit \(result.code): \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        var events: [JSONValue] = []
        for line in lines {
            do {
                events.append(try JSONParser.parse(String(line)))
            } catch {
                Issue.record("not a JSON line: \(line)")
            }
        }
        let logs = events.filter { $0["event"]?.nonEmptyString == "log" }
        #expect(logs.count > 5, "\(result.stdout)")
        #expect(logs.contains { $0["kind"]?.nonEmptyString == "phase" })
        #expect(logs.contains { $0["kind"]?.nonEmptyString == "content" })
        // Each line once: no (job, time, message) twice.
        let keys = logs.map { "\($0["job_id"]?.lenientString ?? "")|\($0["time"]?.lenientString ?? "")|\($0["message"]?.lenientString ?? "")" }
        #expect(Set(keys).count == keys.count, "a log line was printed twice:\n\(result.stdout)")
    }
}
