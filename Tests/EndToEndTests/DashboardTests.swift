import Foundation
import Testing

/// The built binary in tmux, as a person would use it: keys in, screen text out.
@Suite(.serialized) struct DashboardTests {
    @Test func firstFrameAndKeysSwitchStageAndPipeline() throws {
        try requireTools()
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo")
        defer { tmux.close() }
        let first = tmux.waitFor { $0.contains("LIVE") && $0.contains("jobs · stage 0 source") && $0.contains("Successful") }
        #expect(first != nil, "no first frame:\n\(tmux.capture())")
        #expect(first?.contains("tomcat-release (1/5)") == true)
        tmux.send("Right")
        #expect(tmux.waitFor { $0.contains("jobs · stage 1 build") } != nil, "stage did not switch:\n\(tmux.capture())")
        tmux.send("]")
        let second = tmux.waitFor { $0.contains("nginx-hardened (2/5)") && $0.contains("jobs · stage 1 build") && $0.contains("swr/nginx-hardened") }
        #expect(second != nil, "pipeline did not switch:\n\(tmux.capture())")
        tmux.send("3")
        #expect(tmux.waitFor { $0.contains("redis-cache (3/5)") && $0.contains("swr/redis-cache") } != nil)
        tmux.send("o")
        #expect(tmux.waitFor { $0.contains("overview · 5 pipelines") } != nil)
        tmux.send("q")
        let exited = tmux.waitFor { $0.contains("EXIT=") && $0.contains("icanon") }
        #expect(exited?.contains("EXIT=0") == true, "\(exited ?? tmux.capture())")
        // The terminal is usable again: canonical mode and echo are back.
        #expect(exited?.contains(" icanon") == true)
        #expect(exited?.contains(" echo") == true)
    }

    @Test func progressAdvancesWithTheRun() throws {
        try requireTools()
        // tomcat-release's deploy stage is building when the seed-42 world starts.
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo --speed 4 --interval 1")
        defer { tmux.close() }
        tmux.send("Left")
        guard let start = tmux.waitFor({ $0.contains("jobs · stage 3 deploy") && $0.range(of: #"Building +[█▏▎▍▌▋▊▉░]+ +\d+%"#, options: .regularExpression) != nil }) else {
            Issue.record("no building job on screen:\n\(tmux.capture())")
            return
        }
        let first = percent(in: start)
        let later = tmux.waitFor(timeout: 60) { screen in
            guard let value = percent(in: screen) else { return screen.contains("deploy #") && screen.contains("Successful") }
            return value > (first ?? 0)
        }
        #expect(later != nil, "progress never moved from \(first ?? -1):\n\(tmux.capture())")
        tmux.send("q")
    }

    @Test func serverErrorStormShowsStaleThenRecovers() throws {
        try requireTools()
        let (sim, url) = try startSimulator()
        defer { sim.stop() }
        let config = try writeConfig(url: url, pipelines: #"[{"id": 1024, "name": "tomcat-release", "stages": 4}]"#)
        let tmux = try TmuxSession(command: "\(Paths.binary) --config \(config)", environment: ["SWR_TOKEN": demoToken])
        defer { tmux.close() }
        #expect(tmux.waitFor { $0.contains("LIVE") && $0.contains("Successful") } != nil, "\(tmux.capture())")
        let storm = try runProcess(["/usr/bin/curl", "-s", "-X", "POST", "\(url)/_sim/faults?spec=5xx=1"])
        #expect(storm.code == 0)
        let stale = tmux.waitFor { $0.contains("STALE") && $0.contains("server error") && $0.contains("showing data from") }
        #expect(stale != nil, "no stale marker:\n\(tmux.capture())")
        // The last good jobs stay on screen during the storm.
        #expect(stale?.contains("Successful") == true)
        _ = try runProcess(["/usr/bin/curl", "-s", "-X", "POST", "\(url)/_sim/faults?spec="])
        let recovered = tmux.waitFor(timeout: 90) { $0.contains("LIVE") && !$0.contains("STALE") && !$0.contains("server error") }
        #expect(recovered != nil, "did not recover:\n\(tmux.capture())")
        tmux.send("q")
    }

    @Test func resizingNeverCrashesAndRedraws() throws {
        try requireTools()
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo")
        defer { tmux.close() }
        #expect(tmux.waitFor { $0.contains("LIVE") } != nil)
        let sizes = [(20, 6), (80, 24), (30, 8), (200, 60), (20, 6), (19, 4), (45, 10), (120, 40), (21, 7), (100, 30)]
        for _ in 0..<3 {
            for (width, height) in sizes {
                tmux.resize(width: width, height: height)
                usleep(60_000)
            }
        }
        tmux.resize(width: 100, height: 30)
        let screen = tmux.waitFor { $0.contains("swr-top") && $0.contains("jobs · stage 0 source") && $0.contains("Successful") }
        #expect(screen != nil, "not redrawn after resizing:\n\(tmux.capture())")
        #expect(!tmux.capture().contains("EXIT="))
        tmux.resize(width: 19, height: 4)
        #expect(tmux.waitFor { $0.contains("too small") || $0.contains("enlarge") } != nil, "\(tmux.capture())")
        tmux.resize(width: 100, height: 30)
        #expect(tmux.waitFor { $0.contains("jobs · stage 0 source") } != nil, "\(tmux.capture())")
        tmux.send("q")
        #expect(tmux.waitFor { $0.contains("EXIT=0") } != nil, "\(tmux.capture())")
    }

    @Test(arguments: [
        ["TERM": "vt100"], ["TERM": "xterm-256color"], ["NO_COLOR": "1", "TERM": "xterm-256color"], ["LANG": "C", "LC_ALL": "C", "TERM": "xterm"],
    ])
    func terminalsAndLocales(environment: [String: String]) throws {
        try requireTools()
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo", width: 100, height: 30, environment: environment)
        defer { tmux.close() }
        let screen = tmux.waitFor { $0.contains("LIVE") && $0.contains("Successful") }
        #expect(screen != nil, "\(environment): no frame:\n\(tmux.capture())")
        let text = screen ?? ""
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("M-"), "\(environment): garbage:\n\(text)")
        if environment["LANG"] == "C" {
            #expect(text.contains("+ Successful"), "\(environment): ASCII glyphs expected:\n\(text)")
            #expect(!text.contains("✓"))
        } else {
            #expect(text.contains("✓ Successful"))
        }
        if environment["NO_COLOR"] != nil {
            // No colour escapes at all: only bold/reverse/dim/underline may be used.
            let colored = tmux.capture(colors: true)
            #expect(colored.range(of: #"\u{1B}\[[0-9;]*3[0-7]m"#, options: .regularExpression) == nil)
            #expect(colored.range(of: #"\u{1B}\[[0-9;]*38;5;"#, options: .regularExpression) == nil)
        }
        tmux.send("q")
        #expect(tmux.waitFor { $0.contains("EXIT=0") } != nil)
    }

    @Test func quitIsPromptWithEveryRequestHanging() throws {
        try requireTools()
        // Every answer takes 60 s: q must not wait for them.
        let (sim, url) = try startSimulator(["--faults", "slow=1,slow-seconds=60"])
        defer { sim.stop() }
        let config = try writeConfig(url: url, pipelines: #"[{"id": 1024, "name": "tomcat-release", "stages": 4}]"#)
        let tmux = try TmuxSession(command: "\(Paths.binary) --config \(config)", environment: ["SWR_TOKEN": demoToken])
        defer { tmux.close() }
        #expect(tmux.waitFor { $0.contains("waiting for first answer") } != nil, "\(tmux.capture())")
        Thread.sleep(forTimeInterval: 1)  // the requests are now in flight
        let pressed = Date()
        tmux.send("q")
        let exited = tmux.waitFor(timeout: 30) { $0.contains("EXIT=") }
        let seconds = Date().timeIntervalSince(pressed)
        #expect(exited?.contains("EXIT=0") == true, "\(exited ?? tmux.capture())")
        // Bounded by the 150 ms close in code; 5 s leaves room for a loaded machine, far from 60 s.
        #expect(seconds < 5, "quit took \(seconds) s with requests hanging")
    }
}

/// The percentage of the first Building row on screen.
func percent(in screen: String) -> Int? {
    guard let range = screen.range(of: #"Building +[█▏▎▍▌▋▊▉░]+ +(\d+)%"#, options: .regularExpression) else { return nil }
    let digits = screen[range].split(separator: " ").last?.dropLast() ?? ""
    return Int(digits)
}
