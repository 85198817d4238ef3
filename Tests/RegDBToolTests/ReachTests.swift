import Foundation
import Testing

/// What other languages read: the SQL contract, JSON that stays JSON, listing
/// without SQL, design doc 002's YAML and docs, and design doc 004's TypeScript.
@Suite struct ReachTests {
    /// Declared JSON columns come back as JSON; --json-cols decodes any JSON text; tables stay text.
    @Test func sqlJSONKeepsJSONColumnsJSON() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let options = try regdb("sql", "SELECT key, options FROM duration_options WHERE key = 'veo3'", "--format", "json", in: dir.url)
        let veo3 = try #require((try parse(options.stdout) as? [[String: Any]])?.first, "\(options.stderr)")
        #expect(veo3["options"] as? [Int] == [5, 6, 7, 8], "\(options.stdout)")
        let card = try regdb("sql", "SELECT capabilities, prices FROM model_card WHERE route_key = 'openai/gpt-4o'", "--format", "json", in: dir.url)
        let row = try #require((try parse(card.stdout) as? [[String: Any]])?.first)
        #expect(row["capabilities"] as? [String: Bool] == ["function_calling": true, "vision": true])
        #expect((row["prices"] as? [String: Double])?["input_token"] == 2.5, "per million tokens: \(card.stdout)")
        // A computed column is text unless asked for.
        let computed = "SELECT json_object('a', 1) AS x"
        #expect(try parse(try regdb("sql", computed, "--format", "json", in: dir.url).stdout) as? [[String: String]] == [["x": #"{"a":1}"#]])
        #expect(try parse(try regdb("sql", computed, "--format", "json", "--json-cols", in: dir.url).stdout) as? [[String: [String: Int]]]
                == [["x": ["a": 1]]])
        let csv = try regdb("sql", "SELECT options FROM duration_options WHERE key = 'veo3'", "--format", "csv", in: dir.url)
        #expect(csv.stdout == "options\n\"[5,6,7,8]\"\n", "\(csv.stdout)")
    }

    /// failover_candidate, ordered as documented, starts with the route `regdb failover` picks.
    @Test(arguments: ["kimi-coding/kimi-k2.6", "openai/gpt-4o", "anthropic/claude-sonnet-4-20250514"])
    func failoverCandidateOrdersAsTheCommand(_ route: String) throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let first = try regdb("sql", """
            SELECT candidate FROM failover_candidate WHERE route_key = '\(route)'
            ORDER BY relation_rank, direction, steps, same_tier DESC, priority IS NULL, priority, candidate LIMIT 1
            """, "--format", "csv", in: dir.url)
        let chosen = try regdb("failover", route, "--unit", "test", "--format", "json", in: dir.url)
        let candidate = first.stdout.split(separator: "\n").dropFirst().first.map(String.init)
        if chosen.status == 0 {
            let picked = (try parse(chosen.stdout) as? [String: Any])?["route_key"] as? String
            #expect(candidate == picked, "SQL says \(candidate ?? "none"), regdb failover says \(picked ?? "none")")
        } else {
            #expect(candidate == nil, "SQL offers \(candidate ?? "") where regdb failover has none: \(chosen.stderr)")
        }
    }

    @Test func listFiltersWithoutSQL() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let result = try regdb("list", "--capability", "vision", "--min-context", "200000", "--format", "json", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try parse(result.stdout) as? [[String: Any]])
        #expect(!rows.isEmpty)
        for row in rows {
            #expect((row["context_window"] as? Int ?? 0) >= 200_000, "\(row)")
            let key = try #require(row["route_key"] as? String)
            let flag = try regdb("sql", "SELECT json_extract(capabilities, '$.vision') FROM route WHERE route_key = '\(key)'",
                                 "--format", "csv", in: dir.url)
            #expect(flag.stdout.hasSuffix("\n1\n"), "\(key) has no vision flag")
        }
        let heavy = try regdb("list", "--tier", "heavy", "--format", "json", in: dir.url)
        let heavyRoutes = Set(((try parse(heavy.stdout) as? [[String: Any]]) ?? []).compactMap { $0["route_key"] as? String })
        let bySQL = try regdb("sql", "SELECT route_key FROM model_card WHERE tier = 'heavy'", "--format", "csv", in: dir.url)
        #expect(heavyRoutes == Set(bySQL.stdout.split(separator: "\n").dropFirst().map(String.init)))
        let unknown = try regdb("list", "--capability", "visoin", in: dir.url)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasPrefix(#"error: unknown capability "visoin"; known: "#), "\(unknown.stderr)")
        #expect(try regdb("list", "--min-context", "0", in: dir.url).status == 64)
    }

    /// design doc 003's `tinkex models`: training type, architecture and size from a Tinker registry file.
    @Test func tinkerListingShowsTrainingTypeArchitectureAndSize() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try dir.write("tinker.json", #"[{"model_name": "Qwen/Qwen3-235B-A22B-Instruct-2507", "training_type": "instruction", "architecture": "moe", "size": "large", "max_context_length": 32768}]"#)
        #expect(try regdb("import", "--kind", "file", "--format", "tinker", "tinker.json", in: dir.url).status == 0)
        let result = try regdb("list", "--provider", "tinker", "--format", "json", in: dir.url)
        let rows = try #require(try parse(result.stdout) as? [[String: Any]], "\(result.stderr)")
        #expect(rows.count == 1)
        #expect(rows.first?["training_type"] as? String == "instruction")
        #expect(rows.first?["architecture"] as? String == "moe")
        #expect(rows.first?["size"] as? String == "large")
        #expect(rows.first?["context_window"] as? Int == 32768)
    }

    /// Design doc 003's enums: a server's value outside one is said and left out (the rest of the
    /// server's answer counts); a seed's is refused by the schema, file and path named.
    @Test func trainingTypeArchitectureAndSizeAreEnums() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try dir.write("tinker.json", #"[{"model_name": "Qwen/Qwen3-8B", "training_type": "banana", "architecture": "moe", "size": "huge"}]"#)
        let imported = try regdb("import", "--kind", "file", "--format", "tinker", "tinker.json", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains(#"tinker.json:$[0].training_type: warning: [enum] training_type "banana" is not one of base, instruction, reasoning, hybrid, vision; left out"#), "\(imported.stderr)")
        #expect(imported.stderr.contains(#"$[0].size: warning: [enum] size "huge" is not one of compact, small, medium, large; left out"#), "\(imported.stderr)")
        let rows = try #require(try parse(try regdb("list", "--provider", "tinker", "--format", "json", in: dir.url).stdout) as? [[String: Any]])
        #expect(rows.first?["architecture"] as? String == "moe")
        #expect(rows.first?["training_type"] == nil || rows.first?["training_type"] is NSNull)

        try dir.write("seed.json", #"{"providers": [{"id": "tinker", "name": "Tinker"}], "routes": [{"route": "tinker/Qwen/Qwen3-8B", "metadata": {"training_type": "banana"}}]}"#)
        let refused = try regdb("import", "--db", "seed.db", "seed.json", in: dir.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(#"[enum] route.metadata.training_type must be base, instruction, reasoning, hybrid or vision (route tinker/Qwen/Qwen3-8B, value "banana")"#), "\(refused.stderr)")
        #expect(refused.stderr.contains("seed.json:$.routes[0].metadata: error: [enum]"), "\(refused.stderr)")
    }

    /// Design doc 002's own YAML: `status:` is read, `maturity:` is its alias, and what has no column is kept.
    @Test func designDoc002YAMLImportsWithItsStatuses() throws {
        let dir = try TemporaryDirectory()
        try dir.write("registry.yaml", """
            providers:
              openai:
                base_url: https://api.openai.com/v1
                env_vars: [OPENAI_API_KEY]
            models:
              - id: "gpt-4o"
                provider: "openai"
                display_name: "GPT-4o"
                context_window: 128000
                cost_per_1k_input: 0.005
                cost_per_1k_output: 0.015
                capabilities:
                  coding_score: 0.95
                  reasoning_score: 0.92
                  supports_vision: true
                  supports_function_calling: true
                status: "production"
                min_api_version: "2024-01-01"
              - id: "o3-mini"
                provider: "openai"
                maturity: BETA
              - id: "o9"
                provider: "openai"
                maturity: GA
                reasoning_score: high
                capabilities:
                  coding_score: 1.5
                  supports_streaming: "yes"
              - id: "lattice-shaped"
                provider: "openai"
                reasoning_score: 90.0
                coding_score: 85
                speed_rating: 8.0
            """)
        let imported = try regdb("import", "--kind", "file", "registry.yaml", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let models = try regdb("sql", "SELECT id, status, scores, metadata FROM model ORDER BY id", "--format", "json", in: dir.url)
        let rows = try #require(try parse(models.stdout) as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as? String ?? "", $0) })
        #expect(byID["gpt-4o"]?["status"] as? String == "production")
        #expect(byID["gpt-4o"]?["scores"] as? [String: Double] == ["coding": 0.95, "reasoning": 0.92])
        #expect(byID["gpt-4o"]?["metadata"] as? [String: String] == ["min_api_version": "2024-01-01"])
        #expect(byID["o3-mini"]?["status"] as? String == "beta")
        #expect(byID["o9"]?["status"] is NSNull)
        #expect(byID["o9"]?["metadata"] as? NSDictionary == ["maturity": "GA", "reasoning_score": "high",
                                                           "capabilities": ["coding_score": 1.5, "supports_streaming": "yes"]])
        #expect(imported.stderr.contains("maturity GA is not a lifecycle status"), "\(imported.stderr)")
        // One scale, 0 to 1: the orchestrator's flat scores are out of 100 (speed out of 10), the
        // doc's capabilities out of 1; what is unusable is said, once each, and kept in metadata.
        #expect(byID["lattice-shaped"]?["scores"] as? [String: Double] == ["reasoning": 0.9, "coding": 0.85, "speed": 0.8])
        #expect(imported.stderr.contains(#"$.models[2].reasoning_score: warning: [score] reasoning_score "high" is not a number; kept in metadata, not as a score"#), "\(imported.stderr)")
        #expect(imported.stderr.contains("$.models[2].capabilities.coding_score: warning: [score] coding_score 1.5 is outside its scale 0 to 1"), "\(imported.stderr)")
        #expect(imported.stderr.contains(#"$.models[2].capabilities.supports_streaming: warning: [type] supports_streaming "yes" is neither true/false nor a score; kept in metadata"#), "\(imported.stderr)")
        let card = try regdb("sql", "SELECT scores FROM model_card WHERE route_key = 'openai/gpt-4o'", "--format", "json", in: dir.url)
        #expect(card.stdout.contains(#""coding": 0.95"#), "\(card.stdout)")

        let docs = try regdb("export", "docs", in: dir.url)
        #expect(docs.stdout.contains("Base URL: `https://api.openai.com/v1` · Keys in: `OPENAI_API_KEY`"), "\(docs.stdout)")
        #expect(docs.stdout.contains("| function_calling, vision |") || docs.stdout.contains("| vision, function_calling |"), "\(docs.stdout)")
        #expect(docs.stdout.contains("coding 0.95, reasoning 0.92"), "\(docs.stdout)")
    }

    /// The README's questions in Python's sqlite3 run as written and answer.
    @Test(.enabled(if: executable("python3") != nil, "python3 is not installed"))
    func readmeSQLQuestionsRun() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let readme = try String(contentsOf: repoRoot.appending(path: "README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "The questions people ask most"))
        let open = try #require(readme.range(of: "```python\n", range: start.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "```", range: open.upperBound..<readme.endIndex))
        // Each question's answer is printed, so an empty answer shows.
        let code = readme[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.hasPrefix("db.execute") || line.hasPrefix("json.loads") ? "print(" + line : String(line) }
        var script: [String] = []
        for line in code {
            if let last = script.last, last.hasPrefix("print("), line.hasPrefix(" ") {
                script[script.count - 1] = last + "\n" + line
            } else {
                script.append(line)
            }
        }
        let text = script.map { $0.hasPrefix("print(") ? $0 + ")" : $0 }.joined(separator: "\n")
        try dir.write("questions.py", text)
        let result = try run(try #require(executable("python3")), ["questions.py"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)\n\(text)")
        let answers = result.stdoutLines
        #expect(answers.count == 6, "\(result.stdout)")
        #expect(answers.allSatisfy { $0 != "None" && $0 != "[]" }, "\(result.stdout)")
        #expect(answers.first?.contains("'openai/gpt-4o'") == true)
        #expect(answers.last?.contains("kimi-k2.5") == true)
        #expect(answers[4].contains("'route_key': 'fal/fal-ai/veo3'") && answers[4].contains("'pricing': [{"), "\(answers[4])")
    }

    /// The router's identity tables hold every route's canonical id, generation and tier.
    @Test func identityExportHoldsEveryRoute() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let module = try regdb("export", "identity", in: dir.url)
        #expect(module.status == 0, "\(module.stderr)")
        #expect(module.stdout.hasPrefix("// Generated by regdb — do not edit. Regenerate: regdb export identity\n"))
        let routes = try regdb("sql", "SELECT route_key, canonical_id, tier, wire_id FROM resolved_routes", "--format", "json", in: dir.url)
        let rows = try #require(try parse(routes.stdout) as? [[String: String]])
        #expect(rows.count > 100)
        for row in rows {
            let key = row["route_key"] ?? "", id = row["canonical_id"] ?? "", tier = row["tier"] ?? "", wire = row["wire_id"] ?? ""
            // Only a route whose canonical id is not its wire id needs a mapping (design doc 004).
            #expect(module.stdout.contains("  \"\(key)\": \"\(id)\",\n") == (id != wire), "\(key) → \(id)")
            #expect(module.stdout.contains("    \"\(wire)\": { \"id\": \"\(wire)\""), "\(key) has no upstream entry")
            #expect(module.stdout.contains("  \"\(id)\": \"\(tier)\",\n"), "tier of \(id) missing")
        }
        #expect(module.stdout.contains("export function sameGeneration(a: CanonicalId, b: CanonicalId): boolean"))
        try dir.write("model-registry.ts", module.stdout)
        #expect(try regdb("check", "--generated", "model-registry.ts", in: dir.url).status == 0)
    }
}
