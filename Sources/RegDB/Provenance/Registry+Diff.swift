import Foundation
import GRDB

extension Registry {
    /// What a typical call uses of each measure, to weigh a price difference in dollars:
    /// 10k prompt tokens and 1k output tokens, 10 s of media, one image, page or query.
    static let typicalCall: [String: Double] = [
        "input_tokens": 10_000, "cache_read_tokens": 10_000, "cache_write_tokens": 10_000, "input_audio_tokens": 10_000,
        "cache_read_audio_tokens": 10_000, "input_image_tokens": 10_000, "input_video_tokens": 10_000,
        "output_tokens": 1_000, "output_audio_tokens": 1_000, "output_image_tokens": 1_000, "reasoning_tokens": 1_000,
        "seconds": 10, "minutes": 1, "images": 1, "input_images": 1, "megapixels": 1, "pixels": 1_000_000,
        "characters": 1_000, "output_characters": 1_000, "pages": 1, "queries": 1, "calls": 1,
    ]

    /// Where sources disagree about one canonical model, like with like.
    ///
    /// For each canonical model (route.model_id), provider (`providerFamily`)
    /// and field, every source's own claim (not only the value in force) on
    /// the model's routes of that provider: each price
    /// (unit, variant, threshold) as the row in force on `at` (default today),
    /// in USD per million tokens for token units and per unit otherwise, and
    /// the context window and output limit. Equal values group together, so a
    /// row says which sources agree: `value` is the one most sources give (the
    /// lowest on a tie), `said_by` those sources, and `others` the rest
    /// ("5: lattice-registry.yaml"). A price of 0 beside paid prices is a subscription or
    /// free plan, not an API price: it is set apart in `free`, never counted as
    /// a disagreement. Unpublished (null) prices are left out.
    ///
    /// Rows come by `typical_usd`, the dollars the disagreement makes on a
    /// typical call (10k prompt + 1k output tokens, 10 s of media, one image;
    /// `typicalCall`), largest first, then by relative difference (limits have
    /// no dollar weight), canonical id and field. `minimum` keeps only groups
    /// whose values differ by at least that fraction of the largest.
    public func diff(minimum: Double = 0, at: String? = nil) throws -> ResultTable {
        let groups = try diffGroups(minimum: minimum, at: at)
        func number(_ value: Double) -> JSONValue {
            value == value.rounded() && abs(value) < 9e15 ? .integer(Int64(value)) : .number(value)
        }
        func text(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 9e15 ? String(Int64(value)) : String(value)
        }
        func names(_ statements: [DiffGroup.Said]) -> String {
            var seen = Set<String>()
            return statements.compactMap { seen.insert($0.source).inserted ? $0.source : nil }.joined(separator: ", ")
        }
        return ResultTable(
            columns: ["canonical_id", "provider", "field", "typical_usd", "relative_difference", "value", "said_by", "others", "free"],
            rows: groups.map { group in
                let majority = group.values[0]
                let others = group.values.dropFirst().map { "\(text($0.value)): \(names($0.sources))" }.joined(separator: " | ")
                return [.string(group.model), .string(group.provider), .string(group.field), number(group.typicalUSD), .number(group.relative),
                        number(majority.value), .string(names(majority.sources)), .string(others),
                        group.free.isEmpty ? .null : .string(names(group.free))]
            }, answers: ["field", "value", "said_by", "others"],
            formats: ["typical_usd": .usd, "relative_difference": .percent, "value": .decimal])
    }

    /// The disagreements `diff` shows, as values: what each source says, ranked. `byRoute`
    /// compares like with like, route by route (an endpoint under two spellings of its provider
    /// is one route), instead of per canonical model: a dated snapshot with a price of its own
    /// is its own route, never a source disagreeing with itself. `model` is then the route key.
    func diffGroups(minimum: Double = 0, at: String? = nil, byRoute: Bool = false) throws -> [DiffGroup] {
        let atSeconds = try at.map { text -> Int64 in
            guard let seconds = UTCTime.epochSeconds(text) else {
                throw RegDBError.pricing("--at \"\(text)\" is not an ISO 8601 date (2025-06-10) or UTC time")
            }
            return seconds
        } ?? UTCTime.now()
        typealias Said = DiffGroup.Said
        var said: [String: [Said]] = [:]  // "model\u{0}field" → what each source says
        var measures: [String: String] = [:]
        try read { db in
            for row in try Row.fetchAll(db, sql: "SELECT id, measure FROM unit") { measures[row["id"]] = row["measure"] }
            // One endpoint under two spellings of its provider (fal_ai/fal-ai/flux/dev, fal/fal-ai/flux/dev)
            // is one route: the model of the route under the family's own name counts for both.
            var curated: [String: String] = [:]
            var curatedRoute: [String: String] = [:]  // family + wire id → the route key under the family's own name
            var spelledApart: [String: String] = [:]  // route key → family + wire id
            for row in try Row.fetchAll(db, sql: "SELECT route_key, provider_id, wire_id, model_id FROM route") {
                let provider: String = row["provider_id"], wire: String = row["wire_id"], family = Registry.providerFamily(provider)
                if family == provider {
                    curated[family + "/" + wire] = row["model_id"]
                    curatedRoute[family + "/" + wire] = row["route_key"]
                } else {
                    spelledApart[row["route_key"]] = family + "/" + wire
                }
            }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT r.model_id, s.name, c.entity_id, c.value
                FROM claim c JOIN source s ON s.id = c.source_id JOIN route r ON r.route_key = c.entity_id
                WHERE c.entity = 'route'
                ORDER BY r.model_id, s.name, c.entity_id
                """)
            while let row = try rows.next() {
                let source: String = row[1], route: String = row[2]
                let model: String = byRoute ? spelledApart[route].flatMap { curatedRoute[$0] } ?? route
                    : spelledApart[route].flatMap { curated[$0] } ?? row[0]
                guard let value = try? JSONParser.parse(row[3] as String) else { continue }
                let provider = Registry.providerFamily(String(route.prefix { $0 != "/" }))
                func add(_ field: String, _ number: Double) {
                    said[model + "\u{0}" + provider + "\u{0}" + field, default: []]
                        .append(Said(source: source, route: route, value: significant(number)))
                }
                for field in ["context_window", "max_output_tokens"] {
                    if let number = value[field]?.doubleValue { add(field, number) }
                }
                guard case .array(let prices)? = value["pricing"] else { continue }
                for price in prices {
                    guard let usd = price["usd"]?.doubleValue, usd.isFinite, let unit = price["unit"]?.stringValue else { continue }
                    if let from = price["valid_from"]?.stringValue, let start = UTCTime.epochSeconds(from), atSeconds < start { continue }
                    if let until = price["valid_until"]?.stringValue, let end = UTCTime.epochSeconds(until), atSeconds >= end { continue }
                    let per = price["per"]?.doubleValue ?? 1
                    guard per > 0 else { continue }
                    let scale: Double = unit.hasSuffix("_token") ? 1_000_000 : 1
                    add(SeedPrice.field(of: price), usd * scale / per)
                }
            }
        }

        typealias Group = DiffGroup
        var groups: [Group] = []
        for (key, statements) in said {
            let parts = key.split(separator: "\u{0}", maxSplits: 2).map(String.init)
            guard parts.count == 3, Set(statements.map(\.source)).count > 1 else { continue }
            let (model, provider, field) = (parts[0], parts[1], parts[2])
            let isPrice = field.hasPrefix("pricing.")
            var free: [Said] = []
            var paid = statements
            if isPrice, statements.contains(where: { $0.value > 0 }) {
                free = statements.filter { $0.value == 0 }
                paid = statements.filter { $0.value != 0 }
            }
            var clusters: [(value: Double, sources: [Said])] = []
            for statement in paid {
                if let at = clusters.firstIndex(where: { $0.value == statement.value }) {
                    clusters[at].sources.append(statement)
                } else {
                    clusters.append((statement.value, [statement]))
                }
            }
            // A disagreement needs two sources on two values.
            guard clusters.count > 1, Set(paid.map(\.source)).count > 1 else { continue }
            clusters.sort { a, b in
                let (x, y) = (Set(a.sources.map(\.source)).count, Set(b.sources.map(\.source)).count)
                return x != y ? x > y : a.value < b.value
            }
            let values = clusters.map(\.value)
            let (low, high) = (values.min() ?? 0, values.max() ?? 0)
            let relative = high == 0 ? 0 : significant((high - low) / max(abs(high), abs(low)))
            guard relative >= minimum, relative > 0 else { continue }
            var typical = 0.0
            if isPrice {
                let unit = String(field.dropFirst(8).prefix { $0 != "." })
                let quantity = Registry.typicalCall[measures[unit] ?? ""] ?? 1
                let scale = unit.hasSuffix("_token") ? 1_000_000.0 : 1
                typical = significant((high - low) * quantity / scale)
            }
            groups.append(Group(model: model, provider: provider, field: field, values: clusters, free: free, typicalUSD: typical, relative: relative))
        }
        groups.sort { x, y in
            if x.typicalUSD != y.typicalUSD { return x.typicalUSD > y.typicalUSD }
            if x.relative != y.relative { return x.relative > y.relative }
            if x.model != y.model { return Array(x.model.utf8).lexicographicallyPrecedes(Array(y.model.utf8)) }
            if x.provider != y.provider { return Array(x.provider.utf8).lexicographicallyPrecedes(Array(y.provider.utf8)) }
            return Array(x.field.utf8).lexicographicallyPrecedes(Array(y.field.utf8))
        }
        return groups
    }
}

/// One field of one model and provider on which sources disagree: each value with who says it,
/// the one most sources give first.
struct DiffGroup {
    struct Said: Hashable {
        var source: String
        var route: String
        var value: Double
    }

    var model: String
    var provider: String
    var field: String
    var values: [(value: Double, sources: [Said])]
    var free: [Said]
    var typicalUSD: Double
    var relative: Double
}

extension Registry {
    /// Catalogs name one provider differently (xai and x-ai; gemini and google; together_ai and
    /// together; fal_ai and fal): `diff` compares a model's prices per provider under one name, since a
    /// reseller's price differing from the maker's is no disagreement.
    static func providerFamily(_ provider: String) -> String {
        let aliases = ["gemini": "google", "vertex_ai": "vertex", "vertex_ai-language-models": "vertex",
                       "google-vertex": "vertex", "x-ai": "xai", "mistralai": "mistral", "moonshotai": "moonshot",
                       "together_ai": "together", "togetherai": "together", "fireworks_ai": "fireworks",
                       "fireworks-ai": "fireworks", "zhipuai": "zhipu", "zai": "zhipu", "fal_ai": "fal", "fal-ai": "fal"]
        let lower = provider.lowercased()
        return aliases[lower] ?? lower
    }
}

/// `value` to 12 significant digits, so that 2.5e-06 × 1e6 reads 2.5 and float
/// noise never shows up as a difference.
private func significant(_ value: Double) -> Double {
    guard value != 0, value.isFinite else { return value }
    return Double(String(format: "%.12g", value)) ?? value
}
