import Foundation

/// The simulator's two clocks: the wall clock, and the world's, which starts at `origin` with
/// the wall clock and runs `speed` times as fast (`--speed`).
///
/// The world (`SimWorld`) is planned in its own time; this maps between the two.
public struct SimTimeline: Sendable, Equatable {
    public let origin: Date
    /// World seconds per wall-clock second.
    public let speed: Double

    public init(origin: Date, speed: Double = 1) {
        self.origin = origin
        self.speed = speed
    }

    /// The world's time at a wall-clock instant.
    public func worldTime(at wall: Date) -> Date {
        speed == 1 ? wall : origin.addingTimeInterval(wall.timeIntervalSince(origin) * speed)
    }

    /// The wall-clock instant at which the world is at `world`.
    public func wallTime(of world: Date) -> Date {
        speed == 1 ? world : origin.addingTimeInterval(world.timeIntervalSince(origin) / speed)
    }

    /// A span of world seconds, in wall-clock seconds.
    public func wallSeconds(_ worldSeconds: Double) -> Double {
        speed == 1 ? worldSeconds : worldSeconds / speed
    }
}
