/// The bounds every value from the service is held to, checked once where it enters (decoding,
/// `Job`'s initialiser), so no later code needs to distrust a number or a length.
///
/// Out-of-range numbers become absent (shown as `–`), never clamped into a lie; text is cut with
/// `…`. Bodies are capped by the transport (`maxBodyBytes`).
public enum ServerLimits {
    /// The longest duration believed: 10 years, in seconds.
    public static let maxDuration = 315_360_000
    /// The largest count believed (log entries, totals in `Content-Range`).
    public static let maxCount = 100_000_000
    /// Text fields (resource, names, creator) keep at most this many Unicode scalars.
    public static let maxTextLength = 512
    /// Job ids keep at most this many scalars.
    public static let maxIDLength = 128
    /// A state word keeps at most this many scalars.
    public static let maxStateLength = 64
    /// A log message keeps at most this many scalars.
    public static let maxLogMessageLength = 8192
    /// Stages read from a pipeline detail (the config allows at most 64).
    public static let maxStages = 64
    /// The largest response body read; a larger one is an error that says so.
    public static let maxBodyBytes = 8 * 1024 * 1024

    /// `value` when it is a percentage (0...100), else `nil`.
    @inline(__always)
    public static func progress(_ value: Int?) -> Int? {
        guard let value, value >= 0, value <= 100 else { return nil }
        return value
    }

    /// `value` when it is a believable duration in seconds, else `nil`.
    @inline(__always)
    public static func duration(_ value: Int?) -> Int? {
        guard let value, value >= 0, value <= maxDuration else { return nil }
        return value
    }

    /// `text` cut to at most `max` Unicode scalars (the last one `…` when cut). Counting scalars,
    /// not characters, bounds the work even for a "character" of a million combining marks.
    public static func text(_ text: String, max: Int = maxTextLength) -> String {
        if text.utf8.count <= max { return text }
        guard max > 1 else { return max == 1 ? "…" : "" }
        var scalars = text.unicodeScalars.makeIterator()
        var out = String.UnicodeScalarView()
        for _ in 0..<(max - 1) {
            guard let scalar = scalars.next() else { return text }
            out.append(scalar)
        }
        // `max - 1` taken: the text fits when at most one scalar is left.
        guard scalars.next() != nil, scalars.next() != nil else { return text }
        out.append("…")
        return String(out)
    }
}
