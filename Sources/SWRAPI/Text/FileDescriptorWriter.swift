import Glibc

/// Writes whole strings to a file descriptor: a pipe or a terminal may take fewer bytes than
/// asked, and a signal may interrupt the call; both are retried until every byte is out (or the
/// descriptor fails). Used for `--once`/`--watch` output, stderr, and desktop notifications.
public enum FileDescriptorWriter {
    public static func write(_ string: String, fd: Int32) {
        let bytes = Array(string.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            written += n
        }
    }
}
