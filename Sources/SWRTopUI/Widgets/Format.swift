import Foundation

/// Short human forms of durations and ages.
public enum Format {
    /// `12s`, `1m02s`, `1h03m`, `2d04h`; `-` when unknown.
    public static func duration(_ seconds: Int?) -> String {
        guard let seconds else { return "-" }
        let s = max(0, seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(pad2(s % 60))s" }
        if s < 86_400 { return "\(s / 3600)h\(pad2(s / 60 % 60))m" }
        return "\(s / 86_400)d\(pad2(s / 3600 % 24))h"
    }

    /// `5s`, `3m`, `2h`, `4d` since `date`; `-` when unknown.
    public static func age(_ date: Date?, now: Date) -> String {
        guard let date else { return "-" }
        let s = max(0, Int(now.timeIntervalSince(date)))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }

    /// `12:34:40` in local time.
    public static func clock(_ date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.hour, .minute, .second], from: date)
        return "\(pad2(c.hour ?? 0)):\(pad2(c.minute ?? 0)):\(pad2(c.second ?? 0))"
    }

    public static func percent(_ value: Int?) -> String {
        value.map { "\($0)%" } ?? "-"
    }

    static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
