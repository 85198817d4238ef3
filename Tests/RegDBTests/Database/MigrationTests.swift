import GRDB
import Testing
@testable import RegDB

/// The upgrade steps are the changelog: one per version, in order, the last one the
/// version schema.sql writes (so adding a version is appending a step).
@Suite struct MigrationTests {
    @Test func oneStepPerVersionUpToSchemaSQLs() throws {
        #expect(Migration.steps.map(\.version) == Array(2...Registry.schemaVersion))
        #expect(Migration.steps.allSatisfy { !$0.name.isEmpty })
        let written = try Registry.inMemory().read { try Int32.fetchOne($0, sql: "PRAGMA user_version") }
        #expect(written == Registry.schemaVersion)
    }
}
