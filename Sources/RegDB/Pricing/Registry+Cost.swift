import Foundation
import GRDB

/// A quantity a call gives by measure rather than by unit (`--seconds 8` prices every unit
/// measured in seconds): the one list, in the order of `regdb cost`'s options, that the friendly
/// `Usage` initializer, the tool's options, the Python package and the order in which a call's
/// measures are checked all follow.
public struct Measure: Sendable {
    /// The measure of schema.sql's `unit` table: seconds, input_tokens…
    public let name: String
    /// The `regdb cost` option that gives it.
    public let option: String
    /// Counted in whole numbers (tokens, images, characters).
    public let whole: Bool
    /// Other ways to give it, for messages (UNIT stands for the unit priced).
    let alternatives: String

    public static let given: [Measure] = [
        Measure(name: "seconds", option: "--seconds", whole: false, alternatives: "--minutes, or --usage UNIT=N"),
        Measure(name: "minutes", option: "--minutes", whole: false, alternatives: "--seconds"),
        Measure(name: "images", option: "--images", whole: true, alternatives: "--usage image=N"),
        Measure(name: "megapixels", option: "--megapixels", whole: false, alternatives: ""),
        Measure(name: "characters", option: "--characters", whole: true, alternatives: ""),
        Measure(name: "input_tokens", option: "--input-tokens", whole: true, alternatives: ""),
        Measure(name: "output_tokens", option: "--output-tokens", whole: true, alternatives: ""),
        Measure(name: "cache_read_tokens", option: "--cache-read-tokens", whole: true, alternatives: ""),
        Measure(name: "cache_write_tokens", option: "--cache-write-tokens", whole: true, alternatives: ""),
    ]
}

/// What one call consumed, counted the way provider APIs report it.
///
/// Token counts are inclusive, as OpenAI's `prompt_tokens`, Gemini's
/// `promptTokenCount`, LiteLLM and genai-prices count them: `input_tokens` is
/// every prompt token, cached ones included, and `cache_read_tokens` /
/// `cache_write_tokens` are parts of it; `output_tokens` includes reasoning
/// tokens. Where a route prices a part (a cache read), those tokens are billed
/// at the part's rate and not again at the input rate (`unit_part` in schema.sql).
public struct Usage: Sendable {
    /// Quantity per measure (`seconds`, `images`, `input_tokens`…), as the friendly options give it.
    public var measures: [String: Decimal] = [:]
    /// Quantity per unit (`cache_read_token`, `page`…), as `--usage UNIT=N` gives it; wins over the measure.
    public var units: [String: Decimal] = [:]
    /// Chosen price variants (audio, 720p, batch, priority…): labels of the price rows.
    public var variants: [String] = []
    /// The resolution (720p, 4K) and quality (low, high) the call asks for; nil: the route's
    /// default. Each must be one the route knows.
    public var resolution: String?
    public var quality: String?
    /// The pixel size of each output image (`--size`, a fal result's images): priced per
    /// megapixel, each image counts its whole megapixels of 1,048,576 pixels rounded up, as
    /// fal bills them; per pixel, its pixels; per image, one.
    public var imageSizes: [PixelSize] = []
    /// How many output images each of `imageSizes` stands for: `--images 4 --size 1024x1024` is one
    /// size of 4 images. A count, not a list of copies: 10^15 images of one size need no 10^15 entries.
    public var imagesPerSize: Int64 = 1
    /// When the call was made, ISO 8601 (a date or a UTC time); nil means now.
    public var at: String?
    /// Units a provider's response reported (`--usage-json`) rather than the caller asked for:
    /// one the route does not price, or prices only as part of a larger unit, is named in the
    /// quote's `unpriced` instead of refused.
    public var reported: Set<String> = []
    /// Variants the response's service tier means: applied where the route has them, else
    /// named in `unpriced` (the standard price is used).
    public var reportedVariants: [String] = []

    public init(measures: [String: Decimal] = [:], units: [String: Decimal] = [:], variants: [String] = [], at: String? = nil) {
        self.measures = measures
        self.units = units
        self.variants = variants
        self.at = at
    }

    /// The friendly form: one argument per common measure.
    public init(seconds: Double? = nil, minutes: Double? = nil, images: Double? = nil, megapixels: Double? = nil,
                characters: Double? = nil, inputTokens: Double? = nil, outputTokens: Double? = nil,
                cacheReadTokens: Double? = nil, cacheWriteTokens: Double? = nil, variant: String? = nil) {
        // In the order of Measure.given.
        let given = [seconds, minutes, images, megapixels, characters, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens]
        for (measure, value) in zip(Measure.given, given) {
            if let value, value.isFinite, let decimal = Decimal(string: String(value)) { measures[measure.name] = decimal }
        }
        variants = variant.map { [$0] } ?? []
    }

    /// Whether `text` is a date or time `at` accepts: ISO 8601, a date or a time with a zone.
    public static func isValidDate(_ text: String) -> Bool { UTCTime.epochSeconds(text) != nil }

    /// Whether the call is described in tokens (then token units not given are zero and
    /// extras priced in other measures, such as search queries, were not used).
    var isTokenCall: Bool {
        measures.keys.contains { $0.hasSuffix("_tokens") } || units.keys.contains { $0.hasSuffix("_token") }
    }

    /// The quantity of `unit` (of `measure`), if the call gives one: by unit, else by measure;
    /// seconds and minutes convert into each other.
    func quantity(unit: String, measure: String) -> Decimal? {
        if let quantity = units[unit] { return quantity }
        if measure == "calls" { return 1 }
        if let quantity = measures[measure] { return quantity }
        switch measure {
        case "seconds": return measures["minutes"].map { $0 * 60 }
        case "minutes": return measures["seconds"].map { $0 / 60 }
        default: return nil
        }
    }
}

/// The price of one call, line by line.
public struct CostQuote: Sendable {
    public struct Line: Sendable {
        public var unit: String
        public var variant: String?
        /// Quantity billed on this line (tokens billed at a part's rate are not counted again here).
        public var quantity: Decimal
        /// USD per `per` units.
        public var rate: Decimal
        public var per: Int64
        /// The threshold of the row that set the rate, and the unit whose quantity passed it.
        public var threshold: Decimal?
        public var thresholdUnit: String?
        public var usd: Decimal
    }

    public var routeKey: String
    public var category: String?
    public var key: String?
    /// When the call was priced for: the stored form of `--at`, or now.
    public var at: String
    public var variants: [String]
    public var lines: [Line]
    public var multiplier: Decimal
    /// Things worth knowing that do not stop the quote (a duration the route cannot produce).
    public var warnings: [String]
    /// Total in USD, exact in decimal.
    public var usd: Decimal
    /// What the response reported that this route has no price for: never dropped in silence.
    public var unpriced: [Unpriced] = []

    /// A reported quantity the route does not price: not billed, or billed at a larger unit's rate;
    /// or a service tier the route has no variant for.
    public struct Unpriced: Sendable, Equatable {
        /// A unit, or `service_tier`.
        public var unit: String
        public var quantity: Decimal
        /// The unit whose rate billed it; nil when it was not billed.
        public var billedAs: String?
        /// The tier a `service_tier` entry names (flex, priority).
        public var variant: String?

        /// "unpriced: 3 web_search_request on anthropic/claude-sonnet-4 (not billed)".
        public func warning(on route: String) -> String {
            if let variant {
                return "unpriced: service tier \(variant) on \(route) (no such price variant; the standard price is used)"
            }
            return "unpriced: \(quantity) \(unit) on \(route) (" + (billedAs.map { "billed at the \($0) rate" } ?? "not billed") + ")"
        }
    }
}

extension Registry {
    /// Prices one call of the route `name` names (a key, route key or model id),
    /// reading the route and its prices in one transaction: an import running
    /// meanwhile shows either all of its result or none of it.
    public func cost(_ name: String, category: String? = nil, usage: Usage) throws -> CostQuote {
        try snapshot {
            var book = try PriceBook(self)
            try book.learn(self, names: [(name, category)])
            return try quote(name, category: category, usage: usage, book: book)
        }
    }

    func quote(_ name: String, category: String?, usage: Usage, book: PriceBook) throws -> CostQuote {
        let match = try book.match(name, category: category)
        let label = match.key ?? match.routeKey
        let atSeconds: Int64
        if let at = usage.at {
            guard let seconds = UTCTime.epochSeconds(at) else {
                throw RegDBError.pricing("--at \"\(at)\" is not an ISO 8601 date (2025-06-10) or UTC time (2025-06-10T12:00:00Z)")
            }
            atSeconds = seconds
        } else {
            atSeconds = UTCTime.now()
        }
        let route = book.route(match.routeID)
        let (rows, multipliers, parts, units) = (route.rows, route.multipliers, book.parts, book.units)
        guard !rows.isEmpty else { throw RegDBError.pricing("\(label) has no prices in the registry") }
        // A row that breaks the schema's CHECK (written with ignore_check_constraints) is never priced
        // as if it were fine: per 0 would divide by zero, a negative price would pay the caller.
        if let broken = rows.first(where: { $0.per <= 0 || ($0.usd.map { $0 < 0 } ?? false) }) {
            throw RegDBError.violations([Violation(file: path, path: nil, rule: "integrity", message: """
                a price row of \(match.routeKey) (unit \(broken.unit)) has per \(broken.per) and usd \(broken.usd.map { "\($0)" } ?? "null"), \
                which its rules forbid (written with CHECK constraints off?); run regdb check
                """)])
        }
        if let unit = book.partOfItself {
            throw RegDBError.violations([Violation(file: path, path: nil, rule: "integrity", message: """
                unit_part makes \(unit) a part of itself (written by hand?), so no call can be priced; run regdb check
                """)])
        }
        let measureOf = book.measureOf
        // A quantity given by measure name (seconds) where a unit is expected counts as that measure.
        var usage = usage
        let measures = Set(units.map(\.measure))
        for (unit, quantity) in usage.units.sorted(by: { $0.key < $1.key }) where measureOf[unit] == nil {
            guard measures.contains(unit) else {
                throw RegDBError.unknownValue(kind: "unit", value: unit, known: units.map(\.id))
            }
            usage.units[unit] = nil
            usage.measures[unit] = quantity
        }

        // A whole the call does not give (output tokens of an image model priced per output
        // image token) is at least its parts: their sum.
        for _ in 0..<3 {
            var derived: [String: Decimal] = [:]
            for (part, whole) in parts where usage.quantity(unit: whole, measure: measureOf[whole] ?? "") == nil {
                if let quantity = usage.quantity(unit: part, measure: measureOf[part] ?? "") {
                    derived[whole, default: 0] += quantity
                }
            }
            if derived.isEmpty { break }
            for (whole, quantity) in derived { usage.units[whole] = quantity }
        }

        let labels = uniqued(rows.compactMap(\.variant).flatMap(PriceLabels.split) + multipliers.map(\.variant))
        var unpriced: [CostQuote.Unpriced] = []
        for variant in usage.reportedVariants where !usage.variants.contains(variant) {
            if labels.contains(variant) {
                usage.variants.append(variant)
            } else {
                unpriced.append(.init(unit: "service_tier", quantity: 1, variant: variant))
            }
        }
        for variant in usage.variants where !labels.contains(variant) {
            throw RegDBError.pricing("\(label) has no price variant \"\(variant)\"; its variants: \(labels.isEmpty ? "none" : labels.joined(separator: ", "))")
        }
        try chooseOptions(&usage, label: label, labels: labels, pricedMeasures: Set(rows.map(\.measure)), route: route)
        let inForce = rows.filter { $0.applies(at: atSeconds) }
        if inForce.isEmpty {
            throw RegDBError.pricing("\(label) has no price in force on \(PriceDate.stored(atSeconds)); its prices apply \(dateRanges(rows))")
        }
        // A variant with a window (off-peak hours) applies by itself to a call made within it,
        // where the call's time of day is known (now, or --at with a time) and no variant of
        // its units was chosen.
        if usage.at.map({ $0.contains("T") }) ?? true {
            for row in inForce {
                guard let variant = row.variant, let windows = row.window, windows.contains(where: { $0.covers(atSeconds) }),
                      !usage.variants.contains(variant) else { continue }
                let chosenForUnit = usage.variants.contains { chosen in
                    inForce.contains { $0.unit == row.unit && $0.variant.map(PriceLabels.split)?.contains(chosen) == true }
                }
                if !chosenForUnit { usage.variants.append(variant) }
            }
        }

        // What the call gives a quantity for, by unit, and which units it does not use.
        let pricedUnits = uniqued(inForce.map(\.unit))
        let allUnits = uniqued(rows.map(\.unit))
        // In the order of cost's options (then by name), so the one named in an error is always the same.
        let optionOrder = Measure.given.map(\.name)
        let orderedMeasures = usage.measures.keys.sorted { a, b in
            let (x, y) = (optionOrder.firstIndex(of: a) ?? optionOrder.count, optionOrder.firstIndex(of: b) ?? optionOrder.count)
            return x != y ? x < y : a < b
        }
        for measure in orderedMeasures {
            let time = measure == "seconds" || measure == "minutes"
            let priced = allUnits.contains { unit in
                let m = measureOf[unit] ?? ""
                return m == measure || (time && (m == "seconds" || m == "minutes"))
            }
            if !priced && !(measure.hasSuffix("_tokens") && allUnits.contains { $0.hasSuffix("_token") }) {
                throw RegDBError.pricing("\(label) is not priced per \(Registry.describe(measure: measure)); it is priced per: \(allUnits.joined(separator: ", "))")
            }
        }
        for unit in usage.units.keys.sorted() where !allUnits.contains(unit) && !unit.hasSuffix("_token") {
            guard usage.reported.contains(unit) else {
                throw RegDBError.pricing("\(label) is not priced per \(unit); it is priced per: \(allUnits.joined(separator: ", "))")
            }
            // A tool fee the route has no price for: named, not billed.
            unpriced.append(.init(unit: unit, quantity: usage.units[unit] ?? 0, billedAs: nil))
            usage.units[unit] = nil
        }
        // A reported token count the route prices only as part of a larger unit is billed at
        // that unit's rate, and said so (reasoning tokens are output tokens everywhere: not said).
        for unit in usage.units.keys.sorted() where usage.reported.contains(unit) && unit != "reasoning_token"
            && !pricedUnits.contains(unit) && (usage.units[unit] ?? 0) > 0 {
            var whole = parts.first { $0.part == unit }?.whole
            while let next = whole, !pricedUnits.contains(next) { whole = parts.first { $0.part == next }?.whole }
            unpriced.append(.init(unit: unit, quantity: usage.units[unit] ?? 0, billedAs: whole))
        }

        // Per unit, the rows of the chosen variant (else the base rows) in force at that time. A
        // unit the call gives no quantity for is left out when the call is priced by others (a
        // transcription given in seconds on a route also priced per token); per-call units alone
        // do not price a call.
        let pricedByCall = pricedUnits.contains { unit in
            let measure = measureOf[unit] ?? ""
            return measure != "calls" && usage.quantity(unit: unit, measure: measure) != nil
        }
        var selected: [(unit: String, rows: [PriceRow], quantity: Decimal, given: Bool)] = []
        for unit in pricedUnits {
            let unitRows = inForce.filter { $0.unit == unit }
            let measure = unitRows[0].measure
            // The rows whose labels the call all chose; of those, the ones naming the most.
            let chosenLabels = Set(usage.variants)
            let applicable = unitRows.compactMap { row in
                row.variant.flatMap { variant in
                    let parts = PriceLabels.split(variant)
                    return parts.allSatisfy(chosenLabels.contains) ? (variant, parts.count) : nil
                }
            }
            let most = applicable.map(\.1).max() ?? 0
            let chosenVariants = uniqued(applicable.filter { $0.1 == most }.map(\.0))
            if chosenVariants.count > 1 {
                throw RegDBError.pricing("\(label) prices \(unit) in variants \(chosenVariants.joined(separator: " and ")); choose one of them")
            }
            var chosen = unitRows.filter { $0.variant != nil && $0.variant == chosenVariants.first }
            if chosen.isEmpty { chosen = unitRows.filter { $0.variant == nil } }
            let stated = usage.quantity(unit: unit, measure: measure)
            if stated == nil && (usage.isTokenCall || pricedByCall) && !unit.hasSuffix("_token") && measure != "calls" { continue }
            if stated == nil && !usage.isTokenCall && pricedByCall && unit.hasSuffix("_token") { continue }
            guard let quantity = stated ?? (usage.isTokenCall && unit.hasSuffix("_token") ? 0 : nil) else {
                throw RegDBError.pricing("\(label) is priced per \(unit); give \(Registry.option(for: unit, measure: measure))")
            }
            if chosen.isEmpty {
                // A variant-only price applies when that variant is chosen, never by default:
                // an image-token rate is not the text rate.
                if quantity == 0 || (stated == nil) { continue }
                let unitVariants = uniqued(unitRows.compactMap(\.variant))
                let options = uniqued(unitVariants.flatMap(PriceLabels.split).map { PriceLabels.dimension(of: $0).option })
                throw RegDBError.pricing("\(label) is priced per \(unit) in variants \(unitVariants.joined(separator: ", ")); choose one with \(options.joined(separator: " and "))")
            }
            selected.append((unit, chosen, quantity, stated != nil && (usage.units[unit] != nil || measure != "calls")))
        }

        // Alternatives: of rows sharing a one_of group, the first unit the call gives counts.
        var groupWinner: [String: String] = [:]
        for entry in selected {
            for row in entry.rows {
                if let group = row.oneOf, groupWinner[group] == nil, entry.given { groupWinner[group] = entry.unit }
            }
        }
        selected = selected.compactMap { entry in
            let rows = entry.rows.filter { row in row.oneOf.map { groupWinner[$0] == entry.unit } ?? true }
            return rows.isEmpty ? nil : (entry.unit, rows, entry.quantity, entry.given)
        }

        // Tokens counted by a part the route prices are billed at the part's rate only.
        let quantities = Dictionary(selected.map { ($0.unit, $0.quantity) }, uniquingKeysWith: { a, _ in a })
        func descendants(_ unit: String) -> [String] { book.descendants[unit] ?? [] }
        var exclusiveMemo: [String: Decimal] = [:]
        func exclusive(_ unit: String) -> Decimal {
            if let known = exclusiveMemo[unit] { return known }
            var quantity = quantities[unit] ?? 0
            for part in descendants(unit) where quantities[part] != nil { quantity -= exclusive(part) }
            exclusiveMemo[unit] = quantity
            return quantity
        }
        func total(of unit: String) -> Decimal {
            if let quantity = quantities[unit] { return quantity }
            return usage.quantity(unit: unit, measure: measureOf[unit] ?? "") ?? 0
        }

        // A part never exceeds its whole, priced or not: 400 cached of 300 prompt tokens is a
        // usage counted the old way (prompt tokens without the cached ones).
        for (part, whole) in parts {
            guard let partQuantity = usage.quantity(unit: part, measure: measureOf[part] ?? ""), partQuantity > 0 else { continue }
            let wholeQuantity = usage.quantity(unit: whole, measure: measureOf[whole] ?? "") ?? 0
            if partQuantity > wholeQuantity {
                throw RegDBError.pricing("\(part) quantity \(partQuantity) exceeds the \(whole) quantity \(wholeQuantity) it is part of: \(Registry.option(for: whole, measure: measureOf[whole] ?? "")) counts every such token, cached ones included")
            }
        }

        var lines: [CostQuote.Line] = []
        for entry in selected {
            let billed = exclusive(entry.unit)
            if billed < 0 {
                let parts = descendants(entry.unit).filter { quantities[$0] != nil }
                throw RegDBError.pricing("\(parts.joined(separator: " + ")) quantities add up to more than the \(entry.unit) quantity \(entry.quantity) they are parts of")
            }
            // The base rate, or the highest "all" threshold the call passes.
            var rate: PriceRow? = entry.rows.first { $0.above == nil }
            for row in entry.rows where row.aboveBills == "all" {
                guard let above = row.above, total(of: row.aboveUnit ?? entry.unit) > above else { continue }
                if rate?.above.map({ above > $0 }) ?? true { rate = row }
            }
            // "excess" thresholds cut the quantity into segments, each at its own rate.
            let steps = entry.rows.filter { $0.aboveBills == "excess" }.sorted { ($0.above ?? 0) < ($1.above ?? 0) }
            var segments: [(from: Decimal, to: Decimal?, row: PriceRow?)] = []
            var from: Decimal = 0
            var current = rate
            for step in steps {
                guard let above = step.above else { continue }
                segments.append((from, above, current))
                from = above
                current = step
            }
            segments.append((from, nil, current))
            for segment in segments {
                let upper = segment.to.map { min($0, billed) } ?? billed
                let quantity = max(0, upper - segment.from)
                // A unit the call did not mention (cache reads of a call without any) shows no line.
                guard let row = segment.row, quantity > 0 || (segments.count == 1 && steps.isEmpty && entry.given) else { continue }
                guard let usd = row.usd else {
                    if quantity == 0 { continue }
                    throw RegDBError.pricing("\(label) has no published price per \(entry.unit)\(row.note.map { " (\($0))" } ?? "")")
                }
                lines.append(.init(unit: entry.unit, variant: row.variant, quantity: quantity, rate: usd, per: row.per,
                                   threshold: row.above, thresholdUnit: row.above == nil ? nil : row.aboveUnit ?? entry.unit,
                                   usd: Money.divided(usd * quantity, by: row.per)))
            }
        }

        var warnings: [String] = []
        if let seconds = usage.quantity(unit: "second", measure: "seconds") {
            let (maxDuration, options) = (route.maxDuration, route.durations)
            if let maxDuration, seconds > Decimal(maxDuration) {
                warnings.append("\(seconds) seconds is beyond the max_duration of \(label) (\(maxDuration) s)")
            } else if !options.isEmpty, !options.contains(where: { Decimal($0) == seconds }) {
                warnings.append("\(seconds) seconds is not a duration option of \(label) (\(options.map(String.init).joined(separator: ", ")))")
            }
        }
        var multiplier: Decimal = 1
        for entry in multipliers where usage.variants.contains(entry.variant) {
            multiplier *= Decimal(string: String(entry.factor)) ?? 1
        }
        let total = lines.reduce(Decimal(0)) { $0 + $1.usd } * multiplier
        return CostQuote(routeKey: match.routeKey, category: match.category, key: match.key,
                         at: PriceDate.stored(atSeconds), variants: usage.variants, lines: lines,
                         multiplier: multiplier, warnings: warnings, usd: total, unpriced: unpriced)
    }

    /// Adds to the call's chosen labels the resolution and quality it asks for, each checked
    /// against the ones the route knows (its price labels, and its resolution options), and
    /// for a dimension the call leaves open, the route's default where a price depends on it:
    /// the typical call is one output at the default options.
    private func chooseOptions(_ usage: inout Usage, label: String, labels: [String], pricedMeasures: Set<String>,
                               route: PriceBook.Route) throws {
        let (resolutions, defaults) = (route.resolutions, route.defaults)
        let asked: [(PriceLabels.Dimension, String?)] = [(.resolution, usage.resolution), (.quality, usage.quality)]
        for (dimension, value) in asked {
            guard let value else { continue }
            let priced = labels.filter { PriceLabels.dimension(of: $0) == dimension }
            let known = uniqued(priced + (dimension == .resolution ? resolutions : []))
            guard known.contains(value) else {
                throw RegDBError.pricing("\(label) has no \(dimension.rawValue) \"\(value)\"; its \(dimension == .quality ? "qualities" : "resolutions"): \(known.isEmpty ? "none" : known.joined(separator: ", "))")
            }
            if priced.contains(value), !usage.variants.contains(value) { usage.variants.append(value) }
        }
        // An image size the route prices by name (gpt-image: 1024x1024) selects that price.
        let sizes = Set(usage.imageSizes.map { "\($0.width)x\($0.height)" })
        if sizes.count == 1, let size = sizes.first, labels.contains(size),
           !usage.variants.contains(where: { PriceLabels.dimension(of: $0) == .resolution }) {
            usage.variants.append(size)
        }
        for entry in defaults {
            guard let (dimension, name) = PriceLabels.label(ofDefault: entry.name, value: entry.value), labels.contains(name),
                  !usage.variants.contains(where: { PriceLabels.dimension(of: $0) == dimension }) else { continue }
            usage.variants.append(name)
        }
        // A call that gives no quantity at all is the typical call: one output, of the route's
        // default duration where it is priced by time.
        if usage.measures.isEmpty, usage.units.isEmpty, usage.imageSizes.isEmpty {
            if !pricedMeasures.isDisjoint(with: ["images", "megapixels"]) { usage.measures["images"] = 1 }
            if pricedMeasures.contains("seconds"), case .integer(let seconds)? = defaults.first(where: { $0.name == "duration" })?.value,
               seconds > 0 {
                usage.measures["seconds"] = Decimal(seconds)
            }
        }
        // Priced by the megapixel and given images but no size: the route's default image size.
        if usage.imageSizes.isEmpty, pricedMeasures.contains("megapixels"), usage.measures["megapixels"] == nil,
           let images = usage.measures["images"], let preset = defaults.first(where: { $0.name == "image_size" })?.value.stringValue,
           let size = FalCall.imageSizePresets[preset] ?? PixelSize(preset) {
            usage.imageSizes = [size]
            usage.imagesPerSize = max(1, Int64(truncating: images as NSDecimalNumber))
        }
        try usage.countImages(pricedMeasures: pricedMeasures, label: label)
    }

    /// The option that gives a unit's quantity, for messages.
    static func option(for unit: String, measure: String) -> String {
        guard let given = Measure.given.first(where: { $0.name == measure }) else { return "--usage \(unit)=N" }
        return given.option + (given.alternatives.isEmpty ? "" : " (or " + given.alternatives.replacingOccurrences(of: "UNIT", with: unit) + ")")
    }

    static func describe(measure: String) -> String {
        switch measure {
        case "seconds", "minutes": return "second or minute"
        default: return measure.hasSuffix("s") ? String(measure.dropLast()).replacingOccurrences(of: "_", with: " ") : measure
        }
    }

    private func dateRanges(_ rows: [PriceRow]) -> String {
        uniqued(rows.map { "\($0.validFrom ?? "…")–\($0.validUntil ?? "…")" }).joined(separator: ", ")
    }
}

/// The width and height of an image, in pixels.
public struct PixelSize: Sendable, Equatable {
    public var width: Int64
    public var height: Int64

    public init(width: Int64, height: Int64) {
        self.width = width
        self.height = height
    }

    /// `1920x1080` (or `1920×1080`); nil unless both are whole numbers from 1 to 100,000.
    public init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == "x" || $0 == "X" || $0 == "×" })
        guard parts.count == 2, let width = Int64(parts[0]), let height = Int64(parts[1]),
              (1...100_000).contains(width), (1...100_000).contains(height) else { return nil }
        self.init(width: width, height: height)
    }

    /// The megapixels fal bills an image of this size: whole megapixels of 1,048,576 pixels
    /// (1024x1024 is one), rounded up.
    public var billedMegapixels: Int64 {
        (width * height + PixelSize.megapixel - 1) / PixelSize.megapixel
    }

    static let megapixel: Int64 = 1 << 20
}

extension Usage {
    /// Turns the output images' sizes into the quantities the route is priced in: megapixels
    /// (each image's rounded up), pixels, images. A quantity the call gives itself stays.
    mutating func countImages(pricedMeasures: Set<String>, label: String) throws {
        if imageSizes.isEmpty, measures["images"] != nil, measures["megapixels"] == nil, !pricedMeasures.contains("images"),
           pricedMeasures.contains("megapixels") {
            throw RegDBError.pricing("\(label) is priced per megapixel; give --size WIDTHxHEIGHT, --megapixels, or a fal result with the images' sizes")
        }
        guard !imageSizes.isEmpty else { return }
        let known = pricedMeasures.intersection(["megapixels", "pixels", "images"])
        guard !known.isEmpty else {
            throw RegDBError.pricing("\(label) is not priced by image size; it is priced per: \(pricedMeasures.sorted().joined(separator: ", "))")
        }
        let each = Decimal(imagesPerSize)
        if known.contains("megapixels"), measures["megapixels"] == nil {
            measures["megapixels"] = Decimal(imageSizes.reduce(0) { $0 + $1.billedMegapixels }) * each
        }
        if known.contains("pixels"), measures["pixels"] == nil {
            measures["pixels"] = Decimal(imageSizes.reduce(0) { $0 + $1.width * $1.height }) * each
        }
        if known.contains("images"), measures["images"] == nil { measures["images"] = Decimal(imageSizes.count) * each }
        // The image count was the size's multiplier; it is not also a quantity of its own.
        if !known.contains("images") { measures["images"] = nil }
    }
}

/// One `price` row as `cost` reads it, rates in decimal.
struct PriceRow: Sendable {
    var unit: String
    var measure: String
    var variant: String?
    var usd: Decimal?
    var per: Int64
    var above: Decimal?
    var aboveUnit: String?
    var aboveBills: String?
    var validFrom: String?
    var validUntil: String?
    /// The same in Unix seconds, as `price_line` gives them.
    var validFromSeconds: Int64?
    var validUntilSeconds: Int64?
    /// When the variant applies by itself (off-peak hours); nil only when chosen.
    var window: [PriceWindow]?
    var oneOf: String?
    var note: String?

    init(_ row: Row) {
        unit = row["unit"]
        measure = row["measure"]
        variant = row["variant"]
        usd = (row["usd"] as Double?).flatMap(PriceRow.decimal)
        per = row["per"]
        above = (row["above"] as Double?).flatMap(PriceRow.decimal)
        aboveUnit = row["above_unit"]
        aboveBills = row["above_bills"]
        validFrom = row["valid_from"]
        validUntil = row["valid_until"]
        validFromSeconds = row["valid_from_s"]
        validUntilSeconds = row["valid_until_s"]
        window = (row["window"] as String?).flatMap(PriceWindow.parse)
        oneOf = row["one_of"]
        note = row["note"]
    }

    /// A stored REAL as the decimal it was written as (2.5e-06 → 0.0000025, not its binary neighbour).
    static func decimal(_ value: Double) -> Decimal? {
        guard value.isFinite else { return nil }
        return Decimal(string: String(value))
    }

    func applies(at seconds: Int64) -> Bool {
        if let start = validFromSeconds, seconds < start { return false }
        if let end = validUntilSeconds, seconds >= end { return false }
        return true
    }
}

extension CostQuote: Renderable {
    /// One row per billed line, then the multiplier (if any) and the total.
    public var table: ResultTable {
        var rows: [[JSONValue]] = lines.map { line in
            [.string(line.unit), line.variant.map(JSONValue.string) ?? .null, .string("\(line.quantity)"),
             .string(line.rateText), line.threshold.map { .string("> \($0) \(line.thresholdUnit ?? "")") } ?? .null,
             .string(Money.text(line.usd))]
        }
        if multiplier != 1 {
            rows.append([.string("multiplier"), .string(variants.joined(separator: ",")), .string("\(multiplier)"), .null, .null, .null])
        }
        rows.append([.string("total"), .null, .null, .null, .null, .string(Money.text(usd))])
        return ResultTable(columns: ["unit", "variant", "quantity", "rate", "threshold", "usd"], rows: rows)
    }

    public var heading: String? { "\(routeKey), priced for \(at)" }

    public var json: JSONValue {
        .object([
            ("category", category.map(JSONValue.string) ?? .null),
            ("key", key.map(JSONValue.string) ?? .null),
            ("route_key", .string(routeKey)),
            ("at", .string(at)),
            ("variants", .array(variants.map(JSONValue.string))),
            ("usd", Money.number(usd)),
            ("multiplier", Money.number(multiplier)),
            ("lines", .array(lines.map { line in
                .object([("unit", .string(line.unit)), ("variant", line.variant.map(JSONValue.string) ?? .null),
                         ("quantity", Money.number(line.quantity)), ("rate", Money.number(line.rate)), ("per", .integer(line.per)),
                         ("threshold", line.threshold.map(Money.number) ?? .null),
                         ("threshold_unit", line.thresholdUnit.map(JSONValue.string) ?? .null),
                         ("usd", Money.number(line.usd))])
            })),
            ("unpriced", .array(unpriced.map { item in
                .object([("unit", .string(item.unit)), ("variant", item.variant.map(JSONValue.string) ?? .null),
                         ("quantity", Money.number(item.quantity)), ("billed_as", item.billedAs.map(JSONValue.string) ?? .null)])
            })),
        ])
    }
}

extension CostQuote.Line {
    /// `$2.5 / 1M`.
    public var rateText: String {
        let per = per == 1 ? "" : per == 1_000_000 ? " / 1M" : per == 1000 ? " / 1k" : " / \(per)"
        return "$\(rate)\(per)"
    }
}

/// Prices calls against one registry that does not change (a published copy a server reads):
/// each name is resolved and each route's prices read once, the first time a call needs them,
/// and every later call is computation alone, on any thread.
public final class Pricer: @unchecked Sendable {
    private let registry: Registry
    private let lock = NSLock()
    private var book: PriceBook

    public init(_ registry: Registry) throws {
        self.registry = registry
        book = try PriceBook(registry)
    }

    public func cost(_ name: String, category: String? = nil, usage: Usage) throws -> CostQuote {
        let known: PriceBook = try lock.withLock {
            if !book.knows(name, category: category) { try book.learn(registry, names: [(name, category)]) }
            return book
        }
        return try registry.quote(name, category: category, usage: usage, book: known)
    }
}

/// A call to price: the name of its route, the category the name is a key in, and its usage.
public struct PricedCall: Sendable {
    public var name: String
    public var category: String?
    public var usage: Usage

    public init(name: String, category: String? = nil, usage: Usage) {
        self.name = name
        self.category = category
        self.usage = usage
    }
}

/// What pricing reads from the registry, read once for a batch of calls: the units and what
/// each is part of, each name's route, and each of those routes' price lines (`price_line`),
/// multipliers, resolutions, defaults and durations. Read in one transaction; pricing then reads
/// only this (it runs on other threads, outside the transaction).
struct PriceBook: Sendable {
    struct Route: Sendable {
        var rows: [PriceRow] = []
        var multipliers: [(variant: String, factor: Double)] = []
        var resolutions: [String] = []
        var defaults: [(name: String, value: JSONValue)] = []
        var maxDuration: Int64?
        var durations: [Int64] = []
    }

    let units: [(id: String, measure: String)]
    let parts: [(part: String, whole: String)]
    let measureOf: [String: String]
    /// Unit → every unit counted inside it (its parts, their parts…), nearest first.
    let descendants: [String: [String]]
    private var matches: [String: Result<RouteMatch, RegDBError>] = [:]
    private var routes: [Int64: Route] = [:]

    /// Above this many routes, every route's rows are read in one query per table rather than
    /// one query per route.
    private static let wholeTables = 64

    private static func key(_ name: String, _ category: String?) -> String { (category ?? "") + "\u{0}" + name }

    private static func descendants(_ parts: [(part: String, whole: String)]) -> [String: [String]] {
        let partsOf = Dictionary(grouping: parts, by: \.whole).mapValues { $0.map(\.part) }
        return partsOf.keys.reduce(into: [:]) { result, unit in
            var seen: [String] = []
            var queue = partsOf[unit] ?? []
            while let next = queue.first {
                queue.removeFirst()
                if seen.contains(next) { continue }
                seen.append(next)
                queue += partsOf[next] ?? []
            }
            result[unit] = seen
        }
    }

    /// A unit that is, through `unit_part`, a part of itself (a hand edit: the schema's rows
    /// have none); nil when there is none. Pricing with such a vocabulary would never end.
    var partOfItself: String? { descendants.keys.sorted().first { descendants[$0]?.contains($0) ?? false } }

    /// The units and what each is part of; no names yet (`learn`).
    init(_ registry: Registry) throws {
        (units, parts) = try registry.read { db in
            (try Row.fetchAll(db, sql: "SELECT id, measure FROM unit").map { (id: $0["id"] as String, measure: $0["measure"] as String) },
             try Row.fetchAll(db, sql: "SELECT part, whole FROM unit_part").map { (part: $0["part"] as String, whole: $0["whole"] as String) })
        }
        measureOf = Dictionary(units.map { ($0.id, $0.measure) }, uniquingKeysWith: { a, _ in a })
        descendants = Self.descendants(parts)
    }

    /// Resolves each name not seen yet (as `find` does, with `preferred`) and reads the routes
    /// they reach: each one's rows, or every route's at once when many are new.
    mutating func learn(_ registry: Registry, names: [(name: String, category: String?)]) throws {
        try registry.snapshot {
            for (name, category) in names where matches[Self.key(name, category)] == nil {
                let result: Result<RouteMatch, RegDBError>
                do {
                    let found = try registry.find(name, category: category, preferred: true)
                    if Set(found.map(\.routeKey)).count == 1, let match = found.first {
                        result = .success(match)
                    } else {
                        result = .failure(.ambiguous(name: name, candidates: found.map(\.candidate)))
                    }
                } catch let error as RegDBError {
                    result = .failure(error)
                }
                matches[Self.key(name, category)] = result
            }
            let missing = Set(matches.values.compactMap { try? $0.get().routeID }).subtracting(routes.keys)
            guard !missing.isEmpty else { return }
            try registry.read { db in
                let whole = missing.count > Self.wholeTables
                let filter = whole ? "" : "WHERE route_id IN (SELECT value FROM json_each(?))"
                let arguments: StatementArguments = whole ? [] : [JSONValue.array(missing.sorted().map { .integer($0) }).jsonText]
                var read: [Int64: Route] = [:]
                func rows(_ sql: String) throws -> [(Int64, Row)] {
                    try Row.fetchAll(db, sql: sql, arguments: arguments).map { ($0["route_id"], $0) }
                }
                for id in missing { read[id] = Route() }
                for (id, row) in try rows("SELECT * FROM price_line \(filter) ORDER BY route_id, position") {
                    read[id, default: Route()].rows.append(PriceRow(row))
                }
                for (id, row) in try rows("SELECT route_id, variant, factor FROM price_multiplier \(filter) ORDER BY route_id, position") {
                    read[id, default: Route()].multipliers.append((row["variant"], row["factor"]))
                }
                for (id, row) in try rows("SELECT route_id, value FROM route_resolution \(filter) ORDER BY route_id, position") {
                    read[id, default: Route()].resolutions.append(row["value"])
                }
                for (id, row) in try rows("SELECT route_id, name, value FROM route_default \(filter) ORDER BY route_id, position") {
                    if let value = try? JSONParser.parse(row["value"] as String) { read[id, default: Route()].defaults.append((row["name"], value)) }
                }
                for (id, row) in try rows("SELECT route_id, seconds FROM route_duration \(filter) ORDER BY route_id, seconds") {
                    read[id, default: Route()].durations.append(row["seconds"])
                }
                let durationFilter = whole ? "WHERE max_duration IS NOT NULL" : "WHERE id IN (SELECT value FROM json_each(?))"
                for row in try Row.fetchAll(db, sql: "SELECT id AS route_id, max_duration FROM route \(durationFilter)", arguments: arguments) {
                    read[row["route_id"], default: Route()].maxDuration = row["max_duration"]
                }
                // Every route read once: a route already known keeps its rows.
                routes.merge(read) { known, _ in known }
            }
        }
    }

    func knows(_ name: String, category: String?) -> Bool { matches[Self.key(name, category)] != nil }

    /// The one route a name prices; its error when it has none (unknown, ambiguous).
    func match(_ name: String, category: String?) throws -> RouteMatch {
        guard let result = matches[Self.key(name, category)] else { throw RegDBError.pricing("\(name) was not looked up") }
        return try result.get()
    }

    func route(_ id: Int64) -> Route { routes[id] ?? Route() }
}
