import GRDB

/// A route resolved to its canonical model: design doc 004's `ResolvedModel`.
public struct ResolvedModel: Equatable, Sendable {
    public struct Cost: Equatable, Sendable {
        /// USD per million tokens; nil where the route has no such price.
        public var input: Double?
        public var output: Double?
        public var cacheRead: Double?
        public var cacheWrite: Double?
    }

    public var canonicalID: String
    public var generation: String
    /// light, standard or heavy; standard where none is recorded.
    public var tier: String
    public var wireID: String
    public var provider: String
    public var routeKey: String
    /// Wire format (anthropic-messages, openai-completions…); an open set, passed through.
    public var api: String?
    public var baseURL: String?
    public var capabilities: JSONValue
    public var cost: Cost?
    public var contextWindow: Int64?
    public var maxTokens: Int64?
    public var reasoning: Bool?
    public var inputModalities: [String]?
    /// Failover preference from the seeds, lower first.
    public var priority: Int64?

    /// The JSON form `regdb resolve` prints, with design doc 004's field names in snake case.
    public var json: JSONValue {
        var f = Fields()
        f.set("route_key", .string(routeKey))
        f.set("canonical_id", .string(canonicalID))
        f.set("generation", .string(generation))
        f.set("tier", .string(tier))
        f.set("wire_id", .string(wireID))
        f.set("provider", .string(provider))
        f.set("api", api.map(JSONValue.string) ?? .null)
        f.set("base_url", baseURL.map(JSONValue.string) ?? .null)
        f.set("capabilities", capabilities)
        f.set("cost", cost.map { cost in
            .object([("input", cost.input.map(JSONValue.number) ?? .null),
                     ("output", cost.output.map(JSONValue.number) ?? .null),
                     ("cache_read", cost.cacheRead.map(JSONValue.number) ?? .null),
                     ("cache_write", cost.cacheWrite.map(JSONValue.number) ?? .null)])
        } ?? .null)
        f.set("context_window", contextWindow.map(JSONValue.integer) ?? .null)
        f.set("max_tokens", maxTokens.map(JSONValue.integer) ?? .null)
        f.set("reasoning", reasoning.map(JSONValue.bool) ?? .null)
        f.set("input_modalities", inputModalities.map { .array($0.map(JSONValue.string)) } ?? .null)
        return f.object
    }
}

/// Canonical identity for a router: design doc 004's module, answered from a
/// snapshot of the registry's `resolved_routes` and `model_name` views held in
/// memory, so a lookup costs a hash probe and can run on every request.
/// `resolve` reads names the one way `regdb` does (`NameResolver`).
/// Unmappable input returns nil; nothing here throws after loading. Load a
/// new snapshot to see later changes to the registry.
public final class ModelIdentity: Sendable {
    private let byRouteKey: [String: ResolvedModel]
    private let routesByCanonical: [String: [ResolvedModel]]
    /// Every canonical model: id → (generation, tier).
    private let models: [String: (generation: String, tier: String)]
    private let names: MemoryNameIndex
    /// Every name the registry holds as written, resolved once at load.
    private let exact: [String: ResolvedName]

    public init(registry: Registry) throws {
        var byRouteKey: [String: ResolvedModel] = [:]
        var routesByCanonical: [String: [ResolvedModel]] = [:]
        var models: [String: (String, String)] = [:]
        var names = MemoryNameIndex(rules: NameRules(rules: []))
        try registry.read { db in
            for row in try Row.fetchAll(db, sql: """
                SELECT rr.* FROM resolved_routes rr JOIN route_preference rp ON rp.route_key = rr.route_key
                ORDER BY rp.model_id, rp.rank
                """) {
                let model = ResolvedModel(row: row)
                byRouteKey[model.routeKey] = model
                routesByCanonical[model.canonicalID, default: []].append(model)
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, ifnull(generation, id) AS generation, ifnull(tier, 'standard') AS tier FROM model") {
                models[row["id"]] = (row["generation"], row["tier"])
            }
            names = try MemoryNameIndex(db)
        }
        names.routesByModel = routesByCanonical.mapValues { $0.map { ($0.routeKey, $0.provider) } }
        self.byRouteKey = byRouteKey
        self.routesByCanonical = routesByCanonical
        self.models = models
        var exact: [String: ResolvedName] = [:]
        exact.reserveCapacity(names.byName.count)
        for (name, rows) in names.byName {
            if let decided = NameResolver.decide(name, spelling: name, rows) {
                exact[name] = (try? NameResolver.preferring(decided, in: names)) ?? decided
            }
        }
        self.names = names
        self.exact = exact
    }

    /// Resolves any name a caller writes, as `regdb resolve` does. A name the
    /// registry holds as written costs one hash probe.
    public func resolve(_ name: String) -> ResolvedName {
        if let known = exact[name] { return known }
        return (try? NameResolver.resolve(name, in: names))
            ?? ResolvedName(input: name, match: nil, precedence: nil, spelling: nil, modelID: nil, routeKeys: [], rows: [])
    }

    /// Looks up a (provider, wire id) pair.
    public func lookup(provider: String, wireID: String) -> ResolvedModel? {
        byRouteKey[ModelIdentity.routeKey(provider: provider, wireID: wireID)]
    }

    /// Looks up a fused route key such as `openrouter/moonshotai/kimi-k2.5`.
    public func lookupRoute(_ routeKey: String) -> ResolvedModel? {
        byRouteKey[routeKey]
    }

    /// Every route, across providers, that resolves to `canonicalID`, preferred first.
    public func routes(for canonicalID: String) -> [ResolvedModel] {
        routesByCanonical[canonicalID] ?? []
    }

    /// The canonical id of a route key, or nil if the registry has no such route.
    public func canonicalID(for routeKey: String) -> String? {
        byRouteKey[routeKey]?.canonicalID
    }

    /// The tier of a canonical id ('standard' where none is recorded); nil for an unknown id.
    public func tier(for canonicalID: String) -> String? {
        models[canonicalID]?.tier
    }

    /// The generation of a canonical id (the id itself where none is recorded); nil for an unknown id.
    public func generation(for canonicalID: String) -> String? {
        models[canonicalID]?.generation
    }

    /// Whether failover from `a` to `b` stays within one generation.
    public func sameGeneration(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let ga = generation(for: a), let gb = generation(for: b) else { return false }
        return ga == gb
    }

    /// Every canonical id, sorted.
    public func allCanonicalIDs() -> [String] {
        models.keys.sorted()
    }

    /// `provider/wire_id`.
    public static func routeKey(provider: String, wireID: String) -> String {
        provider + "/" + wireID
    }
}

extension ResolvedModel {
    init(row: Row) {
        var cost: Cost?
        if let text: String = row["cost"], case .object? = try? JSONParser.parse(text) {
            let value = try? JSONParser.parse(text)
            cost = Cost(input: value?["input"]?.doubleValue, output: value?["output"]?.doubleValue,
                        cacheRead: value?["cache_read"]?.doubleValue, cacheWrite: value?["cache_write"]?.doubleValue)
        }
        var modalities: [String]?
        if let text: String = row["input_modalities"], case .array(let items)? = try? JSONParser.parse(text) {
            modalities = items.compactMap(\.stringValue)
        }
        self.init(
            canonicalID: row["canonical_id"], generation: row["generation"], tier: row["tier"],
            wireID: row["wire_id"], provider: row["provider"], routeKey: row["route_key"],
            api: row["api"], baseURL: row["base_url"],
            capabilities: (row["capabilities"] as String?).flatMap { try? JSONParser.parse($0) } ?? .object([]),
            cost: cost, contextWindow: row["context_window"], maxTokens: row["max_tokens"],
            reasoning: (row["reasoning"] as Int64?).map { $0 != 0 }, inputModalities: modalities,
            priority: row["priority"])
    }
}

/// Every name of a registry in memory, for `ModelIdentity`.
struct MemoryNameIndex: NameIndex {
    var byName: [String: [NameRow]] = [:]
    var byLowercased: [String: [NameRow]] = [:]
    var providers: Set<String> = []
    /// Route keys and providers of each model, preferred first.
    var routesByModel: [String: [(key: String, provider: String)]] = [:]
    let stored: NameRules

    init(rules: NameRules) {
        self.stored = rules
    }

    func rules() -> NameRules {
        stored
    }

    init(_ db: Database) throws {
        stored = try NameRules.load(db)
        for row in try Row.fetchAll(db, sql: "SELECT name, precedence, match, model_id, route_key, category FROM model_name") {
            let name = NameRow(name: row[0], precedence: row[1], match: row[2], modelID: row[3], routeKey: row[4], category: row[5])
            byName[name.name, default: []].append(name)
            byLowercased[name.name.lowercased(), default: []].append(name)
        }
        for key in Array(byName.keys) { byName[key]?.sort(by: MemoryNameIndex.order) }
        for key in Array(byLowercased.keys) { byLowercased[key]?.sort(by: MemoryNameIndex.order) }
        providers = Set(try String.fetchAll(db, sql: "SELECT id FROM provider"))
    }

    static func order(_ a: NameRow, _ b: NameRow) -> Bool {
        (a.precedence, a.routeKey ?? "", a.category ?? "") < (b.precedence, b.routeKey ?? "", b.category ?? "")
    }

    func rows(named name: String, anyCase: Bool) -> [NameRow] {
        anyCase ? byLowercased[name.lowercased()] ?? [] : byName[name] ?? []
    }

    func isProvider(_ id: String) -> Bool {
        providers.contains(id)
    }

    func routeKeys(ofModel model: String, provider: String?) -> [String] {
        (routesByModel[model] ?? []).filter { provider == nil || $0.provider == provider }.map(\.key)
    }
}
