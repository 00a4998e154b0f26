import Foundation
import Testing

/// Follow mode in the built binary (issue 20): the demo, opened at 120×40 with no key pressed,
/// shows the running stage of the first pipeline within one poll, and keeps showing the running
/// stage as the run moves on.
@Suite(.serialized) struct FollowTests {
    /// What one screen says: the stage the jobs pane shows, and the stage the run is at
    /// according to the stage strip (the furthest tab with a building `●` or a waiting `○` job
    /// of this run; `○ pending` tabs are stages the run has not reached).
    struct Reading {
        var shown: Int?
        var running: Int?
        var hasJobs: Bool

        init(_ screen: String) {
            let lines = screen.components(separatedBy: "\n")
            let strip = lines.count > 1 ? lines[1] : ""
            let title = lines.count > 2 ? lines[2] : ""
            shown = Self.number(in: title, after: "jobs · stage ")
            hasJobs = screen.contains("Successful") || screen.contains("Building") || screen.contains("Waiting")
            var running: Int?
            for tab in Self.tabs(strip) where tab.text.contains("●") || (tab.text.contains("○") && !tab.text.contains("pending")) {
                running = max(running ?? tab.index, tab.index)
            }
            self.running = running
        }

        /// The strip's tabs: `[1 scan ● 63%]` is stage index 1, as the API and the pane title number it.
        static func tabs(_ strip: String) -> [(index: Int, text: String)] {
            strip.components(separatedBy: "[").dropFirst().compactMap { piece in
                guard let end = piece.firstIndex(of: "]") else { return nil }
                let text = String(piece[..<end])
                guard let number = Int(text.prefix { $0.isNumber }) else { return nil }
                return (number, text)
            }
        }

        static func number(in line: String, after marker: String) -> Int? {
            guard let range = line.range(of: marker) else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }

        var isOnTheRun: Bool { running != nil && shown == running }
    }

    @Test func theDemoFollowsTheRunningStageWithNoKeyPressed() throws {
        try requireTools()
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo", width: 120, height: 40)
        defer { tmux.close() }
        guard tmux.waitFor(timeout: 60, { $0.contains("LIVE") && Reading($0).hasJobs }) != nil else {
            Issue.record("no first frame with jobs:\n\(tmux.capture())")
            return
        }
        // Within one poll (3 s in the demo; generous here for a loaded machine) the jobs pane is
        // on the stage the run is at (tomcat-release's deploy builds when the demo's world starts).
        let onRun = tmux.waitFor(timeout: 10) { Reading($0).isOnTheRun }
        #expect(onRun != nil, "the view is not on the running stage:\n\(tmux.capture())")
        #expect(onRun?.contains("FOLLOW") == true)

        // As the run moves on (deploy ends, the next run starts at source, then build), the view
        // goes with it. A mismatch may be caught while a frame is drawn; it never lasts.
        var followed: [Int] = []
        var mismatches = 0
        let deadline = Date().addingTimeInterval(150)
        while Date() < deadline, followed.count < 3 {
            let screen = tmux.capture()
            let reading = Reading(screen)
            if let running = reading.running {
                if reading.shown == running {
                    mismatches = 0
                    if followed.last != running { followed.append(running) }
                } else {
                    mismatches += 1
                    if mismatches >= 10 {
                        Issue.record("the run is at stage \(running) but the view shows \(reading.shown ?? -1):\n\(screen)")
                        break
                    }
                }
            }
            usleep(200_000)
        }
        #expect(followed.count >= 2, "the view did not move with the run (stages followed: \(followed)):\n\(tmux.capture())")
        tmux.send("q")
    }
}
