import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRHistory

/// The start-up's `figures` counts the week with its own statement (not the pane's three
/// windows): the same counts, boundary included, unknown and running states left out.
@Suite(.timeLimit(.minutes(3))) struct FiguresTests {
    @Test func theStartUpsWeekIsThePanesWeek() async throws {
        try await withHistory { _, writer, reader async throws in
            let day = 86_400.0
            let now = 40 * day
            let jobs = [
                job("1", .successful, created: now - 3600),
                job("2", .cancelled, created: now - 2 * day),
                job("3", .timeout, created: now - 7 * day),       // exactly 7 days: in the week
                job("4", .failed, created: now - 7 * day - 1),    // one second older: out
                job("5", .building, created: now - 60),
                job("6", .unknown("paused"), created: now - 60),
                job("7", .successful, duration: 40, created: now - 3 * day),
            ]
            await write(batch(poll(jobs, at: now)), writer)
            let other = Target(pipeline: 9, stage: 9)
            let figures = try await reader.figures([stage, other], now: at(now))
            let week = OutcomeCounts(successful: 2, timedOut: 1, cancelled: 1)
            #expect(figures.map(\.week) == [week, OutcomeCounts()])
            #expect(try await reader.successRates(stage, now: at(now)).week == week)
            #expect(figures.first?.usual.map(\.duration) == [40])
        }
    }
}
