import Foundation
import SWRAPI
import SWRWatch

/// `--watch --logs`: prints each new log line of the followed jobs once, and stops reading a
/// job's log after the answer that shows the job ended.
struct WatchLogPrinter: Sendable {
    let logs: Refresher<JobRef, JobLog>
    let format: WatchFormat
    let output: ScriptOutput

    func run() async {
        var tails: [JobRef: LogTail] = [:]
        for await update in logs.updates {
            guard case .success(let log) = update.outcome else { continue }
            var tail = tails[update.key] ?? LogTail()
            let added = tail.merge(log)
            output.lines(tail.lines.suffix(added).map { format.log($0, job: update.key, at: update.at) })
            if tail.job?.state.isFinal == true {
                await logs.remove(update.key)
                tails[update.key] = nil
            } else {
                tails[update.key] = tail
            }
        }
    }
}
