import Foundation
import Testing


/// A value parsed by JSONSerialization as canonical text: object keys sorted, every number
/// as a Double (2 and 2.0 are one value, as in Python, JavaScript and JSON itself), booleans apart.
private func canonical(_ value: Any) -> String {
    switch value {
    case is NSNull: return "null"
    case let number as NSNumber:
        if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
        return "\(number.doubleValue)"
    case let string as String:
        // JSONSerialization writes only arrays and objects at the top: quote via a one-element array.
        return String(String(decoding: (try? JSONSerialization.data(withJSONObject: [string])) ?? Data(), as: UTF8.self)
            .dropFirst().dropLast())
    case let array as [Any]: return "[" + array.map(canonical).joined(separator: ",") + "]"
    case let object as [String: Any]:
        return "{" + object.keys.sorted().map { canonical($0) + ":" + canonical(object[$0] ?? NSNull()) }.joined(separator: ",") + "}"
    default: return "?\(value)"
    }
}

/// The fourteen constants, the view each comes from, and the view's value column (nil: the key itself).
private let constantViews: [(name: String, view: String, column: String?)] = [
    ("SUPPORTED_MODELS", "category_models", nil),
    ("MODEL_ENDPOINTS", "model_endpoints", "endpoint"),
    ("MODEL_DISPLAY_NAMES", "model_display_names", "name"),
    ("MODEL_PRICING", "model_pricing", "pricing"),
    ("DURATION_OPTIONS", "duration_options", "options"),
    ("RESOLUTION_OPTIONS", "resolution_options", "options"),
    ("ASPECT_RATIO_OPTIONS", "aspect_ratio_options", "options"),
    ("DEFAULT_VALUES", "default_values", "defaults"),
    ("MODEL_INFO", "model_info", nil),
    ("EXTENDED_PARAMS", "extended_params", "params"),
    ("EXTENDED_FEATURES", "extended_features", "features"),
    ("INPUT_REQUIREMENTS", "input_requirements", "requirements"),
    ("COST_ESTIMATES", "cost_estimates", "usd"),
    ("PROCESSING_TIME_ESTIMATES", "processing_time_estimates", "seconds"),
]

/// What the views say, per category: constant name → (keys in view order, key → value).
private struct ViewConstants {
    var keys: [String: [String: [String]]] = [:]
    var values: [String: [String: [String: Any]]] = [:]

    /// Reads each view with `regdb sql … --format json`, as a user would: the
    /// columns schema.sql declares as JSON come back as JSON, never as text.
    init(in directory: URL) throws {
        for (name, view, column) in constantViews {
            let result = try regdb("sql", "SELECT * FROM \(view)", "--format", "json", in: directory)
            guard result.status == 0, let rows = try parse(result.stdout) as? [[String: Any]] else {
                throw FixtureError(message: "regdb sql on \(view) failed: \(result.stderr)")
            }
            for row in rows {
                guard let category = row["category"] as? String, let key = row["key"] as? String else { continue }
                var value: Any = key
                if let column {
                    value = row[column] ?? NSNull()
                    if ["pricing", "options", "defaults", "params", "features", "requirements"].contains(column) {
                        #expect(!(value is String), "regdb sql gave \(view).\(column) as text, not JSON")
                    }
                } else if name == "MODEL_INFO" {
                    #expect(row["features"] is [Any], "regdb sql gave model_info.features as text, not JSON")
                    value = [
                        "name": row["name"] ?? NSNull(), "provider": row["provider"] ?? NSNull(),
                        "description": row["description"] ?? NSNull(), "max_duration": row["max_duration"] ?? NSNull(),
                        "features": row["features"] ?? [],
                    ] as [String: Any]
                }
                keys[category, default: [:]][name, default: []].append(key)
                values[category, default: [:]][name, default: [:]][key] = value
            }
        }
    }

    /// The constants as a module dumps them: SUPPORTED_MODELS a list, the rest objects.
    func expected(_ category: String) -> [String: Any] {
        var out: [String: Any] = [:]
        for (name, _, _) in constantViews {
            out[name] = name == "SUPPORTED_MODELS" ? keys[category]?[name] ?? [] : values[category]?[name] ?? [:]
        }
        return out
    }

    /// Key order per constant, as the views give it.
    func order(_ category: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (name, _, _) in constantViews { out[name] = keys[category]?[name] ?? [] }
        return out
    }
}

/// Categories of the media pipeline (design doc 000): every media category of the registry.
private func mediaCategories(in directory: URL) throws -> [String] {
    let result = try regdb("sql", "SELECT id FROM category WHERE kind = 'media' ORDER BY id", "--format", "json", in: directory)
    let rows = try #require(try parse(result.stdout) as? [[String: Any]], "\(result.stderr)")
    return rows.compactMap { $0["id"] as? String }
}

/// Compares dumped constants (`{category: {"values": {...}, "order": {...}}}`) with the views.
private func expectMatches(_ dumped: Any, _ views: ViewConstants, categories: [String], language: String) {
    guard let dumped = dumped as? [String: [String: Any]] else {
        Issue.record("\(language): the dump is not an object per category")
        return
    }
    for category in categories {
        let values = dumped[category]?["values"] as? [String: Any] ?? [:]
        for (name, _, _) in constantViews {
            let want = views.expected(category)[name] ?? NSNull()
            let have = values[name] ?? NSNull()
            #expect(canonical(have) == canonical(want), "\(language) \(category).\(name): \(canonical(have)) != views \(canonical(want))")
        }
        if let order = dumped[category]?["order"] as? [String: [String]] {
            #expect(order == views.order(category), "\(language) \(category): keys are not in view order")
        }
    }
}

/// `regdb export constants --lang L --category C` for each category, written to DIR/<file>; returns the file names.
private func exportEach(_ language: String, _ categories: [String], to out: URL, in directory: URL,
                        name: (String) -> String) throws -> [String] {
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    return try categories.map { category in
        let result = try regdb("export", "constants", "--lang", language, "--category", category, in: directory)
        guard result.status == 0 else { throw FixtureError(message: "export \(language) \(category): \(result.stderr)") }
        try Data(result.stdout.utf8).write(to: out.appending(path: name(category)))
        return name(category)
    }
}

/// text_to_video → TextToVideo.
private func upperCamel(_ category: String) -> String {
    category.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
}

/// Every file of a directory, by name.
private func files(in directory: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
        out[name] = try Data(contentsOf: directory.appending(path: name))
    }
    return out
}

@Suite struct ExportTests {
    // MARK: - constants

    /// Every media category's Python module imports in python3 and holds exactly what the views say, in view order.
    @Test(.enabled(if: executable("python3") != nil, "python3 is not installed"))
    func pythonConstantsEqualTheViews() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let categories = try mediaCategories(in: dir.url)
        #expect(categories.count >= 12)
        let out = dir.file("py")
        _ = try exportEach("python", categories, to: out, in: dir.url) { $0 + ".py" }

        let script = """
            import importlib, json, sys
            sys.path.insert(0, sys.argv[1])
            names = \(constantViews.map(\.name))
            out = {}
            for category in sys.argv[2:]:
                module = importlib.import_module(category)
                values = {name: getattr(module, name) for name in names}
                order = {name: list(value) for name, value in values.items()}
                out[category] = {"values": values, "order": order}
            print(json.dumps(out))
            """
        let python = try #require(executable("python3"))
        let result = try run(python, ["-c", script, out.path] + categories)
        #expect(result.status == 0, "\(result.stderr)")
        expectMatches(try parse(result.stdout), try ViewConstants(in: dir.url), categories: categories, language: "python")
    }

    /// TypeScript modules type-check with tsc --strict when tsc is here; node runs them (types stripped) and they equal the views.
    @Test(.enabled(if: executable("node") != nil, "node is not installed, so the TypeScript modules cannot be run"))
    func typescriptConstantsRunAndEqualTheViews() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let categories = try mediaCategories(in: dir.url)
        let out = dir.file("ts")
        let names = try exportEach("typescript", categories, to: out, in: dir.url) { $0 + ".ts" }

        if let tsc = executable("tsc") {
            let checked = try run(tsc, ["--noEmit", "--strict", "--target", "es2020", "--module", "es2020"]
                                  + names.map { out.appending(path: $0).path })
            #expect(checked.status == 0, "tsc: \(checked.stdout)\(checked.stderr)")
        }
        // The TypeScript-only syntax the exporter writes is exactly: `export type …;` lines, type
        // annotations on `export const NAME: TYPE = `, and ` as const`. Without them it is JavaScript.
        for (category, name) in zip(categories, names) {
            let source = try String(contentsOf: out.appending(path: name), encoding: .utf8)
            let javascript = source.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("export type ") }
                .map { line in
                    String(line).replacingOccurrences(of: #"^export const (\w+): [^=]+ = "#, with: "export const $1 = ",
                                                      options: .regularExpression)
                        .replacingOccurrences(of: " as const;", with: ";")
                }
                .joined(separator: "\n")
            try Data(javascript.utf8).write(to: out.appending(path: category + ".mjs"))
        }
        let script = """
            const names = \(constantViews.map(\.name));
            const out = {};
            for (const category of process.argv.slice(2)) {
              const module = await import(process.cwd() + "/" + category + ".mjs");
              const values = {}, order = {};
              for (const name of names) {
                values[name] = module[name];
                order[name] = Array.isArray(module[name]) ? [...module[name]] : Object.keys(module[name]);
              }
              out[category] = { values, order };
            }
            console.log(JSON.stringify(out));
            """
        try Data(script.utf8).write(to: out.appending(path: "dump.mjs"))
        let node = try #require(executable("node"))
        let result = try run(node, ["dump.mjs"] + categories, in: out)
        #expect(result.status == 0, "\(result.stderr)")
        expectMatches(try parse(result.stdout), try ViewConstants(in: dir.url), categories: categories, language: "typescript")
    }

    /// The Swift modules of every media category compile together (swiftc, Swift 6 mode) and, run, equal the views.
    @Test(.enabled(if: executable("swiftc") != nil, "swiftc is not on PATH"))
    func swiftConstantsCompileAndEqualTheViews() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let categories = try mediaCategories(in: dir.url)
        let out = dir.file("swift")
        let names = try exportEach("swift", categories, to: out, in: dir.url) { upperCamel($0) + ".swift" }

        // One dump function per category: each enum has its own nested Value type.
        var main = "import Foundation\n\nvar out: [String: Any] = [:]\n"
        for category in categories {
            let type = upperCamel(category) + "Constants"
            main += """

                do {
                    typealias C = \(type)
                    func plain(_ value: C.Value) -> Any {
                        switch value {
                        case .null: return NSNull()
                        case .bool(let b): return b
                        case .int(let i): return i
                        case .double(let d): return d
                        case .string(let s): return s
                        case .array(let items): return items.map(plain)
                        case .object(let members):
                            return Dictionary(members.map { ($0.key, plain($0.value)) }, uniquingKeysWith: { first, _ in first })
                        }
                    }
                    let info: [String: Any] = C.modelInfo.mapValues { info in
                        ["name": info.name, "provider": info.provider, "description": info.description as Any? ?? NSNull(),
                         "max_duration": info.maxDuration as Any? ?? NSNull(), "features": info.features] as [String: Any]
                    }
                    out["\(category)"] = ["values": [
                        "SUPPORTED_MODELS": C.supportedModels, "MODEL_ENDPOINTS": C.modelEndpoints,
                        "MODEL_DISPLAY_NAMES": C.modelDisplayNames, "MODEL_PRICING": C.modelPricing.mapValues(plain),
                        "DURATION_OPTIONS": C.durationOptions, "RESOLUTION_OPTIONS": C.resolutionOptions,
                        "ASPECT_RATIO_OPTIONS": C.aspectRatioOptions, "DEFAULT_VALUES": C.defaultValues.mapValues(plain),
                        "MODEL_INFO": info, "EXTENDED_PARAMS": C.extendedParams,
                        "EXTENDED_FEATURES": C.extendedFeatures.mapValues(plain),
                        "INPUT_REQUIREMENTS": C.inputRequirements.mapValues(plain), "COST_ESTIMATES": C.costEstimates,
                        "PROCESSING_TIME_ESTIMATES": C.processingTimeEstimates,
                    ] as [String: Any]]
                }

                """
        }
        main += """
            let data = try JSONSerialization.data(withJSONObject: out)
            print(String(decoding: data, as: UTF8.self))

            """
        try Data(main.utf8).write(to: out.appending(path: "main.swift"))
        let swiftc = try #require(executable("swiftc"))
        let binary = out.appending(path: "dump")
        let compiled = try run(swiftc, ["-swift-version", "6", "-o", binary.path, out.appending(path: "main.swift").path]
                               + names.map { out.appending(path: $0).path })
        try #require(compiled.status == 0, "swiftc: \(compiled.stderr)")
        let result = try run(binary, [])
        #expect(result.status == 0, "\(result.stderr)")
        expectMatches(try parse(result.stdout), try ViewConstants(in: dir.url), categories: categories, language: "swift")
    }

    /// Two runs give the same bytes; a module printed with --category is the file --out writes.
    @Test func exportsAreDeterministic() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        for language in ["python", "typescript", "swift"] {
            #expect(try regdb("export", "constants", "--lang", language, "--out", "a-\(language)", in: dir.url).status == 0)
            #expect(try regdb("export", "constants", "--lang", language, "--out", "b-\(language)", in: dir.url).status == 0)
            let first = try files(in: dir.file("a-\(language)"))
            #expect(first.count >= 13)
            #expect(first == (try files(in: dir.file("b-\(language)"))), "\(language) modules differ between runs")
            let printed = try regdb("export", "constants", "--lang", language, "--category", "text_to_video", in: dir.url)
            let name = language == "swift" ? "TextToVideo.swift" : language == "python" ? "text_to_video.py" : "text_to_video.ts"
            #expect(Data(printed.stdout.utf8) == first[name], "\(language): stdout and --out differ")
            #expect(printed.stdout.hasPrefix((language == "python" ? "# " : "// ")
                + "Generated by regdb — do not edit. Regenerate: regdb export constants --lang \(language) --category text_to_video\n"))
        }
        for export in [["docs"], ["litellm"], ["identity"]] {
            let first = try regdb(["export"] + export, in: dir.url)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout == (try regdb(["export"] + export, in: dir.url)).stdout, "\(export) differs between runs")
        }
        #expect(try regdb("export", "seeds", "s1", in: dir.url).status == 0)
        #expect(try regdb("export", "seeds", "s2", in: dir.url).status == 0)
        #expect(try files(in: dir.file("s1")) == (try files(in: dir.file("s2"))), "seed exports differ between runs")
    }

    @Test func constantsUsage() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let neither = try regdb("export", "constants", "--lang", "python", in: dir.url)
        #expect(neither.status == 64)
        #expect(neither.stderr.contains("--out"))
        let unknown = try regdb("export", "constants", "--lang", "python", "--category", "text_to_sound", in: dir.url)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasPrefix("error: unknown category \"text_to_sound\""), "\(unknown.stderr)")
        let badLanguage = try regdb("export", "constants", "--lang", "cobol", "--category", "avatar", in: dir.url)
        #expect(badLanguage.status == 64)
    }

    // MARK: - docs

    /// The catalog names every category and every route, with prices in words.
    @Test func docsListEveryCategoryAndRoute() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let written = try regdb("export", "docs", "--out", "MODELS.md", in: dir.url)
        #expect(written.status == 0, "\(written.stderr)")
        let docs = try String(contentsOf: dir.file("MODELS.md"), encoding: .utf8)
        #expect(docs.hasPrefix("<!-- Generated by regdb — do not edit. Regenerate: regdb export docs -->\n"))
        let categories = try #require(try parse(try regdb("sql", "SELECT DISTINCT category FROM category_models", "--format", "json",
                                                          in: dir.url).stdout) as? [[String: Any]])
        #expect(categories.count >= 13)
        for row in categories {
            let category = try #require(row["category"] as? String)
            #expect(docs.contains("\n## \(category)\n"), "no section for \(category)")
        }
        let routes = try #require(try parse(try regdb("sql", "SELECT route_key FROM route", "--format", "json", in: dir.url).stdout)
                                  as? [[String: Any]])
        #expect(routes.count > 100)
        for row in routes {
            let route = try #require(row["route_key"] as? String)
            #expect(docs.contains("`\(route)`"), "route \(route) is not in the docs")
        }
        #expect(docs.contains("| Google Veo 3 | `veo3` | `fal/fal-ai/veo3` |"))
        #expect(docs.contains("$0.20 / second (no_audio), $0.40 / second (audio)"))
        #expect(docs.contains("$2.50 / 1M input tokens, $1.25 / 1M cache read tokens, $10.00 / 1M output tokens"))
        #expect(docs.contains("$15.00 / 1M output tokens (above 200,000 input tokens, whole call)"), "\(docs)")
        #expect(docs.contains("128,000 tokens"))
        #expect(docs.contains("$0.20 / second, ×2 with 720p"))
        // Scores on the registry's one scale, 0 to 1 (the seeds' source scored out of 100, speed out of 10).
        #expect(docs.contains("reasoning 0.9, coding 0.85, speed 0.8"), "\(docs)")
    }

    // MARK: - seeds

    /// Exported seeds imported into an empty registry give the same views and catalog tables.
    @Test func seedsRoundTrip() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let exported = try regdb("export", "seeds", "exported", in: dir.url)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr == "")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.file("exported").path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.contains("fal.json") && names.contains("openai.json"), "\(names)")
        let imported = try regdb(["import", "--db", "copy.db"] + names.map { "exported/" + $0 }, in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        // The copy holds exactly what the exported files say.
        let checked = try regdb(["check", "--db", "copy.db"] + names.map { "exported/" + $0 }, in: dir.url)
        #expect(checked.status == 0, "\(checked.stderr)")

        var queries = ["category_models", "model_endpoints", "model_display_names", "model_pricing", "duration_options",
                       "aspect_ratio_options", "resolution_options", "default_values", "model_info", "resolved_routes",
                       "rule_violation"].map { "SELECT * FROM \($0)" }
        queries += [
            "SELECT id, name, base_url, auth, env_vars, docs_url, endpoint_glob FROM provider ORDER BY id",
            "SELECT id, name, description, family, status, successor_id, deprecation_date, generation, tier, scores, metadata FROM model ORDER BY id",
            """
            SELECT route_key, provider_id, wire_id, model_id, name, provider_label, endpoint, api, base_url, context_window,
                   max_output_tokens, max_duration, cost_estimate_usd, processing_time_s, reasoning, input_modalities, capabilities,
                   extended_params, extended_features, input_requirements, info, metadata, priority, context_window_source,
                   context_window_observed_at FROM route ORDER BY route_key
            """,
            "SELECT r.route_key, c.category_id, c.key FROM route_category c JOIN route r ON r.id = c.route_id ORDER BY 1, 2",
            "SELECT r.route_key, d.seconds FROM route_duration d JOIN route r ON r.id = d.route_id ORDER BY 1, 2",
            "SELECT r.route_key, a.value, a.position FROM route_aspect_ratio a JOIN route r ON r.id = a.route_id ORDER BY 1, 3",
            "SELECT r.route_key, x.value, x.position FROM route_resolution x JOIN route r ON r.id = x.route_id ORDER BY 1, 3",
            "SELECT r.route_key, d.name, d.value, d.position FROM route_default d JOIN route r ON r.id = d.route_id ORDER BY 1, 4",
            "SELECT r.route_key, f.feature, f.position FROM route_feature f JOIN route r ON r.id = f.route_id ORDER BY 1, 3",
            """
            SELECT r.route_key, p.unit, p.variant, p.usd, p.per, p.above, p.note, p.position
            FROM price p JOIN route r ON r.id = p.route_id ORDER BY 1, 8
            """,
            "SELECT r.route_key, m.variant, m.factor, m.position FROM price_multiplier m JOIN route r ON r.id = m.route_id ORDER BY 1, 4",
        ]
        let hasRules = try regdb("sql", "SELECT count(*) AS n FROM sqlite_master WHERE name = 'capability_rule'", "--format", "csv", in: dir.url)
        if hasRules.stdout.hasSuffix("1\n") {
            queries.append("SELECT id, kind, match, capabilities, value FROM capability_rule ORDER BY position, id")
        }
        for query in queries {
            let original = try regdb("sql", query, "--format", "json", in: dir.url)
            let copy = try regdb("sql", "--db", "copy.db", query, "--format", "json", in: dir.url)
            #expect(original.status == 0 && copy.status == 0, "\(original.stderr)\(copy.stderr)")
            #expect(original.stdout == copy.stdout, "differs after the round trip: \(query)")
        }
    }

    /// Providers whose routes interleave in a category still round-trip: the files become numbered runs.
    @Test func seedsKeepInterleavedOrder() throws {
        let dir = try TemporaryDirectory()
        try dir.write("mixed.json", """
            {
              "providers": [{"id": "b", "name": "B"}, {"id": "a", "name": "A"}],
              "models": [
                {"id": "m1", "name": "M1", "routes": [
                  {"route": "b/one", "endpoint": "one", "categories": {"text_to_image": "one"}, "pricing": [{"unit": "image", "usd": 0.1}]},
                  {"route": "a/one", "endpoint": "one", "categories": {"image_to_image": "one-a"}, "pricing": [{"unit": "image", "usd": 0.1}]}
                ]},
                {"id": "m2", "name": "M2", "routes": [
                  {"route": "a/two", "endpoint": "two", "categories": {"text_to_image": "two"}, "pricing": [{"unit": "image", "usd": 0.2}]},
                  {"route": "b/three", "endpoint": "three", "categories": {"text_to_image": "three"}, "pricing": [{"unit": "image", "usd": 0.3}]}
                ]}
              ]
            }
            """)
        #expect(try regdb("import", "mixed.json", in: dir.url).status == 0)
        #expect(try regdb("export", "seeds", "out", in: dir.url).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.file("out").path).sorted()
        #expect(names == ["001-b.json", "002-a.json", "003-b.json"], "\(names)")
        #expect(try regdb(["import", "--db", "copy.db"] + names.map { "out/" + $0 }, in: dir.url).status == 0)
        let query = "SELECT * FROM category_models"
        #expect(try regdb("sql", query, in: dir.url).stdout == (try regdb("sql", "--db", "copy.db", query, in: dir.url)).stdout)
    }

    // MARK: - litellm

    /// LiteLLM registers the export, and its cost_per_token agrees with `regdb cost`.
    @Test(.enabled(if: executable("python3") != nil, "python3 is not installed"))
    func litellmAgreesWithRegdbCost() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let exported = try regdb("export", "litellm", "--out", "litellm.json", in: dir.url)
        #expect(exported.status == 0, "\(exported.stderr)")
        let entries = try #require(try parse(String(contentsOf: dir.file("litellm.json"), encoding: .utf8)) as? [String: [String: Any]])
        for (key, entry) in entries {
            #expect(entry["litellm_provider"] is String && entry["mode"] is String, "\(key) lacks litellm_provider or mode")
        }
        #expect(entries["gpt-4o"]?["litellm_provider"] as? String == "openai")
        #expect(entries["gpt-4o"]?["max_input_tokens"] as? Int == 128000)
        #expect(!entries.keys.contains { $0.contains("veo3") }, "media routes are not LiteLLM models")

        // route key → the names LiteLLM is asked with: its key, and the route key where LiteLLM reads it too.
        let routes: [(route: String, models: [String])] = [
            ("openai/gpt-4o", ["gpt-4o", "openai/gpt-4o"]),
            ("anthropic/claude-3-5-sonnet-20240620", ["claude-3-5-sonnet-20240620", "anthropic/claude-3-5-sonnet-20240620"]),
            ("google/gemini-2.5-pro", ["gemini/gemini-2.5-pro"]),
            ("xai/grok-3", ["xai/grok-3"]),
        ]
        let usage = (input: 1234, output: 567)
        let script = """
            import json, logging, os, sys
            os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
            logging.disable(logging.WARNING)
            import litellm
            litellm.register_model(json.load(open(sys.argv[1])))
            out = {}
            for model in sys.argv[2:]:
                prompt, completion = litellm.cost_per_token(model=model, prompt_tokens=\(usage.input), completion_tokens=\(usage.output))
                out[model] = prompt + completion
            print("RESULT " + json.dumps(out))
            """
        let python = try #require(executable("python3"))
        let result = try run(python, ["-c", script, dir.file("litellm.json").path] + routes.flatMap(\.models),
                             environment: ["LITELLM_LOCAL_MODEL_COST_MAP": "True"])
        try #require(result.status == 0, "python3 with litellm failed (run scripts/setup to install requirements-test.txt): \(result.stderr)")
        let line = try #require(result.stdoutLines.last { $0.hasPrefix("RESULT ") }, "\(result.stdout)")
        let costs = try #require(try parse(String(line.dropFirst(7))) as? [String: Double])
        for (route, models) in routes {
            let quote = try regdb("cost", route, "--input-tokens", String(usage.input), "--output-tokens", String(usage.output),
                                  "--format", "json", in: dir.url)
            let object = try #require(try parse(quote.stdout) as? [String: Any], "\(quote.stderr)")
            let usd = try #require((object["usd"] as? NSNumber)?.doubleValue)
            #expect(usd > 0)
            for model in models {
                let litellm = try #require(costs[model], "no LiteLLM cost for \(model)")
                #expect(abs(litellm - usd) <= 1e-9 * max(1, usd), "\(model): LiteLLM \(litellm), regdb cost \(usd)")
            }
        }
    }

    /// A LiteLLM catalog imported and exported again keeps its keys, providers, modes, prices and limits.
    @Test func litellmRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let catalog = """
            {
              "gpt-4o": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06,
                         "output_cost_per_token": 1e-05, "max_input_tokens": 128000, "max_output_tokens": 16384,
                         "supports_vision": true},
              "gemini/gemini-2.5-flash": {"litellm_provider": "gemini", "mode": "chat", "input_cost_per_token": 3e-07,
                                          "output_cost_per_token": 2.5e-06, "cache_read_input_token_cost": 3e-08,
                                          "max_input_tokens": 1048576},
              "text-embedding-3-small": {"litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 2e-08,
                                         "output_cost_per_token": 0.0, "max_input_tokens": 8191}
            }
            """
        try dir.write("litellm.json", catalog)
        let imported = try regdb("import", "--format", "litellm", "litellm.json", in: dir.url)
        try #require(imported.status == 0, "\(imported.stderr)")
        let exported = try regdb("export", "litellm", in: dir.url)
        #expect(exported.status == 0, "\(exported.stderr)")
        let original = try #require(try parse(catalog) as? [String: [String: Any]])
        let again = try #require(try parse(exported.stdout) as? [String: [String: Any]])
        #expect(Set(again.keys) == Set(original.keys))
        for (key, entry) in original {
            var want = entry
            want["max_tokens"] = entry["max_output_tokens"] ?? entry["max_input_tokens"]  // LiteLLM's legacy field, derived
            #expect(canonical(again[key] ?? [:]) == canonical(want), "\(key)")
        }
    }

    // MARK: - check --generated

    /// A seed price changes, the registry is re-imported: check --generated names the stale
    /// files and the command that fixes each; running it makes them current.
    /// Design doc 002's `model_registry.yaml`: written from the chat routes, imported into an empty
    /// registry, it gives the same values (context, costs, scores, flags, status, provider
    /// configuration) and writes the same bytes again.
    @Test func yamlRoundTrip() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let written = try regdb("export", "yaml", "--out", "model_registry.yaml", in: dir.url)
        #expect(written.status == 0, "\(written.stderr)")
        let yaml = try String(contentsOf: dir.file("model_registry.yaml"), encoding: .utf8)
        #expect(yaml.hasPrefix("# Generated by regdb — do not edit. Regenerate: regdb export yaml\n"))
        #expect(yaml.contains("""
              - id: "gpt-4o"
                provider: "openai"
                display_name: "gpt-4o"
                context_window: 128000
                cost_per_1k_input: 0.0025
                cost_per_1k_output: 0.01
                capabilities:
                  reasoning_score: 0.9
                  coding_score: 0.85
                  speed_score: 0.8
            """), "\(yaml)")
        #expect(try regdb("check", "--generated", "model_registry.yaml", in: dir.url).status == 0)

        let imported = try regdb("import", "--db", "yaml.db", "model_registry.yaml", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.isEmpty, "\(imported.stderr)")
        let again = try regdb("export", "yaml", "--db", "yaml.db", in: dir.url)
        #expect(again.stdout == yaml)
        // The values, compared per route in the registry's own terms (USD per 1M tokens).
        let query = """
            SELECT c.route_key, c.canonical_id, c.status, c.context_window, c.capabilities, c.scores,
                   json_extract(c.prices, '$.input_token') AS input, json_extract(c.prices, '$.output_token') AS output,
                   p.base_url, p.auth, p.env_vars
            FROM model_card c JOIN provider p ON p.id = c.provider
            WHERE c.route_key IN (SELECT route_key FROM route r JOIN route_category rc ON rc.route_id = r.id
                                  WHERE rc.category_id = 'chat')
            ORDER BY c.route_key
            """
        let original = try regdb("sql", query, "--format", "json", in: dir.url)
        let roundTripped = try regdb("sql", query, "--format", "json", "--db", "yaml.db", in: dir.url)
        let before = try #require(try parse(original.stdout) as? [[String: Any]])
        #expect(before.count == 12)
        #expect((before as NSArray) == (try #require(try parse(roundTripped.stdout) as? [[String: Any]]) as NSArray),
                "\(original.stdout)\n\(roundTripped.stdout)")
    }

    @Test func checkGeneratedFindsStaleFiles() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        let module = try regdb("export", "constants", "--lang", "python", "--category", "text_to_video", in: dir.url)
        try dir.write("text_to_video.py", module.stdout)
        #expect(try regdb("export", "docs", "--out", "MODELS.md", in: dir.url).status == 0)
        #expect(try regdb("export", "constants", "--lang", "swift", "--out", "swift", in: dir.url).status == 0)
        let generated = ["text_to_video.py", "MODELS.md", "swift/TextToVideo.swift", "swift/Chat.swift"]

        let fresh = try regdb(["check", "--generated"] + generated, in: dir.url)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stdout == "ok: 4 generated files match registry.db\n")

        let seed = dir.file("seeds/fal.json")
        let text = try String(contentsOf: seed, encoding: .utf8)
        let edited = text.replacingOccurrences(of: #"{"unit": "second", "variant": "no_audio", "usd": 0.2}"#,
                                               with: #"{"unit": "second", "variant": "no_audio", "usd": 0.55}"#)
        try #require(edited != text, "the veo3 price is not where the test expects it")
        try Data(edited.utf8).write(to: seed)
        let seeds = try FileManager.default.contentsOfDirectory(atPath: dir.file("seeds").path)
            .filter { $0.hasSuffix(".json") }.sorted().map { "seeds/" + $0 }
        #expect(try regdb(["import"] + seeds, in: dir.url).status == 0)

        let stale = try regdb(["check", "--generated"] + generated, in: dir.url)
        #expect(stale.status == 1)
        #expect(stale.stdout == "")
        #expect(stale.stderrLines == [
            "text_to_video.py: error: [stale] generated file is stale; regenerate: regdb export constants --lang python --category text_to_video > text_to_video.py",
            "MODELS.md: error: [stale] generated file is stale; regenerate: regdb export docs --out MODELS.md",
            "swift/TextToVideo.swift: error: [stale] generated file is stale; regenerate: regdb export constants --lang swift --category text_to_video > swift/TextToVideo.swift",
        ], "\(stale.stderr)")

        // Run each suggested command as a shell would.
        for line in stale.stderrLines {
            let command = try #require(line.components(separatedBy: "regenerate: ").last)
            let words = command.split(separator: " ").map(String.init)
            #expect(words.first == "regdb")
            if let redirect = words.firstIndex(of: ">") {
                let result = try regdb(Array(words[1..<redirect]), in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
                try dir.write(words[redirect + 1], result.stdout)
            } else {
                #expect(try regdb(Array(words.dropFirst()), in: dir.url).status == 0)
            }
        }
        let fixed = try regdb(["check", "--generated"] + generated, in: dir.url)
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(try String(contentsOf: dir.file("text_to_video.py"), encoding: .utf8).contains(#""veo3": {"per_second": {"no_audio": 0.55"#))

        // With another registry, the suggestion names it.
        try FileManager.default.copyItem(at: dir.file("registry.db"), to: dir.file("other.db"))
        try dir.write("MODELS.md", "<!-- Generated by regdb — do not edit. Regenerate: regdb export docs -->\nold\n")
        let other = try regdb("check", "--db", "other.db", "--generated", "MODELS.md", in: dir.url)
        #expect(other.stderrLines == ["MODELS.md: error: [stale] generated file is stale; regenerate: regdb export docs --db other.db --out MODELS.md"])
    }

    /// Files without a header, or whose header names anything but a re-runnable export, are refused.
    @Test func checkGeneratedRefusesOtherHeaders() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.importedRegistry()
        try dir.write("plain.py", "SUPPORTED_MODELS = []\n")
        try dir.write("import.py", "# Generated by regdb — do not edit. Regenerate: regdb import seeds/fal.json\n")
        try dir.write("out.py", "# Generated by regdb — do not edit. Regenerate: regdb export constants --lang python --category avatar --out x\n")
        try dir.write("shell.py", "# Generated by regdb — do not edit. Regenerate: regdb export docs; rm -rf x\n")
        try dir.write("unknown.py", "# Generated by regdb — do not edit. Regenerate: regdb export constants --lang python --category nope\n")
        let result = try regdb("check", "--generated", "plain.py", "import.py", "out.py", "shell.py", "unknown.py", "missing.py", in: dir.url)
        #expect(result.status == 1)
        let lines = result.stderrLines
        #expect(lines.count == 6, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("plain.py: error: [generated] no regdb header on line 1") == true)
        for (index, file) in ["import.py", "out.py", "shell.py"].enumerated() where index + 1 < lines.count {
            #expect(lines[index + 1].hasPrefix("\(file): error: [generated] the header names "), "\(lines[index + 1])")
        }
        #expect(lines.count > 4 && lines[4].hasPrefix("unknown.py: error: [generated] regdb export constants --lang python --category nope fails: unknown category \"nope\""),
                "\(result.stderr)")
        #expect(lines.last == "missing.py: error: [file] file does not exist")
        #expect(try regdb("check", "--generated", in: dir.url).status == 64)
        #expect(!FileManager.default.fileExists(atPath: dir.file("x").path))
    }
}
