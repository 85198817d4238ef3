import GRDB
import GRDBSQLite

extension Registry {
    /// Runs SQL typed by the user. Read-only unless `write`: then the statements
    /// run in one transaction under every rule (triggers, foreign keys on), a
    /// refused statement rolls the whole input back, and nothing may change the
    /// schema, `user_version` or `application_id` (checked before the commit;
    /// ATTACH and journal changes cannot run inside the transaction at all).
    /// Returns the rows of the last statement.
    ///
    /// `json`: which text values come back as the JSON they hold. `.declared`
    /// decodes the columns the view `json_column` names (by the table column a
    /// result column comes from, else by its name), `.detected` every text that
    /// is a JSON array or object (sqlite-utils' `--json-cols`).
    public func execute(sql: String, write: Bool = false, json: JSONColumns = .none) throws -> ResultTable {
        func run(_ db: Database) throws -> ResultTable {
            let declared = json == .declared ? try Row.fetchAll(db, sql: "SELECT object, name, type FROM json_column") : []
            let byOrigin = Dictionary(declared.map { ("\($0[0] as String).\($0[1] as String)", $0[2] as String) },
                                      uniquingKeysWith: { first, _ in first })
            let byName = Dictionary(declared.map { ($0[1] as String, $0[2] as String) }, uniquingKeysWith: { first, _ in first })
            // No other database file may be attached, read-only or not: ATTACH would create or
            // write a file beside the registry. The limit holds for this connection only.
            sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_ATTACHED, 0)
            defer { sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_ATTACHED, 10) }
            var table = ResultTable(columns: [], rows: [])
            let statements = try db.allStatements(sql: sql)
            while let statement = try statements.next() {
                // Per column: nil keeps text as text; otherwise the JSON types it is decoded from.
                let decoding: [JSONColumnType?] = statement.columnNames.indices.map { index in
                    switch json {
                    case .none: return nil
                    case .detected: return .container
                    case .declared:
                        let handle = statement.sqliteStatement
                        if let table = sqlite3_column_table_name(handle, Int32(index)),
                           let origin = sqlite3_column_origin_name(handle, Int32(index)) {
                            return byOrigin["\(String(cString: table)).\(String(cString: origin))"].map(JSONColumnType.init(declared:))
                        }
                        return byName[statement.columnNames[index]].map(JSONColumnType.init(declared:))
                    }
                }
                let cursor = try Row.fetchCursor(statement)
                var rows: [[JSONValue]] = []
                while let row = try cursor.next() {
                    rows.append(zip(row.databaseValues, decoding).map { value, type in
                        let plain = JSONValue(databaseValue: value)
                        guard let type, case .string(let text) = plain, let parsed = try? JSONParser.parse(text) else { return plain }
                        switch parsed {
                        case .array, .object: return parsed
                        default: return type == .any ? parsed : plain
                        }
                    })
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
        } catch let error as RegDBError where error.sqliteCode != nil {
            // What the user's SQL ran into, in the words of the rule it broke.
            if !write && error.sqliteCode == 8 {  // SQLITE_READONLY
                throw RegDBError.violations([Violation(file: path, path: nil, rule: "read-only", message: """
                    regdb sql is read-only; pass --write to change data (the rules hold for it too)
                    """)])
            }
            if error.sqliteCode == 5 || error.sqliteCode == 6 { throw error }  // busy: say so, not a rule
            let (rule, message) = RegDBError.ruleMessage(fromSQLiteMessage: error.sqliteMessage ?? "")
            throw RegDBError.violations([Violation(file: path, path: nil, rule: rule, message: message)])
        }
    }
}

/// Which text columns `Registry.execute` returns as the JSON they hold.
public enum JSONColumns: Sendable {
    /// None: every text is text (table and CSV output).
    case none
    /// The columns schema.sql declares as JSON in the view `json_column`.
    case declared
    /// Every text that is a JSON array or object.
    case detected
}

/// What a column decodes: only arrays and objects, or any JSON value (a default's `8` or `"16:9"`).
private enum JSONColumnType {
    case container, any

    init(declared: String) {
        self = declared == "any" ? .any : .container
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
