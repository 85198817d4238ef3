import GRDB

/// A route and the tables that hang off it, described once: for every column,
/// the seed field it holds, how a seed route fills it and how it reads back into
/// a seed document. The importer writes through it, and `get`, `check`'s drift
/// and `export seeds` read through it.
///
/// Adding a route field is a column in schema.sql, a property in the seed
/// schema and `SeedReader`, and one line here (`RouteRowsTests` says which is missing).
enum RouteRows {
    /// How a column's value reads back into a seed document.
    enum Kind {
        case text, integer, number, bool
        /// JSON text; `omitEmpty` leaves out `{}` and `[]`.
        case json(omitEmpty: Bool)
    }

    /// A column of `route` that one seed field fills.
    struct Column {
        let name: String
        let kind: Kind
        let value: @Sendable (SeedRoute) -> DatabaseValue
    }

    /// A table of rows that hang off a route, one seed field's worth.
    struct Child {
        let table: String
        /// The seed field its rows come from.
        let field: String
        /// Every column inserted, `route_id` among them.
        let columns: [String]
        /// The rows of a route whose id is given, in seed order.
        let rows: @Sendable (SeedRoute, DatabaseValue) -> [[DatabaseValue]]
        /// Where the n-th row was said: a field below `field` (`categories.text_to_video`) and
        /// an index into a list, for error locations.
        let locate: @Sendable (SeedRoute, Int) -> (field: String, index: Int?)
        /// Rule → field for refusals about one field of a row (`price-negative` → `usd`).
        let refine: [String: String]
        /// Reading back: the query's ordering and the document value of one route's rows.
        let readOrder: String
        let readFilter: String
        let document: @Sendable ([Row]) -> JSONValue
    }

    /// Either, in the order a route's seed document lists its fields.
    enum Field {
        case column(Column)
        case child(Child)
        /// A column written but left out of the document `get` shows and `check` compares
        /// (how and when a context window was learned); `export seeds` asks for it.
        case bookkeeping(Column)
    }

    private static func v<T: DatabaseValueConvertible>(_ value: T?) -> DatabaseValue { value?.databaseValue ?? .null }
    private static func flag(_ value: Bool?) -> DatabaseValue { value.map { ($0 ? 1 : 0).databaseValue } ?? .null }

    /// Every field, in seed document order.
    static let fields: [Field] = [
        .column(Column(name: "name", kind: .text) { v($0.name) }),
        .column(Column(name: "provider_label", kind: .text) { v($0.providerLabel) }),
        .column(Column(name: "endpoint", kind: .text) { v($0.endpoint) }),
        .column(Column(name: "api", kind: .text) { v($0.api) }),
        .column(Column(name: "base_url", kind: .text) { v($0.baseURL) }),
        .child(Child(table: "route_category", field: "categories", columns: ["route_id", "category_id", "key", "position"],
                     rows: { r, id in r.categories.enumerated().map { [id, v($1.category), v($1.key), v($0)] } },
                     locate: { r, i in ("categories." + r.categories[i].category, nil) }, refine: [:],
                     readOrder: "position", readFilter: "",
                     document: { .object($0.map { ($0["category_id"], .string($0["key"])) }) })),
        .child(Child(table: "price", field: "pricing", columns: SeedPrice.columns,
                     rows: { r, id in r.pricing.enumerated().map { $1.databaseValues(routeID: id, position: $0) } },
                     locate: { r, i in (r.pricing[i].field, nil) }, refine: ["price-negative": "usd", "unknown-unit": "unit", "zero-price": "usd"],
                     readOrder: "position", readFilter: "",
                     document: { .array($0.map(SeedPrice.document)) })),
        .child(Child(table: "price_multiplier", field: "multipliers", columns: ["route_id", "variant", "factor", "position"],
                     rows: { r, id in r.multipliers.enumerated().map { [id, v($1.variant), v($1.factor), v($0)] } },
                     locate: { r, i in ("multipliers." + r.multipliers[i].variant, nil) }, refine: [:],
                     readOrder: "position", readFilter: "",
                     document: { .object($0.map { ($0["variant"], .number($0["factor"])) }) })),
        .column(Column(name: "context_window", kind: .integer) { v($0.contextWindow) }),
        .bookkeeping(Column(name: "context_window_source", kind: .text) { v($0.contextWindowSource) }),
        .bookkeeping(Column(name: "context_window_observed_at", kind: .text) { v($0.contextWindowObservedAt) }),
        .column(Column(name: "max_output_tokens", kind: .integer) { v($0.maxOutputTokens) }),
        .child(Child(table: "route_duration", field: "durations", columns: ["route_id", "seconds"],
                     rows: { r, id in r.durations.map { [id, v($0)] } },
                     locate: { _, i in ("durations", i) }, refine: [:], readOrder: "seconds", readFilter: "",
                     document: { .array($0.map { .integer($0["seconds"]) }) })),
        .column(Column(name: "max_duration", kind: .integer) { v($0.maxDuration) }),
        .child(Child(table: "route_aspect_ratio", field: "aspect_ratios", columns: ["route_id", "value", "position"],
                     rows: { r, id in r.aspectRatios.enumerated().map { [id, v($1), v($0)] } },
                     locate: { _, i in ("aspect_ratios", i) }, refine: [:], readOrder: "position", readFilter: "",
                     document: { .array($0.map { .string($0["value"]) }) })),
        .child(Child(table: "route_resolution", field: "resolutions", columns: ["route_id", "value", "position"],
                     rows: { r, id in r.resolutions.enumerated().map { [id, v($1), v($0)] } },
                     locate: { _, i in ("resolutions", i) }, refine: [:], readOrder: "position", readFilter: "",
                     document: { .array($0.map { .string($0["value"]) }) })),
        .child(Child(table: "route_default", field: "defaults", columns: ["route_id", "name", "value", "position"],
                     rows: { r, id in r.defaults.enumerated().map { [id, v($1.name), v($1.value.jsonText), v($0)] } },
                     locate: { r, i in ("defaults." + r.defaults[i].name, nil) }, refine: [:], readOrder: "position", readFilter: "",
                     document: { .object($0.map { ($0["name"], (try? JSONParser.parse($0["value"] as String)) ?? .null) }) })),
        .child(Child(table: "route_feature", field: "features", columns: ["route_id", "feature", "position"],
                     rows: { r, id in r.features.enumerated().map { [id, v($1), v($0)] } },
                     locate: { _, i in ("features", i) }, refine: [:], readOrder: "position", readFilter: "",
                     document: { .array($0.map { .string($0["feature"]) }) })),
        .column(Column(name: "reasoning", kind: .bool) { flag($0.reasoning) }),
        .column(Column(name: "first_party", kind: .bool) { flag($0.firstParty) }),
        .column(Column(name: "input_modalities", kind: .json(omitEmpty: false)) { v($0.inputModalities?.jsonText) }),
        .column(Column(name: "capabilities", kind: .json(omitEmpty: true)) { v($0.capabilities.jsonText) }),
        .column(Column(name: "extended_params", kind: .json(omitEmpty: true)) { v($0.extendedParams.jsonText) }),
        .column(Column(name: "extended_features", kind: .json(omitEmpty: true)) { v($0.extendedFeatures.jsonText) }),
        .column(Column(name: "input_requirements", kind: .json(omitEmpty: true)) { v($0.inputRequirements.jsonText) }),
        .column(Column(name: "info", kind: .json(omitEmpty: true)) { v($0.info.jsonText) }),
        .column(Column(name: "cost_estimate_usd", kind: .number) { v($0.costEstimateUSD) }),
        .column(Column(name: "processing_time_s", kind: .integer) { v($0.processingTimeS) }),
        .column(Column(name: "metadata", kind: .json(omitEmpty: true)) { v($0.metadata.jsonText) }),
        .column(Column(name: "priority", kind: .integer) { v($0.priority) }),
        .child(Child(table: "alias", field: "aliases", columns: ["name", "model_id", "route_id"],
                     rows: { r, id in r.aliases.map { [v($0), v(r.modelID), id] } },
                     locate: { _, i in ("aliases", i) }, refine: [:], readOrder: "rowid", readFilter: "route_id IS NOT NULL",
                     document: { .array($0.map { .string($0["name"]) }) })),
        .column(Column(name: "available", kind: .bool) { flag($0.available) }),
    ]

    /// The `route` columns a seed route fills, in `fields` order.
    static let columns: [Column] = fields.compactMap {
        switch $0 {
        case .column(let column), .bookkeeping(let column): return column
        case .child: return nil
        }
    }

    static let children: [Child] = fields.compactMap { if case .child(let child) = $0 { return child } else { return nil } }

    /// The route's seed document from its row and its children's rows (by table), as `get`
    /// shows it; with `bookkeeping`, as `export seeds` writes it.
    static func document(route row: Row, children: [String: [Row]], bookkeeping: Bool = false) -> JSONValue {
        var document = Fields()
        document.text("route", row["route_key"])
        for field in fields {
            switch field {
            case .column(let column), .bookkeeping(let column):
                if case .bookkeeping = field, !bookkeeping { continue }
                switch column.kind {
                case .text: document.text(column.name, row[column.name])
                case .integer: document.integer(column.name, row[column.name])
                case .number: if let value: Double = row[column.name] { document.set(column.name, .number(value)) }
                case .bool: if let value: Int64 = row[column.name] { document.set(column.name, .bool(value != 0)) }
                case .json(let omitEmpty): document.json(column.name, row[column.name], omitEmpty: omitEmpty)
                }
            case .child(let child):
                if let rows = children[child.table], !rows.isEmpty { document.set(child.field, child.document(rows)) }
            }
        }
        return document.object
    }
}

extension SeedPrice {
    /// The `price` columns a seed row fills, in the order of `databaseValues`.
    static let columns = ["route_id", "unit", "variant", "usd", "per", "above", "above_unit", "above_bills",
                          "valid_from", "valid_until", "window", "one_of", "note", "free", "checked_url", "checked_on", "position"]

    func databaseValues(routeID: DatabaseValue, position: Int) -> [DatabaseValue] {
        func v<T: DatabaseValueConvertible>(_ value: T?) -> DatabaseValue { value?.databaseValue ?? .null }
        return [routeID, v(unit), v(variant), v(usd), v(per), v(above), v(aboveUnit), v(aboveBills), v(validFrom),
                v(validUntil), v(window?.jsonText), v(oneOf), v(note), v(free ? 1 : 0), v(checkedURL), v(checkedOn), v(position)]
    }

    /// The field a claim keys this price row by (`pricing.second.audio`), for error locations.
    var field: String {
        var row = Fields()
        row.set("unit", .string(unit))
        row.text("variant", variant)
        if let above { row.set("above", .number(above)) }
        return Claims.priceField(row.object)
    }

    /// A price row as a seed writes it.
    static func document(_ price: Row) -> JSONValue {
        var p = Fields()
        p.text("unit", price["unit"]); p.text("variant", price["variant"])
        p.set("usd", (price["usd"] as Double?).map(JSONValue.number) ?? .null)
        if let per: Int64 = price["per"], per != 1 { p.set("per", .integer(per)) }
        if let above: Double = price["above"] { p.set("above", .number(above)) }
        p.text("above_unit", price["above_unit"]); p.text("above_bills", price["above_bills"])
        p.text("valid_from", price["valid_from"]); p.text("valid_until", price["valid_until"])
        if let window: String = price["window"], let value = try? JSONParser.parse(window) { p.set("window", value) }
        p.text("one_of", price["one_of"])
        p.text("note", price["note"])
        if let free: Int64 = price["free"], free == 1 { p.set("free", .bool(true)) }
        if let url: String = price["checked_url"], let date: String = price["checked_on"] {
            p.set("checked", .object([("url", .string(url)), ("date", .string(date))]))
        }
        return p.object
    }
}
