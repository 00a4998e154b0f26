import Foundation
import SWRAPI
import SWRWatch

/// The `--watch` lines: text for people, JSON Lines for programs (README "JSON"). Each function
/// returns one line without its newline; `ScriptOutput` sanitises and writes it.
public struct WatchFormat: Sendable {
    public var pipelines: [PipelineInfo]
    public var json: Bool
    /// The zone of the text form's clock times (the user's; fixed in tests).
    public var timeZone: TimeZone

    public init(pipelines: [PipelineInfo], json: Bool, timeZone: TimeZone = .current) {
        self.pipelines = pipelines
        self.json = json
        self.timeZone = timeZone
    }

    /// The state of a stage when the watch begins (its first answer): marked as a snapshot, so it
    /// is never mistaken for a live change. `job` is the newest job, if any.
    public func snapshot(_ target: Target, job: Job?, at: Date) -> String {
        if json {
            var object = base(target, at: at, event: "snapshot")
            object.members.append((key: "job", value: job.map(SnapshotFormat.jobJSON) ?? .null))
            return JSONValue.object(object).serialized
        }
        let head = "\(Format.clock(at, timeZone: timeZone)) snapshot \(EventText.placeName(target, pipelines: pipelines))"
        guard let job else { return "\(head) no jobs yet" }
        return "\(head) #\(job.id) \(job.state.displayName)" + (job.displayProgress.map { " \($0)%" } ?? "") + " \(Format.duration(job.duration))"
    }

    /// One change.
    public func change(_ change: JobChange) -> String {
        guard json else {
            return "\(Format.clock(change.at, timeZone: timeZone)) " + EventText.describe(change, pipelines: pipelines)
        }
        var object: JSONObject
        switch change.kind {
        case .appeared(let job):
            object = base(change.target, at: change.at, event: "appeared")
            object.members.append((key: "job", value: SnapshotFormat.jobJSON(job)))
        case .stateChanged(let id, let from, let to):
            object = base(change.target, at: change.at, event: "state_changed")
            object.members += [(key: "job_id", value: .string(id)), (key: "from", value: .string(from.label)), (key: "to", value: .string(to.label)),
                               (key: "raw_to", value: .string(to.displayName))]
        case .progressChanged(let id, let from, let to):
            object = base(change.target, at: change.at, event: "progress_changed")
            object.members += [(key: "job_id", value: .string(id)), (key: "from", value: from.map(JSONValue.int) ?? .null), (key: "to", value: to.map(JSONValue.int) ?? .null)]
        case .durationChanged(let id, let from, let to):
            object = base(change.target, at: change.at, event: "duration_changed")
            object.members += [(key: "job_id", value: .string(id)), (key: "from", value: from.map(JSONValue.int) ?? .null), (key: "to", value: to.map(JSONValue.int) ?? .null)]
        case .disappeared(let id):
            object = base(change.target, at: change.at, event: "disappeared")
            object.members.append((key: "job_id", value: .string(id)))
        case .targetFailed(let error):
            object = base(change.target, at: change.at, event: "stage_failed")
            object.members.append((key: "error", value: SnapshotFormat.errorJSON(error)))
        case .targetRecovered:
            object = base(change.target, at: change.at, event: "stage_recovered")
        }
        return JSONValue.object(object).serialized
    }

    /// One new line of a job's log (`--watch --logs`).
    public func log(_ line: JobLog.Line, job: JobRef, at: Date) -> String {
        let message = LogText.plain(line.message)
        if json {
            var object = base(job.target, at: at, event: "log")
            object.members += [
                (key: "job_id", value: .string(job.jobID)), (key: "kind", value: .string(Self.kindName(line.kind))),
                (key: "time", value: line.time.map { .string(ISO8601.format($0)) } ?? .null), (key: "message", value: .string(message)),
            ]
            return JSONValue.object(object).serialized
        }
        let place = "\(EventText.placeName(job.target, pipelines: pipelines)) #\(job.jobID)"
        let time = Format.clock(line.time ?? at, timeZone: timeZone)
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

    /// The members every JSON line starts with, in this order.
    func base(_ target: Target, at: Date, event: String) -> JSONObject {
        let pipeline = pipelines.first { $0.id == target.pipeline }
        let stage = pipeline?.stages.first { $0.index == target.stage }
        return JSONObject([
            (key: "at", value: .string(ISO8601.format(at))), (key: "event", value: .string(event)),
            (key: "pipeline_id", value: .int(target.pipeline)), (key: "pipeline", value: .string(pipeline?.name ?? "")),
            (key: "stage_index", value: .int(target.stage)), (key: "stage", value: .string(stage?.name ?? "")),
        ])
    }
}
