import Foundation

// Arithmetic that cannot trap, for numbers that come from the service (or from anyone who
// builds a `Job` by hand) and for intervals between arbitrary dates. Every conversion from
// `Double` to an integer in SWRWatch goes through `init(clampingDouble:)`.

extension FixedWidthInteger {
    /// `value` rounded toward zero and clamped to this type's range; NaN becomes `nanValue`.
    /// (`Int(someDouble)` traps on NaN, infinity, and anything outside the range.)
    init(clampingDouble value: Double, nanValue: Self = 0) {
        if value.isNaN {
            self = nanValue
        } else if value >= Double(Self.max) {
            // `Double(Self.max)` rounds up to a power of two that is itself out of range.
            self = .max
        } else if value <= Double(Self.min) {
            self = .min
        } else {
            self.init(value)
        }
    }

    /// `self + other`, stopping at the ends of the range instead of trapping.
    func addingSaturating(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self - other`, stopping at the ends of the range instead of trapping.
    func subtractingSaturating(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other > 0 ? .min : .max
    }

    /// `self * other`, stopping at the ends of the range instead of trapping.
    func multipliedSaturating(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }

    /// The mean of two values rounded toward zero, without overflow for any pair.
    static func midpoint(_ a: Self, _ b: Self) -> Self {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if !overflow { return sum / 2 }
        // Only same-signed values overflow; halving each first is then exact up to one unit.
        return a / 2 + b / 2 + (a % 2 + b % 2) / 2
    }
}

extension Double {
    /// This value limited to `range`; NaN becomes the range's lower bound.
    func clamped(to range: ClosedRange<Double>) -> Double {
        if isNaN { return range.lowerBound }
        return Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
