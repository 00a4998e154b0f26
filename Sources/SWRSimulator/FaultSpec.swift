extension FaultPlan {
    /// Every name `parse` knows, for the error message and the help text.
    public static let specNames = "all, hostile, 5xx, 429, slow, truncate, html, drop, bad-log, extreme, escape, redirect, stall, huge, deep, "
        + "latency, jitter, slow-seconds, retry-after, stall-seconds, huge-mib"

    /// Parses `all=0.3`, `hostile=0.3`, or a list such as
    /// `5xx=0.1,429=0.05,slow=0.02,truncate=0.02,html=0.02,drop=0.02,bad-log=0.1,extreme=0.05,escape=0.05,`
    /// `redirect=0.02,stall=0.01,huge=0.01,deep=0.01,latency=50,jitter=200,slow-seconds=15,retry-after=3,stall-seconds=300,huge-mib=64`.
    /// `all` sets the six classic rates, `hostile` the six hostile ones; nothing else is reset.
    /// Every number must be finite and in its range (a rate in 0...1, the rates adding up to at most 1).
    public static func parse(_ spec: String) throws(FaultSpecError) -> FaultPlan {
        var plan = FaultPlan()
        for item in spec.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else {
                throw FaultSpecError(message: "'\(item)': expected name=number")
            }
            guard value.isFinite else { throw FaultSpecError(message: "'\(item)': the number must be finite") }
            func number(_ range: ClosedRange<Double>, _ what: String) throws(FaultSpecError) -> Double {
                guard range.contains(value) else {
                    throw FaultSpecError(message: "'\(item)': \(what) is between \(Self.plain(range.lowerBound)) and \(Self.plain(range.upperBound))")
                }
                return value
            }
            func rate() throws(FaultSpecError) -> Double { try number(0...1, "a rate") }
            switch parts[0] {
            case "all": plan.setAll(try rate())
            case "hostile": plan.setHostile(try rate())
            case "5xx", "500", "error": plan.serverErrorRate = try rate()
            case "429", "rate-limit": plan.rateLimitRate = try rate()
            case "slow": plan.slowRate = try rate()
            case "truncate": plan.truncateRate = try rate()
            case "html", "non-json": plan.nonJSONRate = try rate()
            case "drop": plan.dropRate = try rate()
            case "bad-log": plan.badLogRate = try rate()
            case "extreme": plan.extremeRate = try rate()
            case "escape": plan.escapeRate = try rate()
            case "redirect": plan.redirectRate = try rate()
            case "stall": plan.stallRate = try rate()
            case "huge": plan.hugeRate = try rate()
            case "deep": plan.deepRate = try rate()
            case "latency": plan.latencyMilliseconds = Int(try number(0...60_000, "latency (ms)"))
            case "jitter": plan.jitterMilliseconds = Int(try number(0...60_000, "jitter (ms)"))
            case "slow-seconds": plan.slowSeconds = try number(0...3600, "slow-seconds")
            case "retry-after": plan.retryAfterSeconds = Int(try number(0...3600, "retry-after"))
            case "stall-seconds": plan.stallSeconds = try number(0...3600, "stall-seconds")
            case "huge-mib": plan.hugeMebibytes = Int(try number(1...1024, "huge-mib"))
            default:
                throw FaultSpecError(message: "unknown fault '\(parts[0])' (known: \(specNames))")
            }
        }
        let total = plan.classicTotal + plan.hostileRates.reduce(0) { $0 + $1.1 }
        guard total <= 1.000_001 else { throw FaultSpecError(message: "the fault rates add up to more than 1") }
        return plan
    }

    /// `60000` rather than `60000.0` in messages.
    private static func plain(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
