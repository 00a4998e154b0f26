import SWRTopUI

/// How many colours the backend uses.
public enum ColorMode: Sendable, Equatable {
    /// No colour: state is carried by bold, reverse and dim (`NO_COLOR`, `--no-color`, or a
    /// terminal without colours).
    case monochrome
    /// The 8 ANSI colours on the terminal's own background.
    case ansi8
    /// 16 or more colours: as `ansi8`, with bright black for muted text.
    case ansi16

    /// The mode for this environment: `NO_COLOR` (any value) or the flag turn colour off.
    public static func choose(noColorFlag: Bool, environment: [String: String], terminalColors: Int) -> ColorMode {
        if noColorFlag || environment["NO_COLOR"] != nil || terminalColors < 8 { return .monochrome }
        return terminalColors >= 16 ? .ansi16 : .ansi8
    }
}

/// What a style becomes on a terminal: a foreground colour (−1 for the default) and attributes.
public struct TerminalLook: Sendable, Equatable {
    public var foreground: Int16
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool

    /// Colour numbers of the ANSI palette.
    enum ANSI: Int16 { case black = 0, red, green, yellow, blue, magenta, cyan, white }

    public static func of(_ style: Style, mode: ColorMode) -> TerminalLook {
        var look = TerminalLook(foreground: -1, bold: style.bold, reverse: style.reverse, dim: style.dim, underline: style.underline)
        switch mode {
        case .monochrome:
            switch style.role {
            case .error: look.bold = true; look.underline = true
            case .failure, .title, .running, .accent: look.bold = true
            case .waiting, .muted, .cancelled, .unknown: look.dim = true
            case .changed, .selection: look.reverse = true
            case .warning, .timeout: look.underline = true
            case .normal, .success: break
            }
        case .ansi8, .ansi16:
            switch style.role {
            case .normal, .title: break
            case .success: look.foreground = ANSI.green.rawValue
            case .failure, .error: look.foreground = ANSI.red.rawValue
            case .running, .accent: look.foreground = ANSI.cyan.rawValue
            case .waiting, .warning: look.foreground = ANSI.yellow.rawValue
            case .timeout: look.foreground = ANSI.magenta.rawValue
            case .cancelled, .unknown: break
            case .muted:
                if mode == .ansi16 {
                    look.foreground = 8
                    look.dim = false
                } else {
                    look.dim = true
                }
            case .selection: look.reverse = true
            case .changed:
                look.foreground = ANSI.yellow.rawValue
                look.reverse = true
            }
        }
        return look
    }
}
