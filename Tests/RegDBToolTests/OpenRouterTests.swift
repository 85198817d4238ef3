import Foundation
import Testing

private let excerpt = repoRoot.appending(path: "Tests/RegDBTests/Fixtures/openrouter-excerpt.json")

/// OpenRouter's `/api/v1/models` as a catalog: each entry's per-token strings are its price,
/// exactly; long-prompt overrides bill the whole request; what regdb cannot read is named.
@Suite struct OpenRouterTests {
    private func seeded() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        return dir
    }

    private func cost(_ route: String, input: Int, output: Int, in dir: TemporaryDirectory) throws -> Decimal {
        let result = try regdb("cost", route, "--input-tokens", "\(input)", "--output-tokens", "\(output)", "--format", "json", in: dir.url)
        #expect(result.status == 0, "\(route): \(result.stderr)")
        let usd = try #require((try parse(result.stdout) as? [String: Any])?["usd"] as? NSNumber, "\(result.stdout)")
        return Decimal(string: usd.stringValue) ?? .nan
    }

    /// Every price of the excerpt, read as OpenRouter writes it (a decimal string per token) and
    /// computed here in decimal arithmetic, is what regdb cost charges for 100,000 tokens.
    @Test func everyEntryCostsWhatOpenRouterSays() throws {
        let dir = try seeded()
        try FileManager.default.copyItem(at: excerpt, to: dir.file("models.json"))
        let imported = try regdb("import", "--kind", "catalog", "--source", "openrouter", "models.json", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let catalog = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: excerpt)) as? [String: Any])
        let entries = try #require(catalog["data"] as? [[String: Any]])
        var checked = 0
        for entry in entries {
            let id = try #require(entry["id"] as? String)
            let pricing = entry["pricing"] as? [String: Any] ?? [:]
            guard let prompt = (pricing["prompt"] as? String).flatMap({ Decimal(string: $0) }), prompt >= 0,
                  let completion = (pricing["completion"] as? String).flatMap({ Decimal(string: $0) }) else { continue }
            // 100,000 tokens: under every long-prompt threshold.
            let input = try cost("openrouter/" + id, input: 100_000, output: 0, in: dir)
            #expect(input == prompt * 100_000, "\(id) input: \(input)")
            let output = try cost("openrouter/" + id, input: 0, output: 100_000, in: dir)
            #expect(output == completion * 100_000, "\(id) output: \(output)")
            checked += 1
        }
        #expect(checked == 5)

        // "-1" is a router's dynamic price: no price, said once per field, and cost says so.
        #expect(imported.stderrLines == [
            "models.json:$.data[5].pricing.prompt: warning: [sentinel-price] \"-1\" is not a price; recorded as unknown",
            "models.json:$.data[5].pricing.completion: warning: [sentinel-price] \"-1\" is not a price; recorded as unknown",
        ], "\(imported.stderr)")
        let auto = try regdb("cost", "openrouter/openrouter/auto", "--input-tokens", "100", in: dir.url)
        #expect(auto.status == 1 && auto.stderr.contains("no published price per input_token (the catalog gave \"-1\")"), "\(auto.stderr)")
    }

    /// Past min_prompt_tokens the override's rates bill the whole request, as the provider does.
    @Test func longPromptOverrideBillsTheWholeRequest() throws {
        let dir = try seeded()
        #expect(try regdb("import", "--kind", "catalog", excerpt.path, in: dir.url).status == 0)
        let route = "openrouter/anthropic/claude-sonnet-4"
        // 100,000 in at $3/M and 1,000 out at $15/M; 250,000 in at $6/M and 1,000 out at $22.50/M.
        #expect(try cost(route, input: 100_000, output: 1_000, in: dir) == Decimal(string: "0.315"))
        #expect(try cost(route, input: 250_000, output: 1_000, in: dir) == Decimal(string: "1.5225"))
    }

    @Test func limitsModalitiesAndParameters() throws {
        let dir = try seeded()
        #expect(try regdb("import", "--kind", "catalog", excerpt.path, in: dir.url).status == 0)
        func get(_ route: String) throws -> [String: Any] {
            let result = try regdb("get", route, "--format", "json", in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            return try #require((try parse(result.stdout) as? [[String: Any]])?.first)
        }
        let jamba = try get("openrouter/ai21/jamba-large-1.7")
        #expect(jamba["name"] as? String == "Jamba Large 1.7" && jamba["category"] as? String == "chat")
        #expect(jamba["context_window"] as? Int == 256000 && jamba["max_output_tokens"] as? Int == 4096)
        #expect(jamba["input_modalities"] as? [String] == ["text"] && jamba["reasoning"] as? Bool == false)
        #expect(jamba["capabilities"] as? [String: Bool] == ["tool_call": true, "structured_output": false])
        let metadata = try #require(jamba["metadata"] as? [String: Any])
        #expect(metadata["maker_label"] as? String == "AI21" && metadata["canonical_slug"] as? String == "ai21/jamba-large-1.7")
        #expect((metadata["supported_parameters"] as? [String])?.count == 7)
        #expect(try get("openrouter/aion-labs/aion-1.0")["reasoning"] as? Bool == true)
        // The context observation is the catalog's documentation, not a server's answer.
        let source = try sqlite3(dir.file("registry.db"), "SELECT context_window_source FROM route WHERE route_key = 'openrouter/ai21/jamba-large-1.7'")
        #expect(source.stdoutLines == ["docs"])
    }

    /// What regdb has no rule for is kept and named: a non-zero price of an unknown key, an override
    /// on another condition; a zero charge is kept without a word. A file that is not the list is refused.
    @Test func whatCannotBeReadIsNamed() throws {
        let dir = try seeded()
        try dir.write("models.json", """
            {"data": [{"id": "acme/one", "context_length": 8192,
                       "pricing": {"prompt": "0.000001", "completion": "0.000002", "image": "0.0048", "discount": 0,
                                   "overrides": [{"min_prompt_tokens": 100000, "prompt": "0.000002"},
                                                 {"time_window": "peak", "prompt": "0.000003"}]}}]}
            """)
        let result = try regdb("import", "--kind", "catalog", "models.json", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderrLines == [
            "models.json:$.data[0].pricing.image: warning: [unmapped-price] pricing.image is a price regdb has no unit for; kept in metadata",
            "models.json:$.data[0].pricing.overrides[1]: warning: [unmapped-price] an override on another condition than min_prompt_tokens alone is a price regdb has no rule for; kept in metadata",
        ], "\(result.stderr)")
        let metadata = try sqlite3(dir.file("registry.db"), "SELECT json_extract(metadata, '$.pricing') FROM route WHERE route_key = 'openrouter/acme/one'")
        #expect(metadata.stdoutLines == [#"{"image":"0.0048","discount":0,"overrides":[{"time_window":"peak","prompt":"0.000003"}]}"#])
        let cost = try regdb("cost", "openrouter/acme/one", "--input-tokens", "200000", "--format", "json", in: dir.url)
        #expect((try parse(cost.stdout) as? [String: Any])?["usd"] as? Double == 0.4, "\(cost.stdout)")

        try dir.write("broken.json", #"{"data": {"id": "x"}}"#)
        let broken = try regdb("import", "--format", "openrouter", "broken.json", in: dir.url)
        #expect(broken.status == 1)
        #expect(broken.stderrLines.first?.hasPrefix("broken.json:$.data: error: [openrouter-shape] expected OpenRouter's model list") == true, "\(broken.stderr)")
    }
}
