import Foundation
import ArgumentParser
import RegDB

struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Record and show route outcomes, keyed by canonical id with a per-route breakdown.",
        subcommands: [Record.self, Show.self, Migrate.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "record", abstract: "Count an outcome of a route for a unit of work.",
        usage: "regdb metrics record [<options>] <route> --unit <u> --outcome <o>")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("Route key; unknown routes are kept under _unmapped.", valueName: "route"), completion: Complete.routes)
        var route: String

        @Option(help: "Unit of work, such as execute-task.") var unit: String
        @Option(help: "success, failure or timeout.") var outcome: OutcomeArgument
        @Option(help: "How many such outcomes (default 1).") var count: Int64 = 1

        func validate() throws {
            if count < 1 || count > 1_000_000_000 { throw ValidationError("--count must be a whole number from 1 to 1000000000.") }
            if unit.isEmpty { throw ValidationError("--unit must name a unit of work, such as solve or execute-task.") }
        }

        func run() throws {
            try reportingErrors {
                try database.open(.readWrite).recordOutcome(route: route, unit: unit, outcome: outcome.value, count: count)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show outcomes: per canonical id the aggregate (the sum of its routes) and each route.",
        usage: "regdb metrics show [<options>]")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this unit of work.") var unit: String?
        @Option(name: .customLong("canonical-id"), help: ArgumentHelp("Only this canonical id (repeatable; with --unit): one never seen reads as zeros.",
                                                                      valueName: "id"))
        var canonicalIDs: [String] = []

        func validate() throws {
            if !canonicalIDs.isEmpty && unit == nil {
                throw ValidationError("--canonical-id goes with --unit: the outcomes of a canonical id are per unit of work.")
            }
        }

        func run() throws {
            try reportingErrors {
                Renderer.show(MetricsReport(try database.open(.readOnly).metricsReport(unit: unit, canonicalIDs: canonicalIDs)), as: output.format)
            }
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Rewrite an old route-keyed metrics file in the canonical-keyed form.",
            discussion: """
                Reads {unit: {"provider/wire": {successes, failures, timeouts, …}}}, writes \
                {unit: {canonical_id: {aggregate, by_route}, "_unmapped": {by_route}}} back to FILE and \
                keeps the original as FILE.pre-canonical-backup (one backup, replaced on each migration). \
                A file already in the new form is left alone. Unknown fields are carried per route; the \
                aggregate sums counters, not averages, percentiles, rates or latencies (…_ms, p50, avg…).
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The metrics file, such as .sf/model-performance.json.", valueName: "file"))
        var file: String

        func run() throws {
            try reportingErrors {
                let registry = try database.open(.readWrite)
                let identity = try ModelIdentity(registry: registry)
                switch try MetricsMigration.migrate(file: file, identity: identity) {
                case .alreadyCanonical:
                    print("\(file): already canonical-keyed; nothing written, and its history is not added to the registry again")
                case .migrated(let routes, let unmapped, let backup):
                    print("\(file): migrated \(routes) routes (\(unmapped) unmapped); original kept at \(backup)")
                    // The history reaches route_outcome, so failover health sees it.
                    let migrated = try JSONParser.parse([UInt8](FileManager.default.contents(atPath: file) ?? Data()))
                    let (rows, skipped) = MetricsMigration.outcomes(of: migrated)
                    try registry.importOutcomes(rows)
                    let note = skipped == 0 ? "" : "; \(skipped) routes had no successes, failures or timeouts to add or no PROVIDER/WIRE_ID key"
                    print("\(database.resolvedPath): added the outcomes of \(rows.count) routes to route_outcome\(note)")
                }
            }
        }
    }
}

enum OutcomeArgument: String, ExpressibleByArgument, CaseIterable {
    case success, failure, timeout
    var value: Outcome { Outcome(rawValue: rawValue) ?? .failure }
}
