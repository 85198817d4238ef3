import Foundation
import GRDB

/// Where a seed file declared a provider, model or route, so that a rule the
/// database finds later can be reported at its JSON path.
struct SeedOrigin: Hashable {
    var file: String
    var path: JSONPath
}

/// Entities whose catalog rows must be rebuilt from their claims.
struct AffectedEntities {
    var ids: [EntityKind: Set<String>] = [:]

    mutating func insert(_ kind: EntityKind, _ id: String) {
        ids[kind, default: []].insert(id)
    }

    /// Every entity a source claims and every catalog row, claimed or not: the whole catalog is rebuilt.
    mutating func insertEveryEntity(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT entity, entity_id FROM claim
            UNION SELECT 'provider', id FROM provider UNION SELECT 'model', id FROM model
            UNION SELECT 'route', route_key FROM route UNION SELECT 'rule', id FROM capability_rule
            """)
        while let row = try rows.next() {
            insert(EntityKind(rawValue: row[0]) ?? .route, row[1])
        }
    }

    subscript(kind: EntityKind) -> Set<String> { ids[kind] ?? [] }
    var isEmpty: Bool { ids.values.allSatisfy(\.isEmpty) }
}

/// The claims one source has just written, as they were in memory, and what
/// the seed reader made of its entities: the materializer need not read them back.
struct Preloaded {
    var claims: [EntityKey: Claim]
    var decoded: [EntityKey: DecodedEntity]
    /// When the claims were written (their `observed_at`).
    var observedAt: String
}

/// Rebuilds catalog rows (provider, model, route and what hangs off a route)
/// from the claims of every source, inside the caller's transaction.
///
/// It never stops at the first refusal: each statement a trigger refuses is
/// reported at the file and JSON path of the claim in force, and the work goes
/// on, so one run shows every problem. The caller rolls back when
/// `violations` is not empty.
struct Materializer {
    let db: Database
    private(set) var violations: [Violation] = []
    /// What stopped every write at once (a full disk, an I/O error, a read-only file): one
    /// failure of the registry, never blamed on each seed entry that happened to be next.
    private(set) var environmentFailure: DatabaseError?
    /// Where each model's successor was said, to report a successor that does not exist.
    private var successorOrigins: [String: SeedOrigin] = [:]

    /// Per source id: claims known without reading them back.
    private let preloaded: [Int64: Preloaded]

    init(db: Database, preloaded: [Int64: Preloaded] = [:]) {
        self.db = db
        self.preloaded = preloaded
    }

    /// What the seed reader made of an entity one source alone describes, when it is known.
    private func decoded(_ claims: [StoredClaim], _ entity: EntityKind, _ id: String) -> DecodedEntity? {
        Materializer.decoded(claims, entity, id, preloaded)
    }

    private static func decoded(_ claims: [StoredClaim], _ entity: EntityKind, _ id: String,
                                _ preloaded: [Int64: Preloaded]) -> DecodedEntity? {
        guard claims.count == 1, let only = claims.first else { return nil }
        return preloaded[only.sourceID]?.decoded[EntityKey(entity: entity, id: id)]
    }

    /// Rebuilds the catalog rows of `affected`. `meanwhile` is the caller's own writing
    /// (an import's claims), done on this connection while other cores make the route rows.
    mutating func materialize(_ affected: AffectedEntities, meanwhile: () throws -> Void = {}) throws {
        let providerClaims = try claims(.provider, affected[.provider])
        let modelClaims = try claims(.model, affected[.model])
        let routeClaims = try claims(.route, affected[.route])

        // The highest route id given out in this import's view (new routes go above it), and
        // the ids of the routes being rebuilt: one still there after the import keeps its id.
        let lastID = try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) FROM route") ?? 0
        var keptIDs: [String: Int64] = [:]
        if lastID > 0 {
            let rebuilt = jsonList(affected[.route])
            for row in try Row.fetchAll(db, sql: "SELECT route_key, id FROM route WHERE route_key IN (SELECT value FROM json_each(?))",
                                        arguments: [rebuilt]) {
                keptIDs[row[0]] = row[1]
            }
            try db.execute(sql: "DELETE FROM route WHERE route_key IN (SELECT value FROM json_each(?))", arguments: [rebuilt])
        }
        // Everything the routes need from the database is read now; they are made on other
        // threads while this one writes the caller's rows, the providers and the models.
        let making = try routeMaker(routeClaims, modelIDs: Set(modelClaims.keys), keptIDs: keptIDs, after: lastID)
        try meanwhile()
        for (id, claims) in providerClaims.sorted(by: { $0.key < $1.key }) {
            let (document, locate) = Materializer.merged(claims, .provider, id)
            let known: SeedProvider?
            if case .provider(let provider)? = decoded(claims, .provider, id) { known = provider } else { known = nil }
            guard let provider = known ?? decode(document(), locate, { SeedReader.decodeProvider($0, $1, $2) }) else { continue }
            run(locate(""), """
                INSERT INTO provider (id, name, base_url, auth, env_vars, docs_url, endpoint_glob, source_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, base_url = excluded.base_url, auth = excluded.auth,
                    env_vars = excluded.env_vars, docs_url = excluded.docs_url, endpoint_glob = excluded.endpoint_glob,
                    source_id = excluded.source_id
                """, [provider.id, provider.name ?? provider.id, provider.baseURL, provider.auth,
                      JSONValue.array(provider.envVars.map(JSONValue.string)).jsonText, provider.docsURL,
                      provider.endpointGlob, claims.first?.sourceID])
        }
        for (id, claims) in modelClaims.sorted(by: { $0.key < $1.key }) {
            let (document, locate) = Materializer.merged(claims, .model, id)
            let known: SeedModel?
            if case .model(let model)? = decoded(claims, .model, id) { known = model } else { known = nil }
            guard let model = known ?? decode(document(), locate, { SeedReader.decodeModel($0, $1, $2) }) else { continue }
            if model.successor != nil { successorOrigins[id] = locate("successor") }
            upsertModel(model, sourceID: claims.first?.sourceID, locate)
        }
        let made = try making.value()
        violations += made.violations
        // One statement for all of them: a catalog names thousands of models no source describes.
        try db.execute(sql: """
            INSERT INTO model (id, name) SELECT value, value FROM json_each(?) WHERE value NOT IN (SELECT id FROM model)
            """, arguments: [jsonList(Set(made.routes.map(\.0.modelID)))])
        try insertRoutes(consume made)
        // Entities no source claims any more go, unless a route still uses them.
        try db.execute(sql: """
            DELETE FROM model WHERE NOT EXISTS (SELECT 1 FROM claim WHERE entity = 'model' AND entity_id = model.id)
                AND NOT EXISTS (SELECT 1 FROM route WHERE model_id = model.id)
                AND NOT EXISTS (SELECT 1 FROM model m WHERE m.successor_id = model.id)
            """)
        for id in affected[.provider] where providerClaims[id] == nil {
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM route WHERE provider_id = ?", arguments: [id]) ?? 0 > 0 {
                let user = try String.fetchOne(db, sql: "SELECT route_key FROM route WHERE provider_id = ? ORDER BY route_key LIMIT 1",
                                               arguments: [id]) ?? "?"
                // Said where the route that still names it is written (a renamed provider's old routes).
                let origin = try Row.fetchOne(db, sql: """
                    SELECT s.name, c.path FROM claim c JOIN source s ON s.id = c.source_id
                    WHERE c.entity = 'route' AND c.entity_id = ? ORDER BY s.import_seq DESC LIMIT 1
                    """, arguments: [user])
                let path = (origin?[1] as String?).map { JSONPath(parsing: $0).appending("route") }
                violations.append(Violation(file: origin?[0] ?? "registry", path: path, rule: "reference",
                                            message: "route \(user) names provider \(id), which no source declares any more; declare it or change the route"))
            } else {
                try db.execute(sql: "DELETE FROM provider WHERE id = ?", arguments: [id])
            }
        }
        try materializeRules(affected[.rule])
        try renumberPositions()
        // A successor is checked when the whole import is in (it may come later in the same
        // import), before the commit would trip the deferred foreign key.
        for row in try Row.fetchAll(db, sql: """
            SELECT m.id, m.successor_id FROM model m
            WHERE m.successor_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM model s WHERE s.id = m.successor_id)
            ORDER BY m.id
            """) {
            let id: String = row["id"], successor: String = row["successor_id"]
            let origin = successorOrigins[id] ?? SeedOrigin(file: "registry", path: .root)
            violations.append(Violation(file: origin.file, path: origin.path, rule: "successor",
                                        message: "model.successor_id must name an existing model (model \(id), value \"\(successor)\")"))
        }
    }

    // MARK: - Routes, made off the writing thread

    /// The routes to write: decoded from their claims, each given its model and id, with
    /// what went wrong on the way, and their rows, made in pieces on another thread.
    struct MadeRoutes {
        var routes: [(SeedRoute, [StoredClaim], @Sendable (String) -> SeedOrigin)]
        var violations: [Violation]
        var ids: [Int64]
        /// The rows of consecutive routes, piece by piece: the first piece can be written while
        /// the next are made.
        var rows: Sequenced<RowPiece>
    }

    /// Each route's row (id first), then its rows of every child table, one flat list per table.
    typealias RowPiece = (routes: [DatabaseValue], children: [[DatabaseValue]])

    /// How many routes' rows are made at a time: enough to keep each statement full, few
    /// enough that writing starts soon.
    private static let routesPerPiece = 512

    /// Starts making the routes of `routeClaims` on other threads, from what the database
    /// holds now (name rules, model ids) and the models `modelIDs` about to be written.
    private func routeMaker(_ routeClaims: [String: [StoredClaim]], modelIDs: Set<String>, keptIDs: [String: Int64],
                            after lastID: Int64) throws -> Pending<MadeRoutes> {
        var rules: NameRules?
        // A lower-cased model id and the spelling of it the registry has, the first in id order.
        var known: [String: String] = [:]
        if !routeClaims.isEmpty {
            rules = try NameRules.load(db)
            let ids = try Set(String.fetchAll(db, sql: "SELECT id FROM model")).union(modelIDs)
            for id in ids.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where known[id.lowercased()] == nil {
                known[id.lowercased()] = id
            }
        }
        let preloaded = preloaded, nameRules = rules, knownIDs = known
        return Pending {
            Materializer.makeRoutes(routeClaims, preloaded: preloaded, rules: nameRules, known: knownIDs, keptIDs: keptIDs, after: lastID)
        }
    }

    /// Merges and decodes every route (a catalog shares thousands of routes with another),
    /// names the model of each that names none and numbers them, on every core (the problems
    /// come out in route order all the same); then starts making their rows, piece by piece.
    private static func makeRoutes(_ routeClaims: [String: [StoredClaim]], preloaded: [Int64: Preloaded], rules: NameRules?,
                                   known: [String: String], keptIDs: [String: Int64], after lastID: Int64) -> MadeRoutes {
        var routes: [(SeedRoute, [StoredClaim], @Sendable (String) -> SeedOrigin)] = []
        var violations: [Violation] = []
        let decodedRoutes = concurrentMap(routeClaims.sorted(by: { $0.key < $1.key })) {
            id, claims -> (SeedRoute?, [Violation], [StoredClaim], @Sendable (String) -> SeedOrigin) in
            let (document, locate) = merged(claims, .route, id)
            if case .route(let route)? = decoded(claims, .route, id, preloaded) { return (route, [], claims, locate) }
            let (route, found) = decode(document(), locate, { SeedReader.decodeRoute($0, $1, $2, model: nil) })
            return (route, found, claims, locate)
        }
        routes.reserveCapacity(decodedRoutes.count)
        for (route, found, claims, locate) in decodedRoutes {
            violations += found
            if let route { routes.append((route, claims, locate)) }
        }
        // A route no source names a model for (a catalog's) belongs to the model its wire id
        // reduces to by `name_rule` (claude-sonnet-4-20250514 and anthropic.claude-sonnet-4-20250514-v1:0
        // are claude-sonnet-4), spelled as a model already in the registry when one matches but for case.
        if let rules, routes.contains(where: { !$0.0.modelNamed }) {
            var known = known
            // Reduced on every core; spelled in route order (the first spelling of a new id wins).
            let reductions = concurrentMap(routes) { $0.0.modelNamed ? "" : rules.canonicalID(forWireID: $0.0.wireID) }
            for index in routes.indices where !routes[index].0.modelNamed {
                let reduced = reductions[index]
                let id = known[reduced.lowercased()] ?? reduced
                known[reduced.lowercased()] = id
                routes[index].0.modelID = id
            }
        }
        // A route that is still there keeps its id (a reader holding it finds the same route);
        // a new one gets the next id no route has had.
        var last = lastID
        let ids = routes.map { route, _, _ in
            if let kept = keptIDs[route.routeKey] { return kept }
            last += 1
            return last
        }
        let children = RouteRows.children
        let pieces = (routes.count + routesPerPiece - 1) / routesPerPiece
        let rows = Sequenced(count: pieces) { [routes] piece -> RowPiece in
            let range = (piece * routesPerPiece)..<min(routes.count, (piece + 1) * routesPerPiece)
            var table: RowPiece = ([], Array(repeating: [], count: children.count))
            table.routes.reserveCapacity(range.count * routeColumns.count)
            for index in range {
                let route = routes[index].0
                let id = ids[index].databaseValue
                table.routes.append(id)
                table.routes += routeValues(route, claims: routes[index].1)
                for (c, child) in children.enumerated() {
                    for row in child.rows(route, id) { table.children[c] += row }
                }
            }
            return table
        }
        return MadeRoutes(routes: routes, violations: violations, ids: ids, rows: rows)
    }

    /// Claims of the given entities, each entity's from lowest to highest rank.
    /// Claims this import has just written are taken as they are in memory: only
    /// other sources' claims are read (and parsed) from the database.
    private func claims(_ entity: EntityKind, _ ids: Set<String>) throws -> [String: [StoredClaim]] {
        guard !ids.isEmpty else { return [:] }
        var result: [String: [StoredClaim]] = [:]
        result.reserveCapacity(ids.count)
        var sources: [Int64: (name: String, kind: SourceKind)] = [:]
        let fresh = JSONValue.array(preloaded.keys.sorted().map { .integer($0) }).jsonText
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.entity_id, c.value, c.seq, c.path, c.observed_at, c.source_id, s.name, s.kind, p.rank
            FROM claim c JOIN source s ON s.id = c.source_id JOIN source_precedence p ON p.source_id = c.source_id
            WHERE c.entity = ? AND c.entity_id IN (SELECT value FROM json_each(?))
              AND c.source_id NOT IN (SELECT value FROM json_each(?))
            """, arguments: [entity.rawValue, jsonList(ids), fresh])
        // Columns by position: a catalog has thousands of claims, and lookups by name add up.
        while let row = try rows.next() {
            let id: String = row[0]
            let sourceID: Int64 = row[5]
            let source: (name: String, kind: SourceKind)
            if let known = sources[sourceID] {
                source = known
            } else {
                source = (row[6], SourceKind(rawValue: row[7]) ?? .builtin)
                sources[sourceID] = source
            }
            let value = (try? JSONParser.parse(row[1] as String)) ?? .null
            let claim = Claim(entity: entity, entityID: id, value: value, seq: row[2], path: JSONPath(parsing: row[3]))
            result[id, default: []].append(StoredClaim(
                claim: claim, sourceID: sourceID, sourceName: source.name,
                sourceKind: source.kind, rank: row[8], observedAt: row[4]))
        }
        if !preloaded.isEmpty {
            let ranks = try Row.fetchAll(db, sql: """
                SELECT source_id, name, kind, rank FROM source_precedence WHERE source_id IN (SELECT value FROM json_each(?))
                """, arguments: [fresh])
            for row in ranks {
                let sourceID: Int64 = row[0]
                guard let written = preloaded[sourceID] else { continue }
                let (name, kind, rank): (String, SourceKind, Int) = (row[1], SourceKind(rawValue: row[2]) ?? .builtin, row[3])
                for id in ids {
                    guard let claim = written.claims[EntityKey(entity: entity, id: id)] else { continue }
                    result[id, default: []].append(StoredClaim(claim: claim, sourceID: sourceID, sourceName: name,
                                                               sourceKind: kind, rank: rank, observedAt: written.observedAt))
                }
            }
        }
        for (id, list) in result where list.count > 1 {
            result[id] = list.sorted { $0.rank < $1.rank }
        }
        return result
    }

    /// The document the claims of one entity make, and where to report a problem
    /// with a field: the file and path of the claim in force; for "" (the entity
    /// itself), the entity in the highest-precedence source. An entity one source
    /// alone describes is that source's object, found without cutting it into fields.
    private static func merged(_ claims: [StoredClaim], _ entity: EntityKind, _ id: String) -> (() -> JSONValue, @Sendable (String) -> SeedOrigin) {
        let top = claims.last
        let entityOrigin = SeedOrigin(file: top?.sourceName ?? "registry", path: (top?.claim.path ?? .root).entity)
        @Sendable func origin(_ winner: (claim: Int, field: FieldClaim)?) -> SeedOrigin? {
            guard let winner else { return nil }
            let stored = claims[winner.claim]
            return SeedOrigin(file: stored.sourceName, path: Claims.path(of: winner.field, in: stored.claim))
        }
        if claims.count == 1, let only = claims.first {
            return ({ Claims.document(of: only.claim) }, { field in
                guard !field.isEmpty else { return entityOrigin }
                let fields = Claims.fields(of: only.claim).filter { $0.field != Claims.idField(entity) }
                let found = fields.last { $0.field == field } ?? fields.first { $0.field.hasPrefix(field + ".") }
                return origin(found.map { (0, $0) }) ?? entityOrigin
            })
        }
        let (document, winners) = Claims.merge(claims, entity: entity, id: id)
        return ({ document }, { field in
            guard !field.isEmpty else { return entityOrigin }
            // A map field (metadata) is merged key by key: the highest-precedence source giving a key
            // of it is the one to name (deterministically, not whichever key a dictionary lists first).
            let keyed = winners.filter { $0.key.hasPrefix(field + ".") }
                .max { ($0.value.claim, $1.key) < ($1.value.claim, $0.key) }?.value
            return origin(winners[field] ?? keyed) ?? entityOrigin
        })
    }

    private mutating func decode<T>(_ document: JSONValue, _ locate: (String) -> SeedOrigin,
                                    _ body: (JSONValue, JSONPath, Diagnostics) -> T?) -> T? {
        let (value, found) = Materializer.decode(document, locate, body)
        violations += found
        return value
    }

    /// The decoded document, or the problems it has, each at the claim behind the field.
    private static func decode<T>(_ document: JSONValue, _ locate: (String) -> SeedOrigin,
                                  _ body: (JSONValue, JSONPath, Diagnostics) -> T?) -> (T?, [Violation]) {
        let origin = locate("")
        let diagnostics = Diagnostics(file: origin.file)
        let value = body(document, .root, diagnostics)
        let violations = diagnostics.violations.map { violation in
            var located = violation
            // Point at the claim behind the offending field, not at the merged document.
            let field = violation.path?.components.compactMap { if case .key(let k) = $0 { return k } else { return nil } }.joined(separator: ".") ?? ""
            let where_ = locate(field)
            located.file = where_.file
            located.path = where_.path
            return located
        }
        return (violations.isEmpty ? value : nil, violations)
    }

    private func jsonList(_ ids: Set<String>) -> String {
        JSONValue.array(ids.sorted().map(JSONValue.string)).jsonText
    }

    // MARK: - Rows

    private mutating func upsertModel(_ m: SeedModel, sourceID: Int64?, _ locate: @Sendable (String) -> SeedOrigin) {
        run(locate(""), """
            INSERT INTO model (id, name, description, family, status, successor_id, deprecation_date, generation, tier,
                               scores, metadata, source_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
                family = excluded.family, status = excluded.status, successor_id = excluded.successor_id,
                deprecation_date = excluded.deprecation_date, generation = excluded.generation, tier = excluded.tier,
                scores = excluded.scores, metadata = excluded.metadata, source_id = excluded.source_id
            """, [m.id, m.name ?? m.id, m.description, m.family, m.status, m.successor, m.deprecationDate, m.generation,
                  m.tier, m.scores.jsonText, m.metadata.jsonText, sourceID], refine: ["unknown-status": "status", "unknown-tier": "tier", "score-scale": "scores"])
        run(locate("generation_rank"), "UPDATE model SET generation_rank = ? WHERE id = ?", [m.generationRank, m.id])
        run(locate("maker"), "UPDATE model SET maker = ? WHERE id = ?", [m.maker, m.id])
        run(locate("aliases"), "DELETE FROM alias WHERE model_id = ? AND route_id IS NULL", [m.id])
        for (index, alias) in m.aliases.enumerated() {
            run(locate("aliases"), "INSERT INTO alias (name, model_id) VALUES (?, ?)", [alias, m.id], index: index)
        }
    }

    /// The values of a route's row, in the order of `routeColumns`: what `RouteRows` maps
    /// from the seed, then what the claims say of it.
    private static func routeValues(_ r: SeedRoute, claims: [StoredClaim]) -> [DatabaseValue] {
        // The route belongs to the lowest-precedence source that lists it, at its place there.
        let origin = claims.first
        // How the context window was learned, unless the source says: the kind of the source it came from, and when.
        var values = [r.providerID.databaseValue, r.wireID.databaseValue, r.modelID.databaseValue]
        values.reserveCapacity(routeColumns.count - 1)
        values += RouteRows.columns.map { $0.value(r) }
        values += [origin?.sourceID.databaseValue ?? .null, (origin?.claim.seq ?? 0).databaseValue]
        if r.contextWindow != nil,
           let window = claims.last(where: { $0.claim.value["context_window"].map { $0 != .null } ?? false }) {
            // The label is the in-force value's own: what its claim says, else its source's kind. A
            // user's file or an override is never a server's observation (design doc 003's Tinker
            // list read as a user file says "server" of every limit; it is the file's).
            let said = window.claim.value["context_window_source"]?.stringValue
            let label: String
            switch window.sourceKind {
            case .file, .override: label = said.flatMap { ["docs", "probe", "manual"].contains($0) ? $0 : nil } ?? window.sourceKind.observationKind
            default: label = said ?? window.sourceKind.observationKind
            }
            // Values start at provider_id: the column after `id` in routeColumns.
            values[windowSourceIndex - 1] = label.databaseValue
            let observed = window.claim.value["context_window_observed_at"]?.stringValue
            values[windowObservedIndex - 1] = (observed ?? window.observedAt).databaseValue
        }
        return values
    }

    private static let windowSourceIndex = routeColumns.firstIndex(of: "context_window_source") ?? 0
    private static let windowObservedIndex = routeColumns.firstIndex(of: "context_window_observed_at") ?? 0

    static let routeColumns = ["id", "provider_id", "wire_id", "model_id"] + RouteRows.columns.map(\.name) + ["source_id", "ordinal"]

    /// Inserts every route and what hangs off it, all through `RouteRows`: in statements
    /// of many rows each when the database takes everything, which it nearly always does;
    /// when it refuses anything, that is undone and the rows go in one at a time, so that
    /// each refusal is reported where the seed said it. Either way every row passes every trigger.
    private mutating func insertRoutes(_ routes: consuming MadeRoutes) throws {
        let made = consume routes
        defer { releaseInBackground(consume made) }
        if made.routes.count > 1, try insertInBulk(made.rows) { return }
        let insertRoute = try db.cachedStatement(sql: Materializer.insertSQL("route", Materializer.routeColumns))
        let insertChild = try RouteRows.children.map { try db.cachedStatement(sql: Materializer.insertSQL($0.table, $0.columns)) }
        for (index, (route, _, locate)) in made.routes.enumerated() {
            let id = made.ids[index]
            let inserted = run(insertRoute, [id.databaseValue] + Materializer.routeValues(route, claims: made.routes[index].1),
                               refine: ["endpoint-shape": "endpoint", "endpoint-route": "endpoint", "reference": "route",
                                        "timestamp": "context_window_observed_at", "enum": "metadata"]) {
                (locate(""), nil)
            }
            guard inserted else { continue }
            for (child, statement) in zip(RouteRows.children, insertChild) {
                for (i, row) in child.rows(route, id.databaseValue).enumerated() {
                    run(statement, row, refine: child.refine) {
                        let (field, position) = child.locate(route, i)
                        return (locate(field), position)
                    }
                }
            }
        }
    }

    /// Every route's rows, piece by piece and table by table, as many rows a statement as
    /// SQLite's smallest limit on parameters (999) allows; false, with nothing written, when
    /// any is refused.
    private func insertInBulk(_ pieces: Sequenced<RowPiece>) throws -> Bool {
        let children = RouteRows.children
        var done = false
        try db.inSavepoint {
            do {
                for piece in 0..<pieces.count {
                    let table = pieces[piece]
                    try db.insertRows("route", Materializer.routeColumns, table.routes)
                    for (c, child) in children.enumerated() { try db.insertRows(child.table, child.columns, table.children[c]) }
                }
            } catch is DatabaseError {
                return .rollback
            }
            done = true
            return .commit
        }
        return done
    }

    private static func insertSQL(_ table: String, _ columns: [String]) -> String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
    }

    /// Capability rules: the winning claim of each. Position: rules of later imports
    /// first (an override's marker beats a seed's), then the order the source gives.
    private mutating func materializeRules(_ ids: Set<String>) throws {
        guard !ids.isEmpty else { return }
        let claimed = try claims(.rule, ids)
        try db.execute(sql: "DELETE FROM capability_rule WHERE id IN (SELECT value FROM json_each(?))", arguments: [jsonList(ids)])
        for (id, claims) in claimed {
            guard let winner = claims.last else { continue }
            let diagnostics = Diagnostics(file: winner.sourceName)
            guard let rule = SeedReader.decodeRule(winner.claim.value, winner.claim.path, diagnostics) else {
                violations += diagnostics.violations
                continue
            }
            run(SeedOrigin(file: winner.sourceName, path: winner.claim.path), """
                INSERT INTO capability_rule (id, kind, match, capabilities, value, position) VALUES (?, ?, ?, ?, ?, ?)
                """, [id, rule.kind, rule.match?.jsonText, rule.capabilities.map { JSONValue.array($0.map(JSONValue.string)).jsonText },
                      rule.value, Materializer.rulePosition(importSeq: try Int64.fetchOne(db, sql: "SELECT import_seq FROM source WHERE id = ?",
                                                                                          arguments: [winner.sourceID]) ?? 0,
                                                            seq: winner.claim.seq)])
        }
    }

    /// Rules of later imports first, then in the source's order. An import_seq set by hand past
    /// what 10^6 rules a source allow saturates instead of trapping.
    static func rulePosition(importSeq: Int64, seq: Int) -> Int64 {
        let (scaled, overflow) = importSeq.multipliedReportingOverflow(by: -1_000_000)
        let (position, over) = (overflow ? (importSeq > 0 ? Int64.min : Int64.max) : scaled).addingReportingOverflow(Int64(seq))
        return over ? Int64.min : position
    }

    /// Views list keys in source order: builtin sources by name, then the
    /// others by precedence; within a source, in the order it gives them.
    private func renumberPositions() throws {
        try db.execute(sql: """
            UPDATE route_category AS rc SET position = o.n
            FROM (SELECT c.route_id, c.category_id,
                         row_number() OVER (ORDER BY CASE WHEN s.kind = 'builtin' THEN 0 ELSE 1 END,
                                                     CASE WHEN s.kind = 'builtin' THEN s.name END,
                                                     p.rank, r.ordinal, r.id, c.position) AS n
                  FROM route_category c JOIN route r ON r.id = c.route_id
                  LEFT JOIN source s ON s.id = r.source_id LEFT JOIN source_precedence p ON p.source_id = r.source_id) AS o
            WHERE rc.route_id = o.route_id AND rc.category_id = o.category_id AND rc.position <> o.n
            """)
    }

    /// Runs one statement; a refusal becomes a violation at `origin`, pointed at
    /// the offending field (`refine`: rule → field) or list element (`index`).
    @discardableResult
    private mutating func run(_ origin: @autoclosure () -> SeedOrigin, _ sql: String, _ arguments: StatementArguments,
                              refine: [String: String] = [:], index: Int? = nil) -> Bool {
        do {
            try db.cachedStatement(sql: sql).execute(arguments: arguments)
            return true
        } catch {
            refused(error, at: (origin(), index), refine: refine)
            return false
        }
    }

    /// Runs a prepared insert with `values` bound straight from where they are (a catalog
    /// import runs tens of thousands); a refusal is reported at what `location` says.
    @discardableResult
    private mutating func run(_ statement: Statement, _ values: [DatabaseValue], refine: [String: String],
                              at location: () -> (SeedOrigin, Int?)) -> Bool {
        do {
            try statement.executeBound(values, in: db)
            return true
        } catch {
            refused(error, at: location(), refine: refine)
            return false
        }
    }

    /// SQLite's primary result codes that say nothing of the row: permission, busy, locked,
    /// out of memory, read-only, interrupted, I/O error, corrupt, full, cannot open, not a database.
    static let environmental: Set<Int32> = [3, 5, 6, 7, 8, 9, 10, 11, 13, 14, 26]

    /// A refusal as a violation at `location`, pointed at the offending field (`refine`: rule → field)
    /// or list element (the index).
    private mutating func refused(_ error: any Error, at location: (SeedOrigin, Int?), refine: [String: String]) {
        let (origin, index) = location
        guard let error = error as? DatabaseError else {
            violations.append(Violation(file: origin.file, path: origin.path, rule: "sqlite", message: "\(error)"))
            return
        }
        if Materializer.environmental.contains(error.resultCode.primaryResultCode.rawValue) {
            if environmentFailure == nil { environmentFailure = error }
            return
        }
        let (rule, message) = RegDBError.ruleMessage(from: error)
        var path = origin.path
        if let index { path = path.appending(index) }
        if let field = refine[rule], path.components.last != .key(field) { path = path.appending(field) }
        violations.append(Violation(file: origin.file, path: path, rule: rule, message: message))
    }
}
