/// LiteLLM's `model_prices_and_context_window.json`: one object per entry key,
///
///     "gpt-4o": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000,
///                "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
///                "supports_function_calling": true, "search_context_cost_per_query": {…}, …}
///
/// Each entry becomes the top-level route `<litellm_provider>/<key without a
/// leading "<litellm_provider>/">` (`openai/gpt-4o`, `azure/eu/gpt-4o`). The
/// entry key stays findable: it is the route's `metadata.litellm_key`, which
/// `Registry.lookup` matches. A route names no model: the canonical id is the
/// wire id unless a curated source says otherwise (design doc 004), so
/// LiteLLM never overrides the seeds' identities, and lifecycle (a model
/// field) is left alone: `deprecation_date` stays in metadata.
///
/// Prices are USD per single unit (`per` 1). Price keys are parsed by shape,
/// not listed one by one, because LiteLLM adds suffixes all the time:
/// `<input|output>_cost_per_[<kind>_]<measure>[_<suffix>]`,
/// `cache_<read|creation>_input_[<kind>_]token_cost[_<suffix>]` and
/// `<name>_cost_per_<query|page|request>`. Audio, image, video and reasoning
/// tokens are units of their own (`input_cost_per_audio_token` →
/// input_audio_token), parts of the prompt or completion as LiteLLM counts
/// them. `_above_<N>k_tokens` is a threshold on prompt tokens billing the
/// whole request (`input_cost_per_token_above_272k_tokens_priority` →
/// input_token above 272000, variant `priority`), applied by `regdb cost`
/// as LiteLLM applies it; what else the suffix says is the variant, under the
/// names every importer uses (`batches` → `batch`, `above_1hr` → `cache_1h`).
/// An object of prices (`search_context_cost_per_query`) is one variant per
/// member; `tiered_pricing` ranges are thresholds at each range's start (the
/// first range is the base price); `off_peak_pricing` is variant `off_peak`.
/// A transcription model's input and output price per second are one
/// `one_of` group, the one LiteLLM charges first. Cost fields of no known unit or
/// not in USD (`*_dbu_cost_per_token`, `code_interpreter_cost_per_session`)
/// stay in metadata, like every other field without a column.
///
/// `mode` is a category (its schema.sql id) keyed by the route key; an
/// unknown mode gives no category, stays in metadata and is warned about.
/// `supports_<flag>` are capabilities `<flag>`; `max_input_tokens` is the
/// context window (a `docs` observation), `max_output_tokens` (or the legacy
/// `max_tokens`) the output limit; `supported_modalities` the input
/// modalities; `*_multiplier*` factors are price multipliers chosen with
/// `--variant`. `sample_spec` documents the format and is not a model.
///
/// Two entries can name one route (`deepseek-chat` and `deepseek/deepseek-chat`,
/// both provider deepseek). They are merged: the entry whose key is the route
/// key counts, the other adds only fields the first lacks, its differing values
/// stay in `metadata.litellm_alias_differs` (with a warning), and its key is
/// the route's `litellm_key`, so both names still find the route.
enum LiteLLMCatalog: CatalogConverter {
    /// LiteLLM modes that are categories in schema.sql (the `category` table).
    static let modeCategories: Set = [
        "chat", "completion", "responses", "realtime", "embedding", "rerank", "moderation", "image_generation",
        "image_edit", "video_generation", "audio_transcription", "audio_speech", "search", "ocr", "evaluation",
        "vector_store",
    ]

    /// One entry's field, with where it was read (an alias's fields come from another entry).
    private typealias Member = (key: String, value: JSONValue, path: JSONPath)

    static func convert(_ json: JSONValue, diagnostics: CatalogDiagnostics) throws -> JSONValue {
        guard case .object(let entries) = json else {
            throw shapeError(diagnostics, "expected an object of model entries {\"gpt-4o\": {\"litellm_provider\": …}}, found \(json.typeName)")
        }
        // Pass 1: which route each entry names, so entries naming one route merge.
        var order: [String] = []
        var byRoute: [String: [(key: String, provider: String, fields: [(key: String, value: JSONValue)])]] = [:]
        for (key, entry) in entries where key != "sample_spec" {
            let path = JSONPath.root.appending(key)
            guard case .object(let fields) = entry else {
                diagnostics.warn(path, "type", "an entry must be an object, found \(entry.typeName); skipped")
                continue
            }
            guard let provider = entry["litellm_provider"]?.stringValue else {
                diagnostics.warn(path, "required", "entry has no litellm_provider, so it is not a model; skipped")
                continue
            }
            if let problem = ObjectReader.identifierProblem(provider) ?? (provider.contains("/") ? "must not contain '/'" : nil) {
                diagnostics.warn(path.appending("litellm_provider"), "identifier", "provider \"\(provider)\" \(problem); entry skipped")
                continue
            }
            let wire = key.hasPrefix(provider + "/") ? String(key.dropFirst(provider.count + 1)) : key
            if let problem = ObjectReader.identifierProblem(wire) {
                diagnostics.warn(path, "identifier", "entry key \"\(key)\" \(problem); skipped")
                continue
            }
            let routeKey = provider + "/" + wire
            if byRoute[routeKey] == nil { order.append(routeKey) }
            byRoute[routeKey, default: []].append((key, provider, fields))
        }
        if order.isEmpty && !entries.isEmpty && !(entries.count == 1 && entries[0].key == "sample_spec") {
            throw shapeError(diagnostics, "no entry has a litellm_provider; this is not a LiteLLM model_prices_and_context_window.json")
        }

        // Pass 2: one route per route key, made on every core; warnings come out in file order.
        let slots = PriceKeyCache()
        var providers: [String] = []
        var seenProviders = Set<String>()
        for routeKey in order {
            if let first = byRoute[routeKey]?.first, seenProviders.insert(first.provider).inserted { providers.append(first.provider) }
        }
        let file = diagnostics.file, groups = byRoute
        let made = concurrentMap(order) { routeKey -> (JSONValue, [Violation])? in
            // Entries that are one route either agree, or the later one counts whole (never a
            // mix of both); the other keys stay names of the route (aliases).
            guard let group = groups[routeKey], let primary = group.last else { return nil }
            let own = CatalogDiagnostics(file: file)
            let members: [Member] = primary.fields.map { ($0.key, $0.value, JSONPath.root.appending(primary.key).appending($0.key)) }
            var aliasKey: String?
            var differs: [(key: String, value: JSONValue)] = []
            for other in group where other.key != primary.key {
                aliasKey = aliasKey ?? other.key
                var fields: [String] = []
                for (field, value) in other.fields where primary.fields.first(where: { $0.key == field })?.value != value {
                    fields.append(field)
                    differs.append((field, value))
                }
                for (field, _) in primary.fields where !other.fields.contains(where: { $0.key == field }) { fields.append(field) }
                if !fields.isEmpty {
                    own.warn(JSONPath.root.appending(other.key), "duplicate-route",
                             "entries \"\(other.key)\" and \"\(primary.key)\" are one route \(routeKey) and differ in \(fields.joined(separator: ", ")); the later, \"\(primary.key)\", counts whole, and \"\(other.key)\"'s values are kept in metadata.litellm_alias_differs")
                }
            }
            var made = route(routeKey, key: aliasKey ?? primary.key, members: members, differs: differs, slots, own)
            if group.contains(where: { isMakersKey($0.key) }), case .object(var fields) = made {
                fields.insert(("first_party", .bool(true)), at: 1)
                made = .object(fields)
            }
            return (made, own.warnings)
        }
        var routes: [JSONValue] = []
        routes.reserveCapacity(made.count)
        for case let (route, warnings)? in made {
            diagnostics.append(warnings)
            routes.append(route)
        }
        return .object([
            ("providers", .array(providers.map { .object([("id", .string($0))]) })),
            ("routes", .array(routes)),
        ])
    }

    /// LiteLLM's bare keys (`gpt-4o`, `o3`, `claude-3-5-sonnet-20240620`, `gemini-2.5-pro`) are the
    /// maker's own route, as LiteLLM prices a bare name; a key with a provider path (`azure/gpt-4o`)
    /// or a vendor prefix (`anthropic.claude-…` on Bedrock, `us.meta.llama…`) is a reseller's.
    static func isMakersKey(_ key: String) -> Bool {
        guard !key.contains("/") else { return false }
        let head = key.prefix { $0 != "-" && $0 != ":" }
        return !head.contains(".")
    }

    private static func shapeError(_ diagnostics: CatalogDiagnostics, _ message: String) -> RegDBError {
        .violations([Violation(file: diagnostics.file, path: .root, rule: "litellm-shape", message: message)])
    }

    /// The native route of one entry (merged with its alias, if any).
    private static func route(_ routeKey: String, key: String, members: [Member],
                              differs: [(key: String, value: JSONValue)], _ slots: PriceKeyCache,
                              _ diagnostics: CatalogDiagnostics) -> JSONValue {
        var route = Fields()
        route.set("route", .string(routeKey))
        var categories = Fields()
        var prices = PriceRows()
        var capabilities = Fields()
        var multipliers = Fields()
        var metadata = Fields()
        metadata.set("litellm_key", .string(key))
        var contextWindow: Int64?
        var maxOutput: Int64?
        var inputModalities: JSONValue?
        let hasMaxOutput = members.contains { $0.key == "max_output_tokens" && $0.value != .null }

        for (field, value, path) in members {
            switch field {
            case "litellm_provider":
                continue
            case "mode":
                if case .string(let mode) = value, modeCategories.contains(mode) {
                    categories.set(mode, .string(routeKey))
                } else {
                    if case .string(let mode) = value {
                        diagnostics.warn(path, "unknown-mode", "mode \"\(mode)\" is not a category; kept in metadata")
                    }
                    metadata.set(field, value)
                }
            case "max_input_tokens":
                contextWindow = limit(value, path, field, &metadata, diagnostics)
            case "max_output_tokens":
                maxOutput = limit(value, path, field, &metadata, diagnostics)
            case "max_tokens" where !hasMaxOutput:
                // The legacy name of the output limit, read only where the new one is absent.
                maxOutput = limit(value, path, field, &metadata, diagnostics)
            case "supported_modalities":
                if case .array(let items) = value, items.allSatisfy({ $0.stringValue != nil }) {
                    inputModalities = value
                } else {
                    metadata.set(field, value)
                }
            case "off_peak_pricing":
                // {input_cost_per_token, …, windows}: the prices are variant off_peak, the rest stays.
                guard case .object(let inner) = value else { metadata.set(field, value); continue }
                var rest = Fields()
                // The off-peak hours: every day's (hours_utc) and some weekdays' (windows), their
                // weekdays read on weekday_timezone's calendar.
                var windows: [JSONValue] = []
                let zone = inner.first { $0.key == "weekday_timezone" }?.value
                for (name, price) in inner {
                    if let slot = slots[name] {
                        prices.add(slot.prefixed("off_peak"), price, path.appending(name), field: name, diagnostics, leftover: &rest)
                    } else if name == "hours_utc" {
                        windows.append(.object([("hours_utc", price)]))
                    } else if name == "windows", case .array(let items) = price {
                        windows += items.map { item in
                            guard case .object(var fields) = item, let zone, !fields.contains(where: { $0.key == "weekday_timezone" }) else { return item }
                            fields.append(("weekday_timezone", zone))
                            return .object(fields)
                        }
                    } else if name != "weekday_timezone" {
                        rest.set(name, price)
                    }
                }
                if !windows.isEmpty {
                    // The variant applies by itself to a call made within them.
                    let reader = Diagnostics(file: diagnostics.file)
                    if let window = PriceWindow.normalized(.array(windows), path, reader), reader.violations.isEmpty {
                        prices.setWindow(window, forVariant: "off_peak")
                    } else {
                        diagnostics.warn(path, "price-window", "off-peak hours that do not read; kept in metadata, off_peak applies only when chosen")
                        for (name, price) in inner where ["hours_utc", "windows", "weekday_timezone"].contains(name) { rest.set(name, price) }
                    }
                }
                if !rest.members.isEmpty { metadata.set(field, rest.object) }
            case "tiered_pricing":
                if !tiers(value, path, &prices, diagnostics) { metadata.set(field, value) }
            default:
                if field.hasPrefix("supports_"), case .bool = value {
                    capabilities.set(String(field.dropFirst(9)), value)
                } else if let variant = multiplierVariant(field), let factor = value.doubleValue, factor > 0 {
                    multipliers.set(variant, .number(factor))
                } else if let slot = slots[field] {
                    if case .object(let inner) = value {
                        // {search_context_size_low: x, …}: one variant per member.
                        var rest = Fields()
                        for (name, price) in inner {
                            let variant = slot.variant.map { name.hasPrefix($0) ? name : $0 + "_" + name } ?? name
                            prices.add(PriceSlot(unit: slot.unit, variant: variant), price, path.appending(name),
                                       field: field + "." + name, diagnostics, leftover: &rest)
                        }
                        if !rest.members.isEmpty { metadata.set(field, rest.object) }
                    } else {
                        prices.add(slot, value, path, field: field, diagnostics, leftover: &metadata)
                    }
                } else {
                    // A price regdb has no unit for is kept, and said: never dropped in silence.
                    if field.contains("cost") && value != .null {
                        diagnostics.warn(path, "unmapped-price", "\(field) is a price regdb has no unit for; kept in metadata")
                    }
                    metadata.set(field, value)
                }
            }
        }
        if !differs.isEmpty { metadata.set("litellm_alias_differs", .object(differs)) }

        if !categories.members.isEmpty { route.set("categories", categories.object) }
        if let contextWindow {
            route.set("context_window", .integer(contextWindow))
            route.set("context_window_source", .string("docs"))
        }
        if let maxOutput { route.set("max_output_tokens", .integer(maxOutput)) }
        if !prices.rows.isEmpty { route.set("pricing", .array(alternativeSeconds(prices.rows))) }
        if !multipliers.members.isEmpty { route.set("multipliers", multipliers.object) }
        if let inputModalities { route.set("input_modalities", inputModalities) }
        if !capabilities.members.isEmpty { route.set("capabilities", capabilities.object) }
        route.set("metadata", metadata.object)
        return route.object
    }

    /// LiteLLM gives transcription models a price per input and per output second and
    /// charges one of them: the output rate when it is above 0, else the input rate. The
    /// two base rows become one `one_of` group with the charged one first.
    private static func alternativeSeconds(_ rows: [JSONValue]) -> [JSONValue] {
        func isBase(_ row: JSONValue, _ unit: String) -> Bool {
            row["unit"]?.stringValue == unit && row["variant"] == nil && row["above"] == nil
        }
        guard let input = rows.firstIndex(where: { isBase($0, "input_second") }),
              let output = rows.firstIndex(where: { isBase($0, "second") })
        else { return rows }
        func grouped(_ row: JSONValue) -> JSONValue {
            guard case .object(var members) = row else { return row }
            members.append(("one_of", .string("seconds")))
            return .object(members)
        }
        let outputFirst = (rows[output]["usd"]?.doubleValue ?? 0) > 0
        var result = rows.enumerated().filter { $0.offset != input && $0.offset != output }.map(\.element)
        let pair = outputFirst ? [grouped(rows[output]), grouped(rows[input])] : [grouped(rows[input]), grouped(rows[output])]
        result.insert(contentsOf: pair, at: min(input, output))
        return result
    }

    /// A token or output limit; a value that cannot be one is warned about and kept in metadata as given.
    private static func limit(_ value: JSONValue, _ path: JSONPath, _ field: String, _ metadata: inout Fields,
                              _ diagnostics: CatalogDiagnostics) -> Int64? {
        let limit = diagnostics.limit(value, at: path)
        if limit == nil && value != .null { metadata.set(field, value) }
        return limit
    }

    /// `regional_processing_uplift_multiplier_eu` → `regional_processing_uplift_eu`.
    private static func multiplierVariant(_ field: String) -> String? {
        guard let range = field.asciiRange(of: "_multiplier") else { return nil }
        let variant = String(field[..<range.lowerBound]) + String(field[range.upperBound...])
        return variant.isEmpty ? nil : variant
    }

    /// `tiered_pricing: [{input_cost_per_token, output_cost_per_token, range: [0, 256000]}, …]`:
    /// the first range's prices are the base, each later range's a threshold at its start
    /// billing the whole request. False (nothing added) unless every tier reads.
    private static func tiers(_ value: JSONValue, _ path: JSONPath, _ prices: inout PriceRows,
                              _ diagnostics: CatalogDiagnostics) -> Bool {
        guard case .array(let list) = value, !list.isEmpty else { return false }
        var staged = prices
        for (index, tier) in list.enumerated() {
            guard case .object(let fields) = tier, case .array(let range)? = tier["range"], range.count == 2,
                  let from = range[0].doubleValue, let to = range[1].doubleValue
            else { return false }
            guard from >= 0, to > from else { return false }
            var rest = Fields()
            for (name, price) in fields where name != "range" {
                // A range prices the whole request whose prompt falls in it: the first is the base
                // price, each later one a threshold at its start (LiteLLM: start < prompt <= end).
                guard var slot = PriceSlot(field: name), slot.above == nil else { return false }
                if from > 0 { slot.above = from }
                staged.add(slot, price, path.appending(index).appending(name), field: name, diagnostics, leftover: &rest)
            }
            if !rest.members.isEmpty { return false }
        }
        prices = staged
        return true
    }

    /// 256000 → "256k", 1000000 → "1m", 0 → "0".
    static func tokenCount(_ value: Double) -> String {
        guard value.isFinite, value >= 0, value == value.rounded(), value < 1e18 else { return "\(value)" }
        let n = Int64(value)
        if n != 0 && n % 1_000_000 == 0 { return "\(n / 1_000_000)m" }
        if n != 0 && n % 1_000 == 0 { return "\(n / 1_000)k" }
        return "\(n)"
    }
}
