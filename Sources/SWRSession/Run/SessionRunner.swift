import Foundation
import SWRAPI
import SWRHistory
import SWRWatch

/// A live session's background work: the run-aware polling engine (stages and pipeline run
/// status: the focused pipeline's at the base interval, the others' once a minute, sooner when a
/// run moves), the refresher of the open job log, and pages of the pipeline list. Every request
/// goes through the engine's budget (`Session.maxRequestsPerMinute`): the log and the pages wait
/// for its room (`PollingEngine.admit()`). Commands run in order on one task, so a `stopLog`
/// never overtakes the `followLog` before it. Every answer goes to `deliver`.
public final class SessionRunner: Sendable {
    private let commands: AsyncStream<SessionCommand>.Continuation
    private let tasks: [Task<Void, Never>]

    /// - Parameters:
    ///   - firstPipeline: the pipeline on screen at start: its stages are read from the history before
    ///     the others (a first frame with hundreds of stages does not wait for all of them).
    ///   - now: the wall-clock time, for the history's time windows (7-day rates at start).
    public init(session: Session, targets: [Target], firstPipeline: Int? = nil, clock: any WatchClock = SystemWatchClock(),
                now: @escaping @Sendable () -> Date = { Date() },
                deliver: @escaping @Sendable (SessionEvent) -> Void) {
        let client = session.client
        let schedule = session.schedule
        let engine = session.engine(targets: targets, clock: clock, runAware: true)
        let logs = Refresher<JobRef, JobLog>(clock: clock) { job in
            await engine.admit()
            return try await client.jobLog(pipeline: job.target.pipeline, stage: job.target.stage, jobID: job.jobID)
        }
        let (stream, continuation) = AsyncStream.makeStream(of: SessionCommand.self)
        commands = continuation
        let history = session.history
        // The 7-day reads never answer behind a poll the screen already has (see `WeekReads`).
        let weekReads = WeekReads()
        tasks = [
            Task.detached {
                // What earlier sessions saw, so "usual", the ETA, the timelines and the 7-day
                // rates work from the first frame.
                guard let history else { return }
                let start = now()
                let onScreen = targets.filter { $0.pipeline == firstPipeline }
                for part in [onScreen, targets.filter { $0.pipeline != firstPipeline }] where !part.isEmpty {
                    if let known = try? await history.reader.lastKnown(targets: part) {
                        for stage in known { deliver(.known(stage)) }
                    }
                    // Every stage gets its figures ("usual" comes only from here).
                    await weekReads.read(part, everyStage: true, flush: { await history.flush() }, read: { (part: [Target]) -> [Target: StageFigures]? in
                        guard let figures = try? await history.reader.figures(part, now: start) else { return nil }
                        return Dictionary(figures.map { ($0.target, $0) }, uniquingKeysWith: { first, _ in first })
                    }, deliver: { stages in
                        for (_, figures) in stages { deliver(.figures(figures)) }
                    })
                }
            },
            Task.detached { await engine.run() },
            Task.detached { await logs.run() },
            Task.detached {
                for await result in engine.results {
                    // Recorded first: a 7-day read that begins after the poll is counted finds it.
                    history?.record(result)
                    weekReads.deliverPoll(of: result.target) { deliver(.poll(result)) }
                }
            },
            Task.detached {
                for await update in engine.details {
                    if case .success(let pipeline) = update.outcome { history?.record(pipeline) }
                    deliver(.pipelineDetail(id: update.pipeline, update.outcome))
                }
            },
            Task.detached { for await update in logs.updates { deliver(.log(update.key, update.outcome)) } },
            Task.detached {
                var followedLog: JobRef?
                var paused = false
                for await command in stream {
                    switch command {
                    case .focus(let target):
                        // The engine reads the focused pipeline's run status at the base interval too.
                        if let target { await engine.setFocus(target) }
                    case .watch(let targets):
                        await engine.setTargets(targets)
                    case .refresh(let targets): await engine.refreshNow(targets)
                    case .pause:
                        // Nothing is read while paused (a refused token pauses too): not the
                        // stages, not the run status, not the open log.
                        paused = true
                        await engine.pause()
                        await logs.removeAll()
                    case .resume:
                        paused = false
                        await engine.resume()
                        if let followedLog { await logs.set(followedLog, every: schedule.baseInterval) }
                    case .followLog(let job):
                        followedLog = job
                        await logs.removeAll()
                        if !paused { await logs.set(job, every: schedule.baseInterval) }
                    case .stopLog:
                        followedLog = nil
                        await logs.removeAll()
                    case .loadStageHistory(let target, let now):
                        // Off the command task: a slow disk never holds the polling commands up.
                        Task {
                            // What this session has seen is written first, so the pane shows it too.
                            await history?.flush()
                            deliver(.stageHistory(target, await SessionHistory.lookup(history) { (reader) throws(HistoryError) in
                                try await reader.stageHistory(target, now: now)
                            }))
                        }
                    case .loadWeekOutcomes(let targets, let now, let request):
                        guard let history else { break }
                        // Off the command task, after the writer has what the screen has seen;
                        // a stage polled while it reads is read again (`WeekReads`).
                        Task {
                            await weekReads.read(targets, flush: { await history.flush() }, read: { (targets: [Target]) -> [Target: OutcomeCounts]? in
                                try? await history.reader.weekOutcomes(targets, now: now)
                            }, deliver: { stages in
                                deliver(.weekOutcomes(request: request, Dictionary(stages, uniquingKeysWith: { first, _ in first })))
                            })
                        }
                    case .loadTimeline(let job):
                        Task { deliver(.storedTimeline(job, await SessionHistory.lookup(history) { (reader) throws(HistoryError) in try await reader.timeline(of: job) })) }
                    case .loadPipelines(let offset, let limit):
                        Task {
                            await engine.admit()
                            do {
                                deliver(.pipelinePage(.success(try await client.pipelinesPage(limit: limit, offset: offset))))
                            } catch {
                                deliver(.pipelinePage(.failure(error as? SWRError ?? .transport("the request did not complete"))))
                            }
                        }
                    }
                }
            },
        ]
    }

    /// Queues a command (they run in order).
    public func send(_ command: SessionCommand) {
        commands.yield(command)
    }

    /// Cancels everything; requests in flight are abandoned.
    public func stop() {
        commands.finish()
        for task in tasks { task.cancel() }
    }
}
