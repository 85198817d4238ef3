import Foundation
import GRDB
import Testing
@testable import RegDB

/// A write that fails for a reason no seed entry is to blame for (the disk is full) is one
/// error naming the registry, not a line per seed entry that happened to be next.
@Suite struct FullDiskTests {
    /// The disk fills at several points of the import: while claims are written, while routes and
    /// their prices are made, while the digest is recorded.
    @Test(arguments: Array(stride(from: 4, through: 400, by: 8)))
    func aFullDiskIsOneError(pagesLeft: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "regdb-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "registry.db").path
        let registry = try Registry.open(at: path, mode: .create)
        // The file may not grow past a few pages more than the empty schema: the disk is "full".
        try registry.queue.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages + pagesLeft)")
        }
        let seeds = try Registry.loadCatalogs(files: try repositorySeedFiles(), format: nil).seeds
        do {
            _ = try registry.importSeeds(seeds)
            // Room enough: then the import is whole.
            #expect(try registry.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM route") } ?? 0 > 100)
            return
        } catch let error as RegDBError {
            #expect(error.sqliteCode.map { $0 & 0xFF } == 13, "\(error)")
            #expect(!error.description.contains("\n"), "\(error.description)")
            #expect(error.description.contains("full"), "\(error.description)")
        }
        // Nothing was written: the registry holds no route.
        #expect(try registry.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM route") } == 0)
    }
}
