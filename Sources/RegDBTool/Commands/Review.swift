import ArgumentParser
import Foundation
import RegDB

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "What to act on: seed prices a catalog disagrees with, deprecations, stale and unverified prices.",
        discussion: """
            With --since OLD.db, first what changed since that registry: prices changed (most \
            dollars on a typical call first), added and removed, routes added and removed. Then: \
            reviewed (seed) prices that a refreshed catalog gives otherwise, most dollars \
            on a typical call first (two or more catalogs agreeing on another value: the seed may \
            be stale); models whose deprecation date has passed or is within 30 days, with the \
            categories still listing them; seed prices checked more than --stale-after days ago; \
            and seed prices no published page confirms (their note says where they came from). \
            --format markdown writes it as a pull-request body. Exit 0 with nothing listed, 2 \
            when there is something to act on (a scheduled job can open a pull request).

              regdb review
              regdb review --stale-after 30 --format csv
              regdb review --as-of 2027-03-01             # what will be stale by then
              cp registry.db before.db && regdb refresh && regdb review --since before.db
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Output format: table, json, csv or markdown.")
    var format: ReviewFormat = .table
    @Flag(help: "On a terminal, print tables whole instead of fitting them to its width.")
    var wide = false

    @Option(name: .customLong("stale-after"), help: ArgumentHelp("Days after which a checked price is stale (default 90).", valueName: "days"))
    var staleAfter: Int = 90
    @Option(help: ArgumentHelp("A registry of before (a copy kept before a refresh, or last release's): list what changed since.", valueName: "path"))
    var since: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day to judge staleness on, YYYY-MM-DD (default today).", valueName: "date"))
    var asOf: String?

    enum ReviewFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv, markdown
    }

    func validate() throws {
        if wide { Terminal.wide.value = true }
        guard (0...36_500).contains(staleAfter) else {
            throw ValidationError("--stale-after must be a whole number of days from 0 to 36500, not \(staleAfter).")
        }
        if let asOf, asOf.count != 10 || !Usage.isValidDate(asOf) {
            throw ValidationError("--as-of must be a date, YYYY-MM-DD, not \"\(asOf)\".")
        }
    }

    func run() throws {
        try reportingErrors {
            let earlier = try since.map { try Registry.open(at: $0, mode: .readOnly) }
            let table = try database.open(.readOnly).review(staleAfterDays: staleAfter, asOf: asOf, since: earlier)
            if format == .markdown {
                print(table.reviewMarkdown(title: "regdb review of \(database.resolvedPath)"), terminator: "")
            } else {
                Renderer.show(table, as: OutputFormat(rawValue: format.rawValue) ?? .table)
            }
            if !table.rows.isEmpty { throw ExitCode(2) }
        }
    }
}
