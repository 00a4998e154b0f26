import Foundation
import SWRAPI
import SWRWatch

/// One poll round for the writer: the results the engine produced (their job lists are what is
/// recorded) and any pipeline details fetched since the last round (their run status is).
///
/// The `JobChange`s of the round are not needed: the writer compares each job with what the
/// file already holds, which also covers the store's baseline answer (no changes reported, yet
/// jobs worth keeping) and jobs that moved on while swr-top was not running. Failed polls are
/// ignored entirely: errors are never stored, so no message a server or proxy echoed (a token
/// in it, say) can reach the file.
public struct HistoryBatch: Sendable {
    /// The round's poll results; only successful ones are read.
    public var results: [PollResult]
    /// Pipeline details with their run status; a status without a start time is not recorded
    /// (a run is keyed by when it started).
    public var pipelines: [Pipeline]
    /// When the round happened: the time of the details, and the clock of the writer's hourly
    /// clean-up. Defaults to the latest `endedAt` of the results.
    public var at: Date

    public init(results: [PollResult] = [], pipelines: [Pipeline] = [], at: Date? = nil) {
        self.results = results
        self.pipelines = pipelines
        self.at = at ?? results.map(\.endedAt).max() ?? Date()
    }
}
