import Foundation
@testable import SWRAPI
@testable import SWRExport
@testable import SWRWatch

/// Two pipelines, fixed times.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let pipelines = [
        PipelineInfo(id: 11, name: "tomcat-release", stages: [StageInfo(index: 0, name: "build"), StageInfo(index: 1, name: "deploy")]),
        PipelineInfo(id: 12, name: "nginx", stages: [StageInfo(index: 0, name: "build")]),
    ]
    static let build = Target(pipeline: 11, stage: 0)
    static let deploy = Target(pipeline: 11, stage: 1)
    static let nginx = Target(pipeline: 12, stage: 0)
    static let schedule = PollSchedule(baseInterval: 3)

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func job(_ id: String, _ state: JobState, progress: Int? = nil, duration: Int? = nil, created: Double = -60) -> Job {
        Job(id: id, state: state, rawState: state.displayName, progress: progress, duration: duration, createdAt: at(created))
    }

    static func result(_ target: Target, _ jobs: [Job], at seconds: Double) -> PollResult {
        PollResult(target: target, outcome: .success(jobs), startedAt: at(seconds - 0.25), endedAt: at(seconds), nextPollAt: at(seconds + 3))
    }

    static func failure(_ target: Target, _ error: SWRError, at seconds: Double) -> PollResult {
        PollResult(target: target, outcome: .failure(error), startedAt: at(seconds - 0.25), endedAt: at(seconds), nextPollAt: at(seconds + 3), failureStreak: 1)
    }

    static func metrics(_ pipelines: [PipelineInfo] = Fixture.pipelines) -> ExportMetrics {
        ExportMetrics(pipelines: pipelines, schedule: schedule, startedAt: t0)
    }

    static func labels(_ target: Target) -> [Label] {
        let pipeline = pipelines.first { $0.id == target.pipeline }!
        return LabelText.stage(pipeline, pipeline.stages.first { $0.index == target.stage }!)
    }
}

extension [MetricUpdate] {
    /// The counter increments of `family`, by label set.
    func added(_ family: MetricFamily) -> [[Label]: Int] {
        var sums: [[Label]: Int] = [:]
        for case .add(let f, let labels, let amount) in self where f == family { sums[labels, default: 0] += amount }
        return sums
    }

    func observed(_ family: MetricFamily) -> [Double] {
        compactMap { if case .observe(let f, _, let value) = $0, f == family { return value } else { return nil } }
    }

    func gauges(_ family: MetricFamily) -> [[Label]: Double] {
        var values: [[Label]: Double] = [:]
        for case .set(let f, let labels, let value) in self where f == family { values[labels] = value }
        return values
    }

    func removed(_ family: MetricFamily) -> [[Label]] {
        compactMap { if case .remove(let f, let labels) = $0, f == family { return labels } else { return nil } }
    }
}

/// The samples of an exposition: `name{labels} value` lines, by series text.
struct Exposition {
    var lines: [String]

    init(_ bytes: [UInt8]) {
        lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    var samples: [String] { lines.filter { !$0.hasPrefix("#") } }

    /// The value of the one sample whose series text starts with `prefix` and holds every `part`.
    func value(_ name: String, _ parts: String...) -> Double? {
        let matching = samples.filter { line in
            (line.hasPrefix(name + "{") || line.hasPrefix(name + " ")) && parts.allSatisfy { line.contains($0) }
        }
        guard matching.count == 1, let last = matching[0].split(separator: " ").last else { return nil }
        return Double(last)
    }

    func count(_ name: String) -> Int {
        samples.filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }.count
    }
}
