import Foundation
import SWRAPI

/// One stored job as the history pane's bar chart needs it.
public struct HistoricJob: Sendable, Equatable {
    public var id: String
    public var state: JobState
    /// Seconds; `nil` when the service never sent one.
    public var duration: Int?
    public var createdAt: Date?
    /// When swr-top first saw the job.
    public var firstSeen: Date

    public init(id: String, state: JobState, duration: Int?, createdAt: Date?, firstSeen: Date) {
        self.id = id
        self.state = state
        self.duration = duration
        self.createdAt = createdAt
        self.firstSeen = firstSeen
    }

    /// The job's time in the history: its creation time, else when swr-top first saw it.
    public var at: Date { createdAt ?? firstSeen }
}

/// Everything the history pane shows for one stage, read in one go.
public struct StageHistory: Sendable, Equatable {
    /// The newest jobs (at most the number asked for), newest first.
    public var recent: [HistoricJob]
    public var rates: SuccessRates
    public var usual: UsualDuration?
    /// `Flakiness.isFlaky` of the newest finished jobs.
    public var isFlaky: Bool

    public init(recent: [HistoricJob], rates: SuccessRates, usual: UsualDuration?, isFlaky: Bool) {
        self.recent = recent
        self.rates = rates
        self.usual = usual
        self.isFlaky = isFlaky
    }
}


/// An answer from the history file as the screen takes it: the value, or why there is none.
public enum HistoryLookup<Value: Sendable & Equatable>: Sendable, Equatable {
    /// History is off (`--no-history`, `"history": false`) or its file could not be opened.
    case off
    /// The file could not be read; the reason in plain words.
    case failed(String)
    case found(Value)
}

/// One successful job with a duration: a sample of a stage's "usual" (see `UsualDuration`).
public struct UsualSample: Sendable, Equatable {
    public var jobID: String
    /// Seconds (never negative).
    public var duration: Int
    /// The job's time: its creation time, else when it was first seen.
    public var at: Date

    public init(jobID: String, duration: Int, at: Date) {
        self.jobID = jobID
        self.duration = duration
        self.at = at
    }
}

/// What the history file says of a stage at start, beyond its jobs: the basis of "usual" and
/// the ETA (its newest successful jobs across sessions) and its outcomes over the last 7 days.
public struct StageFigures: Sendable, Equatable {
    public var target: Target
    /// Newest first, at most `HistoryStore.usualHistorySamples`.
    public var usual: [UsualSample]
    public var week: OutcomeCounts

    public init(target: Target, usual: [UsualSample], week: OutcomeCounts) {
        self.target = target
        self.usual = usual
        self.week = week
    }
}
