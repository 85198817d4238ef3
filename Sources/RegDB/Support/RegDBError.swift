import GRDB

/// Every error regdb reports. Each case carries what the user needs to fix it,
/// and `description` is the one line printed for it.
public enum RegDBError: Error, CustomStringConvertible {
    /// Input broke rules: seeds that do not parse or do not hold, a database
    /// edit refused by a trigger.
    case violations([Violation])
    /// The database file does not exist where a command needs one.
    case databaseMissing(path: String)
    /// The file is an SQLite database, but not a regdb registry.
    case notARegistry(path: String, applicationID: Int32)
    /// The registry was written by another schema version.
    case schemaVersion(path: String, found: Int32, supported: Int32)
    /// No route, key or model matches the name.
    case notFound(name: String, suggestions: [String])
    /// The name matches several routes and the command needs one.
    case ambiguous(name: String, candidates: [String])
    /// A model the registry knows that no route calls yet.
    case noRoute(model: String)
    /// A cost was asked in units the route is not priced in, or without a needed variant.
    case pricing(String)
    /// A filter or option names a value the registry does not have.
    case unknownValue(kind: String, value: String, known: [String])
    /// No source gives the field `why` asked about.
    case noProvenance(subject: String, model: String, field: String, known: [String])
    /// The `enforce` policy refused a model the registry does not know (exit 3).
    case unknownModel(name: String, suggestions: [String])
    /// A canonical model id was given where a route key is needed.
    case expectedRoute(name: String, model: String, routes: [String])
    /// A server did not answer discovery as it should; nothing was written.
    case discovery(String)
    /// No candidate route is left to fail over to.
    case noFailover(String)
    /// Nothing has been discovered yet for `status` or `best` to answer from.
    case nothingDiscovered
    /// A file regdb was asked to read or rewrite is missing or not what it should be.
    case file(path: String, message: String)
    /// SQLite refused something regdb did not expect it to refuse.
    case database(path: String, message: String)
    /// An SQLite error as SQLite reported it: its extended result code and message.
    case sqlite(path: String, code: Int32, message: String)

    public var description: String {
        switch self {
        case .violations(let violations):
            return violations.map(\.description).joined(separator: "\n")
        case .databaseMissing(let path):
            return "\(path): error: no registry here; create it with: regdb import seeds/*.json"
        case .notARegistry(let path, let id):
            return "\(path): error: not a regdb registry (application_id \(id)); pass another file with --db"
        case .schemaVersion(let path, let found, let supported):
            if found > supported {
                return "\(path): error: schema version \(found) is newer than this regdb understands (\(supported)); upgrade regdb"
            }
            return "\(path): error: schema version \(found) is older than this regdb's (\(supported)); rebuild it: rm \(path) && regdb import seeds/*.json"
        case .notFound(let name, let suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "\"\($0)\"" }.joined(separator: ", ") + "?"
            return "error: no model or route named \"\(name)\"\(hint)"
        case .ambiguous(let name, let candidates):
            return "error: \"\(name)\" is ambiguous: it names \(candidates.count) things: \(candidates.joined(separator: "; ")); give a route key, a canonical id or --category"
        case .noRoute(let model):
            return "error: model \"\(model)\" is in the registry but no route calls it yet; add one to its seed (\"routes\": [{\"route\": \"PROVIDER/WIRE_ID\"}])"
        case .discovery(let message):
            return "error: discovery failed, nothing written: \(message)"
        case .pricing(let message), .noFailover(let message):
            return "error: \(message)"
        case .nothingDiscovered:
            return "error: no host has been discovered yet; run: regdb discover comfyui URL"
        case .noProvenance(let subject, let model, let field, let known):
            return "error: no source gives \(field) for route \(subject) or its model \(model); fields with values: \(known.joined(separator: ", "))"
        case .unknownModel(let name, let suggestions):
            let hint = suggestions.isEmpty ? "" : "; closest known: " + suggestions.joined(separator: ", ")
            return "error: unknown model \"\(name)\" refused by policy enforce\(hint) (let one call through with --allow-unknown)"
        case .expectedRoute(let name, let model, let routes):
            let list = routes.isEmpty ? "it has no routes yet" : "its routes: " + routes.joined(separator: ", ")
            let what = name == model ? "is a canonical model id" : "names the model \(model), not one route"
            return "error: \"\(name)\" \(what); give a route key PROVIDER/WIRE_ID instead (\(list))"
        case .unknownValue(let kind, let value, let known):
            return "error: unknown \(kind) \"\(value)\"; known: \(known.joined(separator: ", "))"
        case .file(let path, let message):
            return "\(path): error: \(message)"
        case .database(let path, let message):
            return "\(path): error: \(message)"
        case .sqlite(let path, let code, let message):
            switch code & 0xFF {
            case 5, 6:  // SQLITE_BUSY, SQLITE_LOCKED
                return "\(path): error: the registry is busy: another regdb (or an open sqlite3 transaction) is writing; retry when it is done (\(message))"
            case 8:  // SQLITE_READONLY
                return "\(path): error: the registry is read-only here (\(message)); check the file's permissions"
            case 11, 26:  // SQLITE_CORRUPT, SQLITE_NOTADB
                return "\(path): error: \(message); rebuild it: rm \(path) && regdb import seeds/*.json"
            case 13:  // SQLITE_FULL
                return "\(path): error: the disk is full (\(message)); nothing was written"
            default:
                return "\(path): error: \(message) (SQLite result code \(code))"
            }
        }
    }
}

extension RegDBError {
    /// Turns SQLite's report of a rule trigger into the rule's own message.
    ///
    /// Triggers raise through json_extract's path error (see schema.sql), so
    /// SQLite says `JSON path error near '[rule] message'`.
    static func ruleMessage(from error: DatabaseError) -> (rule: String, message: String) {
        let text = error.message ?? "\(error)"
        return ruleMessage(fromSQLiteMessage: text)
    }

    /// The SQLite message, when this is an SQLite error.
    var sqliteMessage: String? {
        if case .sqlite(_, _, let message) = self { return message }
        return nil
    }

    /// SQLite's primary result code (SQLITE_BUSY is 5), when this is an SQLite error.
    var sqliteCode: Int32? {
        if case .sqlite(_, let code, _) = self { return code & 0xFF }
        return nil
    }

    static func ruleMessage(fromSQLiteMessage text: String) -> (rule: String, message: String) {
        var body = text
        // SQLite 3.40 says "JSON path error near '…'", later versions "bad JSON path: '…'".
        for prefix in ["JSON path error near '", "bad JSON path: '"] where body.hasPrefix(prefix + "[") && body.hasSuffix("'") {
            body = String(body.dropFirst(prefix.count).dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        if body.hasPrefix("["), let close = body.firstIndex(of: "]") {
            let rule = String(body[body.index(after: body.startIndex)..<close])
            let message = body[body.index(after: close)...].drop(while: { $0 == " " })
            return (rule, String(message))
        }
        if body.hasPrefix("UNIQUE constraint failed") { return ("unique", body) }
        if body.hasPrefix("CHECK constraint failed") { return ("check", body) }
        if body.hasPrefix("FOREIGN KEY constraint failed") { return ("reference", body) }
        if body.hasPrefix("NOT NULL constraint failed") { return ("required", body) }
        if body.hasPrefix("cannot store") { return ("type", body) }
        return ("sqlite", body)
    }
}
