import Foundation

/// Arithmetic of the screen and the script modes on numbers it does not control (a job's progress, duration and
/// log count, dates, sizes and positions kept in the public state): never a trap. Every
/// `Double` → `Int` conversion in SWRTopUI goes through `int(_:)`, and a sum, difference or
/// product of such numbers through `add`, `sub` and `mul`, which stop at the ends of `Int`.
public enum Checked {
    /// The most columns (or rows) the screen code ever builds a string or a frame for: a bound
    /// far above any terminal, so a hostile width can never ask for a gigantic allocation.
    public static let maxColumns = 4_096

    /// `value` rounded toward zero and clamped to `range`; `nil` for NaN. Infinities go to
    /// the nearer end. (`Int(someDouble)` traps on NaN, infinity and anything out of range.)
    public static func int(_ value: Double, in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        if value.isNaN { return nil }
        // `Double(range.upperBound)` may round up to a value that is itself out of range:
        // compare with `>=` so that value never reaches `Int(_:)`.
        if value >= Double(range.upperBound) { return range.upperBound }
        if value <= Double(range.lowerBound) { return range.lowerBound }
        return min(max(Int(value), range.lowerBound), range.upperBound)
    }

    /// Whole seconds from `start` to `end` (negative when `end` is earlier), clamped to
    /// ±`limit`; `nil` when either date is not a finite time.
    public static func seconds(from start: Date, to end: Date, limit: Int = 1 << 53) -> Int? {
        int(end.timeIntervalSince(start), in: -limit...limit)
    }

    /// `a + b`, stopping at `Int.min` / `Int.max`.
    public static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `a - b`, stopping at `Int.min` / `Int.max`.
    public static func sub(_ a: Int, _ b: Int) -> Int {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b > 0 ? .min : .max) : difference
    }

    /// `a * b`, stopping at `Int.min` / `Int.max`.
    public static func mul(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) == (b < 0) ? .max : .min) : product
    }

    /// A count for `String(repeating:count:)` / `Array(repeating:count:)`: never negative,
    /// never more than `maxColumns`.
    public static func count(_ n: Int) -> Int { min(max(0, n), maxColumns) }

    /// `value` limited to `0...upper` (`0` when `upper` is negative).
    public static func clamp(_ value: Int, _ upper: Int) -> Int { min(max(0, value), max(0, upper)) }
}
