import Foundation
import SWRAPI
import SWRSession
import SWRTopUI
import SWRWatch
import Terminal

/// `--watch`: no screen, one line (or JSON object) per change, flushed line by line; with
/// `--exit-status`, an exit code that says how the watched run ended — never confusing a
/// watcher problem (exit 3) with a failed run (1, 4, 5). Transient errors never end a watch.
enum WatchMode {
    struct Options: Sendable {
        var json: Bool
        var exitStatus: Bool
        var stage: Int?
        var timeoutTotal: Double?
        /// Also print new log lines of the watched jobs.
        var logs = false
    }

    static func run(session: Session, options: Options) async -> Int32 {
        let targets = session.pipelines.flatMap { pipeline in
            pipeline.stages.filter { options.stage == nil || $0.index == options.stage }.map { Target(pipeline: pipeline.id, stage: $0.index) }
        }
        guard !targets.isEmpty else {
            complain("no watched pipeline has stage \(options.stage ?? 0)")
            await session.shutdown()
            return Exit.usage
        }
        var schedule = PollSchedule(baseInterval: session.interval)
        schedule.uniform = true
        let engine = PollingEngine(source: session.client, clock: SystemWatchClock(), targets: targets, schedule: schedule,
                                   maxConcurrent: 8, requestTimeout: session.timeout + 1)
        let client = session.client
        let logs = options.logs ? Refresher<LogKey, JobLog>(clock: SystemWatchClock()) { key in
            try await client.jobLog(pipeline: key.target.pipeline, stage: key.target.stage, jobID: key.jobID)
        } : nil
        let code = await withTaskGroup(of: Int32.self) { group in
            group.addTask { await engine.run(); return -1 }
            if let logs {
                group.addTask { await logs.run(); return -1 }
                group.addTask { await LogPrinter.print(logs, pipelines: session.pipelines, json: options.json); return -1 }
            }
            group.addTask {
                await follow(engine: engine, targets: targets, pipelines: session.pipelines, options: options,
                             logs: logs, logInterval: session.interval)
            }
            if let total = options.timeoutTotal {
                group.addTask {
                    do { try await Task.sleep(for: .milliseconds(Int(total * 1000))) } catch { return -1 }
                    complain("gave up after --timeout-total \(total)s")
                    return Exit.totalTimeout
                }
            }
            var code: Int32 = -1
            while code == -1, let next = await group.next() { code = next }
            group.cancelAll()
            return code
        }
        await session.shutdown()
        return code == -1 ? Exit.ok : code
    }

    /// Reads results until the watch is decided (only with `--exit-status`, or on a fatal error).
    static func follow(engine: PollingEngine, targets: [Target], pipelines: [PipelineInfo], options: Options,
                       logs: Refresher<LogKey, JobLog>? = nil, logInterval: TimeInterval = 5) async -> Int32 {
        var store = HistoryStore()
        var verdict = WatchVerdict(exitStatus: options.exitStatus)
        var followedLogs: Set<LogKey> = []
        for await result in engine.results {
            let hadAnswer = store[result.target]?.lastGoodPoll != nil
            let changes = store.apply(result)
            if let logs {
                // The log of the newest job while it runs, and of any job that appears (even if it ended already).
                var wanted: [LogKey] = []
                for change in changes {
                    switch change.kind {
                    // A job the server sent without an id has no log to ask for.
                    case .appeared(let job) where job.hasID: wanted.append(LogKey(target: change.target, jobID: job.id))
                    // Jobs that left the history are forgotten, so the set stays as small as the histories.
                    case .disappeared(let id): followedLogs.remove(LogKey(target: change.target, jobID: id))
                    default: break
                    }
                }
                if let newest = store[result.target]?.jobs.first, newest.hasID, !newest.state.isFinal {
                    wanted.append(LogKey(target: result.target, jobID: newest.id))
                }
                for key in wanted where followedLogs.insert(key).inserted {
                    await logs.set(key, every: logInterval)
                }
            }
            if !hadAnswer, case .success = result.outcome {
                emit(baseline: result.target, store: store, pipelines: pipelines, json: options.json, at: result.endedAt)
            }
            for change in changes where change.isNotable {
                emit(change, pipelines: pipelines, json: options.json)
            }
            var failure: SWRError?
            if case .failure(let error) = result.outcome { failure = error }
            let stages = targets.map { WatchVerdict.Stage(lastGoodPoll: store[$0]?.lastGoodPoll, newest: store[$0]?.jobs.first?.state) }
            switch verdict.observe(error: failure, at: result.endedAt, stages: stages) {
            case .keepGoing: continue
            case .confirm: await engine.refreshNow(targets)
            case .exit(let code):
                if let failure, code == Exit.serviceUnreadable {
                    complain("\(EventText.placeName(result.target, pipelines: pipelines)): \(failure)")
                }
                return code
            }
        }
        return -1
    }

    static func emit(baseline target: Target, store: HistoryStore, pipelines: [PipelineInfo], json: Bool, at: Date) {
        let place = EventText.placeName(target, pipelines: pipelines)
        let job = store[target]?.jobs.first
        if json {
            var object = base(target: target, pipelines: pipelines, at: at, event: "current")
            object.members.append((key: "job", value: job.map(Snapshot.jobJSON) ?? .null))
            write(JSONValue.object(object).serialized)
        } else if let job {
            write("\(Format.clock(at)) \(place) #\(job.id) \(job.state.displayName)" + (job.displayProgress.map { " \($0)%" } ?? "") + " \(Format.duration(job.duration))")
        } else {
            write("\(Format.clock(at)) \(place) no jobs yet")
        }
    }

    static func emit(_ change: JobChange, pipelines: [PipelineInfo], json: Bool) {
        guard json else {
            write("\(Format.clock(change.at)) " + EventText.describe(change, pipelines: pipelines))
            return
        }
        var object: JSONObject
        switch change.kind {
        case .appeared(let job):
            object = base(target: change.target, pipelines: pipelines, at: change.at, event: "appeared")
            object.members.append((key: "job", value: Snapshot.jobJSON(job)))
        case .stateChanged(let id, let from, let to):
            object = base(target: change.target, pipelines: pipelines, at: change.at, event: "state_changed")
            object.members += [(key: "job_id", value: .string(id)), (key: "from", value: .string(from.label)), (key: "to", value: .string(to.label)),
                               (key: "raw_to", value: .string(to.displayName))]
        case .progressChanged(let id, let from, let to):
            object = base(target: change.target, pipelines: pipelines, at: change.at, event: "progress_changed")
            object.members += [(key: "job_id", value: .string(id)), (key: "from", value: from.map(JSONValue.int) ?? .null), (key: "to", value: to.map(JSONValue.int) ?? .null)]
        case .durationChanged(let id, let from, let to):
            object = base(target: change.target, pipelines: pipelines, at: change.at, event: "duration_changed")
            object.members += [(key: "job_id", value: .string(id)), (key: "from", value: from.map(JSONValue.int) ?? .null), (key: "to", value: to.map(JSONValue.int) ?? .null)]
        case .disappeared(let id):
            object = base(target: change.target, pipelines: pipelines, at: change.at, event: "disappeared")
            object.members.append((key: "job_id", value: .string(id)))
        case .targetFailed(let error):
            object = base(target: change.target, pipelines: pipelines, at: change.at, event: "stage_failed")
            object.members.append((key: "error", value: Snapshot.errorJSON(error)))
        case .targetRecovered:
            object = base(target: change.target, pipelines: pipelines, at: change.at, event: "stage_recovered")
        }
        write(JSONValue.object(object).serialized)
    }

    static func base(target: Target, pipelines: [PipelineInfo], at: Date, event: String) -> JSONObject {
        let pipeline = pipelines.first { $0.id == target.pipeline }
        let stage = pipeline?.stages.first { $0.index == target.stage }
        return JSONObject([
            (key: "at", value: .string(ISO8601.format(at))), (key: "event", value: .string(event)),
            (key: "pipeline_id", value: .int(target.pipeline)), (key: "pipeline", value: .string(pipeline?.name ?? "")),
            (key: "stage_index", value: .int(target.stage)), (key: "stage", value: .string(stage?.name ?? "")),
        ])
    }

    /// One line, written at once (works the same through a pipe or a file). Server text in it
    /// passes the sanitiser here, the one way out of this mode.
    static func write(_ line: String) {
        FileDescriptorWriter.write(SafeText.line(line) + "\n", fd: 1)
    }
}
