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
    /// integrity checks, every rule, and drift (does it hold exactly what these
    /// seeds produce?).
    ///
    /// With `complete` false (the user named some seed files), drift covers only
    /// what those files declare: the rest of the database is other files' business.
    ///
    /// A registry whose tables are as its last import left them (`CatalogDigest`)
    /// passed every trigger and the deferred rules then; unless `full`, it gets
    /// SQLite's quick check instead of the whole integrity check, only the rules
    /// that time can break (lifecycle), and no rebuild of its catalog from the claims.
    public static func check(seedFiles: [String], databasePath: String?, complete: Bool = true,
                             full: Bool = false) throws -> CheckReport {
        // schema.sql, made into a database once per process, is what the seeds are built on and what
        // the registry is compared with: made on another core while the seeds are read.
        _ = Pending { try SchemaDefinition.fresh() }
        // SQLite's quick check of the file's structure reads every page, the longest single step: it
        // starts first, on a connection of its own, and is waited for only if the registry turns out
        // unedited. Its CHECK constraints are not evaluated again then: every row passed them when
        // it was written, and the digest says none has changed since.
        // Anything at the path counts, a dangling symlink too: opening it says what is wrong.
        let exists = databasePath.map { path in var info = stat(); return lstat(path, &info) == 0 } ?? false
        let quickCheck = full || !exists ? nil : databasePath.map { path in
            Pending {
                try Registry.open(at: path, mode: .readOnly).read { db in
                    try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                    return try String.fetchAll(db, sql: "PRAGMA quick_check")
                }
            }
        }
        var violations: [Violation] = []
        var seeds: [SeedFile]?
        var seedRoutes = 0
        var scratch: Pending<(Registry, [Violation])>?
        do {
            let loaded = try loadSeeds(files: seedFiles)
            seedRoutes = loaded.reduce(0) { $0 + $1.allRoutes.count }
            // What the seeds produce is built on another core while the database is checked.
            scratch = Pending { try scratchBuild(from: loaded) }
            seeds = loaded
        } catch RegDBError.violations(let found) {
            violations += found
        }
        // Drift is measured against valid seeds only.
        func expected() throws -> Registry? {
            guard let (registry, found) = try scratch?.value(), found.isEmpty else { return nil }
            return registry
        }

        var checkedDatabase = false
        var databaseViolations: [Violation] = []
        if let databasePath, exists {
            checkedDatabase = true
            databaseViolations = try checkDatabase(at: databasePath, seeds: seeds, expected: expected, complete: complete, full: full,
                                                   quickCheck: quickCheck)
        }
        if let (_, found) = try scratch?.value() { violations += found }
        return CheckReport(violations: violations + databaseViolations, seedFiles: seedFiles.count, seedRoutes: seedRoutes,
                           checkedDatabase: checkedDatabase)
    }

    private static func checkDatabase(at path: String, seeds: [SeedFile]?, expected: () throws -> Registry?, complete: Bool,
                                      full: Bool, quickCheck: Pending<[String]>?) throws -> [Violation] {
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
        // A dropped or rewritten trigger, view or index silently stops enforcing or answering
        // (`PRAGMA writable_schema` can rewrite one): every definition must be schema.sql's own.
        let definitions = try SchemaDefinition.expected()
        let differences = SchemaDefinition.differences(actual: try registry.read { try SchemaDefinition.objects($0) }, expected: definitions)
        for difference in differences {
            let consequence = difference.hasSuffix("is not in schema.sql")
                ? "; nothing regdb writes or checks sees it (drop it, or rebuild the registry: rm \(path) && regdb import seeds/*.json)"
                : ", so a rule or query of schema.sql is gone or altered; rebuild the registry: rm \(path) && regdb import seeds/*.json"
            violations.append(finding("schema", difference + consequence))
        }
        // Without its tables and views nothing below can be asked.
        if differences.contains(where: { $0.hasPrefix("table ") || $0.hasPrefix("view ") }) { return violations }
        let unedited = try !full && differences.isEmpty && registry.read { try CatalogDigest.matches($0) }
        if !unedited {
            for line in try Registry.integrityCheck(registry) where line != "ok" {
                violations.append(finding("integrity", line))
            }
        }
        // The quick check's findings, when it is waited for (last), go here.
        let integrityFindings = violations.count
        try registry.read { db in
            // Only a write with foreign keys off (not regdb's) leaves an orphan.
            guard !unedited else { return }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                violations.append(finding("reference", "\(row["table"] as String? ?? "?") row \(row["rowid"] as Int64? ?? 0) references a missing \(row["parent"] as String? ?? "?") row"))
            }
        }
        violations += try registry.referenceDataDrift().map { finding("schema", $0) }
        // Rules whose foreign-key twin already reported the same orphan are kept: the messages differ in what they name.
        violations += try registry.ruleViolations(sinceImport: unedited).map { finding($0.rule, $0.message) }
        // Standard input (`regdb check -`) is checked as seeds, but is no source of the registry's.
        if let all = seeds, try expected() != nil {
            let named = all.filter { $0.name != "stdin" }
            if !named.isEmpty || complete {
                violations += try registry.drift(from: named, expected: { named.count == all.count ? try expected() : nil },
                                                 complete: complete, catalogUnedited: unedited)
            }
        }
        if unedited, let lines = try quickCheck?.value() {
            violations.insert(contentsOf: lines.filter { $0 != "ok" }.map { finding("integrity", $0) }, at: integrityFindings)
        }
        return violations
    }

    /// The rows of the reference tables schema.sql fills (categories, units,
    /// tiers, statuses, name rules) that a registry lacks, has changed or has
    /// besides: views, costs and name resolution read them as rules.
    /// `PRAGMA integrity_check`, on a read-write connection where the file allows one: on a
    /// read-only connection SQLite skips CHECK constraints, so a row written with
    /// `ignore_check_constraints` on (a price per 0) would pass. The check itself writes nothing.
    static func integrityCheck(_ registry: Registry) throws -> [String] {
        guard registry.path != ":memory:", FileManager.default.isWritableFile(atPath: registry.file) else {
            return try registry.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Registry.busyTimeout)
        do {
            return try DatabaseQueue(path: registry.file, configuration: configuration).read {
                try String.fetchAll($0, sql: "PRAGMA integrity_check")
            }
        } catch let error as DatabaseError {
            throw try registry.translated(error)
        }
    }

    func referenceDataDrift() throws -> [String] {
        let fresh = try SchemaDefinition.fresh()
        var found: [String] = []
        for table in SchemaDefinition.referenceTables {
            let sql = "SELECT * FROM \(table) ORDER BY 1, 2"
            let have = try read { try Row.fetchAll($0, sql: sql) }.map(\.description)
            let want = try fresh.read { try Row.fetchAll($0, sql: sql) }.map(\.description)
            let missing = want.filter { !have.contains($0) }, extra = have.filter { !want.contains($0) }
            guard !missing.isEmpty || !extra.isEmpty else { continue }
            var parts: [String] = []
            if !missing.isEmpty { parts.append("lacks \(missing.count) row(s) of schema.sql, first \(missing[0])") }
            if !extra.isEmpty { parts.append("has \(extra.count) row(s) schema.sql does not, first \(extra[0])") }
            found.append("table \(table) \(parts.joined(separator: " and ")); its rows are part of the schema: rebuild the registry or restore them from schema.sql")
        }
        return found
    }

    /// Every row of the `rule_violation` view; with `sinceImport`, only the rules a registry
    /// whose catalog nothing but imports has written can still break: lifecycle (a deprecation
    /// date passes) and settings (commands write them without an import).
    func ruleViolations(sinceImport: Bool = false) throws -> [RuleFinding] {
        try read { db in
            try Row.fetchAll(db, sql: sinceImport ? """
                SELECT rule, subject_type, subject, message FROM lifecycle_violation
                UNION ALL SELECT rule, subject_type, subject, message FROM rule_violation WHERE subject_type = 'setting'
                """ : "SELECT rule, subject_type, subject, message FROM rule_violation").map {
                RuleFinding(rule: $0["rule"], subjectType: $0["subject_type"], subject: $0["subject"], message: $0["message"])
            }
        }
    }

    /// Drift, in two steps. First, does the registry hold exactly what the
    /// seed files say (their claims, source by source)? Then, do its catalog
    /// tables hold what all its sources' claims produce, or were they edited
    /// by hand? `expected` is what the seeds alone produce, when they are valid.
    /// With `catalogUnedited` (the tables match what the last import wrote) the second step is known to pass.
    func drift(from seeds: [SeedFile], expected: () throws -> Registry?, complete: Bool, catalogUnedited: Bool = false) throws -> [Violation] {
        var violations: [Violation] = []
        func report(_ message: String) {
            violations.append(Violation(file: path, path: nil, rule: "drift", message: message))
        }
        let names = seeds.map(\.name)
        let inSeedsFolder = names.allSatisfy { $0.hasPrefix("seeds/") && !$0.dropFirst(6).contains("/") }
        let files = inSeedsFolder ? "seeds/*.json" : names.joined(separator: " ")

        // 1. Seeds against the claims stored for them. Only the seed files' own claims are
        // read: other sources (a catalog of thousands of routes) only need their kind here.
        let stored = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.name, s.kind, c.entity, c.entity_id, c.value
                FROM source s LEFT JOIN claim c ON c.source_id = s.id AND s.name IN (SELECT value FROM json_each(?))
                """, arguments: [JSONValue.array(names.map(JSONValue.string)).jsonText])
        }
        // Per source: "entity id" → the claim's JSON text.
        var storedBySource: [String: [String: String]] = [:]
        var kinds: [String: String] = [:]
        for row in stored {
            let name: String = row[0]
            kinds[name] = row[1]
            guard let entity: String = row[2] else { storedBySource[name, default: [:]] = [:]; continue }
            storedBySource[name, default: [:]]["\(entity) \(row[3] as String)"] = row[4]
        }
        // A seed edited (or added) since the last import is the usual state while one edits seeds:
        // the registry is out of date, which a warning says, and that fails no commit.
        var outdated: [String] = []
        for seed in seeds {
            guard let have = storedBySource[seed.name] else {
                outdated.append(seed.name)
                continue
            }
            var want: [String: String] = [:]
            for claim in Claims.extract(from: [seed]) {
                want["\(claim.entity.rawValue) \(claim.entityID)"] = claim.value.jsonText
            }
            var changed = Set<String>()
            for (entity, text) in want where have[entity] != text {
                // Stored text is compared as JSON: the same value written another way is no change.
                if let stored = have[entity], (try? JSONParser.parse(stored))?.jsonText == text { continue }
                changed.insert(entity)
            }
            for entity in have.keys where want[entity] == nil { changed.insert(entity) }
            if !changed.isEmpty { outdated.append(seed.name) }
        }
        if !outdated.isEmpty {
            let shown = outdated.prefix(3).joined(separator: ", ") + (outdated.count > 3 ? " and \(outdated.count - 3) more" : "")
            violations.append(Violation(file: path, path: nil, rule: "out-of-date", message: """
                \(path) is out of date: run regdb import \(files) (seeds changed since its import: \(shown))
                """, severity: .warning))
        }
        if complete {
            for (name, kind) in kinds.sorted(by: { $0.key < $1.key }) where kind == "builtin" && !names.contains(name) {
                report("builtin source \(name) is in the registry but is not a seed file; withdraw it: regdb sources remove \(name)")
            }
        }
        guard !catalogUnedited else { return violations }

        // 2. The catalog against what the claims produce, whatever step 1 found: a seed's
        // source deleted by hand, or a claim edited, must not hide a price edited with it.
        // With only the seeds as sources, and the seeds as imported, that is what the seeds
        // produce; otherwise rebuild from the claims.
        let onlySeeds = violations.isEmpty && Set(kinds.keys) == Set(names) && kinds.values.allSatisfy { $0 == "builtin" }
        let reference: Registry
        if onlySeeds, let expected = try expected() {
            reference = expected
        } else {
            reference = try rebuiltFromClaims()
        }
        let actual = try read { try Documents.load($0) }
        let wanted = try reference.read { try Documents.load($0) }
        let fix = "the catalog tables differ from what their sources say (edited outside regdb import?); run: regdb import --force \(files)"
        func compare(_ what: String, _ have: [(String, JSONValue)], _ want: [(String, JSONValue)]) {
            let haveByID = Dictionary(have, uniquingKeysWith: { first, _ in first })
            let wantByID = Dictionary(want, uniquingKeysWith: { first, _ in first })
            for (id, document) in want {
                guard let current = haveByID[id] else {
                    report("\(what) \(id) is missing: \(fix)")
                    continue
                }
                if current != document {
                    report("\(what) \(id) differs in \(differingFields(current, document).joined(separator: ", ")): \(fix)")
                }
            }
            for (id, _) in have where wantByID[id] == nil {
                report("\(what) \(id) has no source: \(fix)")
            }
        }
        compare("provider", actual.providers.map { ($0.id, $0.document) }, wanted.providers.map { ($0.id, $0.document) })
        // A model no source describes is named after its routes' wire ids, spelled as the first import
        // that needed it spelled them (claude-Sonnet-4 or claude-sonnet-4): that spelling is history, not drift.
        func model(_ id: String, _ document: JSONValue) -> (String, JSONValue) {
            guard case .object(let fields) = document, fields.count == 2, document["id"] == .string(id),
                  document["name"] == .string(id) else { return (id, document) }
            return (id.lowercased(), .object([("id", .string(id.lowercased())), ("name", .string(id.lowercased()))]))
        }
        compare("model", actual.models.map { model($0.id, $0.document) }, wanted.models.map { model($0.id, $0.document) })
        compare("route", actual.routes.map { ($0.key, $0.document) }, wanted.routes.map { ($0.key, $0.document) })
        // Discovery's rules are data from the seeds too (their order follows import order, so only their content counts).
        let rules = "SELECT id, kind, match, capabilities, value FROM capability_rule ORDER BY id"
        compare("rule", try read { try Row.fetchAll($0, sql: rules) }.map { ($0["id"], .string($0.description)) },
                try reference.read { try Row.fetchAll($0, sql: rules) }.map { ($0["id"], .string($0.description)) })
        // Route order decides the order of every view: a reordered seed is drift too.
        let order = "SELECT category, key FROM category_models"
        let haveOrder = try read { try Row.fetchAll($0, sql: order).map { "\($0[0] as String)/\($0[1] as String)" } }
        let wantOrder = try reference.read { try Row.fetchAll($0, sql: order).map { "\($0[0] as String)/\($0[1] as String)" } }
        if !violations.contains(where: { $0.rule == "drift" }) && haveOrder != wantOrder {
            report("categories list their keys in another order than the sources give: \(fix)")
        }
        return violations
    }

    /// An in-memory registry materialized from this registry's sources and claims.
    func rebuiltFromClaims() throws -> Registry {
        let scratch = try Registry.inMemory()
        let (sources, claims) = try read { db in
            (try Row.fetchAll(db, sql: "SELECT * FROM source ORDER BY id"), try Row.fetchAll(db, sql: "SELECT * FROM claim"))
        }
        try scratch.queue.writeWithoutTransaction { db in
            try db.inTransaction {
                var affected = AffectedEntities()
                for row in sources {
                    try db.execute(sql: "INSERT INTO source (id, name, kind, content_hash, imported_at) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [row["id"], row["name"], row["kind"], row["content_hash"], row["imported_at"]])
                }
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO claim (source_id, entity, entity_id, value, seq, path, observed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for row in claims {
                    affected.insert(EntityKind(rawValue: row["entity"]) ?? .route, row["entity_id"])
                    try insert.execute(arguments: [row["source_id"], row["entity"], row["entity_id"], row["value"],
                                                   row["seq"], row["path"], row["observed_at"]])
                }
                var materializer = Materializer(db: db)
                try materializer.materialize(affected)
                return .commit
            }
        }
        return scratch
    }
}

/// Top-level fields whose values differ between two documents.
func differingFields(_ a: JSONValue, _ b: JSONValue) -> [String] {
    guard case .object(let left) = a, case .object(let right) = b else { return ["value"] }
    var keys = left.map(\.key)
    for (key, _) in right where !keys.contains(key) { keys.append(key) }
    return keys.filter { a[$0] != b[$0] }
}
