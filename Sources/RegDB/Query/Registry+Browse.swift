import Foundation
import GRDB

/// Filters of `regdb list`; nil (or false) matches everything.
public struct ListFilter: Sendable {
    public var category: String?
    public var provider: String?
    public var status: String?
    /// A capability flag the route has set to true (vision, function_calling, text_to_video…).
    public var capability: String?
    /// The model's tier (light, standard, heavy; a model without one is standard).
    public var tier: String?
    /// Only routes their server listed at its last discovery (`available` = 1).
    public var available = false
    /// Only routes with a context window of at least this many tokens.
    public var minContext: Int64?
    /// The priced quantity to show a price for (`second`, `image`, `1M-input-tokens`…): only
    /// routes priced in that unit, with the price in force today of its default variant.
    public var per: String?
    /// With `per`: only routes whose price is at most this many dollars.
    public var maxUSD: Double?

    public init(category: String? = nil, provider: String? = nil, status: String? = nil, capability: String? = nil,
                tier: String? = nil, available: Bool = false, minContext: Int64? = nil, per: String? = nil, maxUSD: Double? = nil) {
        self.category = category
        self.provider = provider
        self.status = status
        self.capability = capability
        self.tier = tier
        self.available = available
        self.minContext = minContext
        self.per = per
        self.maxUSD = maxUSD
    }
}

/// A quantity prices are given for, as `list --per` names it: an optional count (`1M-`,
/// `1K-`, `1000-`) and a unit of the schema, dashes for underscores, singular or plural
/// (`second`, `image`, `1M-input-tokens`, `1K-characters`).
public struct PricedQuantity: Equatable, Sendable {
    public var unit: String
    public var count: Int64

    /// Reads `text` against the registry's units; nil when it names none.
    static func parse(_ text: String, units: [String]) -> PricedQuantity? {
        var count: Int64 = 1
        var name = Substring(text.lowercased())
        if let dash = name.firstIndex(of: "-"), let first = name.first, first.isNumber {
            let prefix = name[..<dash]
            let scale: Int64 = prefix.hasSuffix("k") ? 1_000 : prefix.hasSuffix("m") ? 1_000_000 : 1
            guard let number = Int64(scale == 1 ? prefix : prefix.dropLast()), number > 0, number <= 1_000_000_000 else { return nil }
            count = number * scale
            name = name[name.index(after: dash)...]
        }
        let unit = name.replacingOccurrences(of: "-", with: "_")
        for candidate in [unit, unit.hasSuffix("s") ? String(unit.dropLast()) : unit] where units.contains(candidate) {
            return PricedQuantity(unit: candidate, count: count)
        }
        return nil
    }

    /// How a price column is headed: `usd_per_second`, `usd_per_1M_input_token`.
    var column: String {
        let scale = count % 1_000_000 == 0 ? "\(count / 1_000_000)M_" : count % 1_000 == 0 ? "\(count / 1_000)K_" : count == 1 ? "" : "\(count)_"
        return "usd_per_" + scale + unit
    }
}

/// One route found for a name, with the category key it was found under.
public struct RouteMatch: Sendable {
    public var routeID: Int64
    public var routeKey: String
    public var category: String?
    public var key: String?

    /// How an ambiguity error lists it: `route (category_key in category)`.
    var candidate: String {
        "\(routeKey) (\(category.map { "category_key in \($0)" } ?? "route"))"
    }
}

extension Registry {
    /// Every listed route, by category then seed order, with its availability and
    /// context window, and the training type, architecture and size (design doc
    /// 003's `tinkex models`) where a listed route has them.
    public func list(_ filter: ListFilter) throws -> ResultTable {
        try read { db in
            for (kind, value, sql) in [("category", filter.category, "SELECT id FROM category"),
                                       ("provider", filter.provider, "SELECT id FROM provider"),
                                       ("status", filter.status, "SELECT id FROM status"),
                                       ("tier", filter.tier, "SELECT id FROM tier"),
                                       ("capability", filter.capability, """
                                           SELECT DISTINCT c.key FROM route r, json_each(r.capabilities) c WHERE c.type = 'true'
                                           """)] {
                guard let value else { continue }
                let known = try String.fetchAll(db, sql: sql + " ORDER BY 1")
                if !known.contains(value) { throw RegDBError.unknownValue(kind: kind, value: value, known: known) }
            }
            var priced: PricedQuantity?
            if let per = filter.per {
                let units = try String.fetchAll(db, sql: "SELECT id FROM unit ORDER BY rowid")
                guard let quantity = PricedQuantity.parse(per, units: units) else {
                    throw RegDBError.unknownValue(kind: "--per quantity (a unit, optionally after 1K- or 1M-)", value: per, known: units)
                }
                priced = quantity
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT l.*, price.usd AS price, price.variant AS price_variant
                FROM route_listing l
                -- The price in force today of the default variant: the row without one, else the first the seeds give.
                LEFT JOIN (SELECT route_id, usd * ?9 / per AS usd, variant,
                                  row_number() OVER (PARTITION BY route_id ORDER BY variant IS NOT NULL, position) AS n
                           FROM current_price WHERE unit = ?8 AND above IS NULL AND usd IS NOT NULL) price
                       ON price.route_id = l.route_id AND price.n = 1
                WHERE (?1 IS NULL OR l.category = ?1)
                  AND (?2 IS NULL OR l.provider = ?2)
                  AND (?3 IS NULL OR l.status = ?3)
                  AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(l.capabilities) WHERE key = ?4 AND type = 'true'))
                  AND (?5 IS NULL OR l.tier = ?5)
                  AND (?6 = 0 OR l.available = 1)
                  AND (?7 IS NULL OR l.context_window >= ?7)
                  AND (?8 IS NULL OR price.usd IS NOT NULL)
                  AND (?10 IS NULL OR price.usd <= ?10 * (1 + 1e-12))
                ORDER BY l.category IS NULL, l.category, l.position, l.route_key
                """, arguments: [filter.category, filter.provider, filter.status, filter.capability, filter.tier,
                                 filter.available, filter.minContext, priced?.unit, priced?.count ?? 1, filter.maxUSD])
            var columns = ["category", "key", "route_key", "name", "provider", "status", "available", "context_window"]
            for extra in ["training_type", "architecture", "size"] where rows.contains(where: { !($0[extra] as DatabaseValue).isNull }) {
                columns.append(extra)
            }
            var answers: [String] = []
            if filter.minContext != nil { answers.append("context_window") }
            if let priced {
                columns += [priced.column, "price_variant"]
                answers += [priced.column, "price_variant"]
            }
            return ResultTable(columns: columns, rows: rows.map { row in
                columns.map { column in
                    switch column {
                    case "available": return (row[column] as Int64?).map { .bool($0 == 1) } ?? .null
                    case "context_window": return (row[column] as Int64?).map(JSONValue.integer) ?? .null
                    case priced?.column: return Money.number(Decimal(row["price"] as Double? ?? 0))
                    default: return JSONValue(databaseValue: row[column] as DatabaseValue)
                    }
                }
            }, answers: answers, formats: priced.map { [$0.column: .usd] } ?? [:])
        }
    }

    /// Routes a name reaches, resolved the one way every command resolves
    /// (`model_name` in schema.sql): a category key in every category that
    /// has it (or only `category`), a route, or every route of a model, each
    /// with its first category. With `preferred`, a name of a model gives only
    /// its preferred route (priority, then route key), as pricing needs one.
    /// Empty when the name is unknown; a name matching several models throws.
    public func lookup(_ name: String, category: String? = nil, preferred: Bool = false) throws -> [RouteMatch] {
        try read { db in
            let resolved = try NameResolver.resolve(name, category: category, in: SQLNameIndex(db))
            let categoryRows = resolved.rows.filter { $0.match == "category_key" && $0.routeKey != nil }
            // One key in several categories is the same name listed twice, not two guesses.
            if resolved.match == "category_key" || (resolved.ambiguous && !categoryRows.isEmpty) {
                return try categoryRows.compactMap { row in
                    guard let key = row.routeKey,
                          let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM route WHERE route_key = ?"),
                                                      arguments: [key]) else { return nil }
                    return RouteMatch(routeID: id, routeKey: key, category: row.category, key: row.name)
                }
            }
            guard let model = resolved.modelID else {
                if resolved.ambiguous { throw RegDBError.ambiguous(name: name, candidates: resolved.candidates) }
                return []
            }
            var keys = resolved.routeKeys
            if keys.isEmpty {
                keys = try SQLNameIndex(db).routeKeys(ofModel: model, provider: nil)
                guard !keys.isEmpty else { throw RegDBError.noRoute(model: model) }
            }
            if preferred { keys = Array(keys.prefix(1)) }
            return try keys.compactMap { key in
                try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT r.id, r.route_key, rc.category_id, rc.key FROM route r
                    LEFT JOIN route_category rc ON rc.route_id = r.id AND rc.category_id = (
                        SELECT category_id FROM route_category WHERE route_id = r.id AND (?2 IS NULL OR category_id = ?2)
                        ORDER BY category_id, position LIMIT 1)
                    WHERE r.route_key = ?1
                    """), arguments: [key, category]).map {
                    RouteMatch(routeID: $0["id"], routeKey: $0["route_key"], category: $0["category_id"], key: $0["key"])
                }
            }
        }
    }

    /// Like ``lookup(_:category:)``, but an unknown name is an error that
    /// offers the closest known names.
    public func find(_ name: String, category: String? = nil, preferred: Bool = false) throws -> [RouteMatch] {
        // An unknown category is an error, never ignored: `cost sora_2 --category bogus` would
        // otherwise price the name in whichever category it has.
        if let category {
            let known = try read { try String.fetchAll($0, sql: "SELECT id FROM category ORDER BY id") }
            if !known.contains(category) { throw RegDBError.unknownValue(kind: "category", value: category, known: known) }
        }
        let found = try lookup(name, category: category, preferred: preferred)
        if found.isEmpty { throw RegDBError.notFound(name: name, suggestions: try suggestions(for: name)) }
        return found
    }

    /// What `regdb get` shows for each match: the route document with the
    /// category key and the model's fields in front.
    public func details(_ matches: [RouteMatch]) throws -> [JSONValue] {
        try read { db in
            try matches.compactMap { match in
                guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT document FROM route_document WHERE route_id = ?"),
                                                     arguments: [match.routeID]),
                      case .object(let fields) = try JSONParser.parse(text) else { return nil }
                var f = Fields()
                f.text("category", match.category)
                f.text("key", match.key)
                for (name, value) in fields { f.set(name, value) }
                return f.object
            }
        }
    }

    /// Known names closest to `name`: keys, route keys and model ids. Unless
    /// `always`, only names close enough to be a likely typo.
    func suggestions(for name: String, limit: Int = 3, always: Bool = false) throws -> [String] {
        try read { db in try suggestions(for: name, db, limit: limit, always: always) }
    }

    /// Suggestions read on `db`; never the name itself.
    func suggestions(for name: String, _ db: Database, limit: Int = 3, always: Bool = false) throws -> [String] {
        let names = try String.fetchAll(db, sql: """
            SELECT key FROM route_category UNION SELECT route_key FROM route UNION SELECT id FROM model
            """)
        let loweredName = name.lowercased()
        let needle = Array(loweredName)
        let threshold = max(2, needle.count / 2)
        var scored: [(name: String, distance: Int)] = []
        for candidate in names {
            let lowered = candidate.lowercased()
            if lowered == loweredName { continue }
            let contains = lowered.contains(loweredName)
            let letters = Array(lowered)
            // The edit distance is at least the difference in length: most names need no comparing.
            if !always && !contains && abs(letters.count - needle.count) > threshold { continue }
            let distance = editDistance(needle, letters)
            if always || distance <= threshold || contains { scored.append((candidate, distance)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        return scored.prefix(limit).map(\.name)
    }
}

/// Levenshtein distance between two strings as character arrays.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
