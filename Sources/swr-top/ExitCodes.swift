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

/// Prints `swr-top: message` on stderr.
func complain(_ message: String) {
    var stderr = StandardError()
    print("swr-top: \(message)", to: &stderr)
}

/// stderr as a text stream, written whole.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileDescriptorWriter.write(string, fd: 2)
    }
}
