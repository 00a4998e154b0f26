import Foundation
import SWRAPI

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

/// The moment an answer is made: the wall-clock time, the world's time then, and how the answer
/// writes the world's times.
///
/// The world is planned in world time, which runs `speed` times as fast as the wall clock; at any
/// speed but 1 its clock is ahead of (or behind) the wall clock. The service tells every time in
/// wall-clock time (when it happened, as seen by the person watching), and every span in
/// wall-clock seconds, so a time it reports has happened by the moment of the answer (no age
/// comes out negative) and a job's `created_at` plus its `duration` is never later than now.
struct SimMoment: Sendable {
    let timeline: SimTimeline
    /// The wall-clock time of the answer.
    let wall: Date
    /// The world's time at `wall`: what the answer describes.
    let world: Date

    init(timeline: SimTimeline, wall: Date) {
        self.timeline = timeline
        self.wall = wall
        self.world = timeline.worldTime(at: wall)
    }

    /// A world time as the service writes it (microseconds, UTC): the wall-clock instant the world
    /// reached it, rounded down to the microsecond and never after the answer.
    func stamp(_ time: Date) -> String {
        let seconds = min(timeline.wallTime(of: time), wall).timeIntervalSince1970
        let whole = (seconds * 1_000_000).rounded(.down) / 1_000_000
        return ISO8601.format(Date(timeIntervalSince1970: whole.isFinite ? whole : seconds), fractionDigits: 6)
    }

    /// A world time that may lie ahead (a token's expiry), in wall-clock time.
    func deadline(_ time: Date) -> String {
        ISO8601.format(timeline.wallTime(of: time), fractionDigits: 6)
    }

    /// A span of world seconds as whole wall-clock seconds, rounded down.
    func seconds(_ worldSeconds: Double) -> Int {
        let wallSeconds = timeline.wallSeconds(worldSeconds)
        guard wallSeconds.isFinite, wallSeconds > 0 else { return 0 }
        return Int(min(wallSeconds, Double(Int32.max)).rounded(.down))
    }
}
