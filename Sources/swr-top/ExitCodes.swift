import SWRAPI
import SWRSession
import Terminal

/// swr-top's exit codes (the contract lives in `SWRSession.ExitStatus`).
typealias Exit = ExitStatus

/// Prints `swr-top: message` on stderr; server text in `message` passes the sanitiser here.
func complain(_ message: String) {
    FileDescriptorWriter.write("swr-top: " + SafeText.lines(message) + "\n", fd: 2)
}
