import GRDB

/// One object of a registry's schema, as `sqlite_master` records it.
struct SchemaObject: Hashable, Sendable {
    var type: String
    var name: String
    /// The table an index or trigger belongs to (an object's own name for a table or view).
    var table: String
    /// The `CREATE` statement, with a renamed table's quoted name unquoted
    /// (`ALTER TABLE … RENAME` writes `CREATE TABLE "route"`).
    var sql: String

    var description: String { "\(type) \(name)" }
}

/// What `schema.sql` defines, compared with what a registry file holds.
enum SchemaDefinition {
    /// The tables that hold reference data `schema.sql` inserts (categories,
    /// units, tiers, statuses, name rules): a registry holds exactly those rows.
    static let referenceTables = ["category", "tier", "status", "unit", "unit_part", "name_rule", "package", "package_category"]

    /// Every schema object of `db` but SQLite's own.
    static func objects(_ db: Database) throws -> [SchemaObject] {
        try Row.fetchAll(db, sql: """
            SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name
            """).map { SchemaObject(type: $0[0], name: $0[1], table: $0[2], sql: normalized($0[3], type: $0[0], name: $0[1])) }
    }

    /// A database holding schema.sql and nothing else: made once per process, read only.
    private static let freshDatabase = Result<DatabaseQueue, any Error> {
        let fresh = try DatabaseQueue()
        try fresh.writeWithoutTransaction { try SchemaImage.load(try SchemaImage.schema(), into: $0) }
        return fresh
    }

    static func fresh() throws -> DatabaseQueue { try freshDatabase.get() }

    /// The objects `schema.sql` creates.
    static func expected() throws -> [SchemaObject] {
        try fresh().read { try objects($0) }
    }

    static func normalized(_ sql: String, type: String, name: String) -> String {
        let quoted = "CREATE TABLE \"\(name)\""
        if type == "table" && sql.hasPrefix(quoted) {
            return "CREATE TABLE \(name)" + sql.dropFirst(quoted.count)
        }
        return sql
    }

    /// How the objects of `actual` depart from `expected`: missing and changed
    /// objects, and every table, view, index or trigger schema.sql does not define
    /// (a trigger can silently drop or rewrite rows, a table or view hides data no
    /// export or check sees, an index can be made UNIQUE and refuse valid rows).
    static func differences(actual: [SchemaObject], expected: [SchemaObject]) -> [String] {
        let have = Dictionary(actual.map { ($0.description, $0) }, uniquingKeysWith: { first, _ in first })
        let want = Set(expected.map(\.description))
        var found: [String] = []
        let missingTables = Set(expected.filter { $0.type == "table" && have[$0.description] == nil }.map(\.name))
        for object in expected {
            guard let present = have[object.description] else {
                // A dropped table's indexes and triggers went with it: the table says it all.
                if object.type != "table" && missingTables.contains(object.table) { continue }
                found.append("\(object.description) is missing")
                continue
            }
            if present.sql != object.sql { found.append("\(object.description) differs from its definition in schema.sql") }
        }
        for object in actual where !want.contains(object.description) {
            found.append("\(object.type) \(object.name) is not in schema.sql")
        }
        return found
    }

    /// Rebuilds every table whose definition differs from schema.sql's (a column
    /// added by ALTER TABLE in an older upgrade, a rule added since): the table is
    /// created anew under a temporary name, the columns both have are copied
    /// (rows are kept as they are; `check` reports any that break a new rule),
    /// the old table is dropped and the new one takes its name. Its indexes and
    /// triggers go with the old table: the caller applies schema.sql again.
    /// Runs inside the caller's transaction, with foreign keys off.
    static func rebuildChangedTables(_ db: Database, expected: [SchemaObject]) throws {
        let have = Dictionary(try objects(db).map { ($0.description, $0) }, uniquingKeysWith: { first, _ in first })
        for object in expected where object.type == "table" {
            guard let present = have[object.description], present.sql != object.sql else { continue }
            let name = object.name
            let temporary = "regdb_rebuild_\(name)"
            let head = "CREATE TABLE \(name)"
            guard object.sql.hasPrefix(head) else { continue }
            let oldColumns = Set(try Row.fetchAll(db, sql: "PRAGMA table_info(\(name.quotedDatabaseIdentifier))").map { $0["name"] as String })
            try db.execute(sql: "CREATE TABLE \(temporary)" + object.sql.dropFirst(head.count))
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(temporary))").map { $0["name"] as String }
                .filter(oldColumns.contains).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            try db.execute(sql: """
                PRAGMA ignore_check_constraints = ON;
                INSERT INTO \(temporary) (\(columns)) SELECT \(columns) FROM \(name.quotedDatabaseIdentifier);
                PRAGMA ignore_check_constraints = OFF;
                DROP TABLE \(name.quotedDatabaseIdentifier);
                ALTER TABLE \(temporary) RENAME TO \(name.quotedDatabaseIdentifier);
                """)
        }
    }
}
