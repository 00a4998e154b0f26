import Foundation
import SWRAPI
import SWRWatch
import Testing
@testable import SWRTopUI

/// The overview as a matrix (issue 17, item 5): stage columns line up across pipelines whatever
/// their names and counts, the cursor keys and the mouse move between cells, Enter opens the
/// pipeline on the stage, and the columns scroll sideways with the selected cell in view.
@Suite struct OverviewMatrixTests {
    /// Three pipelines: four stages with CJK and emoji names, one stage, and six stages whose
    /// second name differs from the others'.
    static let wide = PipelineInfo(id: 1, name: "前端-服务", stages: [
        StageInfo(index: 0, name: "构建镜像"), StageInfo(index: 1, name: "scan"), StageInfo(index: 2, name: "🚀 部署"), StageInfo(index: 3, name: "verify"),
    ])
    static let single = PipelineInfo(id: 2, name: "tiny", stages: [StageInfo(index: 0, name: "构建镜像")])
    static let long = PipelineInfo(id: 3, name: "monorepo-with-a-long-name", stages: (0..<6).map {
        StageInfo(index: $0, name: ["构建镜像", "扫描漏洞很长的名字", "🚀 部署", "verify", "e2e", "promote"][$0])
    })

    static func mixed(width: Int = 120, height: Int = 40) -> AppState {
        var state = AppState(pipelines: [wide, single, long], now: now, endpointHost: "h")
        state.timeZone = TimeZone(identifier: "UTC")!
        _ = update(&state, .resize(width: width, height: height))
        _ = update(&state, .poll(poll(1, 0, [job("11", .successful, 100, 95, ago: 300)], at: -3)))
        _ = update(&state, .poll(poll(1, 1, [job("12", .building, 40, 80, ago: 100)], at: -3)))
        _ = update(&state, .poll(poll(2, 0, [job("21", .failed, 30, 12, ago: 50)], at: -3)))
        _ = update(&state, .poll(poll(3, 0, [job("31", .successful, 100, 61, ago: 4000)], at: -3)))
        _ = update(&state, .poll(poll(3, 1, [job("32", .timeout, 80, 3600, ago: 3900)], at: -3)))
        _ = update(&state, .tick(now))
        _ = update(&state, .key(.char("o")))
        return state
    }

    /// The cell regions `view` drew, by pipeline and stage position.
    static func cells(_ frame: Frame) -> [Int: [Int: Rect]] {
        var cells: [Int: [Int: Rect]] = [:]
        for region in frame.regions {
            if case .overviewCell(let pipeline, let stage) = region.target { cells[pipeline, default: [:]][stage] = region.rect }
        }
        return cells
    }

    /// The text of the overview's cell of a pipeline's stage (trailing spaces dropped); nil when
    /// it is not drawn.
    static func text(_ frame: Frame, pipeline: Int, stage: Int) -> String? {
        guard let rect = cells(frame)[pipeline]?[stage] else { return nil }
        var text = ""
        for x in rect.x..<rect.maxX where !frame[x, rect.y].isContinuation { text += frame[x, rect.y].text }
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// The display column where `text` starts on row `y`.
    static func column(of text: String, in frame: Frame, row y: Int) -> Int? {
        let line = frame.line(y)
        return line.range(of: text).map { DisplayWidth.of(String(line[..<$0.lowerBound])) }
    }

    @Test func columnsLineUpAcrossPipelinesWithDifferentStagesAndWideNames() throws {
        let state = Self.mixed()
        let frame = view(state)
        let cells = Self.cells(frame)
        #expect(cells[0]?.count == 4 && cells[1]?.count == 1 && cells[2]?.count == 6)
        for position in 0..<6 {
            let rects = (0..<3).compactMap { cells[$0]?[position] }
            // Every cell of column k starts at the same display column, with the same width.
            #expect(Set(rects.map(\.x)).count == 1, "column \(position): \(rects)")
            #expect(Set(rects.map(\.width)).count == 1, "column \(position): \(rects)")
            // And what is drawn there is the cell: its glyph at that column, in every row.
            for rect in rects { #expect(frame[rect.x, rect.y].text != " ", "column \(position) row \(rect.y)") }
        }
        // The columns do not overlap, and no row is wider than the screen.
        let firstRow = try #require(cells[2])
        for position in 1..<6 {
            let previous = try #require(firstRow[position - 1]), next = try #require(firstRow[position])
            #expect(previous.maxX + OverviewMatrix.gap == next.x)
        }
        for y in 0..<frame.height { #expect(DisplayWidth.of(frame.line(y)) == frame.width) }
        // Fewer stages leave blank cells; each cell's text is in its region.
        #expect(Self.text(frame, pipeline: 1, stage: 0) == "✗ 12s")
        #expect(Self.text(frame, pipeline: 0, stage: 0) == "✓ 1m35s")
        #expect(Self.text(frame, pipeline: 0, stage: 1) == "● scan 40%")
        // Column 2 is 🚀 部署 wherever it exists: its header says so, its cells do not.
        #expect(Self.text(frame, pipeline: 2, stage: 2) == "·")
        #expect(Self.column(of: "🚀 部署", in: frame, row: 3) == cells[2]![2]!.x)
        // `tiny` has one stage: the rest of its row is blank.
        let blank = cells[1]![0]!.y
        for x in cells[2]![1]!.x..<cells[2]![5]!.maxX { #expect(frame[x, blank].text == " ", "x \(x)") }
    }

    @Test func headersNameTheStageWhereThePipelinesAgreeElseItsIndex() throws {
        let frame = view(Self.mixed(width: 200, height: 40))
        let header = frame.line(3)
        // Column 0 is 构建镜像 everywhere; column 1 is scan in one pipeline and something else
        // in another: its API index heads it, and each cell names its own stage.
        #expect(header.contains("PIPELINE") && header.contains("RUN") && header.contains("AGE"))
        #expect(header.contains("构建镜像"))
        #expect(header.contains("stage 1"))
        #expect(!header.contains("scan"))
        let cells = Self.cells(frame)
        #expect(Self.column(of: "构建镜像", in: frame, row: 3) == cells[0]![0]!.x)
        #expect(Self.column(of: "stage 1", in: frame, row: 3) == cells[0]![1]!.x)
        #expect(frame.line(cells[0]![1]!.y).contains("● scan 40%"))
        // A name too long for its column is cut, the time after it kept.
        #expect(Self.text(frame, pipeline: 2, stage: 1) == "⏱ 扫描漏洞很长的… 1h00m")
    }

    @Test func cellHeadersAndNamesAreCutByDisplayWidth() {
        var state = Self.mixed(width: 80, height: 24)
        let frame = view(state)
        // Every row keeps the width; every cell region stays within the pane.
        for y in 0..<frame.height { #expect(DisplayWidth.of(frame.line(y)) == 80) }
        for rects in Self.cells(frame).values { for rect in rects.values { #expect(rect.maxX <= 79) } }
        // Scrolled to the last column, the same holds.
        _ = update(&state, .key(.down))
        _ = update(&state, .key(.down))
        for _ in 0..<6 { _ = update(&state, .key(.right)) }
        let scrolled = view(state)
        #expect(Self.cells(scrolled)[2]?[5] != nil)
        for y in 0..<scrolled.height { #expect(DisplayWidth.of(scrolled.line(y)) == 80) }
    }

    @Test func theCursorKeysMoveBetweenCellsAndEnterOpensThatStage() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 80, height: 24))
        _ = update(&state, .key(.char("o")))
        // It opens on the focused cell: tomcat's scan.
        #expect(state.overviewSelection == 0 && state.overviewCellColumn == 1)
        _ = update(&state, .key(.right))
        _ = update(&state, .key(.tab))
        #expect(state.overviewCellColumn == 3)
        _ = update(&state, .key(.right))
        #expect(state.overviewCellColumn == 3, "the row ends at its last stage")
        // nginx has two stages: the selection shows on its last, and ← moves from there.
        _ = update(&state, .key(.down))
        #expect(state.overviewSelection == 1 && state.overviewCellColumn == 1)
        _ = update(&state, .key(.left))
        #expect(state.overviewCellColumn == 0)
        _ = update(&state, .key(.backTab))
        #expect(state.overviewCellColumn == 0)
        _ = update(&state, .key(.up))
        _ = update(&state, .key(.right))
        _ = update(&state, .key(.right))
        #expect(state.overviewCellColumn == 2)
        // Enter opens tomcat on push, chosen by hand: following stops.
        #expect(state.isFollowing)
        let effects = update(&state, .key(.enter))
        #expect(effects == [.focus(Target(pipeline: 1024, stage: 2))])
        #expect(!state.showOverview)
        #expect(state.pipelineIndex == 0 && state.stageIndex == 2)
        #expect(!state.isFollowing)
        #expect(view(state).line(2).contains("stage 2 push"))
        // The stage keys are the overview's while it shows: the dashboard's stage stays.
        _ = update(&state, .key(.char("o")))
        _ = update(&state, .key(.left))
        #expect(state.stageIndex == 2 && state.overviewCellColumn == 1)
    }

    @Test func theSelectedCellIsMarkedInReverseBoldAndUnderline() throws {
        var state = fixtureState()
        _ = update(&state, .resize(width: 80, height: 24))
        _ = update(&state, .key(.char("o")))
        let frame = view(state)
        let rect = try #require(Self.cells(frame)[0]?[1])
        for x in rect.x..<rect.maxX {
            let style = frame[x, rect.y].style
            #expect(style.reverse && style.bold && style.underline)
        }
        // The cursor on the border, the rest of the row bold but not reversed.
        #expect(frame[0, rect.y].text == "▸")
        let other = try #require(Self.cells(frame)[0]?[0])
        #expect(frame[other.x, other.y].style.bold && !frame[other.x, other.y].style.reverse)
        // The other row is neither.
        let nginx = try #require(Self.cells(frame)[1]?[0])
        #expect(!frame[nginx.x, nginx.y].style.bold && !frame[nginx.x, nginx.y].style.reverse)
    }

    @Test func aClickSelectsACellAndASecondClickOpensIt() throws {
        var state = fixtureState()
        _ = update(&state, .resize(width: 120, height: 40))
        _ = update(&state, .key(.char("o")))
        let rect = try #require(Self.cells(view(state))[1]?[0])
        #expect(update(&state, .mouse(MouseEvent(.press, x: rect.x + 1, y: rect.y))).isEmpty)
        #expect(state.showOverview)
        #expect(state.overviewSelection == 1 && state.overviewCellColumn == 0)
        // The second press of a double-click (or a later click) on the selected cell opens it.
        let effects = update(&state, .mouse(MouseEvent(.press, x: rect.x, y: rect.y)))
        #expect(effects == [.focus(Target(pipeline: 1025, stage: 0))])
        #expect(!state.showOverview && state.pipelineIndex == 1 && state.stageIndex == 0 && !state.isFollowing)
        // A click on a blank cell (nginx has no third stage) selects the row only.
        _ = update(&state, .key(.char("o")))
        let frame = view(state)
        let tomcatPush = try #require(Self.cells(frame)[0]?[2])
        #expect(frame.hit(x: tomcatPush.x, y: tomcatPush.y + 1) == .overviewPipeline(1))
        _ = update(&state, .mouse(MouseEvent(.press, x: tomcatPush.x, y: tomcatPush.y)))
        #expect(state.overviewSelection == 0 && state.overviewCellColumn == 2 && state.showOverview)
    }

    @Test func theWheelScrollsTheOverviewRows() throws {
        var state = ScaleScreenTests.manyPipelines(200, width: 100, height: 30)
        _ = update(&state, .key(.char("o")))
        let rect = try #require(Self.cells(view(state))[2]?[0])
        _ = update(&state, .mouse(MouseEvent(.wheelDown, x: rect.x, y: rect.y)))
        #expect(state.overviewSelection == 3)
        for _ in 0..<10 { _ = update(&state, .mouse(MouseEvent(.wheelDown, x: rect.x, y: rect.y))) }
        #expect(state.overviewSelection == 33)
        #expect(state.overviewTop == 33 - state.overviewRows + 1)
        #expect(view(state).lines.contains { $0.contains("34 service-34") })
        #expect(!view(state).lines.contains { $0.contains("│1 service-1 ") })
        // Up again, over the header row too (the pane takes the wheel).
        for _ in 0..<12 { _ = update(&state, .mouse(MouseEvent(.wheelUp, x: 50, y: 3))) }
        #expect(state.overviewSelection == 0 && state.overviewTop == 0)
    }

    @Test func twelveStagesScrollSidewaysWithTheSelectionInViewAt80Columns() throws {
        let stages = (0..<12).map { StageInfo(index: $0, name: "stage-name-\($0)") }
        var state = AppState(pipelines: [PipelineInfo(id: 7, name: "monorepo", stages: stages), nginx], now: now, endpointHost: "h")
        _ = update(&state, .resize(width: 80, height: 24))
        for stage in 0..<12 { _ = update(&state, .poll(poll(7, stage, [job("\(stage)", .successful, 100, 60 * stage + 5, ago: 5000 - 100 * Double(stage))], at: -1))) }
        _ = update(&state, .key(.char("o")))
        // It opens on the followed stage, the last: the columns end there.
        #expect(state.overviewCellColumn == 11 && state.overviewLeft > 0)
        for _ in 0..<11 { _ = update(&state, .key(.left)) }
        #expect(state.overviewCellColumn == 0 && state.overviewLeft == 0)
        var lefts: [Int] = []
        for position in 0..<12 {
            let frame = view(state)
            let cells = Self.cells(frame)
            let rect = try #require(cells[0]?[position], "column \(position) not in view:\n\(frame.lines.joined(separator: "\n"))")
            #expect(rect.maxX <= 79 && rect.width == OverviewMatrix(state, width: 78).columns[position].width)
            // The marks say what is hidden on either side.
            let shown = cells[0]!.keys.sorted()
            let header = frame.line(3)
            #expect(header.contains("‹ \(shown.first!)") == (shown.first! > 0))
            #expect(header.contains("\(11 - shown.last!) ›") == (shown.last! < 11))
            #expect(shown == Array(shown.first!...shown.last!))
            for y in 0..<frame.height { #expect(DisplayWidth.of(frame.line(y)) == 80) }
            lefts.append(state.overviewLeft)
            _ = update(&state, .key(.right))
        }
        // It scrolled, never backwards while moving right, and ended at the last column.
        #expect(lefts.first == 0 && lefts.last! > 0)
        #expect(lefts == lefts.sorted())
        // Back left: the window follows without jumping to the start.
        _ = update(&state, .key(.left))
        let left = state.overviewLeft
        #expect(left == lefts.last)
        for _ in 0..<11 { _ = update(&state, .key(.left)) }
        #expect(state.overviewLeft == 0)
    }

    @Test func theWindowAlwaysHoldsTheSelectionAndFits() {
        let g = Glyphs.unicode
        var seed: UInt64 = 17
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        for _ in 0..<2000 {
            let widths = (0..<(1 + next(20))).map { _ in 1 + next(24) }
            let selection = next(widths.count + 2) - 1, room = next(120), current = next(widths.count + 3) - 1
            let shown = OverviewMatrix.window(widths: widths, selection: selection, room: room, current: current, glyphs: g)
            let selected = Checked.clamp(selection, widths.count - 1)
            #expect(shown.contains(selected))
            if shown.count > 1 {
                var need = widths[shown].reduce(0, +) + OverviewMatrix.gap * (shown.count - 1)
                if shown.lowerBound > 0 { need += DisplayWidth.of(OverviewMatrix.moreBefore(shown.lowerBound, glyphs: g)) + 1 }
                if shown.upperBound < widths.count { need += DisplayWidth.of(OverviewMatrix.moreAfter(widths.count - shown.upperBound, glyphs: g)) + 1 }
                #expect(need <= room)
            }
        }
        #expect(OverviewMatrix.window(widths: [], selection: 3, room: 10, current: 0, glyphs: g) == 0..<0)
        #expect(OverviewMatrix.window(widths: [5, 5], selection: Int.max, room: Int.max, current: Int.min, glyphs: g) == 0..<2)
    }

    @Test func goldensAtThreeSizes() {
        var state = fixtureState()
        _ = update(&state, .pipelineDetail(id: 1024, .success(PipelineStatusTests().runStatus())))
        _ = update(&state, .stageFigures(StageFigures(target: Target(pipeline: 1024, stage: 0), usual: [],
                                                       week: OutcomeCounts(successful: 11, failed: 1))))
        state.pipelines.append(Self.wide)
        state.pipelines.append(Self.long)
        _ = update(&state, .poll(poll(1, 0, [job("11", .successful, 100, 95, ago: 300)], at: -3)))
        _ = update(&state, .poll(poll(1, 1, [job("12", .building, 40, 80, ago: 100)], at: -3)))
        _ = update(&state, .poll(poll(3, 0, [job("31", .successful, 100, 61, ago: 4000)], at: -3)))
        _ = update(&state, .poll(poll(3, 1, [job("32", .timeout, 80, 3600, ago: 3900)], at: -3)))
        _ = update(&state, .tick(now))
        for (width, height) in [(80, 24), (120, 40), (200, 50)] {
            var sized = state
            _ = update(&sized, .resize(width: width, height: height))
            _ = update(&sized, .key(.char("o")))
            _ = update(&sized, .key(.down))
            _ = update(&sized, .key(.down))
            _ = update(&sized, .key(.down))
            _ = update(&sized, .key(.right))
            _ = update(&sized, .key(.right))
            _ = update(&sized, .key(.right))
            assertGolden(view(sized), "overview-matrix-\(width)x\(height)")
        }
    }
}
