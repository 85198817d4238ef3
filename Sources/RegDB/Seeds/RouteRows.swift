import GRDB

/// A route and the tables that hang off it, described once for writing: for every
/// column, the seed field it holds and how a seed route fills it. The importer writes
/// through it. Reading is the schema's: the `route_document` view gathers a route as
/// `get`, `check`'s drift and `export seeds` show it, for every client alike.
///
/// Adding a route field is a column in schema.sql and an arm of its `route_field` view,
/// a property in the seed schema and `SeedReader`, and one line here (`RouteRowsTests`
/// says which is missing).
enum RouteRows {
    /// A column of `route` that one seed field fills.
    struct Column {
        let name: String
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
    }

    /// Either, in the order a route's seed document lists its fields.
    enum Field {
        case column(Column)
        case child(Child)
        /// How and when a context window was learned: `route_document` shows it only in its
        /// `seed` column, the one `export seeds` writes.
        case bookkeeping(Column)
    }

    private static func v<T: DatabaseValueConvertible>(_ value: T?) -> DatabaseValue { value?.databaseValue ?? .null }
    private static func flag(_ value: Bool?) -> DatabaseValue { value.map { ($0 ? 1 : 0).databaseValue } ?? .null }

    /// Every field, in seed document order.
    static let fields: [Field] = [
        .column(Column(name: "name") { v($0.name) }),
        .column(Column(name: "provider_label") { v($0.providerLabel) }),
        .column(Column(name: "endpoint") { v($0.endpoint) }),
        .column(Column(name: "api") { v($0.api) }),
        .column(Column(name: "base_url") { v($0.baseURL) }),
        .child(Child(table: "route_category", field: "categories", columns: ["route_id", "category_id", "key", "position"],
                     rows: { r, id in r.categories.enumerated().map { [id, v($1.category), v($1.key), v($0)] } },
                     locate: { r, i in ("categories." + r.categories[i].category, nil) }, refine: [:])),
        .child(Child(table: "price", field: "pricing", columns: SeedPrice.columns,
                     rows: { r, id in r.pricing.enumerated().map { $1.databaseValues(routeID: id, position: $0) } },
                     locate: { r, i in (r.pricing[i].field, nil) }, refine: ["price-negative": "usd", "unknown-unit": "unit", "zero-price": "usd"])),
        .child(Child(table: "price_multiplier", field: "multipliers", columns: ["route_id", "variant", "factor", "position"],
                     rows: { r, id in r.multipliers.enumerated().map { [id, v($1.variant), v($1.factor), v($0)] } },
                     locate: { r, i in ("multipliers." + r.multipliers[i].variant, nil) }, refine: [:])),
        .column(Column(name: "context_window") { v($0.contextWindow) }),
        .bookkeeping(Column(name: "context_window_source") { v($0.contextWindowSource) }),
        .bookkeeping(Column(name: "context_window_observed_at") { v($0.contextWindowObservedAt) }),
        .column(Column(name: "max_output_tokens") { v($0.maxOutputTokens) }),
        .child(Child(table: "route_duration", field: "durations", columns: ["route_id", "seconds"],
                     rows: { r, id in r.durations.map { [id, v($0)] } },
                     locate: { _, i in ("durations", i) }, refine: [:])),
        .column(Column(name: "max_duration") { v($0.maxDuration) }),
        .child(Child(table: "route_aspect_ratio", field: "aspect_ratios", columns: ["route_id", "value", "position"],
                     rows: { r, id in r.aspectRatios.enumerated().map { [id, v($1), v($0)] } },
                     locate: { _, i in ("aspect_ratios", i) }, refine: [:])),
        .child(Child(table: "route_resolution", field: "resolutions", columns: ["route_id", "value", "position"],
                     rows: { r, id in r.resolutions.enumerated().map { [id, v($1), v($0)] } },
                     locate: { _, i in ("resolutions", i) }, refine: [:])),
        .child(Child(table: "route_default", field: "defaults", columns: ["route_id", "name", "value", "position"],
                     rows: { r, id in r.defaults.enumerated().map { [id, v($1.name), v($1.value.jsonText), v($0)] } },
                     locate: { r, i in ("defaults." + r.defaults[i].name, nil) }, refine: [:])),
        .child(Child(table: "route_feature", field: "features", columns: ["route_id", "feature", "position"],
                     rows: { r, id in r.features.enumerated().map { [id, v($1), v($0)] } },
                     locate: { _, i in ("features", i) }, refine: [:])),
        .column(Column(name: "reasoning") { flag($0.reasoning) }),
        .column(Column(name: "first_party") { flag($0.firstParty) }),
        .column(Column(name: "input_modalities") { v($0.inputModalities?.jsonText) }),
        .column(Column(name: "capabilities") { v($0.capabilities.jsonText) }),
        .column(Column(name: "extended_params") { v($0.extendedParams.jsonText) }),
        .column(Column(name: "extended_features") { v($0.extendedFeatures.jsonText) }),
        .column(Column(name: "input_requirements") { v($0.inputRequirements.jsonText) }),
        .column(Column(name: "info") { v($0.info.jsonText) }),
        .column(Column(name: "cost_estimate_usd") { v($0.costEstimateUSD) }),
        .column(Column(name: "processing_time_s") { v($0.processingTimeS) }),
        .column(Column(name: "metadata") { v($0.metadata.jsonText) }),
        .column(Column(name: "priority") { v($0.priority) }),
        .child(Child(table: "alias", field: "aliases", columns: ["name", "model_id", "route_id"],
                     rows: { r, id in r.aliases.map { [v($0), v(r.modelID), id] } },
                     locate: { _, i in ("aliases", i) }, refine: [:])),
        .column(Column(name: "available") { flag($0.available) }),
    ]

    /// The `route` columns a seed route fills, in `fields` order.
    static let columns: [Column] = fields.compactMap {
        switch $0 {
        case .column(let column), .bookkeeping(let column): return column
        case .child: return nil
        }
    }

    static let children: [Child] = fields.compactMap { if case .child(let child) = $0 { return child } else { return nil } }
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
        return SeedPrice.field(of: row.object)
    }

    /// `pricing.<unit>[.<variant>][.above_<n>]`: the field a price row of the seed format is
    /// known by (one claim per price, its dated rows together).
    static func field(of row: JSONValue) -> String {
        var field = "pricing." + (row["unit"]?.stringValue ?? "?")
        if let variant = row["variant"]?.stringValue { field += "." + variant }
        if let above = row["above"]?.doubleValue {
            field += ".above_" + (above == above.rounded() && abs(above) < 1e15 ? String(Int64(above)) : JSONValue.number(above).jsonText)
        }
        return field
    }
}
