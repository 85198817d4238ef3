import Foundation
import GRDB

extension Registry {
    // MARK: - OpenAI-compatible servers

    /// Asks an OpenAI-compatible server (vLLM, Ollama, LM Studio, OpenRouter…)
    /// for `GET /v1/models`. Listed models become available routes of the
    /// provider; routes of it the server no longer lists are kept and marked
    /// unavailable, never deleted; names nothing else knows are counted as
    /// sightings. A bearer token is read from the environment, never stored.
    public func discoverOpenAI(url: String, options: DiscoveryOptions, environment: [String: String]) throws -> DiscoveryReport {
        var base = Registry.trimmedBase(url)
        let provider = try options.provider ?? matchingProvider(base) ?? Registry.providerID(for: base, prefix: "openai")
        let variable = try options.tokenVariable ?? providerVariables(provider).first
        var headers: [String: String] = [:]
        if let variable, let token = environment[variable], !token.isEmpty { headers["Authorization"] = "Bearer " + token }
        if !base.hasSuffix("/v1") && !base.contains("/v1/") && !base.hasSuffix("/api/v1") { base += "/v1" }
        let client = HTTPClient(timeout: options.timeout, wholeRunWithin: true)
        let listing = try fetchJSON(client, base + "/models", headers: headers)
        let entries: [JSONValue]
        switch listing {
        case .array(let items): entries = items
        case .object where listing["data"] != nil || listing["models"] != nil:
            guard case .array(let items)? = listing["data"] ?? listing["models"] else {
                throw RegDBError.discovery("\(base)/models: \"data\" is not a list of models")
            }
            entries = items
        default:
            throw RegDBError.discovery("\(base)/models is not a model list ({\"data\": [...]}), found \(listing.typeName)")
        }
        try Registry.checkModelCount(entries.count, base + "/models", options)
        let diagnostics = CatalogDiagnostics(file: base + "/models")
        var routes: [JSONValue] = []
        var listed = Set<String>()
        for (index, entry) in entries.enumerated() {
            let path = JSONPath.root.appending("data").appending(index)
            guard let id = entry["id"]?.stringValue ?? entry["name"]?.stringValue ?? entry.stringValue,
                  !id.isEmpty, ObjectReader.identifierProblem(id) == nil else {
                diagnostics.warn(path, "required", "a model without a usable id; skipped")
                continue
            }
            guard listed.insert(id).inserted else { continue }
            var route = Fields()
            route.set("route", .string(provider + "/" + id))
            route.set("available", .bool(true))
            // Every field OpenAI-compatible servers use (vLLM max_model_len, LiteLLM proxy max_input_tokens…).
            let holders: [(JSONValue, JSONPath)] = [(entry, path), (entry["model_info"] ?? .null, path.appending("model_info"))]
            let stated = holders.lazy.compactMap { holder, at in
                Registry.contextWindowFields.first { holder[$0] != nil && holder[$0] != .null }.map { (holder[$0], at.appending($0)) }
            }.first
            if let (value, at) = stated, let window = diagnostics.limit(value, at: at) {
                route.set("context_window", .integer(window))
                route.set("context_window_source", .string("server"))
            }
            // OpenRouter states prices per token as strings.
            var pricing: [JSONValue] = []
            for (unit, key) in [("input_token", "prompt"), ("output_token", "completion")] {
                guard let raw = entry["pricing"]?[key] else { continue }
                let value: JSONValue = raw.stringValue.flatMap(Double.init).map(JSONValue.number) ?? raw
                if let usd = diagnostics.price(value, at: path.appending("pricing").appending(key)) {
                    pricing.append(Fields.priceRow(unit: unit, usd: usd))
                }
            }
            if !pricing.isEmpty { route.set("pricing", .array(pricing)) }
            if case .object(let fields) = entry {
                let rest = fields.filter { !(["id", "pricing"] + Registry.contextWindowFields).contains($0.key) }
                if !rest.isEmpty { route.set("metadata", .object(rest)) }
            }
            routes.append(route.object)
        }
        let unknownNames = try read { db in
            try listed.sorted().filter { id in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM route r WHERE r.route_key = ?1
                       AND EXISTS (SELECT 1 FROM claim c JOIN source s ON s.id = c.source_id
                                   WHERE c.entity = 'route' AND c.entity_id = ?1 AND s.name <> ?2)
                    """, arguments: [provider + "/" + id, "openai " + base]) == 0
            }
        }
        var providerObject = Fields()
        providerObject.set("id", .string(provider))
        if try read({ try Int.fetchOne($0, sql: "SELECT count(*) FROM provider WHERE id = ?", arguments: [provider]) }) == 0 {
            providerObject.set("name", .string(Registry.hostLabel(base)))
            providerObject.set("base_url", .string(base))
        }
        let now = Registry.timestamp()
        let unavailable = try record(providers: [providerObject.object], routes: routes, source: "openai \(base)", options: options,
                                     now: now) { db in
            for name in unknownNames {
                try db.execute(sql: """
                    INSERT INTO sighting (name, first_seen, last_seen, count, context) VALUES (?1, ?2, ?2, 1, ?3)
                    ON CONFLICT (name) DO UPDATE SET last_seen = ?2, count = count + 1, context = ?3
                    """, arguments: [provider + "/" + name, now, "discover openai " + base])
            }
        }
        return DiscoveryReport(provider: provider, source: "openai \(base)", listed: listed.count, unavailable: unavailable,
                               unknown: unknownNames.count, capabilities: [],
                               warnings: (Registry.credentialWarning(url).map { [$0] } ?? []) + diagnostics.warnings)
    }
}
