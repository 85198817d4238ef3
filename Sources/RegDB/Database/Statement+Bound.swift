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
