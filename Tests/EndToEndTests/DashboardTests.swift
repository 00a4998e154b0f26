import Foundation
import Testing

/// The built binary in tmux, as a person would use it: keys in, screen text out. What each key
/// does to the state and what each screen shows are unit tests (SWRTopUITests); here is what
/// only the process shows: curses on a real terminal, the terminal given back, resize signals,
/// quitting with requests in flight, a server going bad and coming back.
@Suite(.serialized) struct DashboardTests {
    /// One session through the screens: a running build whose progress moves, its log following
    /// new lines, search, stages, pipelines, the overview, and quitting to a usable terminal.
    @Test func aSessionAtTheKeyboard() throws {
        try requireTools()
        // Speed 2: payments-api's build (early in a run at the start of the seed-42 world) is
        // still building when the session reaches it, and long after.
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo --speed 2 --interval 1")
        defer { tmux.close() }
        let first = tmux.waitFor { $0.contains("LIVE") && $0.contains("jobs · stage 0 source") && $0.contains("Successful") }
        #expect(first != nil, "no first frame:\n\(tmux.capture())")
        #expect(first?.contains("tomcat-release (1/5)") == true)
        // A UTF-8 locale and a 256-colour terminal: Unicode glyphs and colours in the cells.
        #expect(first?.contains("✓ Successful") == true, "\(first ?? "")")
        #expect(hasColour(tmux.capture(colors: true)), "no colour in the pane:\n\(tmux.capture(colors: true).prefix(600))")

        // A running build: its progress moves on screen (the same job, a higher percentage).
        // `4` shows payments-api on its running stage (build) by itself: follow mode.
        tmux.send("4")
        guard let building = tmux.waitFor({ $0.contains("payments-api (4/5)") && $0.contains("jobs · stage 1 build") && buildingRow(in: $0) != nil }),
              let (job, start) = buildingRow(in: building) else {
            Issue.record("payments-api's build is not building:\n\(tmux.capture())")
            return
        }
        // Waits for the job to move or to stop building; only moving passes.
        let later = tmux.waitFor { screen in
            guard let row = buildingRow(in: screen) else { return true }
            return row.job != job || row.percent > start
        }
        let moved = later.flatMap(buildingRow)
        #expect(moved?.job == job && (moved?.percent ?? 0) > start,
                "job \(job) did not move on from \(start)% while building:\n\(later ?? tmux.capture())")

        // Its log follows new lines; scrolling up stops following; search finds a line.
        tmux.send("l")
        guard let opened = tmux.waitFor({ $0.contains("log · payments-api › build › #\(job)") && $0.contains("following") && lineCount($0) != nil }) else {
            Issue.record("no log pane following:\n\(tmux.capture())")
            return
        }
        let lines = lineCount(opened) ?? 0
        #expect(opened.contains("▸ "), "phases are headings:\n\(opened)")
        let grown = tmux.waitFor(timeout: 90) { (lineCount($0) ?? 0) > lines }
        #expect(grown != nil, "no new log lines after \(lines):\n\(tmux.capture())")
        // On a short terminal the log no longer fits: scrolling to the top stops following,
        // G follows again.
        tmux.resize(width: 120, height: 10)
        #expect(tmux.waitFor { $0.contains("following") && (firstLineShown($0) ?? 0) > 1 } != nil, "\(tmux.capture())")
        tmux.send("g")
        #expect(tmux.waitFor { $0.contains("G to follow") } != nil, "\(tmux.capture())")
        tmux.send("G")
        #expect(tmux.waitFor { $0.contains("following") } != nil, "\(tmux.capture())")
        tmux.resize(width: 120, height: 40)
        #expect(tmux.waitFor { frameHeight($0) == 40 } != nil, "not redrawn at 40 rows:\n\(tmux.capture())")
        tmux.send("/")
        tmux.send("-l", "workspace")
        #expect(tmux.waitFor { $0.contains("/workspace") && $0.contains("match") } != nil, "\(tmux.capture())")
        tmux.send("Enter")
        tmux.send("Escape")
        tmux.send("Escape")
        #expect(tmux.waitFor { $0.contains("jobs · stage 1 build") && !$0.contains("log · ") } != nil, "the pane did not close:\n\(tmux.capture())")

        // Back to the first pipeline, then to the next: each opens on its run's stage (follow).
        tmux.send("1")
        #expect(tmux.waitFor { $0.contains("tomcat-release (1/5)") && $0.contains("swr/tomcat-release") } != nil, "pipeline did not switch:\n\(tmux.capture())")
        tmux.send("]")
        let second = tmux.waitFor { $0.contains("nginx-hardened (2/5)") && $0.contains("swr/nginx-hardened") }
        #expect(second != nil, "pipeline did not switch:\n\(tmux.capture())")
        tmux.send("3")
        #expect(tmux.waitFor { $0.contains("redis-cache (3/5)") && $0.contains("swr/redis-cache") } != nil, "\(tmux.capture())")
        tmux.send("o")
        #expect(tmux.waitFor { $0.contains("overview · 5 pipelines") } != nil, "\(tmux.capture())")
        tmux.send("o")
        #expect(tmux.waitFor { !$0.contains("overview · 5 pipelines") && $0.contains("redis-cache (3/5)") && $0.contains("jobs · stage") } != nil, "\(tmux.capture())")

        tmux.send("q")
        let exited = tmux.waitFor { $0.contains("EXIT=") && $0.contains("icanon") }
        #expect(exited?.contains("EXIT=0") == true, "\(exited ?? tmux.capture())")
        // The terminal is usable again: canonical mode and echo are back.
        #expect(exited?.contains(" icanon") == true)
        #expect(exited?.contains(" echo") == true)
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
        // `r` polls at once instead of at the end of the backoff (up to a minute; unit-tested).
        tmux.send("r")
        // The events keep the storm's story; the header and the banner are back to normal.
        let recovered = tmux.waitFor { $0.contains("LIVE") && !$0.contains("STALE") && !$0.contains("showing data from") && $0.contains("answering again") }
        #expect(recovered != nil, "did not recover:\n\(tmux.capture())")
        tmux.send("q")
        #expect(tmux.waitFor { $0.contains("EXIT=0") } != nil, "\(tmux.capture())")
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
        // A resize right behind an Escape key (one tmux command: the key's byte, then SIGWINCH).
        // The key after ESC is read at once (to tell a lone Escape from a sequence): a KEY_RESIZE
        // met there is pushed back for the next read (it was once dropped, and the screen froze).
        for height in [24, 27, 25, 29, 26] {
            try tmux.tmux(["send-keys", "-t", "e2e", "Escape", ";", "resize-window", "-t", "e2e", "-x", "100", "-y", String(height)])
            let drawn = tmux.waitFor(timeout: 5) { frameHeight($0) == height }
            #expect(drawn != nil, "not redrawn at \(height) rows after Escape + resize:\n\(tmux.capture())")
            if drawn == nil { break }
        }
        tmux.send("q")
        #expect(tmux.waitFor { $0.contains("EXIT=0") } != nil, "\(tmux.capture())")
    }

    /// Terminals and locales other than the session's (UTF-8, xterm-256color): what curses is
    /// told to draw, read back from the pane's cells with their attributes (`capture-pane -e`).
    @Test(arguments: [["TERM": "vt100"], ["NO_COLOR": "1", "TERM": "xterm-256color"], ["LANG": "C", "LC_ALL": "C", "TERM": "xterm"]])
    func terminalsAndLocales(environment: [String: String]) throws {
        try requireTools()
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo", width: 100, height: 30, environment: environment)
        defer { tmux.close() }
        let screen = tmux.waitFor { $0.contains("LIVE") && $0.contains("Successful") }
        #expect(screen != nil, "\(environment): no frame:\n\(tmux.capture())")
        let text = screen ?? ""
        let cells = tmux.capture(colors: true)
        // Emphasis still shows where there is no colour: the header's reverse video.
        #expect(hasReverse(cells), "\(environment): no reverse video:\n\(cells.prefix(600))")
        if environment["LANG"] == "C" {
            #expect(text.contains("+ Successful"), "\(environment): ASCII glyphs expected:\n\(text)")
            #expect(!text.contains("✓"))
            // No byte of a UTF-8 glyph shown as meta characters.
            #expect(!text.contains("M-"), "\(environment): garbage:\n\(text)")
            #expect(hasColour(cells), "\(environment): colours expected on xterm")
        } else {
            #expect(text.contains("✓ Successful"))
            // vt100 has no colours; NO_COLOR asks for none: only bold/reverse/dim/underline.
            #expect(!hasColour(cells), "\(environment): colour escapes:\n\(cells.prefix(600))")
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
        // The four stages' requests have reached the simulator: they are in flight.
        #expect(waitForSimulator(url) { ($0["calls"]?["jobs"]?.lenientInt ?? 0) >= 4 } != nil, "no requests in flight")
        let pressed = Date()
        tmux.send("q")
        let exited = tmux.waitFor(timeout: 30) { $0.contains("EXIT=") }
        let seconds = Date().timeIntervalSince(pressed)
        #expect(exited?.contains("EXIT=0") == true, "\(exited ?? tmux.capture())")
        // Bounded by the 150 ms close in code; 5 s leaves room for a loaded machine, far from 60 s.
        #expect(seconds < 5, "quit took \(seconds) s with requests hanging")
    }
}

/// Whether the pane's cells (`capture-pane -e`) use a colour for text: SGR 30–37, 90–97 or a
/// 256-colour one. (The pattern holds the ESC character itself: ICU has no `\u{…}` escape, and a
/// pattern it cannot compile matches nothing.)
func hasColour(_ cells: String) -> Bool {
    cells.range(of: "\u{1B}\\[([0-9;]*;)?(3[0-7]|9[0-7]|38;5;[0-9]+)(;[0-9;]*)?m", options: .regularExpression) != nil
}

/// Whether the pane's cells show reverse video (SGR 7) somewhere.
func hasReverse(_ cells: String) -> Bool {
    cells.range(of: "\u{1B}\\[([0-9]+;)*7(;[0-9]+)*m", options: .regularExpression) != nil
}

/// The id and percentage of the first Building row of the jobs table on screen.
func buildingRow(in screen: String) -> (job: String, percent: Int)? {
    guard let range = screen.range(of: #"[│▸][0-9]+ +● Building +[█▏▎▍▌▋▊▉░]+ +[0-9]+%"#, options: .regularExpression) else { return nil }
    let row = screen[range]
    let job = row.dropFirst().prefix { $0.isNumber }
    let percent = row.dropLast().reversed().prefix { $0.isNumber }.reversed()
    guard !job.isEmpty, let value = Int(String(percent)) else { return nil }
    return (String(job), value)
}

/// The height of the frame on screen: its last box ends one row above the key hints (the
/// last row). Nil when no box is drawn.
func frameHeight(_ screen: String) -> Int? {
    let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
    guard let last = rows.lastIndex(where: { $0.hasPrefix("└") }) else { return nil }
    return last + 2
}

/// "line 3-14 of 14" → 3.
func firstLineShown(_ screen: String) -> Int? {
    guard let range = screen.range(of: #"line (\d+)-"#, options: .regularExpression) else { return nil }
    return Int(screen[range].dropFirst(5).prefix { $0.isNumber })
}

/// "line 3-14 of 14" → 14.
func lineCount(_ screen: String) -> Int? {
    guard let range = screen.range(of: #"of (\d+) · "#, options: .regularExpression) else { return nil }
    return Int(screen[range].dropFirst(3).prefix { $0.isNumber })
}
