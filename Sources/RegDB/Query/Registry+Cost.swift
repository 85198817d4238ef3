import GRDB

/// What one call consumed. Nil means "not given".
public struct Usage: Sendable {
    public var seconds: Double?
    public var minutes: Double?
    public var images: Double?
    public var megapixels: Double?
    public var characters: Double?
    public var inputTokens: Double?
    public var outputTokens: Double?
    public var cacheReadTokens: Double?
    public var cacheWriteTokens: Double?
    /// audio, no_audio, 720p…: picks among a unit's alternative prices, or a multiplier.
    public var variant: String?

    public init(seconds: Double? = nil, minutes: Double? = nil, images: Double? = nil, megapixels: Double? = nil,
                characters: Double? = nil, inputTokens: Double? = nil, outputTokens: Double? = nil,
                cacheReadTokens: Double? = nil, cacheWriteTokens: Double? = nil, variant: String? = nil) {
        self.seconds = seconds
        self.minutes = minutes
        self.images = images
        self.megapixels = megapixels
        self.characters = characters
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.variant = variant
    }

    /// Quantity of a unit's measure; seconds and minutes convert into each other.
    func quantity(of measure: String) -> Double? {
        switch measure {
        case "calls": return 1
        case "seconds": return seconds ?? minutes.map { $0 * 60 }
        case "minutes": return minutes ?? seconds.map { $0 / 60 }
        case "images": return images
        case "megapixels": return megapixels
        case "characters": return characters
        case "input_tokens": return inputTokens
        case "output_tokens": return outputTokens
        case "cache_read_tokens": return cacheReadTokens
        case "cache_write_tokens": return cacheWriteTokens
        default: return nil
        }
    }

    /// Measures the caller gave a quantity for.
    var givenMeasures: [String] {
        var measures: [String] = []
        if seconds != nil || minutes != nil { measures.append("time") }
        if images != nil { measures.append("images") }
        if megapixels != nil { measures.append("megapixels") }
        if characters != nil { measures.append("characters") }
        if inputTokens != nil { measures.append("input_tokens") }
        if outputTokens != nil { measures.append("output_tokens") }
        if cacheReadTokens != nil { measures.append("cache_read_tokens") }
        if cacheWriteTokens != nil { measures.append("cache_write_tokens") }
        return measures
    }
}

/// The price of one call, line by line.
public struct CostQuote: Sendable {
    public struct Line: Sendable {
        public var unit: String
        public var variant: String?
        public var quantity: Double
        public var usd: Double
    }

    public var routeKey: String
    public var category: String?
    public var key: String?
    public var lines: [Line]
    public var multiplier: Double
    /// Things worth knowing that do not stop the quote (a duration the route cannot produce).
    public var warnings: [String]
    /// Total in USD, rounded to a billionth of a dollar so float noise never shows.
    public var usd: Double
}

extension Registry {
    /// Prices one call of the route `name` names (a key, route key or model id).
    public func cost(_ name: String, category: String? = nil, usage: Usage) throws -> CostQuote {
        let matches = try find(name, category: category)
        let distinctRoutes = Set(matches.map(\.routeKey))
        guard distinctRoutes.count == 1, let match = matches.first else {
            throw RegDBError.ambiguous(name: name, candidates: matches.map { "\($0.category ?? "-")/\($0.key ?? $0.routeKey)" })
        }
        let prices = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.unit, p.variant, p.usd, p.per, p.above, p.note, u.measure
                FROM price p JOIN unit u ON u.id = p.unit WHERE p.route_id = ? ORDER BY p.position
                """, arguments: [match.routeID])
        }
        let multipliers = try read { db in
            try Row.fetchAll(db, sql: "SELECT variant, factor FROM price_multiplier WHERE route_id = ? ORDER BY position",
                             arguments: [match.routeID])
        }
        let label = match.key ?? match.routeKey
        guard !prices.isEmpty else { throw RegDBError.pricing("\(label) has no prices in the registry") }

        let pricedUnits = uniqued(prices.map { $0["unit"] as String })
        let pricedMeasures = Set(prices.map { measure in
            let m: String = measure["measure"]
            return m == "seconds" || m == "minutes" ? "time" : m
        })
        for measure in usage.givenMeasures where !pricedMeasures.contains(measure) {
            let asked = ["time": "second or minute", "images": "image", "megapixels": "megapixel", "characters": "character",
                         "input_tokens": "input token", "output_tokens": "output token",
                         "cache_read_tokens": "cache read token", "cache_write_tokens": "cache write token"][measure] ?? measure
            throw RegDBError.pricing("\(label) is not priced per \(asked); it is priced per: \(pricedUnits.joined(separator: ", "))")
        }
        let variants = uniqued(prices.compactMap { $0["variant"] as String? } + multipliers.map { $0["variant"] as String })
        if let variant = usage.variant, !variants.contains(variant) {
            throw RegDBError.pricing("\(label) has no price variant \"\(variant)\"; its variants: \(variants.isEmpty ? "none" : variants.joined(separator: ", "))")
        }

        var lines: [CostQuote.Line] = []
        for unit in pricedUnits {
            let rows = prices.filter { $0["unit"] as String == unit }
            let measure: String = rows[0]["measure"]
            // Token prices come in sets (input, output, cache): a token count not given is zero.
            // A call given in tokens did not use the extras an LLM route also prices in other
            // measures (search queries, input images, seconds of audio): those units are left
            // out. Per-call prices still count once.
            let tokenGiven = usage.givenMeasures.contains { $0.hasSuffix("_tokens") }
            let stated = usage.quantity(of: measure)
            if stated == nil && tokenGiven && !measure.hasSuffix("_tokens") { continue }
            guard let quantity = stated ?? (tokenGiven && measure.hasSuffix("_tokens") ? 0 : nil) else {
                throw RegDBError.pricing("\(label) is priced per \(unit); give \(flag(for: measure))")
            }
            // Alternatives of this unit: the chosen variant's rows, else the base rows.
            let unitVariants = uniqued(rows.compactMap { $0["variant"] as String? })
            var chosen = rows.filter { ($0["variant"] as String?) == usage.variant && usage.variant != nil }
            if chosen.isEmpty { chosen = rows.filter { ($0["variant"] as String?) == nil } }
            if chosen.isEmpty {
                // A variant-only price applies when that variant is chosen, never by default:
                // an image-token rate is not the text rate.
                if stated == nil || quantity == 0 {
                    continue  // a unit this call did not use: nothing to choose between
                } else {
                    throw RegDBError.pricing("\(label) is priced per \(unit) in variants \(unitVariants.joined(separator: ", ")); choose one with --variant")
                }
            }
            for row in chosen {
                guard let usd: Double = row["usd"] else {
                    let note = (row["note"] as String?).map { " (\($0))" } ?? ""
                    throw RegDBError.pricing("\(label) has no published price per \(unit)\(note)")
                }
                let above: Double = row["above"] ?? 0
                let per: Int64 = row["per"]
                let billed = max(0, quantity - above)
                lines.append(.init(unit: unit, variant: row["variant"], quantity: billed, usd: usd * billed / Double(per)))
            }
        }
        var warnings: [String] = []
        if let seconds = usage.seconds ?? usage.minutes.map({ $0 * 60 }) {
            let (maxDuration, options) = try read { db in
                (try Int64.fetchOne(db, sql: "SELECT max_duration FROM route WHERE id = ?", arguments: [match.routeID]),
                 try Int64.fetchAll(db, sql: "SELECT seconds FROM route_duration WHERE route_id = ? ORDER BY seconds",
                                    arguments: [match.routeID]))
            }
            if let maxDuration, seconds > Double(maxDuration) {
                warnings.append("\(seconds == seconds.rounded() ? String(Int64(seconds)) : "\(seconds)") seconds is beyond the max_duration of \(label) (\(maxDuration) s)")
            } else if !options.isEmpty, !options.contains(where: { Double($0) == seconds }) {
                warnings.append("\(seconds == seconds.rounded() ? String(Int64(seconds)) : "\(seconds)") seconds is not a duration option of \(label) (\(options.map(String.init).joined(separator: ", ")))")
            }
        }
        let multiplier = multipliers.first { ($0["variant"] as String) == usage.variant }.map { $0["factor"] as Double } ?? 1
        let total = lines.reduce(0) { $0 + $1.usd } * multiplier
        return CostQuote(routeKey: match.routeKey, category: match.category, key: match.key, lines: lines,
                         multiplier: multiplier, warnings: warnings, usd: (total * 1e9).rounded() / 1e9)
    }

    private func flag(for measure: String) -> String {
        switch measure {
        case "seconds": return "--seconds (or --minutes)"
        case "minutes": return "--minutes (or --seconds)"
        case "input_tokens": return "--input-tokens"
        case "output_tokens": return "--output-tokens"
        case "cache_read_tokens": return "--cache-read-tokens"
        case "cache_write_tokens": return "--cache-write-tokens"
        default: return "--" + measure
        }
    }
}

/// The elements in first-seen order, without repeats.
func uniqued(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}
