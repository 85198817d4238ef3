import Foundation
import GRDB

/// How `regdb import` treats its files.
public struct ImportOptions: Sendable {
    /// Precedence of what these files say: builtin < server < file < override.
    public var kind: SourceKind = .builtin
    /// One source for all the files; by default each file is a source named by its path.
    public var sourceName: String?
    /// Allow an import that removes more than half of a source's routes.
    public var allowShrink = false
    /// Write even when the files are unchanged since their last import.
    public var force = false
    /// The files' format; detected from name and content when nil.
    public var format: CatalogFormat?

    public init(kind: SourceKind = .builtin, sourceName: String? = nil, allowShrink: Bool = false, force: Bool = false,
                format: CatalogFormat? = nil) {
        self.kind = kind
        self.sourceName = sourceName
        self.allowShrink = allowShrink
        self.force = force
        self.format = format
    }
}

/// One source to import: a name, a kind, its claims and the hash of its bytes.
struct SourceInput {
    var name: String
    var kind: SourceKind
    var contentHash: String
    var claims: [Claim]
    /// What the seed reader made of the entities claimed, when known (see `Claims.decoded`).
    var decoded: [EntityKey: DecodedEntity] = [:]
}

extension Registry {
    /// Reads seed files and writes them to the registry at `path` in one
    /// transaction. Input that breaks a rule changes nothing: unreadable files
    /// are refused before the registry is opened, and a rule the database
    /// refuses rolls the whole import back. A new registry is built under a
    /// temporary name beside `path` and takes its name only once complete.
    public static func importSeeds(files: [String], into path: String, options: ImportOptions = ImportOptions()) throws -> ImportSummary {
        // Before anything is read: a FIFO or device at `path` is never replaced by a registry.
        if path != ":memory:" { try checkFileKind(path, name: path) }
        let (seeds, warnings) = try loadCatalogs(files: files, format: options.format)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        var summary = size.map { $0 > 0 } ?? false
            ? try importSeeds(seeds, into: path, options: options)
            : try importIntoNewFile(seeds, at: path, replacingEmpty: size == 0, options: options)
        summary.warnings = warnings
        releaseInBackground(consume seeds)
        return summary
    }

    /// The first import: built in `.NAME.importing-RANDOM` in the target's folder,
    /// closed, then linked to `path`. A first import killed halfway leaves no file
    /// at `path` (never one with a schema and no data that later commands would
    /// take for a registry), and a refused one leaves nothing at all. `link`
    /// refuses to replace a file: when another first import finished in the
    /// meantime, this one goes into that registry like any later import.
    private static func importIntoNewFile(_ seeds: [SeedFile], at path: String, replacingEmpty: Bool,
                                          options: ImportOptions) throws -> ImportSummary {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).importing-"
        removeAbandoned(in: folder, prefix: prefix)
        let temporary = folder.appendingPathComponent(prefix + "\(getpid())-\(UInt32.random(in: 0 ... .max))").path
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
        }
        let summary = try importSeeds(seeds, into: temporary, named: path, options: options)
        if replacingEmpty {
            guard rename(temporary, path) == 0 else { throw placing(path) }
        } else if link(temporary, path) != 0 {
            if errno == EEXIST { return try importSeeds(seeds, into: path, options: options) }
            // A file system without hard links: rename, which would replace a registry made meanwhile.
            guard !FileManager.default.fileExists(atPath: path), rename(temporary, path) == 0 else { throw placing(path) }
        }
        return summary
    }

    /// Removes what killed first imports left (`.NAME.importing-PID-…` of a process that is gone).
    private static func removeAbandoned(in folder: URL, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), pid > 0,
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    private static func placing(_ path: String) -> RegDBError {
        .file(path: path, message: "cannot put the new registry in place: \(String(cString: strerror(errno))); nothing was written there")
    }

    /// Opens, imports and closes, so the connection is gone when this returns.
    private static func importSeeds(_ seeds: [SeedFile], into path: String, named name: String? = nil,
                                    options: ImportOptions) throws -> ImportSummary {
        try Registry.open(at: path, mode: .create, named: name ?? path).importSeeds(seeds, options: options)
    }

    /// Reads and decodes seed files, in a fixed order (by name, bytewise) so
    /// that the order views list keys in does not depend on the shell's glob.
    public static func loadSeeds(files: [String]) throws -> [SeedFile] {
        try loadCatalogs(files: files, format: nil).seeds
    }

    /// Reads files of any format (detected unless given) as seeds, in name order,
    /// with the warnings their conversion raised.
    public static func loadCatalogs(files: [String], format: CatalogFormat?) throws -> (seeds: [SeedFile], warnings: [Violation]) {
        var seeds: [SeedFile] = []
        var native: [SeedFile] = []
        var warnings: [Violation] = []
        var violations: [Violation] = []
        // One source per file however often and however it is named; read where it was named.
        var paths: [String: String] = [:]
        for file in files where paths[normalizedName(file)] == nil { paths[normalizedName(file)] = file }
        for name in paths.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            do {
                let catalog = try Catalog.read(file: paths[name] ?? name, format: format)
                seeds.append(catalog.seed)
                if catalog.format == .native { native.append(catalog.seed) }
                warnings += catalog.warnings
            } catch RegDBError.violations(let found) {
                violations += found
            }
        }
        // Reviewed seeds declare each thing once; two catalogs overlapping is what sources are for.
        violations += duplicates(in: native)
        guard violations.isEmpty else { throw RegDBError.violations(violations) }
        return (seeds, warnings)
    }

    /// Imports decoded seeds as sources (one per file, or one named `options.sourceName`).
    public func importSeeds(_ seeds: [SeedFile], options: ImportOptions = ImportOptions()) throws -> ImportSummary {
        let inputs: [SourceInput]
        if let name = options.sourceName {
            inputs = [SourceInput(name: name, kind: options.kind,
                                  contentHash: seeds.count == 1 ? seeds[0].contentHash
                                      : SHA256.hex(Array(seeds.map(\.contentHash).joined(separator: "\n").utf8)),
                                  claims: Claims.extract(from: seeds), decoded: Claims.decoded(from: seeds))]
        } else {
            inputs = seeds.map {
                SourceInput(name: $0.name, kind: options.kind, contentHash: $0.contentHash, claims: Claims.extract(from: [$0]),
                            decoded: Claims.decoded(from: [$0]))
            }
        }
        return try importSources(inputs, allowShrink: options.allowShrink, force: options.force)
    }

    /// Replaces the claims of each source and rebuilds what they touch; `also`
    /// runs in the same transaction (discovery writes its host record there).
    func importSources(_ inputs: [SourceInput], allowShrink: Bool, force: Bool, now: String = Registry.timestamp(),
                       also: ((Database) throws -> Void)? = nil) throws -> ImportSummary {
        let stored = try read { db in
            try Dictionary(Row.fetchAll(db, sql: "SELECT name, kind, content_hash FROM source").map {
                (($0["name"] as String?) ?? "", (($0["kind"] as String?) ?? "") + " " + (($0["content_hash"] as String?) ?? ""))
            }, uniquingKeysWith: { first, _ in first })
        }
        let changed = inputs.filter { force || stored[$0.name] != $0.kind.rawValue + " " + $0.contentHash }
        // Sources whose files did not change keep every route as it was.
        var changes = RouteChanges()
        let same = inputs.filter { input in !changed.contains { $0.name == input.name } }.map { JSONValue.string($0.name) }
        if !same.isEmpty {
            changes.unchanged = try read { db in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM claim WHERE entity = 'route' AND source_id IN
                        (SELECT id FROM source WHERE name IN (SELECT value FROM json_each(?)))
                    """, arguments: [JSONValue.array(same).jsonText]) ?? 0
            }
        }
        if changed.isEmpty && also == nil {
            var summary = try summary(sources: 0, unchanged: true)
            summary.changes = changes
            return summary
        }
        var violations: [Violation] = []
        try writeWithoutTransaction { db in
            try db.inTransaction {
                let written = try WrittenState.before(db)
                var affected = AffectedEntities()
                var preloaded: [Int64: Preloaded] = [:]
                var claimWrites: [() throws -> Void] = []
                for input in changed {
                    violations += try replaceClaims(of: input, in: db, now: now, allowShrink: allowShrink, affected: &affected,
                                                    preloaded: &preloaded, changes: &changes, writes: &claimWrites)
                }
                if force || written == .unknown { try affected.insertEveryEntity(db) }
                if violations.isEmpty {
                    // The claims are written while the routes they describe are made.
                    var materializer = Materializer(db: db, preloaded: preloaded)
                    try materializer.materialize(affected) {
                        for write in claimWrites { try write() }
                    }
                    if let failure = materializer.environmentFailure { throw try translated(failure) }
                    violations += materializer.violations
                }
                if violations.isEmpty { violations += try deferredViolations(db, inputs: changed) }
                if violations.isEmpty, let also { try also(db) }
                if violations.isEmpty, force || written != .edited { try CatalogDigest.record(db, at: now) }
                return violations.isEmpty ? .commit : .rollback
            }
        }
        guard violations.isEmpty else { throw RegDBError.violations(violations) }
        try enableWAL()
        var summary = try summary(sources: changed.count, unchanged: false)
        summary.changes = changes
        return summary
    }

    /// Writes the source row and removes its old claims; notes every entity it touched
    /// before or after, and adds the writing of its new claims to `writes` (the claims of
    /// other sources are all the materializer reads back). Refuses (unless allowed) to drop
    /// more than half of the source's routes: a feed that suddenly lists few models is more
    /// often broken than right.
    private func replaceClaims(of input: SourceInput, in db: Database, now: String, allowShrink: Bool,
                               affected: inout AffectedEntities, preloaded: inout [Int64: Preloaded],
                               changes: inout RouteChanges, writes: inout [() throws -> Void]) throws -> [Violation] {
        let sourceID = try Int64.fetchOne(db, sql: "SELECT id FROM source WHERE name = ?", arguments: [input.name])
        var before = Set<String>()
        // What the source said of each route last time, to tell what this import changed.
        var said: [String: String] = [:]
        if let sourceID {
            for row in try Row.fetchAll(db, sql: "SELECT entity, entity_id, value FROM claim WHERE source_id = ?",
                                        arguments: [sourceID]) {
                let kind = EntityKind(rawValue: row["entity"]) ?? .route
                affected.insert(kind, row["entity_id"])
                if kind == .route {
                    before.insert(row["entity_id"])
                    said[row["entity_id"]] = row["value"]
                }
            }
        }
        let after = Set(input.claims.filter { $0.entity == .route }.map(\.entityID))
        let removed = before.subtracting(after).count
        if !allowShrink && before.count > 0 && removed * 2 > before.count {
            return [Violation(file: input.name, path: nil, rule: "shrink",
                              message: "this import would remove \(removed) of the \(before.count) routes of source \(input.name); pass --allow-shrink if that is intended")]
        }
        try db.execute(sql: """
            INSERT INTO source (name, kind, content_hash, imported_at, import_seq)
            VALUES (?1, ?2, ?3, ?4, (SELECT ifnull(max(import_seq), 0) + 1 FROM source))
            ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, content_hash = excluded.content_hash,
                imported_at = excluded.imported_at, import_seq = excluded.import_seq
            """, arguments: [input.name, input.kind.rawValue, input.contentHash, now])
        let id = try Int64.fetchOne(db, sql: "SELECT id FROM source WHERE name = ?", arguments: [input.name]) ?? 0
        try db.execute(sql: "DELETE FROM claim WHERE source_id = ?", arguments: [id])
        var claims: [EntityKey: Claim] = [:]
        claims.reserveCapacity(input.claims.count)
        for claim in input.claims {
            affected.insert(claim.entity, claim.entityID)
            claims[EntityKey(entity: claim.entity, id: claim.entityID)] = claim
        }
        // The stored text of each claim, needed now only to compare with what the source said before.
        let serialize = { (claims: [Claim]) in concurrentMap(claims) { ($0.value.jsonText, $0.path.description) } }
        let texts = said.isEmpty ? nil : serialize(input.claims)
        // A route this source had not claimed is added only if the registry did not have it:
        // an override of one field of a seeded route changes that route, it adds none.
        let unsaid = input.claims.filter { $0.entity == .route && said[$0.entityID] == nil }.map { JSONValue.string($0.entityID) }
        let existing = unsaid.isEmpty ? [] : try Set(String.fetchAll(db, sql: """
            SELECT route_key FROM route WHERE route_key IN (SELECT value FROM json_each(?))
            """, arguments: [JSONValue.array(unsaid).jsonText]))
        for (index, claim) in input.claims.enumerated() where claim.entity == .route {
            switch said[claim.entityID] {
            case nil where existing.contains(claim.entityID): changes.changed += 1
            case nil: changes.added += 1
            case texts?[index].0: changes.unchanged += 1
            default: changes.changed += 1
            }
        }
        changes.removed += removed
        writes.append {
            let texts = texts ?? serialize(input.claims)
            var values: [DatabaseValue] = []
            values.reserveCapacity(input.claims.count * 7)
            for (index, claim) in input.claims.enumerated() {
                values.append(id.databaseValue)
                values.append(claim.entity.rawValue.databaseValue)
                values.append(claim.entityID.databaseValue)
                values.append(texts[index].0.databaseValue)
                values.append(claim.seq.databaseValue)
                values.append(texts[index].1.databaseValue)
                values.append(now.databaseValue)
            }
            try db.insertRows("claim", ["source_id", "entity", "entity_id", "value", "seq", "path", "observed_at"], values)
        }
        preloaded[id] = Preloaded(claims: claims, decoded: input.decoded, observedAt: now)
        return []
    }

    /// The rules no statement can break alone (a media route without a price, a
    /// deprecated model without a successor): `check` refuses them, so an import
    /// that leaves one behind is refused too, with the same message, located where
    /// this import's files declare the route or model.
    private func deferredViolations(_ db: Database, inputs: [SourceInput]) throws -> [Violation] {
        let rows = try Row.fetchAll(db, sql: "SELECT rule, subject_type, subject, message FROM deferred_violation")
        guard !rows.isEmpty else { return [] }
        var origins: [String: SeedOrigin] = [:]
        for input in inputs {
            for claim in input.claims { origins["\(claim.entity.rawValue) \(claim.entityID)"] = SeedOrigin(file: input.name, path: claim.path) }
        }
        return rows.map { row in
            let origin = origins["\(row["subject_type"] as String) \(row["subject"] as String)"]
            return Violation(file: origin?.file ?? path, path: origin?.path, rule: row["rule"], message: row["message"])
        }
    }

    /// Withdraws a source: its claims go, and what only it provided disappears.
    public func removeSource(named name: String) throws {
        guard let id = try read({ try Int64.fetchOne($0, sql: "SELECT id FROM source WHERE name = ?", arguments: [name]) }) else {
            let known = try read { try String.fetchAll($0, sql: "SELECT name FROM source ORDER BY name") }
            throw RegDBError.unknownValue(kind: "source", value: name, known: known)
        }
        var violations: [Violation] = []
        try writeWithoutTransaction { db in
            try db.inTransaction {
                let written = try WrittenState.before(db)
                var affected = AffectedEntities()
                for row in try Row.fetchAll(db, sql: "SELECT DISTINCT entity, entity_id FROM claim WHERE source_id = ?", arguments: [id]) {
                    affected.insert(EntityKind(rawValue: row["entity"]) ?? .route, row["entity_id"])
                }
                if written == .unknown { try affected.insertEveryEntity(db) }
                try db.execute(sql: "DELETE FROM claim WHERE source_id = ?", arguments: [id])
                var materializer = Materializer(db: db)
                try materializer.materialize(affected)
                if let failure = materializer.environmentFailure { throw try translated(failure) }
                violations = materializer.violations
                if violations.isEmpty { violations = try deferredViolations(db, inputs: []) }
                // Last: rows the source was recorded on have been rebuilt from the others by now.
                try db.execute(sql: "DELETE FROM source WHERE id = ?", arguments: [id])
                if violations.isEmpty, written != .edited { try CatalogDigest.record(db, at: Registry.timestamp()) }
                return violations.isEmpty ? .commit : .rollback
            }
        }
        guard violations.isEmpty else { throw RegDBError.violations(violations) }
    }

    private func summary(sources: Int, unchanged: Bool) throws -> ImportSummary {
        try read { db in
            ImportSummary(sources: sources,
                          providers: try Int.fetchOne(db, sql: "SELECT count(*) FROM provider") ?? 0,
                          models: try Int.fetchOne(db, sql: "SELECT count(*) FROM model") ?? 0,
                          routes: try Int.fetchOne(db, sql: "SELECT count(*) FROM route") ?? 0,
                          unchanged: unchanged)
        }
    }

    /// Builds what `seeds` alone produce in a fresh in-memory registry, and
    /// every rule they break, located at their seed paths. The import refuses
    /// whatever `rule_violation` would report (triggers hold every row, the
    /// deferred rules are read before it commits), so that view is not asked again.
    static func scratchBuild(from seeds: [SeedFile]) throws -> (Registry, [Violation]) {
        let scratch = try Registry.inMemory()
        do {
            _ = try scratch.importSeeds(seeds)
        } catch RegDBError.violations(let found) {
            return (scratch, found)
        }
        return (scratch, [])
    }

    /// Declaring one provider, model or route twice in the files of one import is an error.
    static func duplicates(in seeds: [SeedFile]) -> [Violation] {
        var first: [String: SeedOrigin] = [:]
        var violations: [Violation] = []
        func check(_ what: String, _ id: String, _ origin: SeedOrigin) {
            if let earlier = first[what + " " + id] {
                violations.append(Violation(file: origin.file, path: origin.path, rule: "duplicate-\(what)",
                                            message: "\(what) \"\(id)\" is already declared at \(earlier.file):\(earlier.path)"))
            } else {
                first[what + " " + id] = origin
            }
        }
        for seed in seeds {
            for p in seed.providers { check("provider", p.id, SeedOrigin(file: seed.name, path: p.path)) }
            for m in seed.models { check("model", m.id, SeedOrigin(file: seed.name, path: m.path)) }
            for r in seed.allRoutes { check("route", r.routeKey, SeedOrigin(file: seed.name, path: r.path)) }
        }
        return violations
    }
}
