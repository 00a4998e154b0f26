import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// A token refused after the client's renewal stops polling and says so in a banner; `r`
/// retries (issue 20, item 7).
@Suite struct RefusalTests {
    @Test func a401StopsPollingOnceAndShowsTheBanner() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 80, height: 24))
        #expect(update(&state, .poll(failed(1024, 1, .unauthorized(message: "token expired"), at: 1))) == [.pause])
        #expect(state.refusal != nil && state.isPaused)
        // Answers still in flight say the same: no second pause.
        #expect(update(&state, .poll(failed(1024, 0, .unauthorized(message: nil), at: 2))) == [])
        _ = update(&state, .tick(at(120)))
        assertGolden(view(state), "refused-80x24")
        let screen = view(state).lines
        #expect(screen[0].contains("STOPPED"))
        // The advice is whole: wrapped, never cut.
        let banner = screen.dropFirst(2).prefix { !$0.hasPrefix("└") }.joined(separator: " ")
        #expect(!banner.contains("…"))
        let words = banner.replacingOccurrences(of: "│", with: " ").split(separator: " ").joined(separator: " ")
        #expect(words.contains("refused the token (401 on tomcat-release/scan"))
        #expect(words.contains("nothing is being asked, and the data on screen is from 2m ago"))
        #expect(words.contains("Press r to retry now."))
        #expect(!screen.joined().contains("retrying"))
    }

    @Test func otherErrorsDoNotStopPolling() {
        var state = fixtureState()
        #expect(update(&state, .poll(failed(1024, 1, .forbidden(message: nil), at: 1))) == [])
        #expect(update(&state, .pipelineDetail(id: 1024, .failure(.timeout))) == [])
        #expect(state.refusal == nil)
    }

    @Test func aRefusedDetailCallStopsPollingToo() {
        var state = fixtureState()
        #expect(update(&state, .pipelineDetail(id: 1025, .failure(.unauthorized(message: nil)))) == [.pause])
        #expect(state.refusal?.place == "nginx-hardened")
    }

    @Test func rRetries() {
        var state = fixtureState()
        _ = update(&state, .poll(failed(1024, 1, .unauthorized(message: nil), at: 1)))
        #expect(update(&state, .key(.char("r"))) == [.resume, .refresh(tomcat.targets)])
        #expect(state.refusal == nil && !state.isPaused)
        // Refused again: the banner comes back.
        #expect(update(&state, .poll(failed(1024, 1, .unauthorized(message: nil), at: 5))) == [.pause])
        // Space retries as well (it would otherwise resume half the way).
        #expect(update(&state, .key(.char(" "))) == [.resume, .refresh(tomcat.targets)])
    }

    @Test func theBannerFitsEveryWidth() {
        var state = fixtureState()
        _ = update(&state, .poll(failed(1024, 1, .unauthorized(message: nil), at: 1)))
        for width in [20, 40, 80, 120, 200] {
            for height in [5, 10, 24, 50] {
                _ = update(&state, .resize(width: width, height: height))
                let frame = view(state)
                #expect(frame.lines.count == height)
                for line in frame.lines { #expect(DisplayWidth.of(line) <= width) }
            }
        }
        for width in [60, 80, 200] {
            _ = update(&state, .resize(width: width, height: 50))
            let banner = view(state).lines.dropFirst(2).prefix { !$0.hasPrefix("└") }
            #expect(!banner.joined().contains("…"), "\(banner.joined(separator: "\n"))")
        }
    }
}
