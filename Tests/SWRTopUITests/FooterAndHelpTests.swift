import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// The footer keeps `? help` and `q quit` at any width from 80 up, notices have their own
/// place, and the help explains what is on screen (issue 20).
@Suite struct FooterAndHelpTests {
    /// The screens with a footer of their own: main, overview, detail, log, refused token.
    func screens() -> [(String, AppState)] {
        let base = fixtureState()
        var overview = base
        _ = update(&overview, .key(.char("o")))
        var detail = base
        _ = update(&detail, .key(.enter))
        var log = base
        _ = update(&log, .key(.char("l")))
        var refused = base
        _ = update(&refused, .poll(failed(1024, 1, .unauthorized(message: nil), at: 1)))
        var manual = base
        _ = update(&manual, .key(.left))
        return [("main", base), ("overview", overview), ("detail", detail), ("log", log), ("refused", refused), ("manual", manual)]
    }

    @Test(arguments: [80, 81, 100, 120, 160, 200])
    func helpAndQuitAlwaysFit(width: Int) {
        for glyphs in [Glyphs.unicode, .ascii] {
            for (name, screen) in screens() {
                var state = screen
                state.glyphs = glyphs
                _ = update(&state, .resize(width: width, height: 24))
                let footer = view(state).lines[23]
                #expect(footer.contains("? help") && footer.contains("q quit"), "\(name) at \(width): \(footer)")
                #expect(!footer.contains("…"), "\(name) at \(width): \(footer)")
            }
        }
    }

    @Test func aNoticeHasItsOwnPlaceBesideTheHints() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 80, height: 24))
        let finished = scanJobs(progress: 63, duration: 60).map { $0.id == "2211" ? job("2211", .failed, 63, 61, ago: 63, creator: "王小明") : $0 }
        _ = update(&state, .poll(poll(1024, 1, finished, at: 1)))
        let footer = view(state).lines[23]
        #expect(footer.contains("tomcat-release run ended: Failed at scan"))
        #expect(footer.contains("? help") && footer.contains("q quit"))
        assertGolden(view(state), "notice-80x24")
        // Wider, more hints come back beside it.
        _ = update(&state, .resize(width: 160, height: 24))
        let wide = view(state).lines[23]
        #expect(wide.contains("tomcat-release run ended") && wide.contains("l log") && wide.contains("o overview"))
    }

    @Test func hintsDropByPriority() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 200, height: 24))
        let wide = view(state).lines[23]
        for hint in ["←→ stage", "[ ] pipeline", "↑↓ job", "⏎ detail", "l log", "o overview", "P add", "/ filter", "s sort", "r refresh", "space pause"] {
            #expect(wide.contains(hint), "\(hint): \(wide)")
        }
        _ = update(&state, .resize(width: 80, height: 24))
        let narrow = view(state).lines[23]
        #expect(narrow.contains("←→ stage") && narrow.contains("[ ] pipeline"))
        #expect(!narrow.contains("s sort") && !narrow.contains("/ filter"))
    }

    @Test func theHelpHasALegendOfWhatIsOnScreen() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 80, height: 24))
        _ = update(&state, .key(.char("?")))
        let text = view(state).lines.joined(separator: "\n")
        for word in ["✓", "✗", "●", "○", "⏱", "⊘", "?", "!", "⧗", "pending", "2h ago", "STALE", "FOLLOW", "LIVE", "PAUSED", "STOPPED",
                     "usual", "recent", "observed", "eta", "█", "┄", "any key closes; q closes too"] {
            #expect(text.contains(word), "the help does not explain \(word)")
        }
        assertGolden(view(state), "help-80x24")
    }
}
