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
    /// The stage's usual duration, in seconds: p50 of its last successful jobs across sessions
    /// when the history file gave them (`usual`), else the median of the recent ones in memory.
    public var usualDuration: Int?
    /// p50 and p90 of the stage's newest successful jobs across sessions (the history file's,
    /// with those seen since); `nil` without history.
    public var usual: UsualDuration?
    /// The current job is building for longer than usual (beyond p90 with history, else beyond
    /// the median).
    public var isSlow: Bool
    /// The jobs (and so progress, "usual" and the ETA) come from an earlier session: no poll of
    /// this one has confirmed them yet. When that session last saw them.
    public var fromHistory: Date?
    public var isStale: Bool
    public var error: SWRError?

    public var state: JobState? { current?.state }
}

extension HistoryStore {
    /// Recent successful jobs considered for the usual duration (without history).
    public static let usualSample = 10
    /// Successful jobs across sessions that "usual" is taken from (with history).
    public static let usualHistorySamples = 20
    /// The longest ETA reported (10 years, in seconds): anything longer is shown as this, so a
    /// reader may round it to an `Int` safely.
    public static let maxETA: TimeInterval = 315_360_000

    // Every number here may come from a server or a hand-built `Job`: sums and differences are
    // taken in `Double` or with overflow checks, percentages are clamped to 0...100, negative
    // durations are ignored, and an ETA is finite and in `0...maxETA` or absent.

    public func summary(_ target: Target, now: Date) -> StageSummary {
        let record = stages[target]
        let jobs = record?.jobs ?? []
        let current = jobs.first
        let historic = record?.usualBasis.flatMap { UsualDuration(durations: $0.map(\.duration)) }
        let usual = historic.map { Checked.int($0.p50.rounded()) ?? ServerLimits.maxDuration } ?? Self.median(Self.recentSuccesses(jobs))
        // Slower than usual: beyond p90 with history, else beyond the median.
        let slowAfter = historic.map { Checked.int($0.p90.rounded()) ?? ServerLimits.maxDuration } ?? usual
        var eta: TimeInterval?
        var slow = false
        let active = jobs.prefix(5).first { $0.state == .building }
        if let active {
            // The timeline as kept (no copy): summaries are asked for on every frame.
            // The latest answer counts as an observation: the timeline keeps no row for a
            // poll that saw only the clock move, but that poll still says the progress stood.
            eta = Self.rateETA(observations(target, jobID: active.id), latest: record?.lastGoodPoll.map { Observation(active, at: $0) }, now: now)
            if eta == nil, let usual, let elapsed = active.duration {
                let remaining = Double(usual) - Double(max(0, elapsed))
                eta = remaining >= 0 ? Self.boundedETA(remaining) : nil
            }
            if let slowAfter, let elapsed = active.duration, slowAfter > 0, elapsed > slowAfter { slow = true }
        }
        return StageSummary(
            target: target, current: current, active: active, progress: current?.displayProgress, elapsed: current?.duration, eta: eta,
            usualDuration: usual, usual: historic, isSlow: slow, fromHistory: record?.fromHistory, isStale: record?.isStale ?? false, error: record?.error
        )
    }

    /// The durations (not negative) of the newest `usualSample` successful jobs, newest first:
    /// "usual" without history. A plain loop (the summary is asked for every stage on every frame).
    static func recentSuccesses(_ jobs: [Job]) -> [Int] {
        var durations: [Int] = []
        durations.reserveCapacity(usualSample)
        for job in jobs where job.state == .successful {
            guard let duration = job.duration, duration >= 0 else { continue }
            durations.append(duration)
            if durations.count == usualSample { break }
        }
        return durations
    }

    /// ETA from the observed progress rate of a Building job (needs two observations with
    /// rising progress, taken at rising wall-clock times). `latest`: the job as the latest answer
    /// showed it, which stands for the timeline's last row when it says the same (a later time).
    static func rateETA(_ timeline: some BidirectionalCollection<Observation>, latest: Observation? = nil, now: Date) -> TimeInterval? {
        func rising(_ observation: Observation) -> Bool { observation.state == .building && observation.progress != nil }
        guard let first = timeline.first(where: rising), var last = timeline.last(where: rising) else { return nil }
        if let latest, rising(latest), latest.progress == last.progress, latest.at > last.at { last = latest }
        guard let p0 = first.progress.map(percent), let p1 = last.progress.map(percent), p1 > p0, p1 < 100 else { return nil }
        let seconds = last.at.timeIntervalSince(first.at)
        guard seconds.isFinite, seconds > 0 else { return nil }
        let rate = (p1 - p0) / seconds
        guard rate.isFinite, rate > 0 else { return nil }
        // A wall clock set back since the last observation does not stretch the estimate.
        let since = now.timeIntervalSince(last.at).clamped(to: 0...maxETA)
        return boundedETA((100 - p1) / rate - since)
    }

    /// A progress value as a percentage in 0...100.
    static func percent(_ value: Int) -> Double {
        Double(min(100, max(0, value)))
    }

    /// `eta` within `0...maxETA`; `nil` for NaN.
    static func boundedETA(_ eta: TimeInterval) -> TimeInterval? {
        eta.isNaN ? nil : eta.clamped(to: 0...maxETA)
    }

    /// The median, the mean of the middle two for an even count (rounded toward zero, without
    /// overflow for any values).
    static func median<S: Sequence>(_ values: S) -> Int? where S.Element == Int {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : Int.midpoint(sorted[mid - 1], sorted[mid])
    }

    /// The stage of a pipeline whose newest job is running or waiting (the furthest along),
    /// and the run's overall progress (0...1): finished stages count whole, the running one by
    /// its progress.
    public func pipelineProgress(pipeline: Int, stages indexes: [Int]) -> (running: Int?, fraction: Double) {
        guard !indexes.isEmpty else { return (nil, 0) }
        let currents = indexes.map { stages[Target(pipeline: pipeline, stage: $0)]?.jobs.first }
        if let position = currents.lastIndex(where: { $0.map { !$0.state.isFinal } ?? false }) {
            let progress = Self.percent(currents[position]?.displayProgress ?? 0) / 100
            return (indexes[position], (Double(position) + progress) / Double(indexes.count))
        }
        let succeeded = currents.prefix { $0?.state == .successful }.count
        return (nil, Double(succeeded) / Double(indexes.count))
    }
}
