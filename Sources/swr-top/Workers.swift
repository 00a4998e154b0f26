import Foundation
import SWRAPI
import SWRTopUI
import SWRWatch

/// The dashboard's background work: the polling engine, the refresher of pipeline run status
/// (focused pipeline at the base interval, others once a minute) and of the open job log (the focused
/// interval), and picker pages. Commands from the UI thread run in order on one task, so a
/// `stopLog` never overtakes the `followLog` before it. Every answer goes to the inbox.
final class Workers: Sendable {
    enum Command: Sendable {
        case focus(Target?)
        case watch([Target])
        case effect(Effect)
    }

    private let commands: AsyncStream<Command>.Continuation
    private let tasks: [Task<Void, Never>]

    init(session: Session, targets: [Target], inbox: AppLoop.Inbox) {
        let client = session.client
        let clock = SystemWatchClock()
        let schedule = PollSchedule(baseInterval: session.interval)
        let engine = PollingEngine(source: client, clock: clock, targets: targets, schedule: schedule, maxConcurrent: 8,
                                   requestTimeout: session.timeout + 1)
        let statuses = Refresher<Int, Pipeline>(clock: clock) { id in try await client.pipeline(id: id) }
        let logs = Refresher<LogKey, JobLog>(clock: clock) { key in
            try await client.jobLog(pipeline: key.target.pipeline, stage: key.target.stage, jobID: key.jobID)
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Command.self)
        commands = continuation
        tasks = [
            Task.detached { await engine.run() },
            Task.detached { await statuses.run() },
            Task.detached { await logs.run() },
            Task.detached { for await result in engine.results { inbox.push(.poll(result)) } },
            Task.detached { for await update in statuses.updates { inbox.push(.pipelineDetail(id: update.key, update.outcome)) } },
            Task.detached { for await update in logs.updates { inbox.push(.log(update.key, update.outcome)) } },
            Task.detached {
                var pipelines = Set(targets.map(\.pipeline))
                for await command in stream {
                    switch command {
                    case .focus(let target):
                        if let target { await engine.setFocus(target) }
                        // Run status sharpens the strip of the focused pipeline; others only feed the
                        // overview's pending marks, so they are read once a minute.
                        for id in pipelines {
                            await statuses.set(id, every: id == target?.pipeline ? schedule.baseInterval : schedule.cap)
                        }
                    case .watch(let targets):
                        await engine.setTargets(targets)
                        pipelines = Set(targets.map(\.pipeline))
                    case .effect(.followLog(let key)):
                        await logs.removeAll()
                        await logs.set(key, every: schedule.baseInterval)
                    case .effect(.stopLog):
                        await logs.removeAll()
                    case .effect(.loadPipelines(let offset)):
                        Task {
                            do {
                                let page = try await client.pipelinesPage(limit: PipelinePicker.pageSize, offset: offset)
                                inbox.push(.pipelinePage(.success(page)))
                            } catch {
                                inbox.push(.pipelinePage(.failure(error as? SWRError ?? .transport(String(describing: error)))))
                            }
                        }
                    case .effect(.refresh(let targets)): await engine.refreshNow(targets)
                    case .effect(.pause): await engine.pause()
                    case .effect(.resume): await engine.resume()
                    case .effect: break
                    }
                }
            },
        ]
    }

    func send(_ command: Command) {
        commands.yield(command)
    }

    /// Cancels everything; requests in flight are abandoned.
    func stop() {
        commands.finish()
        for task in tasks { task.cancel() }
    }
}
