import Foundation
import SWRAPI

/// How the simulator writes jobs: like the official example, like the documented table, or a mix.
public enum WireFormat: String, Sendable, CaseIterable {
    /// Numeric id, `duration`/`progress` as strings, `state` (the page's own example).
    case official
    /// String id, integer fields, `status` (the page's table).
    case documented
    /// Each job picks one of the two by its id.
    case mixed

    /// The job as the answer made at `moment` writes it: its times and duration on the wall clock.
    func encode(_ job: SimJob, at moment: SimMoment) -> JSONValue {
        let useOfficial: Bool
        switch self {
        case .official: useOfficial = true
        case .documented: useOfficial = false
        case .mixed: useOfficial = job.id % 3 != 0
        }
        let created = moment.stamp(job.createdAt)
        let duration = moment.seconds(job.buildSeconds)
        if useOfficial {
            return [
                "id": .int(job.id), "service": .string(job.service), "service_id": .int(2865 + job.stage),
                "region_name": "", "resource_type": "image", "resource": .string(job.resource),
                "duration": .string(String(duration)), "state": .string(job.stateWord),
                "progress": .string(String(job.progress)), "pkg": .null,
                "creator_id": "c6993164847244928091da9e86fb723f", "creator_name": .string(job.creator),
                "created_at": .string(created), "log_num": .int(SimLogs.entryCount(job)),
            ]
        }
        return [
            "id": .string(String(job.id)), "duration": .int(duration), "progress": .int(job.progress),
            "status": .string(job.stateWord), "resource": .string(job.resource), "creator_name": .string(job.creator),
            "created_at": .string(created),
        ]
    }
}

/// A tiny YAML writer for the pipeline detail, which the service sends as YAML unless asked
/// for JSON.
enum YAML {
    static func write(_ value: JSONValue, indent: Int = 0) -> String {
        var out = ""
        write(value, indent: indent, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let object):
            for (key, member) in object.members {
                switch member {
                case .object(let o) where !o.members.isEmpty:
                    out += "\(pad)\(key):\n"
                    write(member, indent: indent + 1, into: &out)
                case .array(let a) where !a.isEmpty:
                    out += "\(pad)\(key):\n"
                    write(member, indent: indent + 1, into: &out)
                default:
                    out += "\(pad)\(key): \(scalar(member))\n"
                }
            }
        case .array(let elements):
            for element in elements {
                if case .object = element {
                    var inner = ""
                    write(element, indent: indent + 1, into: &inner)
                    let trimmed = inner.dropFirst((indent + 1) * 2)
                    out += "\(pad)- \(trimmed)"
                } else {
                    out += "\(pad)- \(scalar(element))\n"
                }
            }
        default:
            out += "\(pad)\(scalar(value))\n"
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .string(let s): return s.isEmpty ? "\"\"" : JSONValue.string(s).serialized
        case .object: return "{}"
        case .array: return "[]"
        default: return value.serialized
        }
    }
}
