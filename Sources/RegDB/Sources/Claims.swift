/// Kinds of source, in rising precedence.
public enum SourceKind: String, CaseIterable, Sendable {
    case builtin, server, file, override

    /// How a context window from this kind of source was learned.
    var observationKind: String {
        switch self {
        case .builtin: return "docs"
        case .server: return "server"
        case .file, .override: return "manual"
        }
    }
}

/// What a provider, model or route is.
enum EntityKind: String, CaseIterable, Sendable {
    case provider, model, route, rule
}

/// One field value one source gives for one entity.
struct Claim: Equatable, Sendable {
    var entity: EntityKind
    var entityID: String
    /// Seed field name; map fields per key (`defaults.duration`), prices per row (`pricing.second.audio`).
    var field: String
    var value: JSONValue
    /// Position in the source, so merged lists and maps keep the source's order.
    var seq: Int
    var path: JSONPath
}

/// A claim read back from the database with its source.
struct StoredClaim {
    var claim: Claim
    var sourceID: Int64
    var sourceName: String
    var sourceKind: SourceKind
    /// Higher wins.
    var rank: Int
    var observedAt: String
}

enum Claims {
    /// Object fields merged key by key rather than replaced whole.
    static let routeMaps: Set = ["categories", "defaults", "multipliers", "capabilities", "extended_features",
                                 "input_requirements", "info", "metadata"]
    static let modelMaps: Set = ["scores", "metadata"]

    /// Every claim a seed file makes, in file order.
    static func extract(from seeds: [SeedFile]) -> [Claim] {
        var claims: [Claim] = []
        for seed in seeds {
            for provider in seed.providers {
                cut(provider.json, .provider, provider.id, path: provider.path, skip: ["id"], maps: [], into: &claims)
            }
            for model in seed.models {
                cut(model.json, .model, model.id, path: model.path, skip: ["id", "routes"], maps: modelMaps, into: &claims)
            }
            // A nested route claims its enclosing model. A top-level route without "model"
            // claims none: another source may say it, else the wire id stands (design doc 004).
            for model in seed.models {
                for route in model.routes {
                    if route.json["model"] == nil {
                        claims.append(Claim(entity: .route, entityID: route.routeKey, field: "model",
                                            value: .string(model.id), seq: claims.count, path: route.path))
                    }
                    cut(route.json, .route, route.routeKey, path: route.path, skip: ["route"], maps: routeMaps, into: &claims)
                }
            }
            for route in seed.routes {
                cut(route.json, .route, route.routeKey, path: route.path, skip: ["route"], maps: routeMaps, into: &claims)
            }
            // A rule is one claim: its whole object.
            for rule in seed.rules {
                claims.append(Claim(entity: .rule, entityID: rule.id, field: "rule", value: rule.json, seq: claims.count,
                                    path: rule.path))
            }
        }
        return claims
    }

    private static func cut(_ json: JSONValue, _ entity: EntityKind, _ id: String, path: JSONPath,
                            skip: Set<String>, maps: Set<String>, into claims: inout [Claim]) {
        guard case .object(let members) = json else { return }
        // The entity's own id, so that a source listing it with nothing else still provides it.
        let idField = entity == .route ? "route" : "id"
        claims.append(Claim(entity: entity, entityID: id, field: idField, value: .string(id), seq: claims.count,
                            path: path.appending(idField)))
        for (field, value) in members where !skip.contains(field) && value != .null {
            let fieldPath = path.appending(field)
            if maps.contains(field), case .object(let entries) = value {
                // In a map, null is a value ("the default shot_type is null"), kept as a claim.
                for (key, entry) in entries {
                    claims.append(Claim(entity: entity, entityID: id, field: field + "." + key, value: entry,
                                        seq: claims.count, path: fieldPath.appending(key)))
                }
            } else if field == "pricing", case .array(let rows) = value {
                for (index, row) in rows.enumerated() {
                    claims.append(Claim(entity: entity, entityID: id, field: priceField(row), value: row,
                                        seq: claims.count, path: fieldPath.appending(index)))
                }
            } else {
                claims.append(Claim(entity: entity, entityID: id, field: field, value: value, seq: claims.count, path: fieldPath))
            }
        }
    }

    /// `pricing.<unit>[.<variant>][.above_<n>]`: one claim per price row.
    static func priceField(_ row: JSONValue) -> String {
        var field = "pricing." + (row["unit"]?.stringValue ?? "?")
        if let variant = row["variant"]?.stringValue { field += "." + variant }
        if let above = row["above"]?.doubleValue { field += ".above_" + JSONValue.number(above).jsonText }
        return field
    }

    /// The seed-shaped document the claims of one entity make, and the claim
    /// in force for each field. `claims` run from lowest to highest rank; a
    /// later claim for a field replaces an earlier one but keeps its place.
    static func merge(_ claims: [StoredClaim], entity: EntityKind, id: String) -> (document: JSONValue, winners: [String: StoredClaim]) {
        let maps = entity == .route ? routeMaps : entity == .model ? modelMaps : []
        var order: [String] = []
        var scalars: [String: JSONValue] = [:]
        var mapEntries: [String: [(key: String, value: JSONValue)]] = [:]
        var prices: [(field: String, value: JSONValue)] = []
        var winners: [String: StoredClaim] = [:]
        let idField = entity == .route ? "route" : "id"
        for stored in claims where stored.claim.field != idField {
            let claim = stored.claim
            // The highest-precedence non-null value wins: a null never replaces a value.
            if claim.value == .null, winners[claim.field] != nil { continue }
            winners[claim.field] = stored
            let top = claim.field.split(separator: ".", maxSplits: 1).first.map(String.init) ?? claim.field
            if !order.contains(top) { order.append(top) }
            if top == "pricing" && claim.field != "pricing" {
                if let index = prices.firstIndex(where: { $0.field == claim.field }) {
                    prices[index].value = claim.value
                } else {
                    prices.append((claim.field, claim.value))
                }
            } else if maps.contains(top) && claim.field != top {
                let key = String(claim.field.dropFirst(top.count + 1))
                if let index = mapEntries[top]?.firstIndex(where: { $0.key == key }) {
                    mapEntries[top]?[index].value = claim.value
                } else {
                    mapEntries[top, default: []].append((key, claim.value))
                }
            } else {
                scalars[claim.field] = claim.value
            }
        }
        var members: [(key: String, value: JSONValue)] = [(entity == .route ? "route" : "id", .string(id))]
        for key in order {
            if key == "pricing" {
                members.append((key, .array(prices.map(\.value))))
            } else if let entries = mapEntries[key] {
                members.append((key, .object(entries)))
            } else if let value = scalars[key] {
                members.append((key, value))
            }
        }
        return (.object(members), winners)
    }
}
