import GRDB

/// What a shell completes a word from (`regdb get <TAB>`).
public enum CompletionSource: Sendable {
    /// Category keys, route keys and canonical ids.
    case names
    /// Route keys only.
    case routes
    case categories
    case providers
}

extension Registry {
    /// Names from the registry at `path` that start with `prefix`, sorted, at
    /// most 500; none when there is no readable registry there (a completion
    /// never prints an error into the user's command line).
    public static func completions(_ source: CompletionSource, prefix: String, path: String) -> [String] {
        guard let registry = try? Registry.open(at: path, mode: .readOnly) else { return [] }
        let sql: String
        switch source {
        case .names: sql = "SELECT key AS name FROM route_category UNION SELECT route_key FROM route UNION SELECT id FROM model"
        case .routes: sql = "SELECT route_key AS name FROM route"
        case .categories: sql = "SELECT id AS name FROM category"
        case .providers: sql = "SELECT id AS name FROM provider"
        }
        let names = try? registry.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM (\(sql)) WHERE substr(name, 1, length(?1)) = ?1 ORDER BY 1 LIMIT 500",
                                arguments: [prefix])
        }
        return names ?? []
    }
}
