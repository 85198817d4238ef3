import Foundation
import Testing
@testable import RegDB

/// Names as callers write them resolve the one way, in the library, the CLI and SQL.
@Suite struct NameResolutionTests {
    let registry: Registry
    let directory: URL
    let identity: ModelIdentity

    init() throws {
        (registry, directory) = try seededRegistry()
        identity = try ModelIdentity(registry: registry)
    }

    /// Imports seed JSON given as text into a fresh registry.
    private func registry(_ seeds: String...) throws -> Registry {
        let registry = try Registry.inMemory()
        let files = try seeds.enumerated().map { index, text in
            let (file, violations) = SeedReader.decode(name: "seed\(index).json", bytes: Array(text.utf8))
            #expect(violations.isEmpty, "\(violations)")
            return try #require(file)
        }
        _ = try registry.importSeeds(files)
        return registry
    }

    /// name → (canonical id, the route it reaches first, how it matched).
    static let spellings: [(String, String, String, String)] = [
        ("kimi-k2.5", "kimi-k2.5", "openrouter/moonshotai/kimi-k2.5", "canonical_id"),
        ("moonshotai/kimi-k2.5", "kimi-k2.5", "openrouter/moonshotai/kimi-k2.5", "wire_id"),
        ("moonshotai.kimi-k2.5", "kimi-k2.5", "amazon-bedrock/moonshotai.kimi-k2.5", "wire_id"),
        ("kimi-k2.5:cloud", "kimi-k2.5", "openrouter/moonshotai/kimi-k2.5", "alias"),
        ("moonshotai/Kimi-K2.5", "kimi-k2.5", "huggingface/moonshotai/Kimi-K2.5", "wire_id"),
        ("MoonshotAI/kimi-K2.5", "kimi-k2.5", "openrouter/moonshotai/kimi-k2.5", "case"),
        ("Kimi-K2.6", "kimi-k2.6", "kimi-coding/kimi-k2.6", "case"),
        ("kimi-k2.6:cloud", "kimi-k2.6", "kimi-coding/kimi-k2.6", "normalized"),
        ("claude-3-5-sonnet-20240620", "claude-3-5-sonnet", "anthropic/claude-3-5-sonnet-20240620", "wire_id"),
        ("claude-3-5-sonnet-latest", "claude-3-5-sonnet", "anthropic/claude-3-5-sonnet-20241022", "alias"),
        ("claude-3-5-sonnet", "claude-3-5-sonnet", "anthropic/claude-3-5-sonnet-20241022", "canonical_id"),
        ("anthropic/claude-3-5-sonnet-latest", "claude-3-5-sonnet", "anthropic/claude-3-5-sonnet-20241022", "provider_scope"),
        ("claude-sonnet-4", "claude-sonnet-4", "anthropic/claude-sonnet-4-20250514", "canonical_id"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4", "anthropic/claude-sonnet-4-20250514", "wire_id"),
        ("anthropic/claude-sonnet-4", "claude-sonnet-4", "anthropic/claude-sonnet-4-20250514", "provider_scope"),
        ("claude-sonnet-4@20250514", "claude-sonnet-4", "anthropic/claude-sonnet-4-20250514", "normalized"),
        ("us.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4", "anthropic/claude-sonnet-4-20250514", "normalized"),
        ("claude-opus-4-7", "claude-opus-4-7", "anthropic/claude-opus-4-7-20260416", "canonical_id"),
        ("gpt-4o-2024-08-06", "gpt-4o", "openai/gpt-4o", "normalized"),
        ("OpenAI/GPT-4o", "gpt-4o", "openai/gpt-4o", "case"),
        ("o3-2025-04-16", "o3", "openai/o3", "normalized"),
        ("grok-3-latest", "grok-3", "xai/grok-3", "normalized"),
        ("xai/grok-3", "grok-3", "xai/grok-3", "route_key"),
        ("gemini-2.5-pro", "gemini-2.5-pro", "google/gemini-2.5-pro", "canonical_id"),
        ("models/gemini-2.5-pro", "gemini-2.5-pro", "google/gemini-2.5-pro", "normalized"),
    ]

    @Test func everySpellingReachesItsModelAndRoute() throws {
        for (name, canonical, route, match) in Self.spellings {
            let resolution = try registry.resolve(name)
            #expect(resolution.canonicalID == canonical, "\(name)")
            #expect(resolution.routes.first?.routeKey == route, "\(name): \(resolution.routes.map(\.routeKey))")
            #expect(resolution.name.match == match, "\(name)")
            // The library's snapshot answers the same.
            let inMemory = identity.resolve(name)
            #expect(inMemory.modelID == canonical, "\(name)")
            #expect(inMemory.match == match, "\(name)")
        }
    }

    @Test func everyTierTableIDResolvesWithItsTier() throws {
        let tiers = try readJSON(referenceData.appending(path: "llm-capability-tiers.json"))
        guard case .object(let entries)? = tiers["capability_tier"] else { Issue.record("no capability_tier"); return }
        #expect(entries.count == 34)
        for (name, tier) in entries {
            let resolution = try registry.resolve(name)
            #expect(resolution.known, "\(name)")
            #expect(resolution.tier == tier.stringValue, "\(name): \(resolution.tier)")
        }
    }

    @Test func kimiK25AndK26NeverMerge() throws {
        for suffix in ["", ":cloud", "-latest"] {
            for (version, canonical) in [("2.5", "kimi-k2.5"), ("2.6", "kimi-k2.6")] {
                #expect(try registry.resolve("kimi-k\(version)\(suffix)").canonicalID == canonical, "\(version)\(suffix)")
                #expect(try registry.resolve("moonshotai/Kimi-K\(version)\(suffix)").canonicalID == canonical)
            }
        }
        let rules = try registry.read { try NameRules.load($0) }
        #expect(rules.canonicalID(forWireID: "moonshotai/Kimi-K2.6") == "Kimi-K2.6")
        #expect(rules.canonicalID(forWireID: "moonshotai.kimi-k2.5") == "kimi-k2.5")
        #expect(rules.canonicalID(forWireID: "deepseek-v3") == "deepseek-v3")
        #expect(rules.canonicalID(forWireID: "kimi-k2-0905") == "kimi-k2-0905")
    }

    @Test func globPatternsMatchAsSQLiteGlobDoes() throws {
        let cases: [(String, String)] = [("-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]", "-2024-08-06"), ("*/", "a/b/"),
                                         ("-v[0-9]:[0-9]", "-v1:0"), ("[!a-c]x", "dx"), ("[^a-c]x", "dx"), ("[^a-c]x", "bx"), ("a?c", "abc"),
                                         ("a*c", "ac"), ("a*c", "abbd"), ("[0-9]", "10")]
        let registry = try Registry.inMemory()
        for (pattern, text) in cases {
            let sqlite = try registry.rows("SELECT '\(text)' GLOB '\(pattern)' AS m").first?["m"]
            #expect(GlobPattern(pattern).matches(Array(text.utf8)[...]) == (sqlite == .integer(1)), "\(text) GLOB \(pattern)")
        }
    }

    /// The view holds levels 1–4 exactly as the resolver reads them.
    @Test func modelNameViewAgreesWithTheResolver() throws {
        let rows = try registry.rows("SELECT name, precedence, match, model_id FROM model_name WHERE name = 'moonshotai/kimi-k2.5'")
        #expect(Set(rows.compactMap { $0["match"]?.stringValue }) == ["wire_id"])
        #expect(Set(rows.compactMap { $0["model_id"]?.stringValue }) == ["kimi-k2.5"])
        for name in ["kimi-coding/kimi-k2.6", "kimi-k2.6", "claude-3-5-sonnet-latest", "claude-sonnet-4-20250514"] {
            let best = try registry.rows("""
                SELECT match, model_id FROM model_name WHERE name = '\(name)'
                ORDER BY precedence LIMIT 1
                """).first
            let resolved = try registry.resolveName(name)
            #expect(best?["match"]?.stringValue == resolved.match, "\(name)")
            #expect(best?["model_id"]?.stringValue == resolved.modelID, "\(name)")
        }
    }

    @Test func aNameOfTwoModelsIsAmbiguousWithCandidates() throws {
        let registry = try registry("""
            {"providers": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
             "models": [{"id": "m1", "name": "m1", "routes": [{"route": "a/shared"}]},
                        {"id": "m2", "name": "m2", "routes": [{"route": "b/shared"}]}]}
            """)
        let resolved = try registry.resolveName("shared")
        #expect(!resolved.known)
        #expect(resolved.ambiguous)
        #expect(resolved.candidates.count == 2)
        #expect(resolved.candidates.contains { $0.hasPrefix("a/shared (wire_id") })
        do {
            _ = try registry.resolve("shared")
            Issue.record("an ambiguous name resolved")
        } catch let error as RegDBError {
            #expect(error.description.contains("is ambiguous"), "\(error.description)")
            #expect(error.description.contains("b/shared (wire_id, model m2)"), "\(error.description)")
        }
    }

    @Test func unknownIsUnknownAndNotSuggestedBack() throws {
        let resolved = try registry.resolveName("kimi-k9")
        #expect(!resolved.known && !resolved.ambiguous)
        let suggestions = try registry.suggestions(for: "claude-opus-4-6", always: true)
        #expect(!suggestions.contains("claude-opus-4-6"))
    }

    @Test func aCatalogRouteBelongsToTheModelItsWireIDReducesTo() throws {
        let registry = try registry("""
            {"providers": [{"id": "anthropic", "name": "Anthropic"}],
             "models": [{"id": "claude-sonnet-4", "name": "claude-sonnet-4",
                         "routes": [{"route": "anthropic/claude-sonnet-4-20250514"}]}]}
            """, """
            {"providers": [{"id": "bedrock", "name": "Bedrock"}, {"id": "vertex_ai", "name": "Vertex"}],
             "routes": [{"route": "bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0"},
                        {"route": "vertex_ai/claude-sonnet-4@20250514"},
                        {"route": "vertex_ai/claude-sonnet-4-5@20250929"}]}
            """)
        let routes = try registry.routes(of: "claude-sonnet-4").map(\.routeKey)
        #expect(Set(routes) == ["anthropic/claude-sonnet-4-20250514", "bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0",
                                "vertex_ai/claude-sonnet-4@20250514"])
        #expect(try registry.resolve("claude-sonnet-4-5").routes.map(\.routeKey) == ["vertex_ai/claude-sonnet-4-5@20250929"])
    }

    /// The catalogs' spellings of seeded models join them: LiteLLM's Bedrock keys, models.dev's
    /// other providers. Seeds are imported last, as a user adding them to a catalog registry would.
    @Test func catalogSpellingsOfSeededModelsReachThem() throws {
        let fixtures = repoRoot.appending(path: "Tests/RegDBTests/Fixtures")
        let registry = try Registry.inMemory()
        for name in ["litellm-excerpt.json", "models-dev-excerpt.json"] {
            _ = try registry.importSeeds([try Catalog.read(file: fixtures.appending(path: name).path, format: nil).seed])
        }
        _ = try registry.importSeeds(try repositorySeedFiles().map { try Catalog.read(file: $0, format: nil).seed })
        let expected = [
            "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0": "claude-3-5-haiku",
            "anthropic.claude-3-5-haiku-20241022-v1:0": "claude-3-5-haiku",
            "claude-sonnet-4-5-20250929-v1:0": "claude-sonnet-4-5",
            "anthropic/claude-3-5-haiku-20241022": "claude-3-5-haiku",
            "azure/kimi-k2.5": "kimi-k2.5",
            "aihubmix/claude-opus-4-6": "claude-opus-4-6",
            "302ai/claude-opus-4-7": "claude-opus-4-7",
        ]
        for (name, canonical) in expected {
            let resolved = try registry.resolveName(name)
            #expect(resolved.modelID == canonical, "\(name): \(resolved.match ?? "unknown") \(resolved.candidates)")
        }
        // The seeded model now has the catalogs' routes too, the seeds' own first.
        let routes = try registry.routes(of: "claude-opus-4-7").map(\.routeKey)
        #expect(routes.first == "anthropic/claude-opus-4-7-20260416", "\(routes)")
        #expect(routes.contains("302ai/claude-opus-4-7"), "\(routes)")
        #expect(try registry.resolve("kimi-k2.6").routes.map(\.routeKey) == ["kimi-coding/kimi-k2.6"])
    }

    @Test func unpinnedFailoverFromK26OffersK25First() throws {
        let registry = try Registry.open(at: directory.appending(path: "registry.db").path, mode: .readWrite)
        let decision = try registry.failover(from: "kimi-coding/kimi-k2.6", unit: "execute-task", pinned: false)
        #expect(decision.to.canonicalID == "kimi-k2.5")
        #expect(decision.to.routeKey == "openrouter/moonshotai/kimi-k2.5", "priority orders K2.5's routes")
        #expect(decision.relation == .downgrade)
        #expect(decision.steps == 1)
        let event = try #require(decision.downgradeEvent(unit: "execute-task"))
        #expect(event["steps"] == .integer(1))
        #expect(event["to_generation"] == .string("k2.5"))
        // Every K2.5 route failed: the next older generation, k2-thinking, two steps down.
        let next = try registry.failover(from: "kimi-coding/kimi-k2.6", unit: "execute-task",
                                         failed: try registry.routes(of: "kimi-k2.5").map(\.routeKey), pinned: false)
        #expect(next.to.generation == "k2-thinking")
        #expect(next.steps == 2)
    }

    /// No counter, and no sum `metrics show` makes of them, can pass 2^63 - 1: the record is refused, plainly.
    @Test func outcomeCountersCannotOverflow() throws {
        let registry = try Registry.open(at: directory.appending(path: "registry.db").path, mode: .readWrite)
        try registry.recordOutcome(route: "openai/gpt-4o", unit: "big", outcome: .success, count: 9_000_000_000_000_000_000)
        do {
            try registry.recordOutcome(route: "openai/o3", unit: "big", outcome: .failure, count: 300_000_000_000_000_000)
            Issue.record("a record past 2^63 - 1 went through")
        } catch let error as RegDBError {
            #expect(error.description.contains("outcome not recorded"), "\(error.description)")
        }
        _ = try registry.metricsReport(unit: "big")
    }

    /// No single statement breaks the rule, so the import reads deferred_violation before it commits.
    @Test func generationRanksMustAgreeWithinAGeneration() throws {
        do {
            _ = try registry("""
                {"providers": [{"id": "p", "name": "P"}],
                 "models": [{"id": "a", "name": "a", "family": "f", "generation": "g1", "generation_rank": 1},
                            {"id": "b", "name": "b", "family": "f", "generation": "g1", "generation_rank": 2}]}
                """)
            Issue.record("models of one generation with different ranks were imported")
        } catch RegDBError.violations(let found) {
            #expect(found.map(\.rule) == ["generation-rank"])
            #expect(found.first?.path?.description == "$.models[1]")
        }
    }

    @Test func camelCaseAveragesAndRatesAreNotSummed() {
        #expect(!MetricsMigration.isAdditive("avgLatencyMs"))
        #expect(!MetricsMigration.isAdditive("successRate"))
        #expect(!MetricsMigration.isAdditive("p95LatencyMs"))
        #expect(MetricsMigration.isAdditive("successCount"))
        #expect(MetricsMigration.isAdditive("successes"))
        let sum = MetricsMigration.sum([
            ("a/x", .object([("successes", .integer(3)), ("avgLatencyMs", .integer(800)), ("successRate", .number(0.75))])),
            ("b/x", .object([("successes", .integer(2)), ("avgLatencyMs", .integer(400)), ("successRate", .number(0.75))])),
        ])
        #expect(sum == .object([("successes", .integer(5))]))
    }
}
