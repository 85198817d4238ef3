import GRDB

extension Registry {
    /// Runs SQL typed by the user, with the registry's connection settings
    /// (foreign keys on). Writes run in one transaction; a refused statement
    /// rolls the whole input back. Returns the rows of the last statement.
    public func execute(sql: String) throws -> ResultTable {
        do {
            return try queue.write { db in
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
        } catch let error as DatabaseError {
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
