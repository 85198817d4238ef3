import Dispatch
import Foundation

/// Kinds of source, in rising precedence.
public enum SourceKind: String, CaseIterable, Sendable {
    case catalog, builtin, server, file, override

    /// How a context window from this kind of source was learned.
    var observationKind: String {
        switch self {
        case .builtin, .catalog: return "docs"
        case .server: return "server"
        case .file: return "file"
        case .override: return "override"
        }
    }
}

/// What a provider, model or route is.
enum EntityKind: String, CaseIterable, Sendable {
    case provider, model, route, rule
}

/// What one source says about one entity: its whole seed object. Fields are
/// merged between sources field by field (maps key by key, prices row by row);
/// `Claims.fields` cuts an object into those fields when sources must be merged.
struct Claim: Equatable, Sendable {
    var entity: EntityKind
    var entityID: String
    /// The entity's seed object (a model's without its routes; a nested route's with
    /// its enclosing model as "model" when it names none). A rule's whole object.
    var value: JSONValue
    /// Position in the source, so merged lists and maps keep the source's order.
    var seq: Int
    /// JSON path of the entity in the source file.
    var path: JSONPath
}

/// An entity of one kind, as claims and catalog rows name it.
struct EntityKey: Hashable, Sendable {
    var entity: EntityKind
    var id: String
}

/// An entity as the seed reader decoded it when its file was read.
enum DecodedEntity {
    case provider(SeedProvider)
    case model(SeedModel)
    case route(SeedRoute)
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

/// One field value of a claim: `defaults.duration`, `pricing.second.audio`, `name`.
struct FieldClaim {
    var field: String
    var value: JSONValue
    /// Top-level seed field (`defaults`, `pricing`, `name`).
    var top: String
    /// Map key, or the index of the price row in the claim's `pricing`.
    var key: String?
    var index: Int?
    /// For a price given in several dated rows: the index of each in the claim's `pricing`.
    var indices: [Int] = []
}

enum Claims {
    /// Object fields merged key by key rather than replaced whole.
    static let routeMaps: Set = ["categories", "defaults", "multipliers", "capabilities", "extended_features",
                                 "input_requirements", "info", "metadata"]
    static let modelMaps: Set = ["scores", "metadata"]

    static func maps(_ entity: EntityKind) -> Set<String> {
        entity == .route ? routeMaps : entity == .model ? modelMaps : []
    }

    static func idField(_ entity: EntityKind) -> String {
        entity == .route ? "route" : "id"
    }

    /// Every claim a seed file makes, in file order: one per entity.
    static func extract(from seeds: [SeedFile]) -> [Claim] {
        var claims: [Claim] = []
        for seed in seeds {
            for provider in seed.providers {
                claims.append(Claim(entity: .provider, entityID: provider.id, value: provider.json, seq: claims.count,
                                    path: provider.path))
            }
            for model in seed.models {
                var own = model.json
                if case .object(let members) = own, members.contains(where: { $0.key == "routes" }) {
                    own = .object(members.filter { $0.key != "routes" })
                }
                claims.append(Claim(entity: .model, entityID: model.id, value: own, seq: claims.count, path: model.path))
            }
            // A nested route claims its enclosing model. A top-level route without "model"
            // claims none: another source may say it, else the wire id stands (design doc 004).
            for model in seed.models {
                for route in model.routes {
                    var value = route.json
                    if route.json["model"] == nil, case .object(var members) = value {
                        let at = (members.firstIndex { $0.key == "route" }).map { $0 + 1 } ?? 0
                        members.insert(("model", .string(model.id)), at: at)
                        value = .object(members)
                    }
                    claims.append(Claim(entity: .route, entityID: route.routeKey, value: value, seq: claims.count,
                                        path: route.path))
                }
            }
            for route in seed.routes {
                claims.append(Claim(entity: .route, entityID: route.routeKey, value: route.json, seq: claims.count,
                                    path: route.path))
            }
            for rule in seed.rules {
                claims.append(Claim(entity: .rule, entityID: rule.id, value: rule.json, seq: claims.count, path: rule.path))
            }
        }
        return claims
    }

    /// What the seed reader made of each entity of `seeds`, by entity: an entity
    /// one source alone describes need not be decoded again from its claim.
    static func decoded(from seeds: [SeedFile]) -> [EntityKey: DecodedEntity] {
        var decoded: [EntityKey: DecodedEntity] = [:]
        for seed in seeds {
            for provider in seed.providers { decoded[EntityKey(entity: .provider, id: provider.id)] = .provider(provider) }
            for model in seed.models { decoded[EntityKey(entity: .model, id: model.id)] = .model(model) }
            for route in seed.allRoutes { decoded[EntityKey(entity: .route, id: route.routeKey)] = .route(route) }
        }
        return decoded
    }

    /// The fields a claim gives, in its order: the entity's id first, then each
    /// non-null field; a map per key (a null entry is a value there: "the default
    /// shot_type is null"), pricing per row. A rule is one field, `rule`.
    static func fields(of claim: Claim) -> [FieldClaim] {
        if claim.entity == .rule { return [FieldClaim(field: "rule", value: claim.value, top: "rule")] }
        let idField = idField(claim.entity)
        var fields = [FieldClaim(field: idField, value: .string(claim.entityID), top: idField)]
        guard case .object(let members) = claim.value else { return fields }
        let maps = maps(claim.entity)
        let skip = claim.entity == .model ? "routes" : idField
        for (field, value) in members where field != idField && field != skip && value != .null {
            if maps.contains(field), case .object(let entries) = value {
                for (key, entry) in entries {
                    fields.append(FieldClaim(field: field + "." + key, value: entry, top: field, key: key))
                }
            } else if field == "pricing", case .array(let rows) = value {
                // One field per price (unit, variant, threshold) with all its dated rows: a
                // source that gives a price gives its whole history, never half of another's.
                var groups: [(field: String, indices: [Int], rows: [JSONValue])] = []
                for (index, row) in rows.enumerated() {
                    let name = SeedPrice.field(of: row)
                    if let at = groups.firstIndex(where: { $0.field == name }) {
                        groups[at].rows.append(row)
                        groups[at].indices.append(index)
                    } else {
                        groups.append((name, [index], [row]))
                    }
                }
                for group in groups {
                    fields.append(FieldClaim(field: group.field, value: group.rows.count == 1 ? group.rows[0] : .array(group.rows),
                                             top: field, index: group.indices[0], indices: group.indices))
                }
            } else {
                fields.append(FieldClaim(field: field, value: value, top: field))
            }
        }
        return fields
    }

    /// Where a field of a claim sits in its source file.
    static func path(of field: FieldClaim, in claim: Claim) -> JSONPath {
        if field.top == idField(claim.entity) || claim.entity == .rule { return claim.path }
        var path = claim.path.appending(field.top)
        if let key = field.key { path = path.appending(key) }
        if let index = field.index { path = path.appending(index) }
        return path
    }

    /// The seed-shaped document of one entity that one source alone describes:
    /// what `merge` makes of its claim, without cutting it into fields.
    static func document(of claim: Claim) -> JSONValue {
        let idField = idField(claim.entity)
        guard case .object(let members) = claim.value else { return .object([(idField, .string(claim.entityID))]) }
        let skip = claim.entity == .model ? "routes" : idField
        var result: [(key: String, value: JSONValue)] = [(idField, .string(claim.entityID))]
        result.reserveCapacity(members.count + 1)
        let maps = maps(claim.entity)
        var seen = Set<String>()
        for member in members where member.key != idField && member.key != skip && member.value != .null {
            // Duplicates (a key or price row given twice) collapse as a merge would collapse them.
            if maps.contains(member.key), case .object(let entries) = member.value {
                if Set(entries.map(\.key)).count != entries.count { return merge([lone(claim)], entity: claim.entity, id: claim.entityID).document }
            } else if member.key == "pricing", case .array(let rows) = member.value {
                if Set(rows.map(SeedPrice.field(of:))).count != rows.count {
                    let merged = merge([lone(claim)], entity: claim.entity, id: claim.entityID).document
                    if merged["pricing"].map({ $0 != member.value }) ?? true { return merged }
                }
            }
            guard seen.insert(member.key).inserted else { return merge([lone(claim)], entity: claim.entity, id: claim.entityID).document }
            result.append(member)
        }
        return .object(result)
    }

    private static func lone(_ claim: Claim) -> StoredClaim {
        StoredClaim(claim: claim, sourceID: 0, sourceName: "", sourceKind: .builtin, rank: 0, observedAt: "")
    }

    /// The seed-shaped document the claims of one entity make, and the claim
    /// in force for each field (its index in `claims`, and the field). `claims`
    /// run from lowest to highest rank; a later claim for a field replaces an
    /// earlier one but keeps its place.
    static func merge(_ claims: [StoredClaim], entity: EntityKind, id: String)
        -> (document: JSONValue, winners: [String: (claim: Int, field: FieldClaim)]) {
        var order: [String] = []
        var scalars: [String: JSONValue] = [:]
        var mapEntries: [String: [(key: String, value: JSONValue)]] = [:]
        var prices: [(field: String, value: JSONValue, indices: [Int])] = []
        var winners: [String: (claim: Int, field: FieldClaim)] = [:]
        let idField = idField(entity)
        for (index, stored) in claims.enumerated() {
            for claim in fields(of: stored.claim) where claim.field != idField {
                // The highest-precedence non-null value wins: a null never replaces a value.
                if claim.value == .null, winners[claim.field] != nil { continue }
                winners[claim.field] = (index, claim)
                let top = claim.top
                if !order.contains(top) { order.append(top) }
                if claim.index != nil {
                    if let at = prices.firstIndex(where: { $0.field == claim.field }) {
                        prices[at].value = claim.value
                        prices[at].indices = claim.indices
                    } else {
                        prices.append((claim.field, claim.value, claim.indices))
                    }
                } else if let key = claim.key {
                    if let at = mapEntries[top]?.firstIndex(where: { $0.key == key }) {
                        mapEntries[top]?[at].value = claim.value
                    } else {
                        mapEntries[top, default: []].append((key, claim.value))
                    }
                } else {
                    scalars[claim.field] = claim.value
                }
            }
        }
        var members: [(key: String, value: JSONValue)] = [(idField, .string(id))]
        for key in order {
            if key == "pricing", !prices.isEmpty || scalars[key] == nil {
                // Rows in the order their sources gave them (one source's pricing keeps its
                // order exactly), rows of equal place in the order the prices first appeared.
                var placed: [(at: Int, order: Int, row: JSONValue)] = []
                for (order, price) in prices.enumerated() {
                    if case .array(let rows) = price.value, rows.count == price.indices.count, rows.count > 1 {
                        for (row, index) in zip(rows, price.indices) { placed.append((index, order, row)) }
                    } else {
                        placed.append((price.indices.first ?? order, order, price.value))
                    }
                }
                let sorted = placed.enumerated().sorted { a, b in
                    (a.element.at, a.element.order, a.offset) < (b.element.at, b.element.order, b.offset)
                }
                members.append((key, .array(sorted.map(\.element.row))))
            } else if let entries = mapEntries[key] {
                members.append((key, .object(entries)))
            } else if let value = scalars[key] {
                members.append((key, value))
            }
        }
        return (.object(members), winners)
    }
}
