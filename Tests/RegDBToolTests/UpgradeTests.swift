import Foundation
import Testing

/// A registry of every released schema version opens upgraded in place: the file then holds
/// schema.sql statement for statement, and its prices mean what they meant. The fixtures are
/// each version's schema.sql, verbatim from the commit that released it.
@Suite struct UpgradeTests {
    /// A route priced the way each version can say it: a version 1 threshold billed the
    /// seconds beyond it, so 10 seconds past a threshold of 6 add 4 × 0.05.
    static let rows = """
        INSERT INTO provider (id, name) VALUES ('fal', 'fal');
        INSERT INTO model (id, name) VALUES ('grok', 'grok');
        INSERT INTO route (id, provider_id, wire_id, model_id) VALUES (1, 'fal', 'grok', 'grok');
        """

    @Test(arguments: 1...5) func everyReleasedVersionUpgrades(version: Int) throws {
        let dir = try TemporaryDirectory()
        let sqlite3 = try #require(executable("sqlite3"))
        let schema = try String(contentsOf: repoRoot.appending(path: "Tests/RegDBToolTests/Fixtures/schema-v\(version).sql"), encoding: .utf8)
        let prices = version == 1
            ? "INSERT INTO price (route_id, unit, usd, above, position) VALUES (1, 'video', 0.3, NULL, 0), (1, 'second', 0.05, 6, 1);"
            : "INSERT INTO price (route_id, unit, usd, above, above_bills, position) VALUES (1, 'video', 0.3, NULL, NULL, 0), (1, 'second', 0.05, 6, 'excess', 1);"
        let made = try run(sqlite3, ["-bail", dir.file("old.db").path], input: schema + "\n" + Self.rows + prices)
        try #require(made.status == 0, "version \(version): \(made.stderr)")
        #expect(try run(sqlite3, [dir.file("old.db").path, "PRAGMA user_version"]).stdoutLines == ["\(version)"])

        let cost = try regdb("cost", "fal/grok", "--seconds", "10", "--db", "old.db", "--format", "json", in: dir.url)
        #expect(cost.status == 0, "version \(version): \(cost.stderr)")
        let quoted = try JSONSerialization.jsonObject(with: Data(cost.stdout.utf8)) as? [String: Any]
        #expect((quoted?["usd"] as? NSNumber)?.doubleValue == 0.5, "version \(version): \(cost.stdout)")

        let after = try run(sqlite3, [dir.file("old.db").path, """
            PRAGMA user_version; SELECT above_bills FROM price WHERE above IS NOT NULL; SELECT count(*) FROM unit_part;
            SELECT count(*) FROM route_document WHERE json_extract(document, '$.pricing[1].above') = 6;
            """])
        #expect(after.stdoutLines == ["11", "excess", "11", "1"], "version \(version): \(after.stdout) \(after.stderr)")
        // Upgraded, the file holds schema.sql statement for statement: check finds no [schema] difference.
        let checked = try regdb("check", "--db", "old.db", in: dir.url)
        #expect(!checked.stderr.contains("[schema]"), "version \(version): \(checked.stderr)")
        #expect(!checked.stderr.contains("[integrity]"), "version \(version): \(checked.stderr)")
        // A second open finds nothing left to do.
        #expect(try regdb("get", "fal/grok", "--db", "old.db", in: dir.url).status == 0)
    }
}
