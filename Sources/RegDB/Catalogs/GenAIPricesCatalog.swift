import Foundation

/// Pydantic's genai-prices `data.json`: an array of providers, each with its models,
///
///     [{"id": "openai", "name": "OpenAI", "pricing_urls": ["https://…"], "api_pattern": "…",
///       "models": [{"id": "gpt-4o", "name": "GPT-4o", "match": {"equals": "gpt-4o"},
///                   "context_window": 128000,
///                   "prices": {"input_mtok": 2.5, "cache_read_mtok": 1.25, "output_mtok": 10}}, …]}, …]
///
/// Each model is the top-level route `<provider id>/<model id>`. Like the other
/// catalogs, a route names no model: the wire id is the canonical id unless a
/// curated source maps it, so genai-prices never overrides the seeds'
/// identities. Providers get id, name and docs_url (the first pricing URL).
///
/// Prices are USD per million tokens (`per` 1000000; `requests_kcount` is per
/// 1000 requests): input, cache_read, cache_write and output are the token
/// units, the audio prices the audio token units. A tiered price
/// (`{"base": 3, "tiers": [{"start": 200000, "price": 6}]}`) is a base row plus
/// one threshold row per tier: above `start` prompt tokens the tier's rate
/// bills the whole quantity (genai-prices compares total input tokens, cached
/// ones included, with >). Conditional prices (`[{"constraint": …, "prices":
/// {…}}, …]`) with a `start_date` become dated rows: each set applies from its
/// date until the next one's, and the unconstrained set until the first date.
/// Time-of-day constraints (DeepSeek's discount hours) are not modelled: that
/// set's prices become variant `utc_HHMM_HHMM` (chosen with `--variant`), the
/// constraint stays in metadata, and a warning says so. An empty price set is
/// no price at all (unknown), except for `:free` models, which are free.
///
/// `match` rules stay in metadata (`genai_prices_match`); the names they
/// give plainly (`equals` values) are the route's `aliases`, which every
/// command resolves; `starts_with` prefixes no other model of the provider
/// shares stay in metadata as `match_prefixes` (a dated name reaches the model
/// by the `name_rule` snapshot rules instead). `context_window` is a `docs`
/// observation; name is the route's name; description, deprecated and
/// price_comments stay in metadata.
enum GenAIPricesCatalog: CatalogConverter {
    /// Price keys and the unit each prices, per `per` units.
    private static let priceUnits: [String: (unit: String, per: Int64)] = [
        "input_mtok": ("input_token", 1_000_000),
        "output_mtok": ("output_token", 1_000_000),
        "cache_read_mtok": ("cache_read_token", 1_000_000),
        "cache_write_mtok": ("cache_write_token", 1_000_000),
        "input_audio_mtok": ("input_audio_token", 1_000_000),
        "output_audio_mtok": ("output_audio_token", 1_000_000),
        "cache_audio_read_mtok": ("cache_read_audio_token", 1_000_000),
        "cache_write_1h_mtok": ("cache_write_1h_token", 1_000_000),
        "input_image_mtok": ("input_image_token", 1_000_000),
        "output_image_mtok": ("output_image_token", 1_000_000),
        "input_video_mtok": ("input_video_token", 1_000_000),
        "output_reasoning_mtok": ("reasoning_token", 1_000_000),
        "requests_kcount": ("request", 1_000),
        "web_searches_kcount": ("web_search_request", 1_000),
    ]
    private static let modelFields: Set = ["id", "name", "description", "match", "context_window", "prices",
                                           "deprecated", "price_comments"]

    /// Whether `json` looks like genai-prices data: an array of providers with models.
    static func looksLike(_ json: JSONValue?) -> Bool {
        guard case .array(let items)? = json, let first = items.first else { return false }
        guard case .array? = first["models"], first["id"]?.stringValue != nil else { return false }
        return first["api_pattern"] != nil || first["pricing_urls"] != nil
    }

    static func convert(_ json: JSONValue, diagnostics: CatalogDiagnostics) throws -> JSONValue {
        guard case .array(let providerList) = json, looksLike(json) else {
            throw RegDBError.violations([Violation(file: diagnostics.file, path: .root, rule: "genai-prices-shape",
                message: "expected an array of providers [{\"id\": …, \"api_pattern\": …, \"models\": […]}], found \(json.typeName)")])
        }
        var providers: [JSONValue] = []
        var routes: [JSONValue] = []
        var seenRoutes = Set<String>()
        var seenProviders = Set<String>()
        for (providerIndex, provider) in providerList.enumerated() {
            let path = JSONPath.root.appending(providerIndex)
            guard let id = provider["id"]?.stringValue, case .array(let models)? = provider["models"] else {
                diagnostics.warn(path, "type", "a provider must be an object with an \"id\" and a \"models\" array; skipped")
                continue
            }
            if let problem = ObjectReader.identifierProblem(id) ?? (id.contains("/") ? "must not contain '/'" : nil) {
                diagnostics.warn(path.appending("id"), "identifier", "provider id \"\(id)\" \(problem); provider skipped")
                continue
            }
            guard seenProviders.insert(id).inserted else {
                diagnostics.warn(path.appending("id"), "duplicate-provider", "provider \(id) is listed twice; the first entry counts, this one is skipped")
                continue
            }
            var providerFields = Fields()
            providerFields.set("id", .string(id))
            providerFields.text("name", provider["name"]?.stringValue)
            if case .array(let urls)? = provider["pricing_urls"], let first = urls.first?.stringValue {
                providerFields.set("docs_url", .string(first))
            }
            providers.append(providerFields.object)
            let plainNames = uniquePrefixes(models)
            // A provider that claims model names (genai-prices' `model_match`, openai's "gpt-…") is
            // their maker: its routes of the names it claims are first-party, the ones a bare name means.
            let claims = provider["model_match"].flatMap { $0 == .null ? nil : $0 }
            for (modelIndex, model) in models.enumerated() {
                let modelPath = path.appending("models").appending(modelIndex)
                guard case .object(let members) = model, let wire = model["id"]?.stringValue else {
                    diagnostics.warn(modelPath, "type", "a model must be an object with an \"id\"; skipped")
                    continue
                }
                if let problem = ObjectReader.identifierProblem(wire) {
                    diagnostics.warn(modelPath.appending("id"), "identifier", "model id \"\(wire)\" \(problem); skipped")
                    continue
                }
                let routeKey = id + "/" + wire
                guard seenRoutes.insert(routeKey).inserted else {
                    diagnostics.warn(modelPath, "duplicate-route", "route \(routeKey) is listed twice; the first counts")
                    continue
                }
                routes.append(route(routeKey, wire: wire, members: members, path: modelPath,
                                    names: plainNames[modelIndex], firstParty: claims.map { matches($0, wire) } ?? false, diagnostics))
            }
        }
        return .object([("providers", .array(providers)), ("routes", .array(routes))])
    }

    private static func route(_ routeKey: String, wire: String, members: [(key: String, value: JSONValue)],
                              path: JSONPath, names: (equals: [String], prefixes: [String]), firstParty: Bool,
                              _ diagnostics: CatalogDiagnostics) -> JSONValue {
        var route = Fields()
        route.set("route", .string(routeKey))
        if firstParty { route.set("first_party", .bool(true)) }
        var metadata = Fields()
        var pricing: [JSONValue] = []
        for (field, value) in members {
            let fieldPath = path.appending(field)
            switch field {
            case "id":
                continue
            case "name":
                if let name = value.stringValue { route.set("name", .string(name)) } else { metadata.set(field, value) }
            case "context_window":
                if let window = diagnostics.limit(value, at: fieldPath) {
                    route.set("context_window", .integer(window))
                    route.set("context_window_source", .string("docs"))
                } else if value != .null {
                    metadata.set(field, value)
                }
            case "match":
                metadata.set("genai_prices_match", value)
                // Plain names are aliases of the route: every command and the model_name view resolve them.
                // A set beside the list: a rule of 100,000 `equals` names is read in linear time.
                var aliases: [String] = []
                var seen: Set = [wire]
                for name in names.equals where ObjectReader.identifierProblem(name) == nil && seen.insert(name).inserted {
                    aliases.append(name)
                }
                if !aliases.isEmpty { route.set("aliases", .array(aliases.map(JSONValue.string))) }
                if !names.prefixes.isEmpty { metadata.set("match_prefixes", .array(names.prefixes.map(JSONValue.string))) }
            case "prices":
                pricing = prices(value, fieldPath, free: wire.hasSuffix(":free"), metadata: &metadata, diagnostics)
            default:
                metadata.set(field, value)
            }
        }
        if members.contains(where: { $0.key == "name" }) == false { route.set("name", .string(wire)) }
        if !pricing.isEmpty { route.set("pricing", .array(pricing)) }
        route.set("metadata", metadata.object)
        return route.object
    }

    /// Price rows of a model's `prices`: one set, or a list of conditional sets.
    private static func prices(_ value: JSONValue, _ path: JSONPath, free: Bool, metadata: inout Fields,
                               _ diagnostics: CatalogDiagnostics) -> [JSONValue] {
        guard case .array(let sets) = value else {
            return priceSet(value, path, from: nil, until: nil, variant: nil, free: free, metadata: &metadata, diagnostics)
        }
        // Date-constrained sets in date order; the unconstrained one runs until the first date.
        var dated: [(start: String, index: Int)] = []
        var base: Int?
        var timed: [(variant: String, index: Int)] = []
        for (index, entry) in sets.enumerated() {
            let constraint = entry["constraint"]
            if constraint == nil || constraint == .null {
                if base == nil { base = index } else {
                    diagnostics.warn(path.appending(index), "conditional-price", "a second unconstrained price set; kept in metadata")
                    metadata.set("genai_prices_unused_prices", entry)
                }
            } else if let start = constraint?["start_date"]?.stringValue, let seconds = UTCTime.epochSeconds(start) {
                dated.append((PriceDate.stored(seconds), index))
            } else if let from = constraint?["start_time"]?.stringValue, let to = constraint?["end_time"]?.stringValue {
                let variant = "utc_" + clock(from) + "_" + clock(to)
                timed.append((variant, index))
            } else {
                diagnostics.warn(path.appending(index).appending("constraint"), "conditional-price",
                                 "a constraint regdb does not read; the set is kept in metadata")
                metadata.set("genai_prices_unused_prices", entry)
            }
        }
        // One price for some hours of the day and another for the rest (DeepSeek): the hours'
        // price is the base and the rest is variant off_peak with the hours left as its window,
        // as LiteLLM writes the same prices, so both price a call at its time of day alike.
        if timed.count == 1, dated.isEmpty, let unconstrained = base, let constraint = sets[timed[0].index]["constraint"],
           let from = constraint["start_time"]?.stringValue, let to = constraint["end_time"]?.stringValue,
           let rest = PriceWindow.complement([clock(from, colon: true) + "-" + clock(to, colon: true)]), !rest.isEmpty {
            let window = JSONValue.array([.object([("hours_utc", .array(rest.map(JSONValue.string)))])])
            var rows = priceSet(sets[timed[0].index]["prices"] ?? .null, path.appending(timed[0].index).appending("prices"),
                                from: nil, until: nil, variant: nil, free: free, metadata: &metadata, diagnostics)
            rows += priceSet(sets[unconstrained]["prices"] ?? .null, path.appending(unconstrained).appending("prices"),
                             from: nil, until: nil, variant: "off_peak", free: free, metadata: &metadata, diagnostics).map { row in
                guard case .object(var fields) = row else { return row }
                fields.append(("window", window))
                return .object(fields)
            }
            return rows
        }
        if !timed.isEmpty {
            for entry in timed {
                diagnostics.warn(path.appending(entry.index).appending("constraint"), "time-of-day-price",
                                 "prices for some hours of the day beside dated prices are not applied by time; they are variant \(entry.variant), and the constraint is kept in metadata")
            }
            metadata.set("genai_prices_time_constraints", .array(timed.map {
                .object([("variant", .string($0.variant)), ("constraint", sets[$0.index]["constraint"] ?? .null)])
            }))
        }
        dated.sort { PriceDate.compare($0.start, $1.start) == .orderedAscending }
        var rows: [JSONValue] = []
        if let base {
            rows += priceSet(sets[base]["prices"] ?? .null, path.appending(base).appending("prices"), from: nil,
                             until: dated.first?.start, variant: nil, free: free, metadata: &metadata, diagnostics)
        }
        for (position, entry) in dated.enumerated() {
            let until = position + 1 < dated.count ? dated[position + 1].start : nil
            rows += priceSet(sets[entry.index]["prices"] ?? .null, path.appending(entry.index).appending("prices"),
                             from: entry.start, until: until, variant: nil, free: free, metadata: &metadata, diagnostics)
        }
        for entry in timed {
            rows += priceSet(sets[entry.index]["prices"] ?? .null, path.appending(entry.index).appending("prices"),
                             from: nil, until: nil, variant: entry.variant, free: free, metadata: &metadata, diagnostics)
        }
        return rows
    }

    /// Rows of one price set: a number per key, or a tiered price (base plus thresholds).
    private static func priceSet(_ value: JSONValue, _ path: JSONPath, from: String?, until: String?, variant: String?,
                                 free: Bool, metadata: inout Fields, _ diagnostics: CatalogDiagnostics) -> [JSONValue] {
        guard case .object(let members) = value else {
            diagnostics.warn(path, "type", "prices must be an object, found \(value.typeName); kept in metadata")
            metadata.set("genai_prices_unread", value)
            return []
        }
        func row(_ unit: String, _ per: Int64, _ price: JSONValue, _ at: JSONPath, above: Double? = nil) -> JSONValue {
            var row = Fields()
            row.set("unit", .string(unit))
            row.text("variant", variant)
            if let usd = diagnostics.price(price, at: at) {
                row.setUSD(usd)
            } else {
                row.set("usd", .null)
                row.set("note", .string("the catalog gave \(price.jsonText.prefix(40))"))
            }
            if per != 1 { row.set("per", .integer(per)) }
            if let above {
                row.set("above", .number(above))
                row.set("above_unit", .string("input_token"))
                row.set("above_bills", .string("all"))
            }
            row.text("valid_from", from)
            row.text("valid_until", until)
            return row.object
        }
        var rows: [JSONValue] = []
        var unread = Fields()
        for (key, price) in members {
            guard let (unit, per) = priceUnits[key] else {
                diagnostics.warn(path.appending(key), "unmapped-price", "\(key) is a price regdb has no unit for; kept in metadata")
                unread.set(key, price)
                continue
            }
            if case .object = price {
                guard let base = price["base"], case .array(let tiers)? = price["tiers"] else {
                    diagnostics.warn(path.appending(key), "type", "a tiered price needs \"base\" and \"tiers\"; kept in metadata")
                    unread.set(key, price)
                    continue
                }
                rows.append(row(unit, per, base, path.appending(key).appending("base")))
                for (index, tier) in tiers.enumerated() {
                    let tierPath = path.appending(key).appending("tiers").appending(index)
                    guard let start = tier["start"]?.doubleValue, start >= 0, let rate = tier["price"] else {
                        diagnostics.warn(tierPath, "type", "a tier needs \"start\" (tokens) and \"price\"; skipped")
                        continue
                    }
                    rows.append(row(unit, per, rate, tierPath.appending("price"), above: start))
                }
            } else {
                rows.append(row(unit, per, price, path.appending(key)))
            }
        }
        if !unread.members.isEmpty { metadata.set("genai_prices_unread", unread.object) }
        if members.isEmpty && free {
            // genai-prices prices an empty set at 0; for a ":free" model that is the price, not a gap.
            rows = [row("input_token", 1_000_000, .integer(0), path), row("output_token", 1_000_000, .integer(0), path)]
        }
        return rows
    }

    /// Whether genai-prices' `match` rule (kept in a route's metadata as `genai_prices_match`)
    /// takes `name`: equals, starts_with, ends_with, contains, regex, or, and; case-insensitive.
    static func matches(_ rule: JSONValue, _ name: String) -> Bool {
        let name = name.lowercased()
        if case .array(let any)? = rule["or"] { return any.contains { matches($0, name) } }
        if case .array(let all)? = rule["and"] { return !all.isEmpty && all.allSatisfy { matches($0, name) } }
        if let value = rule["equals"]?.stringValue?.lowercased() { return name == value }
        if let value = rule["starts_with"]?.stringValue?.lowercased() { return name.hasPrefix(value) }
        if let value = rule["ends_with"]?.stringValue?.lowercased() { return name.hasSuffix(value) }
        if let value = rule["contains"]?.stringValue?.lowercased() { return name.contains(value) }
        if let pattern = rule["regex"]?.stringValue, let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) {
            return regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        }
        return false
    }

    /// "00:30:00Z" → "0030", or with `colon` "00:30".
    private static func clock(_ text: String, colon: Bool = false) -> String {
        let digits = String(text.filter(\.isNumber).prefix(4))
        return colon && digits.count == 4 ? String(digits.prefix(2)) + ":" + String(digits.suffix(2)) : digits
    }

    /// Per model (by index), the names its match rule gives plainly: `equals` values, and
    /// `starts_with` prefixes that no other model of the provider can also match.
    private static func uniquePrefixes(_ models: [JSONValue]) -> [(equals: [String], prefixes: [String])] {
        func clauses(_ rule: JSONValue?, _ key: String) -> [String] {
            guard let rule else { return [] }
            if let value = rule[key]?.stringValue { return [value.lowercased()] }
            if case .array(let any)? = rule["or"] { return any.flatMap { clauses($0, key) } }
            return []
        }
        let ids = models.map { $0["id"]?.stringValue?.lowercased() ?? "" }
        let equals = models.map { clauses($0["match"], "equals") }
        let prefixes = models.map { clauses($0["match"], "starts_with") }
        // Every plain name with the model it belongs to; only the few models with a prefix scan it.
        let names = ids.enumerated().map { (name: $1, owner: $0) }
            + equals.enumerated().flatMap { owner, list in list.map { (name: $0, owner: owner) } }
        let allPrefixes = prefixes.enumerated().flatMap { owner, list in list.map { (prefix: $0, owner: owner) } }
        guard !allPrefixes.isEmpty else {
            return models.indices.map { index in (uniqued(equals[index].filter { $0 != ids[index] }), []) }
        }
        // Sorted, so the names a prefix starts are one run found by binary search: linear-log
        // time for any number of names and prefixes, never names × prefixes.
        let sortedNames = names.sorted { $0.name < $1.name }
        let sortedPrefixes = allPrefixes.sorted { $0.prefix < $1.prefix }
        let ownersByPrefix = Dictionary(grouping: allPrefixes, by: \.prefix).mapValues { Set($0.map(\.owner)) }
        func firstIndex<T>(_ list: [T], atLeast key: String, _ text: (T) -> String) -> Int {
            var low = 0, high = list.count
            while low < high {
                let middle = (low + high) / 2
                if text(list[middle]) < key { low = middle + 1 } else { high = middle }
            }
            return low
        }
        /// Whether an entry of `list` starting with `prefix` belongs to another model than `index`.
        func othersStart<T>(_ list: [T], _ prefix: String, _ index: Int, _ text: (T) -> String, _ owner: (T) -> Int) -> Bool {
            var at = firstIndex(list, atLeast: prefix, text)
            while at < list.count, text(list[at]).hasPrefix(prefix) {
                if owner(list[at]) != index { return true }
                at += 1
            }
            return false
        }
        return models.indices.map { index in
            let own = prefixes[index].filter { prefix in
                // Unambiguous: no other model's id or plain name starts with it, no other model's
                // prefix starts with it, and none is a prefix of it.
                if othersStart(sortedNames, prefix, index, \.name, \.owner) { return false }
                if othersStart(sortedPrefixes, prefix, index, \.prefix, \.owner) { return false }
                var shorter = prefix
                while !shorter.isEmpty {
                    shorter.removeLast()
                    if let owners = ownersByPrefix[shorter], owners.contains(where: { $0 != index }) { return false }
                }
                return true
            }
            return (uniqued(equals[index].filter { $0 != ids[index] }), uniqued(own))
        }
    }
}
