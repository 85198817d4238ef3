import GRDB

extension Registry {
    /// Every source: kind, name, when imported, content hash and the routes it contributes.
    public func sources() throws -> ResultTable {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.name, s.kind, s.imported_at, s.content_hash,
                       (SELECT count(DISTINCT entity_id) FROM claim WHERE source_id = s.id AND entity = 'route') AS routes,
                       p.rank, f.url, f.etag, f.fetched_at
                FROM source s JOIN source_precedence p ON p.source_id = s.id
                LEFT JOIN catalog_fetch f ON f.name = s.name AND s.kind = 'catalog'
                ORDER BY p.rank DESC
                """)
            func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
            // A refreshed catalog also says where it was fetched from, its ETag, and when it was last asked.
            return ResultTable(
                columns: ["name", "kind", "precedence", "imported_at", "content_hash", "routes", "url", "etag", "fetched_at"],
                rows: rows.map { row in
                    [.string(row["name"]), .string(row["kind"]), .integer(row["rank"]), .string(row["imported_at"]),
                     .string(row["content_hash"]), .integer(row["routes"]), text(row["url"]), text(row["etag"]), text(row["fetched_at"])]
                }, answers: ["name", "kind", "routes"])
        }
    }

    /// Every source's value for `field` of a route (or of its model, for model
    /// fields such as status), highest precedence first, the value in force marked.
    /// `field` may name a group: `pricing` gives every price row, `defaults` every default.
    public func why(_ name: String, field: String) throws -> ResultTable {
        let matches = try find(name, preferred: true)
        guard Set(matches.map(\.routeKey)).count == 1, let match = matches.first else {
            throw RegDBError.ambiguous(name: name, candidates: matches.map(\.candidate))
        }
        return try read { db in
            let modelID = try String.fetchOne(db, sql: "SELECT model_id FROM route WHERE id = ?", arguments: [match.routeID]) ?? ""
            /// Each field value each source gives, field by field (bytewise), highest precedence first.
            func fields(_ entity: EntityKind, _ id: String) throws -> [(field: FieldClaim, source: String, kind: String, rank: Int, observedAt: String)] {
                var found: [(field: FieldClaim, source: String, kind: String, rank: Int, observedAt: String)] = []
                for row in try Row.fetchAll(db, sql: """
                    SELECT c.value, c.seq, c.path, c.observed_at, p.name, p.kind, p.rank
                    FROM claim c JOIN source_precedence p ON p.source_id = c.source_id
                    WHERE c.entity = ? AND c.entity_id = ?
                    """, arguments: [entity.rawValue, id]) {
                    let claim = Claim(entity: entity, entityID: id, value: (try? JSONParser.parse(row[0] as String)) ?? .null,
                                      seq: row[1], path: JSONPath(parsing: row[2]))
                    for field in Claims.fields(of: claim) {
                        found.append((field, row[4], row[5], row[6], row[3]))
                    }
                }
                return found.sorted { a, b in
                    a.field.field != b.field.field
                        ? Array(a.field.field.utf8).lexicographicallyPrecedes(Array(b.field.field.utf8)) : a.rank > b.rank
                }
            }
            let prefix = field.lowercased() + "."
            func rows(_ entity: EntityKind, _ id: String) throws -> [[JSONValue]] {
                let all = try fields(entity, id)
                var best: [String: Int] = [:]
                for each in all { best[each.field.field] = max(best[each.field.field] ?? each.rank, each.rank) }
                return all.filter { $0.field.field == field || $0.field.field.lowercased().hasPrefix(prefix) }.map { each in
                    [.string(each.field.field), .string(each.source), .string(each.kind), each.field.value,
                     .string(each.observedAt), .bool(best[each.field.field] == each.rank)]
                }
            }
            var found = try rows(.route, match.routeKey)
            var subject = match.routeKey
            if found.isEmpty {
                found = try rows(.model, modelID)
                subject = "model " + modelID
            }
            guard !found.isEmpty else {
                var tops = Set<String>()
                for each in try fields(.route, match.routeKey) + fields(.model, modelID) { tops.insert(each.field.top) }
                let known = tops.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                throw RegDBError.noProvenance(subject: match.routeKey, model: modelID, field: field, known: known)
            }
            return ResultTable(
                columns: ["subject", "field", "source", "kind", "value", "observed_at", "in_force"],
                rows: found.map { [.string(subject)] + $0 }, answers: ["field", "source", "value"])
        }
    }

    /// Per provider: base URL, authentication, and for each environment
    /// variable it needs whether `environment` sets it. Values are never read out.
    public func providerConfiguration(environment: [String: String]) throws -> ResultTable {
        try read { db in
            var rows: [[JSONValue]] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, name, base_url, auth, env_vars FROM provider ORDER BY id") {
                let variables = (try? JSONParser.parse(row["env_vars"] as String)).flatMap { value -> [String]? in
                    guard case .array(let items) = value else { return nil }
                    return items.compactMap(\.stringValue)
                } ?? []
                let base: [JSONValue] = [.string(row["id"]), .string(row["name"]),
                                         (row["base_url"] as String?).map(JSONValue.string) ?? .null,
                                         (row["auth"] as String?).map(JSONValue.string) ?? .null]
                if variables.isEmpty {
                    rows.append(base + [.null, .null])
                }
                for variable in variables {
                    let isSet = !(environment[variable] ?? "").isEmpty
                    rows.append(base + [.string(variable), .bool(isSet)])
                }
            }
            return ResultTable(columns: ["provider", "name", "base_url", "auth", "env_var", "set"], rows: rows)
        }
    }
}
