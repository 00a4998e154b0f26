import Foundation
import Synchronization
import SWRAPI
import SWRHistory
import SWRWatch

/// The session's history file: a writer that records what the session sees (off every caller's
/// thread, one transaction per poll round, only changes) and a reader for what earlier sessions
/// saw. Opening it never stops a session: a file that cannot be opened is said once, and the
/// session goes on without history.
public final class SessionHistory: Sendable {
    public let writer: HistoryWriter
    public let reader: HistoryReader
    public let path: String
    private let round = Round()
    private let task: Task<Void, Never>

    /// What arrived since the last batch.
    private final class Round: Sendable {
        let pending = Mutex<(results: [PollResult], pipelines: [Pipeline])>(([], []))
        let wake = WakeSignal()

        /// Hands what arrived to `writer` as one batch. Taken and enqueued under one lock: a
        /// `flush` that finds nothing pending knows the writer has it already (so a read after the
        /// flush sees it).
        func send(to writer: HistoryWriter) {
            pending.withLock { p in
                guard !p.results.isEmpty || !p.pipelines.isEmpty else { return }
                writer.enqueue(HistoryBatch(results: p.results, pipelines: p.pipelines))
                p = ([], [])
            }
        }
    }

    init(database: HistoryDatabase, host: String, settings: HistorySettings) {
        let writer = HistoryWriter(database: database, host: host, settings: settings)
        self.writer = writer
        reader = HistoryReader(database: database, host: host)
        path = database.path
        let round = round
        // Coalesces what arrives together (a poll round) into one batch.
        task = Task.detached {
            while !Task.isCancelled {
                await round.wake.wait(until: nil, clock: SystemWatchClock())
                round.send(to: writer)
            }
        }
    }

    /// Opens the history for `settings`, or says why not (`nil` and a message).
    /// - Parameter host: what the jobs are recorded under (`HistoryHost.key(endpoint:)`, or the
    ///   demo's `historyHost`).
    static func open(settings: HistorySettings, flag: String?, host: String, demo: Bool,
                     environment: [String: String]) -> (SessionHistory?, String?) {
        guard settings.enabled else { return (nil, nil) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path = HistoryPath.resolve(flag: flag, config: settings.path, environment: environment, home: home, demo: demo)
        do {
            let database = try HistoryDatabase.open(path: path)
            return (SessionHistory(database: database, host: host, settings: settings), database.notice)
        } catch {
            return (nil, "\(error.description); going on without history (--no-history says so quietly)")
        }
    }

    /// Records a poll result (never blocks).
    public func record(_ result: PollResult) {
        round.pending.withLock { $0.results.append(result) }
        round.wake.signal()
    }

    /// Records a pipeline's detail (its run status).
    public func record(_ pipeline: Pipeline) {
        round.pending.withLock { $0.pipelines.append(pipeline) }
        round.wake.signal()
    }

    /// Waits until everything recorded before this call is in the file (so a read after it sees
    /// the jobs the screen has seen).
    public func flush() async {
        round.send(to: writer)
        await writer.flush()
    }

    /// Writes what is pending and closes the file.
    func close() async {
        task.cancel()
        round.send(to: writer)
        await writer.close()
    }

    /// Asks `history`'s reader, as the screen takes the answer: `off` without history, the
    /// error in plain words when the file cannot be read.
    static func lookup<Value: Sendable & Equatable>(_ history: SessionHistory?,
                                                    _ read: (HistoryReader) async throws(HistoryError) -> Value) async -> HistoryLookup<Value> {
        guard let history else { return .off }
        do {
            return .found(try await read(history.reader))
        } catch {
            return .failed(error.description)
        }
    }

    /// Why the writer stopped, if it did (a full disk, say), in plain words.
    public var failure: String? { writer.failure?.description }
}
