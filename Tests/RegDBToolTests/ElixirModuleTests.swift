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

    /// `regdb export constants --lang elixir`: every category's module compiles, and each of its
    /// fourteen functions gives what the Python module of the same category holds.
    @Test func constantsModulesHoldWhatThePythonModulesHold() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let elixirc = try #require(executable("elixirc"), "elixir is not installed (scripts/setup installs it)")
        let elixir = try #require(executable("elixir"), "elixir is not installed (scripts/setup installs it)")
        let python3 = try #require(executable("python3"), "python3 is not installed")
        #expect(try regdb("export", "constants", "--lang", "elixir", "--out", "ex", in: dir.url).status == 0)
        #expect(try regdb("export", "constants", "--lang", "python", "--out", "py", in: dir.url).status == 0)
        let package = try regdb("export", "constants", "--lang", "elixir", "--package", "video-to-video", in: dir.url)
        try dir.write("ex/video_to_video_package.ex", package.stdout.replacingOccurrences(
            of: "Regdb.Constants.VideoToVideo do", with: "Regdb.Constants.VideoToVideoPackage do"))
        try FileManager.default.createDirectory(at: dir.file("ebin"), withIntermediateDirectories: true)
        let modules = try FileManager.default.contentsOfDirectory(atPath: dir.file("ex").path).filter { $0.hasSuffix(".ex") }.sorted()
        #expect(modules.count >= 13)
        let compiled = try run(elixirc, ["-o", "ebin"] + modules.map { "ex/" + $0 }, in: dir.url)
        #expect(compiled.status == 0, "elixirc: \(compiled.stdout)\(compiled.stderr)")
        #expect(try regdb("check", "--generated", "ex/text_to_video.ex", in: dir.url).status == 0)

        // Each constant as JSON (Elixir 1.14 has no JSON module: a small encoder in the script).
        let names = ["supported_models", "model_endpoints", "model_display_names", "model_pricing", "duration_options",
                     "resolution_options", "aspect_ratio_options", "default_values", "model_info", "extended_params",
                     "extended_features", "input_requirements", "cost_estimates", "processing_time_estimates"]
        try dir.write("dump.exs", """
            defmodule J do
              def enc(nil), do: "null"
              def enc(true), do: "true"
              def enc(false), do: "false"
              def enc(x) when is_binary(x), do: inspect(x)
              def enc(x) when is_integer(x), do: Integer.to_string(x)
              def enc(x) when is_float(x), do: Float.to_string(x)
              def enc(l) when is_list(l), do: "[" <> Enum.map_join(l, ",", &enc/1) <> "]"
              def enc(m) when is_map(m), do: "{" <> (m |> Enum.sort() |> Enum.map_join(",", fn {k, v} -> enc(k) <> ":" <> enc(v) end)) <> "}"
            end
            for file <- Path.wildcard("ex/*.ex") do
              base = Path.basename(file, ".ex")
              module = Module.concat(Regdb.Constants, Macro.camelize(base))
              for name <- ~w(\(names.joined(separator: " "))) do
                IO.puts(base <> "\\t" <> name <> "\\t" <> J.enc(apply(module, String.to_atom(name), [])))
              end
            end
            """)
        let dumped = try run(elixir, ["-pa", "ebin", "dump.exs"], in: dir.url)
        #expect(dumped.status == 0, "\(dumped.stderr)")
        try dir.write("elixir.tsv", dumped.stdout)
        try dir.write("compare.py", """
            import importlib.util, json, sys
            checked = 0
            for line in open("elixir.tsv"):
                base, name, value = line.rstrip("\\n").split("\\t")
                source = "py/" + base + ".py" if base != "video_to_video_package" else None
                if source is None:
                    continue
                spec = importlib.util.spec_from_file_location(base, source)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                expected = getattr(module, name.upper())
                if json.loads(value) != expected:
                    print("differs:", base, name, value[:200], repr(expected)[:200])
                checked += 1
            print("checked", checked)
            """)
        let compared = try run(python3, ["compare.py"], in: dir.url)
        #expect(compared.status == 0, "\(compared.stderr)")
        #expect(compared.stdoutLines == ["checked \(14 * (modules.count - 1))"], "\(compared.stdout)")
        // The package module holds its six models (design doc 000's video-to-video package).
        let package6 = dumped.stdoutLines.first { $0.hasPrefix("video_to_video_package\tsupported_models\t") }
        let keys = try #require(package6.flatMap { try? parse(String($0.split(separator: "\t")[2])) as? [String] })
        #expect(keys.count == 6 && keys.contains("thinksound") && keys.contains("topaz"), "\(keys)")
    }
}
