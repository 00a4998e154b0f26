import Foundation
import SWRAPI

/// The simulated account: seeded pipelines whose runs move through their stages in time.
///
/// The world is a pure function of `(seed, time)`: run `n` of a pipeline starts at
/// `epoch + offset + n × period`, and every detail of it (waits, durations, outcome, progress
/// curve) comes from a generator seeded by `(seed, pipeline, n)`. Past runs (negative `n`) are
/// the execution history; nothing is stored, so any moment can be asked about, in any order.
public struct SimWorld: Sendable {
    public let seed: Int
    public let epoch: Date
    public let pipelines: [SimPipeline]
    /// When set, every run ends this way (for tests of watchers and exit codes).
    public let forcedOutcome: JobState?
    /// How many past jobs a stage's history holds at most.
    public static let historyDepth = 25

    /// How many pipelines run back to back unless asked otherwise: the default demo's five.
    public static let defaultBusyCount = 5

    /// - Parameter busyCount: the first `busyCount` pipelines run back to back; the others are
    ///   quiet, as most pipelines of a large account are: a run every three to six hours.
    public init(seed: Int, pipelineCount: Int = 5, busyCount: Int = defaultBusyCount, epoch: Date, forcedOutcome: JobState? = nil) {
        self.seed = seed
        self.epoch = epoch
        self.forcedOutcome = forcedOutcome
        var rng = SeededRandom(seed, -1)
        pipelines = (0..<max(1, pipelineCount)).map { SimPipeline.generate(index: $0, seed: seed, busy: $0 < busyCount, rng: &rng) }
    }

    public func pipeline(id: Int) -> SimPipeline? {
        let index = id - SimPipeline.firstID
        return pipelines.indices.contains(index) ? pipelines[index] : nil
    }

    /// The run of `pipeline` with number `n`.
    public func run(_ pipeline: SimPipeline, _ n: Int) -> SimRun {
        SimRun(pipeline: pipeline, number: n, start: epoch.addingTimeInterval(pipeline.offset + Double(n) * pipeline.period),
               seed: seed, forcedOutcome: forcedOutcome)
    }

    /// The number of the newest run started at `time`.
    public func currentRunNumber(_ pipeline: SimPipeline, at time: Date) -> Int {
        Int(((time.timeIntervalSince(epoch) - pipeline.offset) / pipeline.period).rounded(.down))
    }

    /// The execution history of a stage at `time`, newest first.
    public func jobs(pipeline: SimPipeline, stage: Int, at time: Date) -> [SimJob] {
        var jobs: [SimJob] = []
        var n = currentRunNumber(pipeline, at: time)
        var examined = 0
        while jobs.count < Self.historyDepth, examined < Self.historyDepth * 3 {
            if let job = run(pipeline, n).job(stage: stage, at: time) { jobs.append(job) }
            n -= 1
            examined += 1
        }
        return jobs
    }

    /// Finds a job by id in a stage's history (`latest` is the newest).
    public func job(pipeline: SimPipeline, stage: Int, id: String, at time: Date) -> SimJob? {
        let history = jobs(pipeline: pipeline, stage: stage, at: time)
        if id == "latest" { return history.first }
        return history.first { String($0.id) == id }
    }
}

/// A simulated pipeline: its stages and the rhythm of its runs.
public struct SimPipeline: Sendable {
    public static let firstID = 1024
    public let id: Int
    public let name: String
    public let group: String
    public let stages: [SimStage]
    /// Time from one run's start to the next (simulated seconds).
    public let period: Double
    /// Shifts this pipeline's runs so pipelines are at different points at any moment.
    public let offset: Double

    static let names = [
        "tomcat-release", "nginx-hardened", "redis-cache", "payments-api", "web-frontend", "kafka-connect",
        "postgres-backup", "auth-gateway", "ml-inference", "search-indexer", "mobile-bff", "billing-worker",
    ]
    static let groups = ["web", "platform", "data", "payments"]

    static func generate(index: Int, seed: Int, busy: Bool, rng: inout SeededRandom) -> SimPipeline {
        let base = names[index % names.count]
        let name = index < names.count ? base : "\(base)-\(index / names.count + 1)"
        let stageCount = 3 + Int(rng.next() % 4)
        let stages = SimStage.plan(count: stageCount, rng: &rng)
        let busiest = stages.reduce(0) { $0 + $1.maxWait + $1.maxDuration }
        // The same draws for a busy and a quiet pipeline, so the one does not change the others.
        let period = (busiest + rng.between(15...45)).rounded() + (busy ? 0 : quietRest(index: index))
        return SimPipeline(id: firstID + index, name: name, group: groups[index % groups.count], stages: stages,
                           period: period, offset: -rng.between(0...period * 0.9).rounded())
    }
}

extension SimPipeline {
    /// The rest between two runs of a quiet pipeline: three to six hours, by its index.
    static func quietRest(index: Int) -> Double {
        let minutes = index.magnitude % 181 * 47 % 181
        return 3 * 3600 + Double(minutes) * 60
    }
}

/// A simulated stage: what kind of work it does and how long that takes.
public struct SimStage: Sendable {
    public let name: String
    public let serviceName: String
    public let minDuration: Double
    public let maxDuration: Double
    public let maxWait: Double

    static let catalogue: [(String, String, ClosedRange<Double>)] = [
        ("source", "code_source", 4...12), ("build", "dockerfile_build", 30...90), ("unit-test", "jenkins_build", 15...45),
        ("scan", "test_review", 10...35), ("push", "jenkins_build", 5...15), ("gray", "gray_deploy", 10...30),
        ("deploy", "official_deploy", 15...40),
    ]

    static func plan(count: Int, rng: inout SeededRandom) -> [SimStage] {
        // Always source → build first and deploy last; the middle is picked from the rest.
        var middle = Array(catalogue[2...5])
        var chosen = [catalogue[0], catalogue[1]]
        while chosen.count < count - 1, !middle.isEmpty {
            chosen.append(middle.remove(at: Int(rng.next() % UInt64(middle.count))))
        }
        chosen.append(catalogue[6])
        return chosen.prefix(count).map { SimStage(name: $0.0, serviceName: $0.1, minDuration: $0.2.lowerBound, maxDuration: $0.2.upperBound, maxWait: 4) }
    }
}
