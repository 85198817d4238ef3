import Foundation
import GRDB

/// What an import did, for the one-line summary.
public struct ImportSummary: Equatable, Sendable {
    public var files: Int
    public var providers: Int
    public var models: Int
    public var routes: Int
    /// True when every file matched its last import and nothing was written.
    public var unchanged: Bool
}

/// Where a seed file declared a provider, model or route, so that a rule
/// the database finds later can be reported at its JSON path.
struct SeedOrigin: Hashable {
    var file: String
    var path: JSONPath
}

struct SeedOrigins {
    var providers: [String: SeedOrigin] = [:]
    var models: [String: SeedOrigin] = [:]
    var routes: [String: SeedOrigin] = [:]
}

/// Writes decoded seed files into a registry inside the caller's transaction.
///
/// It never stops at the first refusal: every statement a trigger refuses is
/// reported at the seed's JSON path and the import goes on, so one run shows
/// every problem. The caller rolls back when `violations` is not empty.
struct SeedImporter {
    let db: Database
    private(set) var violations: [Violation] = []
    private(set) var origins = SeedOrigins()
    private var position: Int64 = 0

    init(db: Database) {
        self.db = db
    }

    /// Replaces everything `seeds` declare. Seeds are written in the order
    /// given; positions (the order views list keys in) follow it.
    mutating func importSeeds(_ seeds: [SeedFile], now: String) throws -> ImportSummary {
        findDuplicates(seeds)
        guard violations.isEmpty else { return ImportSummary(files: seeds.count, providers: 0, models: 0, routes: 0, unchanged: false) }

        // Routes the seeds declare are replaced whichever source held them.
        let routeKeys = seeds.flatMap { $0.models.flatMap { $0.routes.map(\.routeKey) } }
        let sourceNames = seeds.map(\.name)
        try db.execute(
            sql: """
                DELETE FROM route WHERE route_key IN (SELECT value FROM json_each(?))
                   OR source_id IN (SELECT id FROM source WHERE name IN (SELECT value FROM json_each(?)))
                """,
            arguments: [JSONValue.array(routeKeys.map(JSONValue.string)).jsonText,
                        JSONValue.array(sourceNames.map(JSONValue.string)).jsonText])

        var sourceIDs: [String: Int64] = [:]
        for seed in seeds {
            try db.execute(
                sql: """
                    INSERT INTO source (name, kind, content_hash, imported_at) VALUES (?, 'builtin', ?, ?)
                    ON CONFLICT (name) DO UPDATE SET content_hash = excluded.content_hash, imported_at = excluded.imported_at
                    """,
                arguments: [seed.name, seed.contentHash, now])
            sourceIDs[seed.name] = try Int64.fetchOne(db, sql: "SELECT id FROM source WHERE name = ?", arguments: [seed.name])
        }

        var counts = (providers: 0, models: 0, routes: 0)
        for seed in seeds {
            for provider in seed.providers where insertProvider(provider, seed, sourceIDs[seed.name]) { counts.providers += 1 }
        }
        for seed in seeds {
            for model in seed.models where insertModel(model, seed, sourceIDs[seed.name]) { counts.models += 1 }
        }
        for seed in seeds {
            for model in seed.models {
                for route in model.routes where insertRoute(route, model: model, seed, sourceIDs[seed.name]) {
                    counts.routes += 1
                }
            }
        }
        try removeUndeclared(seeds, sourceIDs: Array(sourceIDs.values))
        return ImportSummary(files: seeds.count, providers: counts.providers, models: counts.models,
                             routes: counts.routes, unchanged: false)
    }

    // MARK: - Rows

    private mutating func insertProvider(_ p: SeedProvider, _ seed: SeedFile, _ sourceID: Int64?) -> Bool {
        origins.providers[p.id] = SeedOrigin(file: seed.name, path: p.path)
        return run(seed, p.path, """
            INSERT INTO provider (id, name, base_url, auth, env_vars, docs_url, endpoint_glob, source_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, base_url = excluded.base_url, auth = excluded.auth,
                env_vars = excluded.env_vars, docs_url = excluded.docs_url, endpoint_glob = excluded.endpoint_glob,
                source_id = excluded.source_id
            """, [p.id, p.name, p.baseURL, p.auth, JSONValue.array(p.envVars.map(JSONValue.string)).jsonText,
                  p.docsURL, p.endpointGlob, sourceID])
    }

    private mutating func insertModel(_ m: SeedModel, _ seed: SeedFile, _ sourceID: Int64?) -> Bool {
        origins.models[m.id] = SeedOrigin(file: seed.name, path: m.path)
        return run(seed, m.path, """
            INSERT INTO model (id, name, description, family, status, successor_id, deprecation_date, generation, tier,
                               scores, metadata, source_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
                family = excluded.family, status = excluded.status, successor_id = excluded.successor_id,
                deprecation_date = excluded.deprecation_date, generation = excluded.generation, tier = excluded.tier,
                scores = excluded.scores, metadata = excluded.metadata, source_id = excluded.source_id
            """, [m.id, m.name, m.description, m.family, m.status, m.successor, m.deprecationDate, m.generation,
                  m.tier, m.scores.jsonText, m.metadata.jsonText, sourceID])
    }

    private mutating func insertRoute(_ r: SeedRoute, model: SeedModel, _ seed: SeedFile, _ sourceID: Int64?) -> Bool {
        origins.routes[r.routeKey] = SeedOrigin(file: seed.name, path: r.path)
        let inserted = run(seed, r.path, """
            INSERT INTO route (provider_id, wire_id, model_id, name, provider_label, endpoint, api, base_url,
                context_window, max_output_tokens, max_duration, cost_estimate_usd, processing_time_s, reasoning,
                input_modalities, capabilities, extended_params, extended_features, input_requirements, info, metadata,
                priority, source_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [r.providerID, r.wireID, model.id, r.name, r.providerLabel, r.endpoint, r.api, r.baseURL,
                  r.contextWindow, r.maxOutputTokens, r.maxDuration, r.costEstimateUSD, r.processingTimeS,
                  r.reasoning.map { $0 ? 1 : 0 }, r.inputModalities?.jsonText, r.capabilities.jsonText,
                  r.extendedParams.jsonText, r.extendedFeatures.jsonText, r.inputRequirements.jsonText,
                  r.info.jsonText, r.metadata.jsonText, r.priority, sourceID])
        guard inserted else { return false }
        let routeID = db.lastInsertedRowID

        for (category, key) in r.categories {
            position += 1
            run(seed, r.path.appending("categories").appending(category),
                "INSERT INTO route_category (route_id, category_id, key, position) VALUES (?, ?, ?, ?)",
                [routeID, category, key, position])
        }
        for (i, seconds) in r.durations.enumerated() {
            run(seed, r.path.appending("durations").appending(i),
                "INSERT INTO route_duration (route_id, seconds) VALUES (?, ?)", [routeID, seconds])
        }
        for (i, value) in r.aspectRatios.enumerated() {
            run(seed, r.path.appending("aspect_ratios").appending(i),
                "INSERT INTO route_aspect_ratio (route_id, value, position) VALUES (?, ?, ?)", [routeID, value, i])
        }
        for (i, value) in r.resolutions.enumerated() {
            run(seed, r.path.appending("resolutions").appending(i),
                "INSERT INTO route_resolution (route_id, value, position) VALUES (?, ?, ?)", [routeID, value, i])
        }
        for (i, entry) in r.defaults.enumerated() {
            run(seed, r.path.appending("defaults").appending(entry.name),
                "INSERT INTO route_default (route_id, name, value, position) VALUES (?, ?, ?, ?)",
                [routeID, entry.name, entry.value.jsonText, i])
        }
        for (i, feature) in r.features.enumerated() {
            run(seed, r.path.appending("features").appending(i),
                "INSERT INTO route_feature (route_id, feature, position) VALUES (?, ?, ?)", [routeID, feature, i])
        }
        for (i, price) in r.pricing.enumerated() {
            run(seed, price.path, """
                INSERT INTO price (route_id, unit, variant, usd, per, above, note, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [routeID, price.unit, price.variant, price.usd, price.per, price.above, price.note, i])
        }
        for (i, multiplier) in r.multipliers.enumerated() {
            run(seed, r.path.appending("multipliers").appending(multiplier.variant),
                "INSERT INTO price_multiplier (route_id, variant, factor, position) VALUES (?, ?, ?, ?)",
                [routeID, multiplier.variant, multiplier.factor, i])
        }
        return true
    }

    /// Providers and models that the imported sources held before and no
    /// longer declare. A trigger refuses the delete while another source's
    /// routes still use one.
    private mutating func removeUndeclared(_ seeds: [SeedFile], sourceIDs: [Int64]) throws {
        let ids = JSONValue.array(sourceIDs.map { .integer($0) }).jsonText
        let models = JSONValue.array(seeds.flatMap { $0.models.map { .string($0.id) } }).jsonText
        let providers = JSONValue.array(seeds.flatMap { $0.providers.map { .string($0.id) } }).jsonText
        try db.execute(sql: """
            DELETE FROM model WHERE source_id IN (SELECT value FROM json_each(?1))
                AND id NOT IN (SELECT value FROM json_each(?2))
                AND id NOT IN (SELECT model_id FROM route)
            """, arguments: [ids, models])
        try db.execute(sql: """
            DELETE FROM provider WHERE source_id IN (SELECT value FROM json_each(?1))
                AND id NOT IN (SELECT value FROM json_each(?2))
                AND id NOT IN (SELECT provider_id FROM route)
            """, arguments: [ids, providers])
    }

    /// Declaring one provider, model or route twice is an error even across files.
    private mutating func findDuplicates(_ seeds: [SeedFile]) {
        var providers: [String: SeedOrigin] = [:]
        var models: [String: SeedOrigin] = [:]
        var routes: [String: SeedOrigin] = [:]
        func check(_ table: inout [String: SeedOrigin], _ id: String, _ origin: SeedOrigin, _ what: String) {
            if let first = table[id] {
                violations.append(Violation(file: origin.file, path: origin.path, rule: "duplicate-\(what)",
                                            message: "\(what) \"\(id)\" is already declared at \(first.file):\(first.path)"))
            } else {
                table[id] = origin
            }
        }
        for seed in seeds {
            for p in seed.providers { check(&providers, p.id, SeedOrigin(file: seed.name, path: p.path), "provider") }
            for m in seed.models {
                check(&models, m.id, SeedOrigin(file: seed.name, path: m.path), "model")
                for r in m.routes { check(&routes, r.routeKey, SeedOrigin(file: seed.name, path: r.path), "route") }
            }
        }
    }

    /// Runs one statement; a refusal becomes a violation at `path`.
    @discardableResult
    private mutating func run(_ seed: SeedFile, _ path: JSONPath, _ sql: String, _ arguments: StatementArguments) -> Bool {
        do {
            try db.cachedStatement(sql: sql).execute(arguments: arguments)
            return true
        } catch let error as DatabaseError {
            let (rule, message) = RegDBError.ruleMessage(from: error)
            violations.append(Violation(file: seed.name, path: SeedImporter.refine(path, rule: rule), rule: rule, message: message))
            return false
        } catch {
            violations.append(Violation(file: seed.name, path: path, rule: "sqlite", message: "\(error)"))
            return false
        }
    }

    /// Points a refusal at the field it is about, where the row is an object.
    private static func refine(_ path: JSONPath, rule: String) -> JSONPath {
        switch rule {
        case "price-negative": return path.appending("usd")
        case "unknown-unit": return path.appending("unit")
        case "endpoint-shape": return path.appending("endpoint")
        case "unknown-status": return path.appending("status")
        case "unknown-tier": return path.appending("tier")
        default: return path
        }
    }
}
