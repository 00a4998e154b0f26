import Foundation
import Testing
@testable import SWRAPI

/// Seeded random and mutated bodies through the decoder: every result is jobs or a decoding
/// error, never a crash. 100,000 bodies by default; `SWR_TOP_FUZZ_COUNT=N` changes the count.
@Suite struct FuzzTests {
    static let seeds: [String] = [
        #"[{"id": 2211, "service": "jenkins_build", "service_id": 2865, "region_name": "", "resource_type": "image", "resource": "swr/tomcat:1.0", "duration": "12", "state": "Successful", "progress": "100", "pkg": null, "creator_id": "c6993164847244928091da9e86fb723f", "creator_name": "f00355482", "created_at": "2018-12-15T12:33:45.459407Z", "log_num": 1}]"#,
        #"[{"id": "88", "duration": 42, "progress": 63, "status": "Building"}, {"id": "87", "duration": 40, "progress": 100, "status": "Successful"}]"#,
        #"[{"id": null, "state": "rollbacking", "progress": 1e309, "duration": "-0", "created_at": "0001-01-01T00:00:00Z", "creator_name": "王小明 🚀\u0000"}, 7, "x", [], {}]"#,
        #"{"errorCode": "SVCSTG.SWR.4010000", "errorMessage": "token expired"}"#,
        "<html><body>502 Bad Gateway</body></html>",
    ]

    static var count: Int {
        ProcessInfo.processInfo.environment["SWR_TOP_FUZZ_COUNT"].flatMap(Int.init) ?? 100_000
    }

    static let tokens: [[UInt8]] = ["null", "[", "]", "{", "}", "\"", ",", ":", "1e999", "-", "\\u00", "\\ud800", "0.5", "\"state\"", "\"id\"", "true", "\u{FFFF}", "\\", "99999999999999999999"].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], rng: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + Int(rng.next() % 4)) {
            let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 6 {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            case 1: bytes.insert(contentsOf: tokens[Int(rng.next() % UInt64(tokens.count))], at: position)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + 1 + Int(rng.next() % 16))
                bytes.removeSubrange(position..<end)
            case 3: bytes = Array(bytes.prefix(position))
            case 4 where !bytes.isEmpty:
                let end = min(bytes.count, position + 1 + Int(rng.next() % 32))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            default: bytes.append(UInt8(truncatingIfNeeded: rng.next()))
            }
        }
        return bytes
    }

    /// A random JSON value, to reach shapes mutation rarely makes.
    static func randomJSON(depth: Int, rng: inout SeededRandom) -> JSONValue {
        let keys = ["id", "state", "status", "progress", "duration", "created_at", "resource", "creator_name", "log_num", "x"]
        switch rng.next() % (depth > 3 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .int(Int(truncatingIfNeeded: rng.next()))
        case 3: return .double(Double(bitPattern: rng.next()))
        case 4: return .string(["Successful", "success", "", "12", "2018-12-15T12:33:45Z", "王", "\u{1B}[31m"][Int(rng.next() % 7)])
        case 5: return .array((0..<Int(rng.next() % 4)).map { _ in randomJSON(depth: depth + 1, rng: &rng) })
        default:
            return .object(JSONObject((0..<Int(rng.next() % 6)).map { _ in (key: keys[Int(rng.next() % UInt64(keys.count))], value: randomJSON(depth: depth + 1, rng: &rng)) }))
        }
    }

    @Test func decoderNeverCrashes() {
        var rng = SeededRandom(seed: 20_261_129)
        var decoded = 0
        var rejected = 0
        let seeds = Self.seeds.map { Array($0.utf8) }
        for n in 0..<Self.count {
            let body: [UInt8]
            if n % 5 == 4 {
                body = Array(JSONValue.array((0..<Int(rng.next() % 5)).map { _ in Self.randomJSON(depth: 0, rng: &rng) }).serialized.utf8)
            } else {
                body = Self.mutate(seeds[Int(rng.next() % UInt64(seeds.count))], rng: &rng)
            }
            do {
                let jobs = try Job.decodeList(body)
                for job in jobs {
                    if let p = job.displayProgress { #expect((0...100).contains(p)) }
                    _ = job.state.displayName
                }
                decoded += 1
            } catch {
                guard case .decoding = error else {
                    Issue.record("not a decoding error: \(error)")
                    continue
                }
                rejected += 1
            }
        }
        #expect(decoded + rejected == Self.count)
        #expect(decoded > 0 && rejected > 0)
    }
}
