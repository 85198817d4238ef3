import Foundation
import Testing

/// Every write path holds the rules, and input is never read as something else without an
/// error: the findings of the adversarial run (issue 30), each as it was reproduced.
@Suite struct HardeningTests {
    // MARK: - regdb sql --write

    /// Text that would end regdb's transaction (COMMIT, END, ROLLBACK, BEGIN, SAVEPOINT,
    /// RELEASE) is refused before anything runs: no table dropped, no version changed.
    @Test(arguments: [
        "DROP TABLE price; COMMIT; BEGIN",
        "PRAGMA user_version = 3; END; BEGIN",
        "DELETE FROM price; ROLLBACK",
        "SAVEPOINT s; DROP TRIGGER price_usd_insert; RELEASE s",
        "/* sneaky */ commit",
        "BEGIN; UPDATE price SET usd = 1",
    ])
    func transactionControlIsRefused(sql: String) throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let before = snapshot(db)
        let result = try regdb("sql", "--write", sql, in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1 && result.stderr.contains("[sql-write]") && result.stderr.contains("nothing written"),
                "\(result.stderr)")
        #expect(snapshot(db) == before)
        #expect(try sqlite3(db, "SELECT count(*) > 200 FROM price; PRAGMA user_version;").stdoutLines == ["1", "11"])
    }

    /// Pragmas that switch a rule off cannot be set; reading pragmas still works.
    @Test(arguments: ["ignore_check_constraints=ON", "foreign_keys = OFF", "writable_schema=1", "recursive_triggers=1",
                      "defer_foreign_keys=ON", "main.application_id = 7", "trusted_schema(1)"])
    func pragmasThatDisableRulesAreRefused(pragma: String) throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let before = snapshot(db)
        let result = try regdb("sql", "--write", "PRAGMA \(pragma); UPDATE price SET per = 0 WHERE id = 1", in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("[sql-write] PRAGMA") && result.stderr.contains("cannot be set by regdb sql --write"), "\(result.stderr)")
        #expect(snapshot(db) == before)
        let read = try regdb("sql", "--write", "PRAGMA table_info(price)", in: dir.url)
        #expect(read.status == 0 && read.stdout.contains("usd"), "\(read.stderr)")
    }

    /// The deferred rules (a media route keeps a price) run before `sql --write` commits.
    @Test func sqlWriteRunsTheDeferredRules() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let before = snapshot(db)
        let result = try regdb("sql", "--write", "DELETE FROM price WHERE route_id = (SELECT id FROM route WHERE route_key = 'fal/fal-ai/veo3')",
                               in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderrLines == ["registry.db: error: [required-pricing] a route in the media category text_to_video must have at least one price (route fal/fal-ai/veo3); nothing written"],
                "\(result.stderr)")
        #expect(snapshot(db) == before)
    }

    /// A row written with CHECK constraints off (by sqlite3, which regdb cannot stop) is found by
    /// `check`, whose integrity check evaluates them.
    @Test func checkFindsRowsThatBypassedCheckConstraints() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        try #require(try sqlite3(db, "PRAGMA ignore_check_constraints = ON; UPDATE price SET per = 0 WHERE id = (SELECT min(id) FROM price);").status == 0)
        let check = try regdb("check", "--db", "registry.db", in: dir.url)
        #expect(check.status == 1)
        #expect(check.stderrLines.contains("registry.db: error: [integrity] CHECK constraint failed in price"), "\(check.stderr)")
        // And such a row is never priced as if it were fine (per 0 divided by).
        try #require(try sqlite3(db, "PRAGMA ignore_check_constraints = ON; UPDATE price SET per = 0 WHERE route_id = (SELECT id FROM route WHERE route_key = 'openai/gpt-4o');").status == 0)
        let cost = try regdb("cost", "openai/gpt-4o", "--input-tokens", "1000", "--format", "json", in: dir.url)
        #expect(cost.status == 1, "\(cost.stdout)")
        #expect(cost.stderr.hasPrefix("registry.db: error: [integrity] a price row of openai/gpt-4o"), "\(cost.stderr)")
    }

    /// A price edited together with the deletion of its seed's source row, or a claim edited,
    /// is drift `check --full` reports, not an out-of-date warning that hides it.
    @Test(arguments: [
        "DELETE FROM source WHERE name = 'seeds/openai.json'",
        "UPDATE claim SET value = json_set(value, '$.context_window', 1) WHERE entity = 'route' AND entity_id = 'openai/gpt-4o'",
    ])
    func editsBehindTheClaimsAreDrift(provenanceEdit: String) throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let edit = try regdb("sql", "--write", """
            UPDATE price SET usd = 0.01 WHERE route_id = (SELECT id FROM route WHERE route_key = 'openai/gpt-4o') AND unit = 'input_token';
            \(provenanceEdit)
            """, in: dir.url)
        try #require(edit.status == 0, "\(edit.stderr)")
        let check = try regdb("check", "--full", in: dir.url)
        #expect(check.status == 1, "\(check.stderr)")
        #expect(check.stderrLines.contains { $0.hasPrefix("registry.db: error: [drift] route openai/gpt-4o") }, "\(check.stderr)")
    }

    // MARK: - --calls and --usage-json

    @Test func callsWithCRLFLineEndsArePriced() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try dir.write("calls.jsonl", "{\"name\": \"gpt-4o\", \"usage\": {\"input_token\": 1000000}}\r\n{\"name\": \"veo3\", \"usage\": {\"second\": 5}, \"variants\": [\"audio\"]}\r\n")
        let result = try regdb("cost", "--calls", "calls.jsonl", "--format", "json", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.count == 2)
        #expect(result.stdoutLines.first?.contains(#""usd":2.5"#) == true, "\(result.stdout)")
    }

    /// A field of the wrong type is an error with its line and field, never dropped.
    @Test(arguments: [
        (#"{"name": "o3", "usage": {"input_token": 1000000}, "at": 20250501}"#, #"calls.jsonl:1: "at" must be a string (an ISO 8601 date or UTC time), found 20250501"#),
        (#"{"name": "veo3", "usage": {"second": 1}, "variants": "audio"}"#, #"calls.jsonl:1: "variants" must be a list of strings (["720p"]), found string"#),
        (#"{"name": "veo3", "usage": {"second": 1}, "variants": [720]}"#, #"calls.jsonl:1: variants[0] must be a string ("720p"), found 720"#),
        (#"{"name": "gpt-4o", "usage": {"input_token": 9200000000000000000}}"#, "calls.jsonl:1: usage.input_token must be a number >= 0 and <= 1e15, found 9200000000000000000"),
        (#"{"name": "gpt-4o", "usage": [1]}"#, #"calls.jsonl:1: "usage" must be an object of quantities by unit, found array"#),
        (#"{"name": "gpt-4o", "category": 3}"#, #"calls.jsonl:1: "category" must be a string, found 3"#),
        (#"{"name": "gpt-4o", "tokens": 3}"#, #"calls.jsonl:1: "tokens" is not a field of a call (name, usage, variants, category, at)"#),
    ])
    func callsFieldsAreTyped(line: String, message: String) throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try dir.write("calls.jsonl", line + "\n")
        let result = try regdb("cost", "--calls", "calls.jsonl", "--format", "json", in: dir.url)
        #expect(result.status == 1)
        let answer = try #require(try parse(result.stdout) as? [String: Any], "\(result.stdout)")
        #expect((answer["error"] as? String)?.contains(message) == true, "\(result.stdout)")
    }

    /// A usage JSON with nothing to price is an error, not $0; counts have the options' cap.
    @Test(arguments: [
        (#"{"usageMetadata": "x"}"#, "<stdin>:$.usageMetadata: error: [usage] expected an object, found string"),
        ("[1]", "<stdin>:$: error: [usage] expected an API response or its usage object, found array"),
        (#"{"model": "gpt-4o", "usage": {"prompt_tokens": null, "completion_tokens": null}}"#,
         "<stdin>:$.usage: error: [usage] no token counts: prompt_tokens and completion_tokens are missing or null"),
        (#"{"model": "claude-3-opus", "usage": {"input_tokens": null, "output_tokens": null}}"#,
         "<stdin>:$.usage: error: [usage] no token counts: input_tokens and output_tokens are missing or null"),
        (#"{"modelVersion": "gemini-2.5-pro", "usageMetadata": {"totalTokenCount": 5}}"#,
         "<stdin>:$.usageMetadata: error: [usage] no token counts: promptTokenCount and candidatesTokenCount are missing or null"),
        (#"{"model": "gpt-4o", "usage": {"prompt_tokens": 9200000000000000000, "completion_tokens": 1}}"#,
         "<stdin>:$.usage.prompt_tokens: error: [usage] a token count must be a whole number >= 0 and <= 1e15, found 9200000000000000000"),
    ])
    func usageJSONWithNothingToPriceIsAnError(json: String, message: String) throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let result = try regdb("cost", "--usage-json", "-", "--format", "json", in: dir.url, input: json)
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stderrLines == [message], "\(result.stderr)")
    }

    /// An unknown --category is refused, not ignored (it would price the name in another category).
    @Test func anUnknownCategoryIsRefused() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let result = try regdb("cost", "sora_2", "--category", "bogus", "--seconds", "4", in: dir.url)
        #expect(result.status == 64, "\(result.stdout)")
        #expect(result.stderr.hasPrefix(#"error: unknown category "bogus"; known: "#), "\(result.stderr)")
        let got = try regdb("get", "sora_2", "--category", "bogus", in: dir.url)
        #expect(got.status == 64, "\(got.stdout)")
    }

    /// Every format the README's table lists is one `import --format` and `refresh --add` take.
    @Test func everyDocumentedFormatIsAccepted() throws {
        let readme = try String(contentsOf: repoRoot.appending(path: "README.md"), encoding: .utf8)
        let formats = readme.split(separator: "\n").filter { $0.hasPrefix("| `") }.compactMap { line -> String? in
            let name = line.dropFirst(3).prefix { $0 != "`" }
            return ["litellm", "models.dev", "genai-prices", "openrouter", "yaml", "tinker", "routes-map", "fal-pricing"]
                .contains(String(name)) ? String(name) : nil
        }
        #expect(Set(formats).count == 8, "\(formats)")
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        for format in Set(formats) {
            let help = try regdb("import", "--format", format, "missing.json", in: dir.url)
            #expect(help.status == 1 && !help.stderr.contains("invalid for '--format"), "\(format): \(help.stderr)")
        }
    }

    // MARK: - Secrets and files

    /// A token in a discovery URL's query or fragment is dropped, said so, and stored nowhere.
    @Test func aQueryInADiscoveryURLIsNeverStored() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let server = try FakeServer(["/v1/models": ["body": #"{"data": [{"id": "m1"}]}"#]], in: dir)
        let result = try regdb("discover", "openai", server.url + "/v1?api_key=SECRET123#frag", "--provider", "local", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("[credentials] the query and fragment of the URL were dropped"), "\(result.stderr)")
        #expect(!result.stdout.contains("SECRET123") && !result.stderr.contains("SECRET123"))
        let dump = try sqlite3(db, ".dump")
        #expect(dump.status == 0 && !dump.stdout.contains("SECRET123"))
        #expect(!server.requests.joined().contains("SECRET123"), "\(server.requests)")
        for command in [["sources"], ["providers"], ["status"], ["export", "docs"]] {
            #expect(!(try regdb(command, in: dir.url)).stdout.contains("SECRET123"), "\(command)")
        }
    }

    /// `--db` is a regular file or nothing: a directory, a FIFO, a device or a broken symlink
    /// is named, one line, exit 1, and nothing is created or replaced.
    @Test func theRegistryPathMustBeARegularFile() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.copySeeds()
        try FileManager.default.createDirectory(at: dir.file("folder"), withIntermediateDirectories: true)
        #expect(mkfifo(dir.file("fifo").path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir.file("dangling").path, withDestinationPath: dir.file("nowhere").path)
        try FileManager.default.createSymbolicLink(atPath: dir.file("loop").path, withDestinationPath: dir.file("loop").path)
        let cases = [("folder", "is a directory"), ("fifo", "is a FIFO (named pipe)"), ("/dev/null", "is a device"),
                     ("dangling", "is a symlink to a file that does not exist"), ("loop", "is a symlink loop")]
        for (path, what) in cases {
            // Never `import` into /dev/null here: were the rule broken, the test would replace it.
            for command in [["list"], ["check"], ["import", "seeds/openai.json"]] where !(path == "/dev/null" && command[0] == "import") {
                let result = try regdb(command + ["--db", path], in: dir.url)
                #expect(result.status == 1, "\(command) \(path)")
                #expect(result.stderrLines.contains("\(path): error: [db-file] \(what), not a registry file; --db names a registry file or a path where none exists yet"),
                        "\(command) \(path): \(result.stderr)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("nowhere").path))
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    /// A registry in a folder nothing can write (a read-only mount, a read-only folder) answers
    /// reads; a sighting that cannot be written is a warning; a write says why it cannot.
    @Test func aReadOnlyFolderAnswersReads() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let folder = dir.file("ro")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: dir.file("registry.db"), to: folder.appending(path: "registry.db"))
        // As root, permissions do not bind: a read-only bind mount does. Otherwise a folder without write permission.
        let view = dir.file("view")
        if getuid() == 0 {
            try FileManager.default.createDirectory(at: view, withIntermediateDirectories: true)
            let mount = URL(filePath: "/bin/mount")
            try #require(try run(mount, ["--bind", folder.path, view.path]).status == 0)
            defer { _ = try? run(URL(filePath: "/bin/umount"), [view.path]) }
            try #require(try run(mount, ["-o", "remount,ro,bind", view.path]).status == 0)
            try readsAnswer(in: view, dir)
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
            try readsAnswer(in: folder, dir)
        }
    }

    private func readsAnswer(in folder: URL, _ dir: TemporaryDirectory) throws {
        let db = folder.appending(path: "registry.db").path
        let listed = try regdb("list", "--db", db, "--format", "json", in: dir.url)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(((try? parse(listed.stdout)) as? [Any])?.count ?? 0 > 100)
        let cost = try regdb("cost", "gpt-4o", "--input-tokens", "1000000", "--db", db, in: dir.url)
        #expect(cost.status == 0 && cost.stdout.contains("2.5"), "\(cost.stderr)")
        let resolved = try regdb("resolve", "no-such-model-xyz", "--policy", "off", "--db", db, in: dir.url)
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(resolved.stderr.contains(#"warning: the sighting of "no-such-model-xyz" was not recorded"#), "\(resolved.stderr)")
        #expect(try regdb("check", "--db", db, in: dir.url).status == 0)
        let write = try regdb("sql", "--write", "UPDATE setting SET value = 'warn' WHERE name = 'policy'", "--db", db, in: dir.url)
        #expect(write.status == 1 && write.stderr.contains("readonly"), "\(write.stderr)")
    }

    /// Policy off promises exit 0 for an unknown name: a sighting that cannot be written (another
    /// writer holds the registry) is a warning.
    @Test func anUnrecordedSightingIsAWarning() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        // A writer that holds the lock past regdb's busy timeout (10 s).
        let holder = Process()
        holder.executableURL = URL(filePath: "/usr/bin/sqlite3")
        holder.arguments = [db.path]
        let input = Pipe()
        holder.standardInput = input
        try holder.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE; INSERT INTO setting (name, value) VALUES ('policy', 'off');\n".utf8))
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        Thread.sleep(forTimeInterval: 0.5)
        let result = try regdb("resolve", "no-such-model-xyz", "--policy", "off", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains(#"warning: the sighting of "no-such-model-xyz" was not recorded"#), "\(result.stderr)")
    }

    // MARK: - Scale of hostile input

    /// A rule of many `equals` names and many models sharing prefixes import in linear time (the
    /// figure is in scripts/bench); here, that every name still resolves.
    @Test func manyMatchNamesImport() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let names = (0..<20_000).map { #"{"equals": "acme-m-\#($0)"}"# }.joined(separator: ", ")
        let prefixed = (0..<2_000).map { #"{"id": "p\#($0)", "match": {"starts_with": "acme-p\#($0)-"}, "prices": {"input_mtok": 1}}"# }
            .joined(separator: ", ")
        try dir.write("data.json", """
            [{"id": "acme", "name": "Acme", "api_pattern": "x", "models": [
              {"id": "m", "name": "M", "match": {"or": [\(names)]}, "prices": {"input_mtok": 1, "output_mtok": 2}}, \(prefixed)]},
             {"id": "acme", "name": "Acme again", "api_pattern": "y", "models": []}]
            """)
        let result = try regdb("import", "--kind", "catalog", "--format", "genai-prices", "data.json", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        // A provider listed twice is a located warning, not a raw UNIQUE failure.
        #expect(result.stderr.contains("data.json:$[1].id: warning: [duplicate-provider] provider acme is listed twice"), "\(result.stderr)")
        #expect(try regdb("resolve", "acme-m-19999", "--format", "json", in: dir.url).stdout.contains(#""route_key": "acme/m""#))
        let prefix = try regdb("sql", "SELECT json_extract(metadata, '$.match_prefixes') FROM route WHERE route_key = 'acme/p1999'", in: dir.url)
        #expect(prefix.stdout.contains("acme-p1999-"), "\(prefix.stdout)")
    }

    /// A server listing more models than --max-models is refused before anything is made of it.
    @Test func discoveryIsBoundedByAModelCount() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let listing = "{\"data\": [" + (0..<11).map { #"{"id": "m\#($0)"}"# }.joined(separator: ", ") + "]}"
        let server = try FakeServer(["/v1/models": ["body": listing]], in: dir)
        let before = snapshot(db)
        let result = try regdb("discover", "openai", server.url, "--provider", "local", "--max-models", "10", in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("lists 11 models, more than --max-models 10; nothing written"), "\(result.stderr)")
        #expect(snapshot(db) == before)
        #expect(try regdb("discover", "openai", server.url, "--provider", "local", "--max-models", "11", in: dir.url).status == 0)
    }
}

/// Inputs that trapped or never ended (the adversarial run of 2026-12-08), each as reproduced:
/// an error or an answer now, never a crash.
@Suite struct TrapTests {
    /// Nine anchors each 900 levels deep inside the previous one: 18 KB of YAML nesting 8,100
    /// levels, which libyaml's per-collection limit does not see.
    @Test func yamlAliasesNestingPastTheLimitAreRefused() throws {
        let dir = try TemporaryDirectory()
        var lines = ["x0: &x0 " + String(repeating: "[", count: 900) + "1" + String(repeating: "]", count: 900)]
        for k in 1..<10 {
            lines.append("x\(k): &x\(k) " + String(repeating: "[", count: 900) + "*x\(k - 1)" + String(repeating: "]", count: 900))
        }
        lines.append("providers: {a: {models: {m: {api_name: *x9}}}}")
        _ = try dir.write("alias.yaml", lines.joined(separator: "\n") + "\n")
        let result = try regdb("import", "alias.yaml", in: dir.url)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("[yaml-size] the file nests deeper than 256 levels"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("registry.db").path))
    }

    /// A unit made a part of itself by hand: every quote refuses, naming the unit (it recursed
    /// until the stack ran out, or looped for ever, taking regdb serve with it).
    @Test(arguments: [
        "INSERT INTO unit_part (part, whole) VALUES ('input_token', 'cache_read_token')",
        "DELETE FROM unit_part WHERE part IN ('input_audio_token', 'output_audio_token'); INSERT INTO unit_part (part, whole) VALUES ('input_audio_token', 'output_audio_token'), ('output_audio_token', 'input_audio_token')",
    ])
    func aUnitPartOfItselfIsAnIntegrityError(sql: String) throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        #expect(try regdb("sql", "--write", sql, in: dir.url).status == 0)
        let result = try regdb("cost", "openai/gpt-4o", "--input-tokens", "10", "--cache-read-tokens", "10", in: dir.url)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains("[integrity] unit_part makes ")
                && result.stderr.contains(" a part of itself (written by hand?)"), "\(result.stderr)")
    }

    /// Counters past Int64 (a metrics file, a hand edit) are summed without trapping.
    @Test func countersPastInt64DoNotTrap() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        _ = try dir.write("metrics.json", #"{"execute-task": {"groq/moonshotai/kimi-k2-instruct": {"successes": 9223372036854775807}, "openrouter/moonshotai/kimi-k2": {"successes": 1}}}"#)
        let migrated = try regdb("metrics", "migrate", "metrics.json", in: dir.url)
        #expect([0, 1].contains(migrated.status), "\(migrated.stderr)")
        #expect(try regdb("sql", "--write", """
            DELETE FROM route_outcome; INSERT INTO route_outcome (unit, route_key, successes) VALUES ('execute-task', 'groq/moonshotai/kimi-k2-instruct', 9223372036854775807),
                ('execute-task', 'openrouter/moonshotai/kimi-k2', 1)
            """, in: dir.url).status == 0)
        let shown = try regdb("metrics", "show", "--format", "json", in: dir.url)
        #expect(shown.status == 0 && shown.stdout.contains("9223372036854775807"), "\(shown.stderr)")
        // An import_seq set by hand past what rule positions hold.
        #expect(try regdb("sql", "--write", "UPDATE source SET import_seq = 10000000000000 WHERE id = (SELECT max(id) FROM source)",
                          in: dir.url).status == 0)
        let imported = try regdb("import", "--force", "seeds/comfyui.json", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
    }

    /// A price scaled past Decimal (1e300 per token, listed per 10^18 tokens) is shown, not trapped on.
    @Test func aHugeScaledPriceIsListed() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("big.json", """
            {"providers": [{"id": "acme", "name": "Acme", "base_url": "https://api.acme.example/v1", "auth": "bearer", "env_vars": ["ACME_KEY"]}],
             "models": [{"id": "m1", "name": "m1", "routes": [{"route": "acme/m1", "categories": {"chat": "m1"},
               "pricing": [{"unit": "input_token", "usd": 1e300, "per": 1000000}]}]}]}
            """)
        #expect(try regdb("import", "big.json", in: dir.url).status == 0)
        for per in ["1000000000M-input-tokens", "1M-input-tokens"] {
            let listed = try regdb("list", "--per", per, "--format", "json", in: dir.url)
            #expect(listed.status == 0, "\(per): \(listed.stderr)")
        }
    }

    /// A manifest claiming Int64.max bytes, and a timeout of 1e300 seconds: refused, not trapped on.
    @Test func pullRefusesWhatItCannotHold() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        _ = try dir.write("pub/manifest.json", #"{"format": "regdb-manifest", "artifact": "registry-1.db", "sha256": "00", "version": "1", "bytes": 9223372036854775807, "schema_version": 11}"#)
        let pulled = try regdb("pull", dir.file("pub/manifest.json").path, in: dir.url)
        #expect(pulled.status == 1 && pulled.stderr.contains("more than regdb pulls (8 GiB)"), "\(pulled.stderr)")
        for timeout in ["1e300", "inf"] {
            let result = try regdb("pull", "http://127.0.0.1:9/manifest.json", "--timeout", timeout, in: dir.url)
            #expect(result.status == 64 && result.stderr.contains("--timeout must be from 0 to 3600 seconds"), "\(result.stderr)")
        }
    }

    /// A name rule of many stars written by hand: matching tried every split at every star
    /// (exponential: 2.6 s on 20 bytes, most of an hour on 40); one pass with one point to go
    /// back to now. The time limit is a guard against that hang, not a measure of speed.
    @Test(.timeLimit(.minutes(1))) func aNameRuleOfManyStarsIsMatchedInOnePass() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        #expect(try regdb("sql", "--write", "INSERT INTO name_rule (kind, pattern, example, position) VALUES ('suffix', '*a*a*a*a*a*a*a*a*b', 'ab', 30)",
                          in: dir.url).status == 0)
        let result = try regdb("resolve", String(repeating: "a", count: 40), "--policy", "off", "--format", "json", in: dir.url)
        #expect(result.status == 0 && result.stdout.contains(#""known": false"#), "\(result.stdout)")
    }

    /// An unknown name of 5,000 characters under enforce: refused at once, with no suggestions
    /// (the edit distance to every name took seconds).
    @Test func aVeryLongUnknownNameGetsNoSuggestions() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let result = try regdb("resolve", String(repeating: "q", count: 5_000), "--policy", "enforce", in: dir.url)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(!result.stderr.contains("closest known"), "\(result.stderr)")
    }
}
