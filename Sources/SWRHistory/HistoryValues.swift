import Foundation
import SWRAPI
import SWRWatch

/// What the file knew of one stage when swr-top last ran: its newest jobs and their timelines,
/// to fill the in-memory store before the first poll.
public struct KnownStage: Sendable, Equatable {
    public var target: Target
    /// Newest first (`HistoricJob.at`, then id), as `HistoryStore` keeps them.
    public var jobs: [Job]
    /// Timelines by job id, oldest first, at most `HistoryStore.timelineCap` observations each.
    public var timelines: [String: [Observation]]
    /// The latest time any of these jobs was seen (a lower bound: `last_seen` is refreshed at
    /// most every `HistoryWriter.lastSeenRefresh`). Shows how old the history is.
    public var lastSeen: Date

    public init(target: Target, jobs: [Job], timelines: [String: [Observation]], lastSeen: Date) {
        self.target = target
        self.jobs = jobs
        self.timelines = timelines
        self.lastSeen = lastSeen
    }
}

/// Which timelines `HistoryReader.lastKnown` loads with the jobs.
public enum TimelineScope: Sendable, Equatable {
    /// None (`HistoryReader.timeline` loads one when it is opened).
    case none
    /// Those of jobs not finished yet: what progress and ETA need from the first frame.
    case unfinished
    /// Every loaded job's.
    case all
}

/// One pipeline run from the detail call, as stored (one row per run, updated as it went).
public struct PipelineRun: Sendable, Equatable {
    public var pipeline: Int
    /// The run's status as last seen: overall word, current stage, start and end, each stage's.
    public var status: PipelineStatus
    public var firstSeen: Date
    public var lastSeen: Date

    public init(pipeline: Int, status: PipelineStatus, firstSeen: Date, lastSeen: Date) {
        self.pipeline = pipeline
        self.status = status
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}
