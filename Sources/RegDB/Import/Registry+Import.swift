import Foundation
import GRDB

extension Registry {
    /// Reads seed files, checks them against every rule in a scratch
    /// registry, and only then writes them to the registry at `path` in one
    /// transaction. Bad input leaves the file exactly as it was.
    public static func importSeeds(files: [String], into path: String) throws -> ImportSummary {
        let seeds = try loadSeeds(files: files)
        _ = try build(from: seeds)
        let registry = try Registry.open(at: path, mode: .create)
        return try registry.importSeeds(seeds)
    }

    /// Reads and decodes seed files, in a fixed order (by name, bytewise) so
    /// that the order views list keys in does not depend on the shell's glob.
    public static func loadSeeds(files: [String]) throws -> [SeedFile] {
        var seeds: [SeedFile] = []
        var violations: [Violation] = []
        for file in Set(files.map(normalizedName)).sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let (seed, found) = SeedReader.read(file: file)
            violations += found
            if let seed { seeds.append(seed) }
        }
        guard violations.isEmpty else { throw RegDBError.violations(violations) }
        return seeds
    }

    /// Builds what `seeds` produce in a fresh in-memory registry, refusing
    /// with every rule they break.
    static func build(from seeds: [SeedFile]) throws -> (Registry, SeedOrigins) {
        let (scratch, origins, violations) = try scratchBuild(from: seeds)
        guard violations.isEmpty else { throw RegDBError.violations(violations) }
        return (scratch, origins)
    }

    /// Like ``build(from:)`` but returns the violations with whatever could be built,
    /// followed by the rules of `rule_violation` located at their seed paths.
    static func scratchBuild(from seeds: [SeedFile]) throws -> (Registry, SeedOrigins, [Violation]) {
        let scratch = try Registry.inMemory()
        var importer: SeedImporter?
        try scratch.queue.writeWithoutTransaction { db in
            try db.inTransaction {
                var current = SeedImporter(db: db)
                _ = try current.importSeeds(seeds, now: "1970-01-01T00:00:00Z")
                importer = current
                return .commit
            }
        }
        let origins = importer?.origins ?? SeedOrigins()
        var violations = importer?.violations ?? []
        for finding in try scratch.ruleViolations() {
            let origin: SeedOrigin?
            switch finding.subjectType {
            case "route": origin = origins.routes[finding.subject]
            case "model": origin = origins.models[finding.subject]
            case "provider": origin = origins.providers[finding.subject]
            default: origin = nil
            }
            violations.append(Violation(file: origin?.file ?? seeds.first?.name ?? "seeds", path: origin?.path,
                                        rule: finding.rule, message: finding.message))
        }
        return (scratch, origins, violations)
    }

    /// Imports already validated seeds. Files whose bytes match their last
    /// import are not written again; when all match, nothing is written.
    public func importSeeds(_ seeds: [SeedFile]) throws -> ImportSummary {
        let stored = try read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT name, content_hash FROM source").map {
                (($0["name"] as String?) ?? "", ($0["content_hash"] as String?) ?? "")
            })
        }
        if !seeds.isEmpty && seeds.allSatisfy({ stored[$0.name] == $0.contentHash }), try holdsEverything(seeds) {
            return try read { db in
                ImportSummary(files: seeds.count,
                              providers: try Int.fetchOne(db, sql: "SELECT count(*) FROM provider") ?? 0,
                              models: try Int.fetchOne(db, sql: "SELECT count(*) FROM model") ?? 0,
                              routes: try Int.fetchOne(db, sql: "SELECT count(*) FROM route") ?? 0,
                              unchanged: true)
            }
        }
        try enableWAL()
        let now = ISO8601DateFormatter().string(from: Date())
        return try queue.writeWithoutTransaction { db in
            var summary: ImportSummary?
            var violations: [Violation] = []
            try db.inTransaction {
                var importer = SeedImporter(db: db)
                summary = try importer.importSeeds(seeds, now: now)
                violations = importer.violations
                return violations.isEmpty ? .commit : .rollback
            }
            guard violations.isEmpty, let summary else { throw RegDBError.violations(violations) }
            return summary
        }
    }

    /// Whether every provider, model and route the seeds declare is still held
    /// by the source that declared it: another import may have taken one over
    /// since, and then the same bytes must be written again.
    private func holdsEverything(_ seeds: [SeedFile]) throws -> Bool {
        try read { db in
            for seed in seeds {
                let routes = seed.models.flatMap { $0.routes.map { JSONValue.string($0.routeKey) } }
                let held = try Int.fetchOne(db, sql: """
                    SELECT (SELECT count(*) FROM provider WHERE source_id = s.id AND id IN (SELECT value FROM json_each(?2)))
                         + (SELECT count(*) FROM model WHERE source_id = s.id AND id IN (SELECT value FROM json_each(?3)))
                         + (SELECT count(*) FROM route WHERE source_id = s.id AND route_key IN (SELECT value FROM json_each(?4)))
                    FROM source s WHERE s.name = ?1
                    """, arguments: [seed.name, JSONValue.array(seed.providers.map { .string($0.id) }).jsonText,
                                     JSONValue.array(seed.models.map { .string($0.id) }).jsonText,
                                     JSONValue.array(routes).jsonText]) ?? -1
                if held != seed.providers.count + seed.models.count + routes.count { return false }
            }
            return true
        }
    }

    /// `./seeds/x.json` and `seeds/x.json` are one source; so is an absolute
    /// path inside the working directory.
    static func normalizedName(_ file: String) -> String {
        var name = file
        let cwd = FileManager.default.currentDirectoryPath + "/"
        if name.hasPrefix(cwd) { name.removeFirst(cwd.count) }
        while name.hasPrefix("./") { name.removeFirst(2) }
        return name
    }
}
