import Foundation
import Testing

/// The public catalogs through the binary: `import` detects LiteLLM and
/// models.dev (plain or gzipped), `cost` prices their routes as the catalogs
/// say, `get` finds LiteLLM's own keys, `check` and `diff` work on the result.
@Suite struct CatalogCommandTests {
    /// Design doc 002's YAML has no successor field: its deprecated model imports with a warning,
    /// while the seeds stay strict (a seed's deprecated model must name its successor).
    @Test func aYAMLDeprecatedModelWithoutSuccessorIsAWarning() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try dir.write("dep.yaml", """
            version: 1.0
            providers:
              openai:
                models:
                  gpt-4-legacy:
                    display_name: GPT-4 Legacy
                    api_name: gpt-4-0613
                    status: deprecated
                    context_window: 8192
            """)
        let imported = try regdb("import", "--kind", "file", "dep.yaml", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderrLines == [#"dep.yaml:$.providers.openai.models["gpt-4-legacy"].status: warning: [lifecycle] model gpt-4-legacy is deprecated without a successor (the YAML has no successor field); imported as deprecated"#])
        #expect(try regdb("check", in: dir.url).status == 0)
        let status = try sqlite3(dir.file("registry.db"), "SELECT status FROM model WHERE id = 'gpt-4-legacy'")
        #expect(status.stdout == "deprecated\n")
        // The same in a seed is refused.
        try dir.write("seeds/zz-dep.json", #"{"models": [{"id": "gpt-4-legacy", "name": "GPT-4 Legacy", "status": "deprecated"}]}"#)
        let seed = try regdb("import", "seeds/zz-dep.json", in: dir.url)
        #expect(seed.status == 1 && seed.stderr.contains("is deprecated without a successor"), "\(seed.stderr)")
    }

    static let fixtures = repoRoot.appending(path: "Tests/RegDBTests/Fixtures")
    static let excerpts = ["litellm-excerpt.json", "models-dev-excerpt.json", "models-dev-excerpt.json.gz"]

    /// A temporary directory holding copies of the excerpts (so sources are named by plain file names).
    private func directory() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        for name in Self.excerpts {
            try FileManager.default.copyItem(at: Self.fixtures.appending(path: name), to: dir.file(name))
        }
        return dir
    }

    private func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    private func documents(_ result: ProcessResult) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], "\(result.stdout)")
    }

    private func fixture(_ name: String) throws -> [(key: String, value: [String: Any])] {
        let data = try Data(contentsOf: Self.fixtures.appending(path: name))
        // JSONSerialization loses key order; the keys are put back in file order (where each
        // top-level key first stands in the text), so "later in the file" means what it says.
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let text = String(decoding: data, as: UTF8.self)
        func position(_ key: String) -> Int {
            text.range(of: "\n  \"\(key)\": ").map { text.distance(from: text.startIndex, to: $0.lowerBound) } ?? Int.max
        }
        return object.keys.sorted { (position($0), $0) < (position($1), $1) }
            .compactMap { key in (object[key] as? [String: Any]).map { (key, $0) } }
    }

    private func usd(_ result: ProcessResult) throws -> Double {
        try #require((try object(result.stdout)["usd"] as? NSNumber)?.doubleValue, "no usd in \(result.stdout)")
    }

    // MARK: - import

    @Test func importDetectsBothFormatsAndGzip() throws {
        let dir = try directory()
        let litellm = try regdb("import", "litellm-excerpt.json", in: dir.url)
        #expect(litellm.status == 0, "\(litellm.stderr)")
        #expect(litellm.stdout.hasPrefix("registry.db: imported 1 file: "), "\(litellm.stdout)")
        // The first five warnings, then how many there are; --verbose gives every one.
        #expect(litellm.stderrLines.count == 6, "\(litellm.stderr)")
        #expect(litellm.stderrLines.last?.range(of: #"^… and [0-9]+ more warnings \([0-9]+ in all\); --verbose shows every one$"#,
                                                 options: .regularExpression) != nil, "\(litellm.stderr)")
        let verbose = try regdb("import", "--db", "verbose.db", "--verbose", "litellm-excerpt.json", in: dir.url)
        #expect(verbose.stderrLines.count > 6)
        for line in verbose.stderrLines {
            #expect(line.range(of: #"^litellm-excerpt\.json:\$\S*: warning: \[[a-z-]+\] "#, options: .regularExpression) != nil, "\(line)")
        }

        let gzipped = try regdb("import", "--verbose", "models-dev-excerpt.json.gz", in: dir.url)
        #expect(gzipped.status == 0, "\(gzipped.stderr)")
        for line in gzipped.stderrLines {
            #expect(line.hasPrefix("models-dev-excerpt.json.gz:$"), "\(line)")
            #expect(line.contains(": warning: ["), "\(line)")
        }
        let sources = try documents(try regdb("sources", "--format", "json", in: dir.url))
        #expect(Set(sources.compactMap { $0["name"] as? String }) == ["litellm-excerpt.json", "models-dev-excerpt.json.gz"])
        #expect(sources.allSatisfy { ($0["routes"] as? Int ?? 0) > 20 }, "\(sources)")
    }

    @Test func aWrongFileWithAFormatIsOneLineAndWritesNothing() throws {
        let dir = try directory()
        let wrong = try regdb("import", "--format", "litellm", "models-dev-excerpt.json", in: dir.url)
        #expect(wrong.status == 1)
        #expect(wrong.stdout == "")
        #expect(wrong.stderrLines == [
            "models-dev-excerpt.json:$: error: [litellm-shape] no entry has a litellm_provider; this is not a LiteLLM model_prices_and_context_window.json",
        ])
        let other = try regdb("import", "--format", "models.dev", "litellm-excerpt.json", in: dir.url)
        #expect(other.status == 1)
        #expect(other.stderrLines == [
            "litellm-excerpt.json:$: error: [models-dev-shape] no provider has a \"models\" object; this is not a models.dev catalog",
        ])
        #expect(!FileManager.default.fileExists(atPath: dir.file("registry.db").path))
    }

    /// Sentinel prices: null, one warning line each naming the path, and `get` shows what was given.
    @Test func sentinelPricesBecomeNullWithOneWarningEach() throws {
        let dir = try TemporaryDirectory()
        try dir.write("prices.json", """
            {"sample_spec": {"litellm_provider": "one of …", "input_cost_per_token": 0.0},
             "acme/odd": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": -1.0,
                          "output_cost_per_token": "unknown", "max_output_tokens": 0}}
            """)
        let result = try regdb("import", "prices.json", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderrLines == [
            #"prices.json:$["acme/odd"].input_cost_per_token: warning: [sentinel-price] -1.0 is not a price; recorded as unknown"#,
            #"prices.json:$["acme/odd"].output_cost_per_token: warning: [sentinel-price] "unknown" is not a price; recorded as unknown"#,
            #"prices.json:$["acme/odd"].max_output_tokens: warning: [bad-limit] 0 is not a limit (a whole number > 0); recorded as unknown"#,
        ])
        let got = try documents(try regdb("get", "acme/odd", "--format", "json", in: dir.url))
        let pricing = try #require(got.first?["pricing"] as? [[String: Any]])
        #expect(pricing.count == 2)
        #expect(pricing.allSatisfy { $0["usd"] is NSNull })
        #expect(pricing.compactMap { $0["note"] as? String } == ["the catalog gave -1.0", "the catalog gave \"unknown\""])
        #expect(got.first?["max_output_tokens"] == nil)
        let cost = try regdb("cost", "acme/odd", "--input-tokens", "10", in: dir.url)
        #expect(cost.status == 1)
        #expect(cost.stderrLines == [#"error: acme/odd has no published price per input_token (the catalog gave -1.0)"#])
    }

    // MARK: - cost, get

    /// Through the binary: 10k tokens (below every threshold) of every fixture entry cost what
    /// the catalog says (LiteLLM per token × 1e4, models.dev per 1M ÷ 100).
    @Test func costOfEveryFixtureEntryIsTheCatalogPrice() throws {
        let dir = try directory()
        #expect(try regdb("import", "--db", "litellm.db", "litellm-excerpt.json", in: dir.url).status == 0)
        #expect(try regdb("import", "--db", "models-dev.db", "models-dev-excerpt.json", in: dir.url).status == 0)
        let litellm = try fixture("litellm-excerpt.json")
        var checked = 0
        func routeOf(_ key: String, _ entry: [String: Any]) -> String? {
            guard let provider = entry["litellm_provider"] as? String, key != "sample_spec" else { return nil }
            return key.hasPrefix(provider + "/") ? key : provider + "/" + key
        }
        // Where two entries are one route, the later in the file counts whole.
        var last: [String: Int] = [:]
        for (index, (key, entry)) in litellm.enumerated() { if let route = routeOf(key, entry) { last[route] = index } }
        for (index, (key, entry)) in litellm.enumerated() {
            guard let route = routeOf(key, entry), last[route] == index else { continue }
            for (field, flag) in [("input_cost_per_token", "--input-tokens"), ("output_cost_per_token", "--output-tokens")] {
                guard let price = (entry[field] as? NSNumber)?.doubleValue else { continue }
                // A date alone: no time of day, so no off-peak hours apply (the base price, as the catalog's).
                let result = try regdb("cost", route, flag, "10000", "--at", "2026-12-01", "--db", "litellm.db", "--format", "json", in: dir.url)
                #expect(result.status == 0, "\(key): \(result.stderr)")
                guard result.status == 0 else { continue }
                let lines = try #require(try object(result.stdout)["lines"] as? [[String: Any]])
                let perCall = lines.filter { $0["unit"] as? String == "request" }
                    .reduce(0) { $0 + (($1["usd"] as? NSNumber)?.doubleValue ?? 0) }
                #expect(abs(try usd(result) - price * 1e4 - perCall) <= 1e-9 * max(1, price * 1e4), "\(key) \(field): \(result.stdout)")
                checked += 1
            }
        }
        for (providerKey, provider) in try fixture("models-dev-excerpt.json") {
            for (modelKey, model) in provider["models"] as? [String: [String: Any]] ?? [:] where !modelKey.contains(" ") {
                let cost = model["cost"] as? [String: Any] ?? [:]
                for (field, flag) in [("input", "--input-tokens"), ("output", "--output-tokens")] {
                    guard let price = (cost[field] as? NSNumber)?.doubleValue else { continue }
                    let result = try regdb("cost", providerKey + "/" + modelKey, flag, "10000", "--db", "models-dev.db",
                                           "--format", "json", in: dir.url)
                    #expect(result.status == 0, "\(modelKey): \(result.stderr)")
                    guard result.status == 0 else { continue }
                    #expect(abs(try usd(result) - price / 100) <= 1e-9 * max(1, price), "\(providerKey)/\(modelKey) \(field)")
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    @Test func aLiteLLMKeyIsAnAliasAndUnknownFieldsAreMetadata() throws {
        let dir = try directory()
        #expect(try regdb("import", "litellm-excerpt.json", in: dir.url).status == 0)

        let bare = try regdb("get", "gpt-4o", "--format", "json", in: dir.url)
        #expect(bare.status == 0, "\(bare.stderr)")
        let gpt = try documents(bare)
        // gpt-4o is a canonical id (precedence 2, before the LiteLLM key): every route of the model.
        #expect(Set(gpt.compactMap { $0["route_key"] as? String }) == ["openai/gpt-4o", "azure/gpt-4o"])
        let openai = gpt.first { $0["route_key"] as? String == "openai/gpt-4o" }
        #expect((openai?["metadata"] as? [String: Any])?["litellm_key"] as? String == "gpt-4o")
        // Two entries, one route: both names find it.
        for name in ["deepseek-chat", "deepseek/deepseek-chat"] {
            let found = try documents(try regdb("get", name, "--format", "json", in: dir.url))
            #expect(found.map { $0["route_key"] as? String } == ["deepseek/deepseek-chat"], "\(name)")
        }
        let cost = try regdb("cost", "anthropic.claude-3-5-haiku-20241022-v1:0", "--input-tokens", "1000000", "--format", "json",
                             in: dir.url)
        #expect(cost.status == 0, "\(cost.stderr)")
        #expect(try object(cost.stdout)["route_key"] as? String == "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0")

        let guardrails = try documents(try regdb("get", "bedrock/guardrails", "--format", "json", in: dir.url))
        let metadata = try #require(guardrails.first?["metadata"] as? [String: Any])
        #expect(metadata["mode"] as? String == "guardrail")
        #expect(metadata["guardrail_cost_per_unit"] is [String: Any])
        let databricks = try documents(try regdb("get", "databricks/databricks-typesafeai-jev-1-14-0", "--format", "json", in: dir.url))
        #expect((databricks.first?["metadata"] as? [String: Any])?["input_dbu_cost_per_token"] != nil)
    }

    // MARK: - check, diff

    /// Both catalogs beside the project's seeds: as builtin sources, check reports only that
    /// they are not seed files (drift); imported as files, check is clean.
    @Test func checkAfterImportingBothCatalogs() throws {
        let dir = try directory()
        let seeds = try dir.copySeeds()
        #expect(try regdb(["import"] + seeds, in: dir.url).status == 0)
        // One import per catalog: files of one import must not declare a route twice.
        for catalog in ["litellm-excerpt.json", "models-dev-excerpt.json.gz"] {
            #expect(try regdb("import", catalog, in: dir.url).status == 0)
        }
        let builtin = try regdb("check", in: dir.url)
        #expect(builtin.status == 1)
        #expect(builtin.stderrLines == [
            "registry.db: error: [drift] builtin source litellm-excerpt.json is in the registry but is not a seed file; withdraw it: regdb sources remove litellm-excerpt.json",
            "registry.db: error: [drift] builtin source models-dev-excerpt.json.gz is in the registry but is not a seed file; withdraw it: regdb sources remove models-dev-excerpt.json.gz",
        ])

        #expect(try regdb(["import", "--db", "files.db"] + seeds, in: dir.url).status == 0)
        for catalog in ["litellm-excerpt.json", "models-dev-excerpt.json.gz"] {
            let files = try regdb("import", "--db", "files.db", "--kind", "file", catalog, in: dir.url)
            #expect(files.status == 0, "\(files.stderr)")
        }
        let clean = try regdb("check", "--db", "files.db", in: dir.url)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stderr == "")
    }

    @Test func diffListsDisagreementsLargestFirst() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.json", """
            {"providers": [{"id": "p"}],
             "routes": [{"route": "p/m", "context_window": 1000,
                         "pricing": [{"unit": "input_token", "usd": 3e-06}, {"unit": "output_token", "usd": 1.5e-05}]}]}
            """)
        try dir.write("b.json", """
            {"routes": [{"route": "p/m", "context_window": 1000,
                         "pricing": [{"unit": "input_token", "usd": 3, "per": 1000000}, {"unit": "output_token", "usd": 10, "per": 1000000}]}]}
            """)
        try dir.write("c.json", #"{"routes": [{"route": "p/m", "max_output_tokens": 4096, "context_window": 250}]}"#)
        for file in ["a.json", "b.json", "c.json"] {
            #expect(try regdb("import", file, in: dir.url).status == 0)
        }
        let csv = try regdb("diff", "--format", "csv", in: dir.url)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout == """
            canonical_id,provider,field,typical_usd,relative_difference,value,said_by,others,free
            m,p,pricing.output_token,0.005,0.333333333333,10,b.json,15: a.json,
            m,p,context_window,0,0.75,1000,"a.json, b.json",250: c.json,

            """)
        let filtered = try regdb("diff", "--min-diff", "0.5", "--format", "json", in: dir.url)
        #expect(try documents(filtered).count == 1)
        let bad = try regdb("diff", "--min-diff", "2", in: dir.url)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--min-diff must be a fraction from 0 to 1, not 2.0."), "\(bad.stderr)")

        // The two real excerpts: rows sorted by difference, every pair from two sources.
        let real = try directory()
        for catalog in ["litellm-excerpt.json", "models-dev-excerpt.json"] {
            #expect(try regdb("import", catalog, in: real.url).status == 0)
        }
        let rows = try documents(try regdb("diff", "--format", "json", in: real.url))
        #expect(!rows.isEmpty)
        let dollars = rows.compactMap { ($0["typical_usd"] as? NSNumber)?.doubleValue }
        #expect(dollars.count == rows.count)
        #expect(dollars == dollars.sorted(by: >))
        #expect(rows.allSatisfy { !(($0["others"] as? String) ?? "").isEmpty })
        // The catalogs disagree on DeepSeek's chat model; they agree on gpt-4o.
        #expect(rows.contains { $0["canonical_id"] as? String == "deepseek-chat" && $0["field"] as? String == "pricing.input_token" })
        #expect(!rows.contains { $0["canonical_id"] as? String == "gpt-4o" })
    }
}
