import Foundation
import SWRAPI
import SWRSession
import SWRWatch

/// One change to the exposition, as `ExportMetrics` decides it; `PrometheusSink` carries it out
/// on a swift-prometheus registry.
public enum MetricUpdate: Sendable, Equatable {
    /// A gauge takes this value.
    case set(MetricFamily, [Label], Double)
    /// A gauge's series goes (its value is unknown now).
    case remove(MetricFamily, [Label])
    /// A counter grows by this much.
    case add(MetricFamily, [Label], Int)
    /// A histogram observes this value.
    case observe(MetricFamily, [Label], Double)
}

/// What was asked of the SWR API, for `swr_api_requests_total{kind}`.
public enum RequestKind: String, Sendable {
    /// A stage's job history (the engine's polls).
    case jobs
    /// A pipeline's detail (its run status).
    case pipelineDetail = "pipeline_detail"
}

/// The exporter's metrics as a pure value: fed the engine's poll results and the pipeline
/// details, it keeps the diffing store and returns the updates to make. No I/O and no clock:
/// every time comes from the results or is passed in.
///
/// - A finished job counts once per job id, however many polls see it. The first good answer of
///   a stage is its baseline: a job already finished there does not count (a restart must not
///   count again what the last run counted), unless the history file, recent enough, says an
///   earlier session saw that job unfinished or never saw it (it finished while nobody watched).
///   Jobs without an id (the service sent none) never count.
/// - A stage is fresh while its last good poll is younger than 3 of its intervals (the base
///   interval, or the settled one when its newest job has finished); `swr_stage_up` and
///   `/healthz` both say so.
public struct ExportMetrics: Sendable {
    public let pipelines: [PipelineInfo]
    public let schedule: PollSchedule
    /// When the exporter started: a stage never answered counts its age from here.
    public let startedAt: Date
    /// The latest jobs of every stage, as the dashboard keeps them.
    public private(set) var store = HistoryStore()
    private var runs: [Int: PipelineStatus] = [:]
    private var answered: Set<Target> = []
    private var counted: [Target: SeenIDs] = [:]
    private var known: [Target: KnownJobs] = [:]
    private let stageLabels: [Target: [Label]]
    private let pipelineLabels: [Int: [Label]]

    /// History older than this (its `lastSeen` before the first good answer) is not used to
    /// count jobs that finished while nobody watched: only the plain baseline rule applies.
    public static let historyHorizon: TimeInterval = 3600

    /// A stage is stale once its last good poll is older than this many of its intervals.
    public static let staleAfterIntervals = 3.0

    public init(pipelines: [PipelineInfo], schedule: PollSchedule, startedAt: Date) {
        self.pipelines = pipelines
        self.schedule = schedule
        self.startedAt = startedAt
        var stageLabels: [Target: [Label]] = [:]
        var pipelineLabels: [Int: [Label]] = [:]
        for pipeline in pipelines {
            pipelineLabels[pipeline.id] = LabelText.pipeline(pipeline)
            for stage in pipeline.stages {
                stageLabels[Target(pipeline: pipeline.id, stage: stage.index)] = LabelText.stage(pipeline, stage)
            }
        }
        self.stageLabels = stageLabels
        self.pipelineLabels = pipelineLabels
    }

    /// Every watched stage, in watch order.
    public var targets: [Target] { pipelines.flatMap(\.targets) }

    /// The series that exist from the start: the build info, and every stage down until its
    /// first good answer.
    public func initialUpdates(version: String) -> [MetricUpdate] {
        [.set(.buildInfo, [Label("version", LabelText.value(version))], 1)]
            + targets.compactMap { target in stageLabels[target].map { .set(.stageUp, $0, 0) } }
    }

    // MARK: Poll results

    /// Folds one poll result in: the request's outcome and time, then (on success) the newest
    /// job's gauges and the jobs seen to finish.
    public mutating func apply(_ result: PollResult) -> [MetricUpdate] {
        var updates = Self.request(.jobs, error: result.outcome.failure, seconds: result.latency)
        guard let labels = stageLabels[result.target] else { return updates }
        let target = result.target
        answered.insert(target)
        let isBaseline = store[target]?.lastGoodPoll == nil
        store.apply(result)
        guard case .success = result.outcome, let record = store[target] else { return updates }
        updates += Self.newest(record.jobs.first, labels: labels)
        updates.append(.set(.lastSuccess, labels, result.endedAt.timeIntervalSince1970))
        updates.append(.set(.stageUp, labels, 1))
        var seen = counted[target] ?? SeenIDs(capacity: SeenIDs.defaultCapacity)
        var history: KnownJobs?
        if isBaseline, let earlier = known.removeValue(forKey: target), result.endedAt.timeIntervalSince(earlier.lastSeen) <= Self.historyHorizon {
            history = earlier
        }
        // Oldest first, so the counter grows in the order the jobs ran.
        for job in record.jobs.reversed() where job.state.isFinal && job.hasID {
            guard seen.insert(job.id), !isBaseline || history?.finishedUnseen(job) == true else { continue }
            updates.append(.add(.jobsFinished, labels + [Label("state", StateWord.job(job.state))], 1))
            if let duration = job.duration { updates.append(.observe(.jobDuration, labels, Double(duration))) }
        }
        counted[target] = seen
        return updates
    }

    /// What an earlier session saw of a stage (the history file's last known jobs, newest first,
    /// and when it last saw them): used once, at the stage's first good answer. Ignored once the
    /// stage has answered.
    public mutating func seed(_ target: Target, jobs: [Job], lastSeen: Date) {
        guard stageLabels[target] != nil, store[target]?.lastGoodPoll == nil, let newest = jobs.min(by: Job.newestFirst) else { return }
        var states: [String: JobState] = [:]
        for job in jobs where job.hasID && states[job.id] == nil { states[job.id] = job.state }
        known[target] = KnownJobs(states: states, newest: newest, lastSeen: lastSeen)
    }

    /// The newest job's state (one-hot), progress, duration and creation time; gauges the job
    /// does not tell go away.
    static func newest(_ job: Job?, labels: [Label]) -> [MetricUpdate] {
        let current = job.map { StateWord.job($0.state) }
        var updates = StateWord.jobStates.map { word in
            MetricUpdate.set(.newestJobState, labels + [Label("state", word)], word == current ? 1 : 0)
        }
        func gauge(_ family: MetricFamily, _ value: Double?) {
            updates.append(value.map { .set(family, labels, $0) } ?? .remove(family, labels))
        }
        gauge(.newestJobProgress, job?.progress.map { Double($0) / 100 })
        gauge(.newestJobDuration, job?.duration.map(Double.init))
        gauge(.newestJobCreated, job?.createdAt.map(\.timeIntervalSince1970))
        return updates
    }

    // MARK: Pipeline details

    /// Folds a detail call in: the run status, one-hot. A failed call keeps the last status.
    public mutating func applyDetail(pipeline id: Int, _ outcome: Result<Pipeline, SWRError>) -> [MetricUpdate] {
        guard let labels = pipelineLabels[id], case .success(let pipeline) = outcome else { return [] }
        runs[id] = pipeline.status
        let current = pipeline.status.map { StateWord.run($0.status) }
        return StateWord.runStatuses.map { word in
            .set(.pipelineRunStatus, labels + [Label("status", word)], word == current ? 1 : 0)
        }
    }

    /// The updates for one request to the SWR API: its count by outcome, and its time.
    public static func request(_ kind: RequestKind, error: SWRError?, seconds: TimeInterval) -> [MetricUpdate] {
        let outcome = error?.kind ?? "success"
        let time = seconds.isFinite ? max(0, seconds) : 0
        return [.add(.apiRequests, [Label("kind", kind.rawValue), Label("outcome", outcome)], 1),
                .observe(.apiRequestDuration, [Label("kind", kind.rawValue)], time)]
    }

    // MARK: Freshness and readiness

    /// `swr_stage_up` of every stage at `now`: 1 while its data is fresh, 0 while stale or
    /// before its first good answer.
    public func freshness(now: Date) -> [MetricUpdate] {
        targets.compactMap { target in
            stageLabels[target].map { .set(.stageUp, $0, isUp(target, now: now) ? 1 : 0) }
        }
    }

    /// Whether the stage has data and it is fresh.
    public func isUp(_ target: Target, now: Date) -> Bool {
        store[target]?.lastGoodPoll != nil && !isStale(target, now: now)
    }

    /// The longest a stage's data may age before it is stale: 3 of its intervals.
    public func maximumAge(_ target: Target) -> TimeInterval {
        let settled = store[target]?.jobs.first?.state.isFinal ?? false
        var uniform = schedule
        uniform.uniform = true
        return Self.staleAfterIntervals * uniform.interval(level: .focused, settled: settled)
    }

    /// Whether the stage's last good poll (or, before its first one, the start) is older than
    /// `maximumAge`: a stage not answered yet is given that long from the start.
    public func isStale(_ target: Target, now: Date) -> Bool {
        let since = store[target]?.lastGoodPoll ?? startedAt
        return now.timeIntervalSince(since) > maximumAge(target)
    }

    /// The stages whose data is stale at `now`, in watch order.
    public func staleStages(now: Date) -> [Target] {
        targets.filter { isStale($0, now: now) }
    }

    /// True once every stage has been polled (answered or failed) at least once.
    public var isReady: Bool { answered.count >= targets.count }

    /// Stages not polled yet.
    public var waitingForFirstPoll: Int { targets.count - answered.count }

    /// `pipeline-name/stage-index stage-name`, sanitised, for messages.
    public func place(_ target: Target) -> String {
        guard let pipeline = pipelines.first(where: { $0.id == target.pipeline }) else { return target.description }
        let stage = pipeline.stages.first { $0.index == target.stage }?.name ?? "stage \(target.stage)"
        return LabelText.value(pipeline.name) + "/" + String(target.stage) + " " + LabelText.value(stage)
    }

    // MARK: State document

    /// The stages polled so far as `--once` sees them (newest jobs first, or the latest error),
    /// with each pipeline's run status and the pending rule: the `/api/state` document is
    /// `SnapshotFormat.json` of these.
    public func snapshot() -> [StageSnapshot] {
        var snapshots: [StageSnapshot] = []
        for pipeline in pipelines {
            for stage in pipeline.stages {
                let target = Target(pipeline: pipeline.id, stage: stage.index)
                guard let record = store[target] else { continue }
                let outcome: Result<[Job], SWRError> = record.error.map { .failure($0) } ?? .success(record.jobs)
                let run = runs[pipeline.id]
                let newest = try? outcome.get().first
                snapshots.append(StageSnapshot(pipeline: pipeline, stage: stage, outcome: outcome, run: run,
                                               pending: RunPosition.isPending(stage: stage.index, status: run, newestJob: newest)))
            }
        }
        return snapshots
    }
}

/// A stage's jobs as the history file last knew them.
struct KnownJobs: Sendable {
    var states: [String: JobState]
    var newest: Job
    var lastSeen: Date

    /// Whether `job`, finished now, finished since the earlier session looked: it knew the job
    /// unfinished, or did not know it and it is newer than every job it knew (older unknown jobs
    /// are beyond what it kept, not new).
    func finishedUnseen(_ job: Job) -> Bool {
        if let state = states[job.id] { return !state.isFinal }
        return Job.newestFirst(job, newest)
    }
}

/// The job ids of a stage already counted (or baselined): at most `capacity`, the oldest
/// forgotten first. A job is in a stage's answer only while it is among the newest
/// `HistoryStore.jobCap`, so twice that many ids is more than an answer can bring back.
struct SeenIDs: Sendable {
    static let defaultCapacity = 2 * HistoryStore.jobCap
    private var ids: Set<String> = []
    private var order: Ring<String>

    init(capacity: Int) {
        order = Ring(capacity: capacity)
    }

    /// Adds `id`; false when it was there already.
    mutating func insert(_ id: String) -> Bool {
        guard !ids.contains(id) else { return false }
        if order.count == order.capacity, let oldest = order.first { ids.remove(oldest) }
        order.append(id)
        ids.insert(id)
        return true
    }

    var count: Int { ids.count }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
