import Foundation
import GRDB

/// An open regdb registry: one SQLite file (or an in-memory database) holding
/// the schema of `schema.sql`.
///
/// Connections run with foreign keys on and a busy timeout, so two `regdb`
/// processes on one file wait for each other instead of failing.
public final class Registry: Sendable {
    /// `PRAGMA application_id` of every registry ("RegD").
    public static let applicationID: Int32 = 0x5265_6744
    /// `PRAGMA user_version` this build reads and writes.
    public static let schemaVersion: Int32 = Migration.steps.last?.version ?? 1
    /// How long a connection waits for another process's lock.
    static let busyTimeout: TimeInterval = 10

    /// The schema, embedded from the repository's `schema.sql` at build time.
    public static var schemaSQL: String { embeddedSchemaSQL }

    /// This build's version: the release tag it was built at (`0.2.0`), else
    /// `commit <hash>`, read from the checkout at build time.
    public static var version: String { embeddedVersion }

    let queue: DatabaseQueue
    /// The path as the user gave it (`:memory:` for in-memory registries).
    public let path: String
    /// Where the file is now: `path`, but for a new registry still under its temporary name.
    let file: String
    /// Unknown names already warned about under the `warn` policy.
    let warnedNames = WarnedNames()

    private init(queue: DatabaseQueue, path: String, file: String? = nil) {
        self.queue = queue
        self.path = path
        self.file = file ?? path
    }

    public enum Mode: Sendable {
        /// Read queries only; the file must exist and hold a registry.
        case readOnly
        /// Reads and writes; the file must exist and hold a registry.
        case readWrite
        /// Reads and writes; a missing file is created with the schema.
        case create
    }

    /// Opens the registry at `path`.
    public static func open(at path: String, mode: Mode) throws -> Registry {
        try open(at: path, mode: mode, named: path)
    }

    /// Opens the registry at `path`, calling it `name` in messages (a new
    /// registry is built under a temporary name, but reported by the one it will have).
    static func open(at path: String, mode: Mode, named name: String) throws -> Registry {
        if path != ":memory:" { try checkFileKind(path, name: name) }
        let exists = access(path, F_OK) == 0
        if mode != .create && !exists { throw RegDBError.databaseMissing(path: path) }
        // A new registry is a copy of the schema's database built into the binary; an empty
        // file someone made (`touch registry.db`) gets schema.sql run in it below.
        let created = exists || path == ":memory:" ? false : try SchemaImage.create(at: path, named: name)
        // A registry in a folder nothing can write (a read-only mount, a read-only folder) is read
        // as immutable: SQLite could not create the WAL index (-shm) a reader needs, and no one
        // can write the file there anyway. Reads answer; a write says the file is read-only.
        let folder = (path as NSString).deletingLastPathComponent
        let readOnlyFolder = mode != .create && path != ":memory:" && access(folder.isEmpty ? "." : folder, W_OK) != 0
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.readonly = mode == .readOnly || readOnlyFolder
        if !configuration.readonly {
            configuration.prepareDatabase { db in
                // A catalog import writes tens of thousands of rows in one transaction: keep its
                // pages in memory (64 MiB) instead of spilling them early. In WAL mode NORMAL
                // sync is the documented safe setting (no corruption; at worst the last commit
                // before a power cut is lost). Debian builds SQLite with SECURE_DELETE, which zeroes
                // every deleted row and page: a registry holds no secrets, and a re-import deletes
                // and rewrites thousands of rows.
                try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA secure_delete = OFF")
                if try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" {
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
            }
        }
        let queue: DatabaseQueue
        do {
            let filename = readOnlyFolder
                ? "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
                : path
            queue = try DatabaseQueue(path: filename, configuration: configuration)
        } catch let error as DatabaseError {
            throw RegDBError.database(path: name, message: error.message ?? "\(error)")
        }
        let registry = Registry(queue: queue, path: name, file: path)
        try registry.prepareSchema(create: mode == .create)
        // A file created just now is filled by one import under a rollback journal, which
        // writes each page once (WAL would write it twice: log, then checkpoint); the
        // import switches it to WAL after its commit. A failed first import deletes the file.
        if created {
            try registry.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = NORMAL") }
        }
        return registry
    }

    /// A registry is a regular file, or a path where none exists yet. Anything else is refused
    /// before SQLite opens it: a directory, a FIFO (reading one blocks for ever), a device (an
    /// import as root would replace /dev/null with a registry), a socket, a dangling or looping
    /// symlink (which a first import would create a file behind, or fail on obscurely).
    static func checkFileKind(_ path: String, name: String) throws {
        func refuse(_ what: String) -> RegDBError {
            .violations([Violation(file: name, path: nil, rule: "db-file",
                                   message: "\(what), not a registry file; --db names a registry file or a path where none exists yet")])
        }
        var link = stat()
        guard lstat(path, &link) == 0 else { return }  // nothing there: a new registry may be made
        var info = stat()
        if stat(path, &info) != 0 {
            throw refuse(errno == ELOOP ? "is a symlink loop" : "is a symlink to a file that does not exist")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw refuse("is a directory")
        case S_IFIFO: throw refuse("is a FIFO (named pipe)")
        case S_IFCHR, S_IFBLK: throw refuse("is a device")
        case S_IFSOCK: throw refuse("is a socket")
        default: throw refuse("is not a regular file")
        }
    }

    /// A private registry that lives in memory, used by `check` to build what
    /// the seeds produce and by tests.
    public static func inMemory() throws -> Registry {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: configuration)
        try queue.writeWithoutTransaction { try SchemaImage.load(try SchemaImage.schema(), into: $0) }
        return Registry(queue: queue, path: ":memory:")
    }

    /// Checks the file's identity and version; applies the schema to a new, empty file.
    private func prepareSchema(create: Bool) throws {
        do {
            let (applicationID, version, objects) = try queue.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int32.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
            }
            if applicationID == 0 && version == 0 && objects == 0 {
                guard create else { throw RegDBError.databaseMissing(path: path) }
                try queue.writeWithoutTransaction { db in
                    try db.inTransaction {
                        try db.execute(sql: Registry.schemaSQL)
                        return .commit
                    }
                }
                return
            }
            guard applicationID == Registry.applicationID else {
                throw RegDBError.notARegistry(path: path, applicationID: applicationID)
            }
            if (1..<Registry.schemaVersion).contains(version) {
                try upgrade(from: version)
                return
            }
            guard version == Registry.schemaVersion else {
                throw RegDBError.schemaVersion(path: path, found: version, supported: Registry.schemaVersion)
            }
        } catch let error as DatabaseError {
            // "file is not a database" and friends.
            throw RegDBError.database(path: path, message: error.message ?? "\(error)")
        }
    }

    /// Upgrades a registry of an earlier version in place, in one transaction: views,
    /// triggers and indexes go; each step of `Migration.steps` from the file's version on
    /// prepares its tables; schema.sql runs; every table whose definition differs from
    /// schema.sql's is rebuilt; each step moves its data; and schema.sql runs again, so an
    /// upgraded file holds the same schema, statement for statement, as a new one.
    private func upgrade(from version: Int32) throws {
        guard path != ":memory:" else { return }
        guard FileManager.default.isWritableFile(atPath: file) else {
            throw RegDBError.schemaVersion(path: path, found: version, supported: Registry.schemaVersion)
        }
        let expected = try SchemaDefinition.expected()
        let steps = Migration.steps.filter { $0.version > version }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        configuration.busyMode = .timeout(Registry.busyTimeout)
        let writer = try DatabaseQueue(path: file, configuration: configuration)
        try writer.writeWithoutTransaction { db in
            try db.inTransaction {
                guard try Int32.fetchOne(db, sql: "PRAGMA user_version") == version else { return .rollback }
                try Migration.dropDerived(db)
                for step in steps { try step.prepare(db) }
                try db.execute(sql: Registry.schemaSQL)
                // Renaming a table re-reads every view and trigger: they go first, and come back with schema.sql.
                try Migration.dropDerived(db)
                try SchemaDefinition.rebuildChangedTables(db, expected: expected)
                for step in steps { try step.migrate(db) }
                try db.execute(sql: Registry.schemaSQL)
                return .commit
            }
        }
    }

    /// Switches the file to WAL so readers never block the writer. Called
    /// before the first write, never inside a transaction.
    func enableWAL() throws {
        guard path != ":memory:" else { return }
        try queue.writeWithoutTransaction { db in
            if try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
    }

    /// Runs `body` in one write transaction; any error rolls everything back.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard Registry.snapshotOwner != ObjectIdentifier(self) else {
            throw RegDBError.database(path: path, message: "a write was asked for inside a read snapshot; nothing written")
        }
        do {
            return try queue.write(body)
        } catch let error as DatabaseError {
            throw try translated(error)
        }
    }

    /// Runs `body` in a read transaction: the one `snapshot` holds, if any.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            if Registry.snapshotOwner == ObjectIdentifier(self) { return try queue.unsafeReentrantRead(body) }
            return try queue.read(body)
        } catch let error as DatabaseError {
            throw try translated(error)
        }
    }

    /// Runs `body` outside GRDB's implicit transaction (it opens its own), translating SQLite's errors.
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.writeWithoutTransaction(body)
        } catch let error as DatabaseError {
            throw try translated(error)
        }
    }

    /// Every SQLite error as a `RegDBError` keeping SQLite's code: a missing table schema.sql
    /// defines is `[schema] table … is missing`, everything else `.sqlite`.
    func translated(_ error: DatabaseError) throws -> RegDBError {
        try missingSchemaObject(error)
            ?? .sqlite(path: path, code: error.extendedResultCode.rawValue, message: error.message ?? "\(error)")
    }

    /// The registry whose snapshot the current call runs in.
    @TaskLocal private static var snapshotOwner: ObjectIdentifier?

    /// Runs `body` with every read it makes answered from one read transaction,
    /// so that another process's import between two of them (which may re-create
    /// a route with its prices) cannot show half of one state and half of another.
    /// `body` must not write.
    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        if Registry.snapshotOwner == ObjectIdentifier(self) { return try body() }
        return try read { _ in try Registry.$snapshotOwner.withValue(ObjectIdentifier(self)) { try body() } }
    }

    /// `[schema] table price is missing` for SQLite's "no such table: main.price"
    /// when schema.sql defines that table or view (a name it does not define is
    /// the caller's own mistake, as in `regdb sql`).
    private func missingSchemaObject(_ error: DatabaseError) throws -> RegDBError? {
        let text = error.message ?? ""
        guard let range = text.range(of: "no such table: ") ?? text.range(of: "no such view: ") else { return nil }
        var name = String(text[range.upperBound...].prefix { !$0.isWhitespace })
        if name.hasPrefix("main.") { name.removeFirst(5) }
        guard let object = try SchemaDefinition.expected().first(where: { $0.name == name && ($0.type == "table" || $0.type == "view") }) else {
            return nil
        }
        return RegDBError.violations([Violation(file: path, path: nil, rule: "schema", message: """
            \(object.type) \(name) is missing, so nothing that reads it can answer; rebuild the registry: \
            rm \(path) && regdb import seeds/*.json
            """)])
    }
}
