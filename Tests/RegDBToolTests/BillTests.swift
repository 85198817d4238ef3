import Foundation
import Testing

private let responses = repoRoot.appending(path: "Tests/RegDBToolTests/Fixtures/responses")

/// The bill from a provider's response alone: the name as the API returns it lands on the
/// maker's route, every usage field is priced or named, nothing is dropped in silence.
@Suite struct BillTests {
    /// A registry of the seeds and genai-prices' data.json as a file source.
    private func seedsAndGenAIPrices() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let imported = try regdb("import", "--kind", "file", referenceData.appending(path: "genai-prices/data.json").path, in: dir.url)
        try #require(imported.status == 0, "\(imported.stderr)")
        return dir
    }

    private func json(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try parse(result.stdout) as? [String: Any], "\(result.stdout)\(result.stderr)")
    }

    /// A name that reaches several routes of a model means the maker's, as in LiteLLM and
    /// genai-prices; resolve and cost choose the same route and resolve says why.
    @Test func aBareNameIsTheMakersRoute() throws {
        let dir = try seedsAndGenAIPrices()
        for (name, route) in [("gpt-5.4", "openai/gpt-5.4"), ("gpt-4o-2024-08-06", "openai/gpt-4o"), ("o3", "openai/o3"),
                              ("gemini-2.5-pro", "google/gemini-2.5-pro"), ("claude-sonnet-4-20250514", "anthropic/claude-sonnet-4-20250514")] {
            let resolved = try json(try regdb("resolve", name, "--format", "json", in: dir.url))
            #expect(resolved["route_key"] as? String == route, "resolve \(name): \(resolved["route_key"] ?? "") because \(resolved["chosen_because"] ?? "")")
            #expect(resolved["chosen_because"] is String)
            let quote = try json(try regdb("cost", name, "--input-tokens", "1000", "--output-tokens", "100", "--format", "json", in: dir.url))
            #expect(quote["route_key"] as? String == route, "cost \(name)")
        }
        // gpt-5.4 reaches OpenAI's route and Bedrock's (+10%): the maker decides, and says so.
        let gpt = try json(try regdb("resolve", "gpt-5.4", "--format", "json", in: dir.url))
        #expect(gpt["chosen_because"] as? String == "the route of the maker, openai", "\(gpt["chosen_because"] ?? "")")
        // The view every client reads.
        let ranked = try sqlite3(dir.file("registry.db"), "SELECT route_key FROM route_preference WHERE model_id = 'gpt-5.4' AND rank = 1")
        #expect(ranked.stdout == "openai/gpt-5.4\n")
    }

    /// On a LiteLLM-only registry, LiteLLM's bare keys are the first-party routes a bare name means.
    @Test func liteLLMBareKeysAreFirstParty() throws {
        let dir = try TemporaryDirectory()
        let excerpt = repoRoot.appending(path: "Tests/RegDBTests/Fixtures/litellm-excerpt.json")
        #expect(try regdb("import", excerpt.path, in: dir.url).status == 0)
        let keys = try sqlite3(dir.file("registry.db"), """
            SELECT count(*), sum(first_party) FROM route;
            SELECT first_party FROM route WHERE route_key = 'openai/gpt-4o';
            SELECT first_party IS NULL FROM route WHERE route_key = 'azure/gpt-4o';
            """)
        let lines = keys.stdoutLines
        #expect(lines.count == 3 && lines[1] == "1" && lines[2] == "1", "\(keys.stdout)")
        let resolved = try json(try regdb("resolve", "gemini-2.5-pro", "--format", "json", in: dir.url))
        #expect(resolved["route_key"] as? String == "vertex_ai-language-models/gemini-2.5-pro", "LiteLLM's bare key gemini-2.5-pro is Vertex AI's route: \(resolved)")
    }

    /// The response's model names the route; each API's fields are read as it documents them.
    @Test func aResponseIsPricedWithoutAName() throws {
        let dir = try seedsAndGenAIPrices()
        func cost(_ file: String, _ extra: String...) throws -> (quote: [String: Any], stderr: String) {
            let result = try regdb(["cost", "--usage-json", responses.appending(path: file).path, "--at", "2026-08-01", "--format", "json"] + extra,
                                   in: dir.url)
            #expect(result.status == 0, "\(file): \(result.stderr)")
            return (try json(result), result.stderr)
        }
        // OpenAI chat: the dated snapshot is OpenAI's gpt-4o; 1024 cached of 3020 prompt tokens.
        let chat = try cost("openai-chat-gpt-4o-cached.json")
        #expect(chat.quote["route_key"] as? String == "openai/gpt-4o")
        // OpenRouter's response is priced on OpenRouter's route, told by its "gen-" id.
        let routed = try cost("openrouter-openai-gpt-4o-cached.json")
        #expect((routed.quote["route_key"] as? String)?.hasPrefix("openrouter/") == true, "\(routed.quote)")
        // Gemini: a version name (gemini-2.0-flash-001) is Google's route by Google's own match rule.
        let gemini = try cost("gemini-2-0-flash-audio-in.json")
        #expect(gemini.quote["route_key"] as? String == "google/gemini-2.0-flash", "\(gemini.quote)")
        // Gemini's cached audio is cached audio, billed at that rate.
        let audio = try cost("gemini-2-5-flash-audio-cached.json")
        let units = (audio.quote["lines"] as? [[String: Any]] ?? []).compactMap { $0["unit"] as? String }
        #expect(units.contains("cache_read_audio_token"), "\(audio.quote)")
        // xAI leaves reasoning out of completion_tokens and bills it as output: 310 + 1904 output tokens.
        let xai = try cost("xai-grok-4-reasoning.json")
        let output = (xai.quote["lines"] as? [[String: Any]] ?? []).first { $0["unit"] as? String == "output_token" }
        #expect(output?["quantity"] as? Double == 2214, "\(xai.quote)")
        // No model in the response and no name: one line saying so.
        try dir.write("nameless.json", #"{"usage": {"prompt_tokens": 10, "completion_tokens": 5}}"#)
        let nameless = try regdb("cost", "--usage-json", "nameless.json", in: dir.url)
        #expect(nameless.status == 1 && nameless.stderrLines.count == 1, "\(nameless.stderr)")
        #expect(nameless.stderr.contains("names no model"), "\(nameless.stderr)")
    }

    /// A usage field the route has no price for is a warning naming it, listed under
    /// `unpriced`; --strict refuses the call.
    @Test func whatTheRouteDoesNotPriceIsNamed() throws {
        let dir = try seedsAndGenAIPrices()
        // xAI's Live Search bills the sources it used; the seeds have no price for them.
        let file = responses.appending(path: "xai-grok-4-live-search.json").path
        let priced = try regdb("cost", "--usage-json", file, "--format", "json", in: dir.url)
        #expect(priced.status == 0, "\(priced.stderr)")
        #expect(priced.stderrLines == ["warning: unpriced: 12 web_search_request on x-ai/grok-4-0709 (not billed)"], "\(priced.stderr)")
        let unpriced = try json(priced)["unpriced"] as? [[String: Any]] ?? []
        #expect(unpriced.count == 1 && unpriced.first?["unit"] as? String == "web_search_request" && unpriced.first?["quantity"] as? Double == 12)
        let strict = try regdb("cost", "--usage-json", file, "--strict", in: dir.url)
        #expect(strict.status == 1 && strict.stdout.isEmpty)
        #expect(strict.stderr.hasPrefix("error: unpriced: 12 web_search_request on x-ai/grok-4-0709"), "\(strict.stderr)")

        // Anthropic's web searches and one-hour cache writes have seed prices ($10 per 1,000
        // searches; twice the input rate): 8192 tokens at $6 and 2048 at $3.75 per 1M, nothing unpriced.
        let search = try regdb("cost", "--usage-json", responses.appending(path: "anthropic-sonnet-4-web-search.json").path, "--format", "json",
                               in: dir.url)
        #expect(search.stderr.isEmpty, "\(search.stderr)")
        let searches = (try json(search)["lines"] as? [[String: Any]] ?? []).first { $0["unit"] as? String == "web_search_request" }
        #expect(searches?["quantity"] as? Double == 3 && searches?["usd"] as? Double == 0.03, "\(String(describing: searches))")
        let mixedFile = responses.appending(path: "anthropic-sonnet-4-cache-mixed.json").path
        let hour = try regdb("cost", "--usage-json", mixedFile, "--format", "json", in: dir.url)
        #expect(hour.stderr.isEmpty, "\(hour.stderr)")
        let lines = try json(hour)["lines"] as? [[String: Any]] ?? []
        let write1h = lines.first { $0["unit"] as? String == "cache_write_1h_token" }
        let write5m = lines.first { $0["unit"] as? String == "cache_write_token" }
        #expect(write1h?["quantity"] as? Double == 8192 && write5m?["quantity"] as? Double == 2048, "\(lines)")
        // Where a route has no one-hour price, those writes are billed at the 5-minute rate, and said so.
        try dir.write("nohour.json", #"{"routes": [{"route": "anthropic/claude-no-hour", "pricing": [{"unit": "input_token", "usd": 3, "per": 1000000}, {"unit": "cache_write_token", "usd": 3.75, "per": 1000000}, {"unit": "output_token", "usd": 15, "per": 1000000}]}]}"#)
        #expect(try regdb("import", "--kind", "override", "--source", "nohour", "nohour.json", in: dir.url).status == 0)
        let mixed = try regdb("cost", "anthropic/claude-no-hour", "--usage-json", mixedFile, in: dir.url)
        #expect(mixed.stderr.contains("unpriced: 8192 cache_write_1h_token on anthropic/claude-no-hour (billed at the cache_write_token rate)"),
                "\(mixed.stderr)")

        // A service tier the route has no variant for: the standard price, said so.
        let tier = try regdb("cost", "--usage-json", responses.appending(path: "anthropic-sonnet-4-priority.json").path, in: dir.url)
        #expect(tier.stderr.contains("unpriced: service tier priority on anthropic/claude-sonnet-4-20250514"), "\(tier.stderr)")
    }

    /// A service tier the route prices is the variant the call is billed at.
    @Test func theServiceTierSelectsItsVariant() throws {
        let dir = try seedsAndGenAIPrices()
        try dir.write("tier.json", #"{"routes": [{"route": "openai/gpt-4o", "pricing": [{"unit": "input_token", "variant": "priority", "usd": 4.25, "per": 1000000}, {"unit": "output_token", "variant": "priority", "usd": 17, "per": 1000000}]}]}"#)
        #expect(try regdb("import", "--kind", "override", "--source", "tier", "tier.json", in: dir.url).status == 0)
        let result = try regdb("cost", "--usage-json", responses.appending(path: "openai-chat-gpt-4o-priority.json").path, "--format", "json",
                               in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let quote = try json(result)
        #expect(quote["variants"] as? [String] == ["priority"], "\(quote)")
        // 1996 uncached prompt tokens and 512 output at the priority rates; the 1024 cached ones at
        // the cache rate, which has no priority variant on this route.
        #expect(abs((quote["usd"] as? Double ?? 0) - (1996 * 4.25 + 1024 * 1.25 + 512 * 17) / 1e6) < 1e-9, "\(quote)")
    }

    /// `--calls` gives each call's lines and unpriced, as a single cost does.
    @Test func callsCarryTheirLines() throws {
        let dir = try seedsAndGenAIPrices()
        let result = try regdb("cost", "--calls", "-", in: dir.url, input: """
            {"name": "openai/gpt-4o", "usage": {"input_token": 1000, "output_token": 100}}
            """)
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(try parse(result.stdout) as? [String: Any])
        let lines = line["lines"] as? [[String: Any]] ?? []
        #expect(lines.map { $0["unit"] as? String ?? "" } == ["input_token", "output_token"], "\(line)")
        #expect(line["unpriced"] as? [Any] != nil)
    }

    /// For every model id genai-prices prices under the provider that claims it (its maker),
    /// `resolve` and `cost` name the same route, and it is that provider's.
    @Test func resolveAndCostNameTheSameRoute() throws {
        let dir = try seedsAndGenAIPrices()
        guard case let providers as [[String: Any]] = try parse(String(contentsOf: referenceData.appending(path: "genai-prices/data.json"), encoding: .utf8))
        else { Issue.record("data.json is not a list"); return }
        var names: [(name: String, provider: String)] = []
        for provider in providers where provider["model_match"] != nil && !(provider["model_match"] is NSNull) {
            for model in provider["models"] as? [[String: Any]] ?? [] {
                if let id = model["id"] as? String, !names.contains(where: { $0.name == id }) { names.append((id, provider["id"] as? String ?? "")) }
            }
        }
        #expect(names.count > 200)
        let calls = names.map { #"{"name": "\#($0.name)", "usage": {"input_token": 1000, "output_token": 100}}"# }.joined(separator: "\n")
        let priced = try regdb("cost", "--calls", "-", in: dir.url, input: calls)
        let costRoutes = Dictionary(priced.stdoutLines.compactMap { line -> (String, String)? in
            guard let row = try? parse(line) as? [String: Any], let name = row["name"] as? String, let route = row["route_key"] as? String else { return nil }
            return (name, route)
        }, uniquingKeysWith: { a, _ in a })
        var checked = 0
        for (name, _) in names {
            guard let costRoute = costRoutes[name] else { continue }  // unpriced there (an empty price set): cost says why
            let resolved = try json(try regdb("resolve", name, "--format", "json", in: dir.url))
            #expect(resolved["route_key"] as? String == costRoute, "\(name): resolve \(resolved["route_key"] ?? "") but cost \(costRoute)")
            checked += 1
        }
        #expect(checked > 200, "\(checked) names checked")
    }

    /// A price key an importer has no unit for is a warning naming it, and kept in metadata.
    @Test func importersNameThePricesTheyCannotKeep() throws {
        let dir = try TemporaryDirectory()
        try dir.write("litellm.json", #"{"acme-1": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": 1e-06, "ocr_cost_per_credit": 0.5}}"#)
        let imported = try regdb("import", "litellm.json", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains(#"litellm.json:$["acme-1"].ocr_cost_per_credit: warning: [unmapped-price] ocr_cost_per_credit is a price regdb has no unit for; kept in metadata"#),
                "\(imported.stderr)")
        let kept = try sqlite3(dir.file("registry.db"), "SELECT json_extract(metadata, '$.ocr_cost_per_credit') FROM route WHERE route_key = 'acme/acme-1'")
        #expect(kept.stdout == "0.5\n")
    }

    /// Real-shaped responses of OpenAI (chat, responses), Anthropic, Gemini, xAI and OpenRouter,
    /// priced by genai-prices' own extract_usage + calc_price (0.1.4, on its v2 data) and by
    /// `regdb cost --usage-json` with no name: every one agrees, xAI's reasoning tokens, Anthropic's
    /// one-hour cache writes and web searches, OpenRouter's own prices included.
    @Test(.enabled(if: executable("python3") != nil, "python3 is not installed"))
    func responsesAgreeWithGenAIPrices() throws {
        let python = try #require(executable("python3"))
        let script = repoRoot.appending(path: "Tests/RegDBToolTests/Support/compare_usage.py")
        let result = try run(python, [script.path, regdbBinary.path, "--no-name"])
        try #require(result.status != 2, "run scripts/setup to install requirements-test.txt: \(result.stderr)")
        let reports = result.stdoutLines.filter { $0.hasPrefix("{") }.compactMap { try? parse($0) as? [String: Any] }
        #expect(reports.count >= 58, "\(result.stdout.suffix(1000))")
        let disagreeing = reports.filter { $0["agree"] as? Bool != true }
        #expect(disagreeing.isEmpty, "\(disagreeing)")
        #expect(Double(reports.count - disagreeing.count) / Double(max(1, reports.count)) >= 0.98)
        // The route is the API's own: an OpenRouter response on OpenRouter's route, xAI's
        // reasoning billed, an Anthropic one-hour cache write at its own rate.
        let byFile = Dictionary(reports.map { ($0["file"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byFile["openrouter-deepseek-chat-plain.json"]?["route_key"] as? String == "openrouter/deepseek/deepseek-chat")
        #expect((byFile["xai-grok-4-reasoning.json"]?["regdb_billed"] as? [String: Any])?["output_token"] != nil)
        let hour = byFile["anthropic-sonnet-4-cache-write-1h.json"]?["regdb_billed"] as? [String: Any]
        #expect(hour?["cache_write_1h_token"] as? Double == 16384, "\(String(describing: hour))")
    }
}
