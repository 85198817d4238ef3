// Writes `schema.sql` as a Swift string constant, the database it makes, and the version:
// `SchemaEmbedder <schema.sql> <out.swift> [<.git>]`.
import Foundation
import GRDBSQLite

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: SchemaEmbedder SCHEMA.sql OUTPUT.swift [GIT-DIR]\n".utf8))
    exit(64)
}

/// The release tag at the checked-out commit (`0.2.0`), else `commit <short hash>`;
/// "unknown" outside a git checkout. Read from git's files: no git binary needed.
func version(gitDirectory: String?) -> String {
    guard let gitDirectory, let head = try? String(contentsOfFile: gitDirectory + "/HEAD", encoding: .utf8) else { return "unknown" }
    let packed = (try? String(contentsOfFile: gitDirectory + "/packed-refs", encoding: .utf8)) ?? ""
    func resolve(_ ref: String) -> String? {
        if let loose = try? String(contentsOfFile: gitDirectory + "/" + ref, encoding: .utf8) {
            return loose.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return packed.split(separator: "\n").first { $0.hasSuffix(" " + ref) }.map { String($0.prefix(40)) }
    }
    let text = head.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let commit = text.hasPrefix("ref: ") ? resolve(String(text.dropFirst(5))) : text, commit.count >= 7 else {
        return "unknown"
    }
    // Tags, loose and packed (an annotated tag's packed line is followed by "^<commit>").
    var tags: [String] = []
    if let loose = FileManager.default.enumerator(atPath: gitDirectory + "/refs/tags") {
        for case let name as String in loose where resolve("refs/tags/" + name) == commit { tags.append(name) }
    }
    let lines = packed.split(separator: "\n").map(String.init)
    for (index, line) in lines.enumerated() where line.contains(" refs/tags/") {
        let name = String(line.split(separator: " ")[1].dropFirst("refs/tags/".count))
        let peeled = index + 1 < lines.count && lines[index + 1].hasPrefix("^") ? String(lines[index + 1].dropFirst()) : nil
        if line.hasPrefix(commit) || peeled == commit { tags.append(name) }
    }
    if let tag = tags.sorted().last { return tag.hasPrefix("v") ? String(tag.dropFirst()) : tag }
    return "commit " + commit.prefix(12)
}

struct SchemaError: Error, CustomStringConvertible {
    var description: String
}

/// The database file schema.sql makes, page for page: run here with the settings every regdb
/// connection has (foreign keys on, no double-quoted string literals), so a schema.sql SQLite
/// refuses fails the build with SQLite's own message.
func image(of sql: String) throws -> [UInt8] {
    var connection: OpaquePointer?
    guard sqlite3_open_v2(":memory:", &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK,
          let db = connection else { throw SchemaError(description: "cannot open an in-memory database") }
    defer { sqlite3_close(db) }
    _disableDoubleQuotedStringLiterals(db)
    var message: UnsafeMutablePointer<CChar>?
    for statement in ["PRAGMA foreign_keys = ON", sql] where sqlite3_exec(db, statement, nil, nil, &message) != SQLITE_OK {
        defer { sqlite3_free(message) }
        throw SchemaError(description: "schema.sql: " + (message.map { String(cString: $0) } ?? "error \(sqlite3_errcode(db))"))
    }
    var size: sqlite3_int64 = 0
    guard let bytes = sqlite3_serialize(db, "main", &size, 0) else { throw SchemaError(description: "cannot serialize the schema's database") }
    defer { sqlite3_free(bytes) }
    return Array(UnsafeBufferPointer(start: bytes, count: Int(size)))
}

/// Runs of zero bytes (most of each page) shortened: a literal run's length, the run, the
/// next zero run's length, and so on, lengths as LEB128 varints. `SchemaImage` reads it back.
func packed(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    func varint(_ value: Int) {
        var rest = value
        repeat {
            out.append(UInt8(rest & 0x7F) | (rest >= 0x80 ? 0x80 : 0))
            rest >>= 7
        } while rest > 0
    }
    var index = 0
    while index < bytes.count {
        // A literal run ends where at least 16 zero bytes begin (or at the end).
        var end = index
        while end < bytes.count {
            var zeros = 0
            while end + zeros < bytes.count && bytes[end + zeros] == 0 && zeros < 16 { zeros += 1 }
            if zeros == 16 || end + zeros == bytes.count { break }
            end += zeros + 1
        }
        varint(end - index)
        out += bytes[index..<end]
        var zeroEnd = end
        while zeroEnd < bytes.count && bytes[zeroEnd] == 0 { zeroEnd += 1 }
        varint(zeroEnd - end)
        index = zeroEnd
    }
    return out
}

do {
    let sql = try String(contentsOfFile: arguments[1], encoding: .utf8)
    let database = packed(try image(of: sql))
    // A raw string needs more '#' than the longest run of '"#' inside it.
    var hashes = "#"
    while sql.contains("\"" + hashes) { hashes += "#" }
    let source = """
        // Generated from schema.sql by the EmbedSchema plugin. Do not edit.
        let embeddedSchemaSQL = \(hashes)\"\"\"
        \(sql)
        \"\"\"\(hashes)

        /// The database schema.sql makes, as `SchemaImage` reads it: zero runs packed, then base64.
        let embeddedSchemaImage = "\(Data(database).base64EncodedString())"

        let embeddedVersion = "\(version(gitDirectory: arguments.count == 4 ? arguments[3] : nil))"

        """
    try source.write(toFile: arguments[2], atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("SchemaEmbedder: \(error)\n".utf8))
    exit(1)
}
