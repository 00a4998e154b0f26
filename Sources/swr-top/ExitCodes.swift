import SWRAPI
import SWRSession
import Terminal

/// swr-top's exit codes (the contract lives in `SWRSession.ExitStatus`).
typealias Exit = ExitStatus

/// Prints `swr-top: message` on stderr as one line; server text in `message` passes the
/// sanitiser here (a name holding a line break cannot forge a second `swr-top:` line).
func complain(_ message: String) {
    FileDescriptorWriter.write("swr-top: " + SafeText.line(message) + "\n", fd: 2)
}
