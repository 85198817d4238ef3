import GRDB
import GRDBSQLite

/// A 64-bit digest of every table an import writes (sources, claims, the
/// catalog) and of the vocabulary the rules read. An import stores it in
/// `written_state`; while the tables still match it, nothing but regdb's
/// imports has written them, and every row passed every trigger and the
/// deferred rules when it was written. `check` then need not rebuild the
/// catalog from its claims nor run each rule again over every row.
///
/// Each row hashes to 64 bits and a table's digest is the sum of its rows',
/// so the order rows are stored in (a VACUUM, a re-import) does not matter.
/// It tells edits from none; it is no defence against a forger.
enum CatalogDigest {
    /// The tables schema.sql defines that commands write without an import (metrics, sightings,
    /// hosts, settings, the refresh's bookkeeping, the digest itself): no rule reads them. Every
    /// other table is digested, so a table added to schema.sql is covered without a word here.
    static let unwritten: Set = ["catalog_fetch", "catalog_source", "failover_event", "host", "route_outcome",
                                 "setting", "sighting", "written_state"]

    /// The digested tables, in schema order (by name): every table schema.sql defines but `unwritten`.
    static func tables() throws -> [String] { try layout.get().tables }

    /// The digest of what `db` holds now: one statement, one aggregate per table.
    static func compute(_ db: Database) throws -> Int64 {
        sqlite3_create_function_v2(db.sqliteConnection, "regdb_row_digest", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                   nil, nil, digestStep, digestFinal, nil)
        let (tables, query) = try layout.get()
        let sums = try Row.fetchOne(db.cachedStatement(sql: query))
        var total: UInt64 = 0x6A09_E667_F3BC_C908
        for index in tables.indices {
            total = mix(total, UInt64(bitPattern: sums?[index] as Int64? ?? 0))
        }
        return Int64(bitPattern: total)
    }

    /// The tables and `SELECT (SELECT regdb_row_digest(…every column…) FROM alias), …`, made once
    /// per process from the tables and columns schema.sql defines.
    private static let layout = Result<(tables: [String], query: String), any Error> {
        let tables = try SchemaDefinition.expected().filter { $0.type == "table" && !unwritten.contains($0.name) }.map(\.name)
        let columns = try SchemaDefinition.fresh().read { db in
            try tables.map { table in
                try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
            }
        }
        let parts = zip(tables, columns).map { table, columns in
            "(SELECT regdb_row_digest(\(columns.map(\.quotedDatabaseIdentifier).joined(separator: ", "))) FROM \(table.quotedDatabaseIdentifier))"
        }
        return (tables, "SELECT " + parts.joined(separator: ",\n       "))
    }

    /// The digest `written_state` holds, if any.
    static func stored(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT catalog_digest FROM written_state WHERE id = 1")
    }

    /// Whether the tables are as regdb's last import left them.
    static func matches(_ db: Database) throws -> Bool {
        guard let stored = try stored(db) else { return false }
        return try compute(db) == stored
    }

    /// Records what the tables hold now as written by regdb, inside the caller's transaction.
    static func record(_ db: Database, at time: String) throws {
        try db.execute(sql: """
            INSERT INTO written_state (id, catalog_digest, written_at) VALUES (1, ?, ?)
            ON CONFLICT (id) DO UPDATE SET catalog_digest = excluded.catalog_digest, written_at = excluded.written_at
            """, arguments: [try compute(db), time])
    }
}

/// One round of a 64-bit multiply-xorshift mix.
private func mix(_ state: UInt64, _ value: UInt64) -> UInt64 {
    var h = (state ^ value) &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h = h &* 0xC4CE_B9FE_1A85_EC53
    return h ^ (h >> 29)
}

/// Adds one row's hash (its values' types and bytes, in column order) to the
/// aggregate's sum. The values are read where SQLite holds them, not copied.
private func digestStep(_ context: OpaquePointer?, _ count: Int32, _ values: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let values, let raw = sqlite3_aggregate_context(context, Int32(MemoryLayout<UInt64>.size)) else { return }
    var h: UInt64 = 0x243F_6A88_85A3_08D3
    for index in 0..<Int(count) {
        let value = values[index]
        let type = sqlite3_value_type(value)
        h = mix(h, UInt64(type))
        switch type {
        case SQLITE_INTEGER:
            h = mix(h, UInt64(bitPattern: sqlite3_value_int64(value)))
        case SQLITE_FLOAT:
            h = mix(h, sqlite3_value_double(value).bitPattern)
        case SQLITE_TEXT, SQLITE_BLOB:
            let bytes = type == SQLITE_TEXT ? sqlite3_value_text(value).map(UnsafeRawPointer.init) : sqlite3_value_blob(value)
            let length = Int(sqlite3_value_bytes(value))
            h = mix(h, UInt64(length))
            guard let bytes else { continue }
            var offset = 0
            while offset + 8 <= length {
                h = mix(h, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < length {
                tail |= UInt64(bytes.load(fromByteOffset: offset, as: UInt8.self)) << shift
                shift += 8
                offset += 1
            }
            h = mix(h, tail)
        default:
            break
        }
    }
    let sum = raw.assumingMemoryBound(to: UInt64.self)
    sum.pointee = sum.pointee &+ h
}

private func digestFinal(_ context: OpaquePointer?) {
    let raw = sqlite3_aggregate_context(context, 0)
    sqlite3_result_int64(context, Int64(bitPattern: raw?.assumingMemoryBound(to: UInt64.self).pointee ?? 0))
}

/// What an import finds before it writes: whether the tables are as regdb's
/// last import left them.
enum WrittenState {
    /// They match the stored digest: the import may record its own.
    case verified
    /// No digest yet, and rows already (an upgraded registry): the import rebuilds the whole
    /// catalog and records one. A new registry has no digest and no rows: that is `verified`.
    case unknown
    /// Something else has written them since: the import keeps those edits and the old
    /// digest, so `check` goes on comparing the catalog with its sources until
    /// `import --force` rebuilds it.
    case edited

    static func before(_ db: Database) throws -> WrittenState {
        guard let stored = try CatalogDigest.stored(db) else {
            // A new registry (schema.sql's rows and nothing else) has nothing to rebuild.
            return try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM source) AND NOT EXISTS (SELECT 1 FROM claim) "
                                     + "AND NOT EXISTS (SELECT 1 FROM provider) AND NOT EXISTS (SELECT 1 FROM model) "
                                     + "AND NOT EXISTS (SELECT 1 FROM route) AND NOT EXISTS (SELECT 1 FROM capability_rule)") == true
                ? .verified : .unknown
        }
        return try CatalogDigest.compute(db) == stored ? .verified : .edited
    }
}
