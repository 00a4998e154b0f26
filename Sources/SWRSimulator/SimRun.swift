import Foundation
import SWRAPI

/// One run of a simulated pipeline: each stage waits, builds, and ends; a stage that does not
/// succeed ends the run, so later stages get no job for it.
public struct SimRun: Sendable {
    public let pipeline: SimPipeline
    public let number: Int
    public let start: Date
    public let stages: [StagePlan]

    /// When and how one stage of the run goes.
    public struct StagePlan: Sendable {
        public let stage: Int
        public let queuedAt: Date
        public let buildsAt: Date
        public let endsAt: Date
        public let outcome: JobState
        public let curve: ProgressCurve
        /// The fraction of the work done when it ended (1 for success).
        public let endFraction: Double
        public let creator: String
        public let lowerCaseWords: Bool
    }

    static let creators = ["f00355482", "ops-bot", "王伟", "l00419235", "deploy-bot", "佐藤"]

    init(pipeline: SimPipeline, number: Int, start: Date, seed: Int, forcedOutcome: JobState?) {
        self.pipeline = pipeline
        self.number = number
        self.start = start
        var rng = SeededRandom(seed, pipeline.id, number)
        let roll = rng.unit()
        let outcome: JobState = forcedOutcome
            ?? (roll < 0.78 ? .successful : roll < 0.88 ? .failed : roll < 0.94 ? .timeout : .cancelled)
        let stageCount = pipeline.stages.count
        let stoppingStage = outcome == .successful ? stageCount : (forcedOutcome != nil ? stageCount - 1 : Int(rng.next() % UInt64(stageCount)))
        let creator = Self.creators[Int(rng.next() % UInt64(Self.creators.count))]
        var plans: [StagePlan] = []
        var cursor = start
        for (index, stage) in pipeline.stages.enumerated() {
            let wait = rng.between(1...stage.maxWait)
            let duration = rng.between(stage.minDuration...stage.maxDuration)
            let stageOutcome: JobState = index < stoppingStage ? .successful : outcome
            let fraction: Double
            switch stageOutcome {
            case .successful: fraction = 1
            case .timeout: fraction = rng.between(0.55...0.95)
            default: fraction = rng.between(0.15...0.9)
            }
            // A timeout runs for longer than planned, then gives up.
            let runTime = stageOutcome == .timeout ? stage.maxDuration * 1.5 : duration * fraction
            let buildsAt = cursor.addingTimeInterval(wait.rounded())
            let endsAt = buildsAt.addingTimeInterval(max(1, runTime.rounded()))
            plans.append(StagePlan(
                stage: index, queuedAt: cursor, buildsAt: buildsAt, endsAt: endsAt, outcome: stageOutcome,
                curve: ProgressCurve(rng: &rng), endFraction: fraction, creator: creator, lowerCaseWords: rng.unit() < 0.15
            ))
            if stageOutcome != .successful { break }
            cursor = endsAt
        }
        stages = plans
    }

    /// The job of `stage` in this run as seen at `time`, or `nil` when it has not been queued
    /// (or the run stopped before it).
    public func job(stage: Int, at time: Date) -> SimJob? {
        guard stages.indices.contains(stage) else { return nil }
        let plan = stages[stage]
        guard time >= plan.queuedAt else { return nil }
        let state: JobState
        let progress: Int
        let duration: Int
        if time < plan.buildsAt {
            state = .waiting
            progress = 0
            duration = 0
        } else if time < plan.endsAt {
            let elapsed = time.timeIntervalSince(plan.buildsAt)
            let total = plan.endsAt.timeIntervalSince(plan.buildsAt)
            state = .building
            progress = min(99, plan.curve.progress(at: elapsed / total * plan.endFraction))
            duration = Int(elapsed)
        } else {
            state = plan.outcome
            progress = plan.outcome == .successful ? 100 : plan.curve.progress(at: plan.endFraction)
            duration = Int(plan.endsAt.timeIntervalSince(plan.buildsAt))
        }
        let version = "1.\(max(0, number + 200) / 10).\(((number % 10) + 10) % 10)"
        return SimJob(
            id: SimJob.makeID(pipeline: pipeline.id, run: number, stage: stage), pipelineID: pipeline.id, stage: stage,
            state: state, progress: progress, duration: duration, createdAt: plan.queuedAt,
            resource: "swr/\(pipeline.name):\(version)", service: pipeline.stages[stage].serviceName,
            creator: plan.creator, lowerCaseWords: plan.lowerCaseWords, plan: plan, at: time
        )
    }
}

/// An uneven but never-decreasing progress curve: fast bits, plateaus, a slow finish.
public struct ProgressCurve: Sendable {
    /// Progress (0...100) reached at fractions 0, 1/8, ..., 1 of the work.
    let checkpoints: [Double]

    init(rng: inout SeededRandom) {
        var steps = (0..<8).map { _ in rng.between(0.2...1.8) }
        if rng.unit() < 0.5 { steps[Int(rng.next() % 8)] = 0.05 }  // a plateau
        let total = steps.reduce(0, +)
        var sum = 0.0
        checkpoints = [0] + steps.map { sum += $0; return sum / total * 100 }
    }

    /// Progress at `fraction` (0...1) of the work, rounded down.
    public func progress(at fraction: Double) -> Int {
        let f = min(1, max(0, fraction)) * 8
        let i = min(7, Int(f))
        let value = checkpoints[i] + (checkpoints[i + 1] - checkpoints[i]) * (f - Double(i))
        return min(100, max(0, Int(value)))
    }
}

/// A job of the simulated world at one moment, ready to be written in any wire format.
public struct SimJob: Sendable {
    public let id: Int
    public let pipelineID: Int
    public let stage: Int
    public let state: JobState
    public let progress: Int
    public let duration: Int
    public let createdAt: Date
    public let resource: String
    public let service: String
    public let creator: String
    public let lowerCaseWords: Bool
    let plan: SimRun.StagePlan
    let at: Date

    /// The id of the job of `stage` in run `run` of `pipeline`.
    public static func makeID(pipeline: Int, run: Int, stage: Int) -> Int {
        // Short ids like the service's (2211); unique within a pipeline, rising with time.
        1000 + (pipeline - SimPipeline.firstID) % 100 * 131 + (run + 3000) * 8 + stage
    }

    /// The state word as this job is written: the documented word, or the logs page's lower case.
    public var stateWord: String {
        guard lowerCaseWords else { return state.label }
        switch state {
        case .successful: return "success"
        case .building: return "running"
        case .failed: return "failed"
        case .timeout: return "timeout"
        case .cancelled: return "cancel"
        case .waiting: return "waiting"
        case .unknown(let raw): return raw
        }
    }

    public var isFinished: Bool { state.isFinal }

    /// World seconds the job has been building by `at` (its whole build once it has ended);
    /// `duration` is this in whole seconds.
    public var buildSeconds: Double {
        max(0, min(at, plan.endsAt).timeIntervalSince(plan.buildsAt))
    }
}
