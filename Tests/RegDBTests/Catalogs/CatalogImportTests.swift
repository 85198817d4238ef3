import Foundation
import Testing
@testable import RegDB

/// The public catalogs (LiteLLM, models.dev) through the library: real excerpts
/// in Fixtures/, cut from the full files to cover every price shape and quirk.
@Suite struct CatalogImportTests {
    static let fixtures = repoRoot.appending(path: "Tests/RegDBTests/Fixtures")
    static let litellm = fixtures.appending(path: "litellm-excerpt.json").path
    static let modelsDev = fixtures.appending(path: "models-dev-excerpt.json").path
    static let modelsDevGzip = fixtures.appending(path: "models-dev-excerpt.json.gz").path
    static let genaiPrices = fixtures.appending(path: "genai-prices-excerpt.json").path

    /// A registry holding only what `files` say.
    private func registry(_ files: String...) throws -> Registry {
        let registry = try Registry.inMemory()
        _ = try registry.importSeeds(files.map { try Catalog.read(file: $0, format: nil).seed })
        return registry
    }

    private func entries(_ file: String) throws -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = try readJSON(URL(filePath: file)) else { return [] }
        return members
    }

    /// LiteLLM entries that are models, each with the route it becomes, and only the
    /// entry that counts where two name one route (the later in the file).
    private func litellmModels() throws -> [(key: String, route: String, entry: JSONValue)] {
        let all = try entries(Self.litellm)
        var models: [(key: String, route: String, entry: JSONValue)] = []
        for (key, entry) in all where key != "sample_spec" {
            guard let provider = entry["litellm_provider"]?.stringValue else { continue }
            let route = key.hasPrefix(provider + "/") ? key : provider + "/" + key
            models.append((key, route, entry))
        }
        // Entries that are one route: the later in the file counts whole (gemini-exp-1206 after gemini/gemini-exp-1206).
        var last: [String: Int] = [:]
        for (index, model) in models.enumerated() { last[model.route] = index }
        return models.enumerated().filter { last[$0.element.route] == $0.offset }.map(\.element)
    }

    private func route(_ seed: SeedFile, _ key: String) -> SeedRoute? {
        seed.allRoutes.first { $0.routeKey == key }
    }

    private func prices(_ route: SeedRoute?) -> [String: Double?] {
        Dictionary((route?.pricing ?? []).map { ($0.unit + ($0.variant.map { "/" + $0 } ?? ""), $0.usd) },
                   uniquingKeysWith: { first, _ in first })
    }

    // MARK: - LiteLLM

    /// For every entry, 10k input tokens cost input_cost_per_token × 1e4 (plus a per-request
    /// fee where the entry has one), and 10k output tokens likewise: below every threshold.
    @Test func everyLiteLLMEntryCostsWhatTheCatalogSays() throws {
        let registry = try registry(Self.litellm)
        var checked = 0
        for (key, route, entry) in try litellmModels() {
            for (field, unit, usage) in [("input_cost_per_token", "input_token", Usage(inputTokens: 10_000)),
                                         ("output_cost_per_token", "output_token", Usage(outputTokens: 10_000))] {
                guard let price = entry[field]?.doubleValue else { continue }
                // A date alone: no time of day, so no off-peak hours apply (the base price, as the catalog's).
                var usage = usage
                usage.at = "2026-12-01"
                let quote = try registry.cost(route, usage: usage)
                let line = quote.lines.filter { $0.unit == unit }.reduce(0) { $0 + $1.usd.double }
                let perCall = quote.lines.filter { $0.unit == "request" }.reduce(0) { $0 + $1.usd.double }
                let expected = price * 1e4
                #expect(abs(line - expected) <= 1e-9 * max(1, expected), "\(key) \(field)")
                #expect(abs(quote.usd.double - (expected + perCall)) <= 1e-9 * max(1, expected), "\(key) \(field): \(quote.usd)")
                checked += 1
            }
        }
        #expect(checked > 60)
    }

    /// Every entry key finds its route, including the bare key of two entries that are one route.
    @Test func everyLiteLLMEntryKeyIsAnAlias() throws {
        let registry = try registry(Self.litellm)
        for (key, entry) in try entries(Self.litellm) where key != "sample_spec" {
            guard let provider = entry["litellm_provider"]?.stringValue else { continue }
            let route = key.hasPrefix(provider + "/") ? key : provider + "/" + key
            // The key reaches its route; a key that is also a canonical id reaches every route of that model.
            let resolved = try registry.resolveName(key)
            #expect(resolved.known, "\(key)")
            let reached = try registry.lookup(key).map(\.routeKey)
            #expect(reached.contains(route), "\(key): \(reached)")
            if resolved.match != "canonical_id" { #expect(reached == [route], "\(key): \(reached)") }
        }
        // Both names of deepseek-chat: the bare key is the alias, the prefixed key the route key.
        let found = try registry.details(try registry.find("deepseek-chat"))
        #expect(found.first?["route_key"] == .string("deepseek/deepseek-chat"))
        #expect(found.first?["metadata"]?["litellm_key"] == .string("deepseek-chat"))
    }

    @Test func liteLLMPriceShapes() throws {
        let catalog = try Catalog.read(file: Self.litellm, format: nil)
        #expect(catalog.format == .litellm)
        let seed = catalog.seed
        #expect(route(seed, "sample_spec") == nil && !seed.allRoutes.contains { $0.routeKey.hasSuffix("/sample_spec") })

        // Service tiers and cache lifetimes are variants under common names; tiers above a
        // prompt-token count are thresholds that bill the whole request.
        let gpt = prices(route(seed, "openai/gpt-4o"))
        #expect(gpt["input_token"] == 2.5e-06)
        #expect(gpt["input_token/priority"] == 4.25e-06)
        #expect(gpt["input_token/batch"] == 1.25e-06)
        #expect(route(seed, "openai/gpt-4o")?.pricing.allSatisfy { $0.above == nil && $0.per == 1 } == true)
        let flash = prices(route(seed, "vertex_ai-language-models/gemini-2.5-flash"))
        #expect(flash["query/search_context_size_low"] != nil)
        #expect(flash["query/google_maps_grounding"] != nil)
        #expect(flash["input_audio_token"] != nil)
        #expect(flash["reasoning_token"] != nil)
        let pricing = seed.allRoutes.flatMap(\.pricing)
        let variants = Set(pricing.compactMap(\.variant))
        #expect(variants.isSuperset(of: ["batch", "flex", "priority"]))
        #expect(!variants.contains { $0.contains("above_") && $0.contains("_tokens") })
        let proThresholds = route(seed, "vertex_ai-language-models/gemini-2.5-pro")?.pricing.filter { $0.above != nil } ?? []
        #expect(proThresholds.contains { $0.unit == "input_token" && $0.above == 200_000 && $0.aboveUnit == "input_token" && $0.aboveBills == "all" })
        #expect(proThresholds.contains { $0.unit == "output_token" && $0.above == 200_000 })
        #expect(pricing.contains { $0.above == 272_000 && $0.variant == "priority" })

        // Every unit LiteLLM prices in.
        let units = Set(seed.allRoutes.flatMap(\.pricing).map(\.unit))
        for unit in ["input_token", "output_token", "cache_read_token", "cache_write_token", "second", "input_second",
                     "image", "input_image", "pixel", "input_pixel", "page", "character", "output_character", "query",
                     "request", "cache_write_1h_token"] {
            #expect(units.contains(unit), "\(unit)")
        }
        #expect(prices(route(seed, "openai/sora-2"))["second/video"] != nil)
        #expect(seed.allRoutes.contains { prices($0)["second/720p"] != nil })
        #expect(prices(route(seed, "mistral/mistral-ocr-latest"))["page/annotation"] != nil)
        #expect(prices(route(seed, "vertex_ai-embedding-models/multimodalembedding"))["input_second/video_above_8s_interval"] != nil)
        // tiered_pricing ranges: the first is the base price, the next a threshold at its start.
        let qwen = route(seed, "dashscope/qwen-flash")?.pricing ?? []
        #expect(qwen.contains { $0.unit == "input_token" && $0.above == 256_000 && $0.usd == 2.5e-07 && $0.aboveBills == "all" })
        #expect(qwen.contains { $0.unit == "input_token" && $0.above == nil })
        #expect(prices(route(seed, "deepseek/deepseek-flash"))["input_token/off_peak"] != nil)
        #expect(prices(route(seed, "perplexity/pplx-70b-online"))["request"] == 0.005)
        #expect(route(seed, "vertex_ai/gemini-3.5-flash")?.multipliers.map(\.variant)
                    .contains("regional_endpoint_uplift") == true)

        // Modes are categories keyed by the route key; an unknown one stays in metadata, with a warning.
        #expect(route(seed, "openai/gpt-4o")?.categories.first.map { "\($0.category) \($0.key)" } == "chat openai/gpt-4o")
        let guardrails = route(seed, "bedrock/guardrails")
        #expect(guardrails?.categories.isEmpty == true)
        #expect(guardrails?.metadata["mode"] == .string("guardrail"))
        #expect(guardrails?.metadata["guardrail_cost_per_unit"] != nil)
        #expect(catalog.warnings.contains { $0.rule == "unknown-mode" && $0.description.contains("bedrock/guardrails") })
        // Cost fields of no known unit or currency stay in metadata.
        #expect(route(seed, "databricks/databricks-typesafeai-jev-1-14-0")?.metadata["input_dbu_cost_per_token"] != nil)
        #expect(route(seed, "xai/grok-voice-latest")?.metadata["input_cost_per_text_message"] != nil)
        // The entry without a provider is reported, not silently dropped.
        #expect(catalog.warnings.contains { $0.rule == "required" && $0.path == JSONPath.root.appending("fallback_generalizations") })

        // Flags, limits, lifecycle facts.
        let gptRoute = route(seed, "openai/gpt-4o")
        #expect(gptRoute?.capabilities["function_calling"] == .bool(true))
        #expect(gptRoute?.contextWindow == 128_000)
        #expect(gptRoute?.contextWindowSource == "docs")
        #expect(gptRoute?.modelID == "gpt-4o")
        // Routes name no model and leave lifecycle alone: a deprecation date is a metadata fact.
        #expect(seed.models.isEmpty)
        #expect(route(seed, "openai/sora-2")?.metadata["deprecation_date"] != nil)
        let moderation = catalog.warnings.filter { $0.rule == "bad-limit" }
        #expect(moderation.contains { $0.description.contains("[\"omni-moderation-latest\"].max_output_tokens") })
    }

    /// Sentinels: a negative or textual price is unknown (null, with the catalog's value as a
    /// note), reported once with its path; an impossible limit likewise.
    @Test func liteLLMSentinelsBecomeNullWithOneWarningEach() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "regdb-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "prices.json")
        try Data("""
            {"odd-model": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": -1,
                           "output_cost_per_token": "unknown", "max_input_tokens": "lots", "max_output_tokens": 4096}}
            """.utf8).write(to: file)
        let catalog = try Catalog.read(file: file.path, format: nil)
        #expect(catalog.format == .litellm)
        #expect(catalog.warnings.map(\.description) == [
            "\(file.path):$[\"odd-model\"].input_cost_per_token: warning: [sentinel-price] -1 is not a price; recorded as unknown",
            "\(file.path):$[\"odd-model\"].output_cost_per_token: warning: [sentinel-price] \"unknown\" is not a price; recorded as unknown",
            "\(file.path):$[\"odd-model\"].max_input_tokens: warning: [bad-limit] \"lots\" is not a limit (a whole number > 0); recorded as unknown",
        ])
        let odd = route(catalog.seed, "acme/odd-model")
        #expect(odd?.pricing.map(\.usd) == [nil, nil])
        #expect(odd?.pricing.map(\.note) == ["the catalog gave -1", "the catalog gave \"unknown\""])
        #expect(odd?.contextWindow == nil)
        #expect(odd?.maxOutputTokens == 4096)
        #expect(odd?.metadata["max_input_tokens"] == .string("lots"))
        let registry = try Registry.inMemory()
        _ = try registry.importSeeds([catalog.seed])
        #expect(throws: RegDBError.self) { try registry.cost("acme/odd-model", usage: Usage(inputTokens: 1)) }
    }

    // MARK: - models.dev

    @Test func everyModelsDevModelCostsWhatTheCatalogSays() throws {
        let registry = try registry(Self.modelsDev)
        var checked = 0
        for (providerKey, provider) in try entries(Self.modelsDev) {
            guard case .object(let models)? = provider["models"] else { continue }
            for (modelKey, model) in models where ObjectReader.identifierProblem(modelKey) == nil {
                let route = providerKey + "/" + modelKey
                for (field, unit, usage) in [("input", "input_token", Usage(inputTokens: 10_000)),
                                             ("output", "output_token", Usage(outputTokens: 10_000))] {
                    guard let price = model["cost"]?[field]?.doubleValue else { continue }
                    let quote = try registry.cost(route, usage: usage)
                    #expect(abs(quote.usd.double - price / 100) <= 1e-9 * max(1, price), "\(route) \(field): \(quote.usd)")
                    #expect(quote.lines.filter { $0.unit == unit }.count == 1, "\(route)")
                    checked += 1
                }
            }
        }
        #expect(checked > 40)
    }

    @Test func modelsDevShapes() throws {
        let catalog = try Catalog.read(file: Self.modelsDev, format: nil)
        #expect(catalog.format == .modelsDev)
        let seed = catalog.seed
        let openai = seed.providers.first { $0.id == "openai" }
        #expect(openai?.name == "OpenAI")
        #expect(openai?.envVars == ["OPENAI_API_KEY"])
        #expect(openai?.docsURL != nil)

        let gpt = route(seed, "openai/gpt-4o")
        #expect(gpt?.name == "GPT-4o")
        #expect(gpt?.pricing.allSatisfy { $0.per == 1_000_000 } == true)
        #expect(prices(gpt)["input_token"] == 2.5)
        #expect(gpt?.contextWindow == 128_000)
        #expect(gpt?.maxOutputTokens == 16_384)
        #expect(gpt?.categories.map(\.key) == ["openai/gpt-4o"])
        #expect(gpt?.capabilities["tool_call"] == .bool(true))
        #expect(gpt?.reasoning == false)
        #expect(gpt?.metadata["family"] == .string("gpt"))
        #expect(gpt?.metadata["provider_npm"] == .string("@ai-sdk/openai"))
        #expect(gpt?.metadata["output_modalities"] == .array([.string("text")]))
        #expect(gpt?.modelID == "gpt-4o")

        // context_over_200k and the tier that repeats it are one set of thresholds; other tiers by their size.
        let opus = route(seed, "302ai/claude-opus-4-7")?.pricing ?? []
        #expect(opus.contains { $0.unit == "input_token" && $0.above == 200_000 && $0.usd == 10 && $0.aboveBills == "all" })
        #expect(opus.filter { $0.above == 200_000 }.count == 4)
        let thresholds = Set(seed.allRoutes.flatMap(\.pricing).compactMap(\.above))
        #expect(thresholds.isSuperset(of: [272_000, 32_000, 200_000]))
        #expect(prices(route(seed, "alibaba/qwen-plus"))["reasoning_token"] == 4)
        #expect(seed.allRoutes.contains { prices($0)["input_audio_token"] != nil })
        #expect(!catalog.warnings.contains { $0.rule == "duplicate-price" })

        // A model's own provider override; an interleaved object; image output is not chat.
        let kimi = route(seed, "azure/kimi-k2.5")
        #expect(kimi?.baseURL?.contains("services.ai.azure.com") == true)
        #expect(kimi?.metadata["provider_shape"] == .string("completions"))
        #expect(kimi?.metadata["provider_npm"] == .string("@ai-sdk/openai-compatible"))
        #expect(route(seed, "302ai/glm-4.7")?.capabilities["interleaved"] == .bool(true))
        #expect(route(seed, "302ai/glm-4.7")?.metadata["interleaved"] != nil)
        #expect(route(seed, "openai/gpt-image-1")?.categories.isEmpty == true)

        // Quirks of the real file: a model id with a blank; limits of 0.
        #expect(catalog.warnings.contains { $0.rule == "identifier" && $0.description.contains("NousResearch 2/hermes-4-70b") })
        #expect(!seed.allRoutes.contains { $0.routeKey.contains(" ") })
        let zero = catalog.warnings.filter { $0.rule == "bad-limit" }
        #expect(!zero.isEmpty)
        for warning in zero {
            #expect(warning.description.contains(".limit."), "\(warning)")
        }
    }

    @Test func gzippedCatalogReadsLikeThePlainOne() throws {
        let plain = try Catalog.read(file: Self.modelsDev, format: nil)
        let gzipped = try Catalog.read(file: Self.modelsDevGzip, format: nil)
        #expect(gzipped.format == .modelsDev)
        #expect(Claims.extract(from: [gzipped.seed]) == Claims.extract(from: [plain.seed]))
        #expect(gzipped.warnings.count == plain.warnings.count)
    }

    @Test func aWrongFileForTheFormatIsOneError() throws {
        for (file, format, rule) in [(Self.modelsDev, CatalogFormat.litellm, "litellm-shape"),
                                     (Self.litellm, CatalogFormat.modelsDev, "models-dev-shape")] {
            #expect {
                try Catalog.read(file: file, format: format)
            } throws: { error in
                guard case RegDBError.violations(let violations) = error else { return false }
                return violations.count == 1 && violations[0].rule == rule && violations[0].path == .root
            }
        }
    }

    // MARK: - genai-prices

    @Test func genaiPricesShapes() throws {
        let catalog = try Catalog.read(file: Self.genaiPrices, format: nil)
        #expect(catalog.format == .genaiPrices)
        let seed = catalog.seed
        #expect(seed.providers.first { $0.id == "openai" }?.docsURL?.hasPrefix("https://") == true)

        // Per 1M tokens; context window as a docs observation; the match rule kept.
        let gpt = try #require(route(seed, "openai/gpt-4o"))
        #expect(prices(gpt)["input_token"] == 2.5 && prices(gpt)["cache_read_token"] == 1.25 && prices(gpt)["output_token"] == 10)
        #expect(gpt.pricing.allSatisfy { $0.per == 1_000_000 })
        #expect(gpt.contextWindow == 128_000 && gpt.contextWindowSource == "docs")
        #expect(gpt.metadata["genai_prices_match"] != nil)

        // Tiers are thresholds on prompt tokens billing the whole request.
        let sonnet = try #require(route(seed, "anthropic/claude-sonnet-4-5"))
        #expect(sonnet.pricing.contains { $0.unit == "input_token" && $0.above == 200_000 && $0.usd == 6
                                          && $0.aboveUnit == "input_token" && $0.aboveBills == "all" })
        #expect(sonnet.pricing.contains { $0.unit == "input_token" && $0.above == nil && $0.usd == 3 })

        // A start_date splits a price into dated rows.
        let o3 = try #require(route(seed, "openai/o3"))
        #expect(o3.pricing.contains { $0.unit == "input_token" && $0.usd == 10 && $0.validUntil == "2025-06-10" && $0.validFrom == nil })
        #expect(o3.pricing.contains { $0.unit == "input_token" && $0.usd == 2 && $0.validFrom == "2025-06-10" && $0.validUntil == nil })

        // A time-of-day price: the hours' price is the base, the rest of the day variant off_peak
        // with those hours as its window (as LiteLLM writes DeepSeek's prices).
        let deepseek = try #require(route(seed, "deepseek/deepseek-chat"))
        #expect(deepseek.pricing.contains { $0.variant == nil && $0.unit == "input_token" && $0.usd == 0.27 && $0.window == nil })
        let offPeak = deepseek.pricing.first { $0.variant == "off_peak" && $0.unit == "input_token" }
        #expect(offPeak?.usd == 0.135)
        #expect(offPeak?.window == .array([.object([("hours_utc", .array([.string("16:30-00:30")]))])]), "\(String(describing: offPeak?.window))")
        #expect(!catalog.warnings.contains { $0.rule == "time-of-day-price" })
        let timed = try Registry.inMemory()
        _ = try timed.importSeeds([seed])
        for (at, usd) in [("2026-08-03T10:00:00Z", 0.27), ("2026-08-03T20:00:00Z", 0.135), ("2026-08-03", 0.27)] {
            var usage = Usage(inputTokens: 1_000_000)
            usage.at = at
            #expect(try timed.cost("deepseek/deepseek-chat", usage: usage).usd.double == usd, "\(at)")
        }

        // Audio units, per-request prices, free models and unknown prices.
        let flash = try #require(route(seed, "google/gemini-2.5-flash"))
        #expect(prices(flash)["input_audio_token"] == 1 && prices(flash)["cache_read_audio_token"] == 0.1)
        #expect(route(seed, "perplexity/sonar")?.pricing.contains { $0.unit == "request" && $0.per == 1000 && $0.usd == 12 } == true)
        #expect(route(seed, "openrouter/agentica-org/deepcoder-14b-preview:free")?.pricing.allSatisfy { $0.usd == 0 } == true)
        #expect(route(seed, "openrouter/gemini-2.5-pro-exp-03-25")?.pricing.isEmpty == true)

        // Match rules that name ids plainly reach the model: equals, and unambiguous prefixes.
        #expect(gpt.aliases == ["gpt-4o-2024-05-13", "gpt-4o-2024-08-06", "gpt-4o-2024-11-20"])
        let registry = try registry(Self.genaiPrices)
        #expect(try registry.lookup("gpt-4o-2024-08-06").map(\.routeKey) == ["openai/gpt-4o"])
        #expect(try registry.lookup("claude-3-5-sonnet-20240620").map(\.routeKey) == ["anthropic/claude-3-5-sonnet"])
        #expect(try registry.lookup("deepseek-chat-v3-0324").map(\.routeKey) == ["deepseek/deepseek-chat"])

        // Dated and tiered prices cost what genai-prices says (its calc_price gives these).
        #expect(try registry.cost("openai/o3", usage: Usage(measures: ["input_tokens": 1_000_000, "output_tokens": 1_000_000],
                                                             at: "2025-06-09T23:59:59Z")).usd == 50)
        #expect(try registry.cost("anthropic/claude-sonnet-4-5",
                                  usage: Usage(inputTokens: 250_000, outputTokens: 1000, cacheReadTokens: 240_000)).usd == Decimal(string: "0.2265"))
    }

    // MARK: - Both, and diff

    /// Both catalogs in one registry break no rule.
    @Test func bothCatalogsTogetherBreakNoRule() throws {
        let registry = try registry(Self.litellm, Self.modelsDev)
        #expect(try registry.ruleViolations().map(\.message) == [])
        #expect(try registry.lookup("openai/gpt-4o").count == 1)
    }

    @Test func diffListsWhatSourcesDisagreeOn() throws {
        let registry = try Registry.inMemory()
        func seed(_ name: String, _ text: String) throws -> SeedFile {
            let decoded = SeedReader.decode(name: name, bytes: Array(text.utf8))
            return try #require(decoded.0, "\(decoded.1)")
        }
        _ = try registry.importSeeds([
            try seed("a.json", """
                {"providers": [{"id": "p"}, {"id": "q"}],
                 "routes": [{"route": "p/m", "context_window": 1000, "max_output_tokens": 100,
                             "pricing": [{"unit": "input_token", "usd": 2.5e-06}, {"unit": "output_token", "usd": 1e-05}]},
                            {"route": "q/m", "context_window": 1000}]}
                """),
            try seed("b.json", """
                {"routes": [{"route": "p/m", "context_window": 800, "max_output_tokens": 100,
                             "pricing": [{"unit": "input_token", "usd": 2.5, "per": 1000000},
                                         {"unit": "output_token", "usd": 8, "per": 1000000}]},
                            {"route": "q/other", "context_window": 10}]}
                """),
        ])
        let table = try registry.diff()
        #expect(table.columns == ["canonical_id", "provider", "field", "typical_usd", "relative_difference", "value",
                                  "said_by", "others", "free"])
        // Same prices per 1M (2.5e-06 per token = 2.5 per 1M) and equal limits are no difference;
        // q/m is said by one source only. The output price costs $0.002 on a typical call (1k output).
        #expect(table.rows.map { $0.map(\.jsonText).joined(separator: " ") } == [
            #""m" "p" "pricing.output_token" 0.002 0.2 8 "b.json" "10: a.json" null"#,
            #""m" "p" "context_window" 0 0.2 800 "b.json" "1000: a.json" null"#,
        ])
        #expect(try registry.diff(minimum: 0.25).rows.isEmpty)
        #expect(try registry.diff(minimum: 0.2).rows.count == 2)

        let both = try self.registry(Self.litellm, Self.modelsDev)
        let rows = try both.diff().rows
        #expect(!rows.isEmpty)
        let dollars = rows.compactMap { $0[3].doubleValue }
        #expect(dollars.count == rows.count && dollars == dollars.sorted(by: >))
        #expect(rows.allSatisfy { !($0[7].stringValue ?? "").isEmpty })
    }
}
