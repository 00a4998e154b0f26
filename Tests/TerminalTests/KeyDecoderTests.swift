import Testing
import SWRTopUI
@testable import Terminal

@Suite struct KeyDecoderTests {
    @Test func escapeSequencesCursesDidNotKnowStillBecomeKeys() {
        #expect(KeyDecoder.decode(escapeSequence: "[4~") == .end)
        #expect(KeyDecoder.decode(escapeSequence: "OF") == .end)
        #expect(KeyDecoder.decode(escapeSequence: "[1~") == .home)
        #expect(KeyDecoder.decode(escapeSequence: "[5~") == .pageUp)
        #expect(KeyDecoder.decode(escapeSequence: "[Z") == .backTab)
        #expect(KeyDecoder.decode(escapeSequence: "[A") == .up)
        // Unknown sequences (F-keys, mouse) are no key, not an Escape that would close a pane.
        #expect(KeyDecoder.decode(escapeSequence: "[15~") == nil)
        #expect(KeyDecoder.endsSequence(UInt32(UInt8(ascii: "~")), introducer: UInt32(UInt8(ascii: "["))))
        #expect(!KeyDecoder.endsSequence(UInt32(UInt8(ascii: "1")), introducer: UInt32(UInt8(ascii: "["))))
    }
}
