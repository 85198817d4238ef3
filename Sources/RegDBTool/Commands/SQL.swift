import ArgumentParser
import Foundation
import RegDB

struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run SQL against the registry: read-only, or with --write under the same rules as every other write.",
        usage: "regdb sql [<options>] <sql>",
        discussion: """
            Like `sqlite3 registry.db`, with the output formats of every command; with --format json, \
            columns the schema declares as JSON (view json_column) come back as JSON values. Read-only by \
            default (no write lock is taken). With --write, INSERT, UPDATE and DELETE run in one \
            transaction with foreign keys on and every rule trigger: a refused statement changes \
            nothing, and nothing may change the schema, user_version or application_id.
              regdb sql "SELECT * FROM model_endpoints WHERE category = 'text_to_video'"
              regdb sql --write "UPDATE route SET priority = 1 WHERE route_key = 'openai/gpt-4o'"
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Allow INSERT, UPDATE and DELETE (never schema changes).") var write = false

    @Flag(help: "With --format json, return every text that holds a JSON array or object as JSON, not only the columns the schema declares (view json_column).")
    var jsonCols = false

    @Argument(help: ArgumentHelp("SQL statements; - reads them from standard input.", valueName: "sql"))
    var sql: String

    func run() throws {
        try reportingErrors {
            let registry = try database.open(write ? .readWrite : .readOnly)
            let json: JSONColumns = output.format != .json ? .none : jsonCols ? .detected : .declared
            let statements = sql == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : sql
            let table = try registry.execute(sql: statements, write: write, json: json)
            if !table.columns.isEmpty { Renderer.show(table, as: output.format) }
        }
    }
}
