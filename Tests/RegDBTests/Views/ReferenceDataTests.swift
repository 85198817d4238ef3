import Foundation
import Testing
@testable import RegDB

/// The views of a registry built from seeds/*.json give, for every category,
/// what the media pipeline's constants gave (Tests/ReferenceData/fal-models.json),
/// except for the leftovers of the old code the seeds deliberately drop.
@Suite struct ReferenceDataTests {
    let registry: Registry
    let directory: URL
    let reference: [JSONValue]

    /// Categories whose routes take no resolution; the reference's ["720p"] there is
    /// the old ModelDefinition default (`resolutions = ["720p"]`), not a fact.
    static let placeholderResolution: Set = [
        "text_to_image", "image_to_image", "text_to_speech", "speech_to_text", "image_understanding",
        "prompt_generation", "add_audio", "upscale_video",
    ]
    /// Categories whose routes have no duration; their max_duration 15 is the old default.
    static let placeholderMaxDuration: Set = [
        "text_to_image", "image_to_image", "text_to_speech", "speech_to_text", "image_understanding",
        "prompt_generation", "upscale_video",
    ]

    init() throws {
        (registry, directory) = try seededRegistry()
        guard case .array(let models) = try readJSON(referenceData.appending(path: "fal-models.json")) else {
            throw FixtureError()
        }
        reference = models
    }

    struct FixtureError: Error {}

    /// One view's rows keyed by "category/key".
    private func view(_ name: String, _ column: String) throws -> [String: JSONValue] {
        var rows: [String: JSONValue] = [:]
        for row in try registry.rows("SELECT * FROM \(name)") {
            rows["\(row["category"]?.stringValue ?? "")/\(row["key"]?.stringValue ?? "")"] = row[column]
        }
        return rows
    }

    /// The view value as parsed JSON (views hold JSON text).
    private func json(_ value: JSONValue?) -> JSONValue? {
        guard let text = value?.stringValue else { return value }
        return try? JSONParser.parse(text)
    }

    private static func seconds(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return Int64(text.hasSuffix("s") ? String(text.dropLast()) : text).map(JSONValue.integer) ?? value
        default: return value
        }
    }

    private func keyOf(_ model: JSONValue) -> (category: String, key: String, id: String) {
        guard case .array(let categories)? = model["categories"] else { return ("", "", "") }
        return (categories.first?.stringValue ?? "", model["provider_key"]?.stringValue ?? "", model["key"]?.stringValue ?? "")
    }

    @Test func everyReferenceModelIsListedUnderItsKey() throws {
        let listed = try view("category_models", "route_key")
        #expect(reference.count == 74)
        for model in reference {
            let (category, key, id) = keyOf(model)
            #expect(listed["\(category)/\(key)"] != nil, "\(id) is not listed as \(category)/\(key)")
        }
        let media = try registry.rows("SELECT count(*) AS n FROM category_models WHERE category <> 'chat'")
        #expect(media.first?["n"] == .integer(74))
    }

    @Test func endpointsAndNamesMatch() throws {
        let endpoints = try view("model_endpoints", "endpoint")
        let names = try view("model_display_names", "name")
        for model in reference {
            let (category, key, _) = keyOf(model)
            #expect(endpoints["\(category)/\(key)"] == model["endpoint"], "\(category)/\(key)")
            #expect(names["\(category)/\(key)"] == model["name"], "\(category)/\(key)")
        }
    }

    @Test func optionsMatch() throws {
        let durations = try view("duration_options", "options")
        let aspects = try view("aspect_ratio_options", "options")
        let resolutions = try view("resolution_options", "options")
        for model in reference {
            let (category, key, _) = keyOf(model)
            let at = "\(category)/\(key)"
            guard case .array(let refDurations)? = model["duration_options"],
                  case .array(let refAspects)? = model["aspect_ratios"],
                  case .array(let refResolutions)? = model["resolutions"] else {
                Issue.record("\(at): reference entry without option lists")
                continue
            }
            var expectedDurations = refDurations.map(Self.seconds).sorted { ($0.doubleValue ?? 0) < ($1.doubleValue ?? 0) }
            // Design doc 000's own example of silent breakage: ["5", "10", "12"] where the API takes 3-15
            // (fal's pages for both Kling v3 image-to-video endpoints).
            if ["kling_3_standard_i2v", "kling_3_pro_i2v"].contains(model["key"]?.stringValue ?? "") { expectedDurations = (3...15).map { JSONValue.integer(Int64($0)) } }
            #expect(json(durations[at]) == (expectedDurations.isEmpty ? nil : .array(expectedDurations)), "\(at) durations")
            #expect(json(aspects[at]) == (refAspects.isEmpty ? nil : .array(refAspects)), "\(at) aspect ratios")
            let placeholder = refResolutions == [.string("720p")] && Self.placeholderResolution.contains(category)
            let expectedResolutions = placeholder ? [] : refResolutions
            #expect(json(resolutions[at]) == (expectedResolutions.isEmpty ? nil : .array(expectedResolutions)), "\(at) resolutions")
        }
    }

    @Test func defaultsMatchWithDurationsInSeconds() throws {
        let defaults = try view("default_values", "defaults")
        for model in reference {
            let (category, key, _) = keyOf(model)
            guard case .object(let members)? = model["defaults"] else { continue }
            let expected = JSONValue.object(members.map { ($0.key, $0.key == "duration" ? Self.seconds($0.value) : $0.value) })
            #expect(json(defaults["\(category)/\(key)"]) == (members.isEmpty ? nil : expected), "\(category)/\(key)")
        }
    }

    @Test func infoMatches() throws {
        let rows = try registry.rows("SELECT * FROM model_info")
        var info: [String: [String: JSONValue]] = [:]
        for row in rows { info["\(row["category"]?.stringValue ?? "")/\(row["key"]?.stringValue ?? "")"] = row }
        for model in reference {
            let (category, key, id) = keyOf(model)
            let row = try #require(info["\(category)/\(key)"])
            #expect(row["name"] == model["name"])
            #expect(row["provider"] == model["provider"], "\(id)")
            #expect(row["description"] == model["description"])
            #expect(json(row["features"]) == model["features"], "\(id)")
            var expectedMax = model["max_duration"] ?? .null
            let hasDurations = model["duration_options"] != .array([])
            if Self.placeholderMaxDuration.contains(category) && !hasDurations && expectedMax == .integer(15) {
                expectedMax = .null
            }
            // The reference says 12 but lists options up to 15; the API takes 3-15 (design doc 000).
            if ["kling_3_standard", "kling_3_pro", "kling_3_standard_i2v", "kling_3_pro_i2v"].contains(id) { expectedMax = .integer(15) }
            #expect(row["max_duration"] == expectedMax, "\(id) max_duration")
        }
    }

    /// Every number of every pricing shape survives into price rows (usd, above) or multipliers,
    /// except on a route whose prices were corrected against a named page (every row of it
    /// says which, `checked_url`).
    @Test func pricingKeepsEveryNumber() throws {
        for model in reference {
            let (category, key, id) = keyOf(model)
            let rows = try registry.rows("""
                SELECT p.usd, p.above, p.note, p.checked_url FROM price p JOIN route_category rc ON rc.route_id = p.route_id
                WHERE rc.category_id = '\(category)' AND rc.key = '\(key)'
                UNION ALL
                SELECT m.factor, NULL, NULL, NULL FROM price_multiplier m JOIN route_category rc ON rc.route_id = m.route_id
                WHERE rc.category_id = '\(category)' AND rc.key = '\(key)'
                """)
            let numbers = Set(rows.flatMap { [$0["usd"]?.doubleValue, $0["above"]?.doubleValue].compactMap { $0 } })
            let notes = rows.compactMap { $0["note"]?.stringValue }
            // A route whose every price was checked against a published page keeps the page's numbers.
            let checked = rows.filter { $0["checked_url"]?.stringValue != nil }.count
            let priced = try registry.rows("""
                SELECT count(*) AS n FROM price p JOIN route_category rc ON rc.route_id = p.route_id
                WHERE rc.category_id = '\(category)' AND rc.key = '\(key)'
                """).first?["n"]?.doubleValue ?? 0
            if priced > 0 && Double(checked) == priced { continue }
            for leaf in leaves(model["pricing"] ?? .null) {
                switch leaf {
                case .string(let text) where text.hasPrefix("per_"): continue  // the shape's "type" tag
                case .string(let text): #expect(notes.contains { $0.contains(text) }, "\(id): \(text) lost")
                default: #expect(leaf.doubleValue.map(numbers.contains) == true, "\(id): \(leaf) lost")
                }
            }
        }
    }

    private func leaves(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .object(let members): return members.flatMap { leaves($0.value) }
        case .array(let items): return items.flatMap(leaves)
        default: return [value]
        }
    }

    @Test func llmRoutesCarryTheOrchestratorFacts() throws {
        let rows = try registry.rows("""
            SELECT r.route_key, r.context_window, m.status, m.scores,
                   (SELECT usd FROM price WHERE route_id = r.id AND unit = 'input_token' AND per = 1000000) AS input,
                   (SELECT usd FROM price WHERE route_id = r.id AND unit = 'output_token' AND per = 1000000) AS output
            FROM route r JOIN model m ON m.id = r.model_id WHERE r.route_key IN
                ('openai/gpt-4o', 'anthropic/claude-3-5-sonnet-20240620', 'ollama/qwen2.5:32b-instruct-q4_K_M')
            ORDER BY r.route_key
            """)
        #expect(rows.count == 3)
        #expect(rows[0]["context_window"] == .integer(200000))
        #expect(rows[0]["input"] == .number(3.0) && rows[0]["output"] == .number(15.0))
        #expect(rows[1]["route_key"] == .string("ollama/qwen2.5:32b-instruct-q4_K_M"))
        #expect(rows[1]["status"] == .string("beta"))
        #expect(rows[2]["context_window"] == .integer(128000))
        // The orchestrator YAML says $5/$15, a stale price: the seed has OpenAI's published one.
        #expect(rows[2]["input"] == .number(2.5) && rows[2]["output"] == .number(10.0))
        #expect(json(rows[2]["scores"]) == .object([("reasoning", .number(0.9)), ("coding", .number(0.85)), ("speed", .number(0.8))]))
        let chat = try registry.rows("SELECT count(*) AS n FROM category_models WHERE category = 'chat'")
        #expect(chat.first?["n"] == .integer(12))  // the orchestrator's 11 and o3
    }
}
