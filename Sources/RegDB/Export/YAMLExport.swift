import Foundation
import GRDB

extension Registry {
    /// Design doc 002's `models/model_registry.yaml`: the orchestrator's registry, written back
    /// out from the routes of category `chat`, which `regdb import` reads into the same values.
    ///
    ///     providers:
    ///       openai: {display_name, base_url, auth, env_vars, docs_url}
    ///     models:
    ///       - id: "gpt-4o"                  # the canonical id; api_name when the wire id differs
    ///         provider: "openai"
    ///         display_name: "GPT-4o"
    ///         context_window: 128000
    ///         cost_per_1k_input: 0.0025     # USD, the base price in force today
    ///         cost_per_1k_output: 0.01
    ///         capabilities: {reasoning_score: 0.9, …, supports_vision: true}   # scores 0 to 1
    ///         status: "production"
    ///
    /// Strings are double-quoted in JSON's escapes (valid YAML); a value the registry does not
    /// know is left out, never written as 0. Costs are decimal: $2.5 per 1M is 0.0025, not
    /// 0.0025000000000000001.
    public func exportYAML() throws -> String {
        try read { db in
            var out = ExportRequest.header(.yaml) { "# " + $0 } + "\n"
            out += "# The orchestrator's model registry (design doc 002): every route of category chat.\n"
            out += "# Scores are from 0 to 1; costs are USD per 1,000 tokens.\n"
            out += "score_scale: 1\n"
            let providers = try Row.fetchAll(db, sql: """
                SELECT p.id, p.name, p.base_url, p.auth, p.env_vars, p.docs_url FROM provider p
                WHERE p.id IN (SELECT r.provider_id FROM route r JOIN route_category rc ON rc.route_id = r.id
                               WHERE rc.category_id = 'chat')
                ORDER BY p.id
                """)
            out += providers.isEmpty ? "providers: {}\n" : "providers:\n"
            for provider in providers {
                out += "  \(YAMLText.string(provider["id"])):\n"
                out += "    display_name: \(YAMLText.string(provider["name"]))\n"
                for field in ["base_url", "auth", "docs_url"] {
                    if let value: String = provider[field] { out += "    \(field): \(YAMLText.string(value))\n" }
                }
                let variables = JSONValue.parsedArray(provider["env_vars"]).compactMap(\.stringValue)
                out += "    env_vars: [" + variables.map(YAMLText.string).joined(separator: ", ") + "]\n"
            }
            let routes = try Row.fetchAll(db, sql: """
                SELECT r.id, r.provider_id, r.wire_id, m.id AS model_id, ifnull(r.name, m.name) AS name, r.context_window,
                       m.scores, r.capabilities, m.status
                FROM route r JOIN route_category rc ON rc.route_id = r.id AND rc.category_id = 'chat'
                JOIN model m ON m.id = r.model_id
                ORDER BY r.provider_id, m.id, r.wire_id
                """)
            let prices = try Row.fetchAll(db, sql: """
                SELECT route_id, unit, usd, per FROM current_price
                WHERE unit IN ('input_token', 'output_token') AND variant IS NULL AND above IS NULL
                  AND usd IS NOT NULL AND one_of IS NULL AND route_id IN (
                      SELECT route_id FROM route_category WHERE category_id = 'chat')
                """)
            var cost: [Int64: [String: Decimal]] = [:]
            for price in prices {
                let usd: Double = price["usd"], per: Int64 = price["per"]
                cost[price["route_id"], default: [:]][price["unit"]] = (PriceRow.decimal(usd) ?? Decimal(usd)) * 1000 / Decimal(per)
            }
            out += routes.isEmpty ? "models: []\n" : "models:\n"
            for route in routes {
                let modelID: String = route["model_id"], wire: String = route["wire_id"]
                out += "  - id: \(YAMLText.string(modelID))\n"
                out += "    provider: \(YAMLText.string(route["provider_id"]))\n"
                if wire != modelID { out += "    api_name: \(YAMLText.string(wire))\n" }
                out += "    display_name: \(YAMLText.string(route["name"]))\n"
                if let window: Int64 = route["context_window"] { out += "    context_window: \(window)\n" }
                let id: Int64 = route["id"]
                for (unit, field) in [("input_token", "cost_per_1k_input"), ("output_token", "cost_per_1k_output")] {
                    if let usd = cost[id]?[unit] { out += "    \(field): \(usd)\n" }
                }
                var capabilities: [String] = []
                if case .object(let scores) = Registry.parsedJSON(route["scores"]) {
                    for (name, value) in scores { capabilities.append("\(name)_score: \(value.jsonText)") }
                }
                if case .object(let flags) = Registry.parsedJSON(route["capabilities"]) {
                    for (name, value) in flags { if case .bool(let flag) = value { capabilities.append("supports_\(name): \(flag)") } }
                }
                if !capabilities.isEmpty {
                    out += "    capabilities:\n" + capabilities.map { "      " + $0 + "\n" }.joined()
                }
                if let status: String = route["status"] { out += "    status: \(YAMLText.string(status))\n" }
            }
            return out
        }
    }
}

/// YAML scalars as the export writes them.
enum YAMLText {
    /// A double-quoted string in JSON's escapes, which YAML reads as written.
    static func string(_ value: String) -> String { JSONValue.string(value).jsonText }
}

extension JSONValue {
    /// The items of a stored JSON array column; none when NULL or not an array.
    static func parsedArray(_ text: String?) -> [JSONValue] {
        guard case .array(let items) = Registry.parsedJSON(text) else { return [] }
        return items
    }
}
