import Foundation
import SWRAPI

/// Short human forms of durations and ages. Any `Int` and any `Date` give a short string: no
/// trap, and no more than six columns for a duration or four for an age.
public enum Format {
    /// Seconds in a (365-day) year, for the longest durations and ages.
    static let year = 31_536_000
    /// Years beyond which a duration or age shows as `>99y`.
    static let maxYears = 99

    /// `12s`, `1m02s`, `1h03m`, `2d04h`, `365d`, `3y`, `>99y`; `-` when unknown; a negative
    /// duration counts as none.
    public static func duration(_ seconds: Int?) -> String {
        guard let seconds else { return "-" }
        let s = max(0, seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(pad2(s % 60))s" }
        if s < 86_400 { return "\(s / 3600)h\(pad2(s / 60 % 60))m" }
        if s < 100 * 86_400 { return "\(s / 86_400)d\(pad2(s / 3600 % 24))h" }
        return long(s)
    }

    /// `5s`, `3m`, `2h`, `4d`, `2y`, `>99y` since `date`; `-` when unknown, when the date is
    /// not a real time, or when it is more than a minute in the future (a small clock skew
    /// shows as `0s`).
    public static func age(_ date: Date?, now: Date) -> String {
        guard let date, let s = Checked.seconds(from: date, to: now), s >= -60 else { return "-" }
        let seconds = max(0, s)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 { return "\(seconds / 3600)h" }
        return long(seconds)
    }

    /// Days under a year, then whole years up to `maxYears`.
    private static func long(_ seconds: Int) -> String {
        if seconds < year { return "\(seconds / 86_400)d" }
        let years = seconds / year
        return years > maxYears ? ">\(maxYears)y" : "\(years)y"
    }

    /// The dates `clock` can show: years 1 through 9999 (seconds since the reference date).
    static let clockRange: ClosedRange<TimeInterval> = -63_113_904_000 ... 252_423_993_599

    /// `3s` until `date`, rounded up (`0s` once it has passed), in `duration`'s form from an
    /// hour on; `-` when either date is not a real time.
    public static func countdown(to date: Date, now: Date) -> String {
        guard let s = Checked.int(date.timeIntervalSince(now).rounded(.up)) else { return "-" }
        let seconds = max(0, s)
        return seconds < 3600 ? "\(seconds)s" : duration(seconds)
    }

    /// `12:34:40` in local time; `--:--:--` for a date that is not a real time or lies outside
    /// years 1 to 9999.
    ///
    /// The time of day is the seconds since the reference date (a midnight) moved by the zone's
    /// offset at that instant, modulo a day: what a Gregorian `Calendar` in that zone says (the
    /// tests hold it to that), without making a calendar per call (a few microseconds each, for
    /// every time on every frame).
    public static func clock(_ date: Date, timeZone: TimeZone = .current) -> String {
        guard clockRange.contains(date.timeIntervalSinceReferenceDate) else { return "--:--:--" }
        // Within `clockRange`, far inside `Int`.
        let local = Int((date.timeIntervalSinceReferenceDate + Double(timeZone.secondsFromGMT(for: date))).rounded(.down))
        let day = (local % 86_400 + 86_400) % 86_400
        return "\(pad2(day / 3600)):\(pad2(day / 60 % 60)):\(pad2(day % 60))"
    }

    /// `clock` as a Gregorian calendar computes it: the oracle of its tests.
    static func calendarClock(_ date: Date, timeZone: TimeZone) -> String {
        guard clockRange.contains(date.timeIntervalSinceReferenceDate) else { return "--:--:--" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.hour, .minute, .second], from: date)
        return "\(pad2(c.hour ?? 0)):\(pad2(c.minute ?? 0)):\(pad2(c.second ?? 0))"
    }

    /// `63%` for a progress (clamped to 0...100, as every screen shows progress); `-` when unknown.
    public static func percent(_ value: Int?) -> String {
        value.map { "\(min(100, max(0, $0)))%" } ?? "-"
    }

    /// A count to two significant digits with thousands separated: `87`, `1,400`, `25,000`.
    public static func roughly(_ value: Int) -> String {
        guard value >= 100 else { return String(max(0, value)) }
        var unit = 1
        while value / unit >= 100 { unit *= 10 }  // at most 10^17 for any Int
        let (scaled, overflow) = (value / unit + (value % unit >= unit / 2 ? 1 : 0)).multipliedReportingOverflow(by: unit)
        let digits = String(overflow ? value : scaled)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    static func pad2(_ value: Int) -> String { (0..<10).contains(value) ? "0\(value)" : "\(value)" }
}
