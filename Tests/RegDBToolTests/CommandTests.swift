import Foundation
import Testing

/// Parses stdout as JSON.
private func json(_ result: ProcessResult) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
}

/// The "usd" of `regdb cost ... --format json`.
private func usd(_ result: ProcessResult) throws -> Double {
    let object = try #require(try json(result) as? [String: Any], "not a JSON object: \(result.stdout)")
    return try #require((object["usd"] as? NSNumber)?.doubleValue, "no usd in \(result.stdout)")
}

/// Whole-line match against a regular expression.
private func matches(_ line: String, _ pattern: String) -> Bool {
    line.range(of: "^" + pattern + "$", options: .regularExpression) != nil
}

@Suite struct CommandTests {
    // MARK: - import

    @Test func importPrintsSummaryAndReimportWritesNothing() throws {
        let dir = try TemporaryDirectory()
        let seeds = try dir.copySeeds()
        let first = try regdb(["import"] + seeds, in: dir.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr == "")
        #expect(first.stdoutLines.count == 1)
        #expect(matches(first.stdout.trimmingCharacters(in: .newlines),
                        #"registry\.db: imported \#(seeds.count) files: [1-9][0-9]* routes added, 0 changed, 0 removed, 0 unchanged \([1-9][0-9]* providers, [1-9][0-9]* models, [1-9][0-9]* routes in all\)"#),
                "\(first.stdout)")

        let database = dir.file("registry.db")
        let before = try #require(contents(database))
        let again = try regdb(["import"] + seeds, in: dir.url)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr == "")
        #expect(matches(again.stdout.trimmingCharacters(in: .newlines),
                        #"registry\.db: up to date with \#(seeds.count) files; nothing written \([0-9]+ providers, [0-9]+ models, [0-9]+ routes in all\)"#),
                "\(again.stdout)")
        #expect(contents(database) == before, "a re-import changed registry.db")
    }

    /// Two sources describing one route are merged, field by field: re-importing
    /// the first, unchanged, writes nothing, keeps the second's additions, and
    /// check agrees the registry holds what both say.
    @Test func twoSourcesOfOneRouteMerge() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.json", minimalSeed)
        try dir.write("b.json", minimalSeed.replacingOccurrences(
            of: #""resolutions": ["720p"],"#, with: #""resolutions": ["720p"], "features": ["aspect_ratio"],"#))
        #expect(try regdb("import", "a.json", in: dir.url).status == 0)
        #expect(try regdb("import", "b.json", in: dir.url).status == 0)

        let again = try regdb("import", "a.json", in: dir.url)
        #expect(again.status == 0)
        #expect(again.stdout == "registry.db: up to date with 1 file; nothing written (1 providers, 1 models, 1 routes in all)\n")
        let checked = try regdb("check", "a.json", in: dir.url)
        #expect(checked.status == 0, "\(checked.stderr)")
        let got = try regdb("get", "veo3", "--format", "json", in: dir.url)
        #expect(got.stdout.contains(#""features": ["#), "b.json's features are kept: \(got.stdout)")
    }

    /// import says what the file changed: routes added, changed, removed and unchanged.
    @Test func importReportsWhatTheFileChanged() throws {
        let dir = try TemporaryDirectory()
        let second = #"{"route": "fal/fal-ai/veo3-fast", "endpoint": "fal-ai/veo3-fast", "categories": {"text_to_video": "veo3_fast"}, "pricing": [{"unit": "second", "usd": 0.4}]}"#
        let withTwo = try #require(minimalSeed.range(of: #""resolution": "720p"}"#)).upperBound
        let two = String(minimalSeed[..<withTwo]) + "\n        },\n        " + second.dropLast() + String(minimalSeed[withTwo...])
        func imported(_ text: String) throws -> String {
            try dir.write("a.json", text)
            let result = try regdb("import", "a.json", in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
        #expect(try imported(minimalSeed).contains("imported 1 file: 1 routes added, 0 changed, 0 removed, 0 unchanged"))
        #expect(try imported(minimalSeed.replacingOccurrences(of: #""usd": 0.5}"#, with: #""usd": 0.55}"#))
            .contains("imported 1 file: 0 routes added, 1 changed, 0 removed, 0 unchanged"))
        #expect(try imported(two).contains("imported 1 file: 1 routes added, 1 changed, 0 removed, 0 unchanged"))
        #expect(try imported(minimalSeed).contains("imported 1 file: 0 routes added, 0 changed, 1 removed, 1 unchanged"))
    }

    // MARK: - check

    @Test func checkIsCleanThenReportsDriftAfterASeedEdit() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()

        let clean = try regdb("check", in: dir.url)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stderr == "")
        #expect(matches(clean.stdout.trimmingCharacters(in: .newlines),
                        #"ok: [0-9]+ seed files \([0-9]+ routes\) and registry\.db: no violations"#),
                "\(clean.stdout)")

        // Edit veo3's no_audio price in the seed, without re-importing.
        let fal = dir.file("seeds/fal.json")
        let text = try String(contentsOf: fal, encoding: .utf8)
        let price = try #require(text.range(of: #"{"unit": "second", "variant": "no_audio", "usd": 0.2}"#))
        try dir.write("seeds/fal.json", text.replacingCharacters(in: price, with: #"{"unit": "second", "variant": "no_audio", "usd": 0.25}"#))

        // A registry older than its seeds is a warning: the commit of a valid seed edit goes through.
        let drift = try regdb("check", in: dir.url)
        #expect(drift.status == 0)
        #expect(drift.stderrLines == [
            "registry.db: warning: [out-of-date] registry.db is out of date: run regdb import seeds/*.json (seeds changed since its import: seeds/fal.json)",
        ])

        // The fix the message gives works.
        let seeds = try FileManager.default.contentsOfDirectory(atPath: dir.file("seeds").path)
            .filter { $0.hasSuffix(".json") }.sorted().map { "seeds/" + $0 }
        #expect(try regdb(["import"] + seeds, in: dir.url).status == 0)
        #expect(try regdb("check", in: dir.url).status == 0)
    }

    /// A hand edit of the catalog tables (not a seed edit) is still an error.
    @Test func aHandEditIsDriftNotOutOfDate() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        try #require(try sqlite3(db, "UPDATE route SET priority = 7 WHERE route_key = 'openai/gpt-4o';").status == 0)
        let check = try regdb("check", in: dir.url)
        #expect(check.status == 1)
        #expect(check.stderr.contains("error: [drift] route openai/gpt-4o differs in priority"), "\(check.stderr)")
    }

    /// An import records a digest of the tables it wrote; an edit by anything else breaks it, and
    /// check compares the catalog with its sources until `import --force` rebuilds it: another
    /// import (of a catalog, of a changed seed) neither hides nor drops the edit.
    @Test func anEditOutsideImportIsReportedUntilForceRebuildsTheCatalog() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let digest = "SELECT catalog_digest IS NOT NULL FROM written_state"
        #expect(try sqlite3(db, digest).stdout == "1\n")
        try #require(try sqlite3(db, "UPDATE price SET usd = 9 WHERE rowid = (SELECT min(p.rowid) FROM price p JOIN route r ON r.id = p.route_id WHERE r.route_key = 'fal/fal-ai/veo3');").status == 0)
        #expect(try regdb("check", in: dir.url).stderr.contains("error: [drift] route fal/fal-ai/veo3 differs in pricing"))
        try dir.write("extra.json", #"{"providers": [{"id": "extra", "name": "Extra"}]}"#)
        #expect(try regdb("import", "--kind", "file", "extra.json", in: dir.url).status == 0)
        let still = try regdb("check", in: dir.url)
        #expect(still.status == 1)
        #expect(still.stderr.contains("error: [drift] route fal/fal-ai/veo3 differs in pricing"), "\(still.stderr)")
        let seeds = try FileManager.default.contentsOfDirectory(atPath: dir.file("seeds").path)
            .filter { $0.hasSuffix(".json") }.sorted().map { "seeds/" + $0 }
        #expect(try regdb(["import", "--force"] + seeds, in: dir.url).status == 0)
        let clean = try regdb("check", in: dir.url)
        #expect(clean.status == 0, "\(clean.stderr)")
    }

    /// In a git repository a seed is one source however its path is written and wherever regdb runs.
    @Test(.enabled(if: executable("git") != nil, "git is not installed"))
    func sourceIdentityIsStableAcrossPathsAndFolders() throws {
        let dir = try TemporaryDirectory()
        let seeds = try dir.copySeeds()
        #expect(try run(try #require(executable("git")), ["init", "-q"], in: dir.url).status == 0)
        #expect(try regdb(["import"] + seeds, in: dir.url).status == 0)
        let absolute = seeds.map { dir.file($0).path }
        let fromElsewhere = try regdb(["check", "--db", dir.file("registry.db").path] + absolute, in: FileManager.default.temporaryDirectory)
        #expect(fromElsewhere.status == 0, "\(fromElsewhere.stderr)")
        #expect(fromElsewhere.stderr == "", "absolute paths are other sources: \(fromElsewhere.stderr)")
        let fromSeeds = try regdb(["check", "--db", "../registry.db"] + seeds.map { String($0.dropFirst(6)) }, in: dir.file("seeds"))
        #expect(fromSeeds.stderr == "", "\(fromSeeds.stderr)")
        let again = try regdb(["import", "--db", dir.file("registry.db").path] + absolute, in: dir.file("seeds"))
        #expect(again.stdout.contains("up to date"), "\(again.stdout)")
        let sources = try regdb("sql", "SELECT count(*) AS n FROM source", "--format", "csv", in: dir.url)
        #expect(sources.stdout == "n\n\(seeds.count)\n")
    }

    // MARK: - list

    @Test func listFiltersAndFormats() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()

        let table = try regdb("list", "--category", "text_to_video", in: dir.url)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stderr == "")
        #expect(table.stdoutLines.first?.hasPrefix("category") == true)
        #expect(table.stdout.contains("veo3"))

        func rows(_ arguments: String...) throws -> [[String: Any]] {
            let result = try regdb(["list"] + arguments + ["--format", "json"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try json(result) as? [[String: Any]], "not a JSON array: \(result.stdout)")
        }

        let all = try rows()
        #expect(all.count > 50)
        #expect(Set(all.compactMap { $0["category"] as? String }).isSuperset(of: ["text_to_video", "image_to_video", "chat"]))

        let textToVideo = try rows("--category", "text_to_video")
        #expect(!textToVideo.isEmpty)
        #expect(textToVideo.allSatisfy { $0["category"] as? String == "text_to_video" })
        #expect(textToVideo.contains { $0["key"] as? String == "veo3" })

        let fal = try rows("--provider", "fal")
        #expect(!fal.isEmpty && fal.count < all.count)
        #expect(fal.allSatisfy { $0["provider"] as? String == "fal" })

        let beta = try rows("--status", "beta")
        #expect(!beta.isEmpty && beta.count < all.count)
        #expect(beta.allSatisfy { $0["status"] as? String == "beta" })

        let combined = try rows("--category", "chat", "--provider", "xai")
        #expect(!combined.isEmpty)
        #expect(combined.allSatisfy { $0["category"] as? String == "chat" && $0["provider"] as? String == "xai" })

        let csv = try regdb("list", "--category", "text_to_video", "--format", "csv", in: dir.url)
        #expect(csv.status == 0)
        #expect(csv.stdoutLines.first == "category,key,route_key,name,provider,status,available,context_window")
        #expect(csv.stdoutLines.count == textToVideo.count + 1)
        #expect(csv.stdoutLines.contains { $0.hasPrefix("text_to_video,veo3,fal/fal-ai/veo3,") })
    }

    // MARK: - get

    @Test func getShowsEveryCategoryOfAKey() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()

        let table = try regdb("get", "sora_2", in: dir.url)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("image_to_video"))
        #expect(table.stdout.contains("text_to_video"))

        let result = try regdb("get", "sora_2", "--format", "json", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let documents = try #require(try json(result) as? [[String: Any]])
        #expect(Set(documents.compactMap { $0["category"] as? String }) == ["image_to_video", "text_to_video"])
        #expect(documents.allSatisfy { $0["key"] as? String == "sora_2" })

        let one = try regdb("get", "sora_2", "--category", "text_to_video", "--format", "json", in: dir.url)
        let only = try #require(try json(one) as? [[String: Any]])
        #expect(only.count == 1)
        #expect(only.first?["category"] as? String == "text_to_video")
    }

    @Test func getUnknownKeySuggests() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let result = try regdb("get", "sora2", in: dir.url)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderrLines == [#"error: no model or route named "sora2"; did you mean "sora_2"?"#])
    }

    // MARK: - cost

    @Test func costPricesCalls() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()

        let veo3 = try regdb("cost", "veo3", "--seconds", "8", "--variant", "audio", "--format", "json", in: dir.url)
        #expect(veo3.status == 0, "\(veo3.stderr)")
        #expect(veo3.stderr == "")
        #expect(abs(try usd(veo3) - 3.2) < 1e-9)  // fal's $0.40 per second with audio
        let veo3Object = try #require(try json(veo3) as? [String: Any])
        #expect(veo3Object["route_key"] as? String == "fal/fal-ai/veo3")
        #expect(veo3Object["variants"] as? [String] == ["audio"])

        let grok = try regdb("cost", "grok_imagine", "--category", "text_to_video", "--seconds", "10", "--format", "json", in: dir.url)
        #expect(grok.status == 0, "\(grok.stderr)")
        #expect(abs(try usd(grok) - 0.5) < 1e-9)

        // $0.20 per second, doubled at 720p.
        let multitalk = try regdb("cost", "multitalk", "--seconds", "5", "--variant", "720p", "--format", "json", in: dir.url)
        #expect(multitalk.status == 0, "\(multitalk.stderr)")
        #expect(abs(try usd(multitalk) - 2.0) < 1e-9)

        let gpt = try regdb("cost", "gpt-4o", "--input-tokens", "1000000", "--format", "json", in: dir.url)
        #expect(gpt.status == 0, "\(gpt.stderr)")
        #expect(abs(try usd(gpt) - 2.5) < 1e-9)

        // The table format ends with the total.
        let table = try regdb("cost", "veo3", "--seconds", "8", "--variant", "audio", in: dir.url)
        #expect(table.status == 0)
        #expect(table.stdoutLines.first?.hasPrefix("fal/fal-ai/veo3, priced for ") == true, "\(table.stdout)")
        #expect(table.stdoutLines.last.map { matches($0, #"^total +3.2$"#) } == true, "\(table.stdout)")
    }

    @Test func costRefusesWhatItCannotPrice() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()

        // Alternatives without --variant and no default to choose one: the error lists them.
        let kling = try regdb("cost", "kling_2_6_pro_i2v", "--seconds", "5", in: dir.url)
        #expect(kling.status == 1)
        #expect(kling.stdout == "")
        #expect(kling.stderrLines.count == 1)
        let klingLine = kling.stderrLines.first ?? ""
        #expect(klingLine.hasPrefix("error: kling_2_6_pro is priced per second in variants "), "\(klingLine)")
        #expect(klingLine.contains("no_audio") && klingLine.contains("audio") && klingLine.contains("--variant"), "\(klingLine)")

        let bogus = try regdb("cost", "veo3", "--seconds", "5", "--variant", "bogus", in: dir.url)
        #expect(bogus.status == 1)
        #expect(bogus.stderrLines == [#"error: veo3 has no price variant "bogus"; its variants: no_audio, audio"#])

        // A unit the model is not priced in: the error gives the units it is priced in.
        let images = try regdb("cost", "veo3", "--images", "3", "--variant", "audio", in: dir.url)
        #expect(images.status == 1)
        #expect(images.stdout == "")
        #expect(images.stderrLines == ["error: veo3 is not priced per image; it is priced per: second"])

        // No quantity and no default duration to make the typical call of.
        let nothing = try regdb("cost", "thinksound", in: dir.url)
        #expect(nothing.status == 1)
        #expect(nothing.stderrLines == ["error: thinksound is priced per second; give --seconds (or --minutes, or --usage second=N)"])

        // A key in two categories needs --category.
        let sora = try regdb("cost", "sora_2", "--seconds", "4", in: dir.url)
        #expect(sora.status == 1)
        #expect(sora.stdout == "")
        #expect(sora.stderrLines == [
            #"error: "sora_2" is ambiguous: it names 2 things: fal/fal-ai/sora-2/image-to-video (category_key in image_to_video); fal/fal-ai/sora-2/text-to-video (category_key in text_to_video); give a route key, a canonical id or --category"#,
        ])

        let negative = try regdb("cost", "veo3", "--seconds=-1", "--variant", "audio", in: dir.url)
        #expect(negative.status == 64)
        #expect(negative.stderr.hasPrefix(#"Error: --seconds must be a number >= 0 and <= 1e15, not "-1"."#), "\(negative.stderr)")
    }

    // MARK: - sql

    @Test func sqlSelectAsCSV() throws {
        let dir = try TemporaryDirectory()
        let database = try dir.importedRegistry()
        let before = try #require(contents(database))
        let result = try regdb("sql", "SELECT key, endpoint FROM model_endpoints WHERE category = 'text_to_video' AND key = 'veo3'",
                               "--format", "csv", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout == "key,endpoint\nveo3,fal-ai/veo3\n")
        #expect(contents(database) == before, "a SELECT changed registry.db")

        let refused = try regdb("sql", "--write", "UPDATE price SET usd = -1", in: dir.url)
        #expect(refused.status == 1)
        #expect(refused.stderrLines.count == 1)
        #expect(refused.stderr.contains("[price-negative]"), "\(refused.stderr)")
        #expect(contents(database) == before, "a refused UPDATE changed registry.db")

        // Read-only unless --write; and --write never reaches the schema, the version or other files.
        let readOnly = try regdb("sql", "UPDATE route SET priority = 1", in: dir.url)
        #expect(readOnly.status == 1)
        #expect(readOnly.stderrLines == ["registry.db: error: [read-only] regdb sql is read-only; pass --write to change data (the rules hold for it too)"])
        for statement in ["DROP TRIGGER price_usd_update", "DROP TABLE route_feature", "PRAGMA user_version = 99",
                          "CREATE TABLE x (a)", "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = 'x' WHERE name = 'price_usd_update'",
                          "ATTACH 'other.db' AS other"] {
            let tampered = try regdb("sql", "--write", statement, in: dir.url)
            #expect(tampered.status == 1, "\(statement): \(tampered.stdout)")
            #expect(tampered.stderrLines.count == 1, "\(statement): \(tampered.stderr)")
            #expect(contents(database) == before, "\(statement) changed registry.db")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("other.db").path))
    }

    // MARK: - usage

    @Test(arguments: ["import", "check", "list", "get", "cost", "sql"])
    func helpForEverySubcommand(_ command: String) throws {
        let result = try regdb(command, "--help")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE: regdb \(command)"), "\(result.stdout)")
        #expect(result.stdout.contains("--db"))
    }

    @Test func helpForTheTool() throws {
        let result = try regdb("--help")
        #expect(result.status == 0)
        for command in ["import", "check", "list", "get", "cost", "sql"] {
            #expect(result.stdout.contains("  \(command) "), "\(command) missing from regdb --help")
        }
    }

    @Test(arguments: [["import", "seed.json"], ["check"], ["list"], ["get", "veo3"], ["cost", "veo3"], ["sql", "SELECT 1"]])
    func unknownFlagIsBadUsage(_ arguments: [String]) throws {
        let dir = try TemporaryDirectory()
        let result = try regdb(arguments + ["--bogus"], in: dir.url)
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("Unknown option '--bogus'"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("registry.db").path))
    }

    @Test func unknownSubcommandIsBadUsage() throws {
        let result = try regdb("frob")
        #expect(result.status == 64)
        #expect(result.stderr.contains("frob"))
    }

    // MARK: - --db and REGDB_PATH

    @Test(arguments: [["list"], ["get", "veo3"], ["cost", "veo3", "--seconds", "8", "--variant", "audio"]])
    func missingDatabaseSaysHowToCreateIt(_ arguments: [String]) throws {
        let dir = try TemporaryDirectory()
        let result = try regdb(arguments + ["--db", "missing.db"], in: dir.url)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderrLines == ["missing.db: error: no registry here; create it with: regdb import seeds/*.json"])
        #expect(!FileManager.default.fileExists(atPath: dir.file("missing.db").path), "a read command created the file")

        // The default path is ./registry.db.
        let byDefault = try regdb(arguments, in: dir.url)
        #expect(byDefault.status == 1)
        #expect(byDefault.stderrLines == ["registry.db: error: no registry here; create it with: regdb import seeds/*.json"])
        #expect(!FileManager.default.fileExists(atPath: dir.file("registry.db").path))
    }

    @Test func sqlOnMissingDatabaseDoesNotCreateOne() throws {
        let dir = try TemporaryDirectory()
        let result = try regdb("sql", "SELECT count(*) FROM route", "--db", "missing.db", in: dir.url)
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stderrLines == ["missing.db: error: no registry here; create it with: regdb import seeds/*.json"])
        #expect(!FileManager.default.fileExists(atPath: dir.file("missing.db").path))
    }

    @Test(arguments: [["list"], ["get", "veo3"], ["cost", "veo3", "--seconds", "8", "--variant", "audio"], ["sql", "SELECT 1"]])
    func notARegistryIsRefused(_ arguments: [String]) throws {
        let dir = try TemporaryDirectory()

        let text = try dir.write("notes.txt", "hello, this is not a database\n")
        let textBefore = try #require(contents(text))
        let onText = try regdb(arguments + ["--db", "notes.txt"], in: dir.url)
        #expect(onText.status == 1)
        #expect(onText.stdout == "")
        #expect(onText.stderrLines == ["notes.txt: error: file is not a database"])
        #expect(contents(text) == textBefore)

        let other = dir.file("other.db")
        let made = try sqlite3(other, "CREATE TABLE t (x); PRAGMA application_id = 1234;")
        try #require(made.status == 0, "\(made.stderr)")
        let otherBefore = try #require(contents(other))
        let onOther = try regdb(arguments + ["--db", "other.db"], in: dir.url)
        #expect(onOther.status == 1)
        #expect(onOther.stdout == "")
        #expect(onOther.stderrLines == ["other.db: error: not a regdb registry (application_id 1234); pass another file with --db"])
        #expect(contents(other) == otherBefore)
    }

    @Test func importRefusesToWriteIntoANonRegistry() throws {
        let dir = try TemporaryDirectory()
        try dir.write("seed.json", minimalSeed)
        let text = try dir.write("notes.txt", "hello\n")
        let result = try regdb("import", "--db", "notes.txt", "seed.json", in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderrLines == ["notes.txt: error: file is not a database"])
        #expect(contents(text) == Data("hello\n".utf8))
    }

    @Test func regdbPathIsHonoured() throws {
        let home = try TemporaryDirectory()
        let database = try home.importedRegistry()
        let elsewhere = try TemporaryDirectory()

        let listed = try regdb("list", "--category", "text_to_video", "--format", "csv", in: elsewhere.url,
                               environment: ["REGDB_PATH": database.path])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdoutLines.contains { $0.hasPrefix("text_to_video,veo3,") })

        let cost = try regdb("cost", "veo3", "--seconds", "8", "--variant", "audio", "--format", "json", in: elsewhere.url,
                             environment: ["REGDB_PATH": database.path])
        #expect(cost.status == 0, "\(cost.stderr)")
        #expect(abs(try usd(cost) - 3.2) < 1e-9)

        // --db wins over REGDB_PATH.
        let missing = elsewhere.file("missing.db").path
        let overridden = try regdb("get", "veo3", "--db", database.path, in: elsewhere.url, environment: ["REGDB_PATH": missing])
        #expect(overridden.status == 0, "\(overridden.stderr)")

        // A missing REGDB_PATH is reported by that path.
        let broken = try regdb("list", in: elsewhere.url, environment: ["REGDB_PATH": missing])
        #expect(broken.status == 1)
        #expect(broken.stderrLines == ["\(missing): error: no registry here; create it with: regdb import seeds/*.json"])

        // import writes where REGDB_PATH says.
        try elsewhere.write("seed.json", minimalSeed)
        let target = elsewhere.file("via-env.db")
        let imported = try regdb("import", "seed.json", in: elsewhere.url, environment: ["REGDB_PATH": target.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "\(target.path): imported 1 file: 1 routes added, 0 changed, 0 removed, 0 unchanged (1 providers, 1 models, 1 routes in all)\n")
        #expect(!FileManager.default.fileExists(atPath: elsewhere.file("registry.db").path))
    }
}
