import Foundation
import GRDB

/// The route `regdb failover` chose, and why.
public struct FailoverDecision: Sendable {
    public enum Relation: String, Sendable {
        case sameCanonical = "same canonical id"
        case sameGeneration = "same generation"
        case downgrade = "generation downgrade"
    }

    public var from: ResolvedModel
    public var to: ResolvedModel
    public var relation: Relation
    /// Success rate estimate of `to` for the unit: (successes + 1) / (outcomes + 2).
    public var health: Double
    /// Generations stepped down by `generation_rank` (negative: up); nil when either is unranked.
    public var steps: Int?

    /// The structured event for a generation downgrade, or nil when there is none.
    public func downgradeEvent(unit: String) -> JSONValue? {
        guard relation == .downgrade else { return nil }
        return .object([
            ("event", .string("generation_downgrade")), ("unit", .string(unit)),
            ("from_route", .string(from.routeKey)), ("to_route", .string(to.routeKey)),
            ("from_canonical", .string(from.canonicalID)), ("to_canonical", .string(to.canonicalID)),
            ("from_generation", .string(from.generation)), ("to_generation", .string(to.generation)),
            ("steps", steps.map { .integer(Int64($0)) } ?? .null),
        ])
    }
}

extension Registry {
    /// The unit types whose failover never leaves the canonical id: the setting pinned_units
    /// (comma-separated; empty: none), else design doc 004's solver pin, `solve`.
    public func pinnedUnits() throws -> [String] {
        let stored = try read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = 'pinned_units'") }
        guard let stored else { return ["solve"] }
        return stored.split(separator: ",").map(String.init)
    }

    /// Picks the next route to try after `route` failed for `unit`.
    ///
    /// Candidates are the other routes of the same canonical model, of the
    /// same generation, and of the same family; never a route in `failed`.
    /// With `pinned`, only routes of the same canonical id qualify; by default a unit is pinned
    /// when the registry's setting pinned_units lists it (solve, unless set). Order:
    /// same canonical id first, then same generation, then other generations
    /// of the family: the nearest older first (by `generation_rank`), then
    /// newer ones, then unranked ones. Within each, routes of the same tier
    /// first, then explicit priority from the seeds (lower first, none last),
    /// then health from the unit's outcome metrics (higher first), then route
    /// key. A choice that crosses a generation is recorded in `failover_event`
    /// with how many generations it stepped down.
    public func failover(from route: String, unit: String, failed: [String] = [], pinned: Bool? = nil) throws -> FailoverDecision {
        let pinned = try pinned ?? pinnedUnits().contains(unit)
        let (current, candidates, health, currentRank) = try read { db -> (ResolvedModel, [(FailoverDecision.Relation, Int?, ResolvedModel)], [String: Double], Int?) in
            let resolved = try NameResolver.resolve(route, in: SQLNameIndex(db))
            guard let model = resolved.modelID else { throw try unresolved(resolved, db) }
            guard resolved.routeKeys.count == 1, let current = try Registry.resolvedRoutes(db, keys: resolved.routeKeys).first else {
                throw RegDBError.expectedRoute(name: route, model: model,
                                               routes: try SQLNameIndex(db).routeKeys(ofModel: model, provider: nil))
            }
            guard let me = try Row.fetchOne(db, sql: """
                SELECT family, ifnull(generation, id) AS generation, generation_rank FROM model WHERE id = ?
                """, arguments: [current.canonicalID]) else { throw RegDBError.noRoute(model: current.canonicalID) }
            let family: String? = me["family"], generation: String = me["generation"], rank: Int? = me["generation_rank"]
            var related: [(id: String, relation: FailoverDecision.Relation, rank: Int?)] = [(current.canonicalID, .sameCanonical, rank)]
            if !pinned {
                for row in try Row.fetchAll(db, sql: """
                    SELECT id, ifnull(generation, id) = ?2 AS same, generation_rank FROM model
                    WHERE id <> ?1 AND (generation = ?2 OR (?3 IS NOT NULL AND family = ?3))
                    ORDER BY id
                    """, arguments: [current.canonicalID, generation, family]) {
                    related.append((row["id"], row["same"] ? .sameGeneration : .downgrade, row["generation_rank"]))
                }
            }
            var candidates: [(FailoverDecision.Relation, Int?, ResolvedModel)] = []
            for model in related {
                for candidate in try Registry.resolvedRoutes(db, model: model.id) {
                    candidates.append((model.relation, model.rank, candidate))
                }
            }
            var health: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT route_key, successes, total FROM metrics_by_route WHERE unit = ?",
                                        arguments: [unit]) {
                let successes: Double = row["successes"], total: Double = row["total"]
                health[row["route_key"]] = (successes + 1) / (total + 2)
            }
            return (current, candidates, health, rank)
        }
        let excluded = Set(failed + [current.routeKey, route])
        let rank: [FailoverDecision.Relation: Int] = [.sameCanonical: 0, .sameGeneration: 1, .downgrade: 2]
        // Other generations: the nearest older first, then newer ones nearest first, then unranked ones.
        func distance(_ candidateRank: Int?) -> (Int, Int) {
            guard let currentRank, let candidateRank else { return (2, 0) }
            return candidateRank <= currentRank ? (0, currentRank - candidateRank) : (1, candidateRank - currentRank)
        }
        let neutral = 0.5
        let ordered = candidates.filter { !excluded.contains($0.2.routeKey) }.sorted { a, b in
            if a.0 != b.0 { return rank[a.0, default: 3] < rank[b.0, default: 3] }
            if a.0 == .downgrade, distance(a.1) != distance(b.1) { return distance(a.1) < distance(b.1) }
            let sameTierA = a.2.tier == current.tier, sameTierB = b.2.tier == current.tier
            if sameTierA != sameTierB { return sameTierA }
            if a.2.priority != b.2.priority { return (a.2.priority ?? Int64.max) < (b.2.priority ?? Int64.max) }
            let ha = health[a.2.routeKey] ?? neutral, hb = health[b.2.routeKey] ?? neutral
            if ha != hb { return ha > hb }
            return a.2.routeKey < b.2.routeKey
        }
        guard let choice = ordered.first else {
            let scope = pinned ? "pinned to canonical id \(current.canonicalID)" : "canonical id \(current.canonicalID), its generation or family"
            let tried = excluded.sorted().joined(separator: ", ")
            throw RegDBError.noFailover("no route left to fail over to from \(current.routeKey) (\(scope)); excluded: \(tried)")
        }
        let steps = choice.0 == .downgrade ? currentRank.flatMap { from in choice.1.map { from - $0 } } : nil
        let decision = FailoverDecision(from: current, to: choice.2, relation: choice.0,
                                        health: health[choice.2.routeKey] ?? neutral, steps: steps)
        if decision.relation == .downgrade {
            try write { db in
                try db.execute(sql: """
                    INSERT INTO failover_event (at, event, unit, from_route, to_route, from_canonical, to_canonical,
                                                from_generation, to_generation, steps)
                    VALUES (?, 'generation_downgrade', ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [Registry.timestamp(), unit, current.routeKey, choice.2.routeKey,
                                     current.canonicalID, choice.2.canonicalID, current.generation,
                                     choice.2.generation, steps])
            }
        }
        return decision
    }
}

extension FailoverDecision: Renderable {
    var fields: [(String, JSONValue)] {
        [("route_key", .string(to.routeKey)), ("canonical_id", .string(to.canonicalID)), ("generation", .string(to.generation)),
         ("tier", .string(to.tier)), ("reason", .string(relation.rawValue)), ("health", .number(health))]
    }

    public var table: ResultTable { Record(fields).table }
    public var json: JSONValue { Record(fields).json }
}
