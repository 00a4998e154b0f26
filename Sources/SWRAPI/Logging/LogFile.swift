import Glibc
import Synchronization

/// An append-only log destination that never traps and never stops its program: the first
/// failed write (a full disk, a closed pipe, a bad descriptor) turns it off, and `onFailure`
/// hears about it once, in plain words.
///
/// `/dev/stderr`, `/dev/stdout` and `/dev/fd/N` name the process's own descriptors (a duplicate
/// is written to); any other path is opened with `O_NOFOLLOW` (a symlink is refused), created
/// with mode 0600 when missing, and appended to.
public final class LogFile: Sendable {
    private struct State {
        var fd: Int32
        var failure: String?
    }

    private let state: Mutex<State>
    private let onFailure: @Sendable (String) -> Void
    /// What the log was opened as, for messages.
    public let path: String

    /// Opens `path` for appending. `onFailure` is called at most once, on the thread whose write
    /// failed, after logging has stopped.
    public init(path: String, onFailure: @escaping @Sendable (String) -> Void = { _ in }) throws(LogFileError) {
        Self.ignoreBrokenPipes()
        self.path = path
        self.onFailure = onFailure
        state = Mutex(State(fd: try Self.openDescriptor(path)))
    }

    /// Whether a write failed and logging is off.
    public var hasStopped: Bool { state.withLock { $0.failure != nil } }

    /// Why logging stopped (the message `onFailure` was given), or nil while it works: a screen
    /// that cannot be interrupted by a callback can show it when it next draws.
    public var failure: String? { state.withLock { $0.failure } }

    /// Appends `line` whole (partial writes and EINTR are retried), or stops logging.
    public func write(_ line: String) {
        let failure: String? = state.withLock { state in
            guard state.failure == nil else { return nil }
            var bytes = line
            let errorNumber: Int32? = bytes.withUTF8 { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(state.fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n > 0 {
                        offset += n
                    } else if n < 0, errno == EINTR {
                        continue
                    } else {
                        return n < 0 ? errno : EIO
                    }
                }
                return nil
            }
            guard let errorNumber else { return nil }
            Glibc.close(state.fd)
            state.fd = -1
            let message = "logging to \(path) stopped: \(Self.describe(errorNumber))"
            state.failure = message
            return message
        }
        if let failure { onFailure(failure) }
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { Glibc.close(state.fd) }
        }
    }

    /// A descriptor for `path`: a duplicate of one of ours for `/dev/stderr`, `/dev/stdout`,
    /// `/dev/fd/N`; otherwise the file, opened without following a symlink.
    static func openDescriptor(_ path: String) throws(LogFileError) -> Int32 {
        if let own = ownDescriptor(path) {
            let fd = fcntl(own, F_DUPFD_CLOEXEC, 0)
            guard fd >= 0 else { throw LogFileError(path: path, reason: describe(errno)) }
            return fd
        }
        // O_NONBLOCK: a named pipe with no reader must not hang the start; cleared right after.
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o600)
        guard fd >= 0 else {
            let code = errno
            let reason: String
            switch code {
            case ELOOP: reason = "it is a symbolic link (refused)"
            case ENXIO: reason = "it is a named pipe that nothing reads"
            default: reason = describe(code)
            }
            throw LogFileError(path: path, reason: reason)
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        // A regular file holds server text: it must be the user's own and private, as a new one is.
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
            if info.st_uid != geteuid() {
                Glibc.close(fd)
                throw LogFileError(path: path, reason: "it belongs to another user")
            }
            if info.st_mode & 0o077 != 0 {
                Glibc.close(fd)
                throw LogFileError(path: path, reason: "it is readable or writable by group or others; run: chmod 600 '\(SafeText.line(path))'")
            }
        }
        return fd
    }

    /// The descriptor a path names when it is one of the process's own.
    static func ownDescriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            guard path.hasPrefix("/dev/fd/") else { return nil }
            let digits = path.dropFirst("/dev/fd/".count)
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCII), let fd = Int32(digits), fd >= 0 else { return nil }
            return fd
        }
    }

    /// A closed pipe must be a write error (EPIPE), not the death of the process. SwiftNIO sets
    /// the same disposition at its first socket; this makes it hold from the first log line on.
    private static func ignoreBrokenPipes() {
        _ = brokenPipesIgnored
    }

    private static let brokenPipesIgnored: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return true
    }()

    static func describe(_ code: Int32) -> String {
        switch code {
        case ENOSPC: return "the disk is full"
        case EPIPE: return "nothing reads the pipe any more"
        case EBADF: return "the descriptor is not open for writing"
        case EDQUOT: return "the disk quota is exceeded"
        case EIO: return "an input/output error"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}

/// A log destination that could not be opened: the path and why, in plain words.
public struct LogFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String

    public var description: String { "cannot write the log file \(path): \(reason)" }
}
