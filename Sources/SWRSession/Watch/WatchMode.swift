import Foundation
import SWRAPI
import SWRWatch

/// `--watch`: no screen, one line (or JSON object) per change, flushed line by line; with
/// `--exit-status`, an exit code that says how the watched run ended — never confusing a
/// watcher problem (exit 3) with a failed run (1, 4, 5). Transient errors never end a watch.
public enum WatchMode {
    /// Watches until decided, interrupted or out of time; shuts the session down; the exit code.
    public static func run(session: Session, options: WatchOptions, output: ScriptOutput = .standard) async -> Int32 {
        let targets = session.targets(stage: options.stage)
        guard !targets.isEmpty else {
            output.complain("no watched pipeline has stage \(options.stage ?? 0)")
            await session.shutdown()
            return ExitStatus.usage
        }
        var schedule = session.schedule
        schedule.uniform = true
        let engine = session.engine(targets: targets, schedule: schedule)
        let client = session.client
        let format = WatchFormat(pipelines: session.pipelines, json: options.json)
        let logs = options.logs ? Refresher<JobRef, JobLog>(clock: SystemWatchClock()) { job in
            try await client.jobLog(pipeline: job.target.pipeline, stage: job.target.stage, jobID: job.jobID)
        } : nil
        let follower = WatchFollower(targets: targets, format: format, exitStatus: options.exitStatus, output: output,
                                     logs: logs, logInterval: session.interval, history: session.history)
        let code = await withTaskGroup(of: Int32?.self) { group in
            group.addTask { await engine.run(); return nil }
            if let logs {
                group.addTask { await logs.run(); return nil }
                group.addTask { await WatchLogPrinter(logs: logs, format: format, output: output).run(); return nil }
            }
            group.addTask { await follower.follow(engine.results) { await engine.refreshNow($0) } }
            if let total = options.timeoutTotal {
                group.addTask {
                    do { try await Task.sleep(for: .milliseconds(Int(total * 1000))) } catch { return nil }
                    output.complain("gave up after --timeout-total \(total)s")
                    return ExitStatus.totalTimeout
                }
            }
            var code: Int32?
            while code == nil, let next = await group.next() { code = next }
            group.cancelAll()
            return code
        }
        await session.shutdown()
        return code ?? ExitStatus.ok
    }
}
