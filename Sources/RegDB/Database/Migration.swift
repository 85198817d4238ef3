import GRDB

/// One schema version, as an upgrade reaches it: what it changed, and what a file of the
/// version before needs beyond what every upgrade does (drop views, triggers and indexes,
/// rebuild each table whose definition changed, apply schema.sql). Steps are appended,
/// never edited: a released file of any version upgrades through the same list
/// (`UpgradeTests` upgrades one of every version from 1 on).
struct Migration: Sendable {
    /// The version this step upgrades to.
    let version: Int32
    /// What the version brought, as the release said it.
    let name: String
    /// Before schema.sql runs: tables to keep aside (renamed) or columns to add.
    var prepare: @Sendable (Database) throws -> Void = { _ in }
    /// After every table has schema.sql's definition, before triggers and views are back:
    /// the data the step moves or reinterprets.
    var migrate: @Sendable (Database) throws -> Void = { _ in }

    static let steps: [Migration] = [
        Migration(version: 2, name: "price dates, thresholds that bill the whole quantity, alternatives groups, token units",
                  prepare: { try $0.execute(sql: "ALTER TABLE price RENAME TO price_version1; ALTER TABLE unit RENAME TO unit_version1") },
                  migrate: { db in
                      // A version 1 threshold billed the quantity beyond it.
                      try db.execute(sql: """
                          INSERT OR IGNORE INTO unit (id, measure, description) SELECT id, measure, description FROM unit_version1;
                          INSERT INTO price (id, route_id, unit, variant, usd, per, above, above_bills, note, position)
                          SELECT id, route_id, unit, variant, usd, per, above,
                                 CASE WHEN above IS NULL THEN NULL ELSE 'excess' END, note, position
                          FROM price_version1;
                          DROP TABLE price_version1;
                          DROP TABLE unit_version1;
                          """)
                  }),
        Migration(version: 3, name: "aliases, name rules, generation ranks; discovery rules by family and precision",
                  prepare: { db in
                      try db.execute(sql: """
                          ALTER TABLE capability_rule RENAME TO capability_rule_version2;
                          ALTER TABLE model ADD COLUMN generation_rank INTEGER;
                          ALTER TABLE failover_event ADD COLUMN steps INTEGER;
                          """)
                  },
                  migrate: { db in
                      // The old size and quantization markers go (importing seeds/comfyui.json again gives the new rules).
                      try db.execute(sql: """
                          INSERT INTO capability_rule SELECT * FROM capability_rule_version2 WHERE kind NOT IN ('size', 'quantization');
                          DROP TABLE capability_rule_version2;
                          """)
                  }),
        Migration(version: 4, name: "rules on capability_rule.value and route.context_window_observed_at; deferred_violation"),
        Migration(version: 5, name: "the written-state digest (written_state)"),
        Migration(version: 6, name: "model.maker, route.first_party and route_preference: a bare name prefers the maker's route"),
        Migration(version: 7, name: "the source kind catalog, below the seeds; catalog_source"),
        Migration(version: 8, name: "the setting pinned_units"),
        Migration(version: 9, name: "the catalog format openrouter"),
        Migration(version: 10, name: "price.free, scores from 0 to 1, route metadata enums, endpoints that name their route",
                  migrate: { db in
                      // The zeros the file already holds on paid routes were meant (a catalog's free
                      // tier): they say so now. A local provider's need not, as its seeds do not.
                      // An older file's scores on 0-100 are reported by `check` until the seeds are imported again.
                      try db.execute(sql: """
                          UPDATE price SET free = 1 WHERE usd = 0 AND route_id IN (
                              SELECT r.id FROM route r JOIN provider p ON p.id = r.provider_id WHERE ifnull(p.auth, '') <> 'none')
                          """)
                  }),
        Migration(version: 11, name: "the views price_document, route_field_list, route_field, route_document, route_listing, price_line and route_choice"),
    ]

    /// Drops every view, trigger and explicit index: schema.sql makes them again.
    static func dropDerived(_ db: Database) throws {
        let derived = try Row.fetchAll(db, sql: """
            SELECT type, name FROM sqlite_master
            WHERE type IN ('view', 'trigger') OR (type = 'index' AND sql IS NOT NULL)
            """)
        for row in derived {
            let kind: String = row["type"]
            let name: String = row["name"]
            try db.execute(sql: "DROP \(kind == "view" ? "VIEW" : kind == "trigger" ? "TRIGGER" : "INDEX") IF EXISTS \(name.quotedDatabaseIdentifier)")
        }
    }
}
