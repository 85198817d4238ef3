/// A Tinker server's `GET /api/v1/get_server_capabilities` response, in the
/// three shapes seen in the field (reference-data/README.md):
///
///     {"supported_models": [{"model_name": "…", "max_context_length": 32768, "trainable": true, "sampleable": true}]}
///     {"supported_models": ["Qwen/Qwen3-8B", …]}                  (older servers: bare names)
///     {"supported_models": [{"model_id": "…", "arch": "…"}]}      (older clients)
///
/// Every field is optional. A context length is a `server` observation.
/// Routes are `tinker/<model name>`; nothing is known of their canonical id
/// beyond the name, so the name stands (design doc 004's fallback).
enum TinkerCapabilities: CatalogConverter {
    static let provider = "tinker"

    static func convert(_ json: JSONValue, diagnostics: CatalogDiagnostics) throws -> JSONValue {
        try routes(json, provider: provider, diagnostics: diagnostics)
    }

    /// Native seed JSON for the models listed, as routes of `provider`.
    static func routes(_ json: JSONValue, provider: String, providerName: String = "Tinker",
                       diagnostics: CatalogDiagnostics) throws -> JSONValue {
        let listKey = ["supported_models", "models", "capabilities"].first { json[$0] != nil }
        let list: [JSONValue]
        var base = JSONPath.root
        switch (json, listKey) {
        case (.array(let items), _):
            list = items
        case (_, let key?):
            guard case .array(let items)? = json[key] else {
                throw shape(diagnostics, JSONPath.root.appending(key), "expected a list of models, found \(json[key]?.typeName ?? "nothing")")
            }
            list = items
            base = base.appending(key)
        default:
            throw shape(diagnostics, .root, "expected {\"supported_models\": [...]}, found \(json.typeName)")
        }
        var routes: [JSONValue] = []
        var seen = Set<String>()
        for (index, item) in list.enumerated() {
            let path = base.appending(index)
            var route = Fields()
            var name: String?
            var metadata: [(key: String, value: JSONValue)] = []
            switch item {
            case .string(let bare):
                name = bare
            case .object(let fields):
                name = item["model_name"]?.stringValue ?? item["model_id"]?.stringValue
                if let window = diagnostics.limit(item["max_context_length"], at: path.appending("max_context_length")) {
                    route.set("context_window", .integer(window))
                    route.set("context_window_source", .string("server"))
                }
                var capabilities = Fields()
                for flag in ["trainable", "sampleable"] {
                    if case .bool(let value)? = item[flag] { capabilities.set(flag, .bool(value)) }
                }
                if !capabilities.members.isEmpty { route.set("capabilities", capabilities.object) }
                let known: Set = ["model_name", "max_context_length", "trainable", "sampleable"]
                metadata = fields.filter { !known.contains($0.key) && !($0.key == "model_id" && item["model_name"] == nil) }
                // Design doc 003's enums: a value outside one is said and left out; the server's
                // other fields still count ("the registry never blocks the server").
                metadata.removeAll { field in
                    guard let allowed = enums[field.key], !(field.value.stringValue.map(allowed.contains) ?? false) else { return false }
                    if case .object = field.value { return false }
                    if case .array = field.value { return false }
                    diagnostics.warn(path.appending(field.key), "enum",
                                     "\(field.key) \(field.value.jsonText) is not one of \(allowed.joined(separator: ", ")); left out")
                    return true
                }
            default:
                diagnostics.warn(path, "type", "a model must be a name or an object, found \(item.typeName); skipped")
                continue
            }
            guard let name, !name.isEmpty, ObjectReader.identifierProblem(name) == nil else {
                diagnostics.warn(path, "required", "a model without a usable model_name or model_id; skipped")
                continue
            }
            guard seen.insert(name).inserted else {
                diagnostics.warn(path, "duplicate-value", "\(name) is listed twice; the first entry counts")
                continue
            }
            route.members.insert(("route", .string(provider + "/" + name)), at: 0)
            if !metadata.isEmpty { route.set("metadata", .object(metadata)) }
            routes.append(route.object)
        }
        return .object([
            ("providers", .array([.object([("id", .string(provider)), ("name", .string(providerName))])])),
            ("routes", .array(routes)),
        ])
    }

    /// The values schema.sql allows for route.metadata's enums (design doc 003).
    static let enums: [String: [String]] = [
        "training_type": ["base", "instruction", "reasoning", "hybrid", "vision"],
        "architecture": ["dense", "moe"],
        "size": ["compact", "small", "medium", "large"],
    ]

    private static func shape(_ diagnostics: CatalogDiagnostics, _ path: JSONPath, _ message: String) -> RegDBError {
        .violations([Violation(file: diagnostics.file, path: path, rule: "tinker-shape", message: message)])
    }
}
