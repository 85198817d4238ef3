import Foundation
import Testing

/// `regdb export identity --lang elixir`: Regdb.Models for the Elixir SDK of design doc 003,
/// compiled by Debian's elixir (scripts/setup installs it) and run; every answer compared with
/// the CLI's.
@Suite struct ElixirModuleTests {
    @Test func regdbModelsAnswersAsTheCLIDoes() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let elixirc = try #require(executable("elixirc"), "elixir is not installed (scripts/setup installs it)")
        let elixir = try #require(executable("elixir"), "elixir is not installed (scripts/setup installs it)")
        let module = try regdb("export", "identity", "--lang", "elixir", "--out", "models.ex", in: dir.url)
        #expect(module.status == 0, "\(module.stderr)")
        try FileManager.default.createDirectory(at: dir.file("ebin"), withIntermediateDirectories: true)
        let compiled = try run(elixirc, ["-o", "ebin", "models.ex"], in: dir.url)
        #expect(compiled.status == 0, "elixirc: \(compiled.stdout)\(compiled.stderr)")
        #expect(try regdb("check", "--generated", "models.ex", in: dir.url).status == 0)

        // Every route key, canonical id and bare wire id, through get/1 and through regdb resolve.
        let database = dir.file("registry.db")
        let names = try sqlite3(database, """
            SELECT route_key FROM route UNION SELECT model_id FROM route UNION SELECT wire_id FROM route ORDER BY 1
            """).stdoutLines
        #expect(names.count > 250)
        _ = try dir.write("names.txt", names.joined(separator: "\n") + "\n")
        _ = try dir.write("get.exs", """
            for name <- File.read!("names.txt") |> String.split("\\n", trim: true) do
              case Regdb.Models.get(name) do
                {:ok, spec} -> IO.puts(Enum.join([name, spec.route_key, spec.canonical_id, spec.context_window || "", spec.tier], "\\t"))
                {:error, {:ambiguous, ids}} -> IO.puts(name <> "\\tambiguous\\t" <> Enum.join(ids, ","))
                :unknown -> IO.puts(name <> "\\tunknown")
              end
            end
            """)
        let answers = try run(elixir, ["-pa", "ebin", "get.exs"], in: dir.url)
        #expect(answers.status == 0, "\(answers.stderr)")
        #expect(answers.stdoutLines.count == names.count)
        var compared = 0
        for line in answers.stdoutLines {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            let cli = try regdb("resolve", name, "--format", "json", in: dir.url)
            if parts[1] == "ambiguous" {
                // The CLI refuses the name too, naming each model it could be.
                #expect(cli.status == 1, "\(name): \(cli.stdout)")
                for id in parts[2].split(separator: ",") { #expect(cli.stderr.contains(String(id)), "\(name): \(cli.stderr)") }
                continue
            }
            let resolved = try #require(try parse(cli.stdout) as? [String: Any], "\(name): \(cli.stderr)")
            #expect(parts[1] == resolved["route_key"] as? String, "\(name): Elixir \(parts[1]), CLI \(String(describing: resolved["route_key"]))")
            #expect(parts[2] == resolved["canonical_id"] as? String, "\(name)")
            #expect(parts[3] == ((resolved["context_window"] as? Int).map(String.init) ?? ""), "\(name)")
            #expect(parts[4] == resolved["tier"] as? String, "\(name)")
            compared += 1
        }
        #expect(compared > 250)

        // The unknown-model policy of design doc 003, as the CLI applies it.
        _ = try dir.write("policy.exs", """
            IO.inspect(Regdb.Models.check("no-such-model", mode: :off))
            IO.inspect(Regdb.Models.check("no-such-model", mode: :enforce))
            IO.inspect(Regdb.Models.check("no-such-model", mode: :enforce, allow_unknown_model?: true))
            IO.inspect(Regdb.Models.check("no-such-model", mode: :warn))
            {:ok, spec} = Regdb.Models.check("kimi-k2.5", mode: :enforce)
            IO.puts(spec.route_key)
            IO.puts(Regdb.Models.context_limit("anthropic/claude-sonnet-4-20250514"))
            IO.puts(Regdb.Models.tier_for("claude-sonnet-4-6"))
            IO.inspect(Regdb.Models.same_generation?("kimi-k2", "kimi-k2-0905"))
            IO.inspect(Regdb.Models.same_generation?("kimi-k2.5", "kimi-k2.6"))
            IO.puts(Regdb.Models.routes_for("kimi-k2.5") |> Enum.map(& &1.wire_id) |> Enum.join(","))
            IO.puts(Regdb.Models.route_key_of(Regdb.Models.lookup("openrouter", "moonshotai/kimi-k2.5")))
            IO.puts(length(Regdb.Models.all_canonical_ids()))
            IO.puts(Regdb.Models.list("xai") |> Enum.map(& &1.route_key) |> Enum.join(","))
            """)
        let policy = try run(elixir, ["-pa", "ebin", "policy.exs"], in: dir.url)
        #expect(policy.status == 0, "\(policy.stderr)")
        let cliWarn = try regdb(["resolve", "no-such-model", "--policy", "warn"], in: dir.url)
        let cliEnforce = try regdb(["resolve", "no-such-model", "--policy", "enforce"], in: dir.url)
        #expect(cliEnforce.status == 3)
        #expect(policy.stderrLines == cliWarn.stderrLines, "Elixir \(policy.stderr), CLI \(cliWarn.stderr)")
        let kimi = try #require(try parse(try regdb("resolve", "kimi-k2.5", "--format", "json", in: dir.url).stdout) as? [String: Any])
        let routes = (kimi["routes"] as? [[String: Any]])?.compactMap { $0["wire_id"] as? String } ?? []
        let models = try sqlite3(database, "SELECT count(*) FROM model").stdoutLines.first ?? ""
        let xai = try sqlite3(database, "SELECT group_concat(route_key, ',') FROM (SELECT route_key FROM route WHERE provider_id = 'xai' ORDER BY route_key)")
        #expect(policy.stdoutLines == [
            "{:ok, :unknown}", "{:error, {:unknown_model, \"no-such-model\"}}", "{:ok, :unknown}", "{:ok, :unknown}",
            kimi["route_key"] as? String ?? "", "200000", "standard", "true", "false", routes.joined(separator: ","),
            "openrouter/moonshotai/kimi-k2.5", models, xai.stdoutLines.first ?? "",
        ], "\(policy.stdout)")
    }

    /// Design doc 003's sources: a limit from the server is "server", from a user's file "file",
    /// from an override "override", whichever format carried it (a user file in the Tinker list
    /// shape included); the label is the in-force value's own.
    @Test func contextLimitLabelsNameTheirSource() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        _ = try dir.write("server.json", #"[{"model_name": "Qwen/Qwen3-8B", "max_context_length": 32768}]"#)
        _ = try dir.write("user.json", #"[{"model_name": "Qwen/Qwen3-8B", "max_context_length": 24576}]"#)
        _ = try dir.write("override.json", #"{"routes": [{"route": "tinker/Qwen/Qwen3-8B", "context_window": 16384}]}"#)
        func label() throws -> [String] {
            try sqlite3(dir.file("registry.db"), "SELECT context_window || ' ' || context_window_source FROM route WHERE route_key = 'tinker/Qwen/Qwen3-8B'").stdoutLines
        }
        #expect(try regdb("import", "--kind", "server", "--format", "tinker", "server.json", in: dir.url).status == 0)
        #expect(try label() == ["32768 server"])
        #expect(try regdb("import", "--kind", "file", "--format", "tinker", "user.json", in: dir.url).status == 0)
        #expect(try label() == ["24576 file"])
        #expect(try regdb("import", "--kind", "override", "override.json", in: dir.url).status == 0)
        #expect(try label() == ["16384 override"])
        let why = try regdb("why", "tinker/Qwen/Qwen3-8B", "context_window", "--format", "csv", in: dir.url)
        #expect(why.stdoutLines.dropFirst().map { $0.split(separator: ",").prefix(5).joined(separator: ",") }
                == ["tinker/Qwen/Qwen3-8B,context_window,override.json,override,16384",
                    "tinker/Qwen/Qwen3-8B,context_window,user.json,file,24576",
                    "tinker/Qwen/Qwen3-8B,context_window,server.json,server,32768"], "\(why.stdout)")
    }
}
