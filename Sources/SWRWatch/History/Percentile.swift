/// Percentiles of a sample, by linear interpolation between the closest ranks (the method
/// spreadsheets call PERCENTILE.INC, and numpy's default): p50 of 10 and 20 is 15; p90 of
/// 1...10 is 9.1; a single value is every percentile of itself.
public enum Percentile {
    /// The `p`-th percentile (0...100, held to that range) of `values`; `nil` when empty.
    public static func of(_ values: [Int], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        return of(sorted: values.sorted(), p)
    }

    /// The same, for values already sorted ascending.
    public static func of(sorted values: [Int], _ p: Double) -> Double? {
        guard let first = values.first else { return nil }
        guard values.count > 1 else { return Double(first) }
        let rank = Double(values.count - 1) * min(max(p, 0), 100) / 100
        let low = Int(rank.rounded(.down))
        let high = min(low + 1, values.count - 1)
        let fraction = rank - Double(low)
        // In Double: no Int overflow whatever the durations.
        return Double(values[low]) + fraction * (Double(values[high]) - Double(values[low]))
    }
}

/// A stage's usual duration: p50 and p90 of its last successful jobs, in seconds. The basis of
/// the ETA (p50) and of the "slower than usual" mark (beyond p90).
public struct UsualDuration: Sendable, Equatable {
    /// How many successful jobs it was taken from (at most the number asked for).
    public var samples: Int
    public var p50: Double
    public var p90: Double

    public init(samples: Int, p50: Double, p90: Double) {
        self.samples = samples
        self.p50 = p50
        self.p90 = p90
    }

    /// From the durations (seconds) of successful jobs; `nil` when there are none.
    public init?(durations: [Int]) {
        let sorted = durations.sorted()
        guard let p50 = Percentile.of(sorted: sorted, 50), let p90 = Percentile.of(sorted: sorted, 90) else { return nil }
        self.init(samples: sorted.count, p50: p50, p90: p90)
    }
}
