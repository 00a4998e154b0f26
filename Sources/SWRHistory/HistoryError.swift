import Foundation
import GRDB

/// Something that went wrong with the history file, in plain words: what failed, what it means,
/// what to do. One line, without SQL, values or anything read from the network; the path is the
/// only outside text in it (callers sanitise it like any path before printing).
public struct HistoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of trouble, for callers that react differently (a test, a notice's colour).
    public enum Kind: String, Sendable, Equatable {
        /// The disk (or the file's size limit) is full.
        case full
        /// The file or its folder cannot be written.
        case readOnly
        /// The file or its folder cannot be created or opened.
        case cannotOpen
        /// The file is not an SQLite database, or a damaged one.
        case damaged
        /// Another program held the file locked for longer than the busy timeout.
        case busy
        /// The file was written by a newer swr-top (a schema this one does not know).
        case newerSchema
        /// Anything else SQLite or the file system reported.
        case other
    }

    /// What swr-top was doing with the file.
    public enum Operation: String, Sendable, Equatable {
        case opening, writing, reading
        case pruning = "removing old rows from"
    }

    /// What went wrong.
    public var kind: Kind
    /// The history file.
    public var path: String
    /// What swr-top was doing.
    public var operation: Operation
    /// SQLite's result code (extended), when SQLite reported the error.
    public var code: Int32?

    public init(kind: Kind, path: String, operation: Operation, code: Int32? = nil) {
        self.kind = kind
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// Classifies any error thrown while working with the file.
    public init(_ error: any Error, path: String, operation: Operation) {
        if let error = error as? HistoryError {
            self = error
            return
        }
        guard let error = error as? DatabaseError else {
            self.init(kind: .other, path: path, operation: operation)
            return
        }
        let kind: Kind
        switch error.resultCode {
        case .SQLITE_FULL: kind = .full
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: kind = .readOnly
        case .SQLITE_CANTOPEN: kind = .cannotOpen
        case .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_FORMAT: kind = .damaged
        case .SQLITE_BUSY, .SQLITE_LOCKED: kind = .busy
        default: kind = .other
        }
        self.init(kind: kind, path: path, operation: operation, code: error.extendedResultCode.rawValue)
    }

    /// One line: what failed, what it means, what to do.
    public var description: String {
        let what: String
        let todo: String
        switch kind {
        case .full:
            what = "the disk is full"
            todo = "free some space, or point --history (history.path) at another disk"
        case .readOnly:
            what = "the file or its folder is read-only"
            todo = "make it writable, or choose another file with --history PATH"
        case .cannotOpen:
            what = "the file or its folder cannot be created or opened"
            todo = "check the folder exists and is yours, or choose another file with --history PATH"
        case .damaged:
            what = "the file is not a readable SQLite database"
            todo = "move it aside (swr-top starts a new one), or choose another file with --history PATH"
        case .busy:
            what = "another program kept the file locked"
            todo = "close the other program, or choose another file with --history PATH"
        case .newerSchema:
            what = "a newer swr-top wrote it"
            todo = "use that swr-top, or choose another file with --history PATH"
        case .other:
            what = code.map { "SQLite error \($0)" } ?? "an unexpected error"
            todo = "choose another file with --history PATH, or run with --no-history"
        }
        let effect = operation == .reading
            ? "the history shown is incomplete"
            : "history is off for this session (the dashboard goes on)"
        return "history: \(operation.rawValue) \(path) failed: \(what); \(effect): \(todo)."
    }
}
