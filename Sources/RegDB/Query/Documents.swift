import GRDB

/// Seed-shaped JSON documents of what the database holds: one per provider,
/// model and route, with the same field names as the seed format and empty
/// or unknown fields left out. `get` shows them, `check` compares them with
/// what the seeds produce, and they read back as seeds.
struct Documents {
    var providers: [(id: String, document: JSONValue)] = []
    var models: [(id: String, document: JSONValue)] = []
    /// Route key → document, in route id order.
    var routes: [(key: String, modelID: String, document: JSONValue)] = []

    /// Loads every document. With `bookkeeping`, routes also say how and when their
    /// context window was learned.
    static func load(_ db: Database, bookkeeping: Bool = false) throws -> Documents {
        var documents = Documents()
        for row in try Row.fetchAll(db, sql: "SELECT * FROM provider ORDER BY id") {
            var fields = Fields()
            fields.text("id", row["id"]); fields.text("name", row["name"])
            fields.text("base_url", row["base_url"]); fields.text("auth", row["auth"])
            fields.json("env_vars", row["env_vars"], omitEmpty: true)
            fields.text("docs_url", row["docs_url"]); fields.text("endpoint_glob", row["endpoint_glob"])
            documents.providers.append((row["id"], fields.object))
        }
        let modelAliases = Dictionary(grouping: try Row.fetchAll(db, sql: """
            SELECT model_id, name FROM alias WHERE route_id IS NULL ORDER BY model_id, rowid
            """), by: { $0["model_id"] as String })
        for row in try Row.fetchAll(db, sql: "SELECT * FROM model ORDER BY id") {
            var fields = Fields()
            fields.text("id", row["id"]); fields.text("name", row["name"])
            fields.text("description", row["description"]); fields.text("family", row["family"])
            fields.text("status", row["status"]); fields.text("successor", row["successor_id"])
            fields.text("deprecation_date", row["deprecation_date"]); fields.text("generation", row["generation"])
            fields.integer("generation_rank", row["generation_rank"])
            fields.text("tier", row["tier"]); fields.text("maker", row["maker"])
            if let aliases = modelAliases[row["id"]] { fields.set("aliases", .array(aliases.map { .string($0["name"]) })) }
            fields.json("scores", row["scores"], omitEmpty: true); fields.json("metadata", row["metadata"], omitEmpty: true)
            documents.models.append((row["id"], fields.object))
        }

        // The schema answers: route_document gathers each route's row and its children, in seed order.
        let seed = bookkeeping ? "seed" : "json_remove(seed, '$.context_window_source', '$.context_window_observed_at')"
        for row in try Row.fetchAll(db, sql: "SELECT route_key, model_id, \(seed) AS seed FROM route_document ORDER BY route_id") {
            documents.routes.append((row["route_key"], row["model_id"], try JSONParser.parse(row["seed"] as String)))
        }
        return documents
    }
}
