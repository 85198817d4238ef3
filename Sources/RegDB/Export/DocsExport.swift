import Foundation
import GRDB

extension Registry {
    /// The Markdown catalog of `regdb export docs`: per category (then the routes
    /// in none), per provider (with its base URL, auth and the environment
    /// variables that hold its keys, by name), one table row per route with its
    /// name, key, route key, status, context window, prices in words, capability
    /// flags and scores (where the table has any) and options. Deterministic:
    /// categories by id, providers by id, routes in view order.
    public func exportDocs() throws -> String {
        let catalog = try read { db in try DocsCatalog.load(db) }
        return catalog.render()
    }
}

/// What the docs show, read in one transaction.
struct DocsCatalog {
    struct Route {
        var id: Int64
        var category: String?
        var key: String?
        var routeKey: String
        var providerID: String
        var name: String
        var status: String?
        var contextWindow: Int64?
        var maxOutputTokens: Int64?
        /// Flags that are true, in the route's order: function_calling, vision.
        var capabilities: [String]
        /// The model's scores: "reasoning 90, coding 85".
        var scores: String?
    }

    /// How to reach a provider (design doc 002): environment variables by name, never their values.
    struct ProviderConfiguration {
        var baseURL: String?
        var auth: String?
        var envVars: [String]
        var docsURL: String?
    }

    var categories: [(id: String, description: String)] = []
    var providerNames: [String: String] = [:]
    var providerConfigurations: [String: ProviderConfiguration] = [:]
    /// Categorized routes in view order, then routes in no category by route key.
    var routes: [Route] = []
    var prices: [Int64: [Row]] = [:]
    var multipliers: [Int64: [Row]] = [:]
    var durations: [Int64: [Int64]] = [:]
    var aspectRatios: [Int64: [String]] = [:]
    var resolutions: [Int64: [String]] = [:]

    static func load(_ db: Database) throws -> DocsCatalog {
        var catalog = DocsCatalog()
        catalog.categories = try Row.fetchAll(db, sql: """
            SELECT id, description FROM category WHERE id IN (SELECT category_id FROM route_category) ORDER BY id
            """).map { ($0["id"], $0["description"]) }
        let providers = try Row.fetchAll(db, sql: "SELECT id, name, base_url, auth, env_vars, docs_url FROM provider")
        for row in providers {
            let id: String = row["id"]
            catalog.providerNames[id] = row["name"]
            catalog.providerConfigurations[id] = ProviderConfiguration(
                baseURL: row["base_url"], auth: row["auth"],
                envVars: SwiftSource.items(Registry.parsedJSON(row["env_vars"])).compactMap(\.stringValue), docsURL: row["docs_url"])
        }
        let columns = """
            r.id, r.route_key, r.provider_id, ifnull(r.name, m.name) AS name, m.status, r.context_window, r.max_output_tokens,
            r.capabilities, m.scores
            """
        func route(_ row: Row) -> Route {
            let flags: [String]
            if case .object(let members) = Registry.parsedJSON(row["capabilities"]) {
                flags = members.filter { $0.value == .bool(true) }.map(\.key)
            } else {
                flags = []
            }
            var scores: String?
            if case .object(let members) = Registry.parsedJSON(row["scores"]), !members.isEmpty {
                scores = members.map { "\($0.key) \($0.value.doubleValue.map(DocsCatalog.quantity) ?? $0.value.jsonText)" }
                    .joined(separator: ", ")
            }
            return Route(id: row["id"], category: row["category_id"], key: row["key"], routeKey: row["route_key"],
                         providerID: row["provider_id"], name: row["name"], status: row["status"],
                         contextWindow: row["context_window"], maxOutputTokens: row["max_output_tokens"],
                         capabilities: flags, scores: scores)
        }
        catalog.routes = try Row.fetchAll(db, sql: """
            SELECT rc.category_id, rc.key, \(columns)
            FROM route_category rc JOIN route r ON r.id = rc.route_id JOIN model m ON m.id = r.model_id
            ORDER BY rc.category_id, rc.position
            """).map(route)
        catalog.routes += try Row.fetchAll(db, sql: """
            SELECT NULL AS category_id, NULL AS key, \(columns)
            FROM route r JOIN model m ON m.id = r.model_id
            WHERE NOT EXISTS (SELECT 1 FROM route_category WHERE route_id = r.id)
            ORDER BY r.route_key
            """).map(route)
        func grouped(_ sql: String) throws -> [Int64: [Row]] {
            Dictionary(grouping: try Row.fetchAll(db, sql: sql), by: { $0["route_id"] as Int64 })
        }
        catalog.prices = try grouped("""
            SELECT route_id, unit, variant, usd, per, above, above_unit, above_bills, note
            FROM current_price ORDER BY route_id, position
            """)
        catalog.multipliers = try grouped("SELECT route_id, variant, factor FROM price_multiplier ORDER BY route_id, position")
        catalog.durations = try grouped("SELECT route_id, seconds FROM route_duration ORDER BY route_id, seconds")
            .mapValues { $0.map { $0["seconds"] as Int64 } }
        catalog.aspectRatios = try grouped("SELECT route_id, value FROM route_aspect_ratio ORDER BY route_id, position")
            .mapValues { $0.map { $0["value"] as String } }
        catalog.resolutions = try grouped("SELECT route_id, value FROM route_resolution ORDER BY route_id, position")
            .mapValues { $0.map { $0["value"] as String } }
        return catalog
    }

    func render() -> String {
        var out = "<!-- " + ExportRequest.header(.docs) { $0 } + " -->\n"
        out += "# Model catalog\n\n"
        out += "Every route of the registry, by category and provider, as `regdb export docs` writes it. "
        out += "Prices are USD; \"—\" means unknown or none.\n\n"
        let uncategorized = routes.filter { $0.category == nil }
        var sections: [(title: String, anchor: String, description: String?, routes: [Route])] = categories.map { category in
            (category.id, category.id, category.description, routes.filter { $0.category == category.id })
        }
        if !uncategorized.isEmpty {
            sections.append(("Routes in no category", "routes-in-no-category", nil, uncategorized))
        }
        for section in sections {
            out += "- [\(section.title)](#\(section.anchor)) (\(section.routes.count))\n"
        }
        out += "\n"
        for section in sections {
            out += "## \(section.title)\n\n"
            if let description = section.description { out += DocsCatalog.cell(description) + ".\n\n" }
            let providers = Set(section.routes.map(\.providerID)).sorted()
            for provider in providers {
                let name = providerNames[provider] ?? provider
                out += "### \(DocsCatalog.cell(name))" + (name == provider ? "" : " (`\(provider)`)") + "\n\n"
                if let configuration = providerConfigurations[provider].map(configurationText), !configuration.isEmpty {
                    out += configuration + "\n\n"
                }
                let rows = section.routes.filter { $0.providerID == provider }
                // Capabilities and scores get a column where some route of the table has them.
                let withCapabilities = rows.contains { !$0.capabilities.isEmpty }
                let withScores = rows.contains { $0.scores != nil }
                var headings = ["Name", "Key", "Route", "Status", "Context window", "Prices"]
                if withCapabilities { headings.append("Capabilities") }
                if withScores { headings.append("Scores") }
                headings += ["Durations (s)", "Aspect ratios", "Resolutions"]
                out += "| " + headings.joined(separator: " | ") + " |\n"
                out += "|" + String(repeating: "---|", count: headings.count) + "\n"
                for route in rows {
                    var cells = [
                        DocsCatalog.cell(route.name),
                        route.key.map(DocsCatalog.code) ?? "—",
                        DocsCatalog.code(route.routeKey),
                        route.status.map(DocsCatalog.cell) ?? "—",
                        context(route),
                        DocsCatalog.cell(priceText(route.id)),
                    ]
                    if withCapabilities { cells.append(list(route.capabilities)) }
                    if withScores { cells.append(route.scores.map(DocsCatalog.cell) ?? "—") }
                    cells += [
                        list(durations[route.id]?.map(String.init)),
                        list(aspectRatios[route.id]),
                        list(resolutions[route.id]),
                    ]
                    out += "| " + cells.joined(separator: " | ") + " |\n"
                }
                out += "\n"
            }
        }
        // Each table ends with a blank line; the file ends with one newline.
        while out.hasSuffix("\n\n") { out.removeLast() }
        return out
    }

    /// "Base URL: `https://api.openai.com/v1` · Auth: bearer · Keys in: `OPENAI_API_KEY`".
    private func configurationText(_ configuration: ProviderConfiguration) -> String {
        var parts: [String] = []
        if let url = configuration.baseURL { parts.append("Base URL: " + DocsCatalog.code(url)) }
        if let auth = configuration.auth { parts.append("Auth: " + DocsCatalog.cell(auth)) }
        if !configuration.envVars.isEmpty {
            parts.append("Keys in: " + configuration.envVars.map(DocsCatalog.code).joined(separator: ", "))
        }
        if let docs = configuration.docsURL { parts.append("Docs: " + DocsCatalog.cell(docs)) }
        return parts.joined(separator: " · ")
    }

    private func context(_ route: Route) -> String {
        guard let window = route.contextWindow else { return "—" }
        var text = DocsCatalog.grouped(window) + " tokens"
        if let output = route.maxOutputTokens { text += " (" + DocsCatalog.grouped(output) + " out)" }
        return text
    }

    private func list(_ items: [String]?) -> String {
        guard let items, !items.isEmpty else { return "—" }
        return DocsCatalog.cell(items.joined(separator: ", "))
    }

    /// "$0.50 / second (no_audio), $0.75 / second (audio)"; multipliers after the prices.
    func priceText(_ routeID: Int64) -> String {
        var parts: [String] = (prices[routeID] ?? []).map { row in
            let unit: String = row["unit"]
            let per: Int64 = row["per"] ?? 1
            var qualifiers: [String] = []
            if let variant: String = row["variant"] { qualifiers.append(variant) }
            if let above: Double = row["above"] {
                let counted = (row["above_unit"] as String?).map { DocsCatalog.unitText($0, per: 1) } ?? ""
                let whole = (row["above_bills"] as String?) == "all" ? ", whole call" : ""
                qualifiers.append("above " + DocsCatalog.quantity(above) + (counted.isEmpty ? "" : " " + counted + "s") + whole)
            }
            let amount: String
            if let usd: Double = row["usd"] {
                amount = "$" + DocsCatalog.dollars(usd)
            } else {
                amount = "unpublished"
                if let note: String = row["note"] { qualifiers.append(note) }
            }
            let suffix = qualifiers.isEmpty ? "" : " (" + qualifiers.joined(separator: ", ") + ")"
            return amount + " / " + DocsCatalog.unitText(unit, per: per) + suffix
        }
        parts += (multipliers[routeID] ?? []).map { row in
            "×" + DocsCatalog.quantity(row["factor"]) + " with " + (row["variant"] as String)
        }
        return parts.isEmpty ? "—" : parts.joined(separator: ", ")
    }

    // MARK: - Formatting

    /// A dollar amount in plain decimals, at least two of them: 0.5 → 0.50, 3e-05 → 0.00003.
    static func dollars(_ usd: Double) -> String {
        var text = plain(usd)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 2 { text += String(repeating: "0", count: 2 - decimals) }
        } else {
            text += ".00"
        }
        return text
    }

    /// A number without exponent or a trailing ".0": 2.0 → 2, 1.25 → 1.25, 200000 → 200,000.
    static func quantity(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return grouped(Int64(value)) }
        return plain(value)
    }

    /// The shortest decimal that reads back as `value`, written out without exponent.
    static func plain(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        var text = Decimal(string: "\(value)", locale: Locale(identifier: "en_US_POSIX"))?.description ?? "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// 128000 → 128,000.
    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// "second", "1M input tokens", "1K characters", "10 images".
    static func unitText(_ unit: String, per: Int64) -> String {
        let noun = unit.replacingOccurrences(of: "_", with: " ")
        guard per != 1 else { return noun }
        let plural = noun.hasSuffix("y") ? String(noun.dropLast()) + "ies" : noun + "s"
        switch per {
        case 1_000: return "1K " + plural
        case 1_000_000: return "1M " + plural
        default: return grouped(per) + " " + plural
        }
    }

    /// Text safe in a table cell: no pipes, no line breaks.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    /// A code span, or escaped text where a backtick would break one.
    static func code(_ text: String) -> String {
        text.contains("`") ? cell(text) : "`" + cell(text) + "`"
    }
}
