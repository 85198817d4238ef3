import GRDB

extension Registry {
    /// Design doc 004's `model-registry.ts` as a TypeScript module: per route key
    /// its canonical id; per canonical id its generation, tier and routes
    /// (preferred first); and the lookups the router calls (`canonicalIdFor`,
    /// `tierFor`, `generationFor`, `sameGeneration`, `routesFor`). Read from the
    /// view `resolved_routes`; deterministic (route keys and ids sorted).
    public func exportIdentity() throws -> String {
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT rr.route_key, rr.canonical_id, rr.generation, rr.tier FROM resolved_routes rr
                JOIN route_preference rp ON rp.route_key = rr.route_key
                ORDER BY rr.canonical_id, rp.rank
                """)
        }
        var canonical: [(String, String)] = []
        var generation: [(String, String)] = []
        var tier: [(String, String)] = []
        var routes: [(String, [String])] = []
        for row in rows {
            let key: String = row["route_key"], id: String = row["canonical_id"]
            canonical.append((key, id))
            if routes.last?.0 == id {
                routes[routes.count - 1].1.append(key)
            } else {
                routes.append((id, [key]))
                generation.append((id, row["generation"]))
                tier.append((id, row["tier"]))
            }
        }
        canonical.sort { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        func record(_ pairs: [(String, String)]) -> String {
            pairs.isEmpty ? "{}" : "{\n" + pairs.map { "  \(TypeScript.literal(.string($0.0))): \(TypeScript.literal(.string($0.1))),\n" }.joined() + "}"
        }
        var out = ExportRequest.header(.identity) { "// " + $0 } + "\n"
        out += """
            // Canonical identity of every route (design doc 004): which model a route calls, its
            // generation and capability tier. Read from the regdb registry's view resolved_routes.

            export type CapabilityTier = "light" | "standard" | "heavy";
            export type CanonicalId = string;
            /** provider/wire id, such as "openrouter/moonshotai/kimi-k2.5". */
            export type RouteKey = string;

            /** route key → canonical id */
            export const CANONICAL: Readonly<Record<RouteKey, CanonicalId>> = \(record(canonical));

            /** canonical id → generation ("k2.5"); routes of one generation fail over without a downgrade */
            export const GENERATION: Readonly<Record<CanonicalId, string>> = \(record(generation));

            /** canonical id → capability tier ("standard" where none is recorded) */
            export const TIER: Readonly<Record<CanonicalId, CapabilityTier>> = \(record(tier));

            /** canonical id → its route keys, preferred first (seed priority, then route key) */
            export const ROUTES: Readonly<Record<CanonicalId, readonly RouteKey[]>> = 
            """
        out += routes.isEmpty ? "{}" : "{\n" + routes.map { id, keys in
            "  \(TypeScript.literal(.string(id))): [" + keys.map { TypeScript.literal(.string($0)) }.joined(separator: ", ") + "],\n"
        }.joined() + "}"
        out += """
            ;

            /** The canonical id a route key calls, or null for a route the registry does not know. */
            export function canonicalIdFor(routeKey: RouteKey): CanonicalId | null {
              return CANONICAL[routeKey] ?? null;
            }

            /** Capability tier of a canonical id. */
            export function tierFor(canonicalId: CanonicalId): CapabilityTier | null {
              return TIER[canonicalId] ?? null;
            }

            /** Generation of a canonical id (e.g. "k2.5"). */
            export function generationFor(canonicalId: CanonicalId): string | null {
              return GENERATION[canonicalId] ?? null;
            }

            /** Two canonical ids share a generation (failover may cross without a downgrade). */
            export function sameGeneration(a: CanonicalId, b: CanonicalId): boolean {
              const ga = GENERATION[a], gb = GENERATION[b];
              return ga !== undefined && ga === gb;
            }

            /** Route keys of a canonical id, preferred first. */
            export function routesFor(canonicalId: CanonicalId): readonly RouteKey[] {
              return ROUTES[canonicalId] ?? [];
            }

            """
        return out
    }
}
