import Foundation
import Testing

private let fixtures = repoRoot.appending(path: "Tests/RegDBTests/Fixtures")

/// `regdb refresh` against a local server serving recorded copies of the public catalogs: the
/// conditional request, the guards, the cache, and catalogs ranking below the seeds.
@Suite struct RefreshTests {
    /// A seeded registry, a server serving `served` (its copy, changed at will) under /NAME.json
    /// with ETags, and the catalogs pointed at it.
    private struct Setup {
        let dir: TemporaryDirectory
        let server: FakeServer
        let served: [String: URL]

        init(_ catalogs: [(name: String, format: String, file: String)], extraRoutes: [String: Any] = [:]) throws {
            dir = try TemporaryDirectory()
            _ = try dir.importedRegistry()
            var served: [String: URL] = [:]
            var routes = extraRoutes
            for catalog in catalogs {
                let copy = dir.file("served/" + catalog.file)
                try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: fixtures.appending(path: catalog.file), to: copy)
                served[catalog.name] = copy
                routes["/" + catalog.file] = ["file": copy.path, "etag": true]
            }
            self.served = served
            server = try FakeServer(routes, in: dir)
            for catalog in catalogs {
                let added = try regdb("refresh", "--add", catalog.name, server.url + "/" + catalog.file, "--format", catalog.format, in: dir.url)
                #expect(added.status == 0, "\(added.stderr)")
            }
        }

        func refresh(_ arguments: String...) throws -> ProcessResult { try regdb(["refresh"] + arguments, in: dir.url) }
    }

    private static let four = [("litellm", "litellm", "litellm-excerpt.json"), ("models.dev", "models.dev", "models-dev-excerpt.json"),
                               ("genai-prices", "genai-prices", "genai-prices-excerpt.json"), ("openrouter", "openrouter", "openrouter-excerpt.json")]

    @Test func firstFetchImportsThenA304ImportsNothing() throws {
        let setup = try Setup(Self.four)
        let first = try setup.refresh()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdoutLines.filter { $0.contains(": imported ") }.count == 4, "\(first.stdout)")
        #expect(first.stdoutLines.contains("fal: skipped: FAL_KEY is not set (fal's pricing API answers to an account's key)"))
        let sources = try sqlite3(setup.dir.file("registry.db"), "SELECT name || ' ' || kind FROM source WHERE kind = 'catalog' ORDER BY name")
        #expect(sources.stdoutLines == ["genai-prices catalog", "litellm catalog", "models.dev catalog", "openrouter catalog"])
        // regdb sources says where each catalog came from.
        let listed = try #require(try parse(try regdb("sources", "--format", "json", in: setup.dir.url).stdout) as? [[String: Any]])
        let litellm = listed.first { $0["name"] as? String == "litellm" }
        #expect(litellm?["kind"] as? String == "catalog" && litellm?["url"] as? String == setup.server.url + "/litellm-excerpt.json"
                && (litellm?["etag"] as? String)?.hasPrefix("\"") == true && litellm?["fetched_at"] is String, "\(String(describing: litellm))")
        let state = "SELECT (SELECT count(*) FROM claim), (SELECT group_concat(name || '@' || imported_at || '#' || import_seq) FROM source)"
        let before = try sqlite3(setup.dir.file("registry.db"), state).stdout

        // In a pipe no progress is drawn: one line per catalog, with its size.
        #expect(!first.stderr.contains("\r") && !first.stdout.contains("\r"))
        #expect(first.stdoutLines.first.map { $0.hasSuffix(" kB)") } == true, "\(first.stdout)")
        let second = try setup.refresh()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdoutLines == ["litellm: unchanged (HTTP 304 Not Modified); nothing imported",
                                       "models.dev: unchanged (HTTP 304 Not Modified); nothing imported",
                                       "genai-prices: unchanged (HTTP 304 Not Modified); nothing imported",
                                       "fal: skipped: FAL_KEY is not set (fal's pricing API answers to an account's key)",
                                       "openrouter: unchanged (HTTP 304 Not Modified); nothing imported"])
        #expect(setup.server.requests.filter { $0.contains("If-None-Match=") }.count == 4, "\(setup.server.requests)")
        // Nothing imported: the sources and their claims are as they were.
        #expect(try sqlite3(setup.dir.file("registry.db"), state).stdout == before)

        // The seeds keep their prices: a catalog never replaces what a seed says.
        let gpt = try regdb("cost", "openai/gpt-4o", "--input-tokens", "1000", "--output-tokens", "500", "--format", "json", in: setup.dir.url)
        #expect((try parse(gpt.stdout) as? [String: Any])?["usd"] as? Double == 0.0075, "\(gpt.stdout)")
        // And check is clean: catalogs below the seeds break no rule.
        let check = try regdb("check", in: setup.dir.url)
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func aChangedCatalogImportsTheChange() throws {
        let setup = try Setup([("litellm", "litellm", "litellm-excerpt.json")])
        #expect(try setup.refresh("litellm").status == 0)
        try FileManager.default.copyItem(at: setup.dir.file("registry.db"), to: setup.dir.file("before.db"))
        // The served copy changes one price of a route the seeds do not have, as an edit of its text.
        let served = try #require(setup.served["litellm"])
        let text = try String(contentsOf: served, encoding: .utf8)
        let entry = try #require(text.range(of: #""azure/gpt-4o": {"#))
        let price = try #require(text.range(of: #""input_cost_per_token": 2.5e-06"#, range: entry.upperBound..<text.endIndex))
        try text.replacingCharacters(in: price, with: #""input_cost_per_token": 0.000123"#).write(to: served, atomically: true, encoding: .utf8)
        let key = "azure/gpt-4o"
        let changed = try setup.refresh("litellm")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("litellm: imported ") && changed.stdout.contains(" 1 changed"), "\(changed.stdout)")
        let stored = try sqlite3(setup.dir.file("registry.db"), """
            SELECT usd FROM price JOIN route ON route.id = price.route_id WHERE route_key = '\(key)' AND unit = 'input_token' AND variant IS NULL
            """)
        #expect(Double(stored.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).map { abs($0 - 0.000123) < 1e-15 } == true, "\(stored.stdout)")
        // review --since says what changed, first: $2.50 → $123 per 1M input tokens, $1.205 on a typical call.
        let review = try regdb("review", "--since", "before.db", "--format", "json", in: setup.dir.url)
        #expect(review.status == 2)
        let first = try #require((try parse(review.stdout) as? [[String: Any]])?.first)
        #expect(first["kind"] as? String == "price-changed" && first["route_key"] as? String == key
                && first["field"] as? String == "pricing.input_token" && first["detail"] as? String == "was 2.5", "\(first)")
        #expect(abs((first["value"] as? Double ?? 0) - 123) < 1e-9 && abs((first["typical_usd"] as? Double ?? 0) - 1.205) < 1e-9, "\(first)")
    }

    @Test func aCatalogThatShrinksIsRefusedAndTheLastGoodCopyKept() throws {
        let setup = try Setup([("litellm", "litellm", "litellm-excerpt.json")])
        #expect(try setup.refresh("litellm").status == 0)
        let cached = setup.dir.file(".regdb-cache/litellm.json")
        let good = try Data(contentsOf: cached)
        let routesBefore = try sqlite3(setup.dir.file("registry.db"), "SELECT count(*) FROM route")

        // 60% of the entries gone.
        let served = try #require(setup.served["litellm"])
        let catalog = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: served)) as? [String: Any])
        let kept = catalog.keys.sorted().prefix(catalog.count * 4 / 10)
        try JSONSerialization.data(withJSONObject: catalog.filter { kept.contains($0.key) }).write(to: served)
        let shrunk = try setup.refresh("litellm")
        #expect(shrunk.status == 1)
        #expect(shrunk.stderrLines.count == 1 && shrunk.stderrLines[0].hasPrefix("error: litellm: ")
                && shrunk.stderrLines[0].contains("more than half gone") && shrunk.stderr.contains("--allow-shrink"), "\(shrunk.stderr)")
        #expect(try Data(contentsOf: cached) == good)
        #expect(try sqlite3(setup.dir.file("registry.db"), "SELECT count(*) FROM route").stdout == routesBefore.stdout)
        // --allow-shrink imports it.
        let allowed = try setup.refresh("litellm", "--allow-shrink")
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try Data(contentsOf: cached) != good)
    }

    @Test func aServerThatFailsLeavesTheRegistryAsItWas() throws {
        let setup = try Setup([("litellm", "litellm", "litellm-excerpt.json")], extraRoutes: [
            "/html.json": ["body": "<!doctype html><html><body>Sign in</body></html>", "content_type": "text/html"],
            "/slow.json": ["delay": 3, "body": "{}"],
            "/error.json": ["status": 503, "body": "{}"],
            "/garbage.json": ["body": "{\"model\": "],
        ])
        #expect(try setup.refresh("litellm").status == 0)
        let database = setup.dir.file("registry.db")
        let before = try sqlite3(database, "SELECT count(*), (SELECT count(*) FROM claim) FROM route").stdout
        let cases: [(String, String, [String])] = [
            ("html", "/html.json", ["answered HTML, not a litellm catalog"]),
            ("slow", "/slow.json", ["did not answer within 1 s"]),
            ("error", "/error.json", ["answered HTTP 503"]),
            ("garbage", "/garbage.json", ["not a readable litellm catalog"]),
            ("down", "http://127.0.0.1:1/x.json", ["cannot reach http://127.0.0.1:1/x.json: connection refused"]),
        ]
        for (name, path, expected) in cases {
            let url = path.hasPrefix("http") ? path : setup.server.url + path
            #expect(try regdb("refresh", "--add", name, url, "--format", "litellm", in: setup.dir.url).status == 0)
            let result = try regdb("refresh", name, "--timeout", "1", in: setup.dir.url)
            #expect(result.status == 1, "\(name)")
            #expect(result.stdout.isEmpty, "\(name): \(result.stdout)")
            #expect(result.stderrLines.count == 1, "\(name): \(result.stderr)")
            for part in expected { #expect(result.stderr.contains(part), "\(name): \(result.stderr)") }
            #expect(result.stderr.contains("kept"), "\(name): \(result.stderr)")
            #expect(try sqlite3(database, "SELECT count(*), (SELECT count(*) FROM claim) FROM route").stdout == before, "\(name)")
        }
    }

    @Test func offlineRebuildsFromTheCache() throws {
        let setup = try Setup([("litellm", "litellm", "litellm-excerpt.json")])
        #expect(try setup.refresh("litellm").status == 0)
        // A registry rebuilt from the seeds alone, then the cached catalog, with no server asked.
        let requests = setup.server.requests.count
        try FileManager.default.removeItem(at: setup.dir.file("registry.db"))
        let seeds = try FileManager.default.contentsOfDirectory(atPath: setup.dir.file("seeds").path).filter { $0.hasSuffix(".json") }.map { "seeds/" + $0 }
        #expect(try regdb(["import"] + seeds, in: setup.dir.url).status == 0)
        #expect(try regdb("refresh", "--add", "litellm", setup.server.url + "/litellm-excerpt.json", "--format", "litellm", in: setup.dir.url).status == 0)
        let offline = try setup.refresh("--offline")
        #expect(offline.status == 1, "models.dev and genai-prices have no cached copy: \(offline.stdout)")
        #expect(offline.stdout.contains("litellm: imported ") && offline.stdout.contains(".regdb-cache/litellm.json"), "\(offline.stdout)")
        #expect(offline.stderr.contains("models.dev: no cached copy"), "\(offline.stderr)")
        #expect(setup.server.requests.count == requests)
        let routes = try sqlite3(setup.dir.file("registry.db"), "SELECT count(*) FROM source WHERE name = 'litellm' AND kind = 'catalog'")
        #expect(routes.stdout == "1\n")
    }

    @Test func addAndListAndBadArguments() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let list = try regdb("refresh", "--list", "--format", "csv", in: dir.url)
        #expect(list.status == 0)
        #expect(list.stdoutLines.first == "name,format,url,floor,fetched_at,routes,bytes,etag,content_hash")
        #expect(list.stdoutLines.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
                == ["litellm,litellm", "models.dev,models.dev", "genai-prices,genai-prices", "fal,fal-pricing", "openrouter,openrouter"])
        #expect(try regdb("refresh", "nosuch", in: dir.url).stderrLines
                == [#"error: unknown catalog "nosuch"; known: litellm, models.dev, genai-prices, fal, openrouter"#])
        #expect(try regdb("refresh", "--add", "m", "ftp://x/y", "--format", "litellm", in: dir.url).status == 1)
        #expect(try regdb("refresh", "--add", "m", "https://x/y", "--format", "yaml", in: dir.url).status != 0)
        #expect(try regdb("refresh", "--add", "m", "https://x/y", in: dir.url).status == 64)
        #expect(try regdb("refresh", "--format", "litellm", in: dir.url).status == 64)
    }

    /// review on the seeds and a refreshed catalog whose copy of one seeded price changed: that
    /// price first, then what goes away, then the stale and the unverified; as Markdown too.
    @Test func reviewListsWhatToActOn() throws {
        let setup = try Setup([("litellm", "litellm", "litellm-excerpt.json")])
        let served = try #require(setup.served["litellm"])
        let text = try String(contentsOf: served, encoding: .utf8)
        let entry = try #require(text.range(of: "\n  \"gpt-4o\": {"))
        let price = try #require(text.range(of: #""input_cost_per_token": 2.5e-06"#, range: entry.upperBound..<text.endIndex))
        try text.replacingCharacters(in: price, with: #""input_cost_per_token": 3e-06"#).write(to: served, atomically: true, encoding: .utf8)
        #expect(try setup.refresh("litellm").status == 0)

        let review = try regdb("review", "--as-of", "2027-06-01", "--format", "json", in: setup.dir.url)
        #expect(review.status == 2, "\(review.stderr)")
        let rows = try #require(try parse(review.stdout) as? [[String: Any]])
        let first = try #require(rows.first)
        #expect(first["kind"] as? String == "disagrees" && first["route_key"] as? String == "openai/gpt-4o"
                && first["field"] as? String == "pricing.input_token" && first["value"] as? Double == 2.5, "\(first)")
        #expect(first["detail"] as? String == "catalogs say 3 by litellm", "\(first)")
        // The seed is in force all the same.
        let gpt = try regdb("cost", "openai/gpt-4o", "--input-tokens", "1000", "--output-tokens", "500", "--format", "json", in: setup.dir.url)
        #expect((try parse(gpt.stdout) as? [String: Any])?["usd"] as? Double == 0.0075)
        // LiteLLM says deepseek-chat's first-party route went away on 2026-07-24; the seeds route to the model.
        #expect(rows.contains { $0["kind"] as? String == "deprecated" && $0["route_key"] as? String == "deepseek/deepseek-chat"
                                && $0["value"] as? String == "2026-07-24" }, "\(rows.filter { $0["kind"] as? String == "deprecated" })")
        // OpenAI's prices, checked 2026-11-30, are stale by June 2027.
        #expect(rows.contains { $0["kind"] as? String == "stale" && $0["route_key"] as? String == "openai/gpt-4o"
                                && ($0["detail"] as? String)?.hasPrefix("checked 183 days ago") == true })
        let order = rows.compactMap { $0["kind"] as? String }
        #expect(order == order.sorted { ["disagrees", "deprecated", "stale", "unverified"].firstIndex(of: $0)! < ["disagrees", "deprecated", "stale", "unverified"].firstIndex(of: $1)! })

        let markdown = try regdb("review", "--as-of", "2027-06-01", "--format", "markdown", in: setup.dir.url)
        #expect(markdown.status == 2)
        #expect(markdown.stdout.hasPrefix("# regdb review of registry.db\n"), "\(markdown.stdout.prefix(200))")
        for heading in ["## Seed prices a catalog gives otherwise (", "## Deprecations (", "## Prices checked too long ago (", "## Unverified prices ("] {
            #expect(markdown.stdout.contains(heading), "\(heading)")
        }
        #expect(markdown.stdout.contains("| openai/gpt-4o | pricing.input_token | 2.5 | catalogs say 3 by litellm |"))
    }

    /// Only refresh (and discover) reach the network: the reading commands open no network
    /// socket at all (strace sees every socket(2) call; refresh's own is the control).
    @Test(.enabled(if: executable("strace") != nil, "strace is not installed (scripts/setup installs it)"))
    func readingCommandsOpenNoNetworkSocket() throws {
        let setup = try Setup([("litellm", "litellm", "litellm-excerpt.json")])
        #expect(try setup.refresh("litellm").status == 0)
        let strace = try #require(executable("strace"))
        func sockets(_ arguments: [String]) throws -> [String] {
            let trace = setup.dir.file("trace-\(UUID().uuidString).txt")
            let result = try run(strace, ["-f", "-e", "trace=socket,connect", "-o", trace.path, regdbBinary.path] + arguments, in: setup.dir.url)
            #expect(result.status == 0 || ["refresh", "review"].contains(arguments.first ?? ""), "\(arguments): \(result.stderr)")
            return try String(contentsOf: trace, encoding: .utf8).split(separator: "\n").map(String.init)
                .filter { $0.contains("AF_INET") }
        }
        for command in [["get", "veo3"], ["cost", "openai/gpt-4o", "--input-tokens", "10"], ["resolve", "gpt-4o"],
                        ["list", "--category", "text_to_video"], ["sql", "SELECT count(*) FROM route"], ["review", "--format", "csv"],
                        ["diff"], ["check"]] {
            #expect(try sockets(command).isEmpty, "\(command) opened a network socket")
        }
        #expect(!(try sockets(["refresh", "litellm"])).isEmpty, "the control: refresh reaches the server")
    }

    /// fal's pricing API, with FAL_KEY: asked for the registry's fal endpoints, the key sent as a
    /// header and never stored or printed; the account's prices import as catalog source fal.
    @Test func falPricesWithTheAccountsKey() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let key = "test-key-5f1c9e"
        try dir.write("fal-pricing.json", """
            {"prices": [{"endpoint_id": "fal-ai/flux/dev", "unit_price": 0.02, "unit": "megapixels", "currency": "USD"},
                        {"endpoint_id": "fal-ai/veo3", "unit_price": 0.2, "unit": "video_second", "currency": "USD"}],
             "next_cursor": null, "has_more": false}
            """)
        let server = try FakeServer(["/v1/models/pricing": ["file": dir.file("fal-pricing.json").path, "require_header": ["Authorization", "Key " + key]]],
                                    in: dir)
        #expect(try regdb("refresh", "--add", "fal", server.url + "/v1/models/pricing", "--format", "fal-pricing", in: dir.url).status == 0)
        let without = try regdb("refresh", "fal", in: dir.url)
        #expect(without.status == 0 && without.stdoutLines == ["fal: skipped: FAL_KEY is not set (fal's pricing API answers to an account's key)"])
        #expect(server.requests.isEmpty)

        let with = try regdb(["refresh", "fal"], in: dir.url, environment: ["FAL_KEY": key])
        #expect(with.status == 0, "\(with.stderr)")
        #expect(with.stdout.hasPrefix("fal: imported 2 routes"), "\(with.stdout)")
        // 57 fal routes: two requests of at most 50 endpoints, each with the key.
        #expect(server.requests == ["GET /v1/models/pricing Authorization=present", "GET /v1/models/pricing Authorization=present"], "\(server.requests)")
        let flux = try sqlite3(dir.file("registry.db"), """
            SELECT s.kind FROM claim c JOIN source s ON s.id = c.source_id WHERE c.entity_id = 'fal/fal-ai/flux/dev' ORDER BY s.kind
            """)
        #expect(flux.stdoutLines == ["builtin", "catalog"])
        // The key is nowhere: not in the registry, the cache, or what was printed.
        for file in [dir.file("registry.db"), dir.file(".regdb-cache/fal.json")] {
            let bytes = try Data(contentsOf: file)
            #expect(bytes.range(of: Data(key.utf8)) == nil, "\(file.lastPathComponent) holds the key")
        }
        #expect(!with.stdout.contains(key) && !with.stderr.contains(key))
        let wrong = try regdb(["refresh", "fal"], in: dir.url, environment: ["FAL_KEY": "not-the-key"])
        #expect(wrong.status == 1 && wrong.stderr.contains("answered HTTP 401 (is FAL_KEY an account key?)"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("not-the-key"))
    }
}
