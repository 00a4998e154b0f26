/// Narrows the pipeline list: `filter=name::{n}|group_name::{g}` (name is a fuzzy match).
public struct PipelineFilter: Sendable, Hashable {
    public var name: String?
    public var group: String?

    public init(name: String? = nil, group: String? = nil) {
        self.name = name
        self.group = group
    }

    /// The `filter` query value, percent-encoded, or `nil` when nothing narrows the list.
    public var queryValue: String? {
        var parts: [String] = []
        if let name, !name.isEmpty { parts.append("name::" + Self.encode(name)) }
        if let group, !group.isEmpty { parts.append("group_name::" + Self.encode(group)) }
        return parts.isEmpty ? nil : parts.joined(separator: "%7C")
    }

    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Parses a `filter` query value (the simulator's side of the same format).
    public init(queryValue: String) {
        for part in queryValue.removingPercentEncodingLenient().split(separator: "|") {
            let pieces = part.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard pieces.count == 3 else { continue }
            let value = String(pieces[2])
            switch pieces[0] {
            case "name": name = value
            case "group_name": group = value
            default: break
            }
        }
    }
}

extension String {
    /// Percent-decoding that never fails: bad escapes are kept as written.
    func removingPercentEncodingLenient() -> String {
        var bytes: [UInt8] = []
        var iterator = Array(utf8)
        var i = 0
        while i < iterator.count {
            if iterator[i] == UInt8(ascii: "%"), i + 2 < iterator.count,
               let value = UInt8(String(decoding: iterator[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                i += 3
            } else {
                bytes.append(iterator[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : iterator[i])
                i += 1
            }
        }
        iterator.removeAll()
        return String(decoding: bytes, as: UTF8.self)
    }
}
