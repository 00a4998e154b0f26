import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// Enter drills into the detail pane (wide: focus moves there; narrow: it replaces the jobs),
/// and the overview's rows open pipelines (issue 20).
@Suite struct DrillDownTests {
    /// The fixture with job 2211's progress observed 20 times (a timeline longer than the pane).
    func longTimeline() -> AppState {
        var state = fixtureState()
        for step in 1...17 {
            _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: min(99, 63 + step * 2), duration: 60 + step), at: Double(step))))
        }
        _ = update(&state, .tick(at(20)))
        _ = update(&state, .key(.down))  // 2211
        return state
    }

    @Test func enterOnAWideScreenMovesIntoTheDetailPane() {
        var state = longTimeline()
        _ = update(&state, .resize(width: 120, height: 40))
        _ = update(&state, .key(.enter))
        #expect(state.showDetail)
        assertGolden(view(state), "drill-120x40")
        let styled = view(state).styledLines.joined(separator: "\n")
        #expect(styled.contains("{accent*: job 2211 }"))
        // ↑ scrolls the timeline back, not the job selection.
        let newest = view(state).lines.joined(separator: "\n")
        _ = update(&state, .key(.up))
        _ = update(&state, .key(.up))
        #expect(state.selectedJobID == "2211")
        #expect(state.detailScroll == 2)
        let older = view(state).lines.joined(separator: "\n")
        #expect(older != newest)
        #expect(older.contains("observed 6-18 of 20"))
        _ = update(&state, .key(.pageUp))
        _ = update(&state, .key(.home))
        let oldest = state.detailScroll
        _ = update(&state, .key(.up))
        #expect(state.detailScroll == oldest)  // kept in range
        _ = update(&state, .key(.end))
        #expect(state.detailScroll == 0)
        // Esc returns to the jobs: ↓ selects again.
        _ = update(&state, .key(.escape))
        #expect(!state.showDetail)
        _ = update(&state, .key(.down))
        #expect(state.selectedJobID == "2198")
    }

    @Test func theWideDrillLeavesNoHiddenToggleForANarrowScreen() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 120, height: 40))
        _ = update(&state, .key(.enter))
        _ = update(&state, .key(.escape))
        _ = update(&state, .resize(width: 80, height: 24))
        #expect(view(state).lines[2].contains("jobs · stage 1 scan"))
    }

    @Test func enterOnANarrowScreenShowsTheDetailInsteadOfTheJobs() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 80, height: 24))
        _ = update(&state, .key(.enter))
        #expect(view(state).lines[2].contains("job 2210"))
        _ = update(&state, .key(.escape))
        #expect(view(state).lines[2].contains("jobs · stage 1 scan"))
    }

    @Test func overviewRowsAreSelectedAndOpened() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 80, height: 24))
        _ = update(&state, .key(.char("o")))
        #expect(state.overviewSelection == 0)
        _ = update(&state, .key(.down))
        _ = update(&state, .key(.down))  // stays on the last row
        #expect(state.overviewSelection == 1)
        assertGolden(view(state), "overview-selected-80x24")
        // Enter opens the selected cell: nginx's last stage (the column was scan's, nginx has two).
        #expect(update(&state, .key(.enter)) == [.focus(Target(pipeline: 1025, stage: 1))])
        #expect(!state.showOverview)
        #expect(state.pipelineIndex == 1)
        _ = update(&state, .key(.char("o")))
        #expect(state.overviewSelection == 1)
        _ = update(&state, .key(.up))
        #expect(update(&state, .key(.enter)) == [.focus(Target(pipeline: 1024, stage: 1))])
    }
}
