/// The values the hostile faults put on the wire, in one place so tests can look for each.
public enum HostileValues {
    /// Numbers at the edges, written as JSON numbers (raw text, valid JSON grammar).
    public static let rawNumbers = [
        "5000000000000000000", "-9223372036854775807", "9223372036854775807", "9223372036854775808",
        "18446744073709551616", "1e300", "1e308", "-1e308", "1e400", "-0", "-1",
    ]
    /// The same kind of numbers, written as JSON strings.
    public static let numberStrings = [
        "5000000000000000000", "-9223372036854775807", "9223372036854775807", "1e300", "1e308",
        "NaN", "-NaN", "Infinity", "-inf", "-0", "0x10", " 12 ",
    ]
    /// Times that parse but are absurd, and times that cannot exist.
    public static let times = [
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2018-02-30T00:00:00Z", "2018-13-01T00:00:00Z",
        "2018-12-15T24:61:61Z", "1969-12-31T23:59:59.999999999999Z", "+275760-09-13T00:00:00Z",
    ]

    /// Stands for a lone surrogate escape `\ud800`, which no Swift string can hold: `RawJSON`
    /// turns it into those six characters of JSON text.
    static let loneSurrogateMarker: Unicode.Scalar = "\u{10FFF2}"
    /// 100,000 characters (one per response at most, to keep bodies reasonable).
    public static let longString = String(repeating: "\u{1B}[7m", count: 1) + String(repeating: "W", count: 99_996)

    /// Strings for every text field: terminal escapes (OSC title, clear screen, OSC 52 clipboard
    /// write), C1 controls, DEL, a bidi override, CR LF, NUL and a lone surrogate.
    public static let strings = [
        "\u{1B}]0;pwned\u{07}", "\u{1B}[2J\u{1B}[H", "\u{1B}]52;c;cHduZWQ=\u{07}", "\u{9B}31mred", "\u{9D}0;pwned\u{9C}",
        "del\u{7F}del", "\u{202E}gnp.exe", "line\r\nInjected-Header: yes", "nul\u{0}byte",
        "lone \(loneSurrogateMarker) surrogate", "tab\tand\u{8}backspace", "\u{1B}[31mSuccessful\u{1B}[0m",
    ]

    /// Job ids that must be percent-encoded (`/`, `..`, `?`, `#`, `%`, spaces) into a log URL.
    static let jobIDBases = [
        "../../../etc/passwd", "a/b", "?limit=1", "#top", "100%", "%2F%2e%2e", "id with spaces", "..",
        "\u{1B}]0;pwned\u{07}", "\u{202E}1122",
    ]

    /// The hostile id of the job at `index` in a history (unique per index).
    public static func jobID(_ index: Int) -> String {
        let base = jobIDBases[index % jobIDBases.count]
        return index < jobIDBases.count ? base : "\(base)-\(index)"
    }

    /// The history index of a hostile job id, if it is one.
    static func jobIndex(of id: String) -> Int? {
        (0..<SimWorld.historyDepth).first { jobID($0) == id }
    }

    /// 100,000 `[` then as many `]`.
    public static let deepNesting: [UInt8] = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
}

/// Hands out hostile values in turn from a seeded start, so every value of a list shows up in a
/// response with enough fields, and the long string at most once.
struct HostileCycle {
    private var stringPosition: Int
    private var numberPosition: Int
    private var timePosition: Int
    private var longSent = false

    init(start: Int) { (stringPosition, numberPosition, timePosition) = (start, start, start) }

    mutating func string() -> String {
        stringPosition += 1
        if !longSent, stringPosition % (HostileValues.strings.count + 1) == 0 {
            longSent = true
            return HostileValues.longString
        }
        return HostileValues.strings[stringPosition % HostileValues.strings.count]
    }

    /// An edge number: raw JSON number text or a string, every one of both lists in turn.
    mutating func number() -> JSONValueOrRaw {
        numberPosition += 1
        let raw = HostileValues.rawNumbers
        let k = numberPosition % (raw.count + HostileValues.numberStrings.count)
        return k < raw.count ? .raw(raw[k]) : .string(HostileValues.numberStrings[k - raw.count])
    }

    mutating func time() -> String {
        timePosition += 1
        return HostileValues.times[timePosition % HostileValues.times.count]
    }
}

/// A value for a hostile field: a plain JSON string, or raw JSON text (`RawJSON` splices it in).
enum JSONValueOrRaw {
    case string(String)
    case raw(String)
}
