import Foundation
import SWRAPI

/// One thing that changed in what the service reports, found by `HistoryStore.apply`.
public struct JobChange: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        // Boxed: a Job is large, and every change (kept 1,000 at a time) would carry its size.
        indirect case appeared(Job)
        case stateChanged(jobID: String, from: JobState, to: JobState)
        case progressChanged(jobID: String, from: Int?, to: Int?)
        case durationChanged(jobID: String, from: Int?, to: Int?)
        /// The job is missing from a fresh answer (it aged out of the history).
        case disappeared(jobID: String)
        case targetFailed(SWRError)
        case targetRecovered
    }

    public var at: Date
    public var target: Target
    public var kind: Kind

    public init(at: Date, target: Target, kind: Kind) {
        self.at = at
        self.target = target
        self.kind = kind
    }

    /// The job the change is about, if any.
    public var jobID: String? {
        switch kind {
        case .appeared(let job): return job.id
        case .stateChanged(let id, _, _), .progressChanged(let id, _, _), .durationChanged(let id, _, _), .disappeared(let id): return id
        case .targetFailed, .targetRecovered: return nil
        }
    }

    /// Whether the change belongs in the events pane (duration ticks of a running job do not).
    public var isNotable: Bool {
        if case .durationChanged = kind { return false }
        return true
    }
}

/// One observation of a job: what it looked like at `at`.
public struct Observation: Sendable, Equatable {
    public var at: Date
    public var state: JobState
    public var progress: Int?
    public var duration: Int?

    public init(at: Date, state: JobState, progress: Int?, duration: Int?) {
        self.at = at
        self.state = state
        self.progress = progress
        self.duration = duration
    }

    init(_ job: Job, at: Date) {
        self.init(at: at, state: job.state, progress: job.progress, duration: job.duration)
    }

    func sameValues(as other: Observation) -> Bool {
        state == other.state && progress == other.progress && duration == other.duration
    }
}
