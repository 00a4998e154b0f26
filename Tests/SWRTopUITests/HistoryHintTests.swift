import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// The status line names the history pane's key when the session keeps history, and lets it go
/// before the essential hints on a narrow screen.
@Suite struct HistoryHintTests {
    @Test func theKeyHintSaysHistoryWhenThereIsOneAndGivesWayAt80Columns() {
        var off = fixtureState()
        var on = fixtureState()
        on.hasHistory = true
        for width in [140, 160, 200] {
            _ = update(&on, .resize(width: width, height: 24))
            _ = update(&off, .resize(width: width, height: 24))
            #expect(view(on).lines[23].contains("H history"), "\(width): \(view(on).lines[23])")
            #expect(!view(off).lines[23].contains("H history"))
        }
        _ = update(&on, .resize(width: 200, height: 24))
        #expect(view(on).lines[23].contains("o overview  H history  P add"))
        // At 80 columns it goes (after `P add`, before refresh and pause): the line is as without history.
        _ = update(&on, .resize(width: 80, height: 24))
        _ = update(&off, .resize(width: 80, height: 24))
        #expect(view(on).lines[23] == view(off).lines[23])
        #expect(view(on).lines[23].contains("? help") && view(on).lines[23].contains("q quit"))
        _ = update(&on, .resize(width: 140, height: 24))
        assertGolden(view(on), "history-hint-140x24")
    }
}
