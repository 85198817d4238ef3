// Per-call cost of ModelIdentity's route lookup against SQLite's own primary-key
// lookup on the same registry, in one process. Prints one line per measurement:
//     NAME median_ns=… calls=…
// Usage: LookupBench SEED_FILE…
import Foundation
import GRDB
import RegDB

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Median nanoseconds per call over `rounds` rounds of `calls` calls each.
func measure(rounds: Int = 31, calls: Int, _ body: (Int) -> Int) -> Double {
    var samples: [Double] = []
    var sink = 0
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<calls { sink &+= body(i) }
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(calls))
    }
    if sink == 42 { print("") }  // keep the work observable
    return median(samples)
}

let seeds = Array(CommandLine.arguments.dropFirst())
let directory = FileManager.default.temporaryDirectory.appending(path: "regdb-lookup-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let path = directory.appending(path: "registry.db").path
_ = try Registry.importSeeds(files: seeds, into: path)
let registry = try Registry.open(at: path, mode: .readOnly)

let loadStart = DispatchTime.now().uptimeNanoseconds
let identity = try ModelIdentity(registry: registry)
let loadNanoseconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart)

let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
let (routeKeys, routeIDs) = try queue.read { db in
    (try String.fetchAll(db, sql: "SELECT route_key FROM route ORDER BY id"), try Int64.fetchAll(db, sql: "SELECT id FROM route ORDER BY id"))
}
let calls = 200_000

let lookup = measure(calls: calls) { i in identity.lookupRoute(routeKeys[i % routeKeys.count]) == nil ? 0 : 1 }
let canonical = measure(calls: calls) { i in identity.canonicalID(for: routeKeys[i % routeKeys.count])?.utf8.count ?? 0 }
let tier = measure(calls: calls) { i in identity.tier(for: "kimi-k2.5")?.utf8.count ?? i }
// Names as callers write them, through the one resolver: route keys, canonical ids, aliases, bare wire ids.
let names = routeKeys + ["kimi-k2.5", "claude-3-5-sonnet-latest", "moonshotai/kimi-k2.5", "gpt-4o"]
let resolveName = measure(calls: calls) { i in identity.resolve(names[i % names.count]).modelID?.utf8.count ?? 0 }

var primaryKey = 0.0, byRouteKey = 0.0
try queue.read { db in
    let byID = try db.cachedStatement(sql: "SELECT model_id FROM route WHERE id = ?")
    primaryKey = measure(calls: calls / 4) { i in
        ((try? String.fetchOne(byID, arguments: [routeIDs[i % routeIDs.count]])) ?? nil)?.utf8.count ?? 0
    }
    let byKey = try db.cachedStatement(sql: "SELECT model_id FROM route WHERE route_key = ?")
    byRouteKey = measure(calls: calls / 4) { i in
        ((try? String.fetchOne(byKey, arguments: [routeKeys[i % routeKeys.count]])) ?? nil)?.utf8.count ?? 0
    }
}

print("identity_load median_ns=\(Int(loadNanoseconds)) calls=1 routes=\(routeKeys.count)")
print("lookupRoute median_ns=\(String(format: "%.0f", lookup)) calls=\(calls)")
print("canonicalIDFor median_ns=\(String(format: "%.0f", canonical)) calls=\(calls)")
print("resolveName median_ns=\(String(format: "%.0f", resolveName)) calls=\(calls)")
print("tierFor median_ns=\(String(format: "%.0f", tier)) calls=\(calls)")
print("sqlite_primary_key median_ns=\(String(format: "%.0f", primaryKey)) calls=\(calls / 4)")
print("sqlite_route_key_index median_ns=\(String(format: "%.0f", byRouteKey)) calls=\(calls / 4)")
