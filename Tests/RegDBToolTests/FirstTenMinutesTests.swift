import Foundation
import Testing

/// Columns a line takes on a terminal: wide East Asian characters and emoji two, combining marks none.
private func displayWidth(_ line: String) -> Int {
    line.unicodeScalars.reduce(0) { width, scalar in
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return width
        default: break
        }
        if (0xFE00...0xFE0F).contains(scalar.value) { return width }
        let wide = scalar.properties.isEmojiPresentation || (0x1100...0x115F).contains(scalar.value)
            || (0x2E80...0xA4CF).contains(scalar.value) || (0xAC00...0xD7A3).contains(scalar.value)
            || (0xF900...0xFAFF).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value)
        return width + (wide ? 2 : 1)
    }
}

/// What a new user meets first: output that fits, the CLI's conventions, standard input.
@Suite struct FirstTenMinutesTests {
    /// In an 80-column terminal no line of any command's output or help wraps.
    @Test func everyLineFitsEightyColumns() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try dir.write("tinker.json", #"[{"model_name": "Qwen/Qwen3-235B-A22B-Instruct-2507", "training_type": "instruction", "architecture": "moe", "size": "large", "max_context_length": 32768}]"#)
        #expect(try regdb("import", "--kind", "file", "--format", "tinker", "tinker.json", in: dir.url).status == 0)
        let terminal = ["REGDB_WIDTH": "80", "COLUMNS": "80"]
        var commands: [[String]] = [
            ["list"], ["list", "--provider", "tinker"], ["sources"], ["providers"], ["resolve", "kimi-k2.5"], ["routes", "kimi-k2.5"],
            ["get", "sora_2"], ["cost", "veo3", "--seconds", "5", "--variant", "audio"], ["why", "fal/fal-ai/veo3", "pricing"],
            ["sql", "SELECT * FROM model_card"], ["failover", "kimi-coding/kimi-k2.6", "--unit", "t"], ["--help"],
        ]
        for command in ["import", "check", "list", "get", "cost", "resolve", "routes", "failover", "sources", "why", "diff",
                        "config", "providers", "status", "best", "sql", "export"] {
            commands.append([command, "--help"])
        }
        commands += [["discover", "comfyui", "--help"], ["metrics", "record", "--help"], ["export", "constants", "--help"]]
        for arguments in commands {
            let result = try regdb(arguments, in: dir.url, environment: terminal)
            for line in (result.stdout + result.stderr).split(separator: "\n") where displayWidth(String(line)) > 80 {
                Issue.record("regdb \(arguments.joined(separator: " ")): a line of \(displayWidth(String(line))) columns: \(line)")
            }
        }
        // Pipes and files get the whole table.
        let piped = try regdb("list", in: dir.url)
        #expect(piped.stdoutLines.first?.contains("available  context_window  training_type") == true, "\(piped.stdoutLines.first ?? "")")
        #expect(piped.stderr.isEmpty)
        let wide = try regdb("list", "--wide", in: dir.url, environment: terminal)
        #expect(wide.stdout == piped.stdout)
    }

    /// Columns line up by display width: a CJK name takes two columns a character.
    @Test func tablesAlignByDisplayWidth() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.json", minimalSeed.replacingOccurrences(of: #""name": "Google Veo 3""#, with: #""name": "可灵视频 🎬""#)
            .replacingOccurrences(of: #""defaults": {"duration": 8, "aspect_ratio": "16:9", "resolution": "720p"}"#, with: #""defaults": {"duration": 8}"#))
        try dir.write("b.json", #"{"providers": [{"id": "acme", "name": "Acme"}], "models": [{"id": "plain", "name": "Plain name", "routes": [{"route": "acme/plain", "endpoint": "plain", "categories": {"text_to_video": "plain"}, "pricing": [{"unit": "video", "usd": 1}]}]}]}"#)
        #expect(try regdb("import", "a.json", "b.json", in: dir.url).status == 0)
        let result = try regdb("list", "--category", "text_to_video", in: dir.url)
        let lines = result.stdoutLines
        let column = { (line: String) -> Int? in
            guard let range = line.range(of: "fal ") ?? line.range(of: "acme ") ?? line.range(of: "provider") else { return nil }
            return displayWidth(String(line[..<range.lowerBound]))
        }
        let starts = Set(lines.filter { !$0.hasPrefix("-") }.compactMap(column))
        #expect(starts.count == 1, "the provider column starts at different places: \(result.stdout)")
    }

    @Test func conventions() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let version = try regdb("--version")
        #expect(version.status == 0)
        #expect(version.stdout.range(of: #"^([0-9]+\.[0-9]+\.[0-9]+|commit [0-9a-f]{12}|unknown)\n$"#, options: .regularExpression) != nil,
                "\(version.stdout)")
        let typo = try regdb("lsit", in: dir.url)
        #expect(typo.status == 64)
        #expect(typo.stderrLines.first == "error: unknown command 'lsit'; did you mean 'list'?")

        // Standard input for import, check and sql.
        let fal = try String(contentsOf: dir.file("seeds/fal.json"), encoding: .utf8)
        let checked = try run(regdbBinary, ["check", "-"], in: dir.url, input: fal)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.hasPrefix("ok: 1 seed file (57 routes)"), "\(checked.stdout)")
        let broken = try run(regdbBinary, ["check", "-"], in: dir.url, input: "{\"models\": [")
        #expect(broken.status == 1)
        #expect(broken.stderr.hasPrefix("stdin:"), "\(broken.stderr)")
        let imported = try run(regdbBinary, ["import", "--db", "stdin.db", "-"], in: dir.url, input: minimalSeed)
        #expect(imported.stdout.contains("imported 1 file: 1 routes added"), "\(imported.stderr)")
        let counted = try run(regdbBinary, ["sql", "-", "--format", "csv"], in: dir.url, input: "SELECT count(*) AS n FROM route WHERE route_key = 'fal/fal-ai/veo3'")
        #expect(counted.stdout == "n\n1\n")

        // Nothing discovered: status and best say so alike.
        let status = try regdb("status", in: dir.url)
        let best = try regdb("best", "text_to_image", in: dir.url)
        #expect(status.status == 1 && best.status == 1)
        #expect(status.stdout.isEmpty && best.stdout.isEmpty)
        #expect(status.stderr == best.stderr)
        #expect(status.stderr == "error: no host has been discovered yet; run: regdb discover comfyui URL\n")
    }

    /// A git repository of a copy of the seeds with the hook scripts/install-hook installs (the
    /// gitignored registry.db aside): its directory, the seed files, and `git` run in it.
    private func hookRepository() throws -> (TemporaryDirectory, [String], (String...) throws -> ProcessResult) {
        let dir = try TemporaryDirectory()
        let seeds = try dir.copySeeds()
        try FileManager.default.createDirectory(at: dir.file("scripts"), withIntermediateDirectories: true)
        for script in ["pre-commit", "install-hook"] {
            try FileManager.default.copyItem(at: repoRoot.appending(path: "scripts/" + script), to: dir.file("scripts/" + script))
        }
        try dir.write(".gitignore", "registry.db*\n")
        let gitBinary = try #require(executable("git"))
        let environment = ["REGDB": regdbBinary.path, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"]
        let git = { (arguments: String...) throws -> ProcessResult in try run(gitBinary, arguments, in: dir.url, environment: environment) }
        #expect(try git("init", "-q").status == 0)
        #expect(try run(dir.file("scripts/install-hook"), [], in: dir.url, environment: environment).status == 0)
        return (dir, seeds, git)
    }

    /// "Edit a seed, regdb check, commit": through the hook scripts/install-hook installs, a
    /// valid edit commits (the gitignored registry.db being older is a warning) and a bad one does not.
    @Test(.enabled(if: executable("git") != nil, "git is not installed"))
    func aValidSeedEditCommitsThroughTheHook() throws {
        let (dir, seeds, git) = try hookRepository()
        #expect(try git("add", ".").status == 0)
        let first = try git("commit", "-q", "-m", "seeds")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try regdb(["import"] + seeds, in: dir.url).status == 0)

        let fal = dir.file("seeds/fal.json")
        let text = try String(contentsOf: fal, encoding: .utf8)
        try text.replacingOccurrences(of: #""usd": 0.5}"#, with: #""usd": 0.55}"#).write(to: fal, atomically: true, encoding: .utf8)
        #expect(try git("commit", "-q", "-am", "a valid price edit").status == 0)

        try text.replacingOccurrences(of: #""usd": 0.5}"#, with: #""usd": -0.5}"#).write(to: fal, atomically: true, encoding: .utf8)
        let refused = try git("commit", "-q", "-am", "a negative price")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("[price-negative]"), "\(refused.stderr)")
    }

    /// The hook checks what CI would: a generated constants module the repository tracks is
    /// held to the seeds being committed, so a price edit without regenerating it is refused.
    @Test(.enabled(if: executable("git") != nil, "git is not installed"))
    func theHookRefusesAStaleGeneratedModule() throws {
        let (dir, seeds, git) = try hookRepository()
        #expect(try regdb(["import"] + seeds, in: dir.url).status == 0)
        let module = try regdb("export", "constants", "--lang", "python", "--category", "text_to_video", in: dir.url)
        try dir.write("text_to_video.py", module.stdout)
        #expect(try git("add", ".").status == 0)
        let first = try git("commit", "-q", "-m", "seeds and their module")
        #expect(first.status == 0, "\(first.stderr)")

        // veo3's no-audio price changes, the module does not: refused, naming the stale file.
        let fal = dir.file("seeds/fal.json")
        let text = try String(contentsOf: fal, encoding: .utf8)
        try text.replacingOccurrences(of: #"{"unit": "second", "variant": "no_audio", "usd": 0.2}"#,
                                      with: #"{"unit": "second", "variant": "no_audio", "usd": 0.25}"#)
            .write(to: fal, atomically: true, encoding: .utf8)
        let stale = try git("commit", "-q", "-am", "a price without its module")
        #expect(stale.status != 0)
        #expect(stale.stderr.contains("text_to_video.py: error: [stale] generated file is stale"), "\(stale.stderr)")
        // Regenerated from the edited seeds, the commit goes through.
        #expect(try regdb(["import"] + seeds, in: dir.url).status == 0)
        try dir.write("text_to_video.py", try regdb("export", "constants", "--lang", "python", "--category", "text_to_video", in: dir.url).stdout)
        let fixed = try git("commit", "-q", "-am", "a price with its module")
        #expect(fixed.status == 0, "\(fixed.stderr)")
    }

    /// The shell completes keys, route keys and categories from the registry.
    @Test func completionReadsTheRegistry() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let bash = ["SAP_SHELL": "bash"]
        let keys = try regdb("---completion", "get", "--", "positional@0", "2", "2", "regdb", "get", "ve", in: dir.url, environment: bash)
        #expect(keys.stdoutLines.contains("veo3"), "\(keys.stdout)\(keys.stderr)")
        #expect(keys.stdoutLines.allSatisfy { $0.hasPrefix("ve") })
        let categories = try regdb("---completion", "list", "--", "--category", "3", "7", "regdb", "list", "--category", "text_to",
                                   in: dir.url, environment: bash)
        #expect(categories.stdoutLines.contains("text_to_video"), "\(categories.stdout)")
        let script = try regdb("--generate-completion-script", "bash")
        #expect(script.stdout.contains("---completion get -- positional@0"))
    }
}
