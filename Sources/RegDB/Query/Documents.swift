import GRDB

/// Seed-shaped JSON documents of what the database holds: one per provider,
/// model and route, with the same field names as the seed format and empty
/// or unknown fields left out. `get` shows them, `check` compares them with
/// what the seeds produce, and they read back as seeds.
struct Documents {
    var providers: [(id: String, document: JSONValue)] = []
    var models: [(id: String, document: JSONValue)] = []
    /// Route key → document, in route id order.
    var routes: [(key: String, modelID: String, document: JSONValue)] = []

    /// Loads every document, or only those of `routeIDs` (and no providers or models).
    static func load(_ db: Database, routeIDs: [Int64]? = nil) throws -> Documents {
        var documents = Documents()
        let filter = routeIDs.map { JSONValue.array($0.map { .integer($0) }).jsonText }
        let routeWhere = filter == nil ? "" : "WHERE id IN (SELECT value FROM json_each(?))"
        let childWhere = filter == nil ? "" : "WHERE route_id IN (SELECT value FROM json_each(?))"
        let arguments: StatementArguments = filter.map { [$0] } ?? []

        if routeIDs == nil {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM provider ORDER BY id") {
                var fields = Fields()
                fields.text("id", row["id"]); fields.text("name", row["name"])
                fields.text("base_url", row["base_url"]); fields.text("auth", row["auth"])
                fields.json("env_vars", row["env_vars"], omitEmpty: true)
                fields.text("docs_url", row["docs_url"]); fields.text("endpoint_glob", row["endpoint_glob"])
                documents.providers.append((row["id"], fields.object))
            }
            let modelAliases = Dictionary(grouping: try Row.fetchAll(db, sql: """
                SELECT model_id, name FROM alias WHERE route_id IS NULL ORDER BY model_id, rowid
                """), by: { $0["model_id"] as String })
            for row in try Row.fetchAll(db, sql: "SELECT * FROM model ORDER BY id") {
                var fields = Fields()
                fields.text("id", row["id"]); fields.text("name", row["name"])
                fields.text("description", row["description"]); fields.text("family", row["family"])
                fields.text("status", row["status"]); fields.text("successor", row["successor_id"])
                fields.text("deprecation_date", row["deprecation_date"]); fields.text("generation", row["generation"])
                fields.integer("generation_rank", row["generation_rank"])
                fields.text("tier", row["tier"])
                if let aliases = modelAliases[row["id"]] { fields.set("aliases", .array(aliases.map { .string($0["name"]) })) }
                fields.json("scores", row["scores"], omitEmpty: true); fields.json("metadata", row["metadata"], omitEmpty: true)
                documents.models.append((row["id"], fields.object))
            }
        }

        // Children first, grouped by route id; each query is ordered so lists keep seed order.
        func grouped(_ sql: String) throws -> [Int64: [Row]] {
            Dictionary(grouping: try Row.fetchAll(db, sql: sql, arguments: arguments), by: { $0["route_id"] as Int64 })
        }
        let categories = try grouped("SELECT route_id, category_id, key FROM route_category \(childWhere) ORDER BY route_id, position")
        let durations = try grouped("SELECT route_id, seconds FROM route_duration \(childWhere) ORDER BY route_id, seconds")
        let aspects = try grouped("SELECT route_id, value FROM route_aspect_ratio \(childWhere) ORDER BY route_id, position")
        let resolutions = try grouped("SELECT route_id, value FROM route_resolution \(childWhere) ORDER BY route_id, position")
        let defaults = try grouped("SELECT route_id, name, value FROM route_default \(childWhere) ORDER BY route_id, position")
        let features = try grouped("SELECT route_id, feature FROM route_feature \(childWhere) ORDER BY route_id, position")
        let prices = try grouped("SELECT * FROM price \(childWhere) ORDER BY route_id, position")
        let multipliers = try grouped("SELECT route_id, variant, factor FROM price_multiplier \(childWhere) ORDER BY route_id, position")
        let aliases = try grouped("SELECT route_id, name FROM alias \(childWhere.isEmpty ? "WHERE" : childWhere + " AND") route_id IS NOT NULL ORDER BY route_id, rowid")

        for row in try Row.fetchAll(db, sql: "SELECT * FROM route \(routeWhere) ORDER BY id", arguments: arguments) {
            let id: Int64 = row["id"]
            var f = Fields()
            f.text("route", row["route_key"])
            f.text("name", row["name"]); f.text("provider_label", row["provider_label"]); f.text("endpoint", row["endpoint"])
            f.text("api", row["api"]); f.text("base_url", row["base_url"])
            if let rows = categories[id] {
                f.set("categories", .object(rows.map { ($0["category_id"], .string($0["key"])) }))
            }
            if let rows = prices[id] {
                f.set("pricing", .array(rows.map { price in
                    var p = Fields()
                    p.text("unit", price["unit"]); p.text("variant", price["variant"])
                    p.set("usd", (price["usd"] as Double?).map(JSONValue.number) ?? .null)
                    if let per: Int64 = price["per"], per != 1 { p.set("per", .integer(per)) }
                    if let above: Double = price["above"] { p.set("above", .number(above)) }
                    p.text("above_unit", price["above_unit"]); p.text("above_bills", price["above_bills"])
                    p.text("valid_from", price["valid_from"]); p.text("valid_until", price["valid_until"])
                    p.text("one_of", price["one_of"])
                    p.text("note", price["note"])
                    if let url: String = price["checked_url"], let date: String = price["checked_on"] {
                        p.set("checked", .object([("url", .string(url)), ("date", .string(date))]))
                    }
                    return p.object
                }))
            }
            if let rows = multipliers[id] {
                f.set("multipliers", .object(rows.map { ($0["variant"], .number($0["factor"])) }))
            }
            f.integer("context_window", row["context_window"]); f.integer("max_output_tokens", row["max_output_tokens"])
            if let rows = durations[id] { f.set("durations", .array(rows.map { .integer($0["seconds"]) })) }
            f.integer("max_duration", row["max_duration"])
            if let rows = aspects[id] { f.set("aspect_ratios", .array(rows.map { .string($0["value"]) })) }
            if let rows = resolutions[id] { f.set("resolutions", .array(rows.map { .string($0["value"]) })) }
            if let rows = defaults[id] {
                f.set("defaults", .object(rows.map { ($0["name"], (try? JSONParser.parse($0["value"] as String)) ?? .null) }))
            }
            if let rows = features[id] { f.set("features", .array(rows.map { .string($0["feature"]) })) }
            if let reasoning: Int64 = row["reasoning"] { f.set("reasoning", .bool(reasoning != 0)) }
            f.json("input_modalities", row["input_modalities"], omitEmpty: false)
            for column in ["capabilities", "extended_params", "extended_features", "input_requirements", "info"] {
                f.json(column, row[column], omitEmpty: true)
            }
            if let estimate: Double = row["cost_estimate_usd"] { f.set("cost_estimate_usd", .number(estimate)) }
            f.integer("processing_time_s", row["processing_time_s"])
            f.json("metadata", row["metadata"], omitEmpty: true)
            f.integer("priority", row["priority"])
            if let rows = aliases[id] { f.set("aliases", .array(rows.map { .string($0["name"]) })) }
            if let available: Int64 = row["available"] { f.set("available", .bool(available != 0)) }
            documents.routes.append((row["route_key"], row["model_id"], f.object))
        }
        return documents
    }
}
