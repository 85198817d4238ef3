import ArgumentParser
import RegDB

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "List what different sources say differently about the same canonical model.",
        usage: "regdb diff [<options>]",
        discussion: """
            Compares every source's own claims (not only the values in force) on the routes of one \
            canonical model, like with like: each price (unit, variant such as batch or audio, \
            threshold) as in force on --at (default today), per 1M tokens for token units, and \
            context_window and max_output_tokens. Equal values group: a row gives the value most \
            sources agree on, who says it, and the others. $0 beside paid prices is a plan or a \
            free tier and is set apart in "free". Rows come by what the disagreement costs on a \
            typical call (10k prompt + 1k output tokens, 10 s of media, one image), largest first.
              regdb diff --min-diff 0.1
              regdb diff --format csv > disagreements.csv
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("min-diff"), help: ArgumentHelp("Only differences of at least this fraction, 0 to 1 (default 0: any).", valueName: "fraction"))
    var minDiff: Double = 0

    @Option(help: ArgumentHelp("Compare the prices in force on this date (default today).", valueName: "date"))
    var at: String?

    func validate() throws {
        if !(minDiff.isFinite && minDiff >= 0 && minDiff <= 1) {
            throw ValidationError("--min-diff must be a fraction from 0 to 1, not \(minDiff).")
        }
    }

    func run() throws {
        try reportingErrors {
            let table = try database.open(.readOnly).diff(minimum: minDiff, at: at)
            Renderer.show(table, as: output.format)
        }
    }
}
