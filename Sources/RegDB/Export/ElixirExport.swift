import GRDB

/// Elixir literals of JSON values: maps with string keys, lists, nil/true/false, floats always
/// with a decimal point (Elixir reads `2` as an integer).
enum Elixir {
    static func literal(_ value: JSONValue) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return float(d)
        case .string(let s): return string(s)
        case .array(let items): return "[" + items.map(literal).joined(separator: ", ") + "]"
        case .object(let members):
            return "%{" + members.map { string($0.key) + " => " + literal($0.value) }.joined(separator: ", ") + "}"
        }
    }

    static func float(_ d: Double) -> String {
        guard d.isFinite else { return "nil" }
        var text = "\(d)"
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), !text[..<e].contains(".") {
            text.insert(contentsOf: ".0", at: e)
        } else if !text.contains(".") && !text.contains("e") {
            text += ".0"
        }
        return text
    }

    static func string(_ s: String) -> String {
        var out = "\""
        var previous: Character?
        for character in s {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "{" where previous == "#": out += "{"
            case "#": out += "\\#"
            default:
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1, scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
                } else {
                    out.append(character)
                }
            }
            previous = character
        }
        return out + "\""
    }

    /// A map with atom keys: `%{route_key: "…", tier: "standard"}`.
    static func atomMap(_ members: [(key: String, value: JSONValue)]) -> String {
        "%{" + members.map { $0.key + ": " + literal($0.value) }.joined(separator: ", ") + "}"
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension Registry {
    /// `Regdb.Models` for the Elixir SDK of design doc 003, with design doc 004's identity lookups:
    /// every route as a spec (canonical id, generation, tier, wire format, base URL, context limit
    /// and where it comes from, max tokens, reasoning, input modalities, cost per 1M tokens, and a
    /// Tinker model's training type, architecture and size); `get/1` (a route key, a canonical id
    /// or a bare wire id), `list/1`, `context_limit/1`, `check/2` (the unknown-model policy:
    /// off, warn, enforce, with `allow_unknown_model?: true`), and `lookup/2`, `lookup_route/1`,
    /// `routes_for/1`, `canonical_id_for/1`, `tier_for/1`, `generation_for/1`,
    /// `same_generation?/2`, `all_canonical_ids/0`, `route_key_of/1`.
    public func exportIdentityElixir() throws -> String {
        let (data, extra, policy, categoryKeys) = try read { db -> (IdentityData, [String: [(key: String, value: JSONValue)]], String, [(String, JSONValue)]) in
            var extra: [String: [(key: String, value: JSONValue)]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT route_key, context_window_source, CAST(json_extract(metadata, '$.training_type') AS TEXT) AS training_type,
                       CAST(json_extract(metadata, '$.architecture') AS TEXT) AS architecture,
                       CAST(json_extract(metadata, '$.size') AS TEXT) AS size
                FROM route
                """) {
                var fields: [(key: String, value: JSONValue)] = []
                for name in ["context_window_source", "training_type", "architecture", "size"] {
                    fields.append((name, (row[name] as String?).map(JSONValue.string) ?? .null))
                }
                extra[row["route_key"]] = fields
            }
            let policy = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = 'policy'") ?? "off"
            // The names callers know routes by in a category (design doc 000's keys), as the CLI reads them.
            let keys = try Row.fetchAll(db, sql: """
                SELECT rc.key, json_group_array(r.route_key) AS routes FROM route_category rc JOIN route r ON r.id = rc.route_id
                GROUP BY rc.key ORDER BY rc.key
                """).map { ($0["key"] as String, Registry.parsedJSON($0["routes"])) }
            return (try IdentityData(db), extra, policy, keys)
        }
        var routes: [String] = []
        let modelsByID = Dictionary(data.models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for route in data.routes {
            let model = modelsByID[route.canonicalID]
            var fields: [(key: String, value: JSONValue)] = [
                ("route_key", .string(route.key)), ("canonical_id", .string(route.canonicalID)),
                ("generation", .string(model?.generation ?? route.canonicalID)), ("tier", .string(model?.tier ?? "standard")),
                ("wire_id", .string(route.wireID)), ("provider", .string(route.provider)),
                ("api", route.api.map(JSONValue.string) ?? .null), ("base_url", route.baseURL.map(JSONValue.string) ?? .null),
                ("capabilities", route.capabilities ?? .object([])),
                ("cost", route.cost.isEmpty ? .null : .object(route.cost.map { (["cacheRead": "cache_read", "cacheWrite": "cache_write"][$0.key] ?? $0.key, $0.value) })),
                ("context_window", route.contextWindow.map(JSONValue.integer) ?? .null),
                ("max_tokens", route.maxTokens.map(JSONValue.integer) ?? .null),
                ("reasoning", route.reasoning.map(JSONValue.bool) ?? .null),
                ("input_modalities", route.inputModalities ?? .null),
            ]
            fields += extra[route.key] ?? []
            routes.append("    " + Elixir.string(route.key) + " => " + Elixir.atomMap(fields))
        }
        var byWire: [(wire: String, keys: [String])] = []
        for route in data.routes.sorted(by: { $0.wireID != $1.wireID ? bytewise($0.wireID, $1.wireID) : bytewise($0.key, $1.key) }) {
            if byWire.last?.wire == route.wireID { byWire[byWire.count - 1].keys.append(route.key) } else { byWire.append((route.wireID, [route.key])) }
        }
        func map(_ pairs: [(String, JSONValue)]) -> String {
            pairs.isEmpty ? "%{}" : "%{\n" + pairs.map { "    " + Elixir.string($0.0) + " => " + Elixir.literal($0.1) }.joined(separator: ",\n") + "\n  }"
        }
        let preferred = map(data.preferred.map { ($0.id, .array($0.keys.map(JSONValue.string))) })
        let generation = map(data.models.map { ($0.id, .string($0.generation)) })
        let tier = map(data.models.map { ($0.id, .string($0.tier)) })
        let wires = map(byWire.map { ($0.wire, .array($0.keys.map(JSONValue.string))) })
        let categoryKeyMap = map(categoryKeys)

        var out = ExportRequest.header(.identityElixir) { "# " + $0 } + "\n"
        out += """
            defmodule Regdb.Models do
              @moduledoc \"\"\"
              The regdb registry's routes for the Elixir SDK (design doc 003), with the identity lookups
              of design doc 004. Read from the registry's views resolved_routes and route_preference.

              A spec is a map: route_key, canonical_id, generation, tier, wire_id, provider, api,
              base_url, capabilities, cost (USD per 1M tokens), context_window, context_window_source
              (server, docs, probe, manual, file or override), max_tokens, reasoning, input_modalities,
              training_type, architecture, size.
              \"\"\"

              @routes %{

            """
        out += routes.joined(separator: ",\n") + "\n  }\n\n"
        out += "  @preferred \(preferred)\n\n  @generation \(generation)\n\n  @tier \(tier)\n\n  @by_wire_id \(wires)\n\n  @by_category_key \(categoryKeyMap)\n\n"
        out += "  @stored_policy \(Elixir.string(policy))\n"
        out += """

              @doc \"\"\"
              The spec of a name: a route key, else what a canonical id, a category key (design doc 000's
              keys) and a bare wire id name together, when that is one model (its preferred route among
              them): {:ok, spec}; :unknown; or {:error, {:ambiguous, canonical_ids}}, as `regdb resolve`.
              \"\"\"
              def get(name) when is_binary(name) do
                if Map.has_key?(@routes, name) do
                  {:ok, @routes[name]}
                else
                  keys = Map.get(@preferred, name, []) ++ Map.get(@by_category_key, name, []) ++ Map.get(@by_wire_id, name, [])
                  case keys |> Enum.map(&@routes[&1].canonical_id) |> Enum.uniq() do
                    [] -> :unknown
                    [canonical] -> {:ok, @routes[Enum.find(@preferred[canonical], &(&1 in keys))]}
                    several -> {:error, {:ambiguous, Enum.sort(several)}}
                  end
                end
              end

              @doc "Whether the registry knows the name (get/1 finds it)."
              def known?(name), do: match?({:ok, _}, get(name))

              @doc "Every spec of a provider, by route key."
              def list(provider) when is_binary(provider) do
                @routes |> Map.values() |> Enum.filter(&(&1.provider == provider)) |> Enum.sort_by(& &1.route_key)
              end

              @doc "The context limit of a name, or nil (unknown model or no recorded limit); advisory, see context_window_source."
              def context_limit(name) do
                case get(name) do
                  {:ok, spec} -> spec.context_window
                  _ -> nil
                end
              end

              @doc \"\"\"
              The unknown-model policy (design doc 003): `:mode` is :off, :warn or :enforce (default:
              $REGDB_POLICY, else the policy stored in the registry when this module was generated, else
              :off). A known name gives {:ok, spec}. An unknown one gives {:ok, :unknown} (:warn says so on
              stderr), or under :enforce {:error, {:unknown_model, name}} unless `allow_unknown_model?: true`.
              \"\"\"
              def check(name, opts \\\\ []) do
                mode = Keyword.get(opts, :mode) || mode_from(System.get_env("REGDB_POLICY")) || mode_from(@stored_policy) || :off
                case get(name) do
                  {:ok, spec} ->
                    {:ok, spec}
                  _ ->
                    cond do
                      mode == :enforce and not Keyword.get(opts, :allow_unknown_model?, false) ->
                        {:error, {:unknown_model, name}}
                      mode == :warn ->
                        IO.puts(:stderr, "warning: unknown model \\"#{name}\\" passed through (policy warn)")
                        {:ok, :unknown}
                      true ->
                        {:ok, :unknown}
                    end
                end
              end

              defp mode_from("off"), do: :off
              defp mode_from("warn"), do: :warn
              defp mode_from("enforce"), do: :enforce
              defp mode_from(_), do: nil

              @doc "The spec of (provider, wire_id), or nil."
              def lookup(provider, wire_id), do: lookup_route(provider <> "/" <> wire_id)

              @doc "The spec of a route key, or nil."
              def lookup_route(route_key), do: Map.get(@routes, route_key)

              @doc "Every route of a canonical id, preferred first."
              def routes_for(canonical_id), do: @preferred |> Map.get(canonical_id, []) |> Enum.map(&@routes[&1])

              @doc "The canonical id a route key calls, or nil."
              def canonical_id_for(route_key) do
                case lookup_route(route_key) do
                  nil -> nil
                  spec -> spec.canonical_id
                end
              end

              @doc "The capability tier of a canonical id, or nil."
              def tier_for(canonical_id), do: Map.get(@tier, canonical_id)

              @doc "The generation of a canonical id, or nil."
              def generation_for(canonical_id), do: Map.get(@generation, canonical_id)

              @doc "Whether two canonical ids share a generation (failover may cross)."
              def same_generation?(a, b) do
                generation = generation_for(a)
                generation != nil and generation == generation_for(b)
              end

              @doc "Every canonical id the registry knows, sorted."
              def all_canonical_ids, do: @tier |> Map.keys() |> Enum.sort()

              @doc "The route key of a spec (or any map with provider and wire_id)."
              def route_key_of(%{provider: provider, wire_id: wire_id}), do: provider <> "/" <> wire_id
            end

            """
        return out
    }
}
