import Foundation
import GRDB

/// `regdb pull`: keeps a service's registry file the one a manifest names.
public enum Pull {
    public enum Outcome: Sendable, Equatable {
        /// The file already holds the manifest's artifact (or the manifest did not change).
        case upToDate(version: String?)
        /// The artifact was downloaded, verified and swapped in; the file it replaced is kept.
        case pulled(version: String, bytes: Int, previous: String?)
        /// `--rollback`: the previous file is back, and the one it replaced is now the previous.
        case rolledBack(previous: String)
    }

    /// What the last pull saw, kept beside the registry (`<db>.pull.json`): the manifest's URL
    /// and ETag, and the artifact's version and digest. Never a credential.
    static func statePath(_ db: String) -> String { db + ".pull.json" }
    public static func previousPath(_ db: String) -> String { db + ".previous" }

    /// Fetches the manifest at `url` (a conditional request when the last pull saw it), and
    /// unless the registry at `db` already holds its artifact, downloads the artifact, checks
    /// its size, SHA-256 and that it is a registry this build reads, and swaps it in with a
    /// rename: a reader with the old file open keeps reading it, a new one opens the new file.
    /// The file replaced is kept as `<db>.previous` for `rollback`. Nothing changes on an error.
    public static func pull(from url: String, into db: String, timeout: TimeInterval = 60) throws -> Outcome {
        try Registry.checkFileKind(db, name: db)
        let state = readState(db)
        let client = HTTPClient(timeout: timeout, limit: 16 * 1024 * 1024)
        var headers: [String: String] = [:]
        let haveFile = FileManager.default.fileExists(atPath: db)
        if haveFile, state?["url"]?.stringValue == url, let etag = state?["etag"]?.stringValue { headers["If-None-Match"] = etag }
        let answer = try fetch(client, url, headers: headers)
        if answer.status == 304, haveFile, let digest = state?["sha256"]?.stringValue, try fileDigest(db) == digest {
            return .upToDate(version: state?["version"]?.stringValue)
        }
        guard answer.status == 200 else { throw failure(url, "the manifest answered HTTP \(answer.status)") }
        let manifest: JSONValue
        do { manifest = try JSONParser.parse([UInt8](answer.body)) } catch {
            throw failure(url, "the manifest is not JSON: \(error.message)")
        }
        guard manifest["format"]?.stringValue == "regdb-manifest", let artifact = manifest["artifact"]?.stringValue,
              let digest = manifest["sha256"]?.stringValue, let version = manifest["version"]?.stringValue,
              case .integer(let size)? = manifest["bytes"], size > 0, case .integer(let schema)? = manifest["schema_version"],
              !artifact.contains("/"), !artifact.hasPrefix(".")
        else { throw failure(url, "not a regdb manifest (format, artifact, sha256, version, bytes, schema_version)") }
        guard schema == Int64(Registry.schemaVersion) else {
            throw failure(url, "the artifact is schema version \(schema); this regdb reads \(Registry.schemaVersion): use a regdb of that version")
        }
        func remember() throws {
            let state = JSONValue.object([("url", .string(url)), ("etag", answer.etag.map(JSONValue.string) ?? .null),
                                          ("version", .string(version)), ("sha256", .string(digest))])
            try Publish.writeWhole(Array((state.prettyJSONText + "\n").utf8), to: statePath(db))
        }
        if haveFile, try fileDigest(db) == digest {
            try remember()
            return .upToDate(version: version)
        }
        // The artifact sits beside the manifest.
        let artifactURL = url.lastIndex(of: "/").map { String(url[...$0]) + artifact } ?? artifact
        var download = client
        // One byte more than the manifest says, to notice a longer artifact. A registry is megabytes:
        // a manifest claiming more than 8 GiB is not followed (nor held in memory).
        guard size <= 8 << 30 else {
            throw failure(url, "the manifest says the artifact has \(size) bytes, more than regdb pulls (8 GiB); \(db) is unchanged")
        }
        download.limit = Int(size) + 1
        let body = try fetch(download, artifactURL, headers: [:])
        guard body.status == 200 else { throw failure(artifactURL, "the artifact answered HTTP \(body.status); \(db) is unchanged") }
        let bytes = [UInt8](body.body)
        let got = SHA256.hex(bytes)
        guard bytes.count == Int(size), got == digest else {
            throw failure(artifactURL, "the artifact's SHA-256 is \(got) (\(bytes.count) bytes), the manifest says \(digest) (\(size) bytes); refused, \(db) is unchanged")
        }
        let temporary = db + ".pull-\(getpid())"
        try Publish.writeWhole(bytes, to: temporary)
        do {
            try checkRegistry(temporary, url: artifactURL)
            try settleJournal(db)
            let previous = haveFile ? previousPath(db) : nil
            if let previous {
                unlink(previous)
                guard link(db, previous) == 0 else { throw failure(db, "cannot keep the current file as \(previous): \(String(cString: strerror(errno)))") }
            }
            guard rename(temporary, db) == 0 else { throw failure(db, "cannot be replaced: \(String(cString: strerror(errno)))") }
            try remember()
            return .pulled(version: version, bytes: bytes.count, previous: previous)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Puts `<db>.previous` back in place; the file it replaces becomes the previous one, so a
    /// second rollback undoes the first. The next pull downloads the manifest's artifact again.
    public static func rollback(_ db: String) throws -> Outcome {
        let previous = previousPath(db)
        guard FileManager.default.fileExists(atPath: previous) else {
            throw failure(db, "there is no \(previous) to roll back to (only a pull keeps one)")
        }
        try settleJournal(db)
        let swap = db + ".rollback-\(getpid())"
        unlink(swap)
        if FileManager.default.fileExists(atPath: db) {
            guard link(db, swap) == 0 else { throw failure(db, "cannot keep the current file: \(String(cString: strerror(errno)))") }
        }
        guard rename(previous, db) == 0 else { unlink(swap); throw failure(db, "cannot be replaced: \(String(cString: strerror(errno)))") }
        if FileManager.default.fileExists(atPath: swap) { rename(swap, previous) }
        if var state = readState(db), case .object(var fields) = state {
            fields = fields.filter { $0.key != "etag" && $0.key != "sha256" && $0.key != "version" }
            state = .object(fields + [("sha256", .string(try fileDigest(db)))])
            try Publish.writeWhole(Array((state.prettyJSONText + "\n").utf8), to: statePath(db))
        }
        return .rolledBack(previous: previous)
    }

    // MARK: -

    private static func failure(_ file: String, _ message: String) -> RegDBError {
        .violations([Violation(file: file, path: nil, rule: "pull", message: message)])
    }

    private static func readState(_ db: String) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: statePath(db)) else { return nil }
        return try? JSONParser.parse([UInt8](data))
    }

    private static func fileDigest(_ path: String) throws -> String {
        SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// An http(s) URL, or a local path (file:// or plain) for a manifest on a mounted share.
    private static func fetch(_ client: HTTPClient, _ url: String, headers: [String: String]) throws -> HTTPClient.Response {
        if url.hasPrefix("http://") || url.hasPrefix("https://") {
            do { return try client.get(url, headers: headers) } catch let error as HTTPClient.Failure {
                throw failure(url, error.description)
            }
        }
        let path = url.hasPrefix("file://") ? String(url.dropFirst(7)) : url
        guard let data = FileManager.default.contents(atPath: path) else { throw failure(url, "cannot be read") }
        return HTTPClient.Response(status: 200, body: data)
    }

    /// The downloaded file is a registry of this schema version, whole.
    private static func checkRegistry(_ path: String, url: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let (id, version, check) = try queue.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id"), try Int32.fetchOne(db, sql: "PRAGMA user_version"),
                 try String.fetchOne(db, sql: "PRAGMA quick_check"))
            }
            try queue.close()
            guard id == Registry.applicationID, version == Registry.schemaVersion, check == "ok" else {
                throw failure(url, "the artifact is not a whole registry of schema version \(Registry.schemaVersion) (application_id \(id ?? 0), version \(version ?? 0), quick_check \(check ?? "?"))")
            }
        } catch let error as DatabaseError {
            throw failure(url, "the artifact is not a registry: \(error.message ?? "\(error)")")
        }
    }

    /// A file in WAL mode has a -wal beside it that SQLite would read into whatever file takes
    /// its name: it is checkpointed and switched to rollback mode first, which SQLite refuses
    /// while another connection has it open.
    private static func settleJournal(_ db: String) throws {
        guard FileManager.default.fileExists(atPath: db + "-wal") else { return }
        do {
            let queue = try DatabaseQueue(path: db)
            let mode = try queue.writeWithoutTransaction { try String.fetchOne($0, sql: "PRAGMA journal_mode = DELETE") }
            try queue.close()
            if mode == "delete", !FileManager.default.fileExists(atPath: db + "-wal") { return }
        } catch {}
        throw failure(db, "is in WAL mode and open in another process; stop its writers (or pull into another path) and pull again")
    }
}
