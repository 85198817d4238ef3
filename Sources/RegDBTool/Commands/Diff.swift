import ArgumentParser
import RegDB

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "List values different sources disagree on for the same canonical model.",
        discussion: """
            Compares every source's own claims (not only the values in force) on the routes of one
            canonical model: base input and output token prices (as USD per million tokens, whatever
            unit each source priced in), context_window and max_output_tokens. One row per pair of
            sources that differ, the largest relative difference |a - b| / max(|a|, |b|) first.
              regdb diff --min-diff 0.1
              regdb diff --format csv > disagreements.csv
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("min-diff"), help: ArgumentHelp("Only differences of at least this fraction, 0 to 1 (default 0: any).", valueName: "fraction"))
    var minDiff: Double = 0

    func validate() throws {
        if !(minDiff.isFinite && minDiff >= 0 && minDiff <= 1) {
            throw ValidationError("--min-diff must be a fraction from 0 to 1, not \(minDiff).")
        }
    }

    func run() throws {
        try reportingErrors {
            let table = try database.open(.readOnly).diff(minimum: minDiff)
            print(Renderer.render(table, as: output.format), terminator: "")
        }
    }
}
