import Foundation
import GRDB

/// What `regdb publish` wrote: a compact, read-only copy of the registry and the manifest that
/// names it, for services to `regdb pull` from any static file host.
public struct Publication: Sendable {
    /// `registry-<version>.db`, in the directory published to.
    public var artifact: String
    public var manifest: String
    /// `<UTC time>-<first 12 hex of the digest>`: sorts by time, names the content.
    public var version: String
    public var sha256: String
    public var bytes: Int
    public var counts: [(name: String, count: Int64)]
}

extension Registry {
    /// `regdb publish DIR`: writes `registry-<version>.db` (a copy, vacuumed, in rollback
    /// journal mode, so a reader never looks for a WAL beside it) and `manifest.json`: the
    /// format, schema version, version, artifact name, size and SHA-256, when it was made,
    /// counts of models, routes and prices, and every source with its URL, version and digest.
    /// Earlier artifacts stay in DIR; the manifest names the newest. Both files appear whole
    /// (written under a temporary name, then renamed).
    public func publish(to directory: String, now: Date = Date()) throws -> Publication {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } else if !isDirectory.boolValue {
            throw RegDBError.violations([Violation(file: directory, path: nil, rule: "publish", message: "is not a directory")])
        }
        let temporary = (directory as NSString).appendingPathComponent(".registry-publish-\(getpid()).db")
        try? FileManager.default.removeItem(atPath: temporary)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        // The backup API copies one consistent state (VACUUM INTO would too, but SQLite 3.40 refuses
        // it on a read-only connection to a table with a generated column), and VACUUM then
        // compacts the copy. The manifest is read from the copy: it describes exactly that file.
        let copy = try DatabaseQueue(path: temporary)
        do { try queue.backup(to: copy) } catch let error as DatabaseError { throw try translated(error) }
        let (counts, sources) = try copy.writeWithoutTransaction { db -> ([(String, Int64)], [JSONValue]) in
            // Rollback journal mode, read-only by intent: services only read it.
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: "VACUUM")
            guard try String.fetchOne(db, sql: "PRAGMA quick_check") == "ok" else {
                throw RegDBError.violations([Violation(file: path, path: nil, rule: "integrity",
                                                       message: "the copy fails quick_check; run regdb check --full")])
            }
            let counts = try [("models", "model"), ("routes", "route"), ("prices", "price")].map { name, table in
                (name, try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0)
            }
            let sources = try Row.fetchAll(db, sql: """
                SELECT s.name, s.kind, f.url, s.imported_at, s.content_hash FROM source s
                LEFT JOIN catalog_fetch f ON f.name = s.name ORDER BY s.import_seq, s.name
                """).map { row -> JSONValue in
                .object([("name", .string(row["name"])), ("kind", .string(row["kind"])),
                         ("url", (row["url"] as String?).map(JSONValue.string) ?? .null),
                         ("version", .string(row["imported_at"])), ("sha256", .string(row["content_hash"]))])
            }
            return (counts, sources)
        }
        try copy.close()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: temporary)))
        let digest = SHA256.hex(bytes)
        let stamp = UTCTime.iso(Int64(now.timeIntervalSince1970)).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        let version = stamp + "-" + digest.prefix(12)
        let artifact = "registry-\(version).db"
        let artifactPath = (directory as NSString).appendingPathComponent(artifact)
        guard rename(temporary, artifactPath) == 0 else {
            throw RegDBError.violations([Violation(file: artifactPath, path: nil, rule: "publish", message: "cannot be written: \(String(cString: strerror(errno)))")])
        }
        let manifest = JSONValue.object([
            ("format", .string("regdb-manifest")), ("format_version", .integer(1)),
            ("schema_version", .integer(Int64(Registry.schemaVersion))), ("version", .string(version)),
            ("artifact", .string(artifact)), ("bytes", .integer(Int64(bytes.count))), ("sha256", .string(digest)),
            ("created_at", .string(UTCTime.iso(Int64(now.timeIntervalSince1970)))),
            ("counts", .object(counts.map { ($0.0, .integer($0.1)) })),
            ("sources", .array(sources)),
        ])
        let manifestPath = (directory as NSString).appendingPathComponent("manifest.json")
        try Publish.writeWhole(Array((manifest.prettyJSONText + "\n").utf8), to: manifestPath)
        return Publication(artifact: artifactPath, manifest: manifestPath, version: version, sha256: digest,
                           bytes: bytes.count, counts: counts.map { (name: $0.0, count: $0.1) })
    }
}

/// Files written whole: under a temporary name in the same directory, synced, then renamed
/// over the target, so a reader sees the old file or the new one, never half of one.
enum Publish {
    static func writeWhole(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        func failure(_ what: String) -> RegDBError {
            .violations([Violation(file: path, path: nil, rule: "write", message: "\(what): \(String(cString: strerror(errno)))")])
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure("cannot be written") }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { close(fd); unlink(temporary); throw failure("cannot be written") }
            written += n
        }
        guard fsync(fd) == 0, close(fd) == 0 else { unlink(temporary); throw failure("cannot be synced") }
        guard rename(temporary, path) == 0 else { unlink(temporary); throw failure("cannot be put in place") }
    }
}
