import Foundation
import SWRWatch

/// The requests per minute the exporter will make of the SWR API, from the number of stages and
/// pipelines and the schedule: at most (every stage's newest job running, each stage polled at
/// the base interval) and once every stage has settled (polled at the settled interval); both
/// include the run-status calls (each pipeline's detail once per `detailInterval`).
public struct RequestRate: Sendable, Equatable {
    public var stages: Int
    public var pipelines: Int
    /// A stage's interval while its newest job runs, and once settled, in seconds.
    public var runningInterval: TimeInterval
    public var settledInterval: TimeInterval
    public var detailInterval: TimeInterval

    public init(stages: Int, pipelines: Int, schedule: PollSchedule, detailInterval: TimeInterval) {
        var uniform = schedule
        uniform.uniform = true
        self.stages = stages
        self.pipelines = pipelines
        runningInterval = uniform.interval(level: .focused, settled: false)
        settledInterval = uniform.interval(level: .focused, settled: true)
        self.detailInterval = detailInterval
    }

    /// Run-status calls per minute.
    public var detailsPerMinute: Double { Double(pipelines) * 60 / detailInterval }
    /// Requests per minute while every stage runs: the worst case.
    public var busyPerMinute: Double { Double(stages) * 60 / runningInterval + detailsPerMinute }
    /// Requests per minute once every stage has settled.
    public var settledPerMinute: Double { Double(stages) * 60 / settledInterval + detailsPerMinute }

    /// `polling 17 stages of 5 pipelines: at most 345 requests/min to the SWR API while every
    /// stage runs (each every 3s), 90/min once all have settled (each every 12s); both count 5/min
    /// of run-status calls (each pipeline every 60s)`.
    public var sentence: String {
        let stagesText = stages == 1 ? "1 stage" : "\(stages) stages"
        let pipelinesText = pipelines == 1 ? "1 pipeline" : "\(pipelines) pipelines"
        return "polling \(stagesText) of \(pipelinesText): at most \(Self.number(busyPerMinute)) requests/min to the SWR API "
            + "while every stage runs (each every \(Self.seconds(runningInterval))), \(Self.number(settledPerMinute))/min once all have settled "
            + "(each every \(Self.seconds(settledInterval))); both count \(Self.number(detailsPerMinute))/min of run-status calls "
            + "(each pipeline every \(Self.seconds(detailInterval)))"
    }

    /// A rate with at most one decimal, none when whole.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    static func seconds(_ value: TimeInterval) -> String { number(value) + "s" }
}
