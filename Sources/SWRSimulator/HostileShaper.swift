import SWRAPI

/// Rewrites a reply's JSON for the `extreme` and `escape` faults, field by field, so the reply
/// keeps its shape (a client still finds every field where it expects it) but not its sanity.
struct HostileShaper {
    /// Which reply is shaped: job ids are rewritten only in a jobs reply and a log reply (whose
    /// job sits at `historyIndex` of its stage's history).
    enum Reply { case pipelines, jobs, log(historyIndex: Int), token }

    let fault: HostileFault
    /// Where the seeded cycles of values start.
    let start: Int

    static let numberKeys: Set<String> = ["duration", "progress", "log_num", "Progress", "stage_index"]
    static let timeKeys: Set<String> = ["created_at", "start_time", "end_time", "Time", "expires_at", "issued_at"]

    /// The shaped value (`extreme` or `escape`; any other fault leaves it as it is).
    func shape(_ value: JSONValue, as reply: Reply) -> JSONValue {
        var cycle = HostileCycle(start: start)
        switch (fault, reply, value) {
        case (.escape, .jobs, .array(let jobs)):
            return .array(jobs.enumerated().map { index, job in walk(job, jobIndex: index, &cycle) })
        case (.escape, .log(let historyIndex), _):
            return walk(value, jobIndex: historyIndex, &cycle)
        default:
            return walk(value, jobIndex: nil, &cycle)
        }
    }

    /// `jobIndex`: the value is that job of a history, whose `id` becomes a hostile id.
    private func walk(_ value: JSONValue, jobIndex: Int?, _ cycle: inout HostileCycle) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.members.map { key, member in
                (key: key, value: field(key, member, jobIndex: jobIndex, &cycle))
            }))
        case .array(let elements):
            return .array(elements.map { walk($0, jobIndex: nil, &cycle) })
        case .string(let text):
            return fault == .escape && !text.isEmpty ? .string(cycle.string()) : value
        default:
            return value
        }
    }

    private func field(_ key: String, _ value: JSONValue, jobIndex: Int?, _ cycle: inout HostileCycle) -> JSONValue {
        if key == "content", case .string(let nested) = value, let inner = try? JSONParser.parse(nested) {
            // A log entry's content is JSON inside a string: shape that JSON too.
            return .string(RawJSON.splice(walk(inner, jobIndex: nil, &cycle).serialized))
        }
        switch fault {
        case .extreme:
            if Self.numberKeys.contains(key) { return RawJSON.value(cycle.number()) }
            if Self.timeKeys.contains(key) { return .string(cycle.time()) }
            return walk(value, jobIndex: nil, &cycle)
        case .escape:
            if key == "id", let jobIndex { return .string(HostileValues.jobID(jobIndex)) }
            return walk(value, jobIndex: nil, &cycle)
        case .redirect, .stall, .huge, .deep:
            return value
        }
    }
}
