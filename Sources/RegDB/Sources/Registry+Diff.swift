import Foundation
import GRDB

extension Registry {
    /// Claim fields `diff` compares, in the order it lists them for equal differences.
    static let diffFields = ["pricing.input_token", "pricing.output_token", "context_window", "max_output_tokens"]

    /// Where sources disagree about one canonical model: for every pair of
    /// claims from two different sources on routes of the same model
    /// (route.model_id), the values of the base input and output token prices
    /// (normalized to USD per million tokens, whatever `per` each source
    /// used), the context window and the output limit, where they differ.
    ///
    /// Claims, not the catalog, are read: a claim keeps each source's own value
    /// even where another source's wins, which is the point of a diff. Pairs
    /// of one source are left out (one catalog pricing a model differently on
    /// two providers is not a disagreement), and so are unpublished (null)
    /// prices. `relative_difference` is |a − b| / max(|a|, |b|); rows come
    /// largest difference first, then by canonical id, field, sources and
    /// routes. `minimum` keeps only differences of at least that fraction
    /// (0 keeps every difference).
    public func diff(minimum: Double = 0) throws -> ResultTable {
        // Each route claim's four values, cut out of its object.
        var claims: [(model: String, field: String, source: String, route: String, value: Double?)] = []
        try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT r.model_id, s.name, c.entity_id, c.value
                FROM claim c JOIN source s ON s.id = c.source_id JOIN route r ON r.route_key = c.entity_id
                WHERE c.entity = 'route'
                """)
            while let row = try rows.next() {
                let model: String = row[0], source: String = row[1], route: String = row[2]
                guard let value = try? JSONParser.parse(row[3] as String) else { continue }
                var said: [String: Double?] = [:]
                for field in ["context_window", "max_output_tokens"] {
                    if let number = value[field], number != .null { said[field] = number.doubleValue }
                }
                if case .array(let prices)? = value["pricing"] {
                    for price in prices {
                        let field = Claims.priceField(price)
                        guard field == "pricing.input_token" || field == "pricing.output_token" else { continue }
                        let per = price["per"].flatMap { $0 == .null ? nil : $0 }
                        if let usd = price["usd"]?.doubleValue, per == nil || per?.doubleValue != nil {
                            said[field] = usd * 1_000_000.0 / (per?.doubleValue ?? 1)
                        } else {
                            said[field] = .some(nil)
                        }
                    }
                }
                for (field, number) in said { claims.append((model, field, source, route, number)) }
            }
        }
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        claims.sort { x, y in
            for (a, b) in [(x.model, y.model), (x.field, y.field), (x.source, y.source), (x.route, y.route)] where a != b {
                return bytes(a).lexicographicallyPrecedes(bytes(b))
            }
            return false
        }
        struct Said {
            var source: String
            var route: String
            var value: Double
        }
        struct Disagreement {
            var canonicalID: String
            var field: String
            var a: Said
            var b: Said
            var relative: Double
        }
        var found: [Disagreement] = []
        var group: [Said] = []
        var groupKey: (model: String, field: String)?
        func flush() {
            guard let key = groupKey else { return }
            for i in group.indices {
                for j in group.indices where j > i && group[i].source != group[j].source {
                    let (a, b) = (group[i].value, group[j].value)
                    let scale = max(abs(a), abs(b))
                    guard scale > 0, a != b else { continue }
                    let relative = significant(abs(a - b) / scale)
                    if relative > 0 && relative >= minimum {
                        found.append(Disagreement(canonicalID: key.model, field: key.field, a: group[i], b: group[j], relative: relative))
                    }
                }
            }
        }
        for claim in claims {
            if groupKey?.model != claim.model || groupKey?.field != claim.field {
                flush()
                group = []
                groupKey = (claim.model, claim.field)
            }
            guard let value = claim.value, value.isFinite else { continue }
            group.append(Said(source: claim.source, route: claim.route, value: significant(value)))
        }
        flush()
        let fieldOrder = Dictionary(uniqueKeysWithValues: Registry.diffFields.enumerated().map { ($1, $0) })
        found.sort { x, y in
            if x.relative != y.relative { return x.relative > y.relative }
            if x.canonicalID != y.canonicalID { return x.canonicalID < y.canonicalID }
            if x.field != y.field { return (fieldOrder[x.field] ?? 0) < (fieldOrder[y.field] ?? 0) }
            return (x.a.source, x.a.route, x.b.source, x.b.route) < (y.a.source, y.a.route, y.b.source, y.b.route)
        }
        func number(_ value: Double) -> JSONValue {
            value == value.rounded() && abs(value) < 9e15 ? .integer(Int64(value)) : .number(value)
        }
        return ResultTable(
            columns: ["canonical_id", "field", "source_a", "route_a", "value_a", "source_b", "route_b", "value_b",
                      "relative_difference"],
            rows: found.map { d in
                [.string(d.canonicalID), .string(d.field), .string(d.a.source), .string(d.a.route), number(d.a.value),
                 .string(d.b.source), .string(d.b.route), number(d.b.value), .number(d.relative)]
            })
    }
}

/// `value` to 12 significant digits, so that 2.5e-06 × 1e6 reads 2.5 and float
/// noise never shows up as a difference.
private func significant(_ value: Double) -> Double {
    guard value != 0, value.isFinite else { return value }
    return Double(String(format: "%.12g", value)) ?? value
}
