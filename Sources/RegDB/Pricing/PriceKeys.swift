import Foundation

/// The unit and variant a LiteLLM price key names.
struct PriceSlot: Equatable {
    var unit: String
    var variant: String?
    /// Prompt tokens above which this price bills the whole request (`_above_200k_tokens`).
    var above: Double?

    init(unit: String, variant: String?, above: Double? = nil) {
        self.unit = unit
        self.variant = variant
        self.above = above
    }

    /// The same price under a variant family: `off_peak` + `audio` → `off_peak_audio`.
    func prefixed(_ prefix: String) -> PriceSlot {
        PriceSlot(unit: unit, variant: variant.map { prefix + "_" + $0 } ?? prefix, above: above)
    }

    /// Token units of a kind LiteLLM prices apart: (unit, kind) → the unit of those tokens.
    private static let kindUnits: [String: String] = [
        "input_token|audio": "input_audio_token", "input_token|image": "input_image_token",
        "input_token|video": "input_video_token", "output_token|audio": "output_audio_token",
        "output_token|image": "output_image_token", "output_token|reasoning": "reasoning_token",
        "cache_read_token|audio": "cache_read_audio_token",
    ]

    /// LiteLLM's service-tier and cache-lifetime suffixes under the variant names every
    /// importer uses: batch, flex, priority, cache_1h (a one-hour cache write becomes the
    /// unit cache_write_1h_token).
    private static let variantNames: [Substring: String] = ["batches": "batch", "above_1hr": "cache_1h", "above_12hr": "cache_12h"]

    /// Token kinds LiteLLM prices separately (`input_cost_per_audio_token`).
    private static let tokenKinds: Set = ["audio", "image", "video", "reasoning"]

    /// Parses a price key; nil when it is no price of a known unit (it then stays in metadata).
    init?(field: String) {
        // cache_read_input_[kind_]token_cost[_suffix], cache_creation_…, explicit_cache_read_…
        if field.hasPrefix("cache_") || field.hasPrefix("explicit_cache_"), let range = field.asciiRange(of: "_token_cost") {
            var head = Substring(field[..<range.lowerBound])
            let suffix = field[range.upperBound...]
            var prefix: String?
            if head.hasPrefix("explicit_") {
                prefix = "explicit"
                head = head.dropFirst(9)
            }
            let unit: String
            if head.hasPrefix("cache_read_input") {
                unit = "cache_read_token"
                head = head.dropFirst(16)
            } else if head.hasPrefix("cache_creation_input") {
                unit = "cache_write_token"
                head = head.dropFirst(20)
            } else {
                return nil
            }
            var kind: Substring?
            if !head.isEmpty {
                guard head.hasPrefix("_"), PriceSlot.tokenKinds.contains(String(head.dropFirst())) else { return nil }
                kind = head.dropFirst()
            }
            guard let sfx = PriceSlot.suffix(suffix), let tail = PriceSlot.threshold(sfx) else { return nil }
            var tokenUnit = unit
            if let kind {
                guard let kindUnit = PriceSlot.kindUnits[unit + "|" + kind] else { return nil }
                tokenUnit = kindUnit
            }
            // A write to the one-hour cache is its own unit (Anthropic reports it apart), not a
            // variant: a call may write to both caches.
            var variant = PriceSlot.join(prefix.map { Substring($0) }, tail.variant)
            if tokenUnit == "cache_write_token" && variant == "cache_1h" {
                tokenUnit = "cache_write_1h_token"
                variant = nil
            }
            self.init(unit: tokenUnit, variant: variant, above: tail.above)
            return
        }
        // <name>_cost_per_<measure>, or cost_per_<measure> (no name).
        let name: Substring
        let measure: Substring
        if field.hasPrefix("cost_per_") {
            name = ""
            measure = field.dropFirst(9)
        } else if let range = field.asciiRange(of: "_cost_per_") {
            name = field[..<range.lowerBound]
            measure = field[range.upperBound...]
        } else {
            return nil
        }
        let io = name == "input" ? "input" : name == "output" || name.isEmpty ? "output" : nil
        func after(_ word: String, in text: Substring) -> Substring?? {
            guard text.hasPrefix(word) else { return nil }
            let rest = text.dropFirst(word.count)
            guard let sfx = PriceSlot.suffix(rest) else { return nil }
            return .some(sfx)
        }
        // Tokens and seconds may carry a kind first: audio_token, video_per_second.
        var kind: Substring?
        var body = measure
        if let underscore = measure.firstIndex(of: "_") {
            let head = measure[..<underscore]
            let tail = measure[measure.index(after: underscore)...]
            if PriceSlot.tokenKinds.contains(String(head)), tail.hasPrefix("token") || tail.hasPrefix("per_second") {
                kind = head
                body = tail.hasPrefix("per_second") ? tail.dropFirst(4) : tail
            }
        }
        let unit: String
        var family: Substring?
        var sfx: Substring?
        if let s = after("token", in: body), name == "input" || name == "output" {
            unit = name == "input" ? "input_token" : "output_token"
            sfx = s
        } else if let s = after("second", in: body), let io {
            unit = io == "input" ? "input_second" : "second"
            sfx = s
        } else if kind == nil, let s = after("image", in: body), let io {
            unit = io == "input" ? "input_image" : "image"
            sfx = s
        } else if kind == nil, let s = after("pixel", in: body), let io {
            unit = io == "input" ? "input_pixel" : "pixel"
            sfx = s
        } else if kind == nil, let s = after("character", in: body), let io, !name.isEmpty {
            unit = io == "input" ? "character" : "output_character"
            sfx = s
        } else if kind == nil, let s = after("query", in: body), !name.isEmpty {
            unit = "query"
            family = name == "input" ? nil : name
            sfx = s
        } else if kind == nil, let s = after("request", in: body), !name.isEmpty {
            unit = "request"
            family = io == nil ? name : nil
            sfx = s
        } else if kind == nil, let s = after("page", in: body), !name.isEmpty {
            unit = "page"
            family = name == "input" || name == "ocr" ? nil : name
            sfx = s
        } else {
            return nil
        }
        // A kind is only meaningful for tokens and seconds; "input_dbu" and the like are no unit at all.
        if kind != nil && unit != "input_token" && unit != "output_token" && unit != "input_second" && unit != "second" {
            return nil
        }
        guard let tail = PriceSlot.threshold(sfx) else { return nil }
        if let kind, unit.hasSuffix("_token") {
            // Audio, image, video and reasoning tokens are units of their own, parts of the prompt or completion.
            guard let kindUnit = PriceSlot.kindUnits[unit + "|" + kind] else { return nil }
            self.init(unit: kindUnit, variant: PriceSlot.join(family, tail.variant), above: tail.above)
        } else {
            self.init(unit: unit, variant: PriceSlot.join(family, kind, tail.variant), above: tail.above)
        }
    }

    /// Splits a suffix into a prompt-token threshold (`above_200k_tokens`) and what is left,
    /// the variant, under its common name (`batches` → `batch`). Nil when the threshold does
    /// not read as a number.
    static func threshold(_ suffix: Substring?) -> (above: Double?, variant: Substring?)? {
        guard let suffix else { return (nil, nil) }
        var parts = suffix.split(separator: "_", omittingEmptySubsequences: false).map { Substring($0) }
        var above: Double?
        var index = 0
        while index + 2 < parts.count {
            if parts[index] == "above", parts[index + 2] == "tokens" {
                let count = parts[index + 1]
                let scale: Double = count.hasSuffix("k") ? 1_000 : count.hasSuffix("m") ? 1_000_000 : 1
                let digits = scale == 1 ? count : count.dropLast()
                guard let number = Double(digits), number >= 0 else { return nil }
                above = number * scale
                parts.removeSubrange(index...(index + 2))
            } else {
                index += 1
            }
        }
        var rest = parts.joined(separator: "_")
        for (from, to) in variantNames {
            if rest == Substring(from) { rest = to } else if rest.hasPrefix(from + "_") { rest = to + String(rest.dropFirst(from.count)) }
            else if rest.hasSuffix("_" + from) { rest = String(rest.dropLast(from.count)) + to }
        }
        return (above, rest.isEmpty ? nil : Substring(rest))
    }

    /// "" → no suffix; "_batches" → "batches"; anything else is not a suffix.
    private static func suffix(_ text: Substring) -> Substring?? {
        if text.isEmpty { return .some(nil) }
        guard text.hasPrefix("_"), text.count > 1 else { return nil }
        return .some(text.dropFirst())
    }

    private static func join(_ parts: Substring?...) -> String? {
        let present = parts.compactMap { $0 }.filter { !$0.isEmpty }
        return present.isEmpty ? nil : present.joined(separator: "_")
    }
}

extension String {
    /// The first occurrence of an ASCII `needle`, found byte by byte (Foundation's
    /// `range(of:)` costs far more, and a catalog asks it of every key).
    func asciiRange(of needle: String) -> Range<String.Index>? {
        let bytes = utf8
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var start = bytes.startIndex
        while let at = bytes[start...].firstIndex(of: first) {
            var end = at
            var matched = true
            for byte in pattern {
                guard end < bytes.endIndex, bytes[end] == byte else { matched = false; break }
                end = bytes.index(after: end)
            }
            if matched { return at..<end }
            start = bytes.index(after: at)
        }
        return nil
    }
}

/// Price keys parsed once per catalog: LiteLLM repeats a few dozen key names
/// across thousands of entries. Shared by the cores converting one catalog.
final class PriceKeyCache: @unchecked Sendable {
    private var parsed: [String: PriceSlot?] = [:]
    private let lock = NSLock()

    subscript(field: String) -> PriceSlot? {
        if let known = lock.withLock({ parsed[field] }) { return known }
        let slot = PriceSlot(field: field)
        lock.withLock { parsed[field] = slot }
        return slot
    }
}
