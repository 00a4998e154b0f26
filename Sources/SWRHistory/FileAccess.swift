import Foundation

/// The few file-system steps around opening the history file, with POSIX calls so the modes
/// are exactly what is asked (0700 folders, 0600 file) whatever Foundation does on Linux.
enum FileAccess {
    /// A failed system call: its `errno`.
    struct Failure: Error {
        var errno: Int32
        /// The file system refused to write (read-only mount, no permission).
        var isReadOnly: Bool { errno == EROFS || errno == EACCES || errno == EPERM }
    }

    /// Creates the missing folders above `path`, each with mode 0700 (existing ones are left alone).
    static func makeFolders(for path: String) throws(Failure) {
        let folder = HistoryPath.folder(of: path)
        var missing: [String] = []
        var current = folder
        while !current.isEmpty, current != "/", current != ".", !exists(current) {
            missing.append(current)
            current = HistoryPath.folder(of: current)
        }
        for folder in missing.reversed() where mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw Failure(errno: errno)
        }
    }

    /// Creates `path` with mode 0600 when it does not exist (an existing file keeps its mode).
    static func createPrivateFile(at path: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw Failure(errno: errno)
        }
        // The umask may have taken bits away, never added them; make it exact anyway.
        _ = fchmod(fd, 0o600)
        close(fd)
    }

    /// Renames the database and its `-wal`/`-shm` companions to `aside` (and `aside-wal` ...).
    static func moveAside(_ path: String, to aside: String) throws(Failure) {
        if rename(path, aside) != 0 { throw Failure(errno: errno) }
        for suffix in ["-wal", "-shm"] where exists(path + suffix) {
            _ = rename(path + suffix, aside + suffix)
        }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// `20250101-120000` (UTC): names a file moved aside.
    static func stamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))-\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
    }
}
