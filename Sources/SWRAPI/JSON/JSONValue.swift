/// A parsed JSON document that keeps object keys in order and integers exact.
///
/// swr-top parses every body itself rather than through `Codable`: the service sends numbers as
/// strings, renames fields and mixes shapes, and a hand-written reader lets each field be read
/// leniently and every error say where it happened (line and column).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The value of `key` when this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// A short name of the value's kind, for error messages ("an object", "a string").
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The value as a string when it is a string or a number (ids come both ways).
    public var lenientString: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 9.0e15 { return String(Int(d)) }
            return String(d)
        default: return nil
        }
    }

    /// The value as an integer when it is a number or a numeric string ("12", " 63.5 ").
    /// Fractions are truncated; values outside `Int`'s range, NaN and anything else give `nil`.
    public var lenientInt: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d): return JSONValue.clampedInt(d)
        case .string(let s):
            let trimmed = s.trimmingSpaces()
            if let i = Int(trimmed) { return i }
            if let d = Double(trimmed) { return JSONValue.clampedInt(d) }
            return nil
        case .bool, .null, .array, .object: return nil
        }
    }

    /// The value as a string only when it is a non-empty string.
    public var nonEmptyString: String? {
        if case .string(let s) = self, !s.isEmpty { return s }
        return nil
    }

    /// The elements when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    static func clampedInt(_ d: Double) -> Int? {
        guard d.isFinite, d > -9.0e18, d < 9.0e18 else { return nil }
        return Int(d)
    }
}

/// A JSON object as an ordered list of members; lookup is linear, which is fastest for the
/// small objects (about 15 keys) the service sends.
public struct JSONObject: Sendable, Equatable {
    public var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    public subscript(key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    public var keys: [String] { members.map(\.key) }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
