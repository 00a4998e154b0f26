import Foundation
import GRDB

/// The history file, opened once per process and shared by the writer and the readers.
///
/// A file is a GRDB `DatabasePool`: WAL journal mode (readers never block the writer, and two
/// swr-top processes can use one file), a busy timeout of `busyTimeout` for the other process's
/// locks, foreign keys on. `open` creates the missing folders (mode 0700) and the file (mode
/// 0600; SQLite gives its `-wal` and `-shm` files the same mode), runs the migrations and a
/// `PRAGMA quick_check`. A file that is not a database or fails the check is renamed aside,
/// never deleted (`history.sqlite.corrupt-20250101-120000`), a new one is started and
/// `notice` says so.
public final class HistoryDatabase: Sendable {
    /// How long a statement waits for another process's lock before failing.
    public static let busyTimeout: TimeInterval = 2
    /// Reader connections of a file: the pane, the start-up load (in two parts at once) and
    /// `swr-top history`; two are plenty on two cores. An in-memory queue reads one at a time.
    static let readerCount = 2

    /// The file's path (`:memory:` for `inMemory()`).
    public let path: String
    /// One line for the person when opening had to do something they should know (a damaged
    /// file moved aside); `nil` otherwise.
    public let notice: String?
    /// The GRDB connection(s): a pool for files, a queue in memory.
    let writer: any DatabaseWriter

    private init(path: String, writer: any DatabaseWriter, notice: String?) {
        self.path = path
        self.writer = writer
        self.notice = notice
    }

    /// Opens (or creates) the history file at `path`.
    /// - Parameters:
    ///   - path: the file, from `HistoryPath.resolve`.
    ///   - now: names a damaged file moved aside.
    ///   - movingDamagedAside: false for a reader that must leave the file as it is
    ///     (`swr-top history`): a damaged file is then an error.
    /// - Throws: `HistoryError` in plain words when the file cannot be used at all (its folder
    ///   cannot be made, it is read-only, a newer swr-top wrote it; damaged, when not moved aside).
    public static func open(path: String, now: Date = Date(), movingDamagedAside: Bool = true) throws(HistoryError) -> HistoryDatabase {
        do {
            try FileAccess.makeFolders(for: path)
            try FileAccess.createPrivateFile(at: path)
        } catch {
            throw HistoryError(kind: error.isReadOnly ? .readOnly : .cannotOpen, path: path, operation: .opening, code: error.errno)
        }
        do {
            return HistoryDatabase(path: path, writer: try openPool(path), notice: nil)
        } catch where error.kind == .damaged {
            guard movingDamagedAside else { throw error }
            var aside = path + ".corrupt-" + FileAccess.stamp(now)
            // Never over an earlier one (two damaged files within a second).
            for n in 1..<100 where FileAccess.exists(aside) { aside = path + ".corrupt-" + FileAccess.stamp(now) + "-\(n)" }
            do {
                try FileAccess.moveAside(path, to: aside)
                try FileAccess.createPrivateFile(at: path)
            } catch {
                throw HistoryError(kind: .damaged, path: path, operation: .opening, code: error.errno)
            }
            let notice = "history: \(path) was not a readable SQLite database; it was moved to \(aside) and a new history started."
            return HistoryDatabase(path: path, writer: try openPool(path), notice: notice)
        }
    }

    /// A database in memory, gone when released (for tests and `--no-history`-like dry runs).
    public static func inMemory() throws(HistoryError) -> HistoryDatabase {
        do {
            let queue = try DatabaseQueue(configuration: configuration())
            try HistorySchema.migrator.migrate(queue)
            return HistoryDatabase(path: ":memory:", writer: queue, notice: nil)
        } catch {
            throw HistoryError(error, path: ":memory:", operation: .opening)
        }
    }

    /// Closes the connections. Further use throws; the writer must be closed first.
    public func close() {
        try? writer.close()
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.maximumReaderCount = readerCount
        config.label = "swr-top.history"
        return config
    }

    private static func openPool(_ path: String) throws(HistoryError) -> DatabasePool {
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration())
        } catch {
            throw HistoryError(error, path: path, operation: .opening)
        }
        do {
            if try pool.read({ try HistorySchema.migrator.hasBeenSuperseded($0) }) {
                throw HistoryError(kind: .newerSchema, path: path, operation: .opening)
            }
            try HistorySchema.migrator.migrate(pool)
            let check = try pool.read { try String.fetchOne($0, sql: "PRAGMA quick_check") }
            guard check == "ok" else {
                throw HistoryError(kind: .damaged, path: path, operation: .opening)
            }
            return pool
        } catch {
            try? pool.close()
            throw HistoryError(error, path: path, operation: .opening)
        }
    }
}
