import Foundation
import Testing
@testable import RegDB

/// Design doc 004: canonical identity replaces the router's three alias tables.
@Suite struct IdentityTests {
    let registry: Registry
    let directory: URL
    let identity: ModelIdentity
    let tables: JSONValue

    init() throws {
        (registry, directory) = try seededRegistry()
        identity = try ModelIdentity(registry: registry)
        tables = try readJSON(repoRoot.appending(path: "Tests/RegDBTests/Fixtures/doc004-alias-tables.json"))
    }

    private func entries(_ table: String) -> [(key: String, value: String)] {
        guard case .object(let members)? = tables[table] else { return [] }
        return members.compactMap { member in member.value.stringValue.map { (member.key, $0) } }
    }

    @Test func everyCanonicalByRouteEntryResolvesAsBefore() {
        #expect(entries("canonical_by_route").count == 22)
        for (route, canonical) in entries("canonical_by_route") {
            #expect(identity.canonicalID(for: route) == canonical, "\(route)")
            let slash = route.firstIndex(of: "/") ?? route.startIndex
            let looked = identity.lookup(provider: String(route[..<slash]), wireID: String(route[route.index(after: slash)...]))
            #expect(looked?.canonicalID == canonical, "\(route)")
            #expect(looked.map { ModelIdentity.routeKey(provider: $0.provider, wireID: $0.wireID) } == route)
        }
    }

    @Test func everyGenerationEntryIsKept() {
        #expect(entries("generation").count == 12)
        for (canonical, generation) in entries("generation") {
            #expect(identity.generation(for: canonical) == generation, "\(canonical)")
        }
    }

    @Test func everyTierEntryIsKeptIncludingTheRoutersCapabilityTable() throws {
        for (canonical, tier) in entries("tier") {
            #expect(identity.tier(for: canonical) == tier, "\(canonical)")
        }
        guard case .object(let table)? = try readJSON(referenceData.appending(path: "llm-capability-tiers.json"))["capability_tier"] else {
            Issue.record("llm-capability-tiers.json lost its table")
            return
        }
        #expect(table.count == 34)
        for (id, tier) in table {
            // A dated or moving name (claude-3-5-sonnet-latest) is an alias of its model.
            let model = try #require(identity.resolve(id).modelID, "\(id) does not resolve")
            #expect(identity.tier(for: model) == tier.stringValue, "\(id)")
            #expect(identity.generation(for: model) != nil, "\(id) has no generation")
        }
    }

    /// The router once aliased kimi-k2.5 to kimi-k2.6 for tiers, silently treating
    /// K2.5 as K2.6. They are distinct canonical models with their own tier rows.
    @Test func kimiK25IsNotK26() throws {
        #expect(identity.canonicalID(for: "openrouter/moonshotai/kimi-k2.5") == "kimi-k2.5")
        #expect(identity.generation(for: "kimi-k2.5") == "k2.5")
        #expect(identity.generation(for: "kimi-k2.6") == "k2.6")
        #expect(!identity.sameGeneration("kimi-k2.5", "kimi-k2.6"))
        let stored = try registry.rows("SELECT id, tier FROM model WHERE id IN ('kimi-k2.5', 'kimi-k2.6') ORDER BY id")
        #expect(stored.map { $0["tier"] } == [.string("standard"), .string("standard")], "each needs its own tier row")
        for route in identity.routes(for: "kimi-k2.6") {
            #expect(!route.wireID.lowercased().contains("k2.5"), "a K2.5 route resolves to kimi-k2.6: \(route.routeKey)")
        }
        for route in identity.routes(for: "kimi-k2.5") {
            #expect(route.wireID.lowercased().contains("k2.5"), "\(route.routeKey)")
        }
    }

    @Test func unknownInputReturnsNil() {
        #expect(identity.lookupRoute("nope/nothing") == nil)
        #expect(identity.canonicalID(for: "no-slash") == nil)
        #expect(identity.tier(for: "no-such-model") == nil)
        #expect(identity.generation(for: "no-such-model") == nil)
        #expect(identity.routes(for: "no-such-model").isEmpty)
        #expect(!identity.sameGeneration("no-such-model", "kimi-k2.5"))
    }

    @Test func defaultsApplyAtQueryTimeOnly() throws {
        // kimi-k2-turbo has a generation but no recorded tier; deepseek-chat no generation.
        #expect(identity.tier(for: "kimi-k2-turbo") == "standard")
        #expect(try registry.rows("SELECT tier FROM model WHERE id = 'kimi-k2-turbo'").first?["tier"] == .null)
        #expect(identity.generation(for: "deepseek-chat") == "deepseek-chat")
        #expect(identity.sameGeneration("kimi-k2", "kimi-k2-0905"))
        #expect(identity.allCanonicalIDs().contains("kimi-k2.5"))
        #expect(identity.allCanonicalIDs() == identity.allCanonicalIDs().sorted())
    }

    @Test func resolvedRouteCarriesTheRouteFacts() throws {
        let gpt = try #require(identity.lookupRoute("openai/gpt-4o"))
        #expect(gpt.canonicalID == "gpt-4o" && gpt.tier == "standard")
        #expect(gpt.cost == ResolvedModel.Cost(input: 2.5, output: 10.0, cacheRead: 1.25, cacheWrite: nil))
        #expect(gpt.contextWindow == 128000)
        #expect(gpt.baseURL == "https://api.openai.com/v1")
        #expect(gpt.capabilities == .object([("function_calling", .bool(true)), ("vision", .bool(true))]))
        let sonnet = try #require(identity.lookupRoute("anthropic/claude-3-5-sonnet-20240620"))
        #expect(sonnet.canonicalID == "claude-3-5-sonnet" && sonnet.wireID == "claude-3-5-sonnet-20240620")
    }
}

@Suite struct FailoverTests {
    let registry: Registry
    let directory: URL

    init() throws {
        (registry, directory) = try seededRegistry()
    }

    /// A registry that can be written to (seededRegistry opens read-only).
    private func writable() throws -> Registry {
        try Registry.open(at: directory.appending(path: "registry.db").path, mode: .readWrite)
    }

    @Test func pinnedK26NeverFailsOverToK25() throws {
        #expect(throws: RegDBError.self) {
            try writable().failover(from: "kimi-coding/kimi-k2.6", unit: "solve", pinned: true)
        }
        do {
            _ = try writable().failover(from: "kimi-coding/kimi-k2.6", unit: "solve", pinned: true)
        } catch {
            #expect("\(error)" == "error: no route left to fail over to from kimi-coding/kimi-k2.6 (pinned to canonical id kimi-k2.6); excluded: kimi-coding/kimi-k2.6")
        }
    }

    @Test func sameCanonicalRoutesComeFirstAndFailedOnesAreSkipped() throws {
        let db = try writable()
        let first = try db.failover(from: "openrouter/moonshotai/kimi-k2.5", unit: "execute-task", pinned: true)
        #expect(first.to.canonicalID == "kimi-k2.5")
        #expect(first.relation == .sameCanonical)
        #expect(first.to.routeKey == "vercel-ai-gateway/moonshotai/kimi-k2.5", "the other route of priority 1")
        let failed = ["vercel-ai-gateway/moonshotai/kimi-k2.5", "huggingface/moonshotai/Kimi-K2.5", "opencode-go/kimi-k2.5",
                      "opencode/kimi-k2.5"]
        let next = try db.failover(from: "openrouter/moonshotai/kimi-k2.5", unit: "execute-task", failed: failed, pinned: true)
        #expect(next.to.routeKey == "amazon-bedrock/moonshotai.kimi-k2.5")
        #expect(throws: RegDBError.self) {
            try db.failover(from: "openrouter/moonshotai/kimi-k2.5", unit: "execute-task",
                            failed: failed + ["amazon-bedrock/moonshotai.kimi-k2.5"], pinned: true)
        }
    }

    @Test func healthOrdersCandidatesOfEqualPriority() throws {
        let db = try writable()
        try db.recordOutcome(route: "opencode-go/kimi-k2.5", unit: "execute-task", outcome: .failure, count: 5)
        try db.recordOutcome(route: "opencode/kimi-k2.5", unit: "execute-task", outcome: .success, count: 3)
        // Left: the two opencode plans, both of priority 4.
        let failed = ["vercel-ai-gateway/moonshotai/kimi-k2.5", "amazon-bedrock/moonshotai.kimi-k2.5", "huggingface/moonshotai/Kimi-K2.5"]
        let choice = try db.failover(from: "openrouter/moonshotai/kimi-k2.5", unit: "execute-task", failed: failed, pinned: false)
        #expect(choice.to.routeKey == "opencode/kimi-k2.5")
        #expect(choice.health == 0.8)
        // Health is per unit: another unit has no outcomes and falls back to route key order.
        let other = try db.failover(from: "openrouter/moonshotai/kimi-k2.5", unit: "solve", failed: failed, pinned: false)
        #expect(other.to.routeKey == "opencode-go/kimi-k2.5")
    }

    @Test func sameGenerationIsNotADowngrade() throws {
        let db = try writable()
        let choice = try db.failover(from: "groq/moonshotai/kimi-k2-instruct", unit: "execute-task",
                                     failed: ["huggingface/moonshotai/Kimi-K2-Instruct", "openrouter/moonshotai/kimi-k2",
                                              "vercel-ai-gateway/moonshotai/kimi-k2"], pinned: false)
        #expect(choice.to.canonicalID == "kimi-k2-0905")
        #expect(choice.relation == .sameGeneration)
        #expect(choice.downgradeEvent(unit: "execute-task") == nil)
    }

    @Test func crossGenerationDowngradeIsReportedAndRecorded() throws {
        let db = try writable()
        let choice = try db.failover(from: "kimi-coding/kimi-k2.6", unit: "execute-task", pinned: false)
        #expect(choice.relation == .downgrade)
        #expect(choice.to.generation != "k2.6")
        let event = try #require(choice.downgradeEvent(unit: "execute-task"))
        #expect(event["event"] == .string("generation_downgrade"))
        #expect(event["from_generation"] == .string("k2.6"))
        let recorded = try db.rows("SELECT from_route, to_route, from_generation, to_generation FROM failover_event")
        #expect(recorded.count == 1)
        #expect(recorded.first?["to_route"] == .string(choice.to.routeKey))
    }
}

@Suite struct MetricsTests {
    let registry: Registry
    let directory: URL

    init() throws {
        let (_, directory) = try seededRegistry()
        self.directory = directory
        registry = try Registry.open(at: directory.appending(path: "registry.db").path, mode: .readWrite)
    }

    @Test func aggregateIsTheSumOfRoutesAndUnmappedIsKept() throws {
        try registry.recordOutcome(route: "openrouter/moonshotai/kimi-k2.5", unit: "execute-task", outcome: .success, count: 3)
        try registry.recordOutcome(route: "opencode/kimi-k2.5", unit: "execute-task", outcome: .success)
        try registry.recordOutcome(route: "opencode/kimi-k2.5", unit: "execute-task", outcome: .timeout)
        try registry.recordOutcome(route: "foo-provider/bar-model", unit: "execute-task", outcome: .failure)
        let report = try registry.metricsReport()
        let kimi = try #require(report["execute-task"]?["kimi-k2.5"])
        #expect(kimi["aggregate"] == .object([("successes", .integer(4)), ("failures", .integer(0)), ("timeouts", .integer(1))]))
        guard case .object(let byRoute)? = kimi["by_route"] else { Issue.record("no by_route"); return }
        #expect(byRoute.map(\.key) == ["opencode/kimi-k2.5", "openrouter/moonshotai/kimi-k2.5"])
        let unmapped = try #require(report["execute-task"]?["_unmapped"])
        #expect(unmapped["aggregate"] == nil)
        #expect(unmapped["by_route"]?["foo-provider/bar-model"]?["failures"] == .integer(1))
        #expect(try registry.outcomes(canonicalID: "kimi-k2.5", unit: "execute-task") == OutcomeCounts(successes: 4, failures: 0, timeouts: 1))
        // Aggregate equals the sum for every canonical id, whatever was recorded.
        let mismatches = try registry.rows("""
            SELECT a.canonical_id FROM metrics_aggregate a
            WHERE a.successes <> (SELECT sum(successes) FROM metrics_by_route b WHERE b.unit = a.unit AND b.canonical_id = a.canonical_id)
            """)
        #expect(mismatches.isEmpty)
    }

    @Test func neverSeenCanonicalIdReadsAsZeros() throws {
        #expect(try registry.outcomes(canonicalID: "kimi-k2.6", unit: "never-run") == OutcomeCounts())
        #expect(try registry.outcomes(canonicalID: "not-a-model", unit: "execute-task") == OutcomeCounts())
    }
}

@Suite struct MetricsMigrationTests {
    let identity: ModelIdentity
    let directory: URL

    init() throws {
        let (registry, directory) = try seededRegistry()
        self.directory = directory
        identity = try ModelIdentity(registry: registry)
    }

    private func oldFile() throws -> (path: String, original: Data) {
        let original = try Data(contentsOf: repoRoot.appending(path: "Tests/RegDBTests/Fixtures/model-performance.old.json"))
        let path = directory.appending(path: "model-performance.json").path
        try original.write(to: URL(filePath: path))
        return (path, original)
    }

    @Test func roundTripKeepsEveryRouteAndSumsAggregates() throws {
        let (path, original) = try oldFile()
        let old = try JSONParser.parse([UInt8](original))
        let result = try MetricsMigration.migrate(file: path, identity: identity)
        #expect(result == .migrated(routes: 5, unmapped: 1, backup: path + ".pre-canonical-backup"))
        #expect(FileManager.default.contents(atPath: path + ".pre-canonical-backup") == original)

        let migrated = try readJSON(URL(filePath: path))
        // Reload: every per-route entry is exactly the old one, unknown fields included.
        guard case .object(let units) = old else { Issue.record("fixture shape"); return }
        for (unit, routes) in units {
            guard case .object(let entries) = routes else { continue }
            for (route, counters) in entries {
                let canonical = identity.canonicalID(for: route) ?? "_unmapped"
                #expect(migrated[unit]?[canonical]?["by_route"]?[route] == counters, "\(unit) \(route)")
            }
        }
        #expect(migrated["execute-task"]?["kimi-k2.5"]?["aggregate"] == .object([
            ("successes", .integer(4)), ("failures", .integer(2)), ("timeouts", .integer(1)), ("tokens", .integer(1250)),
        ]))
        // Averages are carried per route but not summed into the aggregate.
        #expect(migrated["execute-task"]?["kimi-k2.6"]?["by_route"]?["kimi-coding/kimi-k2.6"]?["avg_latency_ms"] == .number(1200.5))
        #expect(migrated["execute-task"]?["kimi-k2.6"]?["aggregate"]?["avg_latency_ms"] == nil)
        #expect(migrated["execute-task"]?["_unmapped"]?["by_route"]?["foo-provider/bar-model"] != nil)
        #expect(migrated["execute-task"]?["_unmapped"]?["aggregate"] == nil)
        #expect(migrated["solve"]?["kimi-k2.6"]?["aggregate"]?["failures"] == .integer(1))
    }

    @Test func migratingTwiceIsANoOpAndKeepsOneBackup() throws {
        let (path, original) = try oldFile()
        _ = try MetricsMigration.migrate(file: path, identity: identity)
        let once = FileManager.default.contents(atPath: path)
        #expect(try MetricsMigration.migrate(file: path, identity: identity) == .alreadyCanonical)
        #expect(FileManager.default.contents(atPath: path) == once)
        #expect(FileManager.default.contents(atPath: path + ".pre-canonical-backup") == original)
        let backups = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("backup") }
        #expect(backups == ["model-performance.json.pre-canonical-backup"])
    }

    @Test func badFilesAreErrorsWithPaths() throws {
        let path = directory.appending(path: "bad.json").path
        try Data(#"{"execute-task": ["not", "an", "object"]}"#.utf8).write(to: URL(filePath: path))
        do {
            _ = try MetricsMigration.migrate(file: path, identity: identity)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "\(path):$[\"execute-task\"]: error: [metrics-shape] expected an object of route keys, found array")
        }
        #expect(FileManager.default.fileExists(atPath: path + ".pre-canonical-backup") == false)
    }
}
