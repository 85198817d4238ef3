import Foundation
import Testing

/// `check` compares the registry's schema, statement for statement, and the
/// rows schema.sql itself inserts, with schema.sql; a missing table is named,
/// never a raw SQLite error.
@Suite struct SchemaIntegrityTests {
    /// A trigger rewritten through writable_schema to let negative prices in is seen.
    @Test func aRewrittenTriggerFailsCheck() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let tampered = try sqlite3(db, """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master SET sql = replace(sql, 'NEW.usd < 0', 'NEW.usd < -1000') WHERE name = 'price_usd_update';
            """)
        try #require(tampered.status == 0, "\(tampered.stderr)")
        // The rewritten trigger really lets a negative price through: that is what check must catch.
        let negative = try sqlite3(db, "PRAGMA ignore_check_constraints = ON; UPDATE price SET usd = -1 WHERE route_id = (SELECT id FROM route WHERE route_key = 'fal/fal-ai/veo3');")
        #expect(negative.status == 0, "\(negative.stderr)")

        let check = try regdb("check", "--db", "registry.db", in: dir.url)
        #expect(check.status == 1)
        #expect(check.stderrLines.contains { $0.hasPrefix("registry.db: error: [schema] trigger price_usd_update differs from its definition in schema.sql") },
                "\(check.stderr)")
        #expect(check.stderr.contains("[price-negative]"), "\(check.stderr)")
    }

    /// Every object schema.sql does not define is reported: a trigger (which could drop rows
    /// silently), a table or view (data no export or check sees), an index (a UNIQUE one refuses
    /// valid rows).
    @Test func everyAddedObjectFailsCheck() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        try #require(try regdb("check", "--db", "registry.db", in: dir.url).status == 0)
        try #require(try sqlite3(db, """
            CREATE INDEX my_own ON route (api); CREATE TABLE evil (a); CREATE VIEW peek AS SELECT 1;
            CREATE TRIGGER eat BEFORE INSERT ON price BEGIN SELECT RAISE(IGNORE); END;
            """).status == 0)
        let check = try regdb("check", "--db", "registry.db", in: dir.url)
        #expect(check.status == 1)
        for object in ["index my_own", "table evil", "view peek", "trigger eat"] {
            #expect(check.stderrLines.contains { $0.hasPrefix("registry.db: error: [schema] \(object) is not in schema.sql; nothing regdb writes or checks sees it") },
                    "\(object): \(check.stderr)")
        }
    }

    /// After DROP TABLE price, every command that reads it names the missing table in one line.
    @Test func aDroppedTableIsNamed() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        try #require(try sqlite3(db, "DROP TABLE price;").status == 0)
        let line = "registry.db: error: [schema] table price is missing"
        for arguments in [["get", "veo3"], ["cost", "fal/fal-ai/veo3", "--seconds", "5", "--variant", "audio"],
                          ["sql", "SELECT count(*) FROM price"]] {
            let result = try regdb(arguments + ["--db", "registry.db"], in: dir.url)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderrLines.count == 1 && result.stderrLines[0].hasPrefix(line), "\(arguments): \(result.stderr)")
        }
        let check = try regdb("check", "--db", "registry.db", in: dir.url)
        #expect(check.status == 1)
        // The table's own indexes and triggers went with it: one line says it all.
        #expect(check.stderrLines.count == 1 && check.stderrLines[0].hasPrefix(line), "\(check.stderr)")
    }

    /// Rows that are rules as data: discovery's capability rules (from the seeds)
    /// and the name rules and units schema.sql inserts.
    @Test(arguments: [
        ("DELETE FROM capability_rule", "[drift] rule "),
        ("DELETE FROM name_rule WHERE pattern = 'us.'", "[schema] table name_rule lacks 1 row(s) of schema.sql"),
        ("INSERT INTO unit (id, measure, description) VALUES ('frame', 'images', 'x')", "[schema] table unit has 1 row(s) schema.sql does not"),
        // Design doc 000's packages are schema rows too: the digest and the reference check see them.
        ("DELETE FROM package_category WHERE package_id = 'video-to-video' AND category_id = 'add_audio'",
         "[schema] table package_category lacks 1 row(s) of schema.sql"),
    ])
    func deletedRuleRowsFailCheck(sql: String, expected: String) throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let edited = try sqlite3(db, sql + ";")
        try #require(edited.status == 0, "\(edited.stderr)")
        let check = try regdb("check", "--db", "registry.db", in: dir.url)
        #expect(check.status == 1)
        #expect(check.stderr.contains(expected), "\(check.stderr)")
    }

    /// The version 10 step marks a paid route's zeros free and leaves a local provider's alone,
    /// so a registry the seeds made passes check after it, with no drift to re-import away.
    @Test func theVersion10UpgradeLeavesASeededRegistryClean() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        // As a version 9 file holds them: no price says free (the trigger that would refuse it is version 10's).
        try #require(try sqlite3(db, "DROP TRIGGER price_zero_update; UPDATE price SET free = 0; PRAGMA user_version = 9;").status == 0)
        let check = try regdb("check", in: dir.url)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(try sqlite3(db, "PRAGMA user_version; SELECT count(*) FROM price p JOIN route r ON r.id = p.route_id WHERE p.free = 1 AND r.provider_id = 'ollama';").stdoutLines == ["11", "0"])
        #expect(try sqlite3(db, "SELECT count(*) FROM price WHERE free = 1").stdoutLines == ["4"])
    }
}
