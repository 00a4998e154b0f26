import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// Screens for many pipelines and stages: the overview scrolls, the stage strip follows the
/// focus, the header keeps its status whatever the pipeline's name.
@Suite struct ScaleScreenTests {
    /// `count` pipelines of four stages, each with a finished job on its first stage.
    static func manyPipelines(_ count: Int, width: Int, height: Int) -> AppState {
        let pipelines = (0..<count).map { i in
            PipelineInfo(id: 2000 + i, name: "service-\(i + 1)", stages: ["build", "scan", "push", "deploy"].enumerated().map { StageInfo(index: $0, name: $1) })
        }
        var state = AppState(pipelines: pipelines, now: now, endpointHost: "127.0.0.1", glyphs: .unicode)
        state.timeZone = TimeZone(identifier: "UTC")!
        _ = update(&state, .resize(width: width, height: height))
        for pipeline in pipelines {
            _ = update(&state, .poll(poll(pipeline.id, 0, [job("\(pipeline.id)1", .successful, 100, 30, ago: 600)], at: -5)))
        }
        _ = update(&state, .tick(now))
        return state
    }

    @Test func overviewScrollsToTheLastOfTwoHundredPipelines() {
        var state = Self.manyPipelines(200, width: 100, height: 30)
        _ = update(&state, .key(.char("o")))
        // 24 rows: the pane's 27 less its border and the header row.
        #expect(view(state).lines[2].contains("overview · pipelines 1–24 of 200"))
        _ = update(&state, .key(.char("G")))
        #expect(state.overviewSelection == 199)
        #expect(state.overviewTop == 176)
        let frame = view(state)
        #expect(frame.lines[2].contains("overview · pipelines 177–200 of 200"))
        #expect(frame.lines[27].contains("200 service-200"))
        assertGolden(frame, "overview-200-of-200-100x30")
        // Up by one keeps the rows (the selection is still in view); PgUp and g move them.
        _ = update(&state, .key(.up))
        #expect(state.overviewTop == 176)
        _ = update(&state, .key(.pageUp))
        #expect(state.overviewSelection == 175)
        #expect(state.overviewTop == 175)
        _ = update(&state, .key(.char("g")))
        #expect(state.overviewTop == 0)
        #expect(view(state).lines[4].contains("1 service-1"))
    }

    @Test func overviewOpensWithTheFocusedPipelineInView() {
        var state = Self.manyPipelines(200, width: 100, height: 30)
        _ = update(&state, .key(.char("9")))
        for _ in 0..<140 { _ = update(&state, .key(.char("]"))) }
        #expect(state.pipelineIndex == 148)
        _ = update(&state, .key(.char("o")))
        let lines = view(state).lines
        #expect(lines.contains { $0.contains("149 service-149") })
        #expect(!lines.contains { $0.contains(" 1 service-1 ") })
    }

    @Test func stripFollowsStage45Of60() {
        let stages = (0..<60).map { StageInfo(index: $0, name: "s\($0)") }
        var state = AppState(pipelines: [PipelineInfo(id: 7, name: "monorepo", stages: stages)], now: now, endpointHost: "127.0.0.1")
        state.timeZone = TimeZone(identifier: "UTC")!
        _ = update(&state, .resize(width: 80, height: 24))
        for _ in 0..<44 { _ = update(&state, .key(.right)) }
        #expect(state.stageIndex == 44)
        let frame = view(state)
        let strip = frame.lines[1]
        #expect(strip.contains("[44 s44]"), "the 45th stage is index 44, as the API numbers it")
        #expect(strip.hasPrefix(" ‹ "))
        #expect(strip.contains(" more ›"))
        assertGolden(frame, "strip-45-of-60-80x24")
        // The marks count what they hide: the shown tabs and both counts add up to 60.
        let shown = strip.components(separatedBy: "[").count - 1
        let before = Int(strip.split(separator: " ")[1]) ?? -1
        let after = Int(strip.split(separator: " ").reversed().dropFirst(2).first ?? "") ?? -1
        #expect(before + shown + after == 60)
    }

    @Test func stripWindowAlwaysHoldsTheFocus() {
        for count in [1, 2, 7, 60] {
            for focus in -1...count {
                for width in [0, 5, 30, 80, 200] {
                    let shown = StageStrip.window(widths: Array(repeating: 9, count: count), focus: focus, width: width, glyphs: .unicode)
                    let expected = (0..<count).contains(focus) ? focus : 0
                    #expect(shown.contains(expected))
                    #expect(shown.lowerBound >= 0 && shown.upperBound <= count)
                }
            }
        }
        // Everything fits: no window.
        #expect(StageStrip.window(widths: [5, 5, 5], focus: 2, width: 18, glyphs: .unicode) == 0..<3)
    }

    @Test func headerWithA300CharacterNameKeepsItsStatusAt80Columns() {
        let name = String(repeating: "very-long-pipeline-name-", count: 13).prefix(300)
        #expect(name.count == 300)
        var state = AppState(pipelines: [PipelineInfo(id: 9, name: String(name), stages: [StageInfo(index: 0, name: "build")])],
                             now: now, endpointHost: "swr-api.cn-north-4.myhuaweicloud.com")
        state.timeZone = TimeZone(identifier: "UTC")!
        _ = update(&state, .resize(width: 80, height: 24))
        var result = poll(9, 0, [job("1", .building, 40, 20, ago: 20)], at: -2)
        result.budget = BudgetReading(used: 12, limit: 300, configured: 300)
        _ = update(&state, .poll(result))
        _ = update(&state, .tick(now))
        let header = view(state).lines[0]
        #expect(header.contains("LIVE"))
        #expect(header.contains("polled 2s ago"))
        #expect(header.contains("1/300 req/min"))
        #expect(header.contains("…"))
        #expect(header.contains("(1/1)"))
        assertGolden(view(state), "header-300-name-80x24")
        // Narrower than 80: the name goes, then req/min and the age; the badge shows last of all.
        for width in [60, 40, 30, 20] {
            _ = update(&state, .resize(width: width, height: 24))
            #expect(view(state).lines[0].contains("LIVE"), "at \(width) columns")
        }
        _ = update(&state, .resize(width: 40, height: 24))
        #expect(!view(state).lines[0].contains("very-long"))
    }

    @Test func aPollTheBudgetMadeLateSaysSoInTheHeaderAndTheStrip() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 120, height: 40))
        var late = poll(1024, 1, scanJobs(progress: 70, duration: 70), at: 0)
        late.heldByBudget = true
        late.budget = BudgetReading(used: 280, limit: 300, configured: 300)
        _ = update(&state, .poll(late))
        let frame = view(state)
        #expect(frame.lines[0].contains("polled 0s ago ⧗ budget"))
        #expect(frame.lines[1].contains("[1 scan ○ ⧗]"))
        #expect(frame.lines[0].contains("/300 req/min"))
        var onTime = late
        onTime.heldByBudget = false
        _ = update(&state, .poll(onTime))
        #expect(!view(state).lines[0].contains("budget"))
        #expect(!view(state).lines[1].contains("⧗"))
    }

    @Test func aBudgetTooSmallForTheScheduleSaysWhatItWouldTake() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 120, height: 40))
        var result = poll(1024, 1, scanJobs(progress: 70, duration: 70), at: 0)
        result.budget = BudgetReading(used: 290, limit: 300, configured: 300, wanted: 1_360)
        _ = update(&state, .poll(result))
        let screen = view(state).lines.suffix(2).joined(separator: "\n")
        #expect(screen.contains("⧗ stages need ~1,400 req/min, budget 300: some poll late"), "\(screen)")
        // Within a tenth of the budget: no words (they would come and go with every poll).
        result.budget = BudgetReading(used: 290, limit: 300, configured: 300, wanted: 325)
        _ = update(&state, .poll(result))
        #expect(!view(state).lines.joined().contains("stages need"))
    }
}
