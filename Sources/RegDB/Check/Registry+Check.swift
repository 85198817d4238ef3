import Foundation
import GRDB

/// What `regdb check` found.
public struct CheckReport: Sendable {
    public var violations: [Violation]
    public var seedFiles: Int
    /// Routes the seeds declare (0 when they could not be read).
    public var seedRoutes: Int
    /// Whether a database was checked (it exists at the given path).
    public var checkedDatabase: Bool
}

/// One row of the `rule_violation` view.
struct RuleFinding {
    var rule: String
    var subjectType: String
    var subject: String
    var message: String
}

extension Registry {
    /// Validates seed files without touching any database, then the database
    /// at `databasePath` when it exists: identity and version, SQLite's own
    /// integrity and foreign key checks, every rule, and drift (does it hold
    /// exactly what these seeds produce?).
    ///
    /// With `complete` false (the user named some seed files), drift covers only
    /// what those files declare: the rest of the database is other files' business.
    public static func check(seedFiles: [String], databasePath: String?, complete: Bool = true) throws -> CheckReport {
        var violations: [Violation] = []
        var expected: Registry?
        var seedRoutes = 0
        var seedNames: [String] = []
        do {
            let seeds = try loadSeeds(files: seedFiles)
            seedNames = seeds.map(\.name)
            seedRoutes = seeds.reduce(0) { $0 + $1.models.reduce(0) { $0 + $1.routes.count } }
            let (scratch, _, found) = try scratchBuild(from: seeds)
            violations += found
            if found.isEmpty { expected = scratch }
        } catch RegDBError.violations(let found) {
            violations += found
        }

        var checkedDatabase = false
        if let databasePath, FileManager.default.fileExists(atPath: databasePath) {
            checkedDatabase = true
            violations += try checkDatabase(at: databasePath, expected: expected, seedNames: seedNames, complete: complete)
        }
        return CheckReport(violations: violations, seedFiles: seedFiles.count, seedRoutes: seedRoutes,
                           checkedDatabase: checkedDatabase)
    }

    private static func checkDatabase(at path: String, expected: Registry?, seedNames: [String], complete: Bool) throws -> [Violation] {
        func finding(_ rule: String, _ message: String) -> Violation {
            Violation(file: path, path: nil, rule: rule, message: message)
        }
        let registry: Registry
        do {
            registry = try Registry.open(at: path, mode: .readOnly)
        } catch let error as RegDBError {
            switch error {
            case .schemaVersion(_, let found, let supported):
                return [finding("schema-version", "schema version \(found), expected \(supported); rebuild: rm \(path) && regdb import seeds/*.json")]
            case .notARegistry(_, let id):
                return [finding("schema-version", "not a regdb registry (application_id \(id))")]
            case .database(_, let message):
                return [finding("integrity", message)]
            default:
                throw error
            }
        }
        var violations: [Violation] = []
        // A dropped trigger, view or index silently stops enforcing or answering: the schema must be whole.
        let wanted = try Registry.inMemory().read { db in
            try Row.fetchAll(db, sql: "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
                .map { ($0["type"] as String, $0["name"] as String) }
        }
        let present = Set(try registry.read { db in
            try String.fetchAll(db, sql: "SELECT type || ' ' || name FROM sqlite_master")
        })
        for (type, name) in wanted where !present.contains("\(type) \(name)") {
            violations.append(finding("schema", "\(type) \(name) of schema.sql is missing, so its rule or query is gone; restore it: sqlite3 \(path) < schema.sql"))
        }
        try registry.read { db in
            for line in try String.fetchAll(db, sql: "PRAGMA integrity_check") where line != "ok" {
                violations.append(finding("integrity", line))
            }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                violations.append(finding("reference", "\(row["table"] as String? ?? "?") row \(row["rowid"] as Int64? ?? 0) references a missing \(row["parent"] as String? ?? "?") row"))
            }
        }
        // Rules whose foreign-key twin already reported the same orphan are kept: the messages differ in what they name.
        violations += try registry.ruleViolations().map { finding($0.rule, $0.message) }
        if let expected {
            violations += try registry.drift(from: expected, seedNames: seedNames, complete: complete)
        }
        return violations
    }

    /// Every row of the `rule_violation` view.
    func ruleViolations() throws -> [RuleFinding] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT rule, subject_type, subject, message FROM rule_violation").map {
                RuleFinding(rule: $0["rule"], subjectType: $0["subject_type"], subject: $0["subject"], message: $0["message"])
            }
        }
    }

    /// Differences between this registry and `expected` (what the seeds produce).
    func drift(from expected: Registry, seedNames: [String], complete: Bool) throws -> [Violation] {
        let actual = try read { try Documents.load($0) }
        let wanted = try expected.read { try Documents.load($0) }
        let inSeedsFolder = seedNames.allSatisfy { $0.hasPrefix("seeds/") && !$0.dropFirst(6).contains("/") }
        let fix = "run: regdb import " + (inSeedsFolder ? "seeds/*.json" : seedNames.joined(separator: " "))
        var violations: [Violation] = []
        func report(_ message: String) {
            violations.append(Violation(file: path, path: nil, rule: "drift", message: message))
        }
        func compare(_ what: String, _ have: [(String, JSONValue)], _ want: [(String, JSONValue)]) {
            let haveByID = Dictionary(have, uniquingKeysWith: { first, _ in first })
            let wantByID = Dictionary(want, uniquingKeysWith: { first, _ in first })
            for (id, document) in want {
                guard let current = haveByID[id] else {
                    report("\(what) \(id) is in the seeds but not in the database; \(fix)")
                    continue
                }
                if current != document {
                    report("\(what) \(id) differs from the seeds in \(differingFields(current, document).joined(separator: ", ")); \(fix)")
                }
            }
            for (id, _) in have where complete && wantByID[id] == nil {
                report("\(what) \(id) is in the database but in none of the seed files; remove it or add it to a seed")
            }
        }
        compare("provider", actual.providers.map { ($0.id, $0.document) }, wanted.providers.map { ($0.id, $0.document) })
        compare("model", actual.models.map { ($0.id, $0.document) }, wanted.models.map { ($0.id, $0.document) })
        compare("route", actual.routes.map { ($0.key, $0.document) }, wanted.routes.map { ($0.key, $0.document) })
        // Route order decides the order of every view: a reordered seed is drift too.
        let order = "SELECT category, key FROM category_models"
        let haveOrder = try read { try Row.fetchAll($0, sql: order).map { "\($0[0] as String)/\($0[1] as String)" } }
        let wantOrder = try expected.read { try Row.fetchAll($0, sql: order).map { "\($0[0] as String)/\($0[1] as String)" } }
        if complete && violations.isEmpty && haveOrder != wantOrder {
            report("categories list their keys in another order than the seeds give; \(fix)")
        }
        return violations
    }
}

/// Top-level fields whose values differ between two documents.
func differingFields(_ a: JSONValue, _ b: JSONValue) -> [String] {
    guard case .object(let left) = a, case .object(let right) = b else { return ["value"] }
    var keys = left.map(\.key)
    for (key, _) in right where !keys.contains(key) { keys.append(key) }
    return keys.filter { a[$0] != b[$0] }
}
