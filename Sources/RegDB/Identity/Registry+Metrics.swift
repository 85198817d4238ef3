import Foundation
import GRDB

/// How one call on a route ended.
public enum Outcome: String, CaseIterable, Sendable {
    case success, failure, timeout
}

/// Outcome counters of one route or one canonical model.
public struct OutcomeCounts: Equatable, Sendable {
    public var successes: Int64 = 0
    public var failures: Int64 = 0
    public var timeouts: Int64 = 0

    public init(successes: Int64 = 0, failures: Int64 = 0, timeouts: Int64 = 0) {
        self.successes = successes
        self.failures = failures
        self.timeouts = timeouts
    }

    var json: JSONValue {
        .object([("successes", .integer(successes)), ("failures", .integer(failures)), ("timeouts", .integer(timeouts))])
    }
}

extension Registry {
    /// Counts `count` outcomes of `route` for `unit`. Route keys the registry
    /// does not know are kept (they report under `_unmapped`).
    public func recordOutcome(route: String, unit: String, outcome: Outcome, count: Int64 = 1) throws {
        guard let slash = route.firstIndex(of: "/"), slash != route.startIndex, route.index(after: slash) != route.endIndex else {
            let routes = try ModelIdentity(registry: self).routes(for: route).map(\.routeKey)
            throw RegDBError.expectedRoute(name: route, routes: routes)
        }
        let column = ["success": "successes", "failure": "failures", "timeout": "timeouts"][outcome.rawValue] ?? "failures"
        try write { db in
            try db.execute(sql: """
                INSERT INTO route_outcome (unit, route_key, \(column), last_seen) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (unit, route_key) DO UPDATE SET \(column) = \(column) + ?3, last_seen = ?4
                """, arguments: [unit, route, count, Registry.timestamp()])
        }
    }

    /// Counters of a canonical id for a unit; zeros for one never seen.
    public func outcomes(canonicalID: String, unit: String) throws -> OutcomeCounts {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT successes, failures, timeouts FROM metrics_aggregate WHERE unit = ? AND canonical_id = ?
                """, arguments: [unit, canonicalID]) else { return OutcomeCounts() }
            return OutcomeCounts(successes: row["successes"], failures: row["failures"], timeouts: row["timeouts"])
        }
    }

    /// Every unit's metrics in design doc 004's canonical-keyed form:
    /// `{unit: {canonical_id: {aggregate, by_route}, "_unmapped": {by_route}}}`.
    public func metricsReport(unit: String? = nil) throws -> JSONValue {
        try read { db in
            var units: [(String, [(String, [(String, OutcomeCounts)])])] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT unit, canonical_id, route_key, successes, failures, timeouts FROM metrics_by_route
                WHERE ?1 IS NULL OR unit = ?1
                ORDER BY unit, canonical_id = '_unmapped', canonical_id, route_key
                """, arguments: [unit]) {
                let u: String = row["unit"], canonical: String = row["canonical_id"]
                let counts = OutcomeCounts(successes: row["successes"], failures: row["failures"], timeouts: row["timeouts"])
                if units.last?.0 != u { units.append((u, [])) }
                if units[units.count - 1].1.last?.0 != canonical { units[units.count - 1].1.append((canonical, [])) }
                let last = units[units.count - 1].1.count - 1
                units[units.count - 1].1[last].1.append((row["route_key"], counts))
            }
            return .object(units.map { unit, canonicals in
                (unit, .object(canonicals.map { canonical, routes in
                    let byRoute = JSONValue.object(routes.map { ($0.0, $0.1.json) })
                    if canonical == "_unmapped" { return (canonical, .object([("by_route", byRoute)])) }
                    var sum = OutcomeCounts()
                    for (_, c) in routes {
                        sum.successes += c.successes
                        sum.failures += c.failures
                        sum.timeouts += c.timeouts
                    }
                    return (canonical, .object([("aggregate", sum.json), ("by_route", byRoute)]))
                }))
            })
        }
    }
}

/// Moves the router's old route-keyed metrics file (design doc 004,
/// `{unit: {"provider/wire": {successes, failures, timeouts, …}}}`) to the
/// canonical-keyed form.
public enum MetricsMigration {
    public enum Result: Equatable, Sendable {
        /// The file was rewritten; the original bytes are in `backup`.
        case migrated(routes: Int, unmapped: Int, backup: String)
        /// The file is already canonical-keyed; nothing was written.
        case alreadyCanonical
    }

    /// Suffix of the one backup kept next to the file.
    public static let backupSuffix = ".pre-canonical-backup"

    /// Migrates `file` in place, keeping exactly one backup of the original.
    public static func migrate(file: String, identity: ModelIdentity) throws -> Result {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RegDBError.file(path: file, message: FileManager.default.fileExists(atPath: file)
                                  ? "cannot be read" : "does not exist")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse([UInt8](data))
        } catch {
            throw RegDBError.violations([Violation(file: file, path: error.path, rule: "json-syntax",
                                                   message: "\(error.message) (line \(error.line), column \(error.column))")])
        }
        if isCanonical(json) { return .alreadyCanonical }
        let (migrated, routes, unmapped) = try transform(json, file: file, canonicalID: identity.canonicalID(for:))
        let backup = file + backupSuffix
        let temporary = file + ".regdb-tmp"
        do {
            try data.write(to: URL(filePath: backup))
            try Data((migrated.prettyJSONText + "\n").utf8).write(to: URL(filePath: temporary))
            // rename(2) replaces the file atomically: a reader sees the old or the new form, never half.
            guard rename(temporary, file) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw RegDBError.file(path: file, message: "cannot be rewritten: \(error.localizedDescription)")
        }
        return .migrated(routes: routes, unmapped: unmapped, backup: backup)
    }

    /// A file is canonical-keyed when every unit maps names to objects holding `by_route`.
    static func isCanonical(_ json: JSONValue) -> Bool {
        guard case .object(let units) = json else { return false }
        return units.allSatisfy { _, entries in
            guard case .object(let members) = entries else { return false }
            return members.allSatisfy { $0.value["by_route"] != nil }
        }
    }

    /// The canonical-keyed form of an old file. `aggregate` sums every numeric
    /// field of the routes it holds; fields that are not numbers stay in by_route only.
    static func transform(_ json: JSONValue, file: String, canonicalID: (String) -> String?) throws -> (JSONValue, Int, Int) {
        func shapeError(_ path: JSONPath, _ message: String) -> RegDBError {
            .violations([Violation(file: file, path: path, rule: "metrics-shape", message: message)])
        }
        guard case .object(let units) = json else {
            throw shapeError(.root, "expected an object of units, found \(json.typeName)")
        }
        var routeCount = 0, unmappedCount = 0
        var result: [(String, JSONValue)] = []
        for (unit, entries) in units {
            guard case .object(let routes) = entries else {
                throw shapeError(JSONPath.root.appending(unit), "expected an object of route keys, found \(entries.typeName)")
            }
            var grouped: [String: [(String, JSONValue)]] = [:]
            for (routeKey, counters) in routes {
                guard case .object = counters else {
                    throw shapeError(JSONPath.root.appending(unit).appending(routeKey), "expected an object of counters, found \(counters.typeName)")
                }
                let canonical = canonicalID(routeKey) ?? "_unmapped"
                if canonical == "_unmapped" { unmappedCount += 1 }
                routeCount += 1
                grouped[canonical, default: []].append((routeKey, counters))
            }
            let order = grouped.keys.filter { $0 != "_unmapped" }.sorted() + (grouped["_unmapped"] == nil ? [] : ["_unmapped"])
            result.append((unit, .object(order.map { canonical in
                let byRoute = JSONValue.object(grouped[canonical] ?? [])
                if canonical == "_unmapped" { return (canonical, .object([("by_route", byRoute)])) }
                return (canonical, .object([("aggregate", sum(grouped[canonical] ?? [])), ("by_route", byRoute)]))
            })))
        }
        return (.object(result), routeCount, unmappedCount)
    }

    /// Whether a numeric field counts events (and so adds up across routes).
    /// Averages, percentiles, rates and latencies do not: they stay per route.
    static func isAdditive(_ field: String) -> Bool {
        let parts = Set(field.lowercased().split(whereSeparator: { $0 == "_" || $0 == "-" }).map(String.init))
        if !parts.isDisjoint(with: ["avg", "average", "mean", "median", "rate", "ratio", "latency", "ms", "score", "min", "max"]) {
            return false
        }
        return !parts.contains { $0.count >= 2 && $0.first == "p" && $0.dropFirst().allSatisfy(\.isNumber) }
    }

    /// Field-wise sum of counters, integers kept integral; field order as first seen.
    static func sum(_ routes: [(String, JSONValue)]) -> JSONValue {
        var order: [String] = []
        var integers: [String: Int64] = [:]
        var doubles: [String: Double] = [:]
        for (_, counters) in routes {
            guard case .object(let fields) = counters else { continue }
            for (name, value) in fields where isAdditive(name) {
                switch value {
                case .integer(let i):
                    if integers[name] == nil && doubles[name] == nil { order.append(name) }
                    if let d = doubles[name] { doubles[name] = d + Double(i) } else { integers[name, default: 0] += i }
                case .number(let d):
                    if integers[name] == nil && doubles[name] == nil { order.append(name) }
                    doubles[name] = (doubles[name] ?? integers[name].map(Double.init) ?? 0) + d
                    integers[name] = nil
                default:
                    continue
                }
            }
        }
        return .object(order.map { name in (name, doubles[name].map(JSONValue.number) ?? .integer(integers[name] ?? 0)) })
    }
}
