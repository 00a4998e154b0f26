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

    /// Hostile answers (`HostileFault`), each a share of responses.
    public var extremeRate = 0.0
    public var escapeRate = 0.0
    public var redirectRate = 0.0
    public var stallRate = 0.0
    public var hugeRate = 0.0
    public var deepRate = 0.0
    /// How long a stalled answer holds its connection (ended early when the server stops).
    public var stallSeconds = 300.0
    /// Size of a huge body in MiB.
    public var hugeMebibytes = 64

    public init() {}

    /// No faults at all.
    public static let none = FaultPlan()

    /// `rate` of responses spoilt, spread evenly over the six kinds of `Fault`.
    public static func all(_ rate: Double) -> FaultPlan {
        var plan = FaultPlan()
        plan.setAll(rate)
        return plan
    }

    /// `rate` of responses made hostile, spread evenly over the six kinds of `HostileFault`.
    public static func hostile(_ rate: Double) -> FaultPlan {
        var plan = FaultPlan()
        plan.setHostile(rate)
        return plan
    }

    mutating func setAll(_ rate: Double) {
        let each = rate / 6
        (serverErrorRate, rateLimitRate, slowRate, truncateRate, nonJSONRate, dropRate) = (each, each, each, each, each, each)
    }

    mutating func setHostile(_ rate: Double) {
        let each = rate / 6
        (extremeRate, escapeRate, redirectRate, stallRate, hugeRate, deepRate) = (each, each, each, each, each, each)
    }

    /// The share of responses spoilt by a `Fault`.
    var classicTotal: Double { serverErrorRate + rateLimitRate + slowRate + truncateRate + nonJSONRate + dropRate }

    /// The rate of each hostile kind, in `HostileFault.allCases` order.
    var hostileRates: [(HostileFault, Double)] {
        [(.extreme, extremeRate), (.escape, escapeRate), (.redirect, redirectRate), (.stall, stallRate), (.huge, hugeRate), (.deep, deepRate)]
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

    /// The hostile fault for one request, from a roll in `0..<1`; the hostile shares come after
    /// the classic ones (`start`, their total), so adding them changes no classic decision.
    func pickHostile(_ roll: Double, after start: Double) -> HostileFault? {
        var edge = start
        for (fault, rate) in hostileRates {
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
