import Foundation
import Yams

/// The orchestrator's registry YAML (design doc 002; reference-data/lattice-registry.yaml):
///
///     version: 1.0                      # a YAML float, not a string
///     providers:
///       openai:
///         models:
///           gpt-4o: {api_name, context_window, input_cost, output_cost,   # USD per 1M tokens
///                    reasoning_score, coding_score, speed_rating,
///                    maturity: PRODUCTION, status: ACTIVE, capabilities: [function_calling, vision]}
///
/// The lifecycle status is `status:` (design doc 002) or `maturity:` (the
/// orchestrator's YAML), any case; a value that is not a lifecycle status
/// (ACTIVE, GA) and every field without a column are kept in metadata, as
/// written. The flat `models: [{id, provider, …}]` shape the design doc
/// proposes is read too, and a provider's base_url, auth and env_vars.
///
/// Scores are kept from 0 to 1. A source declares its scale with `score_scale:` (one number
/// for every score, or a mapping by field: `{reasoning_score: 100, speed_rating: 10}`);
/// without it, the orchestrator's flat `reasoning_score` and `coding_score` are out of 100
/// and `speed_rating` out of 10, and the design doc's `capabilities: {coding_score: 0.95}` out
/// of 1. A score that is no number, negative or above its scale is a warning, and kept in
/// metadata as written, as is a capability that is neither true/false nor a score.
enum RegistryYAML {
    static func convert(bytes: [UInt8], diagnostics: CatalogDiagnostics) throws -> JSONValue {
        // Invalid UTF-8 is refused, as in JSON, never replaced.
        guard let text = String(validating: bytes, as: UTF8.self) else {
            var valid = 0
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): valid += UTF8.width(scalar)
                case .emptyInput, .error: break decoding
                }
            }
            throw RegDBError.violations([Violation(file: diagnostics.file, path: nil, rule: "utf8",
                                                   message: "the file is not valid UTF-8 (first bad byte at offset \(valid))")])
        }
        let root: JSONValue
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw RegDBError.violations([Violation(file: diagnostics.file, path: .root, rule: "yaml", message: "the file is empty")])
            }
            var budget = RegistryYAML.nodeLimit
            root = try json(node, budget: &budget, file: diagnostics.file)
        } catch let error as YamlError {
            // One line, and never the whole offending line of a huge file.
            let message = "\(error)".split(separator: "\n").joined(separator: " ")
            throw RegDBError.violations([Violation(file: diagnostics.file, path: nil, rule: "yaml",
                                                   message: message.count > 300 ? String(message.prefix(300)) + "…" : message)])
        }
        guard case .object = root else {
            throw RegDBError.violations([Violation(file: diagnostics.file, path: .root, rule: "not-a-registry",
                                                   message: "expected a mapping with providers or models, found \(root.typeName)")])
        }
        let scales = scoreScales(root["score_scale"], diagnostics)
        var providers: [String] = []
        var models: [JSONValue] = []
        var providerDocuments: [String: JSONValue] = [:]
        if case .object(let byProvider)? = root["providers"] {
            for (provider, body) in byProvider {
                providers.append(provider)
                providerDocuments[provider] = providerConfiguration(provider, body)
                guard case .object(let entries)? = body["models"] else { continue }
                for (key, entry) in entries {
                    let path = JSONPath.root.appending("providers").appending(provider).appending("models").appending(key)
                    if let model = model(id: key, provider: provider, entry: entry, path: path, scales, diagnostics) { models.append(model) }
                }
            }
        }
        if case .array(let list)? = root["models"] {
            for (index, entry) in list.enumerated() {
                let path = JSONPath.root.appending("models").appending(index)
                guard let id = entry["id"]?.stringValue, let provider = entry["provider"]?.stringValue else {
                    diagnostics.warn(path, "required", "a model needs id and provider; skipped")
                    continue
                }
                if !providers.contains(provider) { providers.append(provider) }
                if let model = model(id: id, provider: provider, entry: entry, path: path, scales, diagnostics) { models.append(model) }
            }
        }
        return .object([
            ("providers", .array(providers.map { providerDocuments[$0] ?? .object([("id", .string($0))]) })),
            ("models", .array(models)),
        ])
    }

    /// A provider's configuration (design doc 002): its name, base URL, how it
    /// authenticates and the environment variables that hold its keys, by name
    /// (`env_vars: [OPENAI_API_KEY]` or `api_key_env: OPENAI_API_KEY`); never a key itself.
    private static func providerConfiguration(_ id: String, _ body: JSONValue) -> JSONValue {
        var provider = Fields()
        provider.set("id", .string(id))
        provider.text("name", body["display_name"]?.stringValue ?? body["name"]?.stringValue)
        provider.text("base_url", body["base_url"]?.stringValue)
        provider.text("auth", body["auth"]?.stringValue)
        provider.text("docs_url", body["docs_url"]?.stringValue)
        var variables: [String] = []
        if case .array(let names)? = body["env_vars"] { variables += names.compactMap(\.stringValue) }
        if let single = body["api_key_env"]?.stringValue, !variables.contains(single) { variables.append(single) }
        if !variables.isEmpty { provider.set("env_vars", .array(variables.map(JSONValue.string))) }
        return provider.object
    }

    /// Fields that become columns; any other field (or one of these whose value
    /// has no column, such as `maturity: GA`) is kept in the model's metadata.
    private static let converted: Set = [
        "api_name", "context_window", "input_cost", "output_cost", "cost_per_1k_input", "cost_per_1k_output",
        "capabilities", "display_name", "id", "provider",
    ]
    private static let lifecycle = ["production", "beta", "experimental", "deprecated"]

    /// The flat fields that hold scores, the name each is kept under and its usual scale.
    private static let flatScores: [(field: String, name: String, scale: Double)] = [
        ("reasoning_score", "reasoning", 100), ("coding_score", "coding", 100), ("speed_rating", "speed", 10),
    ]

    /// The declared `score_scale`: a number for every score field, or a mapping by field.
    struct ScoreScales {
        var every: Double?
        var byField: [String: Double] = [:]

        func scale(_ field: String, usual: Double) -> Double { byField[field] ?? every ?? usual }
    }

    private static func scoreScales(_ value: JSONValue?, _ diagnostics: CatalogDiagnostics) -> ScoreScales {
        var scales = ScoreScales()
        let path = JSONPath.root.appending("score_scale")
        func positive(_ value: JSONValue, _ at: JSONPath) -> Double? {
            if let number = value.doubleValue, number > 0, number.isFinite { return number }
            diagnostics.warn(at, "score-scale", "a score scale is a number above 0, found \(value.jsonText); the usual scale is used")
            return nil
        }
        switch value {
        case nil, .null?: break
        case .object(let members)?:
            for (field, scale) in members { scales.byField[field] = positive(scale, path.appending(field)) }
        case let other?:
            scales.every = positive(other, path)
        }
        return scales
    }

    /// A score on its source's scale as one from 0 to 1, or a warning and nil.
    private static func score(_ value: JSONValue, field: String, scale: Double, at path: JSONPath,
                              _ diagnostics: CatalogDiagnostics) -> JSONValue? {
        guard let number = value.doubleValue, number.isFinite else {
            diagnostics.warn(path, "score", "\(field) \(value.jsonText) is not a number; kept in metadata, not as a score")
            return nil
        }
        guard number >= 0, number <= scale else {
            diagnostics.warn(path, "score", "\(field) \(value.jsonText) is outside its scale 0 to \(scale == scale.rounded() && abs(scale) < 1e15 ? String(Int64(scale)) : "\(scale)") (declare score_scale if the file uses another); kept in metadata, not as a score")
            return nil
        }
        guard scale != 1 else { return .number(number) }
        // In decimal, so 95 out of 100 is 0.95 as written, not 0.9500000000000001.
        let converted = Decimal(string: "\(number)").map { "\($0 / Decimal(scale))" }.flatMap(Double.init) ?? number / scale
        return .number(converted)
    }

    private static func model(id: String, provider: String, entry: JSONValue, path: JSONPath,
                              _ scales: ScoreScales, _ diagnostics: CatalogDiagnostics) -> JSONValue? {
        guard case .object(let fields) = entry else {
            diagnostics.warn(path, "type", "a model must be a mapping, found \(entry.typeName); skipped")
            return nil
        }
        var model = Fields()
        var used = converted
        model.set("id", .string(id))
        model.text("name", entry["display_name"]?.stringValue)
        // The lifecycle status: design doc 002's `status:`, or `maturity:` as the orchestrator's YAML
        // calls it (where `status: ACTIVE` means something else), in any case. A value that is no
        // lifecycle status (ACTIVE, GA) stays in metadata as written.
        var statuses: [(field: String, status: String)] = []
        var others: [(field: String, value: String)] = []
        for field in ["status", "maturity"] {
            guard let value = entry[field]?.stringValue else { continue }
            if lifecycle.contains(value.lowercased()) {
                statuses.append((field, value.lowercased()))
                used.insert(field)
            } else {
                others.append((field, value))
            }
        }
        // `maturity: BETA` beside `status: ACTIVE` is the orchestrator's usual pair: only a model
        // left without any lifecycle status is worth a warning.
        if statuses.isEmpty, let other = others.first {
            diagnostics.warn(path.appending(other.field), "unknown-status",
                             "\(other.field) \(other.value) is not a lifecycle status (\(lifecycle.joined(separator: ", "))); kept in metadata")
        }
        if let first = statuses.first {
            model.set("status", .string(first.status))
            // Design doc 002's schema has no successor field: a deprecated model is said so, not refused.
            if first.status == "deprecated" && entry["successor"] == nil {
                diagnostics.warn(path.appending(first.field), "lifecycle",
                                 "model \(id) is deprecated without a successor (the YAML has no successor field); imported as deprecated")
            }
            if let other = statuses.dropFirst().first, other.status != first.status {
                diagnostics.warn(path.appending(other.field), "conflict",
                                 "status \(first.status) and maturity \(other.status) disagree; the status is \(first.status), maturity kept in metadata")
                used.remove(other.field)
            }
        }
        var scores = Fields()
        var capabilities = Fields()
        for (key, name, usual) in flatScores {
            guard let value = entry[key] else { continue }
            if let converted = score(value, field: key, scale: scales.scale(key, usual: usual), at: path.appending(key), diagnostics) {
                scores.set(name, converted)
                used.insert(key)
            }
        }
        var unusable = Fields()
        switch entry["capabilities"] {
        case .array(let names)?:
            for name in names.compactMap(\.stringValue) { capabilities.set(name, .bool(true)) }
        case .object(let members)?:
            // The design doc's shape mixes scores and flags: {coding_score: 0.95, supports_vision: true}.
            for (name, value) in members {
                let at = path.appending("capabilities").appending(name)
                if case .bool = value {
                    capabilities.set(name.hasPrefix("supports_") ? String(name.dropFirst(9)) : name, value)
                } else if name.hasSuffix("_score") || value.doubleValue != nil {
                    if let converted = score(value, field: name, scale: scales.scale(name, usual: 1), at: at, diagnostics) {
                        scores.set(name.hasSuffix("_score") ? String(name.dropLast(6)) : name, converted)
                    } else {
                        unusable.set(name, value)
                    }
                } else {
                    diagnostics.warn(at, "type", "\(name) \(value.jsonText) is neither true/false nor a score; kept in metadata")
                    unusable.set(name, value)
                }
            }
        default:
            break
        }
        if !scores.members.isEmpty { model.set("scores", scores.object) }
        var metadata = fields.filter { !used.contains($0.key) }
        if !unusable.members.isEmpty { metadata.append((key: "capabilities", value: unusable.object)) }
        if !metadata.isEmpty { model.set("metadata", .object(metadata)) }

        var route = Fields()
        let wire = entry["api_name"]?.stringValue ?? id
        route.set("route", .string(provider + "/" + wire))
        route.set("categories", .object([("chat", .string(id))]))
        if let window = diagnostics.limit(entry["context_window"], at: path.appending("context_window")) {
            route.set("context_window", .integer(window))
        }
        var pricing: [JSONValue] = []
        for (unit, perMillion, perThousand) in [("input_token", "input_cost", "cost_per_1k_input"),
                                                ("output_token", "output_cost", "cost_per_1k_output")] {
            if let usd = diagnostics.price(entry[perMillion], at: path.appending(perMillion)) {
                pricing.append(Fields.priceRow(unit: unit, usd: usd, per: 1_000_000))
            } else if let usd = diagnostics.price(entry[perThousand], at: path.appending(perThousand)) {
                pricing.append(Fields.priceRow(unit: unit, usd: usd, per: 1_000))
            }
        }
        if !pricing.isEmpty { route.set("pricing", .array(pricing)) }
        if !capabilities.members.isEmpty { route.set("capabilities", capabilities.object) }
        model.set("routes", .array([route.object]))
        return model.object
    }

    /// A YAML node as JSON: mappings keep their order; scalars by their resolved tag.
    /// Nodes a file may expand to: aliases can make a few hundred bytes into 10^9 nodes.
    static let nodeLimit = 1_000_000

    /// The JSON a node stands for, every alias expanded, within `budget` nodes
    /// and at most `JSONParser.maxDepth` levels deep: libyaml bounds each collection's nesting,
    /// but an alias nested inside another's nesting goes deeper than any one does.
    static func json(_ node: Node, budget: inout Int, file: String, depth: Int = 0) throws -> JSONValue {
        budget -= 1
        guard budget >= 0 else {
            throw RegDBError.violations([Violation(file: file, path: nil, rule: "yaml-size",
                                                   message: "the file expands to more than \(nodeLimit) nodes (aliases repeated inside aliases?); refused")])
        }
        guard depth < JSONParser.maxDepth else {
            throw RegDBError.violations([Violation(file: file, path: nil, rule: "yaml-size",
                                                   message: "the file nests deeper than \(JSONParser.maxDepth) levels (aliases inside aliases?); refused")])
        }
        switch node {
        case .mapping(let mapping):
            var members: [(String, JSONValue)] = []
            for (key, value) in mapping {
                guard let name = key.scalar?.string else {
                    let line = key.mark.map { " (line \($0.line))" } ?? ""
                    throw RegDBError.violations([Violation(file: file, path: nil, rule: "yaml",
                                                           message: "a mapping key must be a plain value, not a list or mapping\(line)")])
                }
                members.append((name, try json(value, budget: &budget, file: file, depth: depth + 1)))
            }
            return .object(members)
        case .sequence(let sequence):
            return .array(try sequence.map { try json($0, budget: &budget, file: file, depth: depth + 1) })
        case .scalar(let scalar):
            switch node.tag.description {
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool": return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case "tag:yaml.org,2002:int": return node.int.map { .integer(Int64($0)) } ?? .string(scalar.string)
            // JSON has no .nan or .inf: they stay the text they were, so a message can quote them.
            case "tag:yaml.org,2002:float": return node.float.flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .alias:
            return .null
        }
    }
}
