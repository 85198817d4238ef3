import Foundation
import GRDB

extension Registry {
    /// The model list in OpenRouter's `/api/v1/models` shape (`regdb serve`'s `GET /v1/models`):
    /// one entry per canonical model, its fields from its preferred route (id, name,
    /// description, context_length, architecture's input and output modalities, pricing in USD
    /// per token or per request as decimal strings, top_provider, supported_parameters where
    /// known), then regdb's own: canonical_id, generation, tier, status and every route with
    /// its base prices in force, per unit.
    public func openRouterModels() throws -> JSONValue {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT m.id, m.name, m.description, m.status, ifnull(m.generation, m.id) AS generation, ifnull(m.tier, 'standard') AS tier,
                       r.route_key, r.provider_id, r.context_window, r.max_output_tokens, r.input_modalities, r.capabilities,
                       r.reasoning, r.extended_params, rp.rank,
                       (SELECT json_group_array(category_id) FROM route_category WHERE route_id = r.id) AS categories,
                       (SELECT json_group_array(json_array(cp.unit, cp.usd, cp.per)) FROM (
                            SELECT unit, usd, per FROM current_price
                            WHERE route_id = r.id AND variant IS NULL AND above IS NULL AND one_of IS NULL AND usd IS NOT NULL
                            ORDER BY position) cp) AS prices
                FROM model m JOIN route r ON r.model_id = m.id JOIN route_preference rp ON rp.route_key = r.route_key
                ORDER BY m.id, rp.rank
                """)
            var models: [JSONValue] = []
            var index = 0
            while index < rows.count {
                let id: String = rows[index]["id"]
                var end = index
                while end < rows.count, rows[end]["id"] as String == id { end += 1 }
                models.append(Self.openRouterModel(Array(rows[index..<end])))
                index = end
            }
            return .object([("data", .array(models))])
        }
    }

    /// OpenRouter's pricing keys for regdb's units (USD per token, or per request or search).
    static let openRouterPricing: [(unit: String, key: String)] = [
        ("input_token", "prompt"), ("output_token", "completion"), ("request", "request"),
        ("cache_read_token", "input_cache_read"), ("cache_write_token", "input_cache_write"),
        ("reasoning_token", "internal_reasoning"), ("web_search_request", "web_search"),
    ]

    private static func openRouterModel(_ routes: [Row]) -> JSONValue {
        let preferred = routes[0]
        func prices(_ row: Row) -> [(unit: String, usd: Decimal)] {
            guard let text: String = row["prices"], case .array(let items) = (try? JSONParser.parse(text)) ?? .null else { return [] }
            return items.compactMap { item in
                guard case .array(let parts) = item, parts.count == 3, let unit = parts[0].stringValue, let usd = parts[1].doubleValue,
                      case .integer(let per) = parts[2], per > 0, let exact = PriceRow.decimal(usd) else { return nil }
                return (unit, Money.divided(exact, by: per))
            }
        }
        let own = prices(preferred)
        var pricing: [(key: String, value: JSONValue)] = []
        for (unit, key) in openRouterPricing {
            if let price = own.first(where: { $0.unit == unit }) { pricing.append((key, .string("\(price.usd)"))) }
        }
        let modalities = (preferred["input_modalities"] as String?).flatMap { try? JSONParser.parse($0) } ?? .array([.string("text")])
        let categories = ((preferred["categories"] as String?).flatMap { try? JSONParser.parse($0) }).flatMap { value -> [String]? in
            guard case .array(let items) = value else { return nil }
            return items.compactMap(\.stringValue)
        } ?? []
        let output: [String] = categories.isEmpty || categories.contains("chat") ? ["text"]
            : Array(Set(categories.compactMap { $0.components(separatedBy: "_to_").last }.map { $0 == "speech" ? "audio" : $0 })).sorted()
        var parameters: [JSONValue] = []
        let capabilities = (preferred["capabilities"] as String?).flatMap { try? JSONParser.parse($0) }
        if capabilities?["function_calling"] == .bool(true) { parameters += [.string("tools"), .string("tool_choice")] }
        if (preferred["reasoning"] as Int64?) == 1 { parameters += [.string("reasoning"), .string("include_reasoning")] }
        if case .array(let extra)? = (preferred["extended_params"] as String?).flatMap({ try? JSONParser.parse($0) }) {
            parameters += extra.filter { $0.stringValue != nil && !parameters.contains($0) }
        }
        let id: String = preferred["id"]
        let context: JSONValue = (preferred["context_window"] as Int64?).map(JSONValue.integer) ?? .null
        var fields: [(key: String, value: JSONValue)] = [
            ("id", .string(id)),
            ("name", .string(preferred["name"] ?? id)),
            ("description", (preferred["description"] as String?).map(JSONValue.string) ?? .string("")),
            ("context_length", context),
            ("architecture", .object([("input_modalities", modalities), ("output_modalities", .array(output.map(JSONValue.string)))])),
            ("pricing", .object(pricing)),
            ("top_provider", .object([("context_length", context),
                                      ("max_completion_tokens", (preferred["max_output_tokens"] as Int64?).map(JSONValue.integer) ?? .null)])),
            ("supported_parameters", .array(parameters)),
        ]
        fields += [
            ("canonical_id", .string(id)), ("generation", .string(preferred["generation"])), ("tier", .string(preferred["tier"])),
            ("status", (preferred["status"] as String?).map(JSONValue.string) ?? .null),
            ("routes", .array(routes.map { row in
                .object([("route_key", .string(row["route_key"])), ("provider", .string(row["provider_id"])),
                         ("context_length", (row["context_window"] as Int64?).map(JSONValue.integer) ?? .null),
                         ("pricing", .object(prices(row).map { ($0.unit, .string("\($0.usd)")) }))])
            })),
        ]
        return .object(fields)
    }
}
