import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// The overview's 7-day rate follows time and new jobs: the history file is read again when a
/// job of a stage ends and every hour as the window slides, and never on a plain tick. Time
/// reaches `update` only through `.tick`, so the hour passes here without waiting.
@Suite struct WeekRefreshTests {
    static let build = Target(pipeline: 1024, stage: 0)
    static let scan = Target(pipeline: 1024, stage: 1)

    /// tomcat-release with history, its build stage's week from the file at start.
    func started(week: OutcomeCounts = OutcomeCounts(successful: 6, failed: 3)) -> AppState {
        var state = AppState(pipelines: [tomcat], now: now, endpointHost: "h")
        state.hasHistory = true
        _ = update(&state, .resize(width: 120, height: 30))
        _ = update(&state, .stageFigures(StageFigures(target: Self.build, usual: [], week: week)))
        return state
    }

    func overviewRow(_ state: AppState) -> String {
        var shown = state
        if !shown.showOverview { _ = update(&shown, .key(.char("o"))) }
        return view(shown).lines.first { $0.contains("1 tomcat-release") } ?? ""
    }

    func reads(_ effects: [Effect]) -> [Effect] {
        effects.filter { if case .loadWeekOutcomes = $0 { true } else { false } }
    }

    @Test func everyStageIsReadAgainOnceAnHourAndNeverOnAPlainTick() {
        var state = started()
        // The first tick starts the hour; the next 3599 seconds read nothing.
        #expect(update(&state, .tick(at(0))).isEmpty)
        for second in stride(from: 1.0, to: 3600, by: 1) {
            #expect(reads(update(&state, .tick(at(second)))).isEmpty, "read at \(second) s")
        }
        let effects = update(&state, .tick(at(3600)))
        #expect(effects == [.loadWeekOutcomes(tomcat.targets, now: at(3600), request: 1)])
        // The answer replaces the counts: jobs older than 7 days have left the window.
        _ = update(&state, .weekOutcomes(request: 1, [Self.build: OutcomeCounts(successful: 2, failed: 2)]))
        #expect(state.weekOutcomes[Self.build] == OutcomeCounts(successful: 2, failed: 2))
        #expect(overviewRow(state).contains("7d 50%"), "\(overviewRow(state))")
        // And again an hour later, not before.
        #expect(reads(update(&state, .tick(at(7199)))).isEmpty)
        #expect(update(&state, .tick(at(7200))) == [.loadWeekOutcomes(tomcat.targets, now: at(7200), request: 2)])
    }

    @Test func aClockThatGoesBackStartsTheHourAgain() {
        var state = started()
        _ = update(&state, .tick(at(0)))
        // Two hours back: the next read is an hour from the new time, not three.
        #expect(update(&state, .tick(at(-7200))).isEmpty)
        #expect(reads(update(&state, .tick(at(-3601)))).isEmpty)
        #expect(reads(update(&state, .tick(at(-3600)))).count == 1)
    }

    @Test func aJobThatEndsCountsAtOnceThenTheFileIsAskedForThatStage() {
        var state = started()
        _ = update(&state, .tick(at(0)))
        var effects = update(&state, .poll(poll(1024, 0, [job("3000", .building, 50, 40, ago: 40)], at: 1)))
        #expect(reads(effects).isEmpty)
        effects = update(&state, .poll(poll(1024, 0, [job("3000", .failed, 50, 44, ago: 40)], at: 4)))
        // 6 of 10 at once, and a read of this stage alone.
        #expect(state.weekOutcomes[Self.build] == OutcomeCounts(successful: 6, failed: 4))
        #expect(reads(effects) == [.loadWeekOutcomes([Self.build], now: now, request: 1)])
        // A job that appears already ended is a read too.
        effects = update(&state, .poll(poll(1024, 0, [job("3001", .successful, 100, 30, ago: 10), job("3000", .failed, 50, 44, ago: 40)], at: 7)))
        #expect(reads(effects) == [.loadWeekOutcomes([Self.build], now: now, request: 2)])
        // Progress alone reads nothing.
        effects = update(&state, .poll(poll(1024, 1, [job("4000", .building, 10, 5, ago: 5)], at: 8)))
        effects += update(&state, .poll(poll(1024, 1, [job("4000", .building, 20, 8, ago: 5)], at: 9)))
        #expect(reads(effects).isEmpty)
    }

    @Test func anOlderAnswerNeverReplacesANewerOne() {
        var state = started()
        _ = update(&state, .tick(at(0)))
        _ = update(&state, .poll(poll(1024, 0, [job("3000", .building, 50, 40, ago: 40)], at: 1)))
        _ = update(&state, .poll(poll(1024, 0, [job("3000", .failed, 50, 44, ago: 40)], at: 4)))      // request 1
        _ = update(&state, .poll(poll(1024, 0, [job("3001", .successful, 100, 3, ago: 3), job("3000", .failed, 50, 44, ago: 40)], at: 7)))  // request 2
        _ = update(&state, .weekOutcomes(request: 2, [Self.build: OutcomeCounts(successful: 7, failed: 4)]))
        _ = update(&state, .weekOutcomes(request: 1, [Self.build: OutcomeCounts(successful: 6, failed: 4)]))
        #expect(state.weekOutcomes[Self.build] == OutcomeCounts(successful: 7, failed: 4))
        // The figures of the start, arriving late, do not undo a read either.
        _ = update(&state, .stageFigures(StageFigures(target: Self.build, usual: [], week: OutcomeCounts(successful: 1))))
        #expect(state.weekOutcomes[Self.build] == OutcomeCounts(successful: 7, failed: 4))
        // A stage the start knew nothing of gets its rate from a read.
        _ = update(&state, .weekOutcomes(request: 3, [Self.scan: OutcomeCounts(successful: 1, failed: 1)]))
        #expect(state.weekOutcomes[Self.scan] == OutcomeCounts(successful: 1, failed: 1))
    }

    @Test func withoutHistoryNothingIsEverRead() {
        var state = started()
        state.hasHistory = false
        var effects: [Effect] = []
        for second in stride(from: 0.0, through: 7200, by: 600) { effects += update(&state, .tick(at(second))) }
        effects += update(&state, .poll(poll(1024, 0, [job("3000", .building, 50, 40, ago: 40)], at: 7201)))
        effects += update(&state, .poll(poll(1024, 0, [job("3000", .failed, 50, 44, ago: 40)], at: 7204)))
        #expect(reads(effects).isEmpty)
    }
}
