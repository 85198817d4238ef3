/// The router's upstream map of design doc 004: `{provider: {wire_id: ModelEntry}}`
/// where an entry is `{id, name, api, provider, baseUrl, reasoning, input,
/// capabilities, cost: {input, output, cacheRead, cacheWrite}, contextWindow, maxTokens}`
/// with costs in USD per million tokens. Route key `provider/wire_id`; the
/// canonical id falls back to the wire id unless the entry names one
/// (`canonical_id`). Fields without a column are kept in metadata.
enum RoutesMap: CatalogConverter {
    private static let known: Set = ["id", "name", "api", "provider", "baseUrl", "reasoning", "input", "capabilities",
                                     "cost", "contextWindow", "maxTokens", "canonical_id"]

    static func convert(_ json: JSONValue, diagnostics: CatalogDiagnostics) throws -> JSONValue {
        guard case .object(let providers) = json else {
            throw RegDBError.violations([Violation(file: diagnostics.file, path: .root, rule: "routes-map-shape",
                                                   message: "expected {provider: {wire_id: entry}}, found \(json.typeName)")])
        }
        var routes: [JSONValue] = []
        for (provider, entries) in providers {
            guard case .object(let byWireID) = entries else {
                diagnostics.warn(JSONPath.root.appending(provider), "type", "expected {wire_id: entry}, found \(entries.typeName); skipped")
                continue
            }
            for (wireID, entry) in byWireID {
                let path = JSONPath.root.appending(provider).appending(wireID)
                guard case .object(let fields) = entry else {
                    diagnostics.warn(path, "type", "an entry must be an object, found \(entry.typeName); skipped")
                    continue
                }
                // An object with none of an entry's fields is another format read as this one
                // (a LiteLLM map's nested price objects would become routes).
                guard fields.contains(where: { known.contains($0.key) }) else {
                    throw RegDBError.violations([Violation(file: diagnostics.file, path: path, rule: "format", message: """
                        not a routes-map entry (none of \(known.sorted().joined(separator: ", "))); is --format right?
                        """)])
                }
                var route = Fields()
                route.set("route", .string(provider + "/" + wireID))
                route.text("model", entry["canonical_id"]?.stringValue)
                route.text("name", entry["name"]?.stringValue)
                route.text("api", entry["api"]?.stringValue)
                route.text("base_url", entry["baseUrl"]?.stringValue)
                if let window = diagnostics.limit(entry["contextWindow"], at: path.appending("contextWindow")) {
                    route.set("context_window", .integer(window))
                }
                if let maxTokens = diagnostics.limit(entry["maxTokens"], at: path.appending("maxTokens")) {
                    route.set("max_output_tokens", .integer(maxTokens))
                }
                if case .bool(let reasoning)? = entry["reasoning"] { route.set("reasoning", .bool(reasoning)) }
                if case .array(let input)? = entry["input"] { route.set("input_modalities", .array(input)) }
                if case .object? = entry["capabilities"] { route.set("capabilities", entry["capabilities"] ?? .object([])) }
                var pricing: [JSONValue] = []
                for (unit, key) in [("input_token", "input"), ("output_token", "output"),
                                    ("cache_read_token", "cacheRead"), ("cache_write_token", "cacheWrite")] {
                    if let usd = diagnostics.price(entry["cost"]?[key], at: path.appending("cost").appending(key)) {
                        pricing.append(Fields.priceRow(unit: unit, usd: usd, per: 1_000_000))
                    }
                }
                if !pricing.isEmpty { route.set("pricing", .array(pricing)) }
                var metadata = fields.filter { !known.contains($0.key) }
                if let upstream = entry["provider"]?.stringValue, upstream != provider {
                    metadata.append(("provider", .string(upstream)))
                }
                if let id = entry["id"]?.stringValue, id != wireID { metadata.append(("id", .string(id))) }
                if !metadata.isEmpty { route.set("metadata", .object(metadata)) }
                routes.append(route.object)
            }
        }
        return .object([
            ("providers", .array(providers.map { .object([("id", .string($0.key))]) })),
            ("routes", .array(routes)),
        ])
    }
}
