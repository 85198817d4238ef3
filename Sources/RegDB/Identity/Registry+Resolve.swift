import GRDB

/// What a name resolved to: one route, or a canonical model with its routes.
public enum Resolution: Sendable {
    case route(ResolvedModel)
    case canonical(id: String, name: String, generation: String, tier: String, status: String?, routes: [ResolvedModel])
    /// A name the registry does not know, passed through by the unknown-model policy.
    case unknown(String)

    /// At least canonical_id, generation, tier and route_key (the preferred route for a model).
    public var json: JSONValue {
        switch self {
        case .route(let model):
            return model.json
        case .canonical(let id, let name, let generation, let tier, let status, let routes):
            return .object([
                ("canonical_id", .string(id)), ("name", .string(name)), ("generation", .string(generation)),
                ("tier", .string(tier)), ("status", status.map(JSONValue.string) ?? .null),
                ("route_key", routes.first.map { .string($0.routeKey) } ?? .null),
                ("routes", .array(routes.map(\.json))),
            ])
        case .unknown(let name):
            return .object([
                ("canonical_id", .string(name)), ("generation", .string(name)), ("tier", .string("standard")),
                ("route_key", .null), ("known", .bool(false)),
            ])
        }
    }

    public var table: ResultTable {
        switch self {
        case .route(let model): return Resolution.table(of: [model])
        case .canonical(_, _, _, _, _, let routes): return Resolution.table(of: routes)
        case .unknown(let name):
            return ResultTable(columns: ["route_key", "canonical_id", "generation", "tier", "api", "context_window", "priority"],
                               rows: [[.null, .string(name), .string(name), .string("standard"), .null, .null, .null]])
        }
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
    /// Resolves a route key, a canonical id, or a category key naming one route.
    public func resolve(_ name: String) throws -> Resolution {
        let identity = try ModelIdentity(registry: self)
        if let route = identity.lookupRoute(name) { return .route(route) }
        if let generation = identity.generation(for: name), let tier = identity.tier(for: name) {
            let (displayName, status) = try read { db in
                let row = try Row.fetchOne(db, sql: "SELECT name, status FROM model WHERE id = ?", arguments: [name])
                return ((row?["name"] as String?) ?? name, row?["status"] as String?)
            }
            return .canonical(id: name, name: displayName, generation: generation, tier: tier, status: status,
                              routes: identity.routes(for: name))
        }
        let matches = Set(try lookup(name).map(\.routeKey))
        if matches.count == 1, let key = matches.first, let route = identity.lookupRoute(key) { return .route(route) }
        if matches.count > 1 { throw RegDBError.ambiguous(name: name, candidates: matches.sorted()) }
        throw RegDBError.notFound(name: name, suggestions: try suggestions(for: name))
    }

    /// Every route of a canonical id, preferred first; an unknown id is an error.
    public func routes(of canonicalID: String) throws -> [ResolvedModel] {
        let identity = try ModelIdentity(registry: self)
        // A route key stands for its canonical model.
        let id = identity.canonicalID(for: canonicalID) ?? canonicalID
        guard identity.generation(for: id) != nil else {
            throw RegDBError.notFound(name: canonicalID, suggestions: try suggestions(for: canonicalID))
        }
        return identity.routes(for: id)
    }
}
