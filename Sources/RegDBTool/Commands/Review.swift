import ArgumentParser
import Foundation
import RegDB

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "List the seed prices to act on: unverified ones, and those checked too long ago.",
        discussion: """
            A seed price is verified when its route's prices_checked (or the price's own \
            `checked`) names the page it was checked against and when. One no page confirms \
            keeps its source's value with a note saying where it came from; review lists it, \
            with those checked more than --stale-after days ago. Exit 0 with nothing listed, \
            2 when there is something to act on (a scheduled job can open a pull request).

              regdb review
              regdb review --stale-after 30 --format csv
              regdb review --as-of 2027-03-01             # what will be stale by then
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("stale-after"), help: ArgumentHelp("Days after which a checked price is stale (default 90).", valueName: "days"))
    var staleAfter: Int = 90
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day to judge staleness on, YYYY-MM-DD (default today).", valueName: "date"))
    var asOf: String?

    func validate() throws {
        guard (0...36_500).contains(staleAfter) else {
            throw ValidationError("--stale-after must be a whole number of days from 0 to 36500, not \(staleAfter).")
        }
        if let asOf, asOf.count != 10 || !Usage.isValidDate(asOf) {
            throw ValidationError("--as-of must be a date, YYYY-MM-DD, not \"\(asOf)\".")
        }
    }

    func run() throws {
        try reportingErrors {
            let table = try database.open(.readOnly).reviewPrices(staleAfterDays: staleAfter, asOf: asOf)
            Renderer.show(table, as: output.format)
            if !table.rows.isEmpty { throw ExitCode(2) }
        }
    }
}
