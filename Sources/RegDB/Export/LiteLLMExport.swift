import GRDB

extension Registry {
    /// The registry's LLM routes in LiteLLM's `model_prices_and_context_window.json`
    /// format, for `litellm.register_model(json.load(…))`, after which LiteLLM's
    /// `cost_per_token` prices these routes as `regdb cost` does.
    ///
    /// - Which routes: those in an LLM category or in none (media routes are the
    ///   media pipeline's: their variants and multipliers have no LiteLLM field)
    ///   that have a published base token price. An entry without prices would
    ///   read as free in LiteLLM, so routes without one are left out.
    /// - Keys: `metadata.litellm_key` when the route came from LiteLLM's own
    ///   catalog (the route key instead where that key was an alias whose values
    ///   differed, `metadata.litellm_alias_differs`: the values are the route
    ///   key's entry's); else the wire id for providers LiteLLM keys bare (openai,
    ///   anthropic: `gpt-4o`), and `<litellm_provider>/<wire id>` for the rest
    ///   (`gemini/gemini-2.5-pro`, `xai/grok-3`).
    /// - Prices: the token prices in force today without a variant (input,
    ///   output, cache read and write, audio, reasoning), as USD per token
    ///   (`usd / per`), and thresholds that bill the whole call above N
    ///   thousand prompt tokens as LiteLLM's `_above_Nk_tokens` keys. Variants
    ///   (service tiers, audio or not) and "excess" thresholds have no LiteLLM
    ///   field and are left out.
    /// - `mode`: the route's first LLM category (they are LiteLLM's modes), else
    ///   the mode a LiteLLM import kept in metadata, else chat.
    /// - Limits: `max_input_tokens` is the context window, `max_output_tokens` the
    ///   output limit, `max_tokens` (legacy) the output limit, else the context window.
    ///
    /// Entries are sorted by key and their fields by name, as LiteLLM's own file is.
    public func exportLiteLLM() throws -> String {
        let entries = try read { db in try LiteLLMExport.entries(db) }
        return JSONValue.object(entries).prettyJSONText + "\n"
    }
}

enum LiteLLMExport {
    /// regdb provider id → LiteLLM provider, where they differ.
    static let providerNames: [String: String] = [
        "google": "gemini", "vertex": "vertex_ai", "amazon-bedrock": "bedrock", "bedrock": "bedrock",
        "kimi": "moonshot", "moonshotai": "moonshot", "fal": "fal_ai", "together": "together_ai",
        "fireworks": "fireworks_ai", "mistralai": "mistral",
    ]
    /// LiteLLM providers whose catalog keys are bare wire ids.
    static let bareKeyProviders: Set = ["openai", "anthropic"]

    static func litellmProvider(_ provider: String) -> String {
        providerNames[provider] ?? provider.replacingOccurrences(of: "-", with: "_")
    }

    static func entries(_ db: Database) throws -> [(key: String, value: JSONValue)] {
        let routes = try Row.fetchAll(db, sql: """
            SELECT r.id, r.route_key, r.provider_id, r.wire_id, r.context_window, r.max_output_tokens, r.reasoning,
                   r.capabilities, r.input_modalities, r.metadata, m.deprecation_date,
                   (SELECT rc.category_id FROM route_category rc JOIN category c ON c.id = rc.category_id
                    WHERE rc.route_id = r.id AND c.kind = 'llm' ORDER BY rc.position LIMIT 1) AS mode
            FROM route r JOIN model m ON m.id = r.model_id
            WHERE NOT EXISTS (SELECT 1 FROM route_category rc JOIN category c ON c.id = rc.category_id
                              WHERE rc.route_id = r.id AND c.kind = 'media')
               OR EXISTS (SELECT 1 FROM route_category rc JOIN category c ON c.id = rc.category_id
                          WHERE rc.route_id = r.id AND c.kind = 'llm')
            ORDER BY r.route_key
            """)
        // The token prices in force today without a variant, and the long-context thresholds
        // LiteLLM can say (`_above_200k_tokens`: whole request, by prompt tokens, in thousands).
        let prices = Dictionary(grouping: try Row.fetchAll(db, sql: """
            SELECT route_id, unit, usd, per, above FROM current_price
            WHERE variant IS NULL AND usd IS NOT NULL
              AND (above IS NULL OR (above_bills = 'all' AND above_unit = 'input_token' AND above > 0
                                     AND above % 1000 = 0))
              AND unit IN ('input_token', 'output_token', 'cache_read_token', 'cache_write_token',
                           'input_audio_token', 'output_audio_token', 'cache_read_audio_token', 'reasoning_token')
            ORDER BY route_id, position
            """), by: { $0["route_id"] as Int64 })
        let fields = ["input_token": "input_cost_per_token", "output_token": "output_cost_per_token",
                      "cache_read_token": "cache_read_input_token_cost", "cache_write_token": "cache_creation_input_token_cost",
                      "input_audio_token": "input_cost_per_audio_token", "output_audio_token": "output_cost_per_audio_token",
                      "cache_read_audio_token": "cache_read_input_audio_token_cost",
                      "reasoning_token": "output_cost_per_reasoning_token"]

        var entries: [String: JSONValue] = [:]
        for route in routes {
            guard let rows = prices[route["id"] as Int64], !rows.isEmpty else { continue }
            let providerID: String = route["provider_id"]
            let wireID: String = route["wire_id"]
            let metadata = Registry.parsedJSON(route["metadata"])
            let provider: String
            let key: String
            if let litellmKey = metadata["litellm_key"]?.stringValue {
                // Imported from LiteLLM: its provider id is LiteLLM's already.
                provider = providerID
                key = metadata["litellm_alias_differs"] == nil ? litellmKey : route["route_key"]
            } else {
                provider = litellmProvider(providerID)
                key = bareKeyProviders.contains(provider) ? wireID : provider + "/" + wireID
            }
            guard entries[key] == nil else { continue }  // first route key wins; they are sorted

            var members: [(String, JSONValue)] = [("litellm_provider", .string(provider)),
                                                  ("mode", .string(route["mode"] ?? metadata["mode"]?.stringValue ?? "chat"))]
            for row in rows {
                guard var field = fields[row["unit"] as String] else { continue }
                if let above: Double = row["above"] {
                    guard ["input_token", "output_token", "cache_read_token", "cache_write_token"].contains(row["unit"] as String)
                    else { continue }
                    field += "_above_\(Int64(above) / 1000)k_tokens"
                }
                let usd: Double = row["usd"]
                let per: Int64 = row["per"]
                members.append((field, .number(usd / Double(per))))
            }
            let window: Int64? = route["context_window"]
            let output: Int64? = route["max_output_tokens"]
            if let window { members.append(("max_input_tokens", .integer(window))) }
            if let output { members.append(("max_output_tokens", .integer(output))) }
            if let limit = output ?? window { members.append(("max_tokens", .integer(limit))) }
            if case .object(let flags) = Registry.parsedJSON(route["capabilities"]) {
                for (flag, value) in flags {
                    if case .bool(let on) = value { members.append(("supports_" + flag, .bool(on))) }
                }
            }
            if let reasoning: Int64 = route["reasoning"], !members.contains(where: { $0.0 == "supports_reasoning" }) {
                members.append(("supports_reasoning", .bool(reasoning != 0)))
            }
            if case .array(let modalities) = Registry.parsedJSON(route["input_modalities"]), !modalities.isEmpty {
                members.append(("supported_modalities", .array(modalities)))
            }
            if let date: String = route["deprecation_date"] { members.append(("deprecation_date", .string(date))) }
            entries[key] = .object(uniquedMembers(members).sorted { $0.key < $1.key })
        }
        return entries.keys.sorted().compactMap { key in entries[key].map { (key, $0) } }
    }

    /// The first of members with the same name (a capability named like a field never overrides it).
    private static func uniquedMembers(_ members: [(String, JSONValue)]) -> [(key: String, value: JSONValue)] {
        var seen = Set<String>()
        return members.filter { seen.insert($0.0).inserted }.map { (key: $0.0, value: $0.1) }
    }
}
