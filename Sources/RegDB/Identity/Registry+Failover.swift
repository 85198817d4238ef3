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

    /// The structured event for a generation downgrade, or nil when there is none.
    public func downgradeEvent(unit: String) -> JSONValue? {
        guard relation == .downgrade else { return nil }
        return .object([
            ("event", .string("generation_downgrade")), ("unit", .string(unit)),
            ("from_route", .string(from.routeKey)), ("to_route", .string(to.routeKey)),
            ("from_canonical", .string(from.canonicalID)), ("to_canonical", .string(to.canonicalID)),
            ("from_generation", .string(from.generation)), ("to_generation", .string(to.generation)),
        ])
    }
}

extension Registry {
    /// Picks the next route to try after `route` failed for `unit`.
    ///
    /// Candidates are the other routes of the same canonical model, of the
    /// same generation, and of the same family; never a route in `failed`.
    /// With `pinned`, only routes of the same canonical id qualify. Order:
    /// same canonical id first, then same generation, then the rest; within
    /// each, routes of the same tier first, then explicit priority from the
    /// seeds (lower first, none last), then
    /// health from the unit's outcome metrics (higher first), then route key.
    /// A choice that crosses a generation is recorded in `failover_event`.
    public func failover(from route: String, unit: String, failed: [String] = [], pinned: Bool) throws -> FailoverDecision {
        let identity = try ModelIdentity(registry: self)
        guard let current = identity.lookupRoute(route) else {
            if identity.generation(for: route) != nil {
                let routes = identity.routes(for: route).map(\.routeKey)
                throw RegDBError.expectedRoute(name: route, routes: routes)
            }
            throw RegDBError.notFound(name: route, suggestions: try suggestions(for: route))
        }
        let excluded = Set(failed + [route])
        let (family, health) = try read { db -> (String?, [String: Double]) in
            let family = try String.fetchOne(db, sql: "SELECT family FROM model WHERE id = ?", arguments: [current.canonicalID])
            var health: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT route_key, successes, total FROM metrics_by_route WHERE unit = ?",
                                        arguments: [unit]) {
                let successes: Double = row["successes"], total: Double = row["total"]
                health[row["route_key"]] = (successes + 1) / (total + 2)
            }
            return (family, health)
        }
        let families = try read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, family FROM model WHERE family IS NOT NULL").map {
                ($0["id"] as String, $0["family"] as String)
            })
        }

        var candidates: [(relation: FailoverDecision.Relation, route: ResolvedModel)] = []
        for canonical in identity.allCanonicalIDs() {
            let relation: FailoverDecision.Relation
            if canonical == current.canonicalID {
                relation = .sameCanonical
            } else if pinned {
                continue
            } else if identity.sameGeneration(canonical, current.canonicalID) {
                relation = .sameGeneration
            } else if let family, families[canonical] == family {
                relation = .downgrade
            } else {
                continue
            }
            for candidate in identity.routes(for: canonical) where !excluded.contains(candidate.routeKey) {
                candidates.append((relation, candidate))
            }
        }
        let rank: [FailoverDecision.Relation: Int] = [.sameCanonical: 0, .sameGeneration: 1, .downgrade: 2]
        let neutral = 0.5
        candidates.sort { a, b in
            if a.relation != b.relation { return rank[a.relation, default: 3] < rank[b.relation, default: 3] }
            let sameTierA = a.route.tier == current.tier, sameTierB = b.route.tier == current.tier
            if sameTierA != sameTierB { return sameTierA }
            if a.route.priority != b.route.priority { return ModelIdentity.preferred(a.route, b.route) }
            let ha = health[a.route.routeKey] ?? neutral, hb = health[b.route.routeKey] ?? neutral
            if ha != hb { return ha > hb }
            return a.route.routeKey < b.route.routeKey
        }
        guard let choice = candidates.first else {
            let scope = pinned ? "pinned to canonical id \(current.canonicalID)" : "canonical id \(current.canonicalID), its generation or family"
            let tried = excluded.sorted().joined(separator: ", ")
            throw RegDBError.noFailover("no route left to fail over to from \(route) (\(scope)); excluded: \(tried)")
        }
        let decision = FailoverDecision(from: current, to: choice.route, relation: choice.relation,
                                        health: health[choice.route.routeKey] ?? neutral)
        if decision.relation == .downgrade {
            try write { db in
                try db.execute(sql: """
                    INSERT INTO failover_event (at, event, unit, from_route, to_route, from_canonical, to_canonical,
                                                from_generation, to_generation)
                    VALUES (?, 'generation_downgrade', ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [Registry.timestamp(), unit, current.routeKey, choice.route.routeKey,
                                     current.canonicalID, choice.route.canonicalID, current.generation,
                                     choice.route.generation])
            }
        }
        return decision
    }

    /// Now, as ISO 8601 UTC.
    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
