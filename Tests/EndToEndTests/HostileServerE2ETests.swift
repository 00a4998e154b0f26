import Foundation
import Testing
import SWRAPI

/// The built binary against the simulator's hostile faults, for what only the process shows:
/// the real terminal (curses, the pane's title and clipboard) and every byte the process writes.
/// Redirects, stalled bodies and endpoints that only look like loopback are the client's and the
/// config's business, tested without a process (SWRAPITests: HostileServerTests, HostileInputTests).
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
        #expect(screen != nil, "\(tmux.capture())")
        tmux.send("Right")
        tmux.send("Enter")
        tmux.send("o")
        tmux.send("o")
        // Polls and frames later it is still drawing: the screen changes twice more (the
        // header's counters move every second) and the process has not ended.
        var last = tmux.capture()
        for _ in 0..<2 {
            let next = tmux.waitFor { $0 != last }
            #expect(next != nil && next?.contains("EXIT=") == false, "the dashboard stopped: \(next ?? last)")
            last = next ?? last
        }
        #expect(last.contains("swr-top") && !last.contains("EXIT="), "\(last)")
        let once = try runProcess([Paths.binary, "--demo", "--faults", "extreme=1", "--once", "--json"])
        #expect(once.code == 0, "\(once.stderr)")
        let json = try JSONParser.parse(once.stdout)
        var checked = 0
        for pipeline in json["pipelines"]?.arrayValue ?? [] {
            for stage in pipeline["stages"]?.arrayValue ?? [] {
                for job in stage["jobs"]?.arrayValue ?? [] {
                    if case .int(let p)? = job["progress"] { #expect((0...100).contains(p)); checked += 1 }
                    if case .int(let d)? = job["duration"] { #expect((0...315_360_000).contains(d)); checked += 1 }
                }
            }
        }
        #expect(checked > 10, "only \(checked) numbers to check in: \(once.stdout.prefix(600))")
    }

    /// The escapes a server sends (OSC title, clear screen, OSC 52 clipboard write, C1 controls)
    /// show as harmless text in every output, and none takes effect on the terminal.
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
        // The hostile values did arrive: shown with `?` where a control character was.
        #expect(table.stdout.contains("?"), "no hostile value in the table:\n\(table.stdout)")
        let json = try runProcess([Paths.binary, "--config", config, "--once", "--json"], environment: ["SWR_TOKEN": demoToken])
        #expect(controlBytes(json.stdout).isEmpty, "json: \(controlBytes(json.stdout))")
        _ = try JSONParser.parse(json.stdout)
        let watch = try Background([Paths.binary, "--config", config, "--watch", "--logs"], environment: ["SWR_TOKEN": demoToken])
        let pwned = watch.waitForLine(timeout: 30) { $0.contains("pwned") }
        let lines = watch.output.joined(separator: "\n")
        watch.stop()
        #expect(pwned != nil, "the hostile log lines never came:\n\(lines)")
        #expect(controlBytes(lines).isEmpty, "watch: \(controlBytes(lines))")
        // "line\r\nInjected-Header: yes" stays one line.
        #expect(!watch.output.contains { $0.hasPrefix("Injected-Header") }, "a line was forged:\n\(lines)")
        let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(!logText.isEmpty)
        #expect(controlBytes(logText).isEmpty, "log: \(controlBytes(logText))")

        // On a terminal: the pane's title and tmux's clipboard are set once by the shell before
        // the dashboard (which shows that the sequences work here); the dashboard, showing the
        // hostile values, changes neither. The cells hold the values as text, in colour.
        let tmux = try TmuxSession(command: #"printf '\033]0;swr-e2e-title\007\033]52;c;Y29udHJvbA==\007'; "# + "\(Paths.binary) --config \(config)",
                                   environment: ["SWR_TOKEN": demoToken], serverOptions: ["set -g set-clipboard on"])
        defer { tmux.close() }
        #expect(tmux.waitFor { $0.contains("LIVE") && $0.contains("pwned") } != nil, "no hostile value on screen:\n\(tmux.capture())")
        tmux.send("l")
        let logPane = tmux.waitFor { $0.contains("log · ") && $0.contains("52;c;") }
        #expect(logPane != nil, "the OSC 52 line never showed:\n\(tmux.capture())")
        let cells = tmux.capture(colors: true)
        #expect(hasColour(cells), "\(cells.prefix(600))")
        // A raw ESC that reached curses would show as ^[.
        #expect(!tmux.capture().contains("^["), "\(tmux.capture())")
        tmux.send("q")
        #expect(tmux.waitFor { $0.contains("EXIT=0") } != nil, "\(tmux.capture())")
        #expect(tmux.value("#{pane_title}") == "swr-e2e-title", "the title was set to: \(tmux.value("#{pane_title}"))")
        #expect(tmux.pasteBuffers() == ["control"], "the clipboard was written: \(tmux.pasteBuffers())")
    }
}
