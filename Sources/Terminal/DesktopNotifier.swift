import Glibc
import SWRAPI

/// Desktop notifications by escape sequence: OSC 9 (iTerm2, WezTerm, Windows Terminal, kitty,
/// ConEmu) and OSC 777 (urxvt, foot, VTE terminals such as GNOME Terminal). Terminals ignore the
/// form they do not know. Inside tmux both are wrapped for passthrough (shown when tmux has
/// `allow-passthrough on`, dropped quietly otherwise).
public struct DesktopNotifier: Sendable {
    public let title: String
    public let insideTmux: Bool
    private let fd: Int32

    public init(fd: Int32 = STDOUT_FILENO, title: String = "swr-top", environment: [String: String]) {
        self.fd = fd
        self.title = title
        insideTmux = environment["TMUX"] != nil
    }

    /// The bytes that announce `body`.
    public static func sequences(title: String, body: String, tmux: Bool) -> String {
        let cleanTitle = clean(title).replacingOccurrences(of: ";", with: ",")
        let cleanBody = clean(body)
        // OSC 9 has no title; a body starting with digits and ';' would be a ConEmu progress command.
        let osc9 = "\u{1B}]9;\(cleanTitle): \(cleanBody)\u{07}"
        let osc777 = "\u{1B}]777;notify;\(cleanTitle);\(cleanBody)\u{07}"
        guard tmux else { return osc9 + osc777 }
        return [osc9, osc777].map { "\u{1B}Ptmux;" + $0.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\" }.joined()
    }

    /// Writes the notification for `body`.
    public func send(_ body: String) {
        FileDescriptorWriter.write(Self.sequences(title: title, body: body, tmux: insideTmux), fd: fd)
    }

    /// Control characters would end the sequence early or start another: the one sanitiser
    /// replaces them (and the text is cut, as terminals drop long notifications anyway).
    static func clean(_ text: String) -> String {
        SafeText.line(ServerLimits.text(text, max: 256))
    }
}
