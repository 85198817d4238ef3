import Foundation
import GRDB

extension Registry {
    /// Native seed files holding everything the registry's catalog holds, one
    /// per provider (`<provider>.json`), such that importing them into an empty
    /// registry gives the same catalog and the same views.
    ///
    /// A model is declared in the file of the provider of its first route (in
    /// view order) with its routes on that provider nested under it; its routes
    /// on other providers are top-level routes naming it (`"model"`). Models with
    /// no route go to `models.json`, capability rules to `rules.json`.
    ///
    /// Views list keys in import order (files by name, then file order), so the
    /// layout is checked against the registry's order per category. Where nesting
    /// would reorder a category, a file lists its routes top-level in view order;
    /// where one provider's routes interleave with another's in some category,
    /// the files become numbered runs (`001-fal.json`, `002-replicate.json`, …).
    ///
    /// `schemaReference` is the `$schema` to write (nil: none).
    public func exportSeeds(schemaReference: String? = nil) throws -> [ExportedFile] {
        let snapshot = try read { db in try SeedSnapshot.load(db) }
        for layout in [SeedLayout.nested, .flat, .runs] {
            let plan = snapshot.plan(layout)
            if snapshot.preservesOrder(plan) {
                return plan.map { ExportedFile(name: $0.name, text: SeedStyle.text($0.json(schemaReference: schemaReference)) + "\n") }
            }
        }
        throw RegDBError.file(path: path, message: "no seed layout reproduces the order of the registry's categories")
    }
}

enum SeedLayout {
    /// Routes nested under their models where the model lives in the same file.
    case nested
    /// Every route top-level, in view order.
    case flat
    /// Numbered files, one per run of one provider's routes in view order.
    case runs
}

/// One planned seed file.
struct PlannedSeed {
    var name: String
    var description: String
    var sources: [String]
    var providers: [JSONValue] = []
    /// Models with their nested routes (already inside each document).
    var models: [JSONValue] = []
    var routes: [JSONValue] = []
    var rules: [JSONValue] = []
    /// Route keys in the order an import reads them from this file.
    var importOrder: [String] = []

    func json(schemaReference: String?) -> JSONValue {
        var f = Fields()
        f.text("$schema", schemaReference)
        f.set("description", .string(description))
        if !sources.isEmpty { f.set("sources", .array(sources.map(JSONValue.string))) }
        if !providers.isEmpty { f.set("providers", .array(providers)) }
        if !models.isEmpty { f.set("models", .array(models)) }
        if !routes.isEmpty { f.set("routes", .array(routes)) }
        if !rules.isEmpty { f.set("rules", .array(rules)) }
        return f.object
    }
}

/// The catalog as documents, with the order facts the layout must keep.
struct SeedSnapshot {
    var documents: Documents
    /// Route key → provider id.
    var provider: [String: String] = [:]
    /// Route keys in view order (first position in any category), then the rest by route key.
    var order: [String] = []
    /// Per category, route keys in view order.
    var categoryOrder: [String: [String]] = [:]
    /// Entity ("provider x", "model x", "route x") → names of the sources that claim it.
    var sources: [String: Set<String>] = [:]
    var rules: [JSONValue] = []
    var providerNames: [String: String] = [:]

    static func load(_ db: Database) throws -> SeedSnapshot {
        var snapshot = SeedSnapshot(documents: try Documents.load(db, bookkeeping: true))
        for row in try Row.fetchAll(db, sql: "SELECT route_key, provider_id FROM route") {
            snapshot.provider[row["route_key"]] = row["provider_id"]
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT rc.category_id, r.route_key FROM route_category rc JOIN route r ON r.id = rc.route_id
            ORDER BY rc.position
            """) {
            let key: String = row["route_key"]
            snapshot.categoryOrder[row["category_id"], default: []].append(key)
            if !snapshot.order.contains(key) { snapshot.order.append(key) }
        }
        let listed = Set(snapshot.order)
        snapshot.order += snapshot.documents.routes.map(\.key).filter { !listed.contains($0) }.sorted()
        for row in try Row.fetchAll(db, sql: """
            SELECT DISTINCT c.entity, c.entity_id, s.name FROM claim c JOIN source s ON s.id = c.source_id
            """) {
            snapshot.sources["\(row["entity"] as String) \(row["entity_id"] as String)", default: []].insert(row["name"])
        }
        snapshot.providerNames = try Dictionary(Row.fetchAll(db, sql: "SELECT id, name FROM provider").map {
            ($0["id"] as String, $0["name"] as String)
        }, uniquingKeysWith: { first, _ in first })
        // Capability rules (discovery), where this registry has them.
        let hasRules = try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'capability_rule'") ?? false
        if hasRules {
            for row in try Row.fetchAll(db, sql: "SELECT kind, match, capabilities, value FROM capability_rule ORDER BY position, id") {
                var f = Fields()
                f.text("kind", row["kind"])
                f.json("match", row["match"], omitEmpty: false)
                f.json("capabilities", row["capabilities"], omitEmpty: false)
                if let value: Double = row["value"] { f.set("value", .number(value)) }
                snapshot.rules.append(f.object)
            }
        }
        return snapshot
    }

    /// The files of one layout, in name order.
    func plan(_ layout: SeedLayout) -> [PlannedSeed] {
        let routeByKey = Dictionary(documents.routes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let routesOfModel = Dictionary(grouping: documents.routes.sorted { rank[$0.key, default: .max] < rank[$1.key, default: .max] },
                                       by: \.modelID)
        // A model lives with the provider of its first route.
        var home: [String: String] = [:]
        for (model, routes) in routesOfModel { if let first = routes.first { home[model] = provider[first.key] } }
        let modelDocuments = Dictionary(documents.models.map { ($0.id, $0.document) }, uniquingKeysWith: { first, _ in first })

        func sourcesOf(_ entities: [String]) -> [String] {
            Array(Set(entities.flatMap { sources[$0] ?? [] })).sorted().map { "regdb source " + $0 }
        }
        func description(_ provider: String) -> String {
            "Provider \(provider) (\(providerNames[provider] ?? provider)) and its routes, as regdb export seeds wrote them from a registry."
        }
        /// A route as a top-level route: its model named after the route key.
        func topLevel(_ key: String) -> JSONValue {
            guard let route = routeByKey[key], case .object(var members) = route.document else { return .null }
            members.insert((key: "model", value: .string(route.modelID)), at: min(1, members.count))
            return .object(members)
        }
        func modelDocument(_ id: String, routes: [String]) -> JSONValue {
            guard case .object(var members) = modelDocuments[id] ?? .object([("id", .string(id))]) else { return .null }
            if !routes.isEmpty {
                members.append((key: "routes", value: .array(routes.compactMap { routeByKey[$0]?.document })))
            }
            return .object(members)
        }

        var files: [PlannedSeed] = []
        let providers = documents.providers.map(\.id)
        let providerDocuments = Dictionary(documents.providers.map { ($0.id, $0.document) }, uniquingKeysWith: { first, _ in first })
        switch layout {
        case .nested, .flat:
            for id in providers {
                let routes = order.filter { provider[$0] == id }
                let models = uniqued(routes.compactMap { routeByKey[$0]?.modelID }).filter { home[$0] == id }
                var file = PlannedSeed(name: id + ".json", description: description(id),
                                       sources: sourcesOf(["provider \(id)"] + models.map { "model \($0)" } + routes.map { "route \($0)" }))
                file.providers = [providerDocuments[id] ?? .null]
                if layout == .nested {
                    for model in models {
                        let nested = routes.filter { routeByKey[$0]?.modelID == model }
                        file.models.append(modelDocument(model, routes: nested))
                        file.importOrder += nested
                    }
                    let loose = routes.filter { key in routeByKey[key].map { home[$0.modelID] != id } ?? false }
                    file.routes = loose.map(topLevel)
                    file.importOrder += loose
                } else {
                    file.models = models.map { modelDocument($0, routes: []) }
                    file.routes = routes.map(topLevel)
                    file.importOrder = routes
                }
                files.append(file)
            }
        case .runs:
            var runs: [(provider: String, routes: [String])] = []
            for key in order {
                guard let id = provider[key] else { continue }
                if runs.last?.provider == id { runs[runs.count - 1].routes.append(key) } else { runs.append((id, [key])) }
            }
            for id in providers where !runs.contains(where: { $0.provider == id }) { runs.append((id, [])) }
            let width = String(runs.count).count
            var declaredProviders = Set<String>()
            var declaredModels = Set<String>()
            for (index, run) in runs.enumerated() {
                let number = String(repeating: "0", count: max(0, max(3, width) - String(index + 1).count)) + String(index + 1)
                let models = uniqued(run.routes.compactMap { routeByKey[$0]?.modelID }).filter { declaredModels.insert($0).inserted }
                var file = PlannedSeed(name: "\(number)-\(run.provider).json", description: description(run.provider),
                                       sources: sourcesOf(["provider \(run.provider)"] + models.map { "model \($0)" } + run.routes.map { "route \($0)" }))
                if declaredProviders.insert(run.provider).inserted { file.providers = [providerDocuments[run.provider] ?? .null] }
                file.models = models.map { modelDocument($0, routes: []) }
                file.routes = run.routes.map(topLevel)
                file.importOrder = run.routes
                files.append(file)
            }
        }
        let routeless = documents.models.map(\.id).filter { routesOfModel[$0] == nil }
        if !routeless.isEmpty || !rules.isEmpty {
            // Extra files never hold routes, so where they sort does not matter for order.
            if !routeless.isEmpty {
                var file = PlannedSeed(name: "models.json", description: "Models the registry knows that no route serves yet, as regdb export seeds wrote them.",
                                       sources: sourcesOf(routeless.map { "model \($0)" }))
                file.models = routeless.map { modelDocument($0, routes: []) }
                files = merge(file, into: files)
            }
            if !rules.isEmpty {
                var file = PlannedSeed(name: "rules.json", description: "Capability rules of discovery, in the registry's order, as regdb export seeds wrote them.",
                                       sources: [])
                file.rules = rules
                files = merge(file, into: files)
            }
        }
        return files.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }

    /// Adds `file`, or its models and rules to a planned file of the same name (a provider named "models").
    private func merge(_ file: PlannedSeed, into files: [PlannedSeed]) -> [PlannedSeed] {
        var files = files
        if let index = files.firstIndex(where: { $0.name == file.name }) {
            files[index].models += file.models
            files[index].rules += file.rules
            files[index].sources = Array(Set(files[index].sources + file.sources)).sorted()
        } else {
            files.append(file)
        }
        return files
    }

    /// Whether importing `plan` lists every category's keys in the registry's order.
    func preservesOrder(_ plan: [PlannedSeed]) -> Bool {
        // Import order: files by name, then the order each file gives.
        let imported = plan.flatMap(\.importOrder)
        guard Set(imported).count == imported.count else { return false }
        let rank = Dictionary(imported.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for (_, keys) in categoryOrder {
            let reordered = keys.sorted { rank[$0, default: .max] < rank[$1, default: .max] }
            if reordered != keys { return false }
        }
        return true
    }
}

/// JSON written the way the hand-written seeds are: an array or object goes on
/// one line when that line stays short, else one member per line, indented by
/// two spaces. Deterministic, and strict JSON.
enum SeedStyle {
    static let width = 100

    /// `prefix` is how many characters precede the value on its line (its key).
    static func text(_ value: JSONValue, indent: Int = 0, prefix: Int = 0) -> String {
        let compact = inline(value)
        if indent * 2 + prefix + compact.count <= width { return compact }
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { pad + text($0, indent: indent + 1) }.joined(separator: ",\n") + "\n" + close + "]"
        case .object(let members) where !members.isEmpty:
            return "{\n" + members.map { member in
                let key = JSONValue.string(member.key).jsonText + ": "
                return pad + key + text(member.value, indent: indent + 1, prefix: key.count)
            }.joined(separator: ",\n") + "\n" + close + "}"
        default:
            return compact
        }
    }

    /// One line, with a space after each comma and colon.
    static func inline(_ value: JSONValue) -> String {
        switch value {
        case .array(let items): return "[" + items.map(inline).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { JSONValue.string($0.key).jsonText + ": " + inline($0.value) }.joined(separator: ", ") + "}"
        default: return value.jsonText
        }
    }
}
