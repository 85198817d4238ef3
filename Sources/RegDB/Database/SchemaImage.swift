import Foundation
import GRDB
import GRDBSQLite

/// The database schema.sql makes, built with the binary: the EmbedSchema plugin
/// runs schema.sql through SQLite at build time and embeds the file it makes.
/// A new registry, in memory or on disk, starts as a copy of that file instead
/// of running schema.sql's few hundred statements again (about 30 ms a time).
/// It holds no catalog digest: its first import records one (`WrittenState`).
enum SchemaImage {
    /// The file schema.sql makes, byte for byte.
    static func schema() throws -> [UInt8] { try schemaBytes.get() }

    private static let schemaBytes = Result<[UInt8], any Error> {
        guard let packed = Data(base64Encoded: embeddedSchemaImage), let bytes = unpacked(Array(packed)) else {
            throw RegDBError.database(path: "regdb", message: "the schema image built into this binary is damaged; rebuild regdb")
        }
        return bytes
    }

    /// Reads back what SchemaEmbedder packed: a literal run's length, the run, then
    /// the length of the zero run that follows, and so on (lengths as LEB128
    /// varints). Nil when the input ends inside a record.
    static func unpacked(_ packed: [UInt8]) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = 0
        func varint() -> Int? {
            var value = 0
            var shift = 0
            while index < packed.count, shift < 63 {
                let byte = packed[index]
                index += 1
                value |= Int(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }
        while index < packed.count {
            guard let literal = varint(), literal <= packed.count - index else { return nil }
            bytes += packed[index..<(index + literal)]
            index += literal
            guard let zeros = varint() else { return nil }
            bytes += repeatElement(0, count: zeros)
        }
        return bytes
    }

    /// Replaces the (empty, in-memory) main database of `db` with a copy of `image`.
    static func load(_ image: [UInt8], into db: Database) throws {
        let size = image.count
        guard let buffer = sqlite3_malloc64(sqlite3_uint64(size)) else {
            throw RegDBError.database(path: "regdb", message: "out of memory copying the schema into a new database")
        }
        image.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: size) }
        }
        // SQLite owns the buffer from here, and frees it even when it refuses it.
        let code = sqlite3_deserialize(db.sqliteConnection, "main", buffer.assumingMemoryBound(to: UInt8.self),
                                       sqlite3_int64(size), sqlite3_int64(size),
                                       UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE))
        guard code == SQLITE_OK else {
            throw RegDBError.database(path: "regdb", message: "SQLite refused the schema image (error \(code)); rebuild regdb")
        }
        db.clearSchemaCache()
    }

    /// Creates `path` holding a new, empty registry. The bytes go to a file of
    /// their own first, linked to `path` only when complete: no other process can
    /// open a half-written registry, and a file made meanwhile is left alone
    /// (false). Throws when the folder cannot be written.
    static func create(at path: String, named name: String? = nil) throws -> Bool {
        let bytes = try schema()
        let partial = path + ".new-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        defer { unlink(partial) }
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RegDBError.file(path: name ?? path, message: "cannot create the registry: \(String(cString: strerror(errno)))") }
        var written = 0
        let failure: Int32? = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return nil
        }
        close(descriptor)
        if let failure { throw RegDBError.file(path: name ?? path, message: "cannot write the registry: \(String(cString: strerror(failure))); nothing was written") }
        if link(partial, path) == 0 { return true }
        if errno == EEXIST { return false }
        // A file system without hard links: rename, unless a file appeared meanwhile.
        if errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == ENOSYS {
            if access(path, F_OK) == 0 { return false }
            if rename(partial, path) == 0 { return true }
        }
        throw RegDBError.file(path: path, message: "cannot create the registry: \(String(cString: strerror(errno)))")
    }
}
