import GRDB

extension Registry {
    /// Every source: kind, name, when imported, content hash and the routes it contributes.
    public func sources() throws -> ResultTable {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.name, s.kind, s.imported_at, s.content_hash,
                       (SELECT count(DISTINCT entity_id) FROM claim WHERE source_id = s.id AND entity = 'route') AS routes,
                       p.rank
                FROM source s JOIN source_precedence p ON p.source_id = s.id
                ORDER BY p.rank DESC
                """)
            return ResultTable(
                columns: ["name", "kind", "precedence", "imported_at", "content_hash", "routes"],
                rows: rows.map { row in
                    [.string(row["name"]), .string(row["kind"]), .integer(row["rank"]), .string(row["imported_at"]),
                     .string(row["content_hash"]), .integer(row["routes"])]
                })
        }
    }

    /// Every source's value for `field` of a route (or of its model, for model
    /// fields such as status), highest precedence first, the value in force marked.
    /// `field` may name a group: `pricing` gives every price row, `defaults` every default.
    public func why(_ name: String, field: String) throws -> ResultTable {
        let matches = try find(name)
        guard Set(matches.map(\.routeKey)).count == 1, let match = matches.first else {
            throw RegDBError.ambiguous(name: name, candidates: matches.map { "\($0.category ?? "-")/\($0.key ?? $0.routeKey)" })
        }
        return try read { db in
            let modelID = try String.fetchOne(db, sql: "SELECT model_id FROM route WHERE id = ?", arguments: [match.routeID]) ?? ""
            func rows(_ entity: String, _ id: String) throws -> [Row] {
                try Row.fetchAll(db, sql: """
                    SELECT field, source, kind, value, observed_at, winner FROM provenance
                    WHERE entity = ?1 AND entity_id = ?2 AND (field = ?3 OR field LIKE ?3 || '.%')
                    """, arguments: [entity, id, field])
            }
            var found = try rows("route", match.routeKey)
            var subject = match.routeKey
            if found.isEmpty {
                found = try rows("model", modelID)
                subject = "model " + modelID
            }
            guard !found.isEmpty else {
                let fields = try String.fetchAll(db, sql: """
                    SELECT DISTINCT CASE WHEN instr(field, '.') > 0 THEN substr(field, 1, instr(field, '.') - 1) ELSE field END
                    FROM claim WHERE (entity = 'route' AND entity_id = ?) OR (entity = 'model' AND entity_id = ?) ORDER BY 1
                    """, arguments: [match.routeKey, modelID])
                throw RegDBError.noProvenance(subject: match.routeKey, model: modelID, field: field, known: fields)
            }
            return ResultTable(
                columns: ["subject", "field", "source", "kind", "value", "observed_at", "in_force"],
                rows: found.map { row in
                    [.string(subject), .string(row["field"]), .string(row["source"]), .string(row["kind"]),
                     (try? JSONParser.parse(row["value"] as String)) ?? .null, .string(row["observed_at"]),
                     .bool((row["winner"] as Int64? ?? 0) != 0)]
                })
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
