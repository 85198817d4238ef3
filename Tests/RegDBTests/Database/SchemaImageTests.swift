import Foundation
import Testing
import GRDB
@testable import RegDB

/// The database built into the binary is the one schema.sql makes here and now.
@Suite struct SchemaImageTests {
    /// Every object and every reference row the image holds is what running the
    /// embedded schema.sql in a new database gives: the build and the source agree.
    @Test func theImageIsWhatSchemaSQLMakes() throws {
        let ran = try DatabaseQueue()
        try ran.writeWithoutTransaction { try $0.execute(sql: Registry.schemaSQL) }
        let copied = try SchemaDefinition.fresh()
        let objects = try ran.read { try SchemaDefinition.objects($0) }
        #expect(objects.count > 100)
        #expect(try copied.read { try SchemaDefinition.objects($0) } == objects)
        for table in SchemaDefinition.referenceTables {
            let sql = "SELECT * FROM \(table) ORDER BY 1"
            #expect(try ran.read { try Row.fetchAll($0, sql: sql) } == copied.read { try Row.fetchAll($0, sql: sql) }, "\(table)")
        }
        let header = "SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version)"
        #expect(try copied.read { try Row.fetchOne($0, sql: header) } == ran.read { try Row.fetchOne($0, sql: header) })
    }

    /// A registry created on disk is a complete, checked file; with no catalog yet,
    /// its first import has nothing to rebuild. A second create at the same path leaves it alone.
    @Test func aNewFileIsACompleteRegistry() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("regdb-image-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("registry.db").path
        let registry = try Registry.open(at: path, mode: .create)
        #expect(try registry.rows("PRAGMA integrity_check").first?["integrity_check"] == .string("ok"))
        #expect(try registry.rows("SELECT count(*) AS n FROM category").first?["n"] != .integer(0))
        #expect(try registry.read { try WrittenState.before($0) } == .verified)
        #expect(try SchemaImage.create(at: path) == false)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix("registry.db") } == [])
    }

    /// Zero runs come back as they were packed, and input cut short is refused, not read past.
    @Test func unpackingReadsWhatWasPacked() {
        // 3 literal bytes, 5 zeros, 1 literal byte, no zeros.
        #expect(SchemaImage.unpacked([3, 1, 2, 3, 5, 1, 9, 0]) == [1, 2, 3, 0, 0, 0, 0, 0, 9])
        // A zero run of 300 (LEB128: 0xAC 0x02).
        #expect(SchemaImage.unpacked([0, 0xAC, 0x02]) == [UInt8](repeating: 0, count: 300))
        #expect(SchemaImage.unpacked([4, 1, 2]) == nil)
        #expect(SchemaImage.unpacked([1, 7, 0x80]) == nil)
    }
}

/// The import digest covers every table schema.sql defines but those commands write without an
/// import: a table added to the schema is digested without being listed anywhere.
@Suite struct CatalogDigestTests {
    @Test func everyTableButTheUnwrittenOnesIsDigested() throws {
        let tables = try CatalogDigest.tables()
        let all = try SchemaDefinition.expected().filter { $0.type == "table" }.map(\.name)
        #expect(Set(tables) == Set(all).subtracting(CatalogDigest.unwritten))
        #expect(tables.contains("package_category") && tables.contains("price") && !tables.contains("setting"))
        #expect(CatalogDigest.unwritten.isSubset(of: Set(all)), "an unwritten table schema.sql no longer defines")
    }
}
