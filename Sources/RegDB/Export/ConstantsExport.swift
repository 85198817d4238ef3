import GRDB

/// Languages `regdb export constants` writes modules in.
public enum ConstantsLanguage: String, CaseIterable, Sendable {
    case python, typescript, swift, elixir
}

/// What one constants module holds: the models of one or more categories, or of a package (design
/// doc 000's provider packages, the table `package_category`: a named set of categories).
public enum ConstantsSelection: Equatable, Sendable {
    case categories([String])
    case package(String)
}

/// What one constant of design doc 000 holds, so each language can give it a type.
enum ConstantShape {
    /// A list of keys.
    case keys
    /// key → string.
    case strings
    /// key → list of integers (durations).
    case integers
    /// key → list of strings (aspect ratios, resolutions).
    case stringLists
    /// key → JSON object (pricing, defaults).
    case objects
    /// key → MODEL_INFO record.
    case info
    /// key → a number (USD).
    case number
    /// key → a whole number (seconds).
    case integer
}

/// One constant: its names in each language, the view it comes from, and its shape.
struct ConstantSpec {
    /// Python and TypeScript name (the name design doc 000's files use).
    var name: String
    /// Swift name (lowerCamelCase).
    var swiftName: String
    var view: String
    /// The view's value column.
    var column: String
    var shape: ConstantShape
    var summary: String

    /// The nine of design doc 000's per-category modules, then the five its
    /// pipeline module kept (extended parameters and features, input
    /// requirements, cost and time estimates); every module has all fourteen.
    static let all: [ConstantSpec] = [
        .init(name: "SUPPORTED_MODELS", swiftName: "supportedModels", view: "category_models", column: "key", shape: .keys,
              summary: "every key of the category, in seed order"),
        .init(name: "MODEL_ENDPOINTS", swiftName: "modelEndpoints", view: "model_endpoints", column: "endpoint", shape: .strings,
              summary: "key → endpoint the call goes to"),
        .init(name: "MODEL_DISPLAY_NAMES", swiftName: "modelDisplayNames", view: "model_display_names", column: "name", shape: .strings,
              summary: "key → display name"),
        .init(name: "MODEL_PRICING", swiftName: "modelPricing", view: "model_pricing", column: "pricing", shape: .objects,
              summary: "key → prices in USD ({\"per_second\": 0.1}, {\"per_second\": {\"audio\": 0.4, …}})"),
        .init(name: "DURATION_OPTIONS", swiftName: "durationOptions", view: "duration_options", column: "options", shape: .integers,
              summary: "key → durations in whole seconds, ascending"),
        .init(name: "RESOLUTION_OPTIONS", swiftName: "resolutionOptions", view: "resolution_options", column: "options",
              shape: .stringLists, summary: "key → resolutions"),
        .init(name: "ASPECT_RATIO_OPTIONS", swiftName: "aspectRatioOptions", view: "aspect_ratio_options", column: "options",
              shape: .stringLists, summary: "key → aspect ratios"),
        .init(name: "DEFAULT_VALUES", swiftName: "defaultValues", view: "default_values", column: "defaults", shape: .objects,
              summary: "key → default request parameters"),
        .init(name: "MODEL_INFO", swiftName: "modelInfo", view: "model_info", column: "", shape: .info,
              summary: "key → name, provider, description, max_duration, features"),
        .init(name: "EXTENDED_PARAMS", swiftName: "extendedParams", view: "extended_params", column: "params", shape: .stringLists,
              summary: "key → extra request parameters it takes"),
        .init(name: "EXTENDED_FEATURES", swiftName: "extendedFeatures", view: "extended_features", column: "features", shape: .objects,
              summary: "key → input features it supports ({\"start_frame\": true, …})"),
        .init(name: "INPUT_REQUIREMENTS", swiftName: "inputRequirements", view: "input_requirements", column: "requirements",
              shape: .objects, summary: "key → required and optional inputs"),
        .init(name: "COST_ESTIMATES", swiftName: "costEstimates", view: "cost_estimates", column: "usd", shape: .number,
              summary: "key → typical USD cost of one call"),
        .init(name: "PROCESSING_TIME_ESTIMATES", swiftName: "processingTimeEstimates", view: "processing_time_estimates",
              column: "seconds", shape: .integer, summary: "key → typical wall time of one call, seconds"),
    ]
}

/// The constants of one module (a category, several, or a package), read from the views, in view order.
struct CategoryConstants {
    /// The module's name: its category, its categories joined by "+", or its package.
    var category: String
    var description: String
    /// Per constant name: (key, value) in view order. SUPPORTED_MODELS values are the keys themselves.
    var entries: [String: [(key: String, value: JSONValue)]]

    func entries(of spec: ConstantSpec) -> [(key: String, value: JSONValue)] { entries[spec.name] ?? [] }
}

extension Registry {
    /// Categories that list at least one route, in id order: the modules
    /// `regdb export constants` writes when no category is named.
    public func exportCategories() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT category FROM category_models ORDER BY category") }
    }

    /// One constants module as text (ending in a newline). The category must be
    /// known; one without routes gives empty constants.
    /// `durationStrings`: DURATION_OPTIONS as lists of strings ("5"), as the
    /// pipeline's old modules had them, for code that compares them with strings.
    public func exportConstants(language: ConstantsLanguage, category: String, durationStrings: Bool = false) throws -> String {
        try exportConstants(language: language, selection: .categories([category]), durationStrings: durationStrings)
    }

    /// One module holding every model of the categories chosen (or of the package's), each
    /// constant's entries category by category in the order given. A key two of the categories
    /// give different values for is an error naming both: nothing is dropped in silence.
    public func exportConstants(language: ConstantsLanguage, selection: ConstantsSelection, durationStrings: Bool = false) throws -> String {
        try constantsFile(language: language, selection: selection, durationStrings: durationStrings).text
    }

    /// The module of `selection`, named as it is written into an output directory.
    public func constantsFile(language: ConstantsLanguage, selection: ConstantsSelection, durationStrings: Bool = false) throws -> ExportedFile {
        let module = try loadModule(selection)
        let renderer = ConstantsRenderer(constants: module, language: language, durationStrings: durationStrings, selection: selection)
        return ExportedFile(name: renderer.fileName, text: renderer.render())
    }

    /// The packages and their categories, in order: what `--package` accepts.
    public func exportPackages() throws -> [(package: String, categories: [String])] {
        try read { db in
            var packages: [(package: String, categories: [String])] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT p.id, pc.category_id FROM package p LEFT JOIN package_category pc ON pc.package_id = p.id
                ORDER BY p.id, pc.position, pc.category_id
                """) {
                let id: String = row[0]
                if packages.last?.package != id { packages.append((id, [])) }
                if let category: String = row[1] { packages[packages.count - 1].categories.append(category) }
            }
            return packages
        }
    }

    /// The constants of `selection` merged into one module.
    func loadModule(_ selection: ConstantsSelection) throws -> CategoryConstants {
        let categories: [String]
        let name: String
        let description: String
        switch selection {
        case .categories(let chosen):
            categories = chosen.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            name = categories.joined(separator: "+")
            description = ""
        case .package(let package):
            let packages = try exportPackages()
            guard let found = packages.first(where: { $0.package == package }) else {
                throw RegDBError.unknownValue(kind: "package", value: package, known: packages.map(\.package))
            }
            categories = found.categories
            name = package
            description = "the package of " + categories.joined(separator: ", ")
        }
        let parts = try loadConstants(categories: categories)
        if parts.count == 1, case .categories = selection { return parts[0] }
        var entries: [String: [(key: String, value: JSONValue)]] = [:]
        for spec in ConstantSpec.all {
            var merged: [(key: String, value: JSONValue)] = []
            var from: [String: (category: String, value: JSONValue)] = [:]
            for part in parts {
                for entry in part.entries(of: spec) {
                    if let earlier = from[entry.key] {
                        guard earlier.value == entry.value else {
                            throw RegDBError.pricing("\(spec.name)[\"\(entry.key)\"] differs between categories \(earlier.category) and \(part.category); one module cannot hold both (export them apart)")
                        }
                        continue
                    }
                    from[entry.key] = (part.category, entry.value)
                    merged.append(entry)
                }
            }
            entries[spec.name] = merged
        }
        return CategoryConstants(category: name, description: description, entries: entries)
    }

    /// Modules of `categories` (default: every category with routes), named as
    /// they are written into an output directory.
    public func exportConstantsFiles(language: ConstantsLanguage, categories: [String]? = nil,
                                     durationStrings: Bool = false) throws -> [ExportedFile] {
        try loadConstants(categories: categories ?? exportCategories()).map { constants in
            let renderer = ConstantsRenderer(constants: constants, language: language, durationStrings: durationStrings)
            return ExportedFile(name: renderer.fileName, text: renderer.render())
        }
    }

    /// Reads the views once each, whole (so rows keep the views' own order), and
    /// splits them by category.
    func loadConstants(categories: [String]) throws -> [CategoryConstants] {
        try read { db in
            let known = try Dictionary(Row.fetchAll(db, sql: "SELECT id, description FROM category ORDER BY id").map {
                ($0["id"] as String, $0["description"] as String)
            }, uniquingKeysWith: { first, _ in first })
            for category in categories where known[category] == nil {
                throw RegDBError.unknownValue(kind: "category", value: category, known: known.keys.sorted())
            }
            var byCategory: [String: [String: [(key: String, value: JSONValue)]]] = [:]
            for spec in ConstantSpec.all {
                let sql = spec.shape == .info
                    ? "SELECT category, key, name, provider, description, max_duration, features FROM model_info"
                    : "SELECT category, key, \(spec.column) AS value FROM \(spec.view)"
                for row in try Row.fetchAll(db, sql: sql) {
                    let category: String = row["category"]
                    let value: JSONValue
                    switch spec.shape {
                    case .keys, .strings:
                        value = .string(row["value"] as String? ?? "")
                    case .objects, .integers, .stringLists:
                        value = Registry.parsedJSON(row["value"])
                    case .number:
                        value = (row["value"] as Double?).map(JSONValue.number) ?? .null
                    case .integer:
                        value = (row["value"] as Int64?).map(JSONValue.integer) ?? .null
                    case .info:
                        value = .object([
                            ("name", (row["name"] as String?).map(JSONValue.string) ?? .null),
                            ("provider", (row["provider"] as String?).map(JSONValue.string) ?? .null),
                            ("description", (row["description"] as String?).map(JSONValue.string) ?? .null),
                            ("max_duration", (row["max_duration"] as Int64?).map(JSONValue.integer) ?? .null),
                            ("features", Registry.parsedJSON(row["features"])),
                        ])
                    }
                    byCategory[category, default: [:]][spec.name, default: []].append((row["key"], value))
                }
            }
            return categories.map { category in
                CategoryConstants(category: category, description: known[category] ?? "", entries: byCategory[category] ?? [:])
            }
        }
    }

    /// A JSON column's value; text that does not parse (never, under the schema's rules) reads as null.
    static func parsedJSON(_ text: String?) -> JSONValue {
        guard let text, let value = try? JSONParser.parse(text) else { return .null }
        return value
    }
}

/// Writes one category's constants as a Python, TypeScript or Swift module.
///
/// Output is a pure function of the views: no timestamps, keys in view order,
/// numbers in the shortest form that reads back as the same value, so two runs
/// on one registry give the same bytes.
struct ConstantsRenderer {
    var constants: CategoryConstants
    var language: ConstantsLanguage
    /// DURATION_OPTIONS as strings ("5"), as the pipeline's old modules had them.
    var durationStrings = false
    /// What the module holds, as its header's command names it.
    var selection: ConstantsSelection?

    var request: ExportRequest {
        .constants(language: language, selection: selection ?? .categories([constants.category]), durationStrings: durationStrings)
    }

    /// A constant's entries, durations as strings when asked for.
    private func entries(of spec: ConstantSpec) -> [(key: String, value: JSONValue)] {
        let entries = constants.entries(of: spec)
        guard durationStrings, spec.shape == .integers else { return entries }
        return entries.map { ($0.key, .array(SwiftSource.items($0.value).map { .string($0.integerText ?? $0.jsonText) })) }
    }

    /// The shape a constant is written in: durations as strings are string lists.
    private func shape(of spec: ConstantSpec) -> ConstantShape {
        durationStrings && spec.shape == .integers ? .stringLists : spec.shape
    }

    /// `text_to_video.py`, `text_to_video.ts`, `TextToVideo.swift`.
    var fileName: String {
        switch language {
        case .python: return ConstantsRenderer.snakeName(constants.category) + ".py"
        case .typescript: return ConstantsRenderer.snakeName(constants.category) + ".ts"
        case .swift: return ConstantsRenderer.upperCamel(constants.category) + ".swift"
        case .elixir: return ConstantsRenderer.snakeName(constants.category) + ".ex"
        }
    }

    /// The Swift enum holding the constants: `TextToVideoConstants`.
    var swiftTypeName: String { ConstantsRenderer.upperCamel(constants.category) + "Constants" }

    func render() -> String {
        switch language {
        case .python: return python()
        case .typescript: return typescript()
        case .swift: return swift()
        case .elixir: return elixir()
        }
    }

    /// The category and its description as a comment body, on one line.
    private var title: String {
        let description = constants.description.map { $0.isNewline ? " " : $0 }
        return description.isEmpty ? "\(constants.category)." : "\(constants.category): \(String(description))."
    }

    // MARK: - Python

    private func python() -> String {
        var out = ExportRequest.header(request) { "# " + $0 } + "\n"
        out += "# \(title)\n"
        out += "# Model constants read from the regdb registry's views (category_models, model_endpoints, …), in seed order.\n"
        out += "\nfrom __future__ import annotations\n\nfrom typing import Any\n"
        for spec in ConstantSpec.all {
            let entries = entries(of: spec)
            let type: String
            switch shape(of: spec) {
            case .keys: type = "list[str]"
            case .strings: type = "dict[str, str]"
            case .integers: type = "dict[str, list[int]]"
            case .stringLists: type = "dict[str, list[str]]"
            case .objects, .info: type = "dict[str, dict[str, Any]]"
            case .number: type = "dict[str, float]"
            case .integer: type = "dict[str, int]"
            }
            out += "\n# \(spec.summary)\n"
            if spec.shape == .keys {
                out += "\(spec.name): \(type) = " + block("[", "]", entries.map { Python.literal(.string($0.key)) }, indent: "    ")
            } else {
                out += "\(spec.name): \(type) = " + block("{", "}", entries.map {
                    Python.literal(.string($0.key)) + ": " + Python.literal($0.value)
                }, indent: "    ")
            }
        }
        return out
    }

    // MARK: - TypeScript

    private func typescript() -> String {
        var out = ExportRequest.header(request) { "// " + $0 } + "\n"
        out += "// \(title)\n"
        out += "// Model constants read from the regdb registry's views (category_models, model_endpoints, …), in seed order;\n"
        out += "// names as in the Python modules.\n"
        out += "\n/** A JSON value as the registry stores it: prices, defaults. */\n"
        out += "export type JSONValue = null | boolean | number | string | readonly JSONValue[] | { readonly [key: string]: JSONValue };\n"
        out += "\n/** One entry of MODEL_INFO. */\n"
        out += "export type ModelInfo = { readonly name: string; readonly provider: string; readonly description: string | null; "
            + "readonly max_duration: number | null; readonly features: readonly string[] };\n"
        for spec in ConstantSpec.all {
            let entries = entries(of: spec)
            out += "\n/** \(spec.summary.replacingOccurrences(of: "*/", with: "* /")) */\n"
            if spec.shape == .keys {
                out += "export const \(spec.name) = " + block("[", "] as const", entries.map { TypeScript.literal(.string($0.key)) }, indent: "  ")
                out += "\nexport type SupportedModel = (typeof SUPPORTED_MODELS)[number];\n"
                continue
            }
            let type: String
            switch shape(of: spec) {
            case .keys, .strings: type = "string"
            case .integers: type = "readonly number[]"
            case .stringLists: type = "readonly string[]"
            case .objects: type = "{ readonly [key: string]: JSONValue }"
            case .info: type = "ModelInfo"
            case .number, .integer: type = "number"
            }
            out += "export const \(spec.name): Readonly<Record<string, \(type)>> = " + block("{", "}", entries.map {
                TypeScript.literal(.string($0.key)) + ": " + TypeScript.literal($0.value)
            }, indent: "  ")
        }
        return out
    }

    // MARK: - Swift

    private func swift() -> String {
        var out = ExportRequest.header(request) { "// " + $0 } + "\n"
        out += "// \(title)\n"
        out += "// Model constants read from the regdb registry's views (category_models, model_endpoints, …); names are\n"
        out += "// the Python ones in lowerCamelCase (SUPPORTED_MODELS is supportedModels). Dictionaries do not keep\n"
        out += "// order: supportedModels gives the seed order.\n"
        out += """

            /// The model constants of \(constants.category).
            public enum \(swiftTypeName) {
                /// A JSON value as the registry stores it (prices, defaults); objects keep the registry's key order.
                public enum Value: Sendable, Equatable {
                    case null
                    case bool(Bool)
                    case int(Int)
                    case double(Double)
                    case string(String)
                    case array([Value])
                    case object([(key: String, value: Value)])

                    /// The member named `key` when this is an object.
                    public subscript(key: String) -> Value? {
                        guard case .object(let members) = self else { return nil }
                        return members.first { $0.key == key }?.value
                    }

                    public static func == (lhs: Value, rhs: Value) -> Bool {
                        switch (lhs, rhs) {
                        case (.null, .null): return true
                        case let (.bool(a), .bool(b)): return a == b
                        case let (.int(a), .int(b)): return a == b
                        case let (.double(a), .double(b)): return a == b
                        case let (.string(a), .string(b)): return a == b
                        case let (.array(a), .array(b)): return a == b
                        case let (.object(a), .object(b)):
                            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
                        default: return false
                        }
                    }
                }

                /// One entry of modelInfo.
                public struct ModelInfo: Sendable, Equatable {
                    public let name: String
                    public let provider: String
                    public let description: String?
                    public let maxDuration: Int?
                    public let features: [String]
                }

            """
        for spec in ConstantSpec.all {
            let entries = entries(of: spec)
            out += "\n    /// \(spec.name): \(spec.summary)\n"
            let key = { (entry: (key: String, value: JSONValue)) in SwiftSource.string(entry.key) }
            switch shape(of: spec) {
            case .keys:
                out += "    public static let \(spec.swiftName): [String] = "
                    + block("[", "]", entries.map(key), indent: "        ", base: "    ")
            case .strings:
                out += "    public static let \(spec.swiftName): [String: String] = "
                    + dictionary(entries.map { key($0) + ": " + SwiftSource.string($0.value.stringValue ?? "") })
            case .integers:
                out += "    public static let \(spec.swiftName): [String: [Int]] = "
                    + dictionary(entries.map { entry in
                        key(entry) + ": [" + SwiftSource.items(entry.value).compactMap { item -> String? in
                            if case .integer(let i) = item { return String(i) }
                            return nil
                        }.joined(separator: ", ") + "]"
                    })
            case .stringLists:
                out += "    public static let \(spec.swiftName): [String: [String]] = "
                    + dictionary(entries.map { entry in
                        key(entry) + ": [" + SwiftSource.items(entry.value).compactMap { $0.stringValue.map(SwiftSource.string) }
                            .joined(separator: ", ") + "]"
                    })
            case .objects:
                out += "    public static let \(spec.swiftName): [String: Value] = "
                    + dictionary(entries.map { key($0) + ": " + SwiftSource.value($0.value) })
            case .number:
                out += "    public static let \(spec.swiftName): [String: Double] = "
                    + dictionary(entries.map { key($0) + ": " + $0.value.jsonText })
            case .integer:
                out += "    public static let \(spec.swiftName): [String: Int] = "
                    + dictionary(entries.map { key($0) + ": " + $0.value.jsonText })
            case .info:
                out += "    public static let \(spec.swiftName): [String: ModelInfo] = "
                    + dictionary(entries.map { entry in
                        let v = entry.value
                        let features = SwiftSource.items(v["features"] ?? .null).compactMap { $0.stringValue.map(SwiftSource.string) }
                        return key(entry) + ": ModelInfo("
                            + "name: " + SwiftSource.string(v["name"]?.stringValue ?? "")
                            + ", provider: " + SwiftSource.string(v["provider"]?.stringValue ?? "")
                            + ", description: " + (v["description"]?.stringValue.map(SwiftSource.string) ?? "nil")
                            + ", maxDuration: " + (v["max_duration"]?.integerText ?? "nil")
                            + ", features: [" + features.joined(separator: ", ") + "])"
                    })
            }
        }
        out += "}\n"
        return out
    }

    // MARK: - Elixir

    /// `Regdb.Constants.TextToVideo`: one function per constant, named as the Python one in
    /// lowercase (`supported_models/0`); maps have string keys, and do not keep order:
    /// `supported_models/0` gives the seed order.
    private func elixir() -> String {
        var out = ExportRequest.header(request) { "# " + $0 } + "\n"
        out += "# \(title)\n"
        out += "# Model constants read from the regdb registry's views (category_models, model_endpoints, …).\n"
        out += "\ndefmodule Regdb.Constants.\(ConstantsRenderer.upperCamel(constants.category)) do\n"
        out += "  @moduledoc \(Elixir.string("The model constants of \(constants.category); names are the Python ones in lowercase."))\n"
        for spec in ConstantSpec.all {
            let entries = entries(of: spec)
            out += "\n  @doc \(Elixir.string(spec.summary))\n"
            out += "  def \(spec.name.lowercased()) do\n    "
            if spec.shape == .keys {
                out += block("[", "]", entries.map { Elixir.string($0.key) }, indent: "      ", base: "    ")
            } else {
                out += block("%{", "}", entries.map { Elixir.string($0.key) + " => " + Elixir.literal($0.value) },
                             indent: "      ", base: "    ")
            }
            out += "  end\n"
        }
        out += "end\n"
        return out
    }

    /// A Swift dictionary literal, `[:]` when empty.
    private func dictionary(_ items: [String]) -> String {
        items.isEmpty ? "[:]\n" : block("[", "]", items, indent: "        ", base: "    ")
    }

    /// `open` items, one per line with a trailing comma, `close`; `open close` when empty.
    private func block(_ open: String, _ close: String, _ items: [String], indent: String, base: String = "") -> String {
        if items.isEmpty { return open + close + (language == .typescript ? ";\n" : "\n") }
        var out = open + "\n"
        for item in items { out += indent + item + ",\n" }
        return out + base + close + (language == .typescript ? ";\n" : "\n")
    }

    // MARK: - Names

    /// The category id as a file name: lowercase letters, digits and underscores.
    static func snakeName(_ category: String) -> String {
        let name = String(category.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? Character($0.lowercased()) : "_" })
        return name.first?.isNumber == false && !name.isEmpty ? name : "c_" + name
    }

    /// text_to_video → TextToVideo.
    static func upperCamel(_ category: String) -> String {
        let words = category.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return name.first?.isLetter == true ? name : "C" + name
    }
}
