import Foundation
import SWRAPI

/// What a stage looks like now, derived from the store: its newest job, how far along it is,
/// and when it should end.
public struct StageSummary: Sendable, Equatable {
    public var target: Target
    /// The newest job (the stage's current or last execution).
    public var current: Job?
    /// The newest Building job, which `eta` and `isSlow` are about (a newer job may be queued).
    public var active: Job?
    public var progress: Int?
    /// Seconds the current job has run (its duration).
    public var elapsed: Int?
    /// Seconds until the current Building job should finish; `nil` when unknown.
    public var eta: TimeInterval?
    /// The median duration of the stage's recent successful jobs.
    public var usualDuration: Int?
    /// The current job is building for longer than usual.
    public var isSlow: Bool
    public var isStale: Bool
    public var error: SWRError?

    public var state: JobState? { current?.state }
}

extension HistoryStore {
    /// Recent successful jobs considered for the usual duration.
    public static let usualSample = 10

    public func summary(_ target: Target, now: Date) -> StageSummary {
        let record = stages[target]
        let jobs = record?.jobs ?? []
        let current = jobs.first
        let usual = Self.median(jobs.lazy.filter { $0.state == .successful }.compactMap(\.duration).prefix(Self.usualSample))
        var eta: TimeInterval?
        var slow = false
        let active = jobs.prefix(5).first { $0.state == .building }
        if let active {
            eta = rateETA(target, job: active, now: now)
            if eta == nil, let usual, let elapsed = active.duration {
                let remaining = Double(usual - elapsed)
                eta = remaining >= 0 ? remaining : nil
            }
            if let usual, let elapsed = active.duration, usual > 0, elapsed > usual { slow = true }
        }
        return StageSummary(
            target: target, current: current, active: active, progress: current?.displayProgress, elapsed: current?.duration, eta: eta,
            usualDuration: usual, isSlow: slow, isStale: record?.isStale ?? false, error: record?.error
        )
    }

    /// ETA from the observed progress rate of a Building job (needs two observations with
    /// rising progress).
    func rateETA(_ target: Target, job: Job, now: Date) -> TimeInterval? {
        let building = timeline(target, jobID: job.id).filter { $0.state == .building && $0.progress != nil }
        guard let first = building.first, let last = building.last,
              let p0 = first.progress, let p1 = last.progress, p1 > p0, p1 < 100 else { return nil }
        let seconds = last.at.timeIntervalSince(first.at)
        guard seconds > 0 else { return nil }
        let rate = Double(p1 - p0) / seconds
        return max(0, Double(100 - p1) / rate - now.timeIntervalSince(last.at))
    }

    static func median<S: Sequence>(_ values: S) -> Int? where S.Element == Int {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The stage of a pipeline whose newest job is running or waiting (the furthest along),
    /// and the run's overall progress (0...1): finished stages count whole, the running one by
    /// its progress.
    public func pipelineProgress(pipeline: Int, stages indexes: [Int]) -> (running: Int?, fraction: Double) {
        guard !indexes.isEmpty else { return (nil, 0) }
        let currents = indexes.map { stages[Target(pipeline: pipeline, stage: $0)]?.jobs.first }
        if let position = currents.lastIndex(where: { $0.map { !$0.state.isFinal } ?? false }) {
            let progress = Double(currents[position]?.displayProgress ?? 0) / 100
            return (indexes[position], (Double(position) + progress) / Double(indexes.count))
        }
        let succeeded = currents.prefix { $0?.state == .successful }.count
        return (nil, Double(succeeded) / Double(indexes.count))
    }
}
