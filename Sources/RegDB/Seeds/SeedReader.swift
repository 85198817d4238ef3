import Foundation

/// Reads native seed files strictly: every field typed, unknown fields are
/// errors, and every problem is reported with its JSON path. Rules about
/// values (a negative price, a duration above the maximum, an unknown
/// category) are the database's: the importer reports them from the triggers,
/// so one rule has one message whoever breaks it.
public enum SeedReader {
    /// Seed files larger than this are refused before they are read.
    public static let maxFileSize = 32 * 1024 * 1024

    /// Decodes seed bytes; `name` is used in every violation.
    public static func decode(name: String, bytes: [UInt8]) -> (SeedFile?, [Violation]) {
        let diagnostics = Diagnostics(file: name)
        if bytes.count > maxFileSize {
            diagnostics.report(nil, "file-size", "file is \(bytes.count) bytes; seed files are limited to \(maxFileSize) bytes (32 MiB)")
            return (nil, diagnostics.violations)
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            let rule = error.message.hasPrefix("duplicate key") ? "json-duplicate-key" : "json-syntax"
            diagnostics.report(error.path, rule, "\(error.message) (line \(error.line), column \(error.column))")
            return (nil, diagnostics.violations)
        }
        let seed = decodeFile(json, name: name, hash: SHA256.hex(bytes), diagnostics)
        return (diagnostics.violations.isEmpty ? seed : nil, diagnostics.violations)
    }

    /// Decodes seed JSON built in memory (a converted catalog); `hash` identifies the bytes it came from.
    public static func decode(name: String, json: JSONValue, hash: String) -> (SeedFile?, [Violation]) {
        let diagnostics = Diagnostics(file: name)
        let seed = decodeFile(json, name: name, hash: hash, diagnostics)
        return (diagnostics.violations.isEmpty ? seed : nil, diagnostics.violations)
    }

    // MARK: - Objects

    private static func decodeFile(_ json: JSONValue, name: String, hash: String, _ d: Diagnostics) -> SeedFile? {
        guard case .object(let members) = json,
              members.contains(where: { ["providers", "models", "routes", "rules"].contains($0.key) })
        else {
            let found = json.typeName == "object" ? "an object without them" : "an \(json.typeName)"
            d.report(.root, "not-a-seed", "not a regdb seed file: expected a JSON object with \"providers\", \"models\" or \"routes\", found \(found)")
            return nil
        }
        guard let file = ObjectReader(json, .root, d, "seed file", allowed: fileFields)
        else { return nil }
        _ = file.string("$schema")
        return SeedFile(
            name: name,
            contentHash: hash,
            description: file.string("description"),
            sources: file.strings("sources"),
            providers: file.objects("providers").compactMap { decodeProvider($0, $1, d) },
            models: file.objects("models").compactMap { decodeModel($0, $1, d) },
            routes: decodeAll(file.objects("routes"), d) { decodeRoute($0, $1, $2, model: nil) },
            rules: file.objects("rules").compactMap { decodeRule($0, $1, d) }
        )
    }

    /// Decodes each object on every core (a converted catalog has thousands of routes),
    /// each with its own diagnostics; problems are reported in the order of the file.
    private static func decodeAll<T: Sendable>(_ objects: [(JSONValue, JSONPath)], _ d: Diagnostics,
                                               _ decode: @Sendable (JSONValue, JSONPath, Diagnostics) -> T?) -> [T] {
        guard objects.count >= 1024 else { return objects.compactMap { decode($0, $1, d) } }
        let file = d.file
        let decoded = concurrentMap(objects) { object -> (T?, [Violation]) in
            let own = Diagnostics(file: file)
            return (decode(object.0, object.1, own), own.violations)
        }
        var values: [T] = []
        values.reserveCapacity(decoded.count)
        for (value, violations) in decoded {
            d.append(violations)
            if let value { values.append(value) }
        }
        return values
    }

    static func decodeProvider(_ json: JSONValue, _ path: JSONPath, _ d: Diagnostics) -> SeedProvider? {
        guard let o = ObjectReader(json, path, d, "provider", allowed: providerFields),
              let id = o.identifier("id", "provider id")
        else { return nil }
        let name = o.string("name")
        if id.contains("/") { d.report(path.appending("id"), "identifier", "provider id \"\(id)\" must not contain '/': route keys split at the first '/'") }
        return SeedProvider(path: path, json: json, id: id, name: name, baseURL: o.string("base_url"), auth: o.string("auth"),
                            envVars: o.strings("env_vars"), docsURL: o.string("docs_url"),
                            endpointGlob: o.string("endpoint_glob"))
    }

    static func decodeModel(_ json: JSONValue, _ path: JSONPath, _ d: Diagnostics) -> SeedModel? {
        guard let o = ObjectReader(json, path, d, "model", allowed: modelFields),
              let id = o.identifier("id", "model id", allowSpaces: true)
        else { return nil }
        var own = json
        if case .object(let members) = json { own = .object(members.filter { $0.key != "routes" }) }
        return SeedModel(
            path: path, json: own, id: id, name: o.string("name"), description: o.string("description"), family: o.string("family"),
            status: o.string("status"), successor: o.string("successor"),
            deprecationDate: o.string("deprecation_date"), generation: o.string("generation"),
            generationRank: o.integer("generation_rank"), tier: o.string("tier"),
            maker: o.identifier("maker", "maker provider id", required: false), aliases: o.aliases(),
            scores: o.json("scores", .object) ?? .object([]),
            metadata: o.json("metadata", .object) ?? .object([]),
            routes: o.objects("routes").compactMap { decodeRoute($0, $1, d, model: id) }
        )
    }

    // The fields of each object; seeds/schema/seed.schema.json documents the same lists (a test keeps them equal).
    static let fileFields = ["$schema", "description", "sources", "providers", "models", "routes", "rules"]
    static let ruleFields = ["kind", "match", "capabilities", "value"]
    static let ruleKinds = ["loader", "generic_loader", "family", "filename", "extension", "quality", "precision", "default_quality",
                            "default_vram"]
    static let providerFields = ["id", "name", "base_url", "auth", "env_vars", "docs_url", "endpoint_glob"]
    static let modelFields = ["id", "name", "description", "family", "status", "successor", "deprecation_date",
                              "generation", "generation_rank", "tier", "maker", "aliases", "scores", "metadata", "routes"]
    static let priceFields = ["unit", "variant", "usd", "per", "above", "above_unit", "above_bills", "valid_from",
                              "valid_until", "window", "one_of", "note", "free", "checked"]
    static let checkedFields = ["url", "date"]
    static let routeFields = [
        "route", "name", "provider_label", "endpoint", "api", "base_url", "categories", "context_window",
        "max_output_tokens", "max_duration", "durations", "aspect_ratios", "resolutions", "defaults", "features",
        "pricing", "multipliers", "cost_estimate_usd", "processing_time_s", "reasoning", "first_party", "input_modalities",
        "capabilities", "extended_params", "extended_features", "input_requirements", "info", "metadata", "priority",
        "model", "context_window_source", "context_window_observed_at", "available", "prices_checked", "aliases",
    ]

    /// `model` is the enclosing model's id for a nested route, nil for a top-level one.
    static func decodeRoute(_ json: JSONValue, _ path: JSONPath, _ d: Diagnostics, model: String?) -> SeedRoute? {
        guard let o = ObjectReader(json, path, d, "route", allowed: routeFields),
              let key = o.identifier("route", "route key", allowSpaces: true)
        else { return nil }
        guard let slash = key.firstIndex(of: "/"), slash != key.startIndex, key.index(after: slash) != key.endIndex else {
            d.report(path.appending("route"), "route-key", "route \"\(key)\" must be PROVIDER/WIRE_ID, such as fal/fal-ai/veo3")
            return nil
        }
        var categories: [(String, String)] = []
        if let object = o.json("categories", .object), case .object(let members) = object {
            for (category, key) in members {
                guard case .string(let key) = key else {
                    d.report(path.appending("categories").appending(category), "type",
                             "the key of a category must be a string, found \(key.typeName)")
                    continue
                }
                if let problem = ObjectReader.identifierProblem(key) {
                    d.report(path.appending("categories").appending(category), "identifier", "category key \"\(key)\" \(problem)")
                    continue
                }
                categories.append((category, key))
            }
        }
        var defaults: [(String, JSONValue)] = []
        if let object = o.json("defaults", .object), case .object(let members) = object {
            defaults = members.map { ($0.key, $0.value) }
            if let duration = object["duration"], case .string(let text) = duration {
                d.report(path.appending("defaults").appending("duration"), "type",
                         "a default duration is whole seconds, found string \"\(text)\"; write it as a number")
            }
        }
        var multipliers: [(String, Double)] = []
        if let object = o.json("multipliers", .object), case .object(let members) = object {
            for (variant, factor) in members {
                guard let factor = factor.doubleValue else {
                    d.report(path.appending("multipliers").appending(variant), "type",
                             "a multiplier must be a number, found \(factor.typeName)")
                    continue
                }
                multipliers.append((variant, factor))
            }
        }
        let wireID = String(key[key.index(after: slash)...])
        var modelID = model ?? wireID
        var modelNamed = model != nil
        if let named = o.identifier("model", "model id", required: false, allowSpaces: true) {
            modelNamed = true
            if let model, named != model {
                d.report(path.appending("model"), "route-model", "route \(key) is nested under model \(model) but names model \(named); move it or drop \"model\"")
            }
            modelID = named
        }
        if let kind = o.string("context_window_source"), !["server", "docs", "probe", "manual"].contains(kind) {
            d.report(path.appending("context_window_source"), "type", "context_window_source must be server, docs, probe or manual, found \"\(kind)\"")
        }
        let routeChecked = o.json("prices_checked", .object).flatMap { decodeChecked($0, path.appending("prices_checked"), d) }
        let pricing = o.objects("pricing").compactMap { decodePrice($0, $1, d, checked: routeChecked) }
        checkPriceRows(pricing, d)
        return SeedRoute(SeedRoute.Fields(
            path: path,
            json: json,
            modelID: modelID,
            modelNamed: modelNamed,
            providerID: String(key[..<slash]),
            wireID: wireID,
            name: o.string("name"), providerLabel: o.string("provider_label"), endpoint: o.string("endpoint"),
            api: o.string("api"), baseURL: o.string("base_url"), categories: categories,
            contextWindow: o.integer("context_window"), maxOutputTokens: o.integer("max_output_tokens"),
            maxDuration: o.integer("max_duration"),
            durations: o.integers("durations", hint: "durations are whole seconds: write 5, not \"5s\""),
            aspectRatios: o.strings("aspect_ratios", unique: true), resolutions: o.strings("resolutions", unique: true),
            defaults: defaults, features: o.strings("features", unique: true),
            pricing: pricing,
            multipliers: multipliers,
            costEstimateUSD: o.number("cost_estimate_usd"), processingTimeS: o.integer("processing_time_s"),
            reasoning: o.bool("reasoning"), firstParty: o.bool("first_party"),
            inputModalities: o.json("input_modalities", .array),
            capabilities: o.json("capabilities", .object) ?? .object([]),
            extendedParams: o.json("extended_params", .array) ?? .array([]),
            extendedFeatures: o.json("extended_features", .object) ?? .object([]),
            inputRequirements: o.json("input_requirements", .object) ?? .object([]),
            info: o.json("info", .object) ?? .object([]),
            metadata: o.json("metadata", .object) ?? .object([]),
            priority: o.integer("priority"),
            aliases: o.aliases(),
            available: o.bool("available"),
            contextWindowSource: o.string("context_window_source"),
            contextWindowObservedAt: o.string("context_window_observed_at")
        ))
    }

    static func decodeRule(_ json: JSONValue, _ path: JSONPath, _ d: Diagnostics) -> SeedRule? {
        guard let o = ObjectReader(json, path, d, "rule", allowed: ruleFields),
              let kind = o.string("kind", required: true)
        else { return nil }
        guard ruleKinds.contains(kind) else {
            d.report(path.appending("kind"), "unknown-rule-kind", "rule kind \"\(kind)\" is not one of \(ruleKinds.joined(separator: ", "))")
            return nil
        }
        let match = o.value("match")
        var matchText = ""
        switch match {
        case .string(let s)?: matchText = s
        case .array(let items)? where !items.isEmpty && items.allSatisfy({ $0.stringValue != nil }):
            matchText = items.compactMap(\.stringValue).joined(separator: "|")
        case nil, .null?:
            if !kind.hasPrefix("default_") { d.report(path, "required", "missing required field \"match\"") }
        case let other?:
            d.report(path.appending("match"), "type", "match must be a string or a list of strings, found \(other.typeName)")
        }
        let capabilities = o.value("capabilities") == nil ? nil : o.strings("capabilities")
        if ["loader", "generic_loader", "family", "filename"].contains(kind), capabilities?.isEmpty ?? true {
            d.report(path, "required", "a \(kind) rule needs \"capabilities\"")
        }
        let value = o.number("value")
        if !["loader", "generic_loader", "family", "filename", "extension"].contains(kind), value == nil {
            d.report(path, "required", "a \(kind) rule needs \"value\"")
        }
        return SeedRule(path: path, json: json, id: kind + ":" + matchText, kind: kind, match: match,
                        capabilities: capabilities, value: value)
    }

    private static func decodePrice(_ json: JSONValue, _ path: JSONPath, _ d: Diagnostics,
                                    checked routeChecked: (url: String?, date: String?)?) -> SeedPrice? {
        guard let o = ObjectReader(json, path, d, "price", allowed: priceFields),
              let unit = o.string("unit", required: true)
        else { return nil }
        if o.value("usd") == nil {
            d.report(path, "required", "missing required field \"usd\"; write null where the price is not published")
            return nil
        }
        let above = o.number("above")
        var aboveBills = o.string("above_bills")
        if let bills = aboveBills, !["all", "excess"].contains(bills) {
            d.report(path.appending("above_bills"), "type", "above_bills must be \"all\" (the whole quantity at this rate) or \"excess\" (only what is beyond above), found \"\(bills)\"")
        }
        if above == nil {
            for field in ["above_unit", "above_bills"] where o.value(field) != nil {
                d.report(path.appending(field), "price-threshold", "\(field) needs \"above\", the threshold it qualifies")
            }
        } else if aboveBills == nil {
            aboveBills = "excess"  // what a threshold meant before above_bills existed
        }
        let aboveUnit = o.string("above_unit")
        if aboveBills == "excess", let aboveUnit, aboveUnit != unit {
            d.report(path.appending("above_unit"), "price-threshold", "an \"excess\" threshold counts the row's own unit \(unit), not \(aboveUnit); use above_bills \"all\" to price by another unit's quantity")
        }
        let validFrom = o.string("valid_from").flatMap { PriceDate.normalized($0, path.appending("valid_from"), d) }
        let validUntil = o.string("valid_until").flatMap { PriceDate.normalized($0, path.appending("valid_until"), d) }
        if let validFrom, let validUntil, PriceDate.compare(validUntil, validFrom) != .orderedDescending {
            d.report(path.appending("valid_until"), "price-dates", "valid_until \(validUntil) must be after valid_from \(validFrom)")
        }
        let checked = o.json("checked", .object).flatMap { decodeChecked($0, path.appending("checked"), d) } ?? routeChecked
        let variant = o.string("variant")
        let window = o.json("window", .array).flatMap { PriceWindow.normalized($0, path.appending("window"), d) }
        if window != nil, variant == nil {
            d.report(path.appending("window"), "price-window", "a window says when a variant applies by itself; give the row a \"variant\" (off_peak)")
        }
        let usd = o.number("usd")
        let free = o.bool("free") ?? false
        if free, usd != 0 {
            d.report(path.appending("free"), "zero-price", "\"free\": true marks a price of 0 as meant; this row's usd is \(usd.map { "\($0)" } ?? "null")")
        }
        return SeedPrice(path: path, unit: unit, variant: variant, usd: usd, free: free,
                         per: o.integer("per") ?? 1, above: above, aboveUnit: aboveUnit, aboveBills: aboveBills,
                         validFrom: validFrom, validUntil: validUntil, window: window, oneOf: o.string("one_of"), note: o.string("note"),
                         checkedURL: checked?.url, checkedOn: checked?.date)
    }

    /// `{"url": "https://…/pricing", "date": "2026-11-30"}`: where and when prices were checked.
    private static func decodeChecked(_ json: JSONValue, _ path: JSONPath, _ d: Diagnostics) -> (url: String?, date: String?)? {
        guard let o = ObjectReader(json, path, d, "prices_checked", allowed: checkedFields) else { return nil }
        let url = o.string("url", required: true)
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            d.report(path.appending("url"), "type", "url must be an http(s) URL, found \"\(url)\"")
        }
        let date = o.string("date", required: true).flatMap { PriceDate.normalized($0, path.appending("date"), d) }
        return (url, date)
    }

    /// One row per (unit, variant, threshold, start date), and the date ranges of one
    /// (unit, variant, threshold) never overlap: a call on any day has one price.
    private static func checkPriceRows(_ pricing: [SeedPrice], _ d: Diagnostics) {
        var groups: [String: [SeedPrice]] = [:]
        var order: [String] = []
        for price in pricing {
            let signature = "\(price.unit)|\(price.variant ?? "")|\(price.above.map { "\($0)" } ?? "")"
            if groups[signature] == nil { order.append(signature) }
            groups[signature, default: []].append(price)
        }
        for signature in order {
            guard let rows = groups[signature], rows.count > 1 else { continue }
            let sorted = rows.sorted { PriceDate.compare($0.validFrom ?? "", $1.validFrom ?? "") == .orderedAscending }
            for (earlier, later) in zip(sorted, sorted.dropFirst()) {
                let what = "unit \(later.unit)\(later.variant.map { ", variant \($0)" } ?? "")\(later.above.map { ", above \(JSONValue.number($0).jsonText)" } ?? "")"
                if earlier.validFrom == later.validFrom {
                    d.report(later.path, "duplicate-value", "pricing has two rows for \(what) (first at \(earlier.path))")
                } else if earlier.validUntil.map({ PriceDate.compare($0, later.validFrom ?? "") == .orderedDescending }) ?? true {
                    d.report(later.path, "price-dates", "pricing for \(what) from \(later.validFrom ?? "the start") overlaps the row at \(earlier.path); close that one with valid_until \(later.validFrom ?? "")")
                }
            }
        }
    }
}
