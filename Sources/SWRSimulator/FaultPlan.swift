/// Which share of responses the simulator spoils, and how. Decisions are seeded by the request's
/// number, so the same seed and the same request order give the same faults.
public struct FaultPlan: Sendable, Equatable {
    /// 500, 502 or 503 with an SWR-style error body.
    public var serverErrorRate = 0.0
    /// 429 with `Retry-After`.
    public var rateLimitRate = 0.0
    /// Answers only after `slowSeconds` (longer than a client's timeout).
    public var slowRate = 0.0
    /// A body cut in the middle.
    public var truncateRate = 0.0
    /// An HTML error page instead of JSON (with status 200, as some proxies do).
    public var nonJSONRate = 0.0
    /// The connection is closed without an answer.
    public var dropRate = 0.0
    /// Latency added to every answer, in milliseconds, plus a random part up to `jitterMilliseconds`.
    public var latencyMilliseconds = 0
    public var jitterMilliseconds = 0
    /// Share of log entries whose nested `content` string is not valid JSON (cut short). Decided
    /// per entry, so the same entry is spoilt on every request.
    public var badLogRate = 0.0
    public var slowSeconds = 30.0
    public var retryAfterSeconds = 2

    public init() {}

    /// No faults at all.
    public static let none = FaultPlan()

    /// `rate` of responses spoilt, spread evenly over every kind.
    public static func all(_ rate: Double) -> FaultPlan {
        var plan = FaultPlan()
        let each = rate / 6
        plan.serverErrorRate = each
        plan.rateLimitRate = each
        plan.slowRate = each
        plan.truncateRate = each
        plan.nonJSONRate = each
        plan.dropRate = each
        return plan
    }

    /// Parses `all=0.3` or `500=0.1,429=0.05,slow=0.02,truncate=0.02,html=0.02,drop=0.02,bad-log=0.1,latency=50,jitter=200,slow-seconds=15,retry-after=3`.
    public static func parse(_ spec: String) throws -> FaultPlan {
        var plan = FaultPlan()
        for item in spec.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]), value >= 0 else {
                throw FaultSpecError(message: "'\(item)': expected name=number")
            }
            func rate() throws -> Double {
                guard value <= 1 else { throw FaultSpecError(message: "'\(item)': a rate is between 0 and 1") }
                return value
            }
            switch parts[0] {
            case "all": let keep = plan; plan = .all(try rate()); plan.latencyMilliseconds = keep.latencyMilliseconds; plan.jitterMilliseconds = keep.jitterMilliseconds
            case "5xx", "500", "error": plan.serverErrorRate = try rate()
            case "429", "rate-limit": plan.rateLimitRate = try rate()
            case "slow": plan.slowRate = try rate()
            case "truncate": plan.truncateRate = try rate()
            case "html", "non-json": plan.nonJSONRate = try rate()
            case "drop": plan.dropRate = try rate()
            case "bad-log": plan.badLogRate = try rate()
            case "latency": plan.latencyMilliseconds = Int(value)
            case "jitter": plan.jitterMilliseconds = Int(value)
            case "slow-seconds": plan.slowSeconds = value
            case "retry-after": plan.retryAfterSeconds = Int(value)
            default:
                throw FaultSpecError(message: "unknown fault '\(parts[0])' (known: all, 5xx, 429, slow, truncate, html, drop, bad-log, latency, jitter, slow-seconds, retry-after)")
            }
        }
        let total = plan.serverErrorRate + plan.rateLimitRate + plan.slowRate + plan.truncateRate + plan.nonJSONRate + plan.dropRate
        guard total <= 1.000_001 else { throw FaultSpecError(message: "the fault rates add up to more than 1") }
        return plan
    }

    /// The fault for one request, from a roll in `0..<1`.
    func pick(_ roll: Double) -> Fault? {
        var edge = 0.0
        for (rate, fault) in [(serverErrorRate, Fault.serverError), (rateLimitRate, .rateLimited), (slowRate, .slow),
                              (truncateRate, .truncated), (nonJSONRate, .nonJSON), (dropRate, .dropped)] {
            edge += rate
            if roll < edge { return fault }
        }
        return nil
    }
}

/// One kind of spoilt response.
public enum Fault: String, Sendable, CaseIterable {
    case serverError, rateLimited, slow, truncated, nonJSON, dropped
}

/// A `--faults` value that cannot be read.
public struct FaultSpecError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
