import GRDB

/// A cursor over a prepared statement's rows that hands out the current row's columns by
/// position, read straight from SQLite through GRDB's `StatementColumnConvertible` decoders: no
/// `Row` is built for the statement and no column is looked up by name. The reads that return
/// thousands of rows (the start-up load) or run once per stage use it.
///
/// Like GRDB's own cursors: made for immediate iteration, on the connection's queue, one at a
/// time per statement, and the statement is reset when the cursor goes (so a cursor left after
/// its first row does not hold the read transaction open). A NULL where the schema forbids one (a damaged or hand-edited file) reads
/// as `0` or `""`, never as a crash.
final class ColumnCursor: DatabaseCursor {
    typealias Element = Columns

    let _statement: Statement
    var _isDone = false

    /// Resets `statement`, binds `arguments` (checked against its parameters) and starts before
    /// its first row.
    init(_ statement: Statement, arguments: StatementArguments) throws {
        _statement = statement
        try statement.setArguments(arguments)
    }

    deinit {
        // A statement left before its end stays active and keeps its read snapshot (the reader
        // would see the file as it was, and the WAL could not be checkpointed past it): reset
        // it, as GRDB's own cursors do (`setArguments` resets before it binds).
        if !_isDone { try? _statement.setArguments(_statement.arguments) }
    }

    func _element(sqliteStatement: SQLiteStatement) -> Columns {
        Columns(statement: sqliteStatement)
    }
}

/// The current row of a `ColumnCursor`, valid until the cursor moves. Columns count from 0.
struct Columns {
    let statement: SQLiteStatement

    func int64(_ column: Int32) -> Int64 { Int64.fromStatement(statement, atUncheckedIndex: column) ?? 0 }
    func int(_ column: Int32) -> Int? { Int.fromStatement(statement, atUncheckedIndex: column) }
    func double(_ column: Int32) -> Double { Double.fromStatement(statement, atUncheckedIndex: column) ?? 0 }
    func optionalDouble(_ column: Int32) -> Double? { Double.fromStatement(statement, atUncheckedIndex: column) }
    func text(_ column: Int32) -> String { String.fromStatement(statement, atUncheckedIndex: column) ?? "" }
    func optionalText(_ column: Int32) -> String? { String.fromStatement(statement, atUncheckedIndex: column) }
}
