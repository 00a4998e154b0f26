import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// The detail pane uses the room a wide or tall screen gives it: wider at 200 columns, the
/// whole observed timeline first, then a chart of the stage's recent jobs in what is left.
@Suite struct DetailGrowthTests {
    /// The rows of the detail pane (right of the jobs) as text.
    func detailColumn(_ frame: Frame, layout: Layout) -> [String] {
        guard let rect = layout.detail else { return [] }
        return frame.lines[rect.y..<rect.maxY].map { line in
            String(line.dropFirst(rect.x).prefix(rect.width))
        }
    }

    @Test func aWideScreenWidensTheDetailUpTo64Columns() {
        let state = fixtureState()
        #expect(Layout(state: state, width: 120, height: 40).detail?.width == 40)
        #expect(Layout(state: state, width: 150, height: 40).detail?.width == 46)
        #expect(Layout(state: state, width: 200, height: 50).detail?.width == 60)
        #expect(Layout(state: state, width: 400, height: 50).detail?.width == 64)
    }

    @Test func aTallPaneDrawsTheRecentJobsChartUnderTheFields() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 200, height: 50))
        let frame = view(state)
        let column = detailColumn(frame, layout: Layout(state: state, width: 200, height: 50))
        let text = column.joined(separator: "\n")
        #expect(text.contains("recent 8 jobs · height: duration"))
        #expect(!text.contains("recent   "), "the one-line sparkline stays when the chart is drawn")
        // The glyph row under the bars: every job of the stage, oldest first (the pane lists newest first).
        let jobs = state.store[Target(pipeline: 1024, stage: 1)]?.jobs ?? []
        #expect(jobs.count == 8)
        let glyphs = jobs.reversed().map { Glyphs.unicode.state($0.state) }
        #expect(column.contains { $0.contains(glyphs.joined(separator: "   ")) }, "\(text)")
        // The timeline stays whole under the chart.
        #expect(column.contains { $0.hasPrefix("│observed ") }, "\(text)")
    }

    @Test func aLongTimelineWinsOverTheChart() {
        var state = fixtureState()
        for step in 1...30 {
            _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: min(99, 40 + step * 2), duration: 60 + step), at: Double(step))))
        }
        _ = update(&state, .key(.down))  // 2211, whose progress moved 30 times
        _ = update(&state, .resize(width: 120, height: 40))
        let text = detailColumn(view(state), layout: Layout(state: state, width: 120, height: 40)).joined(separator: "\n")
        #expect(!text.contains("height: duration"), "\(text)")
        #expect(text.contains("recent   "), "without a chart the fields keep the sparkline:\n\(text)")
        #expect(text.contains("observed "))
    }

    @Test func aShortPaneKeepsTheSparkline() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 120, height: 24))
        let text = detailColumn(view(state), layout: Layout(state: state, width: 120, height: 24)).joined(separator: "\n")
        #expect(!text.contains("height: duration"))
        #expect(text.contains("recent   "))
    }
}
