import Foundation
import SWRAPI
import SWRWatch

/// The heart of `--watch`: folds each poll result into a store, prints the starting state once
/// (a snapshot) and then every notable change, asks for the logs of new and running jobs (with
/// `--logs`), and feeds `WatchVerdict` until it decides. Takes the engine's results as a stream
/// and its "poll now" as a closure, so tests drive it with a scripted engine.
struct WatchFollower: Sendable {
    let targets: [Target]
    let format: WatchFormat
    let exitStatus: Bool
    let output: ScriptOutput
    var logs: Refresher<JobRef, JobLog>? = nil
    var logInterval: TimeInterval = 5
    var history: SessionHistory? = nil

    /// Reads `results` until the watch is decided: the exit code, or `nil` when the stream ended
    /// first (the watch was stopped from outside).
    func follow(_ results: AsyncStream<PollResult>, refresh: @Sendable ([Target]) async -> Void) async -> Int32? {
        var store = HistoryStore()
        var verdict = WatchVerdict(exitStatus: exitStatus)
        var followedLogs: Set<JobRef> = []
        for await result in results {
            history?.record(result)
            let hadAnswer = store[result.target]?.lastGoodPoll != nil
            let changes = store.apply(result)
            if let logs {
                await followLogs(of: result.target, changes: changes, store: store, followed: &followedLogs, logs: logs)
            }
            if !hadAnswer, case .success = result.outcome {
                output.line(format.snapshot(result.target, job: store[result.target]?.jobs.first, at: result.endedAt))
            }
            output.lines(changes.filter(\.isNotable).map(format.change))
            var failure: SWRError?
            if case .failure(let error) = result.outcome { failure = error }
            let stages = targets.map { WatchVerdict.Stage(lastGoodPoll: store[$0]?.lastGoodPoll, newest: store[$0]?.jobs.first?.state) }
            switch verdict.observe(error: failure, at: result.endedAt, stages: stages) {
            case .keepGoing: continue
            case .confirm: await refresh(targets)
            case .exit(let code):
                if let failure, code == ExitStatus.serviceUnreadable {
                    output.complain("\(EventText.placeName(result.target, pipelines: format.pipelines)): \(failure)")
                }
                return code
            }
        }
        return nil
    }

    /// The log of the newest job while it runs, and of any job that appears (even if it ended
    /// already); jobs that left the history are forgotten, so the set stays as small as they are.
    private func followLogs(of target: Target, changes: [JobChange], store: HistoryStore, followed: inout Set<JobRef>,
                            logs: Refresher<JobRef, JobLog>) async {
        var wanted: [JobRef] = []
        for change in changes {
            switch change.kind {
            // A job the server sent without an id has no log to ask for.
            case .appeared(let job) where job.hasID: wanted.append(JobRef(target: change.target, jobID: job.id))
            case .disappeared(let id): followed.remove(JobRef(target: change.target, jobID: id))
            default: break
            }
        }
        if let newest = store[target]?.jobs.first, newest.hasID, !newest.state.isFinal {
            wanted.append(JobRef(target: target, jobID: newest.id))
        }
        for job in wanted where followed.insert(job).inserted {
            await logs.set(job, every: logInterval)
        }
    }
}
