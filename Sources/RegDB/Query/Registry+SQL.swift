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
                // Compiled, not run yet: a write may not end or nest the transaction regdb holds
                // (its rules run before the commit), nor switch a rule off.
                if write, let refusal = SQLGuard.refusal(statement.sql) {
                    throw RegDBError.violations([Violation(file: path, path: nil, rule: "sql-write", message: refusal + "; nothing written")])
                }
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
        func deferred(_ db: Database) throws -> [String] {
            try String.fetchAll(db, sql: "SELECT '[' || rule || '] ' || message FROM deferred_violation")
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
                let deferredBefore = Set(try deferred(db))
                let table = try run(db)
                guard try schema(db) == before else {
                    throw RegDBError.violations([Violation(file: path, path: nil, rule: "schema", message: """
                        regdb sql --write changes data, never the schema, user_version or application_id; nothing written
                        """)])
                }
                // The rules no one statement can break (a media route left without a price), run before
                // the commit as import runs them: what this SQL broke is refused, and nothing is written.
                let broken = try deferred(db).filter { !deferredBefore.contains($0) }
                if !broken.isEmpty {
                    throw RegDBError.violations(broken.map { row in
                        let (rule, message) = RegDBError.ruleMessage(fromSQLiteMessage: row)
                        return Violation(file: path, path: nil, rule: rule, message: message + "; nothing written")
                    })
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

/// What `regdb sql --write` refuses before a statement runs: anything that ends, opens or nests
/// the transaction regdb runs the text in (`COMMIT` inside the text would commit a dropped table
/// before any check), and pragmas that switch a rule off or change how the file is kept.
enum SQLGuard {
    /// Transaction control: the first keyword of the statement.
    static let transactionWords: Set = ["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"]

    /// Pragmas a write may read but never set: each turns a rule off or changes the file itself.
    static let guardedPragmas: Set = [
        "ignore_check_constraints", "foreign_keys", "defer_foreign_keys", "writable_schema", "recursive_triggers",
        "legacy_alter_table", "trusted_schema", "user_version", "application_id", "schema_version", "journal_mode",
        "locking_mode", "synchronous", "query_only", "cell_size_check", "secure_delete", "auto_vacuum",
        "page_size", "max_page_count", "encoding", "temp_store", "mmap_size", "case_sensitive_like",
    ]

    /// Why `sql` may not run under `--write`, or nil.
    static func refusal(_ sql: String) -> String? {
        let words = keywords(sql)
        guard let first = words.first?.uppercased() else { return nil }
        if transactionWords.contains(first) {
            return "\(first) is not allowed: regdb sql --write runs the whole text as one transaction and checks every rule before it commits"
        }
        if first == "PRAGMA", words.count > 1 {
            var name = words[1].lowercased()
            if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
            let setsValue = sql.contains("=") || sql.contains("(")
            if setsValue && (guardedPragmas.contains(name) || !readPragmas.contains(name)) {
                return "PRAGMA \(name) cannot be set by regdb sql --write: every rule holds for every write"
            }
        }
        return nil
    }

    /// Pragmas whose argument names what to read, not a value to set.
    private static let readPragmas: Set = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check", "function_list", "pragma_list", "collation_list",
    ]

    /// The leading words of a statement, comments and blanks skipped.
    private static func keywords(_ sql: String) -> [Substring] {
        var rest = Substring(sql)
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return [] }
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        return rest.split(maxSplits: 2, omittingEmptySubsequences: true,
                          whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }).prefix(2).map { $0 }
    }
}
