import Foundation
import Testing
@testable import SWRAPI

/// The JSON writer's strings: what it writes reads back (by Foundation) as the same string, and
/// no control character, C1 or bidi control passes raw. Covers both ways a string is written:
/// printable ASCII at once, anything else scalar by scalar.
@Suite struct JSONWriterTests {
    /// Every ASCII character alone, between letters, and a few non-ASCII ones.
    static let samples: [String] = {
        var all: [String] = []
        for byte in UInt8(0)...UInt8(127) {
            let character = String(UnicodeScalar(byte))
            all += [character, "a\(character)b", String(repeating: character, count: 3)]
        }
        all += ["", "plain ascii text 0-9 ~!@#$%^&*()", "王伟", "佐藤 deploy", "🚀 bot", "e\u{301}", "a\u{85}b", "x\u{9B}31m",
                "left\u{202E}right", "\u{2066}isolate\u{2069}", "tab\tand\nnewline", "\u{7F}del", "quote\" and \\ slash"]
        return all
    }()

    @Test func everyStringReadsBackAsItselfWithNoUnsafeCharacterRaw() throws {
        for sample in Self.samples {
            let written = JSONValue.string(sample).serialized
            let read = try JSONSerialization.jsonObject(with: Data(written.utf8), options: .fragmentsAllowed) as? String
            #expect(read == sample, "\(sample.debugDescription) was written as \(written.debugDescription)")
            let raw = written.unicodeScalars.dropFirst().dropLast()
            #expect(!raw.contains { SafeText.isUnsafe($0) }, "\(written.debugDescription) holds an unsafe scalar raw")
        }
    }

    @Test func printableASCIIIsWrittenAsItIs() {
        #expect(JSONValue.string("swr/tomcat:1.0 (ok)").serialized == "\"swr/tomcat:1.0 (ok)\"")
        #expect(JSONValue.string("a\"b\\c").serialized == "\"a\\\"b\\\\c\"")
        #expect(JSONValue.string("a\u{1}b").serialized == "\"a\\u0001b\"")
        let object: JSONValue = ["k\"": "v"]
        #expect(object.serialized == "{\"k\\\"\":\"v\"}")
    }
}
