import GRDB
import GRDBSQLite

extension Registry {
    /// Runs SQL typed by the user. Read-only unless `write`: then the statements
    /// run in one transaction under every rule (triggers, foreign keys on), a
    /// refused statement rolls the whole input back, and nothing may change the
    /// schema, `user_version` or `application_id` (checked before the commit;
    /// ATTACH and journal changes cannot run inside the transaction at all).
    /// Returns the rows of the last statement.
    public func execute(sql: String, write: Bool = false) throws -> ResultTable {
        func run(_ db: Database) throws -> ResultTable {
            // No other database file may be attached, read-only or not: ATTACH would create or
            // write a file beside the registry. The limit holds for this connection only.
            sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_ATTACHED, 0)
            defer { sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_ATTACHED, 10) }
            var table = ResultTable(columns: [], rows: [])
            let statements = try db.allStatements(sql: sql)
            while let statement = try statements.next() {
                let cursor = try Row.fetchCursor(statement)
                var rows: [[JSONValue]] = []
                while let row = try cursor.next() {
                    rows.append(row.databaseValues.map(JSONValue.init(databaseValue:)))
                }
                table = ResultTable(columns: statement.columnNames, rows: rows)
            }
            return table
        }
        func schema(_ db: Database) throws -> [String] {
            try String.fetchAll(db, sql: """
                SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master
                UNION ALL SELECT 'user_version ' || user_version FROM pragma_user_version
                UNION ALL SELECT 'application_id ' || application_id FROM pragma_application_id
                ORDER BY 1
                """)
        }
        do {
            guard write else { return try read(run) }
            return try self.write { db in
                let before = try schema(db)
                let table = try run(db)
                guard try schema(db) == before else {
                    throw RegDBError.violations([Violation(file: path, path: nil, rule: "schema", message: """
                        regdb sql --write changes data, never the schema, user_version or application_id; nothing written
                        """)])
                }
                return table
            }
        } catch let error as DatabaseError {
            if !write && (error.resultCode == .SQLITE_READONLY || error.extendedResultCode == .SQLITE_READONLY) {
                throw RegDBError.violations([Violation(file: path, path: nil, rule: "read-only", message: """
                    regdb sql is read-only; pass --write to change data (the rules hold for it too)
                    """)])
            }
            let (rule, message) = RegDBError.ruleMessage(from: error)
            throw RegDBError.violations([Violation(file: path, path: nil, rule: rule, message: message)])
        }
    }
}

extension JSONValue {
    init(databaseValue: DatabaseValue) {
        switch databaseValue.storage {
        case .null: self = .null
        case .int64(let i): self = .integer(i)
        case .double(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .blob(let data): self = .string("<\(data.count) bytes>")
        }
    }
}
