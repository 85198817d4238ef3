import Foundation
import Testing

/// One bad seed file and the one line regdb must report for it.
struct BadSeedCase: Sendable, CustomTestStringConvertible {
    enum Content: Sendable {
        /// Literal text.
        case text(String)
        /// Raw bytes (for invalid UTF-8).
        case bytes([UInt8])
        /// `minimalSeed` with the first occurrence of `old` replaced by `new`.
        case edit(_ old: String, _ new: String)
        /// `minimalSeed` cut off right after the first occurrence of the marker.
        case truncatedAfter(String)
        /// A valid JSON seed padded with spaces to `size` bytes.
        case padded(size: Int)
    }

    var name: String
    var content: Content
    /// The exact stderr line for `regdb import bad.json` and `regdb check bad.json`
    /// (its start only, when `prefixOnly`).
    var expected: String
    var prefixOnly = false

    /// Whether stderr is the one expected line.
    func isExpected(_ lines: [String]) -> Bool {
        guard lines.count == 1, let line = lines.first else { return false }
        return prefixOnly ? line.hasPrefix(expected) : line == expected
    }

    var testDescription: String { name }

    /// The bytes of bad.json; nil when an edit does not apply to `minimalSeed` any more.
    func data() -> Data? {
        switch content {
        case .text(let text):
            return Data(text.utf8)
        case .bytes(let bytes):
            return Data(bytes)
        case .edit(let old, let new):
            guard let range = minimalSeed.range(of: old) else { return nil }
            return Data(minimalSeed.replacingCharacters(in: range, with: new).utf8)
        case .truncatedAfter(let marker):
            guard let range = minimalSeed.range(of: marker) else { return nil }
            return Data(minimalSeed[..<range.upperBound].utf8)
        case .padded(let size):
            let head = Data(#"{"models": []"#.utf8), tail = Data("}".utf8)
            return head + Data(repeating: UInt8(ascii: " "), count: size - head.count - tail.count) + tail
        }
    }
}

/// 50 MiB: well above the 32 MiB limit on seed files.
private let hugeSize = 50 * 1024 * 1024

let badSeedCases: [BadSeedCase] = [
    BadSeedCase(
        name: "a \\u0000 escape in a name",
        content: .text(#"{"providers": [{"id": "a\u0000b", "name": "x"}]}"#),
        expected: #"bad.json:$.providers[0].id: error: [json-syntax] a \u0000 escape (NUL) is not allowed in a registry string (line 1, column 31)"#),
    BadSeedCase(
        name: "truncated JSON",
        content: .truncatedAfter(#""durations": [5, 6"#),
        expected: #"bad.json:$.models[0].routes[0].durations: error: [json-syntax] unexpected end of file; expected ',' or ']' in an array (line 16, column 29)"#),
    BadSeedCase(
        name: "wrong type (max_duration as a string)",
        content: .edit(#""max_duration": 8"#, #""max_duration": "8""#),
        expected: #"bad.json:$.models[0].routes[0].max_duration: error: [type] max_duration must be a whole number, found string "8""#),
    BadSeedCase(
        name: "unknown field",
        content: .edit(#""max_duration": 8,"#, #""max_duration": 8, "fps": 24,"#),
        // The list of known fields grows with the format; its start is stable.
        expected: #"bad.json:$.models[0].routes[0].fps: error: [unknown-field] unknown field "fps" in a route; known fields: route, name, provider_label, endpoint, "#,
        prefixOnly: true),
    BadSeedCase(
        name: "negative price",
        content: .edit(#""usd": 0.5"#, #""usd": -0.5"#),
        expected: #"bad.json:$.models[0].routes[0].pricing[0].usd: error: [price-negative] price.usd must be a finite number >= 0 (route fal/fal-ai/veo3, unit second, variant no_audio, value -0.5)"#),
    BadSeedCase(
        name: "a price window that is no time of day",
        content: .edit(#""variant": "audio", "usd": 0.75}"#, #""variant": "audio", "usd": 0.75, "window": [{"hours_utc": "25:00-03:00"}]}"#),
        expected: #"bad.json:$.models[0].routes[0].pricing[1].window[0]: error: [price-window] a window needs "hours_utc" ("HH:MM-HH:MM" in UTC, or a list of them) and may give "weekdays" (ISO, Monday 1 to Sunday 7) and "weekday_timezone" (the calendar they are read on, Asia/Shanghai)"#),
    BadSeedCase(
        name: "a price window on a weekday too large for an integer",
        content: .edit(#""variant": "audio", "usd": 0.75}"#, #""variant": "audio", "usd": 0.75, "window": [{"hours_utc": "16:30-00:30", "weekdays": [1e300]}]}"#),
        expected: #"bad.json:$.models[0].routes[0].pricing[1].window[0]: error: [price-window] a window needs "hours_utc" ("HH:MM-HH:MM" in UTC, or a list of them) and may give "weekdays" (ISO, Monday 1 to Sunday 7) and "weekday_timezone" (the calendar they are read on, Asia/Shanghai)"#),
    BadSeedCase(
        name: "a price window on a row without a variant",
        content: .edit(#""variant": "no_audio", "usd": 0.5}"#, #""usd": 0.5, "window": [{"hours_utc": "16:30-00:30"}]}"#),
        expected: #"bad.json:$.models[0].routes[0].pricing[0].window: error: [price-window] a window says when a variant applies by itself; give the row a "variant" (off_peak)"#),
    BadSeedCase(
        name: "a maker that is no identifier",
        content: .edit(#""name": "Google Veo 3","#, #""name": "Google Veo 3", "maker": "","#),
        expected: #"bad.json:$.models[0].maker: error: [identifier] maker provider id "" must not be empty"#),
    BadSeedCase(
        name: "duration above max_duration",
        content: .edit("[5, 6, 7, 8]", "[5, 6, 7, 8, 20]"),
        expected: #"bad.json:$.models[0].routes[0].durations[4]: error: [duration-range] route_duration.seconds must be in (0, max_duration] (route fal/fal-ai/veo3, value 20, max_duration 8)"#),
    BadSeedCase(
        name: "duplicate JSON key",
        content: .edit(#""max_duration": 8,"#, #""max_duration": 8, "max_duration": 8,"#),
        expected: #"bad.json:$.models[0].routes[0].max_duration: error: [json-duplicate-key] duplicate key "max_duration" (line 17, column 30)"#),
    BadSeedCase(
        name: "same category key on two routes",
        content: .edit(#""resolution": "720p"}"#, #"""
            "resolution": "720p"}
                    },
                    {"route": "fal/fal-ai/veo3-fast", "endpoint": "fal-ai/veo3-fast", "categories": {"text_to_video": "veo3"}, "pricing": [{"unit": "second", "usd": 0.4}]
            """#),
        expected: #"bad.json:$.models[0].routes[1].categories.text_to_video: error: [duplicate-key] route_category.key must be unique within a category (category text_to_video, value "veo3", already used by route fal/fal-ai/veo3)"#),
    BadSeedCase(
        name: "unknown category",
        content: .edit(#""text_to_video": "veo3""#, #""text_to_vidoe": "veo3""#),
        expected: #"bad.json:$.models[0].routes[0].categories.text_to_vidoe: error: [unknown-category] route_category.category_id must name a known category (route fal/fal-ai/veo3, value "text_to_vidoe")"#),
    BadSeedCase(
        name: "empty file",
        content: .text(""),
        expected: #"bad.json:$: error: [json-syntax] the file is empty; expected a JSON value (line 1, column 1)"#),
    BadSeedCase(
        name: "50 MiB file",
        content: .padded(size: hugeSize),
        // No JSON path: the file is refused before it is parsed.
        expected: "bad.json: error: [file-size] file is \(hugeSize) bytes; seed files are limited to 33554432 bytes (32 MiB)"),
    BadSeedCase(
        name: "invalid UTF-8",
        content: .bytes(Array(#"{"models": [{"id": "veo3", "name": "Google "#.utf8) + [0xFF, 0xFE] + Array(#" Veo 3"}]}"#.utf8)),
        expected: #"bad.json:$: error: [json-syntax] invalid UTF-8 (byte 0xFF at offset 43); seed files must be UTF-8 (line 1, column 44)"#),
    BadSeedCase(
        name: "JSON object that is not a seed",
        content: .text(#"{"name": "x"}"#),
        expected: #"bad.json:$: error: [not-a-seed] not a regdb seed file: expected a JSON object with "providers", "models" or "routes", found an object without them"#),
    BadSeedCase(
        name: "JSON array that is not a seed",
        content: .text("[1,2]"),
        expected: #"bad.json:$: error: [not-a-seed] not a regdb seed file: expected a JSON object with "providers", "models" or "routes", found an array"#),
    BadSeedCase(
        name: "duration written as \"5s\"",
        content: .edit("[5, 6, 7, 8]", #"[5, "5s", 7, 8]"#),
        expected: #"bad.json:$.models[0].routes[0].durations[1]: error: [type] durations holds whole numbers, found string "5s"; durations are whole seconds: write 5, not "5s""#),
    // Rules no single statement breaks: import reads deferred_violation before it commits.
    BadSeedCase(
        name: "media route without a price",
        content: .text(#"{"providers": [{"id": "acme", "name": "Acme"}], "models": [{"id": "clip", "name": "Clip", "routes": [{"route": "acme/clip", "endpoint": "clip", "categories": {"text_to_video": "clip"}}]}]}"#),
        expected: #"bad.json:$.models[0].routes[0]: error: [required-pricing] a route in the media category text_to_video must have at least one price (route acme/clip)"#),
    BadSeedCase(
        name: "media route without an endpoint",
        content: .text(#"{"providers": [{"id": "acme", "name": "Acme"}], "models": [{"id": "clip", "name": "Clip", "routes": [{"route": "acme/clip", "categories": {"text_to_video": "clip"}, "pricing": [{"unit": "video", "usd": 0.1}]}]}]}"#),
        expected: #"bad.json:$.models[0].routes[0]: error: [required-endpoint] a route in the media category text_to_video must have an endpoint (route acme/clip)"#),
    BadSeedCase(
        name: "two models of one generation ranked differently",
        content: .text(#"{"models": [{"id": "a-1", "name": "A", "family": "a", "generation": "a-1", "generation_rank": 1}, {"id": "a-1-mini", "name": "A mini", "family": "a", "generation": "a-1", "generation_rank": 2}]}"#),
        expected: #"bad.json:$.models[1]: error: [generation-rank] model.generation_rank must agree within a family and generation (model a-1-mini, family a, generation a-1, value 2, model a-1 has 1)"#),
    BadSeedCase(
        name: "deprecated model without a successor",
        content: .text(#"{"models": [{"id": "old", "name": "Old", "status": "deprecated"}]}"#),
        expected: #"bad.json:$.models[0]: error: [lifecycle] model old is deprecated without a successor; set successor to the model to migrate to"#),
    BadSeedCase(
        name: "an aspect ratio that is no W:H",
        content: .text(#"{"providers": [{"id": "fal", "name": "fal.ai"}], "routes": [{"route": "fal/x", "aspect_ratios": ["16:9", "wide"]}]}"#),
        expected: #"bad.json:$.routes[0].aspect_ratios[1]: error: [aspect-ratio] route aspect ratios are W:H in whole numbers (16:9) or auto (route fal/x, value "wide")"#),
    BadSeedCase(
        name: "a resolution that is none",
        content: .text(#"{"providers": [{"id": "fal", "name": "fal.ai"}], "routes": [{"route": "fal/x", "resolutions": ["huge"]}]}"#),
        expected: #"bad.json:$.routes[0].resolutions[0]: error: [resolution] route resolutions are 720p, 4K, 0.5K, 1920x1080 or auto (route fal/x, value "huge")"#),
    BadSeedCase(
        name: "a media model without a name",
        content: .text(#"{"providers": [{"id": "fal", "name": "fal.ai"}], "models": [{"id": "m", "routes": [{"route": "fal/fal-ai/m", "endpoint": "fal-ai/m", "categories": {"text_to_video": "m"}, "pricing": [{"unit": "second", "usd": 0.1}]}]}]}"#),
        expected: #"bad.json:$.models[0]: error: [required-name] a model with a route in the media category text_to_video must have a name (model m)"#),
    BadSeedCase(
        name: "a price of 0 on a paid provider's route, without \"free\": true",
        content: .text(#"{"providers": [{"id": "acme", "name": "Acme", "auth": "bearer"}], "routes": [{"route": "acme/llm", "pricing": [{"unit": "input_token", "usd": 1.5, "per": 1000000}, {"unit": "output_token", "usd": 0, "per": 1000000}]}]}"#),
        expected: #"bad.json:$.routes[0].pricing[1].usd: error: [zero-price] a price of 0 on a route of a provider that takes a key needs "free": true; a price not published is null (route acme/llm, unit output_token)"#),
    BadSeedCase(
        name: "\"free\": true on a price that is not 0",
        content: .text(#"{"providers": [{"id": "acme", "name": "Acme"}], "routes": [{"route": "acme/llm", "pricing": [{"unit": "input_token", "usd": 1.5, "per": 1000000, "free": true}]}]}"#),
        expected: #"bad.json:$.routes[0].pricing[0].free: error: [zero-price] "free": true marks a price of 0 as meant; this row's usd is 1.5"#),
    BadSeedCase(
        name: "an endpoint that names another model",
        content: .text(#"{"providers": [{"id": "fal", "name": "fal.ai"}], "routes": [{"route": "fal/fal-ai/veo3", "endpoint": "fal-ai/sora-2"}]}"#),
        expected: #"bad.json:$.routes[0].endpoint: error: [endpoint-route] route.endpoint must be the wire id of the route, its route key or a URL (route fal/fal-ai/veo3, value "fal-ai/sora-2")"#),
    BadSeedCase(
        name: "a score out of 100",
        content: .text(#"{"models": [{"id": "m", "name": "M", "scores": {"reasoning": 0.9, "coding": 85}}]}"#),
        expected: #"bad.json:$.models[0].scores: error: [score-scale] model.scores are numbers from 0 to 1 (model m, coding 85)"#),
    BadSeedCase(
        name: "production model past its deprecation date",
        content: .text(#"{"models": [{"id": "old", "name": "Old", "status": "production", "deprecation_date": "2001-01-01"}]}"#),
        expected: #"bad.json:$.models[0]: error: [lifecycle] model old is still production but its deprecation date 2001-01-01 has passed; mark it deprecated with a successor, or correct the date"#),
    BadSeedCase(
        name: "context window observed 'yesterday'",
        content: .edit(#""max_duration": 8,"#, #""max_duration": 8, "context_window": 1000, "context_window_observed_at": "yesterday","#),
        expected: #"bad.json:$.models[0].routes[0].context_window_observed_at: error: [timestamp] route.context_window_observed_at must be an ISO 8601 date or UTC time (route fal/fal-ai/veo3, value "yesterday")"#),
]

@Suite struct BadInputTests {
    /// A directory holding registry.db imported from `minimalSeed` (as good.json).
    private func directoryWithRegistry() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try dir.write("good.json", minimalSeed)
        let imported = try regdb("import", "good.json", in: dir.url)
        try #require(imported.status == 0, "fixture import failed: \(imported.stderr)")
        return dir
    }

    @Test(arguments: badSeedCases)
    func importRefusesAndChangesNothing(_ bad: BadSeedCase) throws {
        let dir = try directoryWithRegistry()
        let database = dir.file("registry.db")
        let before = try #require(contents(database))
        let data = try #require(bad.data(), "the edit no longer applies to minimalSeed")
        try dir.write("bad.json", data)

        let start = ContinuousClock.now
        let imported = try regdb("import", "bad.json", in: dir.url)
        let elapsed = ContinuousClock.now - start
        #expect(imported.status == 1)
        #expect(imported.stdout == "")
        #expect(bad.isExpected(imported.stderrLines), "\(imported.stderr)")
        #expect(imported.stderr.hasSuffix("\n"))
        #expect(contents(database) == before, "registry.db changed after a refused import")
        if case .padded = bad.content {
            #expect(elapsed < .seconds(10), "a file over the size limit should be refused quickly, took \(elapsed)")
        }

        let checked = try regdb("check", "bad.json", in: dir.url)
        #expect(checked.status == 1)
        #expect(checked.stdout == "")
        #expect(bad.isExpected(checked.stderrLines), "\(checked.stderr)")
        #expect(contents(database) == before, "registry.db changed after check")
    }

    @Test(arguments: badSeedCases)
    func failedImportIntoNothingLeavesNoRegistry(_ bad: BadSeedCase) throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.json", try #require(bad.data()))
        let imported = try regdb("import", "bad.json", in: dir.url)
        #expect(imported.status == 1)
        #expect(bad.isExpected(imported.stderrLines), "\(imported.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted()
        #expect(left == ["bad.json"], "a refused import left files behind")
    }

    /// A catalog's route rows go in many at a time, piece after piece while the next are
    /// made; a refusal in a late piece still undoes everything and is reported where it was said.
    @Test func aRefusalAmongThousandsOfRoutesIsLocated() throws {
        func seed(reusing: Bool) -> String {
            let routes = (0..<1200).map { index in
                let key = reusing && index == 1100 ? 5 : index
                return #"{"route": "p/w\#(String(format: "%04d", index))", "categories": {"chat": "k\#(key)"}}"#
            }
            return #"{"providers": [{"id": "p", "name": "P"}], "models": [{"id": "m", "routes": ["#
                + routes.joined(separator: ",\n") + "]}]}"
        }
        for existing in [false, true] {
            let dir = existing ? try directoryWithRegistry() : try TemporaryDirectory()
            let before = contents(dir.file("registry.db"))
            try dir.write("bad.json", seed(reusing: true))
            let imported = try regdb("import", "bad.json", in: dir.url)
            #expect(imported.status == 1)
            #expect(imported.stderrLines == [#"bad.json:$.models[0].routes[1100].categories.chat: error: [duplicate-key] route_category.key must be unique within a category (category chat, value "k5", already used by route p/w0005)"#])
            #expect(contents(dir.file("registry.db")) == before, "a refused import changed or left a registry")
        }
        // The same routes with distinct keys all go in.
        let dir = try TemporaryDirectory()
        try dir.write("good.json", seed(reusing: false))
        #expect(try regdb("import", "good.json", in: dir.url).status == 0)
        let counted = try regdb("sql", "SELECT count(*), count(DISTINCT key), max(r.id) FROM route r JOIN route_category c ON c.route_id = r.id",
                                "--format", "csv", in: dir.url)
        #expect(counted.stdout.split(separator: "\n").last == "1200,1200,1200", "\(counted.stdout)")
    }

    /// A YAML .nan or .inf price is quoted as written, not as the null JSON would make of it.
    @Test func aNonFiniteYAMLPriceIsQuotedAsWritten() throws {
        let dir = try TemporaryDirectory()
        try dir.write("registry.yaml", """
            providers:
              openai:
                models:
                  gpt-x: {input_cost: .nan, output_cost: .inf, context_window: 1000}
            """)
        let imported = try regdb("import", "--kind", "file", "registry.yaml", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains(#"[sentinel-price] ".nan" is not a price; recorded as unknown"#), "\(imported.stderr)")
        #expect(imported.stderr.contains(#"[sentinel-price] ".inf" is not a price; recorded as unknown"#), "\(imported.stderr)")
        #expect(!imported.stderr.contains("null is not a price"), "\(imported.stderr)")
    }

    /// YAML is held to what JSON is: an alias bomb, invalid UTF-8 and a complex key are one line each.
    @Test(arguments: [
        ("bomb", "yaml-size"), ("utf8", "utf8"), ("key", "yaml"),
    ])
    func badYAMLIsOneLineAndChangesNothing(kind: String, rule: String) throws {
        let dir = try directoryWithRegistry()
        let database = dir.file("registry.db")
        let before = try #require(contents(database))
        var bytes: [UInt8]
        switch kind {
        case "bomb":
            var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            for (previous, name) in zip("abcdefgh", "bcdefghi") {
                text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            }
            bytes = Array(text.utf8)
        case "utf8":
            bytes = Array("providers:\n  x:\n    models:\n      m".utf8) + [0xFF] + Array(": {}\n".utf8)
        default:
            bytes = Array("providers:\n  ? [a, b]\n  : {models: {}}\n".utf8)
        }
        try dir.write("bad.yaml", Data(bytes))
        let start = ContinuousClock.now
        let imported = try regdb("import", "bad.yaml", in: dir.url)
        #expect(ContinuousClock.now - start < .seconds(30))
        #expect(imported.status == 1)
        #expect(imported.stderrLines.count == 1, "\(imported.stderr)")
        #expect(imported.stderr.hasPrefix("bad.yaml: error: [\(rule)]"), "\(imported.stderr)")
        #expect(imported.stderr.count < 400)
        #expect(!imported.stderr.contains("Yams."), "\(imported.stderr)")
        #expect(contents(database) == before)
    }

    /// The size limit holds for the file a symlink points to; a loop and a dangling link say so.
    @Test func symlinksAreFollowedForLimitsAndNamedInErrors() throws {
        let dir = try directoryWithRegistry()
        let big = dir.file("big.json")
        try Data(repeating: 0x20, count: 33 * 1024 * 1024).write(to: big)
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.json").path, withDestinationPath: big.path)
        try FileManager.default.createSymbolicLink(atPath: dir.file("loop-a.json").path, withDestinationPath: dir.file("loop-b.json").path)
        try FileManager.default.createSymbolicLink(atPath: dir.file("loop-b.json").path, withDestinationPath: dir.file("loop-a.json").path)
        try FileManager.default.createSymbolicLink(atPath: dir.file("dangling.json").path, withDestinationPath: dir.file("gone.json").path)
        for (file, message) in [("link.json", "[file-size] file is 34603008 bytes"), ("loop-a.json", "[file] symlink loop"),
                                ("dangling.json", "[file] symlink to a file that does not exist")] {
            let imported = try regdb("import", file, in: dir.url)
            #expect(imported.status == 1)
            #expect(imported.stderrLines.count == 1 && imported.stderr.contains(message), "\(file): \(imported.stderr)")
        }
    }

    /// A file read as a format it is not in is one error, not garbage or an empty source.
    @Test func aWrongFormatIsAnError() throws {
        let dir = try directoryWithRegistry()
        let database = dir.file("registry.db")
        let before = try #require(contents(database))
        let excerpt = repoRoot.appending(path: "Tests/RegDBTests/Fixtures/litellm-excerpt.json").path
        let asRoutesMap = try regdb("import", "--format", "routes-map", excerpt, in: dir.url)
        #expect(asRoutesMap.status == 1)
        #expect(asRoutesMap.stderrLines.count == 1 && asRoutesMap.stderr.contains("[format] not a routes-map entry"), "\(asRoutesMap.stderr)")
        let asTinker = try regdb("import", "--format", "tinker", "good.json", in: dir.url)
        #expect(asTinker.status == 1)
        #expect(asTinker.stderrLines.count == 1 && asTinker.stderr.contains("[format] the file gives no routes or models as format tinker"),
                "\(asTinker.stderr)")
        #expect(contents(database) == before)
    }

    /// Renaming a provider is reported where the routes still naming the old one are written.
    @Test func aRenamedProviderIsLocated() throws {
        let dir = try directoryWithRegistry()
        let renamed = minimalSeed.replacingOccurrences(of: #""id": "fal", "name": "fal.ai""#, with: #""id": "falai", "name": "fal.ai""#)
        try #require(renamed != minimalSeed)
        try dir.write("good.json", renamed)
        let imported = try regdb("import", "good.json", in: dir.url)
        #expect(imported.status == 1)
        #expect(imported.stderrLines == [
            "good.json:$.models[0].routes[0].route: error: [reference] route fal/fal-ai/veo3 names provider fal, which no source declares any more; declare it or change the route",
        ])
    }

    @Test func failedImportIntoMissingDatabasePathLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.json", minimalSeed.replacingOccurrences(of: #""usd": 0.5"#, with: #""usd": -0.5"#))
        let imported = try regdb("import", "--db", "sub/reg.db", "bad.json", in: dir.url)
        #expect(imported.status == 1)
        #expect(imported.stderrLines.count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.file("sub/reg.db").path))
        #expect(!FileManager.default.fileExists(atPath: dir.file("sub").path))
    }

    /// Emoji and other printable Unicode are valid text in names: they import and read back unchanged.
    @Test func oddUnicodeInNamesImports() throws {
        let dir = try directoryWithRegistry()
        let name = "Google Veo 3 🎬 — ünïcödé"
        let seed = minimalSeed.replacingOccurrences(of: #""name": "Google Veo 3""#, with: #""name": "\#(name)""#)
        try #require(seed != minimalSeed)
        try dir.write("odd.json", seed)

        let imported = try regdb("import", "odd.json", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr == "")
        #expect(try regdb("check", "odd.json", in: dir.url).status == 0)

        let got = try regdb("get", "veo3", "--format", "json", in: dir.url)
        #expect(got.status == 0, "\(got.stderr)")
        let documents = try #require(try JSONSerialization.jsonObject(with: Data(got.stdout.utf8)) as? [[String: Any]])
        #expect(documents.first?["name"] as? String == name)
    }

    /// Invisible and control characters in ids and keys (a bidi override, a
    /// zero-width space) would make look-alike keys differ or reorder listings:
    /// refused with the code point named, and nothing written.
    @Test(arguments: [
        ("veo\u{202E}3", "U+202E"),
        ("veo\u{200B}3", "U+200B"),
        ("veo 3", "U+0020"),
    ])
    func invisibleCharactersInKeysAreRefused(_ key: String, _ code: String) throws {
        let dir = try directoryWithRegistry()
        let before = contents(dir.file("registry.db"))
        try dir.write("odd.json", minimalSeed.replacingOccurrences(of: #""text_to_video": "veo3""#, with: #""text_to_video": "\#(key)""#))
        let imported = try regdb("import", "odd.json", in: dir.url)
        #expect(imported.status == 1)
        #expect(imported.stderrLines == [
            "odd.json:$.models[0].routes[0].categories.text_to_video: error: [identifier] category key \"\(key)\" contains \(code) (blank, control or invisible); ids and keys must be plain text",
        ])
        #expect(contents(dir.file("registry.db")) == before)
    }

    /// A value listed twice in a seed (a duration, an aspect ratio, a price
    /// row) is named with its path and the first place it appears.
    @Test(arguments: [
        (#"[5, 6, 7, 8]"#, #"[5, 5, 7, 8]"#,
         "bad.json:$.models[0].routes[0].durations[1]: error: [duplicate-value] durations lists 5 twice (first at [0])"),
        (#"["16:9", "9:16"]"#, #"["16:9", "16:9"]"#,
         #"bad.json:$.models[0].routes[0].aspect_ratios[1]: error: [duplicate-value] aspect_ratios lists "16:9" twice (first at [0])"#),
        (#"{"unit": "second", "variant": "audio", "usd": 0.75}"#, #"{"unit": "second", "variant": "no_audio", "usd": 0.75}"#,
         "bad.json:$.models[0].routes[0].pricing[1]: error: [duplicate-value] pricing has two rows for unit second, variant no_audio (first at $.models[0].routes[0].pricing[0])"),
    ])
    func listedTwiceNamesPathAndFirstPlace(_ old: String, _ new: String, _ expected: String) throws {
        let dir = try TemporaryDirectory()
        let range = try #require(minimalSeed.range(of: old))
        try dir.write("bad.json", minimalSeed.replacingCharacters(in: range, with: new))
        let imported = try regdb("import", "bad.json", in: dir.url)
        #expect(imported.status == 1)
        #expect(imported.stderrLines.count == 1)
        #expect(imported.stderrLines == [expected])
    }
}
