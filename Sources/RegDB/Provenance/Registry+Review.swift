import Foundation
import GRDB

extension Registry {
    /// What a person should act on, most dollars first:
    ///
    /// - with `since` (a registry of before): what changed, route by route: prices changed
    ///   (ranked by the dollars on a typical call), added and removed, then routes added and removed;
    /// - `disagrees`: a reviewed (builtin) price that a catalog source gives otherwise, ranked
    ///   by the dollars the difference makes on a typical call (as `diff` ranks); the detail
    ///   says `stale seed?` when two or more catalogs agree on another value;
    /// - `deprecated`: a model whose deprecation date has passed or falls within 30 days of
    ///   `asOf`, with the categories that still list its routes;
    /// - `stale`: a seed price checked more than `staleAfterDays` before `asOf`;
    /// - `unverified`: a seed price no published page confirms (its note says where it came from).
    ///
    /// Unpublished (null) and free (0) prices have no page to check and are not listed.
    public func review(staleAfterDays: Int = 90, asOf: String? = nil, since earlier: Registry? = nil) throws -> ResultTable {
        let day = asOf ?? String(PriceDate.stored(UTCTime.now()).prefix(10))
        var rows: [[JSONValue]] = []
        if let earlier { rows += try changes(since: earlier) }
        let kinds = try read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT name, kind FROM source").map { ($0["name"] as String, $0["kind"] as String) },
                       uniquingKeysWith: { a, _ in a })
        }
        // Seeds against catalogs.
        for group in try diffGroups(byRoute: true) where group.field.hasPrefix("pricing.") {
            let seed = group.values.first { value in value.sources.contains { kinds[$0.source] == "builtin" } }
            guard let seed else { continue }
            let catalogs = group.values.filter { value in
                value.value != seed.value && value.sources.contains { kinds[$0.source] == "catalog" }
            }
            guard !catalogs.isEmpty else { continue }
            let route = group.model
            let others = catalogs.map { value in
                "\(Registry.plain(value.value)) by \(uniqued(value.sources.filter { kinds[$0.source] == "catalog" }.map(\.source)).joined(separator: ", "))"
            }.joined(separator: "; ")
            let largest = catalogs.map { Set($0.sources.filter { kinds[$0.source] == "catalog" }.map(\.source)).count }.max() ?? 0
            rows.append([.string("disagrees"), .string(route), .string(group.field), .number(seed.value),
                         .string("catalogs say \(others)" + (largest >= 2 ? " (stale seed? \(largest) catalogs agree)" : "")),
                         .number(group.typicalUSD), .null, .null])
        }
        try read { db in
            // Deprecations past or within 30 days, with what still lists the model.
            for row in try Row.fetchAll(db, sql: """
                SELECT m.id, m.deprecation_date, m.status,
                       (SELECT group_concat(DISTINCT rc.category_id || '/' || rc.key) FROM route r JOIN route_category rc ON rc.route_id = r.id
                        WHERE r.model_id = m.id) AS listed,
                       (SELECT min(r.route_key) FROM route r WHERE r.model_id = m.id) AS route
                FROM model m
                WHERE m.deprecation_date IS NOT NULL AND julianday(m.deprecation_date) - julianday(?) <= 30
                ORDER BY m.deprecation_date, m.id
                """, arguments: [day]) {
                let date: String = row["deprecation_date"]
                let passed = date < day
                let listed = (row["listed"] as String?).map { "; still listed in \($0)" } ?? ""
                rows.append([.string("deprecated"), .string((row["route"] as String?) ?? (row["id"] as String)), .string("deprecation_date"),
                             .string(date), .string("model \(row["id"] as String) \(passed ? "was deprecated on" : "is deprecated on") \(date) (status \(row["status"] as String))\(listed)"),
                             .null, .null, .null])
            }
            // Routes of seeded models that a source (a catalog's deprecation_date) says go away.
            for row in try Row.fetchAll(db, sql: """
                SELECT r.route_key, r.model_id, json_extract(r.metadata, '$.deprecation_date') AS date,
                       (SELECT group_concat(DISTINCT rc.category_id || '/' || rc.key) FROM route_category rc WHERE rc.route_id = r.id) AS listed
                FROM route r
                WHERE json_type(r.metadata, '$.deprecation_date') = 'text'
                  AND julianday(json_extract(r.metadata, '$.deprecation_date')) - julianday(?1) <= 30
                  AND (EXISTS (SELECT 1 FROM claim c JOIN source s ON s.id = c.source_id
                               WHERE c.entity = 'route' AND c.entity_id = r.route_key AND s.kind = 'builtin')
                       OR EXISTS (SELECT 1 FROM claim c JOIN source s ON s.id = c.source_id
                                  WHERE c.entity = 'model' AND c.entity_id = r.model_id AND s.kind = 'builtin'))
                ORDER BY date, r.route_key
                """, arguments: [day]) {
                let date: String = row["date"]
                let listed = (row["listed"] as String?).map { "; still listed in \($0)" } ?? ""
                rows.append([.string("deprecated"), .string(row["route_key"]), .string("deprecation_date"), .string(date),
                             .string("route of seeded model \(row["model_id"] as String) \(date < day ? "was deprecated on" : "is deprecated on") \(date) (a source's deprecation_date)\(listed)"),
                             .null, .null, .null])
            }
            // Seed prices stale or never checked.
            for row in try Row.fetchAll(db, sql: """
                SELECT r.route_key, p.unit, p.variant, p.above, p.usd, p.checked_on, p.checked_url, p.note,
                       CAST(julianday(?2) - julianday(p.checked_on) AS INTEGER) AS age
                FROM price p JOIN route r ON r.id = p.route_id
                WHERE p.usd IS NOT NULL AND p.usd > 0
                  AND EXISTS (SELECT 1 FROM claim c JOIN source s ON s.id = c.source_id
                              WHERE c.entity = 'route' AND c.entity_id = r.route_key AND s.kind = 'builtin')
                  AND (p.checked_on IS NULL OR julianday(?2) - julianday(p.checked_on) > ?1)
                ORDER BY p.checked_on IS NULL, r.route_key, p.position
                """, arguments: [staleAfterDays, day]) {
                var field = "pricing." + (row["unit"] as String)
                if let variant = row["variant"] as String? { field += "." + variant }
                if let above = row["above"] as Double? { field += ".above_" + Registry.plain(above) }
                let checked = row["checked_on"] as String?
                let age: Int64 = row["age"] ?? 0
                let url: String = row["checked_url"] ?? "its page"
                let detail = checked == nil ? "unverified" : "checked \(age) days ago against \(url)"
                rows.append([.string(checked == nil ? "unverified" : "stale"), .string(row["route_key"]), .string(field), .number(row["usd"]),
                             .string(detail), .null, checked.map(JSONValue.string) ?? .null,
                             (row["note"] as String?).map(JSONValue.string) ?? .null])
            }
        }
        return ResultTable(columns: ["kind", "route_key", "field", "value", "detail", "typical_usd", "checked_on", "note"],
                           rows: rows, answers: ["kind", "route_key", "field", "detail"], formats: ["typical_usd": .usd])
    }

    /// What changed since `earlier` (a registry of before): routes added and removed, and every
    /// price in force that is new, gone or different, route by route, the price changes ranked
    /// by the dollars they make on a typical call.
    func changes(since earlier: Registry) throws -> [[JSONValue]] {
        struct Snapshot {
            var routes: [String: String] = [:]      // route key → model
            var prices: [String: Double] = [:]      // route key + field → USD per unit (per 1M for tokens)
            var measures: [String: String] = [:]    // route key + field → the unit's measure
        }
        func snapshot(_ registry: Registry) throws -> Snapshot {
            try registry.read { db in
                var snapshot = Snapshot()
                for row in try Row.fetchAll(db, sql: "SELECT route_key, model_id FROM route") {
                    snapshot.routes[row["route_key"]] = row["model_id"]
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT r.route_key, p.unit, p.variant, p.above, p.usd, p.per, u.measure
                    FROM current_price p JOIN route r ON r.id = p.route_id JOIN unit u ON u.id = p.unit WHERE p.usd IS NOT NULL
                    """) {
                    let unit: String = row["unit"]
                    var field = "pricing." + unit
                    if let variant = row["variant"] as String? { field += "." + variant }
                    if let above = row["above"] as Double? { field += ".above_" + Registry.plain(above) }
                    let per: Int64 = row["per"]
                    let scale: Double = unit.hasSuffix("_token") ? 1_000_000 : 1
                    let key = (row["route_key"] as String) + "\u{0}" + field
                    snapshot.prices[key] = (row["usd"] as Double) * scale / Double(max(per, 1))
                    snapshot.measures[key] = row["measure"]
                }
                return snapshot
            }
        }
        let (now, before) = (try snapshot(self), try snapshot(earlier))
        var rows: [(typical: Double, row: [JSONValue])] = []
        for (key, value) in now.prices {
            let parts = key.split(separator: "\u{0}").map(String.init)
            guard let old = before.prices[key] else {
                if before.routes[parts[0]] != nil { rows.append((0, [.string("price-added"), .string(parts[0]), .string(parts[1]), .number(value), .string("new price"), .null, .null, .null])) }
                continue
            }
            guard significantDifference(old, value) else { continue }
            let quantity = Registry.typicalCall[now.measures[key] ?? ""] ?? 1
            let scale: Double = parts[1].hasPrefix("pricing.") && parts[1].contains("_token") ? 1_000_000 : 1
            let typical = abs(value - old) * quantity / scale
            rows.append((typical, [.string("price-changed"), .string(parts[0]), .string(parts[1]), .number(value),
                                   .string("was \(Registry.plain(old))"), .number(typical), .null, .null]))
        }
        for (key, value) in before.prices where now.prices[key] == nil {
            let parts = key.split(separator: "\u{0}").map(String.init)
            guard now.routes[parts[0]] != nil else { continue }
            rows.append((0, [.string("price-removed"), .string(parts[0]), .string(parts[1]), .number(value), .string("no longer priced"), .null, .null, .null]))
        }
        for (route, model) in now.routes where before.routes[route] == nil {
            rows.append((0, [.string("route-added"), .string(route), .string("model"), .string(model), .string("new route"), .null, .null, .null]))
        }
        for (route, model) in before.routes where now.routes[route] == nil {
            rows.append((0, [.string("route-removed"), .string(route), .string("model"), .string(model), .string("route gone"), .null, .null, .null]))
        }
        let order = ["price-changed", "price-added", "price-removed", "route-added", "route-removed"]
        return rows.sorted { a, b in
            let (x, y) = (order.firstIndex(of: a.row[0].stringValue ?? "") ?? 9, order.firstIndex(of: b.row[0].stringValue ?? "") ?? 9)
            if x != y { return x < y }
            if a.typical != b.typical { return a.typical > b.typical }
            let (p, q) = ((a.row[1].stringValue ?? "") + (a.row[2].stringValue ?? ""), (b.row[1].stringValue ?? "") + (b.row[2].stringValue ?? ""))
            return Array(p.utf8).lexicographicallyPrecedes(Array(q.utf8))
        }.map(\.row)
    }

    private func significantDifference(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) > 1e-12 * max(abs(a), abs(b), 1e-300)
    }

    /// 2.5, 200000: a number as people write it.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 9e15 ? String(Int64(value)) : String(value)
    }
}

extension ResultTable {
    /// The review as a pull-request body: a section per kind, each a Markdown table.
    public func reviewMarkdown(title: String) -> String {
        let titles = ["price-changed": "Prices changed", "price-added": "Prices added", "price-removed": "Prices removed",
                      "route-added": "Routes added", "route-removed": "Routes removed",
                      "disagrees": "Seed prices a catalog gives otherwise", "deprecated": "Deprecations",
                      "stale": "Prices checked too long ago", "unverified": "Unverified prices"]
        var out = "# \(title)\n"
        if rows.isEmpty { return out + "\nNothing to act on.\n" }
        func cell(_ value: JSONValue) -> String {
            let text: String
            switch value {
            case .null: text = ""
            case .string(let s): text = s
            default: text = value.jsonText
            }
            return text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        for kind in ["price-changed", "price-added", "price-removed", "route-added", "route-removed",
                     "disagrees", "deprecated", "stale", "unverified"] {
            let section = rows.filter { $0.first == .string(kind) }
            guard !section.isEmpty else { continue }
            let shown = kind == "disagrees" || kind == "price-changed" ? ["route_key", "field", "value", "detail", "typical_usd"]
                : kind.hasPrefix("route-") ? ["route_key", "value", "detail"]
                : kind == "deprecated" ? ["route_key", "value", "detail"] : ["route_key", "field", "value", "detail", "note"]
            let indexes = shown.compactMap { columns.firstIndex(of: $0) }
            out += "\n## \(titles[kind] ?? kind) (\(section.count))\n\n"
            out += "| " + shown.joined(separator: " | ") + " |\n"
            out += "|" + String(repeating: "---|", count: shown.count) + "\n"
            for row in section {
                out += "| " + indexes.map { cell(row[$0]) }.joined(separator: " | ") + " |\n"
            }
        }
        return out
    }
}
