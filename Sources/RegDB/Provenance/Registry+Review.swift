import Foundation
import GRDB

extension Registry {
    /// The reviewed (builtin) prices a person should act on: those no published page confirms
    /// (never checked: the note says where the value came from), and those checked longer ago
    /// than `staleAfterDays` (`asOf` defaults to today). Unpublished prices (no number) and
    /// free ones (a self-hosted model's 0) are not listed: there is no price page to check. Ordered by route, then the seed's order.
    public func reviewPrices(staleAfterDays: Int = 90, asOf: String? = nil) throws -> ResultTable {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.route_key, p.unit, p.variant, p.usd, p.per, p.checked_on, p.checked_url, p.note,
                       CASE WHEN p.checked_on IS NULL THEN 'unverified'
                            ELSE 'checked ' || CAST(julianday(?2) - julianday(p.checked_on) AS INTEGER) || ' days ago' END AS why
                FROM price p JOIN route r ON r.id = p.route_id
                WHERE p.usd IS NOT NULL AND p.usd > 0
                  AND EXISTS (SELECT 1 FROM claim c JOIN source s ON s.id = c.source_id
                              WHERE c.entity = 'route' AND c.entity_id = r.route_key AND s.kind = 'builtin')
                  AND (p.checked_on IS NULL OR julianday(?2) - julianday(p.checked_on) > ?1)
                ORDER BY r.route_key, p.position
                """, arguments: [staleAfterDays, asOf ?? PriceDate.stored(PriceDate.now()).prefix(10).description])
            return ResultTable(
                columns: ["route_key", "unit", "variant", "usd", "per", "why", "checked_on", "note"],
                rows: rows.map { row in
                    [.string(row["route_key"]), .string(row["unit"]), (row["variant"] as String?).map(JSONValue.string) ?? .null,
                     .number(row["usd"]), .integer(row["per"]), .string(row["why"]),
                     (row["checked_on"] as String?).map(JSONValue.string) ?? .null,
                     (row["note"] as String?).map(JSONValue.string) ?? .null]
                },
                answers: ["route_key", "unit", "why"], formats: ["usd": .usd])
        }
    }
}
