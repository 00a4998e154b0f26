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

    @Test func sgrMouseReportsBecomeEventsAtZeroBasedCells() {
        #expect(KeyDecoder.decode(sgrMouse: "[<0;20;2M") == MouseEvent(.press, x: 19, y: 1))
        #expect(KeyDecoder.decode(sgrMouse: "[<64;1;1M") == MouseEvent(.wheelUp, x: 0, y: 0))
        #expect(KeyDecoder.decode(sgrMouse: "[<65;300;90M") == MouseEvent(.wheelDown, x: 299, y: 89))
        // Modifiers do not change what was pressed.
        #expect(KeyDecoder.decode(sgrMouse: "[<16;5;5M") == MouseEvent(.press, x: 4, y: 4))
        #expect(KeyDecoder.decode(sgrMouse: "[<68;5;5M") == MouseEvent(.wheelUp, x: 4, y: 4))
    }

    @Test func otherMouseReportsAndBrokenOnesAreNoEvent() {
        for body in ["[<0;20;2m", "[<32;20;2M", "[<2;20;2M", "[<1;3;3M", "[<0;0;2M", "[<0;2;0M", "[<0;2M", "[<0;2;3;4M",
                     "[<;2;3M", "[<0;99999999999;3M", "[<-1;2;3M", "[<0;2;3", "[0;2;3M", "[<a;b;cM", ""] {
            #expect(KeyDecoder.decode(sgrMouse: body) == nil, "\(body)")
        }
    }
}
