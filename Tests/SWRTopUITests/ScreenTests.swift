import Foundation
import Testing
@testable import SWRAPI
@testable import SWRWatch
@testable import SWRTopUI

@Suite struct ScreenTests {
    @Test func mainScreenWide() {
        assertGolden(view(fixtureState(), width: 120, height: 40), "main-120x40")
    }

    /// 200 columns: the bar takes half of the spare width (up to 40 cells), the resource the rest.
    @Test func mainScreenVeryWide() {
        let frame = view(fixtureState(), width: 200, height: 50)
        assertGolden(frame, "main-200x50")
        let bar = frame.line(5).filter { $0 == "█" || $0 == "░" || $0 == "▍" || $0 == "▌" || $0 == "▏" || $0 == "▊" }.count
        #expect(bar == JobsPane.widestBar, "\(frame.line(5))")
    }

    @Test func mainScreenClassic() {
        assertGolden(view(fixtureState(), width: 80, height: 24), "main-80x24")
    }

    @Test func asciiGlyphs() {
        assertGolden(view(fixtureState(glyphs: .ascii), width: 80, height: 24), "ascii-80x24")
    }

    @Test func detailOnNarrowScreen() {
        var state = fixtureState()
        _ = update(&state, .key(.enter))
        assertGolden(view(state, width: 80, height: 24), "detail-80x24")
    }

    @Test func staleStageWithError() {
        var state = fixtureState()
        _ = update(&state, .key(.right))
        _ = update(&state, .key(.right))
        assertGolden(view(state, width: 120, height: 40), "stale-120x40")
    }

    @Test func emptyStage() {
        var state = fixtureState()
        _ = update(&state, .key(.right))
        assertGolden(view(state, width: 80, height: 24), "empty-80x24")
    }

    @Test func overview() {
        var state = fixtureState()
        _ = update(&state, .key(.char("o")))
        assertGolden(view(state, width: 80, height: 24), "overview-80x24")
    }

    @Test func helpOverlay() {
        var state = fixtureState()
        _ = update(&state, .key(.char("?")))
        assertGolden(view(state, width: 80, height: 24), "help-80x24")
    }

    @Test func compactAndTooSmall() {
        assertGolden(view(fixtureState(), width: 50, height: 12), "compact-50x12")
        assertGolden(view(fixtureState(), width: 20, height: 5), "smallest-20x5")
        assertGolden(view(fixtureState(), width: 19, height: 4), "too-small-19x4")
    }

    @Test func tenThousandJobs() {
        var state = AppState(pipelines: [tomcat], now: now, endpointHost: "h", glyphs: .unicode)
        state.timeZone = TimeZone(identifier: "UTC")!
        let jobs = (0..<10_000).map { (n: Int) -> Job in
            let state: JobState = n % 7 == 0 ? .failed : .successful
            return job(String(100_000 - n), state, 100, 30 + n % 50, ago: Double(n) * 60)
        }
        _ = update(&state, .poll(poll(1024, 0, jobs, at: 0)))
        _ = update(&state, .key(.pageDown))
        assertGolden(view(state, width: 80, height: 24), "10k-80x24")
        _ = update(&state, .key(.end))
        let frame = view(state, width: 200, height: 60)
        // The store keeps the newest HistoryStore.jobCap jobs of a stage: the last is 100000 - 199.
        #expect(frame.lines.contains { $0.contains("\(100_000 - HistoryStore.jobCap + 1)") })
        #expect(frame.lines.joined().contains("\(HistoryStore.jobCap)/\(HistoryStore.jobCap)"))
    }

    @Test func nothingSpillsAtAnySize() {
        let state = fixtureState()
        for width in stride(from: 1, through: 140, by: 7) {
            for height in stride(from: 1, through: 45, by: 4) {
                let frame = view(state, width: width, height: height)
                #expect(frame.lines.count == height)
                for line in frame.lines { #expect(DisplayWidth.of(line) <= width) }
            }
        }
    }

    @Test func changedValuesAreHighlightedThenFade() {
        var state = fixtureState()
        let hot = view(state, width: 120, height: 40).styledLines.joined(separator: "\n")
        #expect(hot.contains("{changed*:● Building"))
        _ = update(&state, .tick(now.addingTimeInterval(4)))
        let cold = view(state, width: 120, height: 40).styledLines.joined(separator: "\n")
        #expect(!cold.contains("{changed"))
    }

    @Test func slowBuildIsFlagged() {
        var state = fixtureState()
        _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 70, duration: 500), at: 1)))
        let text = view(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(text.contains("8m20s!"))
    }
}
