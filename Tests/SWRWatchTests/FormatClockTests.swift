import Foundation
import Testing
import SWRAPI
@testable import SWRWatch

/// `Format.clock` reads the time of day from the zone's offset instead of a calendar per call:
/// it must say what a Gregorian calendar in that zone says, for every date it shows.
@Suite(.timeLimit(.minutes(3))) struct FormatClockTests {
    /// Zones with daylight saving time, half- and three-quarter-hour offsets, a 30-minute DST
    /// shift, local mean time in early years, and a fixed offset with seconds.
    static let zones: [TimeZone] = [
        "UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/Paris", "Pacific/Chatham",
        "America/St_Johns", "Asia/Kathmandu", "Africa/Monrovia", "Europe/Amsterdam", "America/Los_Angeles",
    ].compactMap(TimeZone.init(identifier:)) + [TimeZone(secondsFromGMT: 3723)!]

    /// A small seeded generator (SplitMix64), so every run checks the same dates.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func agreesWithTheCalendarOverTheWholeRange() {
        #expect(Self.zones.count == 12)
        var random = Seeded(state: 14)
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            let date = Date(timeIntervalSinceReferenceDate: Double.random(in: Format.clockRange, using: &random))
            let zone = Self.zones[Int.random(in: 0..<Self.zones.count, using: &random)]
            let fast = Format.clock(date, timeZone: zone), slow = Format.calendarClock(date, timeZone: zone)
            if fast != slow { disagreements.append("\(date.timeIntervalSinceReferenceDate) \(zone.identifier): \(fast) vs \(slow)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }

    @Test func agreesAroundNowSecondBoundariesAndTheEdges() {
        var disagreements: [String] = []
        // Around now, in steps that land on and beside whole seconds, across a DST change.
        let march = Date(timeIntervalSince1970: 1_711_846_800)  // 2024-03-31 01:00 UTC: Europe springs forward
        var times = (0..<4_000).map { march.timeIntervalSinceReferenceDate - 3600 + Double($0) * 1.87 }
        times += [-0.000_1, -0.5, -1, 0, 0.999_9, -86_400.000_1, Format.clockRange.lowerBound, Format.clockRange.upperBound]
        for time in times {
            for zone in Self.zones {
                let date = Date(timeIntervalSinceReferenceDate: time)
                let fast = Format.clock(date, timeZone: zone), slow = Format.calendarClock(date, timeZone: zone)
                if fast != slow { disagreements.append("\(time) \(zone.identifier): \(fast) vs \(slow)") }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
        #expect(Format.clock(Date(timeIntervalSinceReferenceDate: Format.clockRange.upperBound + 1), timeZone: .gmt) == "--:--:--")
        #expect(Format.clock(Date(timeIntervalSince1970: 45_296), timeZone: TimeZone(identifier: "UTC")!) == "12:34:56")
    }

    /// "Usual" without history: the newest ten successful durations, read with a plain loop.
    @Test func recentSuccessesAreTheNewestTenSuccessfulDurations() {
        // Newest first, as the store keeps them.
        var jobs = [job("f", .failed, duration: 5, created: 1000), job("n", .successful, created: 999), job("r", .building, duration: 7, created: 998)]
        jobs += (1...12).map { job("s\($0)", .successful, duration: $0 * 10, created: 900 - Double($0)) }
        #expect(HistoryStore.recentSuccesses(jobs) == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
        #expect(HistoryStore.recentSuccesses([]) == [])
        var store = HistoryStore()
        store.apply(PollResult(target: Target(pipeline: 1, stage: 0), outcome: .success(jobs), startedAt: Date(timeIntervalSince1970: 1000),
                               endedAt: Date(timeIntervalSince1970: 1001), nextPollAt: Date(timeIntervalSince1970: 1004)))
        #expect(store.summary(Target(pipeline: 1, stage: 0), now: Date(timeIntervalSince1970: 1002)).usualDuration == 55)
    }
}
