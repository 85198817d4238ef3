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
    /// A name that resolves to one route (an alias, another spelling) counts
    /// under that route's key.
    public func recordOutcome(route name: String, unit: String, outcome: Outcome, count: Int64 = 1) throws {
        let resolved = try resolveName(name)
        var route = name
        if resolved.routeKeys.count == 1, let key = resolved.routeKeys.first {
            route = key
        } else if resolved.ambiguous {
            throw RegDBError.ambiguous(name: name, candidates: resolved.candidates)
        } else if let slash = name.firstIndex(of: "/"), slash != name.startIndex, name.index(after: slash) != name.endIndex,
                  resolved.modelID == nil || resolved.match == "normalized" {
            route = name
        } else if let model = resolved.modelID {
            throw RegDBError.expectedRoute(name: name, model: model, routes: try self.routes(of: model).map(\.routeKey))
        } else {
            throw RegDBError.notFound(name: name, suggestions: try suggestions(for: name))
        }
        let column = ["success": "successes", "failure": "failures", "timeout": "timeouts"][outcome.rawValue] ?? "failures"
        // A writer holding the registry past the busy timeout (an open sqlite3 transaction): try
        // again twice, then say plainly that this outcome was not recorded.
        var attempt = 0
        while true {
            do {
                try record(route: route, unit: unit, column: column, count: count)
                return
            } catch let error as RegDBError where error.sqliteCode == 5 || error.sqliteCode == 6 {
                attempt += 1
                if attempt < 3 { continue }
                throw RegDBError.database(path: path, message: """
                    outcome not recorded: another writer held the registry for over \(JSONValue.compact(Registry.busyTimeout * 3)) s \
                    (an open sqlite3 transaction?); record it again once it is done
                    """)
            }
        }
    }

    private func record(route: String, unit: String, column: String, count: Int64) throws {
        try write { db in
            // No counter, and no sum `metrics show` makes of them, may pass 2^63 - 1.
            let total = try Double.fetchOne(db, sql: """
                SELECT total(successes) + total(failures) + total(timeouts) FROM route_outcome WHERE unit = ?
                """, arguments: [unit]) ?? 0
            guard count >= 0, total + Double(count) < 9.2e18 else {
                throw RegDBError.pricing("outcome not recorded: the counters of unit \(unit) would pass 9.2e18 (2^63 - 1); they hold \(JSONValue.compact(total))")
            }
            try db.execute(sql: """
                INSERT INTO route_outcome (unit, route_key, \(column), last_seen) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (unit, route_key) DO UPDATE SET \(column) = \(column) + ?3, last_seen = ?4
                """, arguments: [unit, route, count, Registry.timestamp()])
        }
    }

    /// Adds migrated history to `route_outcome`, in one transaction, so failover health sees it.
    public func importOutcomes(_ rows: [(unit: String, route: String, counts: OutcomeCounts)]) throws {
        let now = Registry.timestamp()
        try write { db in
            for row in rows {
                try db.execute(sql: """
                    INSERT INTO route_outcome (unit, route_key, successes, failures, timeouts, last_seen) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (unit, route_key) DO UPDATE SET successes = successes + excluded.successes,
                        failures = failures + excluded.failures, timeouts = timeouts + excluded.timeouts, last_seen = excluded.last_seen
                    """, arguments: [row.unit, row.route, row.counts.successes, row.counts.failures, row.counts.timeouts, now])
            }
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
    /// `{unit: {canonical_id: {aggregate, by_route}, "_unmapped": {by_route}}}`. With
    /// `canonicalIDs` (and a unit), just those, a never-seen one as zeros with no routes.
    public func metricsReport(unit: String? = nil, canonicalIDs: [String] = []) throws -> JSONValue {
        if !canonicalIDs.isEmpty, let unit {
            let report = try metricsReport(unit: unit)
            let seen = report[unit]
            return .object([(unit, .object(uniqued(canonicalIDs).map { id in
                (id, seen?[id] ?? .object([("aggregate", OutcomeCounts().json), ("by_route", .object([]))]))
            }))])
        }
        return try read { db in
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
                    // Saturating: counts written by hand past what `metrics record` allows do not trap.
                    func plus(_ a: Int64, _ b: Int64) -> Int64 {
                        let (total, overflow) = a.addingReportingOverflow(b)
                        return overflow ? (b > 0 ? .max : .min) : total
                    }
                    for (_, c) in routes {
                        sum.successes = plus(sum.successes, c.successes)
                        sum.failures = plus(sum.failures, c.failures)
                        sum.timeouts = plus(sum.timeouts, c.timeouts)
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
        let (migrated, routes, unmapped) = try transform(json, file: file, canonicalID: { key in
            let resolved = identity.resolve(key)
            return resolved.routeKeys.count == 1 ? resolved.modelID : nil
        })
        let backup = file + backupSuffix
        let temporary = file + ".regdb-tmp"
        // The file's mode is kept, on the new file and on the backup: a 0600 file stays private.
        // Both are created with that mode, never wider for a moment.
        let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions]
        let attributes: [FileAttributeKey: Any]? = mode.map { [.posixPermissions: $0] }
        do {
            try? FileManager.default.removeItem(atPath: backup)
            try? FileManager.default.removeItem(atPath: temporary)
            guard FileManager.default.createFile(atPath: backup, contents: data, attributes: attributes),
                  FileManager.default.createFile(atPath: temporary, contents: Data((migrated.prettyJSONText + "\n").utf8),
                                                 attributes: attributes)
            else { throw CocoaError(.fileWriteUnknown) }
            // rename(2) replaces the file atomically: a reader sees the old or the new form, never half.
            guard rename(temporary, file) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw RegDBError.file(path: file, message: "cannot be rewritten: \(error.localizedDescription)")
        }
        return .migrated(routes: routes, unmapped: unmapped, backup: backup)
    }

    /// The outcome counters of a canonical-keyed metrics file, per unit and
    /// route key, for `route_outcome`: fields named successes, failures and
    /// timeouts (or success/successCount/success_count…). Routes with none of
    /// them, or whose key is no route key, are counted in `skipped`.
    public static func outcomes(of json: JSONValue) -> (rows: [(unit: String, route: String, counts: OutcomeCounts)], skipped: Int) {
        var rows: [(String, String, OutcomeCounts)] = []
        var skipped = 0
        guard case .object(let units) = json else { return ([], 0) }
        for (unit, entries) in units {
            guard case .object(let models) = entries else { continue }
            for (_, entry) in models {
                guard case .object(let routes)? = entry["by_route"] else { continue }
                for (route, counters) in routes {
                    var counts = OutcomeCounts(), found = false
                    if case .object(let fields) = counters {
                        for (name, value) in fields {
                            guard case .integer(let n) = value, n >= 0 else { continue }
                            let key = name.lowercased().replacingOccurrences(of: "_", with: "")
                            switch key {
                            case "successes", "success", "successcount": counts.successes = saturating(counts.successes, n); found = true
                            case "failures", "failure", "failurecount", "errors": counts.failures = saturating(counts.failures, n); found = true
                            case "timeouts", "timeout", "timeoutcount": counts.timeouts = saturating(counts.timeouts, n); found = true
                            default: continue
                            }
                        }
                    }
                    // route_outcome keeps route keys only (PROVIDER/WIRE_ID).
                    let isRouteKey = route.firstIndex(of: "/").map { $0 != route.startIndex && route.index(after: $0) != route.endIndex } ?? false
                    if found && isRouteKey && !unit.isEmpty { rows.append((unit, route, counts)) } else { skipped += 1 }
                }
            }
        }
        return (rows, skipped)
    }

    private static func saturating(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int64.max : sum
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
        // Words of snake_case, kebab-case and camelCase names alike: avgLatencyMs is avg, latency, ms.
        var words: [String] = [], word = ""
        for character in field {
            if character == "_" || character == "-" || (character.isUppercase && !(word.last?.isUppercase ?? true)) {
                if !word.isEmpty { words.append(word.lowercased()) }
                word = character == "_" || character == "-" ? "" : String(character)
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { words.append(word.lowercased()) }
        let parts = Set(words)
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
                    if let d = doubles[name] {
                        doubles[name] = d + Double(i)
                    } else if case let (total, false) = (integers[name] ?? 0).addingReportingOverflow(i) {
                        integers[name] = total
                    } else {
                        // Past Int64: the sum goes on as a double, as it does once a field is fractional.
                        doubles[name] = Double(integers[name] ?? 0) + Double(i)
                        integers[name] = nil
                    }
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

/// The canonical-keyed metrics report (`regdb metrics show`): as JSON, design doc 004's
/// form; as a table, one row per canonical id's aggregate and per route.
public struct MetricsReport: Renderable, Sendable {
    public var json: JSONValue

    public init(_ json: JSONValue) {
        self.json = json
    }

    public var table: ResultTable {
        func counters(_ unit: String, _ canonical: String, _ route: String, _ counts: JSONValue) -> [JSONValue] {
            [.string(unit), .string(canonical), .string(route),
             counts["successes"] ?? .integer(0), counts["failures"] ?? .integer(0), counts["timeouts"] ?? .integer(0)]
        }
        var rows: [[JSONValue]] = []
        if case .object(let units) = json {
            for (unit, canonicals) in units {
                guard case .object(let entries) = canonicals else { continue }
                for (canonical, entry) in entries {
                    if let aggregate = entry["aggregate"] { rows.append(counters(unit, canonical, "(aggregate)", aggregate)) }
                    if case .object(let routes)? = entry["by_route"] {
                        for (route, counts) in routes { rows.append(counters(unit, canonical, route, counts)) }
                    }
                }
            }
        }
        return ResultTable(columns: ["unit", "canonical_id", "route_key", "successes", "failures", "timeouts"], rows: rows)
    }
}
