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
                    case priced?.column:
                        // A price scaled past what Decimal holds (1e300 per token, per 1e15 tokens) is shown
                        // as SQLite computed it, or null when that is infinite: never a trap in Decimal(_:).
                        let price = row["price"] as Double? ?? 0
                        return abs(price) < 1e120 ? Money.number(Decimal(price)) : price.isFinite ? .number(price) : .null
                    default: return JSONValue(databaseValue: row[column] as DatabaseValue)
                    }
                }
            }, answers: answers, formats: priced.map { [$0.column: .usd] } ?? [:])
        }
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
}
