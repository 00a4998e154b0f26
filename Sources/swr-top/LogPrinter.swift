import Foundation
import SWRAPI
import SWRTopUI
import SWRWatch

/// `--watch --logs`: prints each new log line of the followed jobs once, as text or JSON Lines,
/// and stops reading a job's log after the answer that shows the job ended.
enum LogPrinter {
    static func print(_ logs: Refresher<LogKey, JobLog>, pipelines: [PipelineInfo], json: Bool) async {
        var tails: [LogKey: LogTail] = [:]
        for await update in logs.updates {
            guard case .success(let log) = update.outcome else { continue }
            var tail = tails[update.key] ?? LogTail()
            let added = tail.merge(log)
            for line in tail.lines.suffix(added) {
                WatchMode.write(format(line, key: update.key, pipelines: pipelines, json: json, at: update.at))
            }
            if tail.job?.state.isFinal == true {
                await logs.remove(update.key)
                tails[update.key] = nil
            } else {
                tails[update.key] = tail
            }
        }
    }

    static func format(_ line: JobLog.Line, key: LogKey, pipelines: [PipelineInfo], json: Bool, at: Date) -> String {
        let message = LogText.plain(line.message)
        if json {
            var object = WatchMode.base(target: key.target, pipelines: pipelines, at: at, event: "log")
            object.members += [
                (key: "job_id", value: .string(key.jobID)), (key: "kind", value: .string(kindName(line.kind))),
                (key: "time", value: line.time.map { .string(ISO8601.format($0)) } ?? .null), (key: "message", value: .string(message)),
            ]
            return JSONValue.object(object).serialized
        }
        let place = "\(EventText.placeName(key.target, pipelines: pipelines)) #\(key.jobID)"
        let time = Format.clock(line.time ?? at)
        switch line.kind {
        case .phase: return "\(time) \(place) == \(message) =="
        case .content: return "\(time) \(place) | \(message)"
        case .raw: return "\(time) \(place) | (raw) \(message)"
        case .note: return "\(time) \(place) -- \(message)"
        }
    }

    static func kindName(_ kind: JobLog.Line.Kind) -> String {
        switch kind {
        case .phase: return "phase"
        case .content: return "content"
        case .raw: return "raw"
        case .note: return "note"
        }
    }
}
