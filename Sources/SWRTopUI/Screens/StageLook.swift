import Foundation
import SWRAPI
import SWRWatch

/// Where a pipeline's current (or last) run is, as the screen shows it: from the run status of
/// the detail call (read for every watched pipeline) and the newest job of each stage. One value
/// per pipeline, shared by the stage strip, the overview and follow mode, so they always agree.
///
/// - The run starts at the status's start time, or later when the first stage has a job created
///   after the status's first stage ended (a run began after the status was read).
/// - Where the status says this run reached a stage whose newest known job is older (not polled
///   since), the status's word and time are shown.
/// - A stage's newest job belongs to this run when it was created at or after that start.
/// - The run is at the furthest stage whose newest job of this run is unfinished (or where the
///   status says it is running); while it is going, the stages after it that the run has not
///   reached are pending, whatever an earlier run left in them.
/// - A finished job from an earlier run is shown as such: dimmed, with its age.
struct RunView {
    /// The stages' looks, in the pipeline's order (empty when made `withLooks: false`).
    var looks: [StageLook]
    /// The start of the current (or last) run, when known.
    var runStart: Date?
    /// Whether the run status (the detail call) is about this run (no newer run has begun since).
    var statusIsCurrent: Bool
    /// The status of the last detail call, if any.
    var status: PipelineStatus?
    /// The position (in `pipeline.stages`) of the stage the run is at, while it is going.
    var runningPosition: Int?
    /// The position of the furthest stage the current (or last) run has reached.
    var lastReachedPosition: Int?

    /// Whether a run is going (a stage is running or waiting for this run).
    var isGoing: Bool { runningPosition != nil }

    /// The stage to show in follow mode, and when switching to this pipeline: the running stage,
    /// else the last stage the run reached; `nil` when nothing is known yet.
    var followPosition: Int? { runningPosition ?? lastReachedPosition }

    /// - Parameter withLooks: whether to make `looks` (each stage's summary): not needed for
    ///   where the run is (`followPosition`, `runningPosition`), which `update` asks after every
    ///   action.
    init(_ state: AppState, pipeline: PipelineInfo, withLooks: Bool = true) {
        let status = state.pipelineStatuses[pipeline.id]
        // A stage's newest job is its summary's `current`: read directly, no summary needed.
        let newest = pipeline.stages.map { state.store.newestJob(Target(pipeline: pipeline.id, stage: $0.index)) }
        var start = status?.startTime
        // The status speaks for this run unless a newer run has begun since it was read: the
        // first stage has a job created after the status's first stage (or run) ended.
        var statusIsCurrent = status != nil
        self.status = status
        if let first = newest.first??.createdAt {
            if let status, start != nil {
                let firstIndex = pipeline.stages.first?.index ?? 0
                let firstEnded = status.stages.indices.contains(firstIndex) ? status.stages[firstIndex].endTime ?? status.endTime : status.endTime
                if let ended = firstEnded, first > ended {
                    start = first
                    statusIsCurrent = false
                }
            } else {
                start = first
            }
        }
        runStart = start
        self.statusIsCurrent = statusIsCurrent

        /// Whether a job belongs to this run: `nil` when either date is unknown.
        func ofThisRun(_ job: Job?) -> Bool? {
            guard let created = job?.createdAt, let start else { return nil }
            return created >= start
        }
        /// The status word of a stage, lower-cased, when the status has one.
        func word(_ stage: StageInfo) -> String? {
            guard let status, status.stages.indices.contains(stage.index) else { return nil }
            return status.stages[stage.index].status.lowercased()
        }
        let positions = pipeline.stages.indices
        /// Whether the status says this run has reached the stage (and has the newer word on it).
        func statusSaysReached(_ position: Int) -> Bool {
            guard statusIsCurrent, ofThisRun(newest[position]) != true, let word = word(pipeline.stages[position]) else { return false }
            return !RunPosition.notReached.contains(word)
        }
        let reached: [Bool] = positions.map { position in
            let job = newest[position]
            switch ofThisRun(job) {
            case true?: return true
            case false?: return statusSaysReached(position)
            case nil:
                // No dates to compare: the status says, else any job counts.
                if statusIsCurrent, let word = word(pipeline.stages[position]) { return !RunPosition.notReached.contains(word) }
                return job != nil
            }
        }
        lastReachedPosition = positions.last { reached[$0] }
        let fromJobs = positions.last { position in
            guard let job = newest[position], !job.state.isFinal else { return false }
            return ofThisRun(job) != false
        }
        var fromStatus = statusIsCurrent ? RunPosition.runningStage(status).flatMap { index in pipeline.stages.firstIndex { $0.index == index } } : nil
        // A status read a while ago may lag the jobs: the run has reached at least the last
        // stage with a job of this run, and has ended when the last stage's job of this run has.
        if let said = fromStatus, let last = lastReachedPosition, last > said { fromStatus = last }
        if fromStatus == positions.last, let job = newest.last ?? nil, job.state.isFinal, ofThisRun(job) == true { fromStatus = nil }
        switch (fromJobs, fromStatus) {
        case let (jobs?, status?): runningPosition = max(jobs, status)
        case let (jobs, status): runningPosition = jobs ?? status
        }
        let running = runningPosition
        guard withLooks else {
            looks = []
            return
        }
        looks = positions.map { position in
            let stage = pipeline.stages[position]
            let summary = state.store.summary(Target(pipeline: pipeline.id, stage: stage.index), now: state.now)
            let pending = running.map { position > $0 && !reached[position] } ?? false
            // This run's word on a stage whose newest known job is older (not polled since).
            let fromStatus = !pending && statusSaysReached(position)
            let previous = !pending && !fromStatus && (summary.current?.state.isFinal ?? false) && ofThisRun(summary.current) == false
            var look = StageLook(summary: summary, isPending: pending, isPrevious: previous)
            // A stage without jobs (yet), or whose jobs lag, takes what the status says about it.
            if !pending, statusIsCurrent, summary.current == nil || fromStatus, let status, status.stages.indices.contains(stage.index) {
                let stageStatus = status.stages[stage.index]
                let word = stageStatus.status.lowercased()
                if !RunPosition.notReached.contains(word) {
                    look.statusState = RunPosition.jobState(ofStatus: word)
                    look.isFromStatus = fromStatus
                    if let began = stageStatus.startTime {
                        look.statusDuration = Checked.seconds(from: began, to: stageStatus.endTime ?? state.now)
                    }
                }
            }
            return look
        }
    }
}

extension RunView {
    /// The run in a few words for the overview: `running 2m10s` while it goes, `failed 2h ago`
    /// once it has ended — from the status when it is about this run and agrees with the jobs,
    /// else from the jobs (a status read a minute ago may be about the run before).
    func text(now: Date) -> (text: String, role: Role, isGoing: Bool)? {
        if let status, statusIsCurrent, (RunPosition.runningStage(status) != nil) == isGoing {
            return (StageLook.runText(status, now: now), StageLook.jobState(ofStatus: status.status.lowercased()).role, isGoing)
        }
        if isGoing, let start = runStart {
            return ("running \(Format.duration(Checked.seconds(from: start, to: now)))", .running, true)
        }
        if let last = lastReachedPosition, let job = looks[last].summary.current, job.state.isFinal {
            let ended = job.createdAt.map { created in job.duration.map { created.addingTimeInterval(TimeInterval(max(0, $0))) } ?? created }
            return ("\(job.state.displayName.lowercased()) \(Format.age(ended, now: now)) ago", job.state.role, false)
        }
        return status.map { (StageLook.runText($0, now: now), StageLook.jobState(ofStatus: $0.status.lowercased()).role, isGoing) }
    }
}

/// How a stage shows in the stage strip and the overview (see `RunView`).
struct StageLook {
    var summary: StageSummary
    /// The current run has not reached this stage yet (its newest job, if any, is older).
    var isPending: Bool
    /// The newest job finished in an earlier run than the current (or last) one.
    var isPrevious: Bool
    /// From the run status, for a stage with no job in its history: its state and how long it ran.
    var statusState: JobState?
    var statusDuration: Int?
    /// The stage's newest known job is older than this run, which the status says has been
    /// there: the status's word and time are shown instead.
    var isFromStatus = false

    init(summary: StageSummary, isPending: Bool, isPrevious: Bool = false) {
        self.summary = summary
        self.isPending = isPending
        self.isPrevious = isPrevious
    }

    /// The state to draw: Waiting for a pending stage, else the newest job's (or the run status's).
    var state: JobState? { isPending ? .waiting : isFromStatus ? statusState : summary.state ?? statusState }

    /// How long ago an earlier run's job ended (its start plus its duration), as `2h`.
    func previousAge(now: Date) -> String? {
        guard isPrevious, let job = summary.current, let created = job.createdAt else { return nil }
        let ended = job.duration.map { created.addingTimeInterval(TimeInterval(max(0, $0))) } ?? created
        return Format.age(ended, now: now)
    }

    /// A status word as a job state (see `RunPosition.jobState`).
    static func jobState(ofStatus word: String) -> JobState { RunPosition.jobState(ofStatus: word) }

    /// `running 2m10s` while a run goes (how long it has run); `successful 2h ago` once it has
    /// ended (how long ago), so an old outcome never reads like a fresh one.
    static func runText(_ status: PipelineStatus, now: Date) -> String {
        let word = status.status.lowercased()
        let state = RunPosition.jobState(ofStatus: word)
        guard state.isFinal else {
            guard let start = status.startTime else { return status.status }
            return "\(status.status) \(Format.duration(Checked.seconds(from: start, to: now)))"
        }
        let name = state.displayName.lowercased()
        guard let end = status.endTime ?? status.startTime else { return name }
        return "\(name) \(Format.age(end, now: now)) ago"
    }

    /// The stage (its index) the run is at: see `RunView`.
    static func runningStage(_ state: AppState, pipeline: PipelineInfo) -> Int? {
        RunView(state, pipeline: pipeline, withLooks: false).runningPosition.map { pipeline.stages[$0].index }
    }
}
