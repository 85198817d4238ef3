import Foundation

/// OpenRouter's model list (`GET https://openrouter.ai/api/v1/models`, public, no key):
///
///     {"data": [{"id": "anthropic/claude-sonnet-4", "canonical_slug": "anthropic/claude-4-sonnet-20250522",
///                "name": "Anthropic: Claude Sonnet 4", "context_length": 200000,
///                "pricing": {"prompt": "0.000003", "completion": "0.000015", "input_cache_read": "0.0000003",
///                            "overrides": [{"min_prompt_tokens": 200000, "prompt": "0.000006", …}]},
///                "top_provider": {"context_length": 200000, "max_completion_tokens": 64000, "is_moderated": true},
///                "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["text"], …},
///                "supported_parameters": ["tools", "reasoning", …]}, …],
///      "total_count": 460, "links": {"next": null}}
///
/// Each entry is the route `openrouter/<id>` (a `:free` or `:batch` variant is a route of its
/// own: it is a wire id one calls, with its own prices). Like the other catalogs, a route names
/// no model: the wire id is the canonical id unless a curated source maps it, and the
/// `canonical_slug` stays in metadata.
///
/// Prices are strings of USD per token (per request, per search); they are read as decimals
/// and shifted, never multiplied in binary, so "0.0000025" is exactly $2.5 per million.
/// prompt, completion, input_cache_read, input_cache_write, input_cache_write_1h,
/// internal_reasoning and audio are token units per million; request and web_search are per
/// call. "-1" (a router's dynamic price) is no price, said with a warning. Each `overrides`
/// entry with only `min_prompt_tokens` as its condition is a threshold: past that many prompt
/// tokens its rates bill the whole request (the providers behind those overrides bill long
/// prompts so). Any other key or condition with a non-zero value (image, image_output,
/// discount, a time window) is a price regdb has no unit for: kept in metadata and warned
/// about, never dropped in silence.
///
/// `context_length` is the context window (a `docs` observation),
/// `top_provider.max_completion_tokens` the output limit, `architecture.input_modalities`
/// the input modalities; a model with text output is listed in category `chat`.
/// `supported_parameters` is kept whole in metadata and read for capabilities: `tools` is
/// tool_call, `structured_outputs` structured_output, `reasoning` the route's reasoning flag.
/// The display name loses OpenRouter's "Maker: " prefix, kept as `maker_label`. Every other
/// field is kept in metadata as given.
enum OpenRouterCatalog: CatalogConverter {
    /// Price keys → (unit, per).
    private static let priceUnits: [String: (unit: String, per: Int64)] = [
        "prompt": ("input_token", 1_000_000),
        "completion": ("output_token", 1_000_000),
        "input_cache_read": ("cache_read_token", 1_000_000),
        "input_cache_write": ("cache_write_token", 1_000_000),
        "input_cache_write_1h": ("cache_write_1h_token", 1_000_000),
        "internal_reasoning": ("reasoning_token", 1_000_000),
        "audio": ("input_audio_token", 1_000_000),
        "request": ("request", 1),
        "web_search": ("web_search_request", 1),
    ]
    private static let parameterCapabilities = ["tools": "tool_call", "structured_outputs": "structured_output"]

    /// Whether `json` looks like OpenRouter's list: {"data": [{"id", "pricing", …}]}.
    static func looksLike(_ json: JSONValue?) -> Bool {
        guard case .array(let items)? = json?["data"], let first = items.first else { return false }
        return first["id"]?.stringValue != nil && first["pricing"] != nil
            && (first["context_length"] != nil || first["architecture"] != nil || first["canonical_slug"] != nil)
    }

    static func convert(_ json: JSONValue, diagnostics: CatalogDiagnostics) throws -> JSONValue {
        let listPath = JSONPath.root.appending("data")
        guard case .array(let entries)? = json["data"] else {
            throw RegDBError.violations([Violation(file: diagnostics.file, path: json["data"] == nil ? .root : listPath, rule: "openrouter-shape",
                message: "expected OpenRouter's model list {\"data\": [{\"id\": …, \"pricing\": {…}}]}, found \(json["data"]?.typeName ?? json.typeName)")])
        }
        var routes: [JSONValue] = []
        var seen: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let path = listPath.appending(index)
            guard case .object(let fields) = entry else {
                diagnostics.warn(path, "type", "a model must be an object, found \(entry.typeName); skipped")
                continue
            }
            guard let id = entry["id"]?.stringValue, ObjectReader.identifierProblem(id) == nil else {
                diagnostics.warn(path.appending("id"), "identifier", "a model must have an id of plain text; skipped")
                continue
            }
            let key = "openrouter/" + id
            if let first = seen[key] {
                diagnostics.warn(path, "duplicate-route", "route \(key) is listed twice (first at \(listPath.appending(first))); the first counts")
                continue
            }
            seen[key] = index
            routes.append(route(key, fields: fields, path: path, diagnostics))
        }
        return .object([
            ("providers", .array([.object([
                ("id", .string("openrouter")), ("name", .string("OpenRouter")),
                ("base_url", .string("https://openrouter.ai/api/v1")), ("auth", .string("bearer")),
                ("env_vars", .array([.string("OPENROUTER_API_KEY")])), ("docs_url", .string("https://openrouter.ai/docs")),
            ])])),
            ("routes", .array(routes)),
        ])
    }

    private static func route(_ key: String, fields: [(key: String, value: JSONValue)], path: JSONPath,
                              _ diagnostics: CatalogDiagnostics) -> JSONValue {
        var route = Fields()
        route.set("route", .string(key))
        var prices = PriceRows()
        var metadata = Fields()
        var capabilities = Fields()
        var name: String?
        var contextWindow: Int64?
        var maxOutput: Int64?
        var inputModalities: JSONValue?
        var textOutput = false
        var reasoning: Bool?
        for (field, value) in fields {
            let fieldPath = path.appending(field)
            switch (field, value) {
            case ("id", _):
                break
            case ("name", .string(let text)):
                // "Anthropic: Claude Sonnet 4": the maker's label, then the model's name.
                if let colon = text.firstIndex(of: ":"), text[text.index(after: colon)...].hasPrefix(" ") {
                    metadata.set("maker_label", .string(String(text[..<colon])))
                    name = String(text[text.index(colon, offsetBy: 2)...])
                } else {
                    name = text
                }
            case ("context_length", _):
                contextWindow = diagnostics.limit(value, at: fieldPath)
            case ("pricing", .object(let members)):
                var rest = Fields()
                self.prices(members, fieldPath, above: nil, &prices, diagnostics, leftover: &rest)
                if !rest.members.isEmpty { metadata.set("pricing", rest.object) }
            case ("top_provider", .object(let members)):
                for (name, limit) in members where name == "max_completion_tokens" && limit != .null {
                    maxOutput = diagnostics.limit(limit, at: fieldPath.appending(name))
                }
                metadata.set(field, value)
            case ("architecture", .object(let members)):
                for (name, list) in members {
                    guard case .array(let items) = list, items.allSatisfy({ $0.stringValue != nil }) else { continue }
                    if name == "input_modalities" { inputModalities = list }
                    if name == "output_modalities" { textOutput = items.contains(.string("text")) }
                }
                metadata.set(field, value)
            case ("supported_parameters", .array(let items)):
                let names = Set(items.compactMap(\.stringValue))
                for (parameter, capability) in parameterCapabilities.sorted(by: { $0.key < $1.key }) {
                    capabilities.set(capability, .bool(names.contains(parameter)))
                }
                reasoning = names.contains("reasoning")
                metadata.set(field, value)
            default:
                metadata.set(field, value)
            }
        }
        route.text("name", name)
        if textOutput { route.set("categories", .object([("chat", .string(key))])) }
        route.setCatalogFacts(contextWindow: contextWindow, maxOutput: maxOutput, prices: prices, reasoning: reasoning,
                              inputModalities: inputModalities, capabilities: capabilities)
        if !metadata.members.isEmpty { route.set("metadata", metadata.object) }
        return route.object
    }

    /// The rows of a pricing object (and of its overrides, as thresholds above `above` prompt
    /// tokens); what is no price regdb reads goes to `leftover`, with a warning when non-zero.
    private static func prices(_ members: [(key: String, value: JSONValue)], _ path: JSONPath, above: Double?,
                               _ rows: inout PriceRows, _ diagnostics: CatalogDiagnostics, leftover: inout Fields) {
        for (name, value) in members {
            let fieldPath = path.appending(name)
            if let (unit, per) = priceUnits[name] {
                rows.add(PriceSlot(unit: unit, variant: nil, above: above), scaled(value, by: per), fieldPath,
                         field: "pricing." + name, per: per, diagnostics, leftover: &leftover)
            } else if above == nil, name == "overrides", case .array(let overrides) = value {
                var unread: [JSONValue] = []
                for (index, override) in overrides.enumerated() {
                    let overridePath = fieldPath.appending(index)
                    guard case .object(let parts) = override, let minimum = override["min_prompt_tokens"]?.doubleValue, minimum > 0,
                          parts.allSatisfy({ $0.key == "min_prompt_tokens" || priceUnits[$0.key] != nil }) else {
                        diagnostics.warn(overridePath, "unmapped-price",
                                         "an override on another condition than min_prompt_tokens alone is a price regdb has no rule for; kept in metadata")
                        unread.append(override)
                        continue
                    }
                    var rest = Fields()
                    prices(parts.filter { $0.key != "min_prompt_tokens" }, overridePath, above: minimum, &rows, diagnostics, leftover: &rest)
                }
                if !unread.isEmpty { leftover.set(name, .array(unread)) }
            } else {
                if !isZero(value) {
                    diagnostics.warn(fieldPath, "unmapped-price", "pricing.\(name) is a price regdb has no unit for; kept in metadata")
                }
                leftover.set(name, value)
            }
        }
    }

    /// "0.0000025" per token → 2.5 per million: the decimal point moved, not a binary product.
    /// A value that is no decimal is passed on as given, for the price reader to refuse aloud.
    static func scaled(_ value: JSONValue, by per: Int64) -> JSONValue {
        let shift = String(per).count - 1
        switch value {
        case .string(let text):
            // "-1" (a router's dynamic price) goes on as given: the price reader says what it was.
            guard !text.hasPrefix("-"), let moved = shiftDecimal(text, by: shift), let number = Double(moved) else { return value }
            return .number(number)
        case .integer(let i):
            return shift == 0 ? value : .number(Double(i) * Double(per))
        case .number(let d):
            guard shift > 0, let moved = shiftDecimal(String(d), by: shift), let number = Double(moved) else { return value }
            return .number(number)
        default:
            return value
        }
    }

    /// Moves the decimal point of a plain decimal ("-1", "0.000003", "1e-6" is refused) `places`
    /// to the right.
    static func shiftDecimal(_ text: String, by places: Int) -> String? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var sign = ""
        if digits.first == "-" { sign = "-"; digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard !digits.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        let whole = String(parts[0])
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        if fraction.count < places { fraction += String(repeating: "0", count: places - fraction.count) }
        let integer = whole + fraction.prefix(places)
        let rest = fraction.dropFirst(places)
        return sign + (integer.isEmpty ? "0" : integer) + (rest.isEmpty ? "" : "." + rest)
    }

    private static func isZero(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return true
        case .integer(let i): return i == 0
        case .number(let d): return d == 0
        case .string(let text): return Double(text) == 0
        case .array(let items): return items.isEmpty
        case .object(let members): return members.isEmpty
        default: return false
        }
    }
}
