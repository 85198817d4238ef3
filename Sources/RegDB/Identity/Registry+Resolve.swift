import GRDB

/// What `regdb resolve` answers for a name: known or not, how it matched, the
/// canonical model and the routes the name reaches (every route of the model
/// when it names the model), preferred first.
public struct Resolution: Sendable {
    public var name: ResolvedName
    /// The canonical id; for an unknown name, the name itself (design doc 004: unmapped names pass through).
    public var canonicalID: String
    public var displayName: String?
    public var generation: String
    public var tier: String
    public var status: String?
    public var routes: [ResolvedModel]
    /// Why the first route is the one the name means (`route_preference`); nil when unknown.
    public var chosenBecause: String?

    public var known: Bool { name.known }

    /// A name the registry does not know, passed through by the unknown-model policy.
    public static func unknown(_ input: String) -> Resolution {
        Resolution(name: ResolvedName(input: input, match: nil, precedence: nil, spelling: nil, modelID: nil, routeKeys: [], rows: []),
                   canonicalID: input, displayName: nil, generation: input, tier: "standard", status: nil, routes: [])
    }

    /// One shape for every name: the model, then the preferred route's fields
    /// (null when there is none), then every route.
    public var json: JSONValue {
        var f = Fields()
        f.set("name", .string(name.input))
        f.set("known", .bool(known))
        f.set("match", name.match.map(JSONValue.string) ?? .null)
        f.set("chosen_because", chosenBecause.map(JSONValue.string) ?? .null)
        f.set("canonical_id", .string(canonicalID))
        f.set("display_name", displayName.map(JSONValue.string) ?? .null)
        f.set("generation", .string(generation))
        f.set("tier", .string(tier))
        f.set("status", status.map(JSONValue.string) ?? .null)
        let preferred = routes.first?.json
        for field in ["route_key", "wire_id", "provider", "api", "base_url", "capabilities", "cost", "context_window",
                      "max_tokens", "reasoning", "input_modalities"] {
            f.set(field, preferred?[field] ?? .null)
        }
        f.set("routes", .array(routes.map(\.json)))
        return f.object
    }

    public static let columns = ["known", "match", "route_key", "canonical_id", "generation", "tier", "api", "context_window", "priority"]

    /// One row per route; one row with no route key when the name reaches none.
    public var table: ResultTable {
        let lead: [JSONValue] = [.bool(known), name.match.map(JSONValue.string) ?? .null]
        guard !routes.isEmpty else {
            return ResultTable(columns: Resolution.columns,
                               rows: [lead + [.null, .string(canonicalID), .string(generation), .string(tier), .null, .null, .null]])
        }
        return ResultTable(columns: Resolution.columns, rows: Resolution.table(of: routes).rows.map { lead + $0 })
    }

    /// One row per route: what a router needs at a glance.
    public static func table(of routes: [ResolvedModel]) -> ResultTable {
        ResultTable(
            columns: ["route_key", "canonical_id", "generation", "tier", "api", "context_window", "priority"],
            rows: routes.map { route in
                [.string(route.routeKey), .string(route.canonicalID), .string(route.generation), .string(route.tier),
                 route.api.map(JSONValue.string) ?? .null, route.contextWindow.map(JSONValue.integer) ?? .null,
                 route.priority.map(JSONValue.integer) ?? .null]
            })
    }
}

extension Registry {
    /// Resolves any name a caller writes (see `model_name` in schema.sql).
    /// Unknown: `RegDBError.notFound`; matching several models: `.ambiguous`.
    public func resolve(_ name: String) throws -> Resolution {
        try resolve(name, suggest: true)
    }

    /// `suggest`: whether an unknown name's error offers the closest known names
    /// (a scan of every name; the unknown-model policy `off` needs none).
    func resolve(_ name: String, suggest: Bool) throws -> Resolution {
        try read { db in
            let resolved = try NameResolver.resolve(name, in: SQLNameIndex(db))
            guard let model = resolved.modelID else { throw try unresolved(resolved, db, suggest: suggest) }
            let routes = resolved.routeKeys.isEmpty
                ? try Registry.resolvedRoutes(db, model: model)
                : try Registry.resolvedRoutes(db, keys: resolved.routeKeys)
            let row = try Row.fetchOne(db, sql: """
                SELECT name, ifnull(generation, id) AS generation, ifnull(tier, 'standard') AS tier, status FROM model WHERE id = ?
                """, arguments: [model])
            return Resolution(name: resolved, canonicalID: model, displayName: row?["name"],
                              generation: row?["generation"] ?? model, tier: row?["tier"] ?? "standard",
                              status: row?["status"], routes: routes,
                              chosenBecause: try Registry.chosenBecause(db, resolved, model: model, routes: routes.map(\.routeKey)))
        }
    }

    /// Why the first of `routes` is the route `resolved` means: the name reaches it alone, or it
    /// comes first in `route_preference` over the next one (the view `route_choice` says why).
    static func chosenBecause(_ db: Database, _ resolved: ResolvedName, model: String, routes: [String]) throws -> String? {
        guard let first = routes.first else { return nil }
        if routes.count == 1 {
            return resolved.routeKeys.count == 1 ? "the name reaches this route alone (\(resolved.match ?? "name"))"
                                                 : "the only route of \(model)"
        }
        // model_id first: it is route_preference's partition, so only this model's routes are ranked
        // (without it, every route of the registry is: 97 ms instead of 8 on 9,134 routes).
        return try String.fetchOne(db.cachedStatement(sql: "SELECT reason FROM route_choice WHERE model_id = ? AND route_key = ? AND over = ?"),
                                   arguments: [model, first, routes[1]])
    }

    /// Every route of the model a name resolves to, preferred first.
    public func routes(of name: String) throws -> [ResolvedModel] {
        try read { db in
            let resolved = try NameResolver.resolve(name, in: SQLNameIndex(db))
            guard let model = resolved.modelID else { throw try unresolved(resolved, db) }
            return try Registry.resolvedRoutes(db, model: model)
        }
    }

    /// The error for a name that resolved to no single model.
    func unresolved(_ resolved: ResolvedName, _ db: Database, suggest: Bool = true) throws -> RegDBError {
        if resolved.ambiguous { return .ambiguous(name: resolved.input, candidates: resolved.candidates) }
        return .notFound(name: resolved.input, suggestions: suggest ? try suggestions(for: resolved.input, db) : [])
    }

    /// `resolved_routes` rows of a model, preferred first (`route_preference`).
    static func resolvedRoutes(_ db: Database, model: String) throws -> [ResolvedModel] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT rr.* FROM route_preference rp JOIN resolved_routes rr ON rr.route_key = rp.route_key
            WHERE rp.model_id = ? ORDER BY rp.rank
            """), arguments: [model]).map(ResolvedModel.init(row:))
    }

    /// `resolved_routes` rows of route keys, in the order given.
    static func resolvedRoutes(_ db: Database, keys: [String]) throws -> [ResolvedModel] {
        try keys.compactMap { key in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM resolved_routes WHERE route_key = ?"), arguments: [key])
                .map(ResolvedModel.init(row:))
        }
    }
}

extension Resolution: Renderable {}

/// Every route of a model, preferred first (`regdb routes`).
public struct RouteList: Renderable, Sendable {
    public var routes: [ResolvedModel]

    public init(_ routes: [ResolvedModel]) {
        self.routes = routes
    }

    public var table: ResultTable { Resolution.table(of: routes) }
    public var json: JSONValue { .array(routes.map(\.json)) }
}
