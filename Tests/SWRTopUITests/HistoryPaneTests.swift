import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// The history pane (`H`), "usual" and the ETA from history, and the overview's 7-day rate:
/// driven through `update` with the answers the session would give, checked as text frames.
@Suite struct HistoryPaneTests {
    static let scan = Target(pipeline: 1024, stage: 1)

    /// Twelve jobs of the scan stage, newest first: a running one, then outcomes that alternate
    /// (flaky), a cancel, a timeout, an unknown state and one without a duration.
    static let recent: [HistoricJob] = {
        let states: [(JobState, Int?)] = [
            (.building, 30), (.successful, 60), (.failed, 20), (.successful, 62), (.failed, 25), (.successful, 58),
            (.cancelled, 5), (.timeout, 600), (.successful, 55), (.unknown("rollbacking"), nil), (.successful, 64), (.successful, 61),
        ]
        return states.enumerated().map { index, value in
            HistoricJob(id: String(2211 - index), state: value.0, duration: value.1, createdAt: at(-Double(index) * 3600 - 60), firstSeen: at(-Double(index) * 3600))
        }
    }()

    static let history = StageHistory(
        recent: recent,
        rates: SuccessRates(day: OutcomeCounts(successful: 5, failed: 2, timedOut: 1, cancelled: 1),
                            week: OutcomeCounts(successful: 30, failed: 4, timedOut: 1, cancelled: 2),
                            month: OutcomeCounts(successful: 90, failed: 9, timedOut: 1, cancelled: 3)),
        usual: UsualDuration(samples: 6, p50: 60.5, p90: 63.5),
        isFlaky: true
    )

    /// The fixture on the scan stage with the pane open and answered.
    static func opened(_ answer: HistoryLookup<StageHistory>? = .found(history), glyphs: Glyphs = .unicode) -> AppState {
        var state = fixtureState(glyphs: glyphs)
        state.isFollowing = false
        let effects = update(&state, .key(.char("H")))
        #expect(effects == [.loadStageHistory(scan, now: now)])
        if let answer { _ = update(&state, .stageHistory(scan, answer)) }
        return state
    }

    @Test func theChartAt80x24() {
        let state = Self.opened()
        let frame = view(state, width: 80, height: 24)
        assertGolden(frame, "history-80x24")
        let text = frame.lines.joined(separator: "\n")
        #expect(text.contains("24h 63% of 8"))
        #expect(text.contains("7d 86% of 35"))
        #expect(text.contains("p50 1m01s  p90 1m04s"))
        #expect(text.contains("FLAKY"))
        // Oldest on the left, the newest (selected, running) on the right: one glyph per job.
        let glyphRow = frame.lines.first { $0.contains("✓") && $0.contains("⏱") && $0.contains("⊘") && $0.contains("●") }
        #expect(glyphRow.map { $0.filter { "✓✗⏱⊘●?".contains($0) }.count } == 12)
        #expect(text.contains("#2211  ● Building"))
    }

    @Test func monochromeReadsByGlyph() {
        let frame = view(Self.opened(glyphs: .ascii), width: 80, height: 24)
        assertGolden(frame, "history-ascii-80x24")
        #expect(frame.lines.contains { $0.contains("+") && $0.contains("x") && $0.contains("T") && $0.contains("/") })
    }

    @Test func theChartAt120x40WithATimelineUnderIt() {
        var state = Self.opened()
        _ = update(&state, .key(.left))
        #expect(state.historyView?.selected?.id == "2210")
        let effects = update(&state, .key(.enter))
        #expect(effects == [.loadTimeline(JobRef(target: Self.scan, jobID: "2210"))])
        let stored = [Observation(at: at(-4000), state: .waiting, progress: 0, duration: 0),
                      Observation(at: at(-3990), state: .building, progress: 10, duration: 10),
                      Observation(at: at(-3940), state: .successful, progress: 100, duration: 60)]
        _ = update(&state, .storedTimeline(JobRef(target: Self.scan, jobID: "2210"), .found(stored)))
        let frame = view(state, width: 120, height: 40)
        assertGolden(frame, "history-timeline-120x40")
        #expect(frame.lines.contains { $0.contains("stored timeline of #2210 ✓ Successful 1m00s") })
        #expect(frame.lines.contains { $0.contains("Successful 100% 1m00s") })
        // The chart stays above it.
        #expect(frame.lines.contains { $0.contains("FLAKY") })
    }

    @Test func offAndEmptyAreSaidPlainly() {
        let off = view(Self.opened(.off), width: 80, height: 24)
        assertGolden(off, "history-off-80x24")
        #expect(off.lines.joined(separator: " ").contains("History is off"))
        let empty = view(Self.opened(.found(StageHistory(recent: [], rates: SuccessRates(), usual: nil, isFlaky: false))), width: 80, height: 24)
        #expect(empty.lines.joined(separator: " ").contains("No job of this stage is in the history file yet"))
        let failed = view(Self.opened(.failed("history: reading /x failed: disk I/O error")), width: 80, height: 24)
        #expect(failed.lines.joined(separator: " ").contains("could not be read: history: reading /x failed"))
        let loading = view(Self.opened(nil), width: 80, height: 24)
        #expect(loading.lines.joined().contains("reading the history file"))
    }

    @Test func keysMoveOverTheBarsAndEscCloses() {
        var state = Self.opened()
        #expect(state.historyView?.selection == 0)
        // ← goes back in time, → forward; the ends hold.
        _ = update(&state, .key(.right))
        #expect(state.historyView?.selection == 0)
        for _ in 0..<3 { _ = update(&state, .key(.left)) }
        #expect(state.historyView?.selected?.id == "2208")
        _ = update(&state, .key(.char("g")))
        #expect(state.historyView?.selected?.id == "2200")
        _ = update(&state, .key(.left))
        #expect(state.historyView?.selected?.id == "2200")
        _ = update(&state, .key(.char("G")))
        #expect(state.historyView?.selection == 0)
        // The stage does not change under the pane.
        #expect(state.stageIndex == 1)
        // Enter opens the timeline; with it open, ← loads the next job's; Esc closes it, then the pane.
        #expect(update(&state, .key(.enter)) == [.loadTimeline(JobRef(target: Self.scan, jobID: "2211"))])
        #expect(update(&state, .key(.left)) == [.loadTimeline(JobRef(target: Self.scan, jobID: "2210"))])
        #expect(state.historyView?.timeline?.jobID == "2210")
        _ = update(&state, .key(.escape))
        #expect(state.historyView != nil && state.historyView?.timeline == nil)
        _ = update(&state, .key(.escape))
        #expect(state.historyView == nil)
        // H closes it too; q still quits from it.
        state = Self.opened()
        _ = update(&state, .key(.char("H")))
        #expect(state.historyView == nil)
        state = Self.opened()
        #expect(update(&state, .key(.char("q"))) == [.quit])
    }

    @Test func theOpenPaneReadsItsStageAgainWhenAJobEndsOrAppears() {
        var state = Self.opened()
        let building = scanJobs(progress: 70, duration: 65)
        #expect(update(&state, .poll(poll(1024, 1, building, at: 1))) == [])
        var ended = building
        ended[0] = job("2211", .successful, 100, 70, ago: 62, creator: "王小明")
        #expect(update(&state, .poll(poll(1024, 1, ended, at: 4))) == [.loadStageHistory(Self.scan, now: now)])
        // Another stage's change does not.
        #expect(update(&state, .poll(poll(1024, 0, [job("2300", .building, 5, 1, ago: 1)] + [job("2200", .successful, 100, 42, ago: 200)], at: 5))) == [])
    }

    /// Following the run waits while the pane is open (the strip keeps showing its stage), and
    /// catches up when it closes.
    @Test func followingWaitsWhileThePaneIsOpen() {
        var state = fixtureState()
        state.stageIndex = 0
        state.isFollowing = true
        _ = update(&state, .key(.char("H")))
        #expect(state.historyView?.target == Target(pipeline: 1024, stage: 0))
        // The run moves on to scan (building): the view stays on build while the pane is open.
        _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 70, duration: 65), at: 1)))
        #expect(state.stageIndex == 0)
        let effects = update(&state, .key(.escape))
        #expect(state.historyView == nil)
        #expect(state.stageIndex == 1 && effects == [.focus(Target(pipeline: 1024, stage: 1))])
    }

    @Test func answersForAnotherStageOrJobAreIgnored() {
        var state = Self.opened(nil)
        _ = update(&state, .stageHistory(Target(pipeline: 1024, stage: 0), .found(Self.history)))
        #expect(state.historyView?.answer == nil)
        _ = update(&state, .stageHistory(Self.scan, .found(Self.history)))
        _ = update(&state, .key(.enter))
        _ = update(&state, .storedTimeline(JobRef(target: Self.scan, jobID: "2100"), .found([])))
        #expect(state.historyView?.timeline?.answer == nil)
        // A fresh answer keeps the selection on the same job.
        _ = update(&state, .key(.escape))
        _ = update(&state, .key(.left))
        var newer = Self.history
        newer.recent.insert(HistoricJob(id: "2212", state: .waiting, duration: nil, createdAt: at(0), firstSeen: at(0)), at: 0)
        _ = update(&state, .stageHistory(Self.scan, .found(newer)))
        #expect(state.historyView?.selected?.id == "2210")
    }

    // MARK: - "Usual" and the ETA from history

    /// What an earlier session stored of a stage: its last successful runs took about 100 s.
    static let figures = StageFigures(
        target: Target(pipeline: 1024, stage: 0),
        usual: (0..<10).map { UsualSample(jobID: "h\($0)", duration: 95 + $0, at: at(-Double($0 + 1) * 3600)) },
        week: OutcomeCounts(successful: 6, failed: 3)
    )

    @Test func usualAndETAComeFromHistoryMarkedUntilThePollConfirms() {
        var state = AppState(pipelines: [tomcat], now: now, endpointHost: "h")
        state.timeZone = TimeZone(identifier: "UTC")!
        let build = Target(pipeline: 1024, stage: 0)
        let running = job("3000", .building, nil, 40, ago: 40)
        _ = update(&state, .seed(build, jobs: [running], timelines: [:], seenAt: at(-30)))
        _ = update(&state, .stageFigures(Self.figures))
        _ = update(&state, .resize(width: 120, height: 40))
        var summary = state.store.summary(build, now: now)
        // p50 of 95...104 is 99.5 → 100 s; 40 s in, 60 s to go; not slow until past p90 (103.1 s).
        #expect(summary.usualDuration == 100)
        #expect(summary.eta == 60)
        #expect(summary.fromHistory == at(-30))
        var text = view(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(text.contains("~1m00s (history)"))
        #expect(text.contains("1m40s, p90 1m43s (history)"))
        // The first poll confirms: the mark goes, the figures stay.
        _ = update(&state, .poll(poll(1024, 0, [job("3000", .building, nil, 102, ago: 102)], at: 1)))
        summary = state.store.summary(build, now: at(1))
        #expect(summary.fromHistory == nil)
        #expect(summary.usualDuration == 100 && !summary.isSlow)
        text = view(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(!text.contains("(history)"))
        #expect(text.contains("1m40s, p90 1m43s"))
        // Beyond p90, not merely beyond p50: slow.
        _ = update(&state, .poll(poll(1024, 0, [job("3000", .building, nil, 104, ago: 104)], at: 3)))
        #expect(state.store.summary(build, now: at(3)).isSlow)
        // It ends fast: its 30 s join the newest samples and the usual moves down.
        _ = update(&state, .poll(poll(1024, 0, [job("3000", .successful, 100, 30, ago: 104)], at: 5)))
        summary = state.store.summary(build, now: at(5))
        #expect(state.store[build]?.usualBasis?.first == UsualSample(jobID: "3000", duration: 30, at: at(-104)))
        #expect(summary.usual == UsualDuration(durations: [30] + (95...104).map { $0 }))
        #expect(summary.usualDuration == 99)
    }

    @Test func theOverviewShowsEachStagesWeekRateAndCountsJobsThatEnd() {
        var state = AppState(pipelines: [tomcat], now: now, endpointHost: "h")
        _ = update(&state, .resize(width: 120, height: 30))
        _ = update(&state, .stageFigures(Self.figures))
        _ = update(&state, .poll(poll(1024, 0, [job("3000", .building, 50, 40, ago: 40)], at: 1)))
        _ = update(&state, .key(.char("o")))
        var row = view(state).lines.first { $0.contains("1 tomcat-release") } ?? ""
        // 6 of 9 decided, and only where history gave a rate.
        #expect(row.contains("● 50% 7d 67%"))
        #expect(row.components(separatedBy: "7d").count == 2)
        _ = update(&state, .poll(poll(1024, 0, [job("3000", .failed, 50, 44, ago: 40)], at: 4)))
        row = view(state).lines.first { $0.contains("1 tomcat-release") } ?? ""
        #expect(row.contains("✗ 44s 7d 60%"))
        assertGolden(view(state, width: 80, height: 24), "overview-week-80x24")
    }

    @Test func aRateIsNeverRoundedUpToAll() {
        #expect(HistoryPane.percent(0.996) == "99%")
        #expect(HistoryPane.percent(1) == "100%")
        #expect(HistoryPane.percent(0.004) == "0%")
        #expect(HistoryPane.rate(OutcomeCounts(cancelled: 3)) == "-")
    }

    @Test func barsFitAnyWidthAndKeepTheSelectionInView() {
        #expect(DurationBars.slot(count: 100, width: 78) == 1)
        #expect(DurationBars.slot(count: 12, width: 78) == 4)
        #expect(DurationBars.window(selection: 0, count: 100, bars: 78) == 0..<78)
        #expect(DurationBars.window(selection: 90, count: 100, bars: 78) == 13..<91)
        // Out of range or extreme: never a trap, always within the jobs.
        #expect(DurationBars.window(selection: 500, count: 10, bars: 5) == 10..<10)
        #expect(DurationBars.window(selection: Int.max, count: 10, bars: Int.max) == 1..<10)
        #expect(DurationBars.window(selection: Int.min, count: 10, bars: 3) == 0..<3)
        // One hung run does not flatten the others: the top is at most three times the median.
        #expect(DurationBars.scaleTop([60, 20, 62, 25, 58, 5, 600, 55, 64, 61]) == 180)
        #expect(DurationBars.scaleTop([30, 40]) == 40)
        #expect(DurationBars.scaleTop([]) == 1 && DurationBars.scaleTop([0, -3]) == 1)
        #expect(DurationBars.scaleTop([Int.max, Int.max]) == Int.max)
        // A hundred jobs at 80 columns: one column each, the rest said to be off screen.
        var state = Self.opened()
        var many = Self.history
        many.recent = (0..<100).map { HistoricJob(id: String(3000 - $0), state: .successful, duration: 30 + $0 % 7, createdAt: at(-Double($0) * 60), firstSeen: at(0)) }
        _ = update(&state, .stageHistory(Self.scan, .found(many)))
        #expect(view(state, width: 80, height: 24).lines.contains { $0.contains("· 22 older off screen") })
        for _ in 0..<90 { _ = update(&state, .key(.left)) }
        let scrolled = view(state, width: 80, height: 24).lines
        #expect(scrolled.contains { $0.contains("· 9 older, 13 newer off screen") })
        #expect(scrolled.contains { $0.hasPrefix("│#2910 ") })
        // Every size draws without trapping, the pane's title always there.
        for (width, height) in [(20, 5), (30, 8), (80, 24), (200, 60)] {
            let frame = view(Self.opened(), width: width, height: height)
            #expect(frame.lines.count == height)
        }
    }
}
