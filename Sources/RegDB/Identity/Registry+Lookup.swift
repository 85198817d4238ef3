import GRDB

/// One route found for a name, with the category key it was found under.
public struct RouteMatch: Sendable {
    public var routeID: Int64
    public var routeKey: String
    public var category: String?
    public var key: String?

    /// How an ambiguity error lists it: `route (category_key in category)`.
    var candidate: String {
        "\(routeKey) (\(category.map { "category_key in \($0)" } ?? "route"))"
    }
}

extension Registry {
    /// Routes a name reaches, resolved the one way every command resolves
    /// (`model_name` in schema.sql): a category key in every category that
    /// has it (or only `category`), a route, or every route of a model, each
    /// with its first category. With `preferred`, a name of a model gives only
    /// its preferred route (priority, then route key), as pricing needs one.
    /// Empty when the name is unknown; a name matching several models throws.
    public func lookup(_ name: String, category: String? = nil, preferred: Bool = false) throws -> [RouteMatch] {
        try read { db in
            let resolved = try NameResolver.resolve(name, category: category, in: SQLNameIndex(db))
            let categoryRows = resolved.rows.filter { $0.match == "category_key" && $0.routeKey != nil }
            // One key in several categories is the same name listed twice, not two guesses.
            if resolved.match == "category_key" || (resolved.ambiguous && !categoryRows.isEmpty) {
                return try categoryRows.compactMap { row in
                    guard let key = row.routeKey,
                          let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM route WHERE route_key = ?"),
                                                      arguments: [key]) else { return nil }
                    return RouteMatch(routeID: id, routeKey: key, category: row.category, key: row.name)
                }
            }
            guard let model = resolved.modelID else {
                if resolved.ambiguous { throw RegDBError.ambiguous(name: name, candidates: resolved.candidates) }
                return []
            }
            var keys = resolved.routeKeys
            if keys.isEmpty {
                keys = try SQLNameIndex(db).routeKeys(ofModel: model, provider: nil)
                guard !keys.isEmpty else { throw RegDBError.noRoute(model: model) }
            }
            if preferred { keys = Array(keys.prefix(1)) }
            return try keys.compactMap { key in
                try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT r.id, r.route_key, rc.category_id, rc.key FROM route r
                    LEFT JOIN route_category rc ON rc.route_id = r.id AND rc.category_id = (
                        SELECT category_id FROM route_category WHERE route_id = r.id AND (?2 IS NULL OR category_id = ?2)
                        ORDER BY category_id, position LIMIT 1)
                    WHERE r.route_key = ?1
                    """), arguments: [key, category]).map {
                    RouteMatch(routeID: $0["id"], routeKey: $0["route_key"], category: $0["category_id"], key: $0["key"])
                }
            }
        }
    }

    /// Like ``lookup(_:category:)``, but an unknown name is an error that
    /// offers the closest known names.
    public func find(_ name: String, category: String? = nil, preferred: Bool = false) throws -> [RouteMatch] {
        // An unknown category is an error, never ignored: `cost sora_2 --category bogus` would
        // otherwise price the name in whichever category it has.
        if let category {
            let known = try read { try String.fetchAll($0, sql: "SELECT id FROM category ORDER BY id") }
            if !known.contains(category) { throw RegDBError.unknownValue(kind: "category", value: category, known: known) }
        }
        let found = try lookup(name, category: category, preferred: preferred)
        if found.isEmpty { throw RegDBError.notFound(name: name, suggestions: try suggestions(for: name)) }
        return found
    }

    /// Known names closest to `name`: keys, route keys and model ids. Unless
    /// `always`, only names close enough to be a likely typo.
    func suggestions(for name: String, limit: Int = 3, always: Bool = false) throws -> [String] {
        try read { db in try suggestions(for: name, db, limit: limit, always: always) }
    }

    /// Suggestions read on `db`; never the name itself.
    func suggestions(for name: String, _ db: Database, limit: Int = 3, always: Bool = false) throws -> [String] {
        let names = try String.fetchAll(db, sql: """
            SELECT key FROM route_category UNION SELECT route_key FROM route UNION SELECT id FROM model
            """)
        let loweredName = name.lowercased()
        let needle = Array(loweredName)
        // No model name is this long: comparing it with every name would take seconds, and find nothing.
        guard needle.count <= Registry.longestSuggested else { return [] }
        let threshold = max(2, needle.count / 2)
        var scored: [(name: String, distance: Int)] = []
        for candidate in names {
            let lowered = candidate.lowercased()
            if lowered == loweredName { continue }
            let contains = lowered.contains(loweredName)
            let letters = Array(lowered)
            // The edit distance is at least the difference in length: most names need no comparing.
            if !always && !contains && abs(letters.count - needle.count) > threshold { continue }
            let distance = editDistance(needle, letters)
            if always || distance <= threshold || contains { scored.append((candidate, distance)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        return scored.prefix(limit).map(\.name)
    }
}

extension Registry {
    /// Names longer than this (characters) get no suggestions.
    static let longestSuggested = 256
}

/// Levenshtein distance between two strings as character arrays.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
