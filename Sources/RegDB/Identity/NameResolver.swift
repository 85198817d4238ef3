import GRDB

/// One row of the `model_name` view: a name, what it reaches and how.
public struct NameRow: Equatable, Sendable {
    /// The name as the registry holds it.
    public var name: String
    /// Lower wins: 1 route key, 2 canonical id or category key, 3 alias, 4 wire id.
    public var precedence: Int
    public var match: String
    public var modelID: String
    /// The route the name reaches; nil when it names the model.
    public var routeKey: String?
    /// The category of a category key.
    public var category: String?
}

/// What a name resolved to, the same for every command and the library.
public struct ResolvedName: Sendable {
    /// The name as the caller wrote it.
    public var input: String
    /// How it matched: route_key, canonical_id, category_key, alias, wire_id
    /// (the `model_name` view), provider_scope, case or normalized; nil when unknown.
    public var match: String?
    /// 1…4 as in `model_name`; 5 provider scope; 6 another case; 7 reduced by `name_rule`.
    public var precedence: Int?
    /// The spelling that matched (the input, or what it reduced to).
    public var spelling: String?
    /// The canonical model; nil when unknown or ambiguous.
    public var modelID: String?
    /// The routes the name itself reaches, preferred first; empty when it names the model.
    public var routeKeys: [String]
    /// Every row at the deciding precedence: the candidates when ambiguous.
    public var rows: [NameRow]

    public var known: Bool { modelID != nil }
    public var ambiguous: Bool { modelID == nil && !rows.isEmpty }

    /// The candidates of an ambiguous name, one line each: `route or model (how it matched)`.
    public var candidates: [String] {
        var seen: Set<String> = []
        return rows.compactMap { row in
            let target = row.routeKey ?? row.modelID
            let text = "\(target) (\(row.match)\(row.category.map { " in \($0)" } ?? ""), model \(row.modelID))"
            return seen.insert(text).inserted ? text : nil
        }
    }
}

/// Where the resolver reads names: the registry's SQL, or a snapshot in memory.
protocol NameIndex {
    /// `model_name` rows of `name`, exactly or in any case.
    func rows(named name: String, anyCase: Bool) throws -> [NameRow]
    func isProvider(_ id: String) throws -> Bool
    /// Route keys of a model, preferred first (`route_preference`), on one provider or all.
    func routeKeys(ofModel model: String, provider: String?) throws -> [String]
    /// The reduction rules, read only when a name matched nothing as written.
    func rules() throws -> NameRules
}

/// The one resolver: every command that takes a model name and `ModelIdentity`
/// resolve through it, with the precedence schema.sql documents at `model_name`.
enum NameResolver {
    static func resolve(_ input: String, category: String? = nil, in index: some NameIndex) throws -> ResolvedName {
        if let found = try attempt(input, spelling: input, anyCase: false, category: category, in: index) { return found }
        if let found = try attempt(input, spelling: input, anyCase: true, category: category, in: index) {
            return relabel(found, match: "case", precedence: 6)
        }
        for spelling in try index.rules().spellings(of: input) {
            if let found = try attempt(input, spelling: spelling, anyCase: true, category: category, in: index) {
                return relabel(found, match: "normalized", precedence: 7)
            }
        }
        return ResolvedName(input: input, match: nil, precedence: nil, spelling: nil, modelID: nil, routeKeys: [], rows: [])
    }

    /// Levels 1–5 for one spelling.
    private static func attempt(_ input: String, spelling: String, anyCase: Bool, category: String?,
                                in index: some NameIndex) throws -> ResolvedName? {
        var rows = try index.rows(named: spelling, anyCase: anyCase)
        if let category { rows.removeAll { $0.match == "category_key" && $0.category != category } }
        if let decided = decide(input, spelling: spelling, rows) { return try preferring(decided, in: index) }
        // 5: provider/name, the name resolved on that provider's routes.
        guard let slash = spelling.firstIndex(of: "/") else { return nil }
        let provider = String(spelling[..<slash]), rest = String(spelling[spelling.index(after: slash)...])
        guard !rest.isEmpty, try index.isProvider(provider) else { return nil }
        let inner = try index.rows(named: rest, anyCase: anyCase).filter { $0.precedence >= 2 }
        guard let found = decide(input, spelling: spelling, inner), let model = found.modelID else { return nil }
        // A name reaching routes keeps those on the provider; a model name reaches the provider's preferred route.
        var routes = found.routeKeys.filter { $0.hasPrefix(provider + "/") }
        if routes.isEmpty { routes = Array(try index.routeKeys(ofModel: model, provider: provider).prefix(1)) }
        guard !routes.isEmpty else { return nil }
        let scoped = routes.map { NameRow(name: spelling, precedence: 5, match: "provider_scope", modelID: model, routeKey: $0) }
        return ResolvedName(input: input, match: "provider_scope", precedence: 5, spelling: spelling, modelID: model,
                            routeKeys: routes, rows: scoped)
    }

    /// `found` with the routes it reaches in the order of its model's routes
    /// (`route_preference`): several routes of one model (a wire id OpenAI, Azure and
    /// GitHub Copilot share) mean the preferred one first, the maker's before a reseller's.
    static func preferring(_ found: ResolvedName, in index: some NameIndex) throws -> ResolvedName {
        guard found.routeKeys.count > 1, let model = found.modelID else { return found }
        let order = try index.routeKeys(ofModel: model, provider: nil)
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var preferred = found
        preferred.routeKeys.sort { (rank[$0] ?? Int.max, $0) < (rank[$1] ?? Int.max, $1) }
        return preferred
    }

    /// The rows at the lowest precedence: one model, or ambiguous.
    static func decide(_ input: String, spelling: String, _ rows: [NameRow]) -> ResolvedName? {
        guard let best = rows.map(\.precedence).min() else { return nil }
        let deciding = rows.filter { $0.precedence == best }
        let models = Set(deciding.map(\.modelID))
        // A row naming the model itself (its canonical id) reaches the model, not the routes beside it.
        var routeKeys: [String] = []
        if !deciding.contains(where: { $0.routeKey == nil }) {
            for row in deciding { if let key = row.routeKey, !routeKeys.contains(key) { routeKeys.append(key) } }
        }
        return ResolvedName(input: input, match: deciding[0].match, precedence: best, spelling: spelling,
                            modelID: models.count == 1 ? deciding[0].modelID : nil,
                            routeKeys: models.count == 1 ? routeKeys : [], rows: deciding)
    }

    private static func relabel(_ found: ResolvedName, match: String, precedence: Int) -> ResolvedName {
        var found = found
        found.match = match
        found.precedence = precedence
        return found
    }
}

/// The registry's names, read with indexed queries: resolving a name costs a
/// few index probes however many routes the registry holds.
struct SQLNameIndex: NameIndex {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    func rules() throws -> NameRules {
        try NameRules.load(db)
    }

    func rows(named name: String, anyCase: Bool) throws -> [NameRow] {
        let sql = anyCase
            ? "SELECT name, precedence, match, model_id, route_key, category FROM model_name WHERE name = ? COLLATE NOCASE"
            : "SELECT name, precedence, match, model_id, route_key, category FROM model_name WHERE name = ?1 COLLATE NOCASE AND +name = ?1"
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [name]).map {
            NameRow(name: $0[0], precedence: $0[1], match: $0[2], modelID: $0[3], routeKey: $0[4], category: $0[5])
        }.sorted { ($0.precedence, $0.routeKey ?? "", $0.category ?? "") < ($1.precedence, $1.routeKey ?? "", $1.category ?? "") }
    }

    func isProvider(_ id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM provider WHERE id = ?)"), arguments: [id]) ?? false
    }

    func routeKeys(ofModel model: String, provider: String?) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT route_key FROM route_preference WHERE model_id = ?1 AND (?2 IS NULL OR provider_id = ?2) ORDER BY rank
            """), arguments: [model, provider])
    }
}

extension Registry {
    /// The name to price a response by: a route of the model the response names on the first
    /// provider that serves the API under its own name (a Gemini response's
    /// `gemini-2.0-flash-001` is Google's route, not the reseller's route that lists the same
    /// wire id), else the model as the response wrote it.
    public func responseName(_ model: String, servedBy providers: [String]) throws -> String {
        try read { db in
            let index = SQLNameIndex(db)
            let bare = try NameResolver.resolve(model, in: index)
            for provider in providers {
                if let key = bare.routeKeys.first(where: { $0.hasPrefix(provider + "/") }) { return key }
                if let canonical = bare.modelID, let key = try index.routeKeys(ofModel: canonical, provider: provider).first { return key }
                // The provider's own rules of which names are its models (genai-prices' `match`,
                // kept by the importer), in the order it lists them: gemini-2.0-flash-001 is gemini-2.0-flash.
                for row in try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT route_key, json_extract(metadata, '$.genai_prices_match') AS rule FROM route
                    WHERE provider_id = ? AND json_extract(metadata, '$.genai_prices_match') IS NOT NULL
                    ORDER BY source_id, ordinal
                    """), arguments: [provider]) {
                    let text: String = row["rule"]
                    if let rule = try? JSONParser.parse(text), GenAIPricesCatalog.matches(rule, model) { return row["route_key"] }
                }
            }
            return model
        }
    }

    /// Resolves a name the way every command does (see `model_name` in schema.sql).
    public func resolveName(_ name: String, category: String? = nil) throws -> ResolvedName {
        try read { db in try NameResolver.resolve(name, category: category, in: SQLNameIndex(db)) }
    }
}
