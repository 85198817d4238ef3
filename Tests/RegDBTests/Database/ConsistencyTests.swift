import Foundation
import Testing
import GRDB
@testable import RegDB

/// What another process's import does to readers: it is seen whole or not at
/// all, and routes keep their ids across re-imports.
@Suite struct ConsistencyTests {
    /// Inside a snapshot, a route deleted by another connection is still there
    /// with its prices; after it, it is gone.
    @Test func aSnapshotSeesOneState() throws {
        let (reader, directory) = try seededRegistry()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try Registry.open(at: reader.path, mode: .readWrite)
        let usage = Usage(units: ["second": 5], variants: ["audio"])
        let (before, during) = try reader.snapshot {
            let before = try reader.cost("fal/fal-ai/veo3", usage: usage).usd
            _ = try writer.execute(sql: "DELETE FROM route WHERE route_key = 'fal/fal-ai/veo3'", write: true)
            return (before, try reader.cost("fal/fal-ai/veo3", usage: usage).usd)
        }
        #expect(before == during)
        #expect(throws: RegDBError.self) { try reader.cost("fal/fal-ai/veo3", usage: usage) }
    }

    /// A write inside a snapshot is refused, not a crash.
    @Test func aWriteInsideASnapshotIsRefused() throws {
        let registry = try Registry.inMemory()
        #expect(throws: RegDBError.self) {
            try registry.snapshot { try registry.setSetting("policy", to: "warn") }
        }
    }

    /// `import --force seeds/fal.json` rebuilds fal's routes (their ids sit among the
    /// others'); each keeps its id, and a new route gets an id no route had.
    @Test func reimportKeepsRouteIDs() throws {
        let (reader, directory) = try seededRegistry()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ids = "SELECT route_key, id FROM route ORDER BY route_key"
        let before = try reader.rows(ids)
        let highest = try reader.rows("SELECT max(id) AS id FROM route").first?["id"]
        var options = ImportOptions()
        options.force = true
        let fal = try #require(try repositorySeedFiles().first { $0.hasSuffix("/fal.json") })
        _ = try Registry.importSeeds(files: [fal], into: reader.path, options: options)
        #expect(try reader.rows(ids) == before)

        let extra = directory.appending(path: "extra.json")
        try Data(#"{"providers": [{"id": "acme", "name": "Acme"}], "models": [{"id": "a", "name": "A", "routes": [{"route": "acme/a"}]}]}"#.utf8)
            .write(to: extra)
        _ = try Registry.importSeeds(files: [extra.path], into: reader.path)
        let added = try reader.rows("SELECT id FROM route WHERE route_key = 'acme/a'").first?["id"]
        guard case .integer(let new)? = added, case .integer(let max)? = highest else {
            Issue.record("no id for the new route")
            return
        }
        #expect(new > max)
    }
}

/// Every SQLite error reaches the caller as a `RegDBError` keeping SQLite's code,
/// with a message that says what to do.
@Suite struct ErrorPathTests {
    @Test func sqliteErrorsBecomeRegDBErrorsWithTheirCode() throws {
        let registry = try Registry.inMemory()
        let busy = try registry.translated(DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked"))
        #expect(busy.sqliteCode == 5)
        #expect(busy.description.contains("another regdb (or an open sqlite3 transaction) is writing; retry"), "\(busy)")
        let full = try registry.translated(DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full"))
        #expect(full.description.contains("the disk is full"), "\(full)")
        let missing = try registry.translated(DatabaseError(resultCode: .SQLITE_ERROR, message: "no such table: main.price"))
        #expect(missing.description.contains("[schema] table price is missing"), "\(missing)")
        // A table schema.sql does not define is the caller's own mistake, said as SQLite says it.
        let typo = try registry.translated(DatabaseError(resultCode: .SQLITE_ERROR, message: "no such table: prices"))
        #expect(typo.sqliteMessage == "no such table: prices")
    }

    /// The same through `read`: a query's error never leaves the library as GRDB's type.
    @Test func readTranslates() throws {
        let registry = try Registry.inMemory()
        do {
            _ = try registry.execute(sql: "SELECT * FROM no_such_thing")
            Issue.record("the query ran")
        } catch let error as RegDBError {
            #expect(error.description.contains("no such table: no_such_thing"), "\(error)")
        }
    }
}
