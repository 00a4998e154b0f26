import Foundation

/// What `--watch` was asked for.
public struct WatchOptions: Sendable {
    /// JSON Lines instead of text.
    public var json: Bool
    /// Exit when every watched stage's newest job has finished, with a code that says how.
    public var exitStatus: Bool
    /// Only this stage index of each pipeline.
    public var stage: Int?
    /// Give up after this many seconds (exit 124).
    public var timeoutTotal: Double?
    /// Also print new log lines of the watched jobs.
    public var logs: Bool

    public init(json: Bool = false, exitStatus: Bool = false, stage: Int? = nil, timeoutTotal: Double? = nil, logs: Bool = false) {
        self.json = json
        self.exitStatus = exitStatus
        self.stage = stage
        self.timeoutTotal = timeoutTotal
        self.logs = logs
    }
}
