import Foundation
import SWRAPI
import SWRWatch
import Testing
@testable import SWRTopUI

/// The mouse as a user uses it: find a word on the screen `view` draws, click there (or turn the
/// wheel), and check what `update` made of it. Hit-testing is the frame's regions, so these
/// tests fail when a region is missing, misplaced or maps to the wrong action.
@Suite struct MouseTests {
    static func sized(_ width: Int = 120, _ height: Int = 40) -> AppState {
        var state = fixtureState()
        _ = update(&state, .resize(width: width, height: height))
        return state
    }

    /// The cell where `text` first shows on row `row` (any row when nil), as a terminal counts.
    static func cell(of text: String, in state: AppState, row: Int? = nil) -> (x: Int, y: Int)? {
        let frame = view(state)
        for y in 0..<frame.height where row == nil || row == y {
            let line = frame.line(y)
            guard let range = line.range(of: text) else { continue }
            return (DisplayWidth.of(String(line[..<range.lowerBound])), y)
        }
        return nil
    }

    static func click(_ state: inout AppState, on text: String, row: Int? = nil, _ kind: MouseEvent.Kind = .press) throws -> [Effect] {
        let at = try #require(cell(of: text, in: state, row: row), "\(text) is not on the screen:\n\(view(state).lines.joined(separator: "\n"))")
        return update(&state, .mouse(MouseEvent(kind, x: at.x, y: at.y)))
    }

    @Test func aClickOnAStageFocusesItAndStopsFollowing() throws {
        var state = Self.sized()
        let effects = try Self.click(&state, on: "push", row: 1)
        #expect(state.stageIndex == 2)
        #expect(!state.isFollowing)
        #expect(effects == [.focus(Target(pipeline: 1024, stage: 2))])
        #expect(view(state).line(2).contains("stage 2 push"))
    }

    @Test func aClickSelectsARowAndASecondClickOpensItsDetail() throws {
        var state = Self.sized()
        _ = try Self.click(&state, on: "2190")
        #expect(state.selectedJobID == "2190")
        #expect(!state.showDetail)
        _ = try Self.click(&state, on: "2190")
        #expect(state.showDetail)
        // A click back on the jobs pane's border returns, as Esc does.
        _ = try Self.click(&state, on: "jobs ")
        #expect(!state.showDetail)
    }

    @Test func aClickOnAColumnTitleSortsByIt() throws {
        var state = Self.sized()
        _ = try Self.click(&state, on: "DUR")
        #expect(state.sort == .longest)
        _ = try Self.click(&state, on: "STATE")
        #expect(state.sort == .state)
        _ = try Self.click(&state, on: "CREATOR")
        #expect(state.sort == .state, "CREATOR sorts nothing")
        _ = try Self.click(&state, on: "AGE")
        #expect(state.sort == .newest)
    }

    @Test func theWheelMovesTheSelectionThreeRowsAtATime() throws {
        var state = Self.sized()
        let jobs = state.visibleJobs
        #expect(state.selectedRow(in: jobs) == 0)
        _ = try Self.click(&state, on: "jobs ", .wheelDown)
        #expect(state.selectedRow(in: state.visibleJobs) == 3)
        #expect(state.selectedJobID == jobs[3].id)
        _ = try Self.click(&state, on: "jobs ", .wheelUp)
        #expect(state.selectedRow(in: state.visibleJobs) == 0)
    }

    @Test func aClickOnNothingChangesNothing() {
        var state = Self.sized()
        let before = view(state)
        // The header's far right is no region.
        #expect(update(&state, .mouse(MouseEvent(.press, x: 119, y: 0))).isEmpty)
        #expect(update(&state, .mouse(MouseEvent(.press, x: 5_000, y: -3))).isEmpty)
        #expect(view(state).lines == before.lines)
    }

    @Test func overviewRowsAreSelectedThenOpenedByClicks() throws {
        var state = Self.sized()
        _ = update(&state, .key(.char("o")))
        #expect(state.showOverview)
        _ = try Self.click(&state, on: "nginx-hardened")
        #expect(state.overviewSelection == 1)
        #expect(state.showOverview)
        let effects = try Self.click(&state, on: "nginx-hardened")
        #expect(!state.showOverview)
        #expect(state.pipelineIndex == 1)
        #expect(effects.contains(.focus(Target(pipeline: 1025, stage: state.stageIndex))))
    }

    @Test func aClickClosesTheHelp() throws {
        var state = Self.sized()
        _ = update(&state, .key(.char("?")))
        #expect(state.showHelp)
        _ = update(&state, .mouse(MouseEvent(.press, x: 10, y: 10)))
        #expect(!state.showHelp)
    }
}
