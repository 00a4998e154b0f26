import Foundation
import SWRAPI
import SWRWatch

/// The overview's columns for a width: every pipeline is a row, every stage *position* a column
/// (column k holds the k-th stage of each pipeline, so stages line up across pipelines and a
/// pipeline with fewer stages leaves blank cells). Pure: computed from the state alone, by `view`
/// to draw and by `update` to keep the selected column in view.
///
/// - Left, fixed: `PIPELINE` (its number and name), `RUN` (the run's state glyph and how long it
///   has run or ran), `AGE` (how long ago it started). RUN and AGE show when some run is known,
///   and drop (AGE first) when they would leave too little room for the stages.
/// - Then the stage columns, each as wide as its widest cell (at most `maxColumnWidth`) and at
///   least as wide as its header allows (up to `maxHeaderWidth`). The header is the stages'
///   name when every pipeline with a stage there agrees on it; otherwise it is the API's stage
///   index when they agree on that (`stage 2`, the number the stage strip shows), else the
///   position (`#2`, counted from 0), and each cell then says its own stage's name.
/// - Names are cut to their column by display width (a wide CJK or emoji name never pushes a
///   column out of line). The 7-day rates (`7d 92%`) show only when every column fits with
///   them.
/// - When the stage columns do not all fit, they scroll sideways around the selected column
///   (`window`), with `‹ 3` / `4 ›` in the header row saying how many are hidden on each side.
struct OverviewMatrix {
    /// One stage position.
    struct Column: Equatable {
        var header: String
        /// Whether every pipeline with a stage here names it the same (cells then omit the name).
        var namesAgree: Bool
        var width: Int
    }

    /// Columns between two columns.
    static let gap = 2
    static let maxColumnWidth = 24
    static let maxHeaderWidth = 12

    var nameWidth: Int
    /// 0 when the column is not shown.
    var runWidth: Int
    var ageWidth: Int
    var columns: [Column]
    var showsWeek: Bool
    /// Where the stage columns start (from the inside's left edge) and the columns they have.
    var stagesX: Int
    var stagesRoom: Int
    /// Each pipeline's run (the pipelines' order), shared by the cells and the RUN column.
    var runs: [RunView]

    init(_ state: AppState, width: Int) {
        let pipelines = state.pipelines
        let width = Checked.count(width)
        runs = pipelines.map { RunView(state, pipeline: $0) }
        let count = pipelines.map(\.stages.count).max() ?? 0
        // Headers: the shared name, else the shared API index, else the position.
        var heads: [(header: String, agree: Bool)] = []
        for position in 0..<count {
            let stages = pipelines.compactMap { $0.stages.indices.contains(position) ? $0.stages[position] : nil }
            let names = Set(stages.map(\.name))
            if names.count == 1, let name = names.first, !name.isEmpty {
                heads.append((name, true))
            } else if let index = stages.first?.index, stages.allSatisfy({ $0.index == index }) {
                heads.append(("stage \(index)", false))
            } else {
                heads.append(("#\(position)", false))
            }
        }
        // The widest text and rate of each column, over every pipeline (so scrolling the rows
        // never moves a column).
        var textWidths = [Int](repeating: 1, count: count)
        var weekWidths = [Int](repeating: 0, count: count)
        for (row, pipeline) in pipelines.enumerated() {
            let run = runs[row]
            for (position, stage) in pipeline.stages.enumerated() {
                let cell = OverviewCell(run.looks[position], stage: stage, pipeline: pipeline.id, isRunning: false,
                                        withName: !heads[position].agree, state: state)
                textWidths[position] = max(textWidths[position], DisplayWidth.of(cell.text, upTo: Self.maxColumnWidth))
                if !cell.week.isEmpty { weekWidths[position] = max(weekWidths[position], DisplayWidth.of(cell.week, upTo: Self.maxColumnWidth)) }
            }
        }
        func columnWidths(week: Bool) -> [Int] {
            (0..<count).map { position in
                let cells = week && weekWidths[position] > 0 ? textWidths[position] + 1 + weekWidths[position] : textWidths[position]
                let header = min(Self.maxHeaderWidth, DisplayWidth.of(heads[position].header, upTo: Self.maxHeaderWidth))
                return min(Self.maxColumnWidth, max(cells, header, 1))
            }
        }
        func total(_ widths: [Int]) -> Int { widths.reduce(0) { Checked.add($0, $1) } + Self.gap * max(0, widths.count - 1) }

        // The fixed columns: the number and name, then the run's figures when known.
        let digits = String(pipelines.count).count
        let longestName = pipelines.map { DisplayWidth.of($0.name, upTo: 20) }.max() ?? 8
        var name = max(digits + 1 + min(20, max(8, longestName)), DisplayWidth.of("PIPELINE"))
        let summaries = runs.map { $0.summary(now: state.now) }
        var run = 0, age = 0
        if summaries.contains(where: { $0 != nil }) {
            run = max(3, summaries.map { $0.map { DisplayWidth.of($0.runText(state.glyphs)) } ?? 0 }.max() ?? 0)
            age = max(3, summaries.map { $0.map { DisplayWidth.of($0.ageText(now: state.now)) } ?? 0 }.max() ?? 0)
        }
        let plain = columnWidths(week: false)
        // RUN and AGE give way (AGE first) to leave room for the widest stage column and its
        // scroll marks, or for every column when that is less.
        let wanted = min(total(plain), (plain.max() ?? 0) + 8)
        func room(run: Int, age: Int) -> Int {
            width - name - (run > 0 ? run + Self.gap : 0) - (age > 0 ? age + Self.gap : 0) - Self.gap
        }
        if room(run: run, age: age) < wanted { age = 0 }
        if room(run: run, age: age) < wanted { run = 0 }
        if room(run: run, age: age) < wanted {
            // The name gives way last, down to 8 columns of it.
            name = max(min(name, digits + 1 + 8), name - (wanted - room(run: run, age: age)))
        }
        nameWidth = name
        runWidth = run
        ageWidth = age
        stagesX = name + Self.gap + (run > 0 ? run + Self.gap : 0) + (age > 0 ? age + Self.gap : 0)
        stagesRoom = max(0, width - stagesX)
        let withWeek = columnWidths(week: true)
        showsWeek = weekWidths.contains { $0 > 0 } && total(withWeek) <= stagesRoom
        let widths = showsWeek ? withWeek : plain
        columns = (0..<count).map { Column(header: heads[$0].header, namesAgree: heads[$0].agree, width: widths[$0]) }
    }

    /// The stage columns shown around `selection`, starting from `current` where it can.
    func window(selection: Int, current: Int, glyphs: Glyphs) -> Range<Int> {
        Self.window(widths: columns.map(\.width), selection: selection, room: stagesRoom, current: current, glyphs: glyphs)
    }

    /// `‹ 3`: columns hidden on the left.
    static func moreBefore(_ count: Int, glyphs: Glyphs) -> String { "\(glyphs.moreBefore) \(count)" }
    /// `4 ›`: columns hidden on the right.
    static func moreAfter(_ count: Int, glyphs: Glyphs) -> String { "\(count) \(glyphs.moreAfter)" }

    /// The columns shown in `room`: all when they fit; else the run from `current` (moved just
    /// enough that `selection` shows) grown rightwards while it fits with its `‹ n` / `n ›`
    /// marks, then leftwards into room left at the end. Only the selected column, cut, when
    /// even it does not fit. Pure, for any numbers (a selection out of range counts as the
    /// nearest column).
    static func window(widths: [Int], selection: Int, room: Int, current: Int, glyphs: Glyphs) -> Range<Int> {
        let count = widths.count
        guard count > 0 else { return 0..<0 }
        func fits(_ range: Range<Int>) -> Bool {
            var need = widths[range].reduce(0) { Checked.add($0, Checked.count($1)) }
            need = Checked.add(need, gap * max(0, range.count - 1))
            if range.lowerBound > 0 { need = Checked.add(need, DisplayWidth.of(moreBefore(range.lowerBound, glyphs: glyphs)) + 1) }
            if range.upperBound < count { need = Checked.add(need, DisplayWidth.of(moreAfter(count - range.upperBound, glyphs: glyphs)) + 1) }
            return need <= room
        }
        if fits(0..<count) { return 0..<count }
        let selected = Checked.clamp(selection, count - 1)
        var lower = min(Checked.clamp(current, count - 1), selected)
        while lower < selected, !fits(lower..<(selected + 1)) { lower += 1 }
        var upper = selected + 1
        while upper < count, fits(lower..<(upper + 1)) { upper += 1 }
        while lower > 0, fits((lower - 1)..<upper) { lower -= 1 }
        return lower..<upper
    }
}

extension AppState {
    /// The overview's selected column for the selected pipeline: `overviewColumn`, or that
    /// pipeline's last stage when it has fewer (nil when it has none).
    var overviewCellColumn: Int? {
        guard pipelines.indices.contains(overviewSelection) else { return nil }
        let stages = pipelines[overviewSelection].stages.count
        return stages == 0 ? nil : Checked.clamp(overviewColumn, stages - 1)
    }
}
