import DequeModule
import Foundation
import SWRAPI

/// How many requests may start in any 60-second window: the configured figure, shrunk for a
/// while after the service answers 429 (or sends `Retry-After`), then recovering gradually.
///
/// A value type on the monotonic clock: `record(at:)` notes a start, `canStart(at:)` says whether
/// one more would keep every 60-second window (half-open, `[t, t + 60)`) at or below the limit.
/// A request is admitted only when fewer than `limit(at:)` began in the 60 s before it, so no
/// window of 60 s ever holds more than the configured limit (the effective one never exceeds it).
///
/// Background requests are also paced: a bucket of `burst` starts that refills at the limit's
/// rate. A busy budget then admits them evenly, a few every second, so a request that comes due
/// waits a fraction of a second for room, not for the next burst of starts to leave the window.
public struct RequestBudget: Sendable {
    /// The sliding window, in seconds.
    public static let window: TimeInterval = 60
    /// The limits a setting may take (config `max_requests_per_minute`, `--max-requests-per-minute`).
    public static let allowed: ClosedRange<Int> = Config.maxRequestsPerMinuteRange
    public static let defaultLimit = Config.defaultMaxRequestsPerMinute
    /// After a 429 the limit is this fraction of what it was.
    public static let shrinkFactor = 0.5
    /// A 429 holds the shrunk limit at least this long (longer when `Retry-After` asks).
    public static let minimumHold: TimeInterval = 60
    /// Once the hold ends, the limit climbs back to the configured one over this long.
    public static let recovery: TimeInterval = 300

    /// The configured limit (per 60 s), clamped to `allowed`.
    public let configured: Int
    /// Starts within the last window, oldest first (never more than `configured`).
    private var starts = Deque<WatchInstant>()
    /// The shrunk limit after the latest 429, and until when it holds before recovering.
    private var floor: Double
    private var holdUntil: WatchInstant?
    /// The pacing bucket: how many background starts it held at `paceAt` (nil: full).
    private var paceTokens = 0.0
    private var paceAt: WatchInstant?
    /// Requests admitted in all, and 429 answers seen (for tests and figures).
    public private(set) var admitted = 0
    public private(set) var shrinks = 0

    public init(perMinute: Int) {
        configured = min(Self.allowed.upperBound, max(Self.allowed.lowerBound, perMinute))
        floor = Double(configured)
    }

    /// The effective limit at `now`: the configured one, or less while shrunk; at least 1.
    public func limit(at now: WatchInstant) -> Int {
        guard let holdUntil else { return configured }
        let full = Double(configured)
        let value: Double
        if now < holdUntil {
            value = floor
        } else {
            let progress = (now.seconds(since: holdUntil) / Self.recovery).clamped(to: 0...1)
            value = floor + (full - floor) * progress
        }
        return max(1, min(configured, Int(clampingDouble: value.rounded(.down))))
    }

    /// Whether the limit is shrunk at `now` (after a 429).
    public func isShrunk(at now: WatchInstant) -> Bool { limit(at: now) < configured }

    /// Requests begun in the 60 s before `now` (up to and including it).
    public func used(at now: WatchInstant) -> Int { window(at: now).count }

    /// The positions in `starts` of those in the window that ends at `now`: `starts` is in
    /// order (each start is recorded at its moment on the monotonic clock), so two binary
    /// searches find them; the engine asks this several times a second.
    private func window(at now: WatchInstant) -> Range<Int> {
        let first = firstIndex { now.seconds(since: $0) < Self.window }
        let end = max(first, firstIndex { $0 > now })
        return first..<end
    }

    /// The first position in `starts` where `isPast` holds (it holds from some position on).
    private func firstIndex(where isPast: (WatchInstant) -> Bool) -> Int {
        var low = 0
        var high = starts.count
        while low < high {
            let middle = low + (high - low) / 2
            if isPast(starts[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Room kept free for the focused stage, its pipeline's detail and the open log: the rest
    /// may not start while fewer than this many starts are left in the window (a twentieth of
    /// the limit, at least 1, less than the limit). The foreground's own starts count as used,
    /// so the rest gets what the foreground leaves, less this room.
    public func reserve(at now: WatchInstant) -> Int {
        let limit = limit(at: now)
        return min(limit - 1, max(1, limit / 20))
    }

    /// The most background starts the pacing bucket holds: a twentieth of the limit, at least 1.
    public var burst: Int { max(1, configured / 20) }

    /// Background starts the pacing bucket holds at `now` (it refills at the limit's rate).
    public func paceTokens(at now: WatchInstant) -> Double {
        guard let paceAt else { return Double(burst) }
        let refilled = max(0, now.seconds(since: paceAt)) * paceRate(at: now)
        return min(Double(burst), paceTokens + refilled)
    }

    /// Background starts a second the bucket refills by: the limit spread over the window.
    private func paceRate(at now: WatchInstant) -> Double { Double(limit(at: now)) / Self.window }

    /// Whether one more request may start at `now`, leaving `reserve` of the limit unused; a
    /// `paced` (background) one also needs a start in the pacing bucket.
    public func canStart(at now: WatchInstant, reserve: Int = 0, paced: Bool = false) -> Bool {
        guard used(at: now) < limit(at: now) - max(0, reserve) else { return false }
        return !paced || paceTokens(at: now) >= 1
    }

    /// When the next request may start (leaving `reserve` unused, and `paced` as in
    /// `canStart`), `now` when at once. While shrunk and recovering, the limit also grows:
    /// checked again at least every second then.
    public func nextStart(after now: WatchInstant, reserve: Int = 0, paced: Bool = false) -> WatchInstant {
        let inWindow = window(at: now)
        let limit = max(1, limit(at: now) - max(0, reserve))
        var next = now
        if inWindow.count >= limit {
            // The oldest start that must leave the window for one more to fit.
            next = starts[inWindow.upperBound - limit].adding(Self.window)
            if let holdUntil, limit < configured { next = min(next, max(holdUntil, now.adding(1))) }
        }
        let tokens = paced ? paceTokens(at: now) : 1
        if tokens < 1 { next = max(next, now.adding((1 - tokens) / paceRate(at: now))) }
        return next > now ? max(next, now.adding(0.000_001)) : now
    }

    /// Notes a request started at `now` (and forgets those that left the window); a `paced`
    /// one takes a start from the pacing bucket.
    public mutating func record(at now: WatchInstant, paced: Bool = false) {
        if paced {
            paceTokens = max(0, paceTokens(at: now) - 1)
            paceAt = now
        }
        while let first = starts.first, !Self.inWindow(first, now: now), first <= now { starts.removeFirst() }
        // Kept in order even if a caller's clock stepped back (the window's searches rely on it).
        if let last = starts.last, now < last {
            starts.insert(now, at: firstIndex { $0 > now })
        } else {
            starts.append(now)
        }
        // Never more than the configured limit are needed to decide; an admitted start beyond
        // it (none, when every start is admitted through `canStart`) would only be forgotten.
        if starts.count > configured { starts.removeFirst(starts.count - configured) }
        admitted = admitted.addingSaturating(1)
    }

    /// The service said 429 (with `Retry-After` seconds, maybe): the limit halves from what it
    /// is now and stays there until at least `Retry-After` (and a minute) has passed, then
    /// recovers over `recovery` seconds. A hostile `Retry-After` (NaN, negative, huge) is
    /// clamped to 0...3600 s.
    public mutating func rateLimited(retryAfter: TimeInterval?, at now: WatchInstant) {
        let current = Double(limit(at: now))
        floor = max(1, (current * Self.shrinkFactor).rounded(.down))
        let asked = (retryAfter ?? 0).isNaN ? 3600 : (retryAfter ?? 0).clamped(to: 0...3600)
        let hold = max(Self.minimumHold, asked)
        let until = now.adding(hold)
        holdUntil = max(holdUntil ?? until, until)
        shrinks = shrinks.addingSaturating(1)
    }

    /// Whether `start` lies in the 60 s window that ends at `now`.
    static func inWindow(_ start: WatchInstant, now: WatchInstant) -> Bool {
        start <= now && now.seconds(since: start) < window
    }
}
