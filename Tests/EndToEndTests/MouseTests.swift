import Foundation
import Testing

/// The mouse in the built binary, as a terminal reports it: raw SGR (1006) mouse reports sent into
/// the pane with `tmux send-keys -H` switch the stage and select a row; with `--no-mouse` the
/// same bytes change nothing.
@Suite(.serialized) struct MouseEndToEndTests {
    /// The bytes of a click as a terminal reports it in SGR (a press, `M`, then the release, `m`)
    /// at a 0-based cell, as hex for `send-keys -H`.
    static func report(button: Int, x: Int, y: Int) -> [String] {
        Array("\u{1B}[<\(button);\(x + 1);\(y + 1)M\u{1B}[<\(button);\(x + 1);\(y + 1)m".utf8).map { String(format: "%02x", $0) }
    }

    /// The column where `text` starts on row `y` of the screen (ASCII before it).
    static func column(of text: String, row y: Int, in screen: String) -> Int? {
        let lines = screen.components(separatedBy: "\n")
        guard y < lines.count, let range = lines[y].range(of: text) else { return nil }
        return lines[y].distance(from: lines[y].startIndex, to: range.lowerBound)
    }

    static func title(_ screen: String) -> String {
        let lines = screen.components(separatedBy: "\n")
        return lines.count > 2 ? lines[2] : ""
    }

    @Test func clicksSwitchTheStageAndSelectARow() throws {
        try requireTools()
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo --no-history", width: 120, height: 40)
        defer { tmux.close() }
        guard let first = tmux.waitFor(timeout: 60, { $0.contains("LIVE") && $0.contains("Successful") }) else {
            Issue.record("no first frame with jobs:\n\(tmux.capture())")
            return
        }
        #expect(tmux.value("#{mouse_sgr_flag}") == "1", "the terminal was not asked for SGR mouse reports")
        // The strip is row 1: click the second stage's tab.
        let x = try #require(Self.column(of: "[1 ", row: 1, in: first), "no second stage tab:\n\(first)")
        try tmux.tmux(["send-keys", "-t", "e2e", "-H"] + Self.report(button: 0, x: x + 2, y: 1))
        let onStage = tmux.waitFor(timeout: 10) { Self.title($0).contains("jobs · stage 1 ") }
        #expect(onStage != nil, "a click on the tab did not switch the stage:\n\(tmux.capture())")
        #expect(onStage?.contains("FOLLOW") == false, "a stage chosen by hand stops following")

        // Row 5 is the third job of the list (rows 3 and 4 are the border and the titles).
        let screen = tmux.capture()
        let lines = screen.components(separatedBy: "\n")
        let id = String(lines[5].dropFirst().prefix { $0.isNumber })
        try #require(!id.isEmpty, "no job on row 5:\n\(screen)")
        try tmux.tmux(["send-keys", "-t", "e2e", "-H"] + Self.report(button: 0, x: 3, y: 5))
        let selected = tmux.waitFor(timeout: 10) { $0.components(separatedBy: "\n")[2].contains("job \(id) ") }
        #expect(selected != nil, "a click on job \(id)'s row did not select it:\n\(tmux.capture())")

        tmux.send("q")
        #expect(tmux.waitFor(timeout: 20) { $0.contains("EXIT=0") } != nil)
        // The terminal is given back with mouse reporting off.
        #expect(tmux.value("#{mouse_sgr_flag}") == "0" && tmux.value("#{mouse_any_flag}") == "0")
    }

    @Test func noMouseLeavesTheClicksToTheTerminal() throws {
        try requireTools()
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo --no-history --no-mouse", width: 120, height: 40)
        defer { tmux.close() }
        guard let first = tmux.waitFor(timeout: 60, { $0.contains("LIVE") && $0.contains("Successful") }) else {
            Issue.record("no first frame with jobs:\n\(tmux.capture())")
            return
        }
        #expect(tmux.value("#{mouse_standard_flag}") == "0", "--no-mouse asked the terminal for mouse reports")
        let x = try #require(Self.column(of: "[1 ", row: 1, in: first))
        try tmux.tmux(["send-keys", "-t", "e2e", "-H"] + Self.report(button: 0, x: x + 2, y: 1))
        // Then a key whose effect shows, so the report has surely been read before we look.
        tmux.send("?")
        let help = tmux.waitFor(timeout: 10) { $0.contains("the view moves with the run") }
        #expect(help != nil, "\(tmux.capture())")
        tmux.send("Escape")
        let after = tmux.waitFor(timeout: 10) { !$0.contains("the view moves with the run") }
        // A click on a tab would have stopped following the run.
        #expect(after?.components(separatedBy: "\n").first?.contains("FOLLOW") == true, "a click acted with --no-mouse:\n\(tmux.capture())")
        tmux.send("q")
    }
}
