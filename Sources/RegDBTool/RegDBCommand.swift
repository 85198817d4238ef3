import ArgumentParser
import Foundation
import RegDB

@main
struct RegDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regdb",
        abstract: "The single source of truth for AI model metadata: one SQLite registry, built from reviewed seeds.",
        discussion: """
            The registry is a plain SQLite file: query it with `sqlite3 registry.db`. \
            Every command takes --db PATH (default: $REGDB_PATH, else ./registry.db). \
            Exit codes: 0 success, 1 error or violations, 3 unknown model refused by policy enforce, 64 bad usage.
            """,
        version: Registry.version,
        subcommands: [Import.self, Check.self, List.self, Get.self, Cost.self, Resolve.self, Routes.self, Failover.self,
                      Sources.self, Why.self, Diff.self, Config.self, Providers.self, Discover.self, Status.self, Best.self,
                      Metrics.self, SQL.self, Export.self, Refresh.self, Review.self, Publish.self, PullCommand.self, ServeCommand.self]
    )

    /// As ArgumentParser's, but `--db PATH` may come before the subcommand (`regdb --db x.db
    /// discover …`) as well as after it, and a mistyped subcommand gets the closest one:
    /// `regdb lsit` → "did you mean list?".
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        // Every command's own --db: moved behind the subcommand's words (before any `--`).
        var leading: [String] = []
        while let flag = arguments.first, flag == "--db" || flag.hasPrefix("--db=") {
            let count = flag == "--db" ? min(2, arguments.count) : 1
            leading += arguments.prefix(count)
            arguments.removeFirst(count)
        }
        arguments.insert(contentsOf: leading, at: arguments.firstIndex(of: "--") ?? arguments.endIndex)
        if let word = arguments.first, !word.hasPrefix("-"), word != "help" {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName }
            if !names.contains(word) {
                let hint = closest(to: word, among: names).map { "; did you mean '\($0)'?" } ?? ""
                printError("error: unknown command '\(word)'\(hint)\nSee 'regdb --help' for the commands.")
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
        }
        main(arguments)
    }
}

/// The name a mistyped `word` most likely meant: within two edits (or one
/// transposition, as lsit for list), else none.
func closest(to word: String, among names: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                // A swap of two neighbours is one typo.
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }
    let typed = Array(word.lowercased())
    let scored = names.map { ($0, distance(typed, Array($0))) }.filter { $0.1 <= 2 }
    return scored.min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
}
