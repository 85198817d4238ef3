import Foundation
import Testing

/// Answers that say what happened: summaries that count what changed, tables that keep the
/// columns answering the question, bad values refused as bad usage with the rule, money as
/// money, and a price filter.
@Suite struct AnswersTests {
    /// An override of one field of a seeded route changes that route; it adds none.
    @Test func anOverrideOfAnExistingRouteIsAChangeNotAnAddition() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try dir.write("team.json", #"{"routes": [{"route": "openai/gpt-4o", "priority": 2}]}"#)
        let first = try regdb("import", "--kind", "override", "--source", "team", "team.json", in: dir.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains(": 0 routes added, 1 changed, 0 removed, 0 unchanged ("), "\(first.stdout)")
        let again = try regdb("import", "--kind", "override", "--source", "team", "--force", "team.json", in: dir.url)
        #expect(again.stdout.contains(": 0 routes added, 0 changed, 0 removed, 1 unchanged ("), "\(again.stdout)")

        // A route the registry did not have is added; one it had, which this source now gives too, changed.
        try dir.write("a.json", #"""
            {"providers": [{"id": "acme", "name": "Acme"}],
             "models": [{"id": "m", "name": "M", "routes": [{"route": "acme/m"}]},
                        {"id": "veo3", "name": "Veo 3", "routes": [{"route": "fal/fal-ai/veo3", "name": "Veo 3 (file)"}]}]}
            """#)
        let added = try regdb("import", "--kind", "file", "a.json", in: dir.url)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains(": 1 routes added, 1 changed, 0 removed, 0 unchanged ("), "\(added.stdout)")
    }

    /// At 80 columns a table keeps the columns that answer its question and cuts or drops others first.
    @Test func narrowTablesKeepTheColumnsThatAnswer() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let terminal = ["REGDB_WIDTH": "80"]
        func header(_ arguments: String...) throws -> (columns: [String], dropped: String) {
            let result = try regdb(arguments, in: dir.url, environment: terminal)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let columns = (result.stdoutLines.first ?? "").split(separator: " ").map(String.init)
            return (columns, result.stderr)
        }
        let why = try header("why", "fal/fal-ai/veo3", "pricing")
        #expect(why.columns.contains("value") && why.columns.contains("source") && why.columns.contains("field"), "\(why)")

        let long = try header("list", "--min-context", "200000")
        #expect(long.columns.contains("context_window") && long.columns.contains("route_key"), "\(long)")
        #expect(long.dropped.contains("not shown to fit 80 columns"), "something had to go: \(long.dropped)")

        let priced = try header("list", "--per", "second")
        #expect(priced.columns.contains("usd_per_second") && priced.columns.contains("price_variant"), "\(priced)")

        try dir.write("lattice.yaml", try String(contentsOf: repoRoot.appending(path: "examples/lattice-registry.yaml"), encoding: .utf8))
        #expect(try regdb("import", "--kind", "file", "lattice.yaml", in: dir.url).status == 0)
        let diff = try header("diff")
        for column in ["field", "value", "said_by", "others"] {
            #expect(diff.columns.contains(column), "diff at 80 columns lost \(column): \(diff)")
        }
    }

    /// Money reads as money in a table; JSON keeps the numbers.
    @Test func diffWritesMoneyAsMoney() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try dir.write("lattice.yaml", try String(contentsOf: repoRoot.appending(path: "examples/lattice-registry.yaml"), encoding: .utf8))
        #expect(try regdb("import", "--kind", "file", "lattice.yaml", in: dir.url).status == 0)
        let table = try regdb("diff", in: dir.url)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(!table.stdout.contains("e-0"), "no exponents: \(table.stdout)")
        #expect(table.stdout.range(of: #"\$[0-9]"#, options: .regularExpression) != nil, "\(table.stdout)")
        #expect(table.stdout.range(of: #"[0-9]%"#, options: .regularExpression) != nil, "\(table.stdout)")
        #expect(table.stdout.range(of: #"0\.[0-9]{7,}"#, options: .regularExpression) == nil, "no float noise: \(table.stdout)")
        let json = try regdb("diff", "--format", "json", in: dir.url)
        let rows = try #require(try parse(json.stdout) as? [[String: Any]])
        #expect(rows.contains { $0["relative_difference"] is Double && $0["typical_usd"] is NSNumber })
    }

    /// A bad value of an option or argument is bad usage (exit 64) naming the option and the rule.
    @Test(arguments: [
        (["cost", "openai/gpt-4o", "--input-tokens", "-5"], #"Error: --input-tokens must be a whole number >= 0 and <= 1e15, not "-5"."#),
        (["cost", "openai/gpt-4o", "--output-tokens", "1.5"], #"Error: --output-tokens must be a whole number >= 0 and <= 1e15, not "1.5"."#),
        (["cost", "veo3", "--seconds", "-1"], #"Error: --seconds must be a number >= 0 and <= 1e15, not "-1"."#),
        (["cost", "openai/gpt-4o", "--at", "yesterday"], #"Error: --at must be an ISO 8601 date"#),
        (["cost", "openai/gpt-4o", "--usage", "bogus_unit=5"], #"error: unknown unit "bogus_unit"; known: second, "#),
        (["config", "set", "policy", "loud"], #"Error: policy must be off, warn or enforce, not "loud"."#),
        (["list", "--category", "text_to_music"], #"error: unknown category "text_to_music"; known: "#),
        (["list", "--max-usd", "0.1"], "Error: --max-usd needs --per"),
        (["list", "--per", "parsec"], #"error: unknown --per quantity"#),
        (["list", "--per", "second", "--max-usd", "-1"], #"Error: --max-usd must be a number of dollars >= 0, not "-1"."#),
    ])
    func badValuesAreUsageErrors(arguments: [String], message: String) throws {
        let dir = try TemporaryDirectory()
        let database = try dir.importedRegistry()
        let before = contents(database)
        let result = try regdb(arguments, in: dir.url)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix(message), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(contents(database) == before)
    }

    /// `--db` goes before or after the subcommand, for every command, nested ones too.
    @Test func dbBeforeOrAfterTheSubcommand() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try FileManager.default.moveItem(at: dir.file("registry.db"), to: dir.file("other.db"))
        let before = try regdb("--db", "other.db", "list", "--category", "avatar", in: dir.url)
        let after = try regdb("list", "--category", "avatar", "--db", "other.db", in: dir.url)
        #expect(before.status == 0 && !before.stdout.isEmpty, "\(before.stderr)")
        #expect(before.stdout == after.stdout)
        #expect(try regdb("--db=other.db", "get", "veo3", in: dir.url).stdout == (try regdb("get", "veo3", "--db", "other.db", in: dir.url)).stdout)

        let server = try FakeServer(["/v1/models": ["body": #"{"object": "list", "data": [{"id": "qwen2.5:32b"}]}"#]], in: dir)
        let discovered = try regdb("--db", "other.db", "discover", "openai", server.url, "--provider", "local", in: dir.url)
        #expect(discovered.status == 0, "\(discovered.stderr)")
        #expect(discovered.stdout.hasPrefix("other.db: local: 1 models listed"), "\(discovered.stdout)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("registry.db").path), "nothing went to the default registry")
        let config = try regdb("--db", "other.db", "config", "get", "policy", in: dir.url, environment: ["REGDB_POLICY": ""])
        #expect(config.stdout.hasPrefix("off ("), "\(config.stdout)\(config.stderr)")
    }

    /// `list --max-usd N --per Q`: the routes whose price in force for Q, default variant, is at
    /// most N, with that price shown; the same set SQL gives from the price table.
    @Test func listFiltersByPrice() throws {
        let dir = try TemporaryDirectory()
        let database = try dir.importedRegistry()
        func routes(_ arguments: String...) throws -> [String: Double] {
            let result = try regdb(arguments + ["--format", "json"], in: dir.url)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let rows = try #require(try parse(result.stdout) as? [[String: Any]])
            var prices: [String: Double] = [:]
            for row in rows {
                let column = try #require(row.keys.first { $0.hasPrefix("usd_per_") })
                prices[try #require(row["route_key"] as? String)] = try #require(row[column] as? Double)
            }
            return prices
        }
        let perSecond = try routes("list", "--category", "image_to_video", "--max-usd", "0.10", "--per", "second")
        #expect(!perSecond.isEmpty)
        #expect(perSecond.values.allSatisfy { $0 <= 0.10 })
        let expected = try sqlite3(database, """
            SELECT DISTINCT r.route_key FROM route r JOIN route_category rc ON rc.route_id = r.id AND rc.category_id = 'image_to_video'
            WHERE (SELECT usd / per FROM current_price p WHERE p.route_id = r.id AND p.unit = 'second' AND p.above IS NULL
                   AND p.usd IS NOT NULL ORDER BY p.variant IS NOT NULL, p.position LIMIT 1) <= 0.10
            ORDER BY 1;
            """)
        #expect(perSecond.keys.sorted() == expected.stdoutLines, "\(perSecond) vs \(expected.stdout)")

        // Per million input tokens, against model_card's prices (per million, variant-less rows).
        let cheap = try routes("list", "--per", "1M-input-tokens", "--max-usd", "3")
        #expect(cheap["openai/gpt-4o"] == 2.5)
        let card = try sqlite3(database, """
            SELECT route_key FROM model_card WHERE json_extract(prices, '$.input_token') <= 3 ORDER BY 1;
            """)
        #expect(cheap.keys.sorted() == card.stdoutLines)
        // Without --max-usd, --per lists every route priced in that unit, with its price.
        let all = try routes("list", "--per", "image")
        let imagePriced = try sqlite3(database, """
            SELECT count(DISTINCT route_id) FROM current_price WHERE unit = 'image' AND above IS NULL AND usd IS NOT NULL;
            """)
        #expect("\(all.count)\n" == imagePriced.stdout, "\(all.count) routes listed per image")
    }
}
