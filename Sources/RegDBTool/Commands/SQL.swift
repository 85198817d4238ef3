import ArgumentParser
import RegDB

struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run SQL against the registry, under the same rules as every other write.",
        discussion: """
            Like `sqlite3 registry.db`, with foreign keys on and the output formats of every
            command. Statements run in one transaction: a refused statement changes nothing.
              regdb sql "SELECT * FROM model_endpoints WHERE category = 'text_to_video'"
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("SQL statements.", valueName: "sql"))
    var sql: String

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readWrite)
            let table = try registry.execute(sql: sql)
            if !table.columns.isEmpty { print(Renderer.render(table, as: output.format), terminator: "") }
        }
    }
}
