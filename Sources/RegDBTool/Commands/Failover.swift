import ArgumentParser
import Foundation
import RegDB

struct Failover: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failover",
        abstract: "Choose the next route to try after a route failed.",
        usage: "regdb failover [<options>] <route> --unit <unit>",
        discussion: """
            Candidates share the failed route's canonical id, generation or family; routes given with \
            --failed are never offered. Order: same canonical id, then same generation, then the rest; \
            within each, the seeds' priority (lower first), then health from `regdb metrics` for the \
            unit, then route key. A pinned unit (the setting pinned_units, by default solve: design \
            doc 004's solver pin) never leaves the canonical id: only the same canonical id qualifies, \
            and when none is left the command exits 1; --pin pins any unit, --no-pin unpins one. Crossing a generation prints a JSON event on stderr \
            ({"event":"generation_downgrade",…}) and records it in the failover_event table.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The route that failed, such as kimi-coding/kimi-k2.6.", valueName: "route"), completion: Complete.routes)
    var route: String

    @Option(help: "Unit of work, such as execute-task (health and events are per unit).")
    var unit: String

    @Option(name: .customLong("failed"), help: ArgumentHelp("A route that already failed (repeatable).", valueName: "route"))
    var failed: [String] = []

    @Flag(inversion: .prefixedNo, help: "Never leave the route's canonical id (default: when the unit is pinned, as solve is).")
    var pin: Bool?

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readWrite)
            let decision = try registry.failover(from: route, unit: unit, failed: failed, pinned: pin)
            // One line for logs; indented on a terminal, where a person reads it.
            if let event = decision.downgradeEvent(unit: unit) {
                printError(Terminal.width == nil ? event.jsonText : event.prettyJSONText)
            }
            Renderer.show(decision, as: output.format)
        }
    }
}
