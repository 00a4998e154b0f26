import SWRAPI

/// Where the modes without a screen write: lines on stdout, complaints on stderr. Every byte of
/// text passes `SafeText` here — the one way out of these modes — so a name holding a line
/// break or an escape cannot forge a line or move a terminal's cursor.
public struct ScriptOutput: Sendable {
    private let out: @Sendable (String) -> Void
    private let err: @Sendable (String) -> Void

    /// Output written by `out` and `err` (whole strings, newline included).
    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }

    /// stdout and stderr, each string written at once (a pipe or a file sees whole lines).
    public static let standard = ScriptOutput(out: { FileDescriptorWriter.write($0, fd: 1) },
                                              err: { FileDescriptorWriter.write($0, fd: 2) })

    /// One line on stdout.
    public func line(_ text: String) {
        out(SafeText.line(text) + "\n")
    }

    /// Lines on stdout, each sanitised on its own.
    public func lines(_ texts: [String]) {
        out(texts.map { SafeText.line($0) + "\n" }.joined())
    }

    /// `swr-top: message` on stderr, as one line.
    public func complain(_ message: String) {
        err("swr-top: " + SafeText.line(message) + "\n")
    }
}
