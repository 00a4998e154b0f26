import Foundation
import Glibc
import Testing
@testable import SWRAPI

// JSONParser against Foundation's JSONSerialization, differentially: a few thousand seeded
// bodies (valid documents with every number form, escape, surrogate pair and nesting the
// generator knows; the fuzz corpus' seed bodies; byte mutations of both) through both readers.
// They must accept and reject the same bodies and read the same values, except where a
// documented difference explains it. Each difference, and why ours is the right one for a
// client that reads a possibly hostile server:
//
// Ours accepts, Foundation rejects the whole body:
// - Invalid UTF-8 in a string: ours reads U+FFFD in its place. One job with a mangled creator
//   name must not cost the whole job list; every text is sanitised before it is shown.
// - A lone surrogate escape (`"\ud800"`, `"\udc00"`, a high one followed by anything but a low
//   one): ours reads U+FFFD for it, and the escape after it on its own. Same reason.
// - A number beyond Double's range (`1e309`, `-1e400`): ours reads ±infinity; the checks of
//   `Job` (progress 0-100, duration 0-10 years) turn any non-finite value into an absent one, so
//   the field is dropped and the rest of the answer is kept.
// Ours rejects, Foundation accepts:
// - Nesting deeper than `JSONParser.maxDepth` (256; Foundation's limit is 512): the reader
//   recurses once per level, and SWR's answers nest three levels; a small bound keeps the stack
//   safe whatever the thread.
// - A trailing comma (`[1,]`, `{"a":1,}`): not JSON (RFC 8259); a body like that is broken.
// - UTF-16 or UTF-32 without a byte order mark (Foundation guesses from zero bytes): JSON
//   between systems is UTF-8 (RFC 8259, section 8.1), and SWR sends UTF-8.
// Both accept, values differ:
// - Duplicate keys: Foundation keeps the last; ours keeps every member in order and a lookup
//   answers the first. RFC 8259 leaves it to the reader; ours loses nothing and is the same
//   every time (`duplicateKeysLookUpTheFirst`). The comparison takes the last of ours.
// - Negative integers of 19 digits (-1000000000000000000 and below): Foundation makes a Double
//   of them (exact only to 2^53; positive ones stay Int64); ours keeps the exact Int
//   (`numbersAreCorrectlyRounded` checks ours against Int64 and strtod).
// - Decimal numbers: Foundation's conversion is not correctly rounded (up to 14 units in the
//   last place off on this corpus, e.g. 4.0289202905719607e-100 and
//   0.3333333333333333333333333333); ours is, checked against the C library's strtod. Doubles
//   are compared within `JSONShape.ulpTolerance`.
// - A raw U+FEFF inside a string that also has escapes: Foundation drops it; ours keeps the
//   text as sent. Compared with U+FEFF left out of both when the body has one.
//
// Checked with Swift 6.3.1's Foundation on Linux (swift-corelibs-foundation).

/// Seeded JSON bodies: valid documents with every number form, escape, surrogate pair and
/// nesting the generator knows, the fuzz corpus' seed bodies, and byte mutations of both.
struct JSONCorpus {
    var rng: SeededRandom

    /// The seed bodies of `Tests/ReliabilityTests/FuzzTests.swift` (official and documented job
    /// shapes, odd values, an error body, an HTML page).
    static let fuzzSeeds: [String] = [
        #"[{"id": 2211, "service": "jenkins_build", "service_id": 2865, "region_name": "", "resource_type": "image", "resource": "swr/tomcat:1.0", "duration": "12", "state": "Successful", "progress": "100", "pkg": null, "creator_id": "c6993164847244928091da9e86fb723f", "creator_name": "f00355482", "created_at": "2018-12-15T12:33:45.459407Z", "log_num": 1}]"#,
        #"[{"id": "88", "duration": 42, "progress": 63, "status": "Building"}, {"id": "87", "duration": 40, "progress": 100, "status": "Successful"}]"#,
        #"[{"id": null, "state": "rollbacking", "progress": 1e309, "duration": "-0", "created_at": "0001-01-01T00:00:00Z", "creator_name": "王小明 🚀\u0000"}, 7, "x", [], {}]"#,
        #"{"errorCode": "SVCSTG.SWR.4010000", "errorMessage": "token expired"}"#,
        "<html><body>502 Bad Gateway</body></html>",
    ]

    static let numbers = [
        "0", "-0", "0.0", "-0.0", "1.5", "-2.25", "0.1", "1e2", "1E-2", "1e+2", "-1.5e10", "2.5E+300",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551615",
        "18446744073709551616", "-9223372036854775809", "123456789012345678901234567890",
        "1e308", "1.7976931348623157e308", "1e309", "-1e400", "4.9e-324", "1e-400", "2.2250738585072014e-308",
    ]
    static let rawText = ["王小明", "é", "e\u{301}", "🚀", "👍🏽", "\u{7F}", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{FFFF}", "\u{10FFFF}"]
    static let plainText = ["a", "id", "Successful", " ", "x y", "1", "-", "{", "[", ":", ","]
    static let escapes = ["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0000", "\\u001b"]
    static let loneSurrogates = ["\\ud800", "\\udc00", "\\ud800\\u0041", "\\udbff\\ud800", "\\ud83d"]
    static let keys = ["id", "state", "progress", "duration", "created_at", "name", "a", "é", "\\u00e9", "王", ""]
    static let tokens: [[UInt8]] = [
        "null", "[", "]", "{", "}", "\"", ",", ":", "1e999", "-", "\\u00", "\\ud800", "0.5", "\"state\"", "\"id\"",
        "true", "\u{FFFF}", "\\", "99999999999999999999", "0", "01", ".", "e", "\u{FEFF}", " ",
    ].map { Array($0.utf8) }

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    mutating func oneIn(_ n: UInt64) -> Bool { rng.next() % n == 0 }

    static func hex4(_ v: Int) -> String {
        let digits = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    mutating func space(_ out: inout String) {
        if oneIn(3) { out += pick([" ", "\n", "\t", "\r\n", "  "]) }
    }

    mutating func number(_ out: inout String) {
        switch rng.next() % 11 {
        case 0: out += String(rng.next() % 1000)
        case 1: out += String(Int64(bitPattern: rng.next()))
        case 2, 3: out += pick(Self.numbers)
        case 4: out += "\(rng.next() % 100_000).\(rng.next() % 100_000_000)"
        case 5: out += "\(rng.next() % 1000)e\(Int(rng.next() % 40) - 20)"
        case 6: out += String(Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF))  // any finite double, shortest form
        case 7: out += "0.\(String(repeating: "3", count: 1 + Int(rng.next() % 30)))"  // more digits than a double holds
        case 8: out += String(rng.unit() * 1e6)
        case 9: out += "-\(rng.next() % 10_000_000_000_000_000_000)"  // up to 19 digits
        default: out += String(rng.next() % 10)
        }
    }

    mutating func string(_ out: inout String) {
        out += "\""
        for _ in 0..<Int(rng.next() % 8) {
            switch rng.next() % 12 {
            case 0: out += pick(Self.escapes)
            case 1: out += Self.hex4(Int(rng.next() % 0xD800))
            case 2: out += Self.hex4(0xE000 + Int(rng.next() % 0x2000)).uppercased().replacingOccurrences(of: "\\U", with: "\\u")
            case 3:  // an escaped surrogate pair
                let v = Int(rng.next() % 0x100000)
                out += Self.hex4(0xD800 + (v >> 10)) + Self.hex4(0xDC00 + (v & 0x3FF))
            case 4, 5: out += pick(Self.rawText)
            case 6 where oneIn(4): out += pick(Self.loneSurrogates)
            default: out += pick(Self.plainText)
            }
        }
        out += "\""
    }

    mutating func value(_ out: inout String, depth: Int) {
        switch rng.next() % (depth > 5 ? 5 : 7) {
        case 0: out += pick(["null", "true", "false"])
        case 1, 2: number(&out)
        case 3, 4: string(&out)
        case 5:
            out += "["
            for i in 0..<Int(rng.next() % 5) {
                if i > 0 { out += "," }
                space(&out)
                value(&out, depth: depth + 1)
                space(&out)
            }
            if oneIn(60) { out += "," }  // not JSON; Foundation takes it
            out += "]"
        default:
            out += "{"
            for i in 0..<Int(rng.next() % 5) {
                if i > 0 { out += "," }
                space(&out)
                out += "\"\(pick(Self.keys))\""
                space(&out)
                out += ":"
                space(&out)
                value(&out, depth: depth + 1)
                space(&out)
            }
            if oneIn(60) { out += "," }
            out += "}"
        }
    }

    /// Arrays or objects nested around the limits of both readers.
    mutating func nested() -> String {
        let depth = pick([255, 256, 257, 300, 511, 512, 513, 1000])
        let object = oneIn(2)
        return String(repeating: object ? "{\"a\":" : "[", count: depth) + "1" + String(repeating: object ? "}" : "]", count: depth)
    }

    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + Int(rng.next() % 3)) {
            let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 7 {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            case 1: bytes.insert(contentsOf: pick(Self.tokens), at: position)
            case 2 where !bytes.isEmpty: bytes.removeSubrange(position..<min(bytes.count, position + 1 + Int(rng.next() % 8)))
            case 3: bytes = Array(bytes.prefix(position))
            case 4 where !bytes.isEmpty: bytes[position] = pick(Array("{}[]\",:0-.eE \\tfn".utf8))
            case 5 where !bytes.isEmpty: bytes.remove(at: position)
            default: bytes.append(pick(Array("}] ,0\"".utf8)))
            }
        }
        return bytes
    }

    /// The next body: a fifth mutated fuzz seeds or deep nesting, the rest generated; half of
    /// everything mutated.
    mutating func next() -> [UInt8] {
        var text = ""
        switch rng.next() % 20 {
        case 0: return mutate(Array(pick(Self.fuzzSeeds).utf8))
        case 1: text = pick(Self.fuzzSeeds)
        case 2: text = nested()
        default:
            space(&text)
            value(&text, depth: 0)
            space(&text)
        }
        if oneIn(100) {  // UTF-16 without a byte order mark, big- or little-endian
            let bigEndian = oneIn(2)
            return text.utf16.flatMap { unit in bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        }
        return oneIn(2) ? mutate(Array(text.utf8)) : Array(text.utf8)
    }
}

/// What a body has that makes the two readers differ by design (see `JSONOracleTests`).
struct JSONFeatures {
    var invalidUTF8 = false
    var loneSurrogate = false
    var numberOutOfRange = false
    var depth = 0
    var trailingComma = false
    var zeroByteUpFront = false
    var byteOrderMarkInString = false

    init(_ bytes: [UInt8]) {
        invalidUTF8 = !String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
        zeroByteUpFront = bytes.prefix(4).contains(0)
        var i = 0
        var depthNow = 0
        var lastSignificant: UInt8 = 0
        func hex(at index: Int) -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            return UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
        }
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                i += 1
                var pendingHigh = false
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
                        if bytes[i + 1] == UInt8(ascii: "u"), let v = hex(at: i + 2) {
                            if (0xDC00..<0xE000).contains(v) {
                                if !pendingHigh { loneSurrogate = true }
                                pendingHigh = false
                            } else {
                                if pendingHigh { loneSurrogate = true }
                                pendingHigh = (0xD800..<0xDC00).contains(v)
                            }
                            i += 6
                            continue
                        }
                        if pendingHigh { loneSurrogate = true }
                        pendingHigh = false
                        i += 2
                        continue
                    }
                    if pendingHigh { loneSurrogate = true }
                    pendingHigh = false
                    if bytes[i] == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF { byteOrderMarkInString = true }
                    i += 1
                }
                if pendingHigh { loneSurrogate = true }
                i += 1
                lastSignificant = UInt8(ascii: "\"")
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depthNow += 1
                depth = max(depth, depthNow)
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depthNow -= 1
                if lastSignificant == UInt8(ascii: ",") { trailingComma = true }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var end = i
                while end < bytes.count, "+-.eE0123456789".utf8.contains(bytes[end]) { end += 1 }
                if let value = Double(String(decoding: bytes[i..<end], as: UTF8.self)), !value.isFinite { numberOutOfRange = true }
                i = max(end, i + 1)
                lastSignificant = byte
                continue
            default: break
            }
            if ![0x20, 0x0A, 0x0D, 0x09].contains(byte) { lastSignificant = byte }
            i += 1
        }
    }
}

/// A JSON value in a form both readers' results convert to.
indirect enum JSONShape: CustomStringConvertible {
    case null, bool(Bool), int(Int64), uint(UInt64), double(Double), string([Unicode.Scalar])
    case array([JSONShape]), object([String: JSONShape])

    /// Where a comparison needed one of the documented allowances.
    enum Allowance: String, CaseIterable {
        case duplicateKeysLastTaken = "duplicate keys (compared: the last)"
        case integerMadeDouble = "Foundation made a Double of a negative 19-digit integer"
        case doubleRounding = "Foundation's double not correctly rounded"
        case byteOrderMarkDropped = "Foundation dropped a U+FEFF inside a string"
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .uint(let u): return "\(u) (UInt64)"
        case .double(let d): return "\(d) (Double)"
        case .string(let s):
            return "\"" + s.map { $0.value < 0x80 && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined() + "\""
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { "\($0): \(o[$0]!)" }.joined(separator: ", ") + "}"
        }
    }

    /// Ours; of duplicate keys the last, as Foundation keeps it.
    init(_ value: JSONValue, allowances: inout Set<Allowance>) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(Int64(i))
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(Array(s.unicodeScalars))
        case .array(let a): self = .array(a.map { JSONShape($0, allowances: &allowances) })
        case .object(let o):
            var members: [String: JSONShape] = [:]
            for member in o.members {
                if members[member.key] != nil { allowances.insert(.duplicateKeysLastTaken) }
                members[member.key] = JSONShape(member.value, allowances: &allowances)
            }
            self = .object(members)
        }
    }

    /// Foundation's.
    init(foundation any: Any) {
        // Swift's own types first: asking whether a nested array is an NSNull or an NSNumber
        // bridges the whole array on Linux, which is quadratic in the nesting.
        if let string = any as? String {
            self = .string(Array(string.unicodeScalars))
        } else if let array = any as? [Any] {
            self = .array(array.map { JSONShape(foundation: $0) })
        } else if let object = any as? [String: Any] {
            self = .object(object.mapValues { JSONShape(foundation: $0) })
        } else if let number = any as? NSNumber {
            switch String(cString: number.objCType) {
            case "c", "B": self = .bool(number.boolValue)
            case "d", "f": self = .double(number.doubleValue)
            case "Q": self = .uint(number.uint64Value)
            default: self = .int(number.int64Value)
            }
        } else if any is NSNull {
            self = .null
        } else {
            self = .string(Array("unexpected \(type(of: any))".unicodeScalars))
        }
    }

    /// Distance between two doubles in units in the last place.
    static func ulps(_ a: Double, _ b: Double) -> UInt64 {
        if a == b { return 0 }
        guard a.sign == b.sign, a.isFinite, b.isFinite else { return .max }
        let x = a.magnitude.bitPattern, y = b.magnitude.bitPattern
        return x > y ? x - y : y - x
    }

    /// How far Foundation's decimal conversion may be from the correctly rounded double (at
    /// most 14 seen on 200,000 generated numbers).
    static let ulpTolerance: UInt64 = 64

    /// Whether ours (`self`) and Foundation's (`other`) are the same value: strings scalar by
    /// scalar, integers exactly, and the documented allowances (recorded when used).
    func matches(_ other: JSONShape, byteOrderMarkInBody: Bool, allowances: inout Set<Allowance>) -> Bool {
        func close(_ a: Double, _ b: Double, _ allowance: Allowance) -> Bool {
            if a == b { return true }
            guard Self.ulps(a, b) <= Self.ulpTolerance else { return false }
            allowances.insert(allowance)
            return true
        }
        switch (self, other) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.int(a), .uint(b)): return a >= 0 && UInt64(a) == b
        case let (.int(a), .double(b)): return close(Double(a), b, .integerMadeDouble)
        case let (.double(a), .double(b)): return close(a, b, .doubleRounding)
        case let (.double(a), .int(b)): return close(a, Double(b), .doubleRounding)
        case let (.double(a), .uint(b)): return close(a, Double(b), .doubleRounding)
        case let (.string(a), .string(b)):
            if a == b { return true }
            guard byteOrderMarkInBody, a.filter({ $0 != "\u{FEFF}" }) == b.filter({ $0 != "\u{FEFF}" }) else { return false }
            allowances.insert(.byteOrderMarkDropped)
            return true
        case let (.array(a), .array(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1, byteOrderMarkInBody: byteOrderMarkInBody, allowances: &allowances) }
        case let (.object(a), .object(b)):
            return a.count == b.count && a.allSatisfy { key, value in
                b[key].map { value.matches($0, byteOrderMarkInBody: byteOrderMarkInBody, allowances: &allowances) } ?? false
            }
        default: return false
        }
    }
}

/// One body through both readers.
enum JSONOracleOutcome: String, CaseIterable {
    case bothReject = "both reject"
    case sameValue = "same value"
    case oursRepairsInvalidUTF8 = "ours accepts (U+FFFD for invalid UTF-8), Foundation rejects"
    case oursRepairsLoneSurrogate = "ours accepts (U+FFFD for a lone surrogate), Foundation rejects"
    case oursReadsInfinity = "ours accepts (±infinity beyond Double), Foundation rejects"
    case oursRejectsDepth = "ours rejects nesting deeper than 256, Foundation accepts"
    case oursRejectsTrailingComma = "ours rejects a trailing comma, Foundation accepts"
    case oursRejectsUTF16 = "ours reads UTF-8 only, Foundation guesses UTF-16/32"
    case unexplained = "UNEXPLAINED"

    static func of(_ body: [UInt8], allowances: inout Set<JSONShape.Allowance>) -> (JSONOracleOutcome, detail: String) {
        let ours = try? JSONParser.parse(body)
        let theirs = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        let features = JSONFeatures(body)
        switch (ours, theirs) {
        case (nil, nil): return (.bothReject, "")
        case (.some, nil):
            if features.invalidUTF8 { return (.oursRepairsInvalidUTF8, "") }
            if features.loneSurrogate { return (.oursRepairsLoneSurrogate, "") }
            if features.numberOutOfRange { return (.oursReadsInfinity, "") }
            return (.unexplained, "ours accepts, Foundation rejects")
        case (nil, .some):
            if features.depth > JSONParser.maxDepth { return (.oursRejectsDepth, "") }
            if features.trailingComma { return (.oursRejectsTrailingComma, "") }
            if features.zeroByteUpFront { return (.oursRejectsUTF16, "") }
            return (.unexplained, "ours rejects, Foundation accepts")
        case let (.some(o), .some(t)):
            let a = JSONShape(o, allowances: &allowances)
            let b = JSONShape(foundation: t)
            if a.matches(b, byteOrderMarkInBody: features.byteOrderMarkInString, allowances: &allowances) { return (.sameValue, "") }
            return (.unexplained, "values differ:\n  ours       \(a)\n  Foundation \(b)")
        }
    }
}

// MARK: - Tests

@Suite(.timeLimit(.minutes(3))) struct JSONOracleTests {
    /// Bodies per run; `SWR_TOP_JSON_ORACLE_COUNT` changes it.
    static var count: Int {
        ProcessInfo.processInfo.environment["SWR_TOP_JSON_ORACLE_COUNT"].flatMap(Int.init) ?? 5_000
    }

    /// Async, and it yields now and then: a few seconds of parsing in a debug build should not
    /// hold one of the cooperative pool's threads (two on a 2-core machine) from the async tests.
    @Test func sameAnswersAsJSONSerialization() async {
        var corpus = JSONCorpus(seed: 20_261_214)
        var outcomes: [JSONOracleOutcome: Int] = [:]
        var allowances: [JSONShape.Allowance: Int] = [:]
        var shown = 0
        for n in 0..<Self.count {
            if n % 200 == 199 { await Task.yield() }
            let body = corpus.next()
            var used = Set<JSONShape.Allowance>()
            let (outcome, detail) = JSONOracleOutcome.of(body, allowances: &used)
            outcomes[outcome, default: 0] += 1
            for allowance in used { allowances[allowance, default: 0] += 1 }
            if outcome == .unexplained, shown < 10 {
                shown += 1
                Issue.record("JSONParser and JSONSerialization differ on \(body.count) bytes \(String(decoding: body.prefix(300), as: UTF8.self).debugDescription): \(detail)")
            }
        }
        #expect(outcomes[.unexplained] == nil, "\(outcomes)")
        // The corpus reaches both sides of every case (a generator that stops making one is a failure).
        #expect((outcomes[.sameValue] ?? 0) > Self.count / 3, "\(outcomes)")
        #expect((outcomes[.bothReject] ?? 0) > Self.count / 4, "\(outcomes)")
        if Self.count >= 5_000 {
            for outcome in JSONOracleOutcome.allCases where outcome != .unexplained {
                #expect((outcomes[outcome] ?? 0) > 0, "never seen: \(outcome.rawValue); \(outcomes)")
            }
            for allowance in JSONShape.Allowance.allCases {
                #expect((allowances[allowance] ?? 0) > 0, "never needed: \(allowance.rawValue); \(allowances)")
            }
        }
    }

    /// Each documented difference on a body made for it, both readers' answers pinned: if
    /// Foundation (or ours) changes, this says which difference went away.
    @Test func eachDocumentedDifference() throws {
        func ours(_ text: String) -> JSONValue? { try? JSONParser.parse(text) }
        func ours(_ bytes: [UInt8]) -> JSONValue? { try? JSONParser.parse(bytes) }
        func theirs(_ bytes: [UInt8]) -> Any? { try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) }
        func theirs(_ text: String) -> Any? { theirs(Array(text.utf8)) }

        let invalid: [UInt8] = Array(#"["a"#.utf8) + [0xFF] + Array(#"b"]"#.utf8)
        #expect(ours(invalid) == .array([.string("a\u{FFFD}b")]) && theirs(invalid) == nil)

        #expect(ours(#"["\ud800"]"#) == .array([.string("\u{FFFD}")]) && theirs(#"["\ud800"]"#) == nil)
        #expect(ours(#"["\udc00x"]"#) == .array([.string("\u{FFFD}x")]) && theirs(#"["\udc00x"]"#) == nil)

        #expect(ours("[1e309, -1e400]") == .array([.double(.infinity), .double(-.infinity)]) && theirs("[1e309]") == nil)

        let deep = String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
        #expect(ours(deep) == nil && theirs(deep) != nil)
        let deepest = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(ours(deepest) != nil)

        #expect(ours("[1,]") == nil && theirs("[1,]") != nil)
        #expect(ours(#"{"a":1,}"#) == nil && theirs(#"{"a":1,}"#) != nil)

        let utf16: [UInt8] = [0, 0x5B, 0, 0x31, 0, 0x5D]  // [1] in UTF-16BE
        #expect(ours(utf16) == nil && theirs(utf16) != nil)

        let duplicate = #"{"a":1,"a":2}"#
        #expect(ours(duplicate)?["a"] == .int(1) && (theirs(duplicate) as? [String: Any])?["a"] as? Int == 2)

        #expect(ours("[-1234567890123456789]") == .array([.int(-1_234_567_890_123_456_789)]))
        let long = theirs("[-1234567890123456789, 1234567890123456789]") as? [NSNumber]
        #expect(long.map { $0.map { String(cString: $0.objCType) } } == ["d", "q"], "Foundation now keeps negative 19-digit integers exact")

        let third = "0.3333333333333333333333333333"
        #expect(ours(third) == .double(0.3333333333333333))
        #expect((theirs(third) as? NSNumber)?.doubleValue == 0.33333333333333337, "Foundation now rounds decimals correctly")

        let mark = "[\"\\u0041\u{FEFF}b\"]"
        #expect(ours(mark) == .array([.string("A\u{FEFF}b")]))
        #expect((theirs(mark) as? [String]) == ["Ab"], "Foundation now keeps U+FEFF")
    }

    @Test func duplicateKeysLookUpTheFirst() throws {
        let value = try JSONParser.parse(#"{"state": "Building", "id": 1, "state": "Successful"}"#)
        #expect(value["state"] == .string("Building"))
        #expect(value.objectValue?.keys == ["state", "id", "state"])
    }

    @Test func aLoneSurrogateKeepsTheEscapeAfterIt() throws {
        // A high surrogate followed by an escape that is not a low one used to swallow it.
        #expect(try JSONParser.parse(#""\ud800\u0041""#) == .string("\u{FFFD}A"))
        #expect(try JSONParser.parse(#""\udbff\ud800""#) == .string("\u{FFFD}\u{FFFD}"))
        #expect(try JSONParser.parse(#""\ud800\ud83d\ude80x""#) == .string("\u{FFFD}🚀x"))
        #expect(try JSONParser.parse(#""\ud83d\ude80""#) == .string("🚀"))
        #expect(throws: JSONParseError.self) { try JSONParser.parse(#""\ud800\uZZZZ""#) }
    }

    @Test func aByteOrderMarkOnlyFirst() throws {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(try JSONParser.parse(mark + Array(" [1]".utf8)) == .array([.int(1)]))
        // After whitespace it is not a byte order mark but text (it used to be skipped).
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(" ".utf8) + mark + Array("[1]".utf8)) }
    }

    /// Ours against the C library for numbers: an integer literal that fits Int64 is that Int,
    /// anything else the double strtod gives (correctly rounded; ±infinity beyond the range).
    @Test func numbersAreCorrectlyRounded() throws {
        let c = newlocale(1 << LC_NUMERIC, "C", nil)  // the decimal point strtod reads
        try #require(c != nil)
        let previous = uselocale(c)
        defer {
            uselocale(previous)
            freelocale(c)
        }
        var corpus = JSONCorpus(seed: 7)
        var literals = JSONCorpus.numbers
        for _ in 0..<20_000 {
            var text = ""
            corpus.number(&text)
            literals.append(text)
        }
        var wrong: [String] = []
        for literal in literals {
            let value = try JSONParser.parse(literal)
            let integral = !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
            if integral, let exact = Int64(literal) {
                if value != .int(Int(exact)) { wrong.append("\(literal): \(value)") }
                continue
            }
            let expected = literal.withCString { strtod($0, nil) }
            guard case .double(let d) = value, d.bitPattern == expected.bitPattern else {
                wrong.append("\(literal): \(value), strtod \(expected)")
                continue
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20))")
    }
}
