import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// `ScreenRenderer` keeps the panes whose drawing did not change: every frame it gives must be
/// the one `view` gives (cells and clickable regions), and whatever changes must show in the
/// next frame.
@Suite(.timeLimit(.minutes(3))) struct ScreenRendererTests {
    /// A session's worth of actions, as the dashboard applies them: ticks, answers that change
    /// the focused stage and others, a failing stage and its recovery, keys that move the
    /// selection, the stage, the pipeline, filter and sort, the detail, every screen drawn over
    /// the panes (overview, help, logs, picker, history, a refused token), notices long enough
    /// for a row of their own, and resizes.
    static var session: [Action] {
        var actions: [Action] = []
        for second in 1...5 { actions.append(.tick(at(Double(second)))) }
        actions += [
            .poll(poll(1024, 1, scanJobs(progress: 70, duration: 66), at: 5.5)),
            .tick(at(6)),
            .poll(poll(1025, 0, [job("3002", .building, 10, 5, ago: 2, resource: "swr/nginx:3"), job("3001", .failed, 40, 20, ago: 100, resource: "swr/nginx:2")], at: 6.2)),
            .tick(at(7)), .tick(at(8)), .tick(at(9)), .tick(at(10)),
            .key(.down), .tick(at(11)), .key(.down), .key(.up),
            .poll(failed(1024, 1, .server(status: 503, message: "busy"), at: 11.5)), .tick(at(12)),
            .poll(poll(1024, 1, scanJobs(progress: 75, duration: 72), at: 12.5)), .tick(at(13)),
            .key(.char("/")), .key(.char("2")), .key(.char("1")), .key(.enter), .tick(at(14)),
            .key(.escape), .key(.char("s")), .tick(at(15)), .key(.char("s")), .key(.char("s")),
            .key(.enter), .tick(at(16)), .key(.up), .key(.escape),
            .key(.right), .tick(at(17)), .key(.left), .key(.char("f")),
            .key(.char("]")), .tick(at(18)), .key(.char("[")),
            .key(.char("o")), .tick(at(19)), .key(.escape),
            .key(.char("?")), .tick(at(20)), .key(.char("x")),
            .key(.char("l")), .tick(at(21)), .key(.escape), .tick(at(22)),
            .key(.char("P")), .key(.escape), .key(.char("H")), .key(.escape),
            .notice("the log file stopped: no space left on device, and this notice is long enough to need a row of its own above the hints"),
            .tick(at(23)), .tick(at(40)),
            .poll(failed(1024, 0, .unauthorized(message: nil), at: 40.5)), .tick(at(41)), .key(.char("r")),
            .poll(poll(1024, 1, scanJobs(progress: 90, duration: 100), at: 42)), .tick(at(42)),
            .resize(width: 80, height: 24), .tick(at(43)), .key(.enter), .tick(at(44)), .key(.escape),
            .resize(width: 200, height: 50), .tick(at(45)), .key(.down), .tick(at(46)),
            .resize(width: 15, height: 4), .tick(at(47)), .resize(width: 120, height: 40), .tick(at(48)),
            .poll(poll(1024, 1, [job("2212", .waiting, 0, 0, ago: 0)] + scanJobs(progress: 100, duration: 110).map { done($0) }, at: 49)),
            .tick(at(49)), .tick(at(3600)), .tick(at(3601)),
        ]
        return actions
    }

    /// A job of `scanJobs` as it ends: Building becomes Successful.
    static func done(_ job: Job) -> Job {
        guard job.state == .building else { return job }
        var ended = job
        ended.state = .successful
        return ended
    }

    @Test(arguments: [Glyphs.unicode, Glyphs.ascii])
    func everyFrameIsTheOneViewDraws(glyphs: Glyphs) {
        var state = fixtureState(glyphs: glyphs)
        _ = update(&state, .resize(width: 120, height: 40))
        var renderer = ScreenRenderer()
        var kept = 0
        // What the terminal shows (the backend keeps the last frame, as here).
        var shown: Frame?
        for (step, action) in Self.session.enumerated() {
            _ = update(&state, action)
            let frame = renderer.render(state)
            let expected = view(state)
            #expect(frame.lines == expected.lines, "step \(step): \(action)")
            #expect(frame.styledLines == expected.styledLines, "step \(step): \(action)")
            #expect(frame.regions == expected.regions, "step \(step): \(action)")
            #expect(frame == expected, "step \(step): \(action)")
            if let rows = renderer.writtenRows, let shown {
                // The rows it says it wrote hold every change since the frame before.
                let changed = Set(frame.changedCells(from: shown).map(\.y))
                #expect(changed.isSubset(of: Set(rows)), "step \(step): \(action): rows \(changed.subtracting(rows).sorted())")
                #expect(frame.changedCells(from: shown, rows: rows).count == frame.changedCells(from: shown).count)
            }
            shown = frame
            kept += ScreenRenderer.Pane.allCases.count - renderer.redrawn.count
        }
        // Not a renderer that redraws everything every time: most frames keep some pane.
        #expect(kept > Self.session.count)
    }

    /// A state whose every clock text moves by the hour at most: nothing but the clock changes.
    func quietState() -> AppState {
        var state = fixtureState()
        _ = update(&state, .resize(width: 120, height: 40))
        _ = update(&state, .tick(at(7200)))
        return state
    }

    @Test func aSecondInWhichNoPaneChangesRedrawsNoPane() {
        var state = quietState()
        var renderer = ScreenRenderer()
        let first = renderer.render(state)
        #expect(renderer.redrawn == Set(ScreenRenderer.Pane.allCases), "the first frame draws everything")
        #expect(renderer.writtenRows == nil)
        _ = update(&state, .tick(at(7201)))
        let frame = renderer.render(state)
        #expect(renderer.redrawn.isEmpty)
        #expect(renderer.built.isEmpty, "no pane's inputs changed: no drawing is even built")
        #expect(renderer.writtenRows == [0, 1, 39], "the header, the stage strip and the status line")
        #expect(frame == view(state))
        #expect(frame.changedCells(from: first).allSatisfy { $0.y == 0 }, "only the header's ages moved")
    }

    @Test func changedCellsInRowsComparesOnlyThose() {
        var a = Frame(width: 10, height: 3)
        var b = a
        a.put("x", x: 1, y: 0)
        a.put("y", x: 2, y: 2)
        b.put("z", x: 3, y: 1)
        #expect(a.changedCells(from: b).map { [$0.x, $0.y] } == [[1, 0], [3, 1], [2, 2]])
        #expect(a.changedCells(from: b, rows: [2, 0]).map { [$0.x, $0.y] } == [[2, 2], [1, 0]])
        #expect(a.changedCells(from: nil, rows: [0]).count == 30, "no frame before: everything")
        b.copyRows([0, 2], from: a)
        #expect(b.changedCells(from: a).map { [$0.x, $0.y] } == [[3, 1]])
    }

    @Test func anAnswerThatMovesTheJobShowsInTheNextFrame() {
        var state = quietState()
        var renderer = ScreenRenderer()
        _ = renderer.render(state)
        #expect(!renderer.render(state).lines.joined().contains("77%"))
        _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 77, duration: 7300), at: 7201)))
        let frame = renderer.render(state)
        #expect(renderer.redrawn.contains(.jobs))
        #expect(renderer.redrawn.contains(.detail), "the detail shows the progress and a new observation")
        #expect(renderer.redrawn.contains(.events), "the progress change is an event")
        #expect(frame.lines.joined().contains("77%"))
        #expect(frame == view(state))
    }

    /// A running job's reported duration moves with every answer; its text ("2h01m") far less
    /// often. The pane's inputs are what it shows, so such an answer builds no jobs pane.
    @Test func anAnswerWhoseNumbersMoveButNotTheirTextsBuildsNoJobsPane() {
        var state = quietState()
        _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 80, duration: 7300), at: 7200.5)))
        var renderer = ScreenRenderer()
        _ = renderer.render(state)
        _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 80, duration: 7301), at: 7200.6)))
        let frame = renderer.render(state)
        #expect(!renderer.built.contains(.jobs))
        #expect(frame == view(state))
        // A text that does change still shows.
        _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 80, duration: 7400), at: 7200.7)))
        let moved = renderer.render(state)
        #expect(renderer.built.contains(.jobs))
        #expect(moved.lines.contains { $0.contains("2211") && $0.contains("2h03m") })
        #expect(moved == view(state))
    }

    @Test func anAgeThatTicksOverShowsInTheNextFrame() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 120, height: 40))
        _ = update(&state, .tick(at(10)))
        var renderer = ScreenRenderer()
        _ = renderer.render(state)
        // Job 2210 was created 30 s before `now`: 40s old at +10, 41s at +11.
        #expect(renderer.render(state).lines.contains { $0.contains("2210") && $0.contains("40s") })
        _ = update(&state, .tick(at(11)))
        let frame = renderer.render(state)
        #expect(renderer.redrawn.contains(.jobs))
        #expect(frame.lines.contains { $0.contains("2210") && $0.contains("41s") })
        #expect(frame == view(state))
    }

    @Test func aTickingTextRewritesOnlyTheRowsItIsOn() throws {
        var state = fixtureState()
        _ = update(&state, .resize(width: 120, height: 40))
        _ = update(&state, .tick(at(10)))
        var renderer = ScreenRenderer()
        let before = renderer.render(state)
        _ = update(&state, .tick(at(11)))
        let frame = renderer.render(state)
        #expect(frame == view(state))
        #expect(renderer.redrawn.contains(.jobs))
        let rows = try #require(renderer.writtenRows)
        let changed = Set(frame.changedCells(from: before).map(\.y))
        let jobRow = try #require(frame.lines.firstIndex { $0.contains("2210") && $0.contains("41s") })
        #expect(changed.contains(jobRow) && rows.contains(jobRow))
        // Only rows whose cells changed, and the clock rows: not the whole jobs pane.
        #expect(Set(rows).subtracting([0, 1, 39]) == changed.subtracting([0, 1, 39]), "rows \(rows), changed \(changed.sorted())")
        #expect(rows.count < 10, "rows \(rows)")
    }

    @Test func aHighlightThatEndsShowsInTheNextFrame() {
        var state = quietState()
        _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 80, duration: 7300), at: 7200.5)))
        var renderer = ScreenRenderer()
        let lit = renderer.render(state)
        _ = update(&state, .tick(at(7200.5 + AppState.highlightSeconds + 1)))
        let unlit = renderer.render(state)
        #expect(renderer.redrawn.contains(.jobs))
        #expect(lit.styledLines != unlit.styledLines)
        #expect(unlit == view(state))
    }

    @Test func aNewSizeStartsAfresh() {
        var state = quietState()
        var renderer = ScreenRenderer()
        _ = renderer.render(state)
        _ = update(&state, .resize(width: 100, height: 30))
        let frame = renderer.render(state)
        // 100 columns: no detail beside the jobs.
        #expect(renderer.redrawn == [.jobs, .events])
        #expect(frame.width == 100 && frame.height == 30)
        #expect(frame == view(state))
    }

    @Test func aScreenOverThePanesIsDrawnWholeAndThePanesComeBack() {
        var state = quietState()
        var renderer = ScreenRenderer()
        _ = renderer.render(state)
        _ = update(&state, .key(.char("?")))
        #expect(renderer.render(state) == view(state))
        _ = update(&state, .key(.char("x")))
        let frame = renderer.render(state)
        #expect(renderer.redrawn == Set(ScreenRenderer.Pane.allCases), "nothing of the help may stay")
        #expect(frame == view(state))
    }

    /// Inputs that differ only where the drawing does not show it build the drawing again
    /// but keep the cells (the drawing is the same).
    @Test func aChangeThePaneDoesNotShowBuildsButDoesNotRedraw() {
        var state = quietState()
        var renderer = ScreenRenderer()
        _ = renderer.render(state)
        // The last answer again, but job 2198 (listed, not selected) names another image: the
        // jobs pane's rows keep it, but at this width the pane has no RESOURCE column.
        var jobs = scanJobs(progress: 63, duration: 60)
        jobs[2].resource = "swr/another:1.0"
        _ = update(&state, .poll(poll(1024, 1, jobs, at: 7200.5)))
        let frame = renderer.render(state)
        #expect(renderer.built == [.jobs])
        #expect(renderer.redrawn.isEmpty)
        #expect(frame == view(state))
    }

    /// `update` asks where the run is after every action without each stage's summary: the
    /// same answer as the full view of the run.
    @Test func whereTheRunIsNeedsNoLooks() {
        var state = fixtureState()
        for action in Self.session {
            _ = update(&state, action)
            for pipeline in state.pipelines {
                let full = RunView(state, pipeline: pipeline)
                let bare = RunView(state, pipeline: pipeline, withLooks: false)
                #expect(bare.followPosition == full.followPosition)
                #expect(bare.runningPosition == full.runningPosition)
                #expect(bare.looks.isEmpty && full.looks.count == pipeline.stages.count)
            }
        }
    }
}
