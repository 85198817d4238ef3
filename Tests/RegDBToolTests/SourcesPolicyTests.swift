import Foundation
import Testing

// End-to-end tests of sources and precedence, provenance (`regdb why`),
// withdrawal, the shrink guard, the unknown-model policy and its sightings,
// lifecycle checks and the handling of secrets, all through the built binary.

// MARK: - Helpers

/// Parses stdout as a JSON array of objects.
private func rows(_ result: ProcessResult) throws -> [[String: Any]] {
    let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    return try #require(parsed as? [[String: Any]], "not a JSON array of objects: \(result.stdout) \(result.stderr)")
}

/// Parses stdout as a JSON object.
private func object(_ result: ProcessResult) throws -> [String: Any] {
    let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    return try #require(parsed as? [String: Any], "not a JSON object: \(result.stdout) \(result.stderr)")
}

private func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

private func close(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) < 1e-9
}

/// The per-second price of veo3 for `variant`, from `regdb cost veo3 --seconds 5 --variant V --format json`.
private func veo3Price(_ variant: String, in directory: URL) throws -> Double {
    let result = try regdb("cost", "veo3", "--seconds", "5", "--variant", variant, "--format", "json", in: directory)
    #expect(result.status == 0, "cost failed: \(result.stderr)")
    let usd = try #require(number(try object(result)["usd"]), "no usd in \(result.stdout)")
    return usd / 5
}

/// The one document `regdb get NAME --format json` gives.
private func document(_ name: String, in directory: URL) throws -> [String: Any] {
    let result = try regdb("get", name, "--format", "json", in: directory)
    #expect(result.status == 0, "get \(name) failed: \(result.stderr)")
    let all = try rows(result)
    #expect(all.count == 1, "get \(name) gave \(all.count) documents")
    return try #require(all.first)
}

/// `regdb why ROUTE FIELD --format json`.
private func why(_ route: String, _ field: String, in directory: URL) throws -> [[String: Any]] {
    let result = try regdb("why", route, field, "--format", "json", in: directory)
    #expect(result.status == 0, "why \(route) \(field) failed: \(result.stderr)")
    #expect(result.stderr == "")
    return try rows(result)
}

/// `regdb sources --format json`.
private func sources(in directory: URL) throws -> [[String: Any]] {
    let result = try regdb("sources", "--format", "json", in: directory)
    #expect(result.status == 0, "sources failed: \(result.stderr)")
    return try rows(result)
}

/// Keys `regdb list` shows, in order.
private func listedKeys(in directory: URL) throws -> [String] {
    let result = try regdb("list", "--format", "json", in: directory)
    #expect(result.status == 0, "list failed: \(result.stderr)")
    return try rows(result).compactMap { $0["key"] as? String }
}

private func isTimestamp(_ value: Any?) -> Bool {
    guard let text = value as? String else { return false }
    return text.range(of: #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"#, options: .regularExpression) != nil
}

/// minimalSeed (veo3 on fal) with another per-second audio price.
private func veo3Seed(audio: Double) -> String {
    let seed = minimalSeed.replacingOccurrences(of: #""variant": "audio", "usd": 0.75"#, with: #""variant": "audio", "usd": \#(audio)"#)
    precondition(audio == 0.75 || seed != minimalSeed, "minimalSeed no longer has the audio price this helper replaces")
    return seed
}

/// A file that says one thing about veo3: its per-second audio price.
private func audioPriceOverride(_ usd: Double) -> String {
    #"{"routes": [{"route": "fal/fal-ai/veo3", "pricing": [{"unit": "second", "variant": "audio", "usd": \#(usd)}]}]}"#
}

/// A seed with one provider (fal by default) and one text_to_video model per id, each priced `usd` per second.
private func multiSeed(_ ids: [String], usd: Double = 0.1, provider: String = "fal") -> String {
    let models = ids.map { id in
        """
        {"id": "\(id)", "name": "\(id.uppercased())", "routes": [{"route": "\(provider)/fal-ai/\(id)", "endpoint": "fal-ai/\(id)",
         "categories": {"text_to_video": "\(id)"}, "pricing": [{"unit": "second", "usd": \(usd)}]}]}
        """
    }
    return """
    {"providers": [{"id": "\(provider)", "name": "\(provider)"}],
     "models": [\(models.joined(separator: ",\n"))]}
    """
}

/// The seed files of a directory made by copySeeds(), as `seeds/*.json` expands.
private func seedFiles(in directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.appending(path: "seeds").path)
        .filter { $0.hasSuffix(".json") }.sorted().map { "seeds/" + $0 }
}


/// SHA-256 of a file, lowercase hex, from coreutils.
private func sha256(_ file: URL) throws -> String {
    let result = try run(URL(filePath: "/usr/bin/sha256sum"), [file.path])
    return String(result.stdout.prefix(64))
}

/// Runs regdb with some environment variables removed (not merely empty).
private func regdb(unsetting names: [String], _ arguments: [String], in directory: URL,
                   environment: [String: String]) throws -> ProcessResult {
    let unset = names.flatMap { ["-u", $0] }
    return try run(URL(filePath: "/usr/bin/env"), unset + [regdbBinary.path] + arguments, in: directory, environment: environment)
}

/// Two kinds of source, the second of higher precedence.
struct SourcesPolicyKindPair: Sendable, CustomTestStringConvertible {
    var low: String
    var high: String
    var testDescription: String { "\(low) < \(high)" }
}

private let kinds = ["builtin", "server", "file", "override"]

private let kindPairs: [SourcesPolicyKindPair] = {
    var pairs: [SourcesPolicyKindPair] = []
    for (i, low) in kinds.enumerated() {
        for high in kinds[(i + 1)...] { pairs.append(SourcesPolicyKindPair(low: low, high: high)) }
    }
    return pairs
}()

@Suite struct SourcesPolicyTests {
    // MARK: - 1. Precedence

    /// For each pair of kinds, in both import orders, the higher kind's price is in force.
    @Test(arguments: kindPairs, [true, false])
    func higherKindWinsWhateverTheImportOrder(pair: SourcesPolicyKindPair, lowFirst: Bool) throws {
        let dir = try TemporaryDirectory()
        try dir.write("low.json", veo3Seed(audio: 1.25))
        try dir.write("high.json", veo3Seed(audio: 2.5))
        let steps = [("low.json", pair.low), ("high.json", pair.high)]
        for (file, kind) in lowFirst ? steps : steps.reversed() {
            let result = try regdb("import", "--kind", kind, file, in: dir.url)
            #expect(result.status == 0, "import --kind \(kind) \(file): \(result.stderr)")
        }
        #expect(close(try veo3Price("audio", in: dir.url), 2.5), "\(pair.high) must win over \(pair.low)")
        // The price both agree on stays.
        #expect(close(try veo3Price("no_audio", in: dir.url), 0.5))

        let provenance = try why("fal/fal-ai/veo3", "pricing.second.audio", in: dir.url)
        #expect(provenance.count == 2)
        #expect(provenance.first?["source"] as? String == "high.json")
        #expect(provenance.first?["kind"] as? String == pair.high)
        #expect(provenance.first?["in_force"] as? Bool == true)
        #expect(provenance.last?["source"] as? String == "low.json")
        #expect(provenance.last?["in_force"] as? Bool == false)

        let listed = try sources(in: dir.url)
        #expect(listed.map { $0["name"] as? String } == ["high.json", "low.json"], "highest precedence first")
    }

    /// Between two sources of one kind, the later import wins.
    @Test(arguments: kinds)
    func sameKindLaterImportWins(kind: String) throws {
        for order in [["a.json", "b.json"], ["b.json", "a.json"]] {
            let dir = try TemporaryDirectory()
            try dir.write("a.json", veo3Seed(audio: 1.25))
            try dir.write("b.json", veo3Seed(audio: 2.5))
            for file in order {
                #expect(try regdb("import", "--kind", kind, file, in: dir.url).status == 0)
            }
            let expected = order.last == "a.json" ? 1.25 : 2.5
            #expect(close(try veo3Price("audio", in: dir.url), expected), "order \(order), kind \(kind)")
        }
    }

    /// Re-importing a changed source makes it the later import of its kind, so
    /// its new value wins over a source imported in between — however quickly
    /// the imports follow each other.
    @Test(arguments: ["builtin", "override"])
    func sameKindReimportedSourceCountsAsLater(kind: String) throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.json", veo3Seed(audio: 1.25))
        try dir.write("b.json", veo3Seed(audio: 2.5))
        #expect(try regdb("import", "--kind", kind, "a.json", in: dir.url).status == 0)
        #expect(try regdb("import", "--kind", kind, "b.json", in: dir.url).status == 0)
        #expect(close(try veo3Price("audio", in: dir.url), 2.5))

        try dir.write("a.json", veo3Seed(audio: 3.5))
        let again = try regdb("import", "--kind", kind, "a.json", in: dir.url)
        #expect(again.status == 0, "\(again.stderr)")
        let listing = try regdb("sources", in: dir.url).stdout
        #expect(close(try veo3Price("audio", in: dir.url), 3.5),
                "a.json was imported after b.json, so its price must win; sources:\n\(listing)")
        #expect(try sources(in: dir.url).first?["name"] as? String == "a.json", "a.json must rank highest now")
    }

    /// A field the higher source leaves out, or gives as null, keeps the lower source's value.
    @Test func absentOrNullInTheHigherSourceDoesNotHideTheLowerValue() throws {
        let dir = try TemporaryDirectory()
        try dir.write("seed.json", minimalSeed)
        try dir.write("override.json", """
            {"routes": [{"route": "fal/fal-ai/veo3", "context_window": 1000, "max_duration": null, "endpoint": null}]}
            """)
        #expect(try regdb("import", "seed.json", in: dir.url).status == 0)
        let imported = try regdb("import", "--kind", "override", "override.json", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")

        #expect(close(try veo3Price("audio", in: dir.url), 0.75), "the builtin price still applies")
        #expect(close(try veo3Price("no_audio", in: dir.url), 0.5))
        let got = try document("veo3", in: dir.url)
        #expect(number(got["context_window"]) == 1000)
        #expect(number(got["max_duration"]) == 8, "a null max_duration in the override does not hide the seed's")
        #expect(got["endpoint"] as? String == "fal-ai/veo3", "a null endpoint in the override does not hide the seed's")

        let maxDuration = try why("fal/fal-ai/veo3", "max_duration", in: dir.url)
        #expect(maxDuration.count == 1, "null claims are not stored")
        #expect(maxDuration.first?["source"] as? String == "seed.json")
        #expect(maxDuration.first?["in_force"] as? Bool == true)
        let contextWindow = try why("fal/fal-ai/veo3", "context_window", in: dir.url)
        #expect(contextWindow.first?["source"] as? String == "override.json")
    }

    // MARK: - 2. An override of one price (the issue's done-when)

    @Test func overrideOfOnePriceWinsSurvivesReimportAndIsExplained() throws {
        let dir = try TemporaryDirectory()
        let database = try dir.importedRegistry()
        let seeds = try seedFiles(in: dir.url)
        let seedAudio = try veo3Price("audio", in: dir.url)
        let seedNoAudio = try veo3Price("no_audio", in: dir.url)
        let before = try document("veo3", in: dir.url)
        #expect(!close(seedAudio, 0.9))

        try dir.write("override.json", audioPriceOverride(0.9))
        let imported = try regdb("import", "--kind", "override", "override.json", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr == "")

        func assertOverrideInForce(_ when: String) throws {
            #expect(close(try veo3Price("audio", in: dir.url), 0.9), "\(when): the override's price wins")
            #expect(close(try veo3Price("no_audio", in: dir.url), seedNoAudio), "\(when): the other price row is left alone")
            // Everything else about veo3 is as the seeds say.
            var after = try document("veo3", in: dir.url)
            var was = before
            after["pricing"] = nil
            was["pricing"] = nil
            #expect(NSDictionary(dictionary: after) == NSDictionary(dictionary: was), "\(when): only the price changed")
            let pricing = try #require(try document("veo3", in: dir.url)["pricing"] as? [[String: Any]])
            #expect(pricing.count == 2, "\(when): still two price rows: \(pricing)")
        }
        try assertOverrideInForce("after the override")

        // Re-running the seed import, unchanged and forced, keeps the override.
        let again = try regdb(["import"] + seeds, in: dir.url)
        #expect(again.status == 0, "\(again.stderr)")
        try assertOverrideInForce("after regdb import seeds/*.json")
        let forced = try regdb(["import", "--force"] + seeds, in: dir.url)
        #expect(forced.status == 0, "\(forced.stderr)")
        try assertOverrideInForce("after regdb import --force seeds/*.json")

        // why names the override as in force, with the seed's value below it.
        let provenance = try why("fal/fal-ai/veo3", "pricing", in: dir.url)
        let audio = provenance.filter { $0["field"] as? String == "pricing.second.audio" }
        #expect(audio.count == 2, "\(provenance)")
        #expect(audio.first?["source"] as? String == "override.json")
        #expect(audio.first?["kind"] as? String == "override")
        #expect(audio.first?["in_force"] as? Bool == true)
        #expect(close(number((audio.first?["value"] as? [String: Any])?["usd"]), 0.9))
        #expect(audio.last?["source"] as? String == "seeds/fal.json")
        #expect(audio.last?["kind"] as? String == "builtin")
        #expect(audio.last?["in_force"] as? Bool == false)
        #expect(close(number((audio.last?["value"] as? [String: Any])?["usd"]), seedAudio))
        for row in provenance {
            #expect(isTimestamp(row["observed_at"]), "observed_at: \(row)")
            #expect(row["subject"] as? String == "fal/fal-ai/veo3")
        }
        let noAudio = provenance.filter { $0["field"] as? String == "pricing.second.no_audio" }
        #expect(noAudio.count == 1)
        #expect(noAudio.first?["source"] as? String == "seeds/fal.json")
        #expect(noAudio.first?["in_force"] as? Bool == true)

        // In table form too: the override line comes before the seed's line for the same field.
        let table = try regdb("why", "fal/fal-ai/veo3", "pricing", in: dir.url)
        #expect(table.status == 0)
        let lines = table.stdoutLines.filter { $0.contains("pricing.second.audio ") }
        #expect(lines.count == 2)
        #expect(lines.first?.contains("override.json") == true && lines.first?.contains("true") == true, "\(table.stdout)")
        #expect(lines.last?.contains("seeds/fal.json") == true && lines.last?.contains("false") == true, "\(table.stdout)")

        // check still passes with the override present.
        let checked = try regdb("check", in: dir.url)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stderr == "")
        #expect(FileManager.default.fileExists(atPath: database.path))
    }

    @Test func removingTheOverrideRestoresTheSeedPrice() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let seedAudio = try veo3Price("audio", in: dir.url)
        try dir.write("prices.json", audioPriceOverride(0.9))
        #expect(try regdb("import", "--kind", "override", "--source", "team-prices", "prices.json", in: dir.url).status == 0)
        #expect(close(try veo3Price("audio", in: dir.url), 0.9))
        #expect(try why("fal/fal-ai/veo3", "pricing.second.audio", in: dir.url).first?["source"] as? String == "team-prices")

        let removed = try regdb("sources", "remove", "team-prices", in: dir.url)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout == "registry.db: removed source team-prices\n")
        #expect(close(try veo3Price("audio", in: dir.url), seedAudio))
        #expect(try sources(in: dir.url).allSatisfy { $0["name"] as? String != "team-prices" })
        #expect(try regdb("check", in: dir.url).status == 0)
    }

    // MARK: - 3. Re-import and withdrawal

    @Test func reimportReplacesOnlyTheSourcesOwnClaims() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.json", minimalSeed.replacingOccurrences(
            of: #""resolutions": ["720p"],"#, with: #""resolutions": ["720p"], "features": ["seed_control"],"#))
        try dir.write("b.json", """
            {"routes": [{"route": "fal/fal-ai/veo3", "context_window": 1000, "defaults": {"duration": 5}}]}
            """)
        #expect(try regdb("import", "a.json", in: dir.url).status == 0)
        #expect(try regdb("import", "--kind", "server", "b.json", in: dir.url).status == 0)
        var got = try document("veo3", in: dir.url)
        #expect(number(got["context_window"]) == 1000)
        #expect(got["features"] as? [String] == ["seed_control"])
        #expect(number((got["defaults"] as? [String: Any])?["duration"]) == 5, "server beats builtin for defaults.duration")

        // a.json changes: no features, another audio price, another default duration.
        try dir.write("a.json", veo3Seed(audio: 0.8).replacingOccurrences(of: #""duration": 8,"#, with: #""duration": 6,"#))
        let again = try regdb("import", "a.json", in: dir.url)
        #expect(again.status == 0, "\(again.stderr)")
        got = try document("veo3", in: dir.url)
        #expect(got["features"] == nil, "a.json no longer says features: \(got)")
        #expect(close(try veo3Price("audio", in: dir.url), 0.8))
        #expect(number(got["context_window"]) == 1000, "b.json's claim stays")
        #expect(number((got["defaults"] as? [String: Any])?["duration"]) == 5, "b.json's default still wins")
        #expect((got["defaults"] as? [String: Any])?["aspect_ratio"] as? String == "16:9", "a.json's other defaults stay")

        let features = try regdb("why", "fal/fal-ai/veo3", "features", in: dir.url)
        #expect(features.status == 1, "no source gives features any more: \(features.stdout)")
        let duration = try why("fal/fal-ai/veo3", "defaults.duration", in: dir.url)
        #expect(duration.map { $0["source"] as? String } == ["b.json", "a.json"])
        #expect(close(number(duration.last?["value"]), 6))
        #expect(try regdb("check", "a.json", in: dir.url).status == 0)
    }

    @Test func sourcesListsNameKindPrecedenceTimeHashAndRoutes() throws {
        let dir = try TemporaryDirectory()
        let a = try dir.write("a.json", multiSeed(["m1", "m2", "m3"]))
        let b = try dir.write("b.json", #"{"routes": [{"route": "fal/fal-ai/m1", "context_window": 10}]}"#)
        let c = try dir.write("c.json", #"{"routes": [{"route": "fal/fal-ai/m2", "context_window": 20}, {"route": "fal/fal-ai/m3", "context_window": 30}]}"#)
        #expect(try regdb("import", "a.json", in: dir.url).status == 0)
        #expect(try regdb("import", "--kind", "override", "--source", "team", "c.json", in: dir.url).status == 0)
        #expect(try regdb("import", "--kind", "server", "b.json", in: dir.url).status == 0)

        let listed = try sources(in: dir.url)
        #expect(listed.map { $0["name"] as? String } == ["team", "b.json", "a.json"])
        #expect(listed.map { $0["kind"] as? String } == ["override", "server", "builtin"])
        #expect(listed.map { number($0["precedence"]) } == [3, 2, 1])
        #expect(listed.map { number($0["routes"]) } == [2, 1, 3])
        #expect(listed.map { $0["content_hash"] as? String } == [try sha256(c), try sha256(b), try sha256(a)])
        #expect(listed.allSatisfy { isTimestamp($0["imported_at"]) }, "\(listed)")
        #expect(Set(listed.flatMap(\.keys)) == ["name", "kind", "precedence", "imported_at", "content_hash", "routes", "url", "etag", "fetched_at"])
        // Only a refreshed catalog has a URL, an ETag and a fetch time.
        #expect(listed.allSatisfy { $0["url"] is NSNull && $0["etag"] is NSNull && $0["fetched_at"] is NSNull }, "\(listed)")

        let table = try regdb("sources", in: dir.url)
        #expect(table.status == 0)
        #expect(table.stdoutLines.first?.split(separator: " ", omittingEmptySubsequences: true)
                == ["name", "kind", "precedence", "imported_at", "content_hash", "routes", "url", "etag", "fetched_at"])
        let listAlias = try regdb("sources", "list", "--format", "json", in: dir.url)
        #expect(try rows(listAlias).count == 3)
    }

    @Test func removingASourceWithdrawsWhatOnlyItProvided() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.json", multiSeed(["m1", "m2"], usd: 0.1))
        try dir.write("b.json", multiSeed(["m2", "m3"], usd: 0.2))
        #expect(try regdb("import", "a.json", in: dir.url).status == 0)
        #expect(try regdb("import", "--kind", "server", "b.json", in: dir.url).status == 0)
        #expect(try listedKeys(in: dir.url) == ["m1", "m2", "m3"])

        let removed = try regdb("sources", "remove", "b.json", in: dir.url)
        #expect(removed.status == 0, "sources remove b.json: \(removed.stderr)")
        #expect(removed.stderr == "")
        #expect(try listedKeys(in: dir.url) == ["m1", "m2"], "m3 only came from b.json")
        #expect(try regdb("get", "m3", in: dir.url).status == 1)
        let m2 = try regdb("cost", "m2", "--seconds", "1", "--format", "json", in: dir.url)
        #expect(close(number(try object(m2)["usd"]), 0.1), "m2 keeps a.json's price: \(m2.stdout) \(m2.stderr)")
        #expect(try sources(in: dir.url).map { $0["name"] as? String } == ["a.json"])
        let leftover = try sqlite3(dir.file("registry.db"), "SELECT count(*) FROM model WHERE id = 'm3';")
        #expect(leftover.stdout == "0\n")
    }

    @Test func removingTheOnlySourceEmptiesTheCatalog() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.json", multiSeed(["m1", "m2"]))
        #expect(try regdb("import", "a.json", in: dir.url).status == 0)
        let removed = try regdb("sources", "remove", "a.json", in: dir.url)
        #expect(removed.status == 0, "sources remove a.json: \(removed.stderr)")
        #expect(try listedKeys(in: dir.url) == [])
        #expect(try sources(in: dir.url).isEmpty)
    }

    @Test func removingAnUnknownSourceListsTheKnownOnes() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.json", multiSeed(["m1"]))
        try dir.write("b.json", #"{"routes": [{"route": "fal/fal-ai/m1", "context_window": 10}]}"#)
        #expect(try regdb("import", "a.json", in: dir.url).status == 0)
        #expect(try regdb("import", "--kind", "override", "b.json", in: dir.url).status == 0)
        let database = dir.file("registry.db")
        let before = snapshot(database)

        let result = try regdb("sources", "remove", "nope.json", in: dir.url)
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderrLines.count == 1)
        let line = result.stderrLines.first ?? ""
        #expect(line.hasPrefix("error: unknown source \"nope.json\""), "\(line)")
        #expect(line.contains("a.json") && line.contains("b.json"), "lists the known sources: \(line)")
        #expect(snapshot(database) == before)
    }

    // MARK: - 4. Shrink guard

    @Test func shrinkGuardRefusesLosingMoreThanHalfOfASourcesRoutes() throws {
        let dir = try TemporaryDirectory()
        try dir.write("s.json", multiSeed(["m1", "m2", "m3", "m4"]))
        #expect(try regdb("import", "s.json", in: dir.url).status == 0)
        let database = dir.file("registry.db")
        let before = snapshot(database)

        try dir.write("s.json", multiSeed(["m1"]))
        let refused = try regdb("import", "s.json", in: dir.url)
        #expect(refused.status == 1)
        #expect(refused.stdout == "")
        #expect(refused.stderrLines.count == 1, "\(refused.stderr)")
        let line = refused.stderrLines.first ?? ""
        #expect(line.hasPrefix("s.json: error: [shrink] "), "\(line)")
        #expect(line.contains("3 of the 4"), "names the counts: \(line)")
        #expect(line.contains("--allow-shrink"), "\(line)")
        #expect(snapshot(database) == before, "a refused import leaves registry.db byte for byte")
        #expect(try listedKeys(in: dir.url) == ["m1", "m2", "m3", "m4"])

        let allowed = try regdb("import", "--allow-shrink", "s.json", in: dir.url)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try listedKeys(in: dir.url) == ["m1"])
    }

    @Test func shrinkGuardAllowsExactlyHalf() throws {
        let dir = try TemporaryDirectory()
        try dir.write("s.json", multiSeed(["m1", "m2", "m3", "m4"]))
        #expect(try regdb("import", "s.json", in: dir.url).status == 0)
        try dir.write("s.json", multiSeed(["m1", "m2"]))
        let result = try regdb("import", "s.json", in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try listedKeys(in: dir.url) == ["m1", "m2"])

        // Five routes down to two removes three: more than half.
        let other = try TemporaryDirectory()
        try other.write("s.json", multiSeed(["m1", "m2", "m3", "m4", "m5"]))
        #expect(try regdb("import", "s.json", in: other.url).status == 0)
        try other.write("s.json", multiSeed(["m1", "m2"]))
        let refused = try regdb("import", "s.json", in: other.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("[shrink]") && refused.stderr.contains("3 of the 5"), "\(refused.stderr)")
    }

    /// One shrinking source refuses the whole import: the other files' changes are not written either.
    @Test func shrinkGuardRefusesTheWholeImport() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.json", minimalSeed)
        try dir.write("s.json", multiSeed(["m1", "m2", "m3", "m4"], provider: "replicate"))
        #expect(try regdb("import", "a.json", "s.json", in: dir.url).status == 0)
        let database = dir.file("registry.db")
        let before = snapshot(database)
        try dir.write("a.json", veo3Seed(audio: 3.0))
        try dir.write("s.json", multiSeed(["m1"], provider: "replicate"))
        let refused = try regdb("import", "a.json", "s.json", in: dir.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("[shrink]"))
        #expect(snapshot(database) == before)
        #expect(close(try veo3Price("audio", in: dir.url), 0.75))
    }

    // MARK: - 5. why

    @Test func whyExplainsModelFieldsGroupsAndExactFields() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()

        let status = try why("openai/gpt-4o", "status", in: dir.url)
        #expect(status.count == 1)
        #expect(status.first?["subject"] as? String == "model gpt-4o")
        #expect(status.first?["field"] as? String == "status")
        #expect(status.first?["source"] as? String == "seeds/openai.json")
        #expect(status.first?["kind"] as? String == "builtin")
        #expect(status.first?["value"] as? String == "production")
        #expect(status.first?["in_force"] as? Bool == true)
        #expect(isTimestamp(status.first?["observed_at"]))

        // A model field overridden: both values, the override in force.
        try dir.write("tier.json", #"{"models": [{"id": "gpt-4o", "name": "gpt-4o", "tier": "heavy"}]}"#)
        #expect(try regdb("import", "--kind", "override", "tier.json", in: dir.url).status == 0)
        let tier = try why("openai/gpt-4o", "tier", in: dir.url)
        #expect(tier.map { $0["source"] as? String } == ["tier.json", "seeds/openai.json"])
        #expect(tier.map { $0["value"] as? String } == ["heavy", "standard"])
        #expect(tier.map { $0["in_force"] as? Bool } == [true, false])
        let resolved = try object(try regdb("resolve", "openai/gpt-4o", "--format", "json", in: dir.url))
        #expect(resolved["tier"] as? String == "heavy", "\(resolved)")

        // A group lists each of its entries; an exact field just that one.
        let group = try why("fal/fal-ai/veo3", "pricing", in: dir.url)
        #expect(Set(group.compactMap { $0["field"] as? String }) == ["pricing.second.audio", "pricing.second.no_audio"])
        let exact = try why("fal/fal-ai/veo3", "pricing.second.audio", in: dir.url)
        #expect(exact.count == 1)
        #expect(exact.first?["field"] as? String == "pricing.second.audio")
        #expect(close(number((exact.first?["value"] as? [String: Any])?["usd"]), 0.4))
        // A category key names the route as well.
        #expect(try why("veo3", "pricing.second.audio", in: dir.url).count == 1)
    }

    @Test func whyOfAnUnknownFieldListsTheFieldsWithValues() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let result = try regdb("why", "openai/gpt-4o", "bogus", in: dir.url)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderrLines.count == 1)
        let line = result.stderrLines.first ?? ""
        #expect(line.hasPrefix("error: no source gives bogus for route openai/gpt-4o"), "\(line)")
        for field in ["status", "tier", "pricing", "context_window", "categories"] {
            #expect(line.contains(field), "lists \(field): \(line)")
        }
        // A field of another kind of entry only (veo3 has no context_window) is unknown too.
        let other = try regdb("why", "fal/fal-ai/veo3", "context_window", in: dir.url)
        #expect(other.status == 1)
        #expect(other.stderr.contains("pricing") && other.stderr.contains("durations"), "\(other.stderr)")
    }

    // MARK: - 6. Unknown-model policy

    enum Mechanism: String, CaseIterable, Sendable { case flag, env, stored }

    /// Every policy, set each way, against a known name, an unknown one, and an unknown one with --allow-unknown.
    @Test(arguments: ["off", "warn", "enforce"], Mechanism.allCases)
    func policyMatrix(policy: String, mechanism: Mechanism) throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        var flag: [String] = []
        var environment = ["REGDB_POLICY": ""]
        switch mechanism {
        case .flag:
            flag = ["--policy", policy]
        case .env:
            environment["REGDB_POLICY"] = policy
        case .stored:
            let set = try regdb("config", "set", "policy", policy, in: dir.url)
            #expect(set.status == 0, "\(set.stderr)")
            #expect(try regdb("config", "get", "policy", in: dir.url, environment: environment).stdout
                    == policy + " (stored in the registry (regdb config set policy))\n")
        }
        func resolve(_ name: String, _ extra: [String] = []) throws -> ProcessResult {
            try regdb(["resolve", name] + flag + extra, in: dir.url, environment: environment)
        }

        for known in ["openai/gpt-4o", "gpt-4o", "fal/fal-ai/veo3"] {
            let result = try resolve(known)
            #expect(result.status == 0, "\(policy) via \(mechanism), \(known): \(result.stderr)")
            #expect(result.stderr == "", "a known name never warns (\(policy) via \(mechanism)): \(result.stderr)")
            #expect(!result.stdout.isEmpty)
        }

        let unknown = try resolve("gpt-4oo")
        switch policy {
        case "off":
            #expect(unknown.status == 0)
            #expect(unknown.stderr == "", "off is silent: \(unknown.stderr)")
        case "warn":
            #expect(unknown.status == 0)
            #expect(unknown.stderrLines.count == 1, "exactly one warning: \(unknown.stderr)")
            #expect(unknown.stderr.hasPrefix(#"warning: unknown model "gpt-4oo" passed through (policy warn)"#), "\(unknown.stderr)")
        default:
            #expect(unknown.status == 3, "enforce refuses with exit 3 (\(mechanism))")
            #expect(unknown.stdout == "")
            #expect(unknown.stderrLines.count == 1, "\(unknown.stderr)")
            let line = unknown.stderrLines.first ?? ""
            #expect(line.hasPrefix(#"error: unknown model "gpt-4oo" refused by policy enforce; closest known: "#), "\(line)")
            let closest = line.dropFirst(#"error: unknown model "gpt-4oo" refused by policy enforce; closest known: "#.count)
            #expect(closest.hasPrefix("gpt-4o"), "the closest name comes first: \(line)")
        }

        let allowed = try resolve("gpt-4oo", ["--allow-unknown"])
        #expect(allowed.status == 0, "--allow-unknown lets it through (\(policy) via \(mechanism)): \(allowed.stderr)")
        #expect(!allowed.stderr.contains("error"), "\(allowed.stderr)")
        switch policy {
        case "off": #expect(allowed.stderr == "")
        case "warn": #expect(allowed.stderrLines.count == 1 && allowed.stderr.hasPrefix("warning: unknown model \"gpt-4oo\""))
        default: break
        }
        #expect(allowed.stdout.contains("gpt-4oo"), "the unknown name is passed through: \(allowed.stdout)")
    }

    /// --policy beats $REGDB_POLICY beats the stored setting beats off.
    @Test func policyPrecedenceFlagThenEnvThenStoredThenOff() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        func outcome(_ arguments: [String], env: String) throws -> String {
            let result = try regdb(["resolve", "gpt-4oo"] + arguments, in: dir.url, environment: ["REGDB_POLICY": env])
            if result.status == 3 { return "enforce" }
            #expect(result.status == 0, "\(result.stderr)")
            return result.stderr.isEmpty ? "off" : result.stderr.hasPrefix("warning: unknown model") ? "warn" : "? \(result.stderr)"
        }
        #expect(try outcome([], env: "") == "off", "nothing set: off")
        #expect(try regdb("config", "get", "policy", in: dir.url, environment: ["REGDB_POLICY": ""]).stdout
                == "off (the default: no --policy, $REGDB_POLICY or stored setting)\n", "nothing set: off, said so")

        #expect(try regdb("config", "set", "policy", "enforce", in: dir.url).status == 0)
        #expect(try outcome([], env: "") == "enforce", "stored")
        #expect(try outcome([], env: "warn") == "warn", "env beats stored")
        #expect(try outcome([], env: "off") == "off", "env off beats stored enforce")
        #expect(try outcome(["--policy", "off"], env: "warn") == "off", "flag beats env and stored")
        #expect(try outcome(["--policy", "warn"], env: "") == "warn", "flag beats stored")

        #expect(try regdb("config", "set", "policy", "off", in: dir.url).status == 0)
        #expect(try outcome([], env: "") == "off")
        #expect(try outcome(["--policy", "enforce"], env: "off") == "enforce", "flag beats env")
        #expect(try outcome([], env: "enforce") == "enforce", "env beats stored off")
        // config get says what is in force and why, as resolve applies it.
        let get = try regdb("config", "get", "policy", "--format", "json", in: dir.url, environment: ["REGDB_POLICY": "warn"])
        #expect(get.stdout.contains(#""value": "warn""#) && get.stdout.contains(#""origin": "environment""#), "\(get.stdout)")
        #expect(try regdb("config", "get", "policy", in: dir.url, environment: ["REGDB_POLICY": ""]).stdout
                == "off (stored in the registry (regdb config set policy))\n")
    }

    @Test func invalidPolicyValuesAreRefused() throws {
        let dir = try TemporaryDirectory()
        let database = try dir.importedRegistry()

        for name in ["gpt-4o", "gpt-4oo"] {
            let result = try regdb("resolve", name, in: dir.url, environment: ["REGDB_POLICY": "strict"])
            #expect(result.status == 64, "an invalid REGDB_POLICY is bad usage: \(result.stderr)")
            #expect(result.stdout == "")
            #expect(result.stderr.contains("REGDB_POLICY") && result.stderr.contains("strict"), "\(result.stderr)")
        }
        let badFlag = try regdb("resolve", "gpt-4o", "--policy", "strict", in: dir.url)
        #expect(badFlag.status == 64)

        #expect(try regdb("config", "set", "policy", "warn", in: dir.url).status == 0)
        let before = snapshot(database)
        // A bad value of an argument is bad usage (exit 64), with the rule, as for options.
        let set = try regdb("config", "set", "policy", "strict", in: dir.url)
        #expect(set.status == 64)
        #expect(set.stderr.hasPrefix(#"Error: policy must be off, warn or enforce, not "strict"."#), "\(set.stderr)")
        #expect(snapshot(database) == before)
        let get = try regdb("config", "get", "policy", in: dir.url, environment: ["REGDB_POLICY": ""])
        #expect(get.status == 0)
        #expect(get.stdout.hasPrefix("warn ("), "the stored value is kept: \(get.stdout)")
        // The schema still refuses it from plain SQL.
        let sql = try regdb("sql", "--write", "UPDATE setting SET value = 'strict' WHERE name = 'policy'", in: dir.url)
        #expect(sql.status == 1 && sql.stderr.contains("[unknown-policy]"), "\(sql.stderr)")

        let unknownSetting = try regdb("config", "set", "colour", "red", in: dir.url)
        #expect(unknownSetting.status == 64)
        #expect(unknownSetting.stderr.contains("policy"), "lists the known settings: \(unknownSetting.stderr)")
    }

    // MARK: - 7. Sightings

    @Test func unknownNamesAreCountedWhateverThePolicy() throws {
        let dir = try TemporaryDirectory()
        let database = try dir.importedRegistry()
        let env = ["REGDB_POLICY": ""]
        for policy in ["off", "warn", "enforce"] {
            let result = try regdb(["resolve", "gpt-4oo", "--policy", policy], in: dir.url, environment: env)
            #expect(result.status == (policy == "enforce" ? 3 : 0))
            for known in ["openai/gpt-4o", "gpt-4o"] {
                #expect(try regdb(["resolve", known, "--policy", policy], in: dir.url, environment: env).status == 0)
            }
        }
        let counted = try sqlite3(database, "SELECT name, count FROM unknown_models;")
        #expect(counted.status == 0, "\(counted.stderr)")
        #expect(counted.stdout == "gpt-4oo|3\n")
        let times = try sqlite3(database, "SELECT first_seen <= last_seen, first_seen GLOB '????-??-??T??:??:??Z' FROM unknown_models;")
        #expect(times.stdout == "1|1\n")
        let known = try sqlite3(database, "SELECT count(*) FROM sighting WHERE name IN ('openai/gpt-4o', 'gpt-4o');")
        #expect(known.stdout == "0\n", "known names are never recorded")

        // A name that becomes known leaves the unknown_models view.
        #expect(try regdb("resolve", "fal/fal-ai/m1", in: dir.url, environment: env).status == 0)
        #expect(try sqlite3(database, "SELECT count(*) FROM unknown_models WHERE name = 'fal/fal-ai/m1';").stdout == "1\n")
        try dir.write("m.json", multiSeed(["m1"]))
        #expect(try regdb("import", "m.json", in: dir.url).status == 0)
        #expect(try sqlite3(database, "SELECT name FROM unknown_models;").stdout == "gpt-4oo\n")
    }

    // MARK: - 8. Lifecycle

    private static let providerLine = #"{"id": "openai", "name": "OpenAI"}"#

    private static func chatModel(_ id: String, _ extra: String) -> String {
        #"{"id": "\#(id)", "name": "\#(id.uppercased())"\#(extra), "routes": [{"route": "openai/\#(id)", "categories": {"chat": "\#(id)"}}]}"#
    }

    private static func lifecycleSeed(_ models: [String]) -> String {
        #"{"providers": [\#(providerLine)], "models": [\#(models.joined(separator: ",\n"))]}"#
    }

    @Test func resolvingADeprecatedModelWarnsAndNamesItsSuccessor() throws {
        let dir = try TemporaryDirectory()
        // The successor is declared in another file.
        try dir.write("seeds/a.json", Self.lifecycleSeed([
            Self.chatModel("old-model", #", "status": "deprecated", "successor": "new-model", "deprecation_date": "2025-01-31""#),
        ]))
        try dir.write("seeds/b.json", #"{"models": [\#(Self.chatModel("new-model", #", "status": "production""#))]}"#)
        let checkedSeeds = try regdb("check", in: dir.url)
        #expect(checkedSeeds.status == 0, "\(checkedSeeds.stderr)")
        #expect(try regdb("import", "seeds/a.json", "seeds/b.json", in: dir.url).status == 0)

        for name in ["openai/old-model", "old-model"] {
            for policy in ["off", "warn", "enforce"] {
                let result = try regdb(["resolve", name, "--policy", policy], in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stderrLines.count == 1, "one warning: \(result.stderr)")
                let line = result.stderrLines.first ?? ""
                #expect(line.hasPrefix("warning: "), "\(line)")
                #expect(line.contains("deprecated") && line.contains("new-model"), "names the successor: \(line)")
                #expect(result.stdout.contains("old-model"))
            }
        }
        let successor = try regdb("resolve", "openai/new-model", in: dir.url)
        #expect(successor.status == 0)
        #expect(successor.stderr == "")
        let checked = try regdb("check", in: dir.url)
        #expect(checked.status == 0, "\(checked.stderr)")
    }

    @Test func checkReportsDeprecatedWithoutSuccessor() throws {
        let dir = try TemporaryDirectory()
        try dir.write("seeds/a.json", Self.lifecycleSeed([
            Self.chatModel("fine-model", #", "status": "production""#),
            Self.chatModel("old-model", #", "status": "deprecated""#),
        ]))
        let result = try regdb("check", in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
        let line = result.stderrLines.first ?? ""
        #expect(line.hasPrefix("seeds/a.json:$.models[1]: error: [lifecycle] "), "\(line)")
        #expect(line.contains("old-model") && line.contains("successor"), "\(line)")
    }

    @Test func checkReportsASuccessorThatDoesNotExist() throws {
        let dir = try TemporaryDirectory()
        try dir.write("seeds/a.json", Self.lifecycleSeed([
            Self.chatModel("fine-model", #", "status": "production""#),
            Self.chatModel("gone-model", #", "status": "deprecated", "successor": "no-such-model""#),
        ]))
        let result = try regdb("check", in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
        let line = result.stderrLines.first ?? ""
        #expect(line.hasPrefix("seeds/a.json:$.models[1].successor: error: [successor] "), "\(line)")
        #expect(line.contains("gone-model") && line.contains("no-such-model"), "\(line)")

        // Importing such seeds is refused the same way, and writes nothing.
        let imported = try regdb("import", "seeds/a.json", in: dir.url)
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("[successor]") && imported.stderr.contains("seeds/a.json"), "\(imported.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("registry.db").path))
    }

    @Test func checkReportsAProductionModelPastItsDeprecationDate() throws {
        let dir = try TemporaryDirectory()
        try dir.write("seeds/a.json", Self.lifecycleSeed([
            Self.chatModel("future-model", #", "status": "production", "deprecation_date": "2999-01-01""#),
            Self.chatModel("late-model", #", "status": "production", "deprecation_date": "2020-01-01""#),
        ]))
        let result = try regdb("check", in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1, "only the past date is a violation: \(result.stderr)")
        let line = result.stderrLines.first ?? ""
        #expect(line.hasPrefix("seeds/a.json:$.models[1]: error: [lifecycle] "), "\(line)")
        #expect(line.contains("late-model") && line.contains("2020-01-01"), "\(line)")
    }

    // MARK: - 9. Secrets

    private static let secrets = ["FAL_KEY": "sk-very-secret-123", "OPENAI_API_KEY": "sk-another-secret-456"]

    @Test func secretsNeverAppearInOutputOrTheDatabase() throws {
        let dir = try TemporaryDirectory()
        let seeds = try dir.copySeeds()
        var environment = Self.secrets
        environment["REGDB_POLICY"] = ""
        try dir.write("override.json", audioPriceOverride(0.9))
        try dir.write("metrics.json", #"{"openai/gpt-4o": {"execute-task": {"successes": 1, "failures": 0}}}"#)

        var commands: [[String]] = [
            ["import"] + seeds,
            ["import", "--kind", "override", "override.json"],
            ["import", "--force"] + seeds,
            ["providers"], ["providers", "--format", "json"], ["providers", "--format", "csv"],
            ["list"], ["list", "--format", "json"], ["list", "--category", "chat", "--format", "csv"],
            ["get", "veo3"], ["get", "openai/gpt-4o", "--format", "json"], ["get", "no-such-thing"],
            ["cost", "veo3", "--seconds", "5", "--variant", "audio"],
            ["cost", "openai/gpt-4o", "--input-tokens", "1200", "--output-tokens", "300", "--format", "json"],
            ["resolve", "openai/gpt-4o", "--format", "json"], ["resolve", "gpt-4o"],
            ["resolve", "gpt-4oo", "--policy", "warn"], ["resolve", "gpt-4oo", "--policy", "enforce"],
            ["routes", "gpt-4o", "--format", "json"],
            ["failover", "opencode/kimi-k2.5", "--unit", "execute-task"],
            ["check"], ["check", "--format", "json"],
            ["sources"], ["sources", "--format", "json"],
            ["why", "fal/fal-ai/veo3", "pricing"], ["why", "openai/gpt-4o", "status", "--format", "json"],
            ["why", "openai/gpt-4o", "bogus"],
            ["sql", "SELECT * FROM provider"], ["sql", "SELECT * FROM provider", "--format", "json"],
            ["sql", "SELECT * FROM setting"], ["sql", "SELECT * FROM sighting"], ["sql", "SELECT * FROM source"],
            ["sql", "SELECT * FROM claim WHERE entity = 'provider'", "--format", "csv"],
            ["config", "set", "policy", "warn"], ["config", "get", "policy"], ["config"],
            ["metrics", "record", "openai/gpt-4o", "--unit", "execute-task", "--outcome", "success"],
            ["metrics", "show", "--format", "json"],
            ["metrics", "migrate", "metrics.json"],
            ["sources", "remove", "override.json"],
            ["--help"], ["help"],
        ]
        for subcommand in ["import", "check", "list", "get", "cost", "resolve", "routes", "failover", "sources", "why",
                           "config", "providers", "metrics", "sql"] {
            commands.append([subcommand, "--help"])
        }

        // Commands that fail on purpose, with their exit status; every other one must succeed,
        // so that each really runs the code path it is meant to cover.
        let failing: [[String]: Int32] = [
            ["get", "no-such-thing"]: 1, ["resolve", "gpt-4oo", "--policy", "enforce"]: 3, ["why", "openai/gpt-4o", "bogus"]: 1,
        ]
        for arguments in commands {
            let result = try regdb(arguments, in: dir.url, environment: environment)
            #expect(result.status == failing[arguments, default: 0],
                    "regdb \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
            for (name, secret) in Self.secrets {
                #expect(!result.stdout.contains(secret), "regdb \(arguments.joined(separator: " ")) printed \(name) on stdout")
                #expect(!result.stderr.contains(secret), "regdb \(arguments.joined(separator: " ")) printed \(name) on stderr")
            }
        }
        #expect(try regdb(["check"], in: dir.url, environment: environment).status == 0, "the commands above left a valid registry")

        let database = dir.file("registry.db")
        for suffix in ["", "-wal", "-shm", "-journal"] {
            guard let bytes = contents(URL(filePath: database.path + suffix)) else { continue }
            for (name, secret) in Self.secrets {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "registry.db\(suffix) holds the value of \(name)")
            }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        for file in leftovers where !file.hasSuffix(".json") && file != "seeds" {
            guard let bytes = contents(dir.file(file)) else { continue }
            for (name, secret) in Self.secrets {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds the value of \(name)")
            }
        }
    }

    @Test func providersShowWhetherVariablesAreSetNeverTheirValues() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let result = try regdb(unsetting: ["GEMINI_API_KEY"], ["providers", "--format", "json"], in: dir.url,
                               environment: Self.secrets)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        let listed = try rows(result)
        func row(_ variable: String) -> [String: Any]? { listed.first { $0["env_var"] as? String == variable } }
        #expect(row("FAL_KEY")?["provider"] as? String == "fal")
        #expect(row("FAL_KEY")?["set"] as? Bool == true)
        #expect(row("OPENAI_API_KEY")?["set"] as? Bool == true)
        #expect(row("GEMINI_API_KEY")?["set"] as? Bool == false, "an unset variable: \(String(describing: row("GEMINI_API_KEY")))")
        for (_, secret) in Self.secrets { #expect(!result.stdout.contains(secret)) }
        #expect(Set(listed.flatMap(\.keys)) == ["provider", "name", "base_url", "auth", "env_var", "set"])

        // Without the variables, both read as unset.
        let bare = try regdb(unsetting: ["FAL_KEY", "OPENAI_API_KEY"], ["providers", "--format", "json"], in: dir.url,
                             environment: [:])
        let bareRows = try rows(bare)
        #expect(bareRows.first { $0["env_var"] as? String == "FAL_KEY" }?["set"] as? Bool == false)
        #expect(bareRows.first { $0["env_var"] as? String == "OPENAI_API_KEY" }?["set"] as? Bool == false)
    }
}
