import SWRAPI
import Terminal

/// swr-top's exit codes, in one place.
enum Exit {
    static let ok: Int32 = 0
    static let runFailed: Int32 = 1
    static let usage: Int32 = 2
    static let serviceUnreadable: Int32 = 3
    static let runTimedOut: Int32 = 4
    static let runCancelled: Int32 = 5
    static let totalTimeout: Int32 = 124
}

/// Prints `swr-top: message` on stderr; server text in `message` passes the sanitiser here.
func complain(_ message: String) {
    FileDescriptorWriter.write("swr-top: " + SafeText.lines(message) + "\n", fd: 2)
}
