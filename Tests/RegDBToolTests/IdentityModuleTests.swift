import Foundation
import Testing

/// Design doc 004's `model-registry.ts` as its consumer uses it: type-checked by `tsc --strict`,
/// compiled, and run by `node`; every answer compared with `regdb resolve`. tsc and node come
/// from Debian's node-typescript and nodejs, which scripts/setup installs.
@Suite struct IdentityModuleTests {
    /// A seeded registry with its module compiled to model-registry.js.
    private struct Compiled {
        let dir: TemporaryDirectory
        let node: URL

        init() throws {
            dir = try TemporaryDirectory()
            _ = try dir.importedRegistry()
            let module = try regdb("export", "identity", "--out", "model-registry.ts", in: dir.url)
            #expect(module.status == 0, "\(module.stderr)")
            let tsc = try #require(executable("tsc"), "tsc is not installed (Debian node-typescript; scripts/setup installs it)")
            node = try #require(executable("node"), "node is not installed (scripts/setup installs it)")
            let compiled = try run(tsc, ["--strict", "--target", "es2020", "--module", "commonjs", "model-registry.ts"], in: dir.url)
            #expect(compiled.status == 0, "tsc --strict: \(compiled.stdout)\(compiled.stderr)")
        }

        /// What `script` prints as JSON, run by node beside the compiled module.
        func answer(_ script: String) throws -> Any {
            _ = try dir.write("answer.js", "const registry = require(\"./model-registry.js\");\n" + script)
            let result = try run(node, ["answer.js"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            return try parse(result.stdout)
        }
    }

    /// lookupRoute of every route answers what `regdb resolve` answers for it, field by field.
    @Test func everyRouteResolvesAsTheCLIDoes() throws {
        let module = try Compiled()
        let keys = try sqlite3(module.dir.file("registry.db"), "SELECT route_key FROM route ORDER BY route_key").stdoutLines
        #expect(keys.count > 100)
        let answers = try #require(try module.answer("""
            const keys = \(String(decoding: try JSONSerialization.data(withJSONObject: keys), as: UTF8.self));
            console.log(JSON.stringify(keys.map(k => registry.lookupRoute(k))));
            """) as? [[String: Any]])
        #expect(answers.count == keys.count)
        for (key, ts) in zip(keys, answers) {
            let cli = try #require(try parse(try regdb("resolve", key, "--format", "json", in: module.dir.url).stdout) as? [String: Any])
            let field = { (name: String) -> String in jsonText(cli[name]) }
            #expect(jsonText(ts["canonical_id"]) == field("canonical_id"), "\(key)")
            #expect(jsonText(ts["generation"]) == field("generation"), "\(key)")
            #expect(jsonText(ts["tier"]) == field("tier"), "\(key)")
            #expect(jsonText(ts["wire_id"]) == field("wire_id") && jsonText(ts["provider"]) == field("provider"), "\(key)")
            // The module's "" is the registry's unknown.
            #expect(jsonText(ts["api"]) == (cli["api"] is NSNull ? "\"\"" : field("api")), "\(key)")
            #expect(jsonText(ts["baseUrl"]) == (cli["base_url"] is NSNull ? "\"\"" : field("base_url")), "\(key)")
            #expect(jsonText(ts["capabilities"] ?? [String: Any]()) == field("capabilities"), "\(key)")
            let cost = (cli["cost"] as? [String: Any]).map { cost in
                // resolve lists the four with null for a price the route lacks; the module leaves it out.
                Dictionary(uniqueKeysWithValues: cost.filter { !($0.value is NSNull) }
                    .map { (["cache_read": "cacheRead", "cache_write": "cacheWrite"][$0.key] ?? $0.key, $0.value) })
            }
            #expect(jsonText(ts["cost"]) == jsonText(cost), "\(key)")
            #expect(jsonText(ts["contextWindow"]) == field("context_window"), "\(key)")
            #expect(jsonText(ts["maxTokens"]) == field("max_tokens"), "\(key)")
            #expect(jsonText(ts["reasoning"]) == field("reasoning"), "\(key)")
            #expect(jsonText(ts["inputModalities"]) == field("input_modalities"), "\(key)")
        }
        // Every LLM route of the seeds (all but the media platforms') says how to call it: its wire
        // format and base URL.
        let llm = "FROM resolved_routes WHERE provider NOT IN ('fal', 'replicate', 'elevenlabs')"
        #expect(try sqlite3(module.dir.file("registry.db"), "SELECT count(*) \(llm)").stdout == "54\n")
        let uncallable = try sqlite3(module.dir.file("registry.db"), "SELECT route_key \(llm) AND (api IS NULL OR base_url IS NULL)")
        #expect(uncallable.stdout.isEmpty, "\(uncallable.stdout)")
    }

    /// The doc's three migrations and its failover patch, as written there, answer as regdb does.
    @Test func theDocsMigrationSnippetsRun() throws {
        let module = try Compiled()
        let answers = try #require(try module.answer("""
            const { canonicalIdFor, lookup, routesFor, tierFor, sameGeneration, allCanonicalIds, routeKeyOf } = registry;
            function benchmarkKey(provider, wireId) {
              const resolved = lookup(provider, wireId);
              const semantic = resolved?.canonical_id ?? wireId;
              return semantic;
            }
            function bareIds(canonical) {
              const ids = routesFor(canonical).map(r => r.wire_id);
              return ids;
            }
            function tierOf(routeKey, modelId) {
              const canonical = canonicalIdFor(routeKey) ?? modelId;
              const tier = tierFor(canonical) ?? "standard";
              return tier;
            }
            console.log(JSON.stringify({
              semantic: benchmarkKey("amazon-bedrock", "moonshotai.kimi-k2.5"),
              unknown: benchmarkKey("foo-provider", "bar-model"),
              ids: bareIds("kimi-k2.5"),
              tier: tierOf("kimi-coding/kimi-k2.6", "kimi-k2.6"),
              sonnet: tierFor("claude-sonnet-4-6"),
              opus: tierOf("anthropic/claude-opus-4-7-20260416", "x"),
              k2Patch: sameGeneration(canonicalIdFor("groq/moonshotai/kimi-k2-instruct"), canonicalIdFor("groq/moonshotai/kimi-k2-instruct-0905")),
              downgrade: sameGeneration(canonicalIdFor("kimi-coding/kimi-k2.6"), "kimi-k2.5"),
              unmapped: canonicalIdFor("foo-provider/bar-model"),
              all: allCanonicalIds().length,
              key: routeKeyOf(lookup("openrouter", "moonshotai/kimi-k2.5")),
            }));
            """) as? [String: Any])
        #expect(answers["semantic"] as? String == "kimi-k2.5")
        #expect(answers["unknown"] as? String == "bar-model")
        // routesFor gives the routes regdb resolve lists, in its order.
        let resolved = try #require(try parse(try regdb("resolve", "kimi-k2.5", "--format", "json", in: module.dir.url).stdout) as? [String: Any])
        let wireIDs = (resolved["routes"] as? [[String: Any]])?.compactMap { $0["wire_id"] as? String }
        #expect(answers["ids"] as? [String] == wireIDs && wireIDs?.count == 6, "\(String(describing: answers["ids"]))")
        #expect(answers["tier"] as? String == "standard")
        #expect(answers["sonnet"] as? String == "standard", "a model with no route still has its tier")
        #expect(answers["opus"] as? String == "heavy")
        #expect(answers["k2Patch"] as? Bool == true && answers["downgrade"] as? Bool == false)
        #expect(answers["unmapped"] is NSNull)
        let models = try sqlite3(module.dir.file("registry.db"), "SELECT count(*) FROM model").stdout
        #expect("\(answers["all"] ?? "")\n" == models)
        #expect(answers["key"] as? String == "openrouter/moonshotai/kimi-k2.5")
        // The module is what check --generated regenerates.
        #expect(try regdb("check", "--generated", "model-registry.ts", in: module.dir.url).status == 0)
    }
}

/// Compact JSON with sorted keys, for comparing values across JSON readers; "null" for nil.
private func jsonText(_ value: Any?) -> String {
    guard let value, !(value is NSNull) else { return "null" }
    guard JSONSerialization.isValidJSONObject([value]),
          let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .fragmentsAllowed]) else { return "\(value)" }
    return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
}
