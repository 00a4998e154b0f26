import SWRAPI
import SWRWatch

/// What each key does; one table, shown by the help overlay.
public enum Keymap {
    public enum Command: Sendable, Equatable {
        case nextStage, previousStage, follow, nextPipeline, previousPipeline, pipelineNumber(Int)
        case up, down, pageUp, pageDown, top, bottom
        case toggleDetail, toggleOverview, toggleHistory, openLog, openPicker, startFilter, cycleSort, refresh, togglePause, toggleHelp, escape, quit
    }

    /// The command for a key outside filter editing.
    public static func command(for key: Key) -> Command? {
        switch key {
        case .right, .tab: return .nextStage
        case .left, .backTab: return .previousStage
        case .char("f"): return .follow
        case .char("]"), .char("n"): return .nextPipeline
        case .char("["), .char("p"): return .previousPipeline
        case .up, .char("k"): return .up
        case .down, .char("j"): return .down
        case .pageUp: return .pageUp
        case .pageDown: return .pageDown
        case .home, .char("g"): return .top
        case .end, .char("G"): return .bottom
        case .enter: return .toggleDetail
        case .char("o"): return .toggleOverview
        case .char("H"): return .toggleHistory
        case .char("l"): return .openLog
        case .char("P"): return .openPicker
        case .char("/"): return .startFilter
        case .char("s"): return .cycleSort
        case .char("r"): return .refresh
        case .char(" "): return .togglePause
        case .char("?"): return .toggleHelp
        case .escape: return .escape
        case .char("q"), .ctrlC: return .quit
        case .char(let c):
            if let digit = c.wholeNumberValue, (1...9).contains(digit) { return .pipelineNumber(digit) }
            return nil
        case .backspace: return nil
        }
    }

    /// The help overlay's keys: what each does, short enough for two columns at 80.
    public static let help: [(keys: String, meaning: String)] = [
        ("← → Tab", "stage; stops following"),
        ("f", "follow the run again"),
        ("[ ] p n 1-9", "pipeline"),
        ("o", "overview; ⏎ opens cell"),
        ("H", "history of the stage"),
        ("↑ ↓ j k", "select a job"),
        ("PgUp PgDn g G", "page, first, last"),
        ("⏎ Enter Esc", "detail; ↑↓ scroll it"),
        ("l", "log: / search, n N, G"),
        ("/  s", "filter, sort the jobs"),
        ("P", "add a pipeline"),
        ("r", "refresh; retry a 401"),
        ("space", "pause / resume polling"),
        ("?", "this help"),
        ("q  Ctrl-C", "quit"),
        ("mouse", "click to pick; wheel"),
    ]
}
