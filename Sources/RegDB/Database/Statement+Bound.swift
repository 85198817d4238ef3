import GRDB
import GRDBSQLite

extension Statement {
    /// Binds `values` and steps once, with SQLite's own calls: no argument array is
    /// built for GRDB to copy. The statement is reset either way.
    func executeBound(_ values: some Collection<DatabaseValue>, in db: Database) throws {
        let handle = sqliteStatement
        sqlite3_reset(handle)
        for (index, value) in values.enumerated() {
            let column = Int32(index + 1)
            switch value.storage {
            case .null: sqlite3_bind_null(handle, column)
            case .int64(let number): sqlite3_bind_int64(handle, column, number)
            case .double(let number): sqlite3_bind_double(handle, column, number)
            case .string(var text):
                // An empty string's bytes may have no address, which SQLite would bind as NULL.
                if text.isEmpty { sqlite3_bind_text(handle, column, "", 0, transientDestructor); continue }
                text.withUTF8 { sqlite3_bind_text(handle, column, $0.baseAddress, Int32($0.count), transientDestructor) }
            case .blob(let data):
                _ = data.withUnsafeBytes { sqlite3_bind_blob(handle, column, $0.baseAddress, Int32($0.count), transientDestructor) }
            }
        }
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: sql)
        }
    }
}

/// SQLite copies a value bound with this before the call returns.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension Database {
    /// Inserts a flat list of rows of `columns` (row after row), as many rows a statement as
    /// SQLite's smallest limit on parameters (999) allows: regdb's one multi-row insert.
    func insertRows(_ table: String, _ columns: [String], _ values: [DatabaseValue]) throws {
        let perStatement = max(1, 999 / columns.count)
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let rows = values.count / columns.count
        var start = 0
        while start < rows {
            let count = min(perStatement, rows - start)
            let sql = head + Array(repeating: tuple, count: count).joined(separator: ",")
            try cachedStatement(sql: sql).executeBound(values[(start * columns.count)..<((start + count) * columns.count)], in: self)
            start += count
        }
    }
}
