import SWRAPI
import SWRWatch

/// What a cell means; the terminal backend turns roles into colours (or into bold/reverse/dim
/// when there is no colour), so the screens never name a colour.
public enum Role: UInt8, Sendable, Hashable, CaseIterable {
    case normal, success, failure, running, waiting, cancelled, timeout, unknown
    case muted, accent, selection, error, warning, title, changed
}

/// A cell's look: a role plus attributes.
public struct Style: Sendable, Hashable {
    public var role: Role
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool

    public init(_ role: Role = .normal, bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    public static let plain = Style()
    public static let muted = Style(.muted, dim: true)
    public static let title = Style(.title, bold: true)
    public static let accent = Style(.accent, bold: true)
    public static let error = Style(.error, bold: true)
    public static let selection = Style(.selection, reverse: true)

    public func with(bold: Bool? = nil, reverse: Bool? = nil, dim: Bool? = nil, underline: Bool? = nil) -> Style {
        var copy = self
        if let bold { copy.bold = bold }
        if let reverse { copy.reverse = reverse }
        if let dim { copy.dim = dim }
        if let underline { copy.underline = underline }
        return copy
    }
}
