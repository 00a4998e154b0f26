import SWRAPI
import SWRWatch

/// The symbols the screens draw: Unicode where the locale is UTF-8, plain ASCII elsewhere.
/// Every state has a glyph and a word, so state is never carried by colour alone.
public struct Glyphs: Sendable, Equatable {
    public var isUnicode: Bool

    public static let unicode = Glyphs(isUnicode: true)
    public static let ascii = Glyphs(isUnicode: false)

    public func state(_ state: JobState) -> String {
        switch (state, isUnicode) {
        case (.successful, true): return "✓"
        case (.failed, true): return "✗"
        case (.timeout, true): return "⏱"
        case (.building, true): return "●"
        case (.waiting, true): return "○"
        case (.cancelled, true): return "⊘"
        case (.successful, false): return "+"
        case (.failed, false): return "x"
        case (.timeout, false): return "T"
        case (.building, false): return "*"
        case (.waiting, false): return "."
        case (.cancelled, false): return "/"
        case (.unknown, _): return "?"
        }
    }

    public var ellipsis: String { isUnicode ? "…" : "~" }
    public var arrow: String { isUnicode ? "→" : "->" }
    public var bullet: String { isUnicode ? "▸" : ">" }
    public var live: String { isUnicode ? "●" : "*" }
    public var separator: String { isUnicode ? "·" : "-" }
    /// Marks an age the request budget made late (header, stage strip).
    public var slowedByBudget: String { isUnicode ? "⧗" : "%" }
    /// The stage strip's marks for stages scrolled out of view: `‹ 3 more`, `5 more ›`.
    public var moreBefore: String { isUnicode ? "‹" : "<" }
    public var moreAfter: String { isUnicode ? "›" : ">" }

    /// Box drawing: top-left, top-right, bottom-left, bottom-right, horizontal, vertical.
    public var box: (tl: String, tr: String, bl: String, br: String, h: String, v: String) {
        isUnicode ? ("┌", "┐", "└", "┘", "─", "│") : ("+", "+", "+", "+", "-", "|")
    }
}

extension JobState {
    /// The role a state is drawn in.
    public var role: Role {
        switch self {
        case .successful: return .success
        case .failed: return .failure
        case .timeout: return .timeout
        case .building: return .running
        case .waiting: return .waiting
        case .cancelled: return .cancelled
        case .unknown: return .unknown
        }
    }
}
