/// The ranges of the simulator's numeric settings (`swr-top sim` and `--demo` flags), checked
/// before anything starts: a value out of range, infinite or NaN is refused with the flag's name.
public enum SimulatorLimits {
    public static let pipelines = 1...2000
    public static let busyPipelines = 0...2000
    public static let tokenLifetime = 1.0...31_536_000
    public static let port = 0...65535
    public static let maxSpeed = 1000.0

    /// `--speed`: simulated seconds per real second, above 0 and at most 1000.
    public static func checkSpeed(_ speed: Double) throws(SimulatorLimitError) {
        guard speed.isFinite, speed > 0, speed <= maxSpeed else {
            throw SimulatorLimitError(message: "--speed must be a finite number above 0 and at most 1000")
        }
    }

    public static func check(_ value: Double, in range: ClosedRange<Double>, flag: String) throws(SimulatorLimitError) {
        guard value.isFinite, range.contains(value) else {
            throw SimulatorLimitError(message: "\(flag) must be a finite number between \(plain(range.lowerBound)) and \(plain(range.upperBound))")
        }
    }

    public static func check(_ value: Int, in range: ClosedRange<Int>, flag: String) throws(SimulatorLimitError) {
        guard range.contains(value) else {
            throw SimulatorLimitError(message: "\(flag) must be between \(range.lowerBound) and \(range.upperBound)")
        }
    }

    private static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// A simulator setting out of its range; the message names the flag.
public struct SimulatorLimitError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
