import ArgumentParser
import RegDB

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Resolve a route key or canonical id to its canonical model, generation and tier.",
        discussion: """
            A route key (openrouter/moonshotai/kimi-k2.5) gives that route resolved; a canonical id
            (kimi-k2.5) gives the model and every route of it, preferred first.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("A route key or canonical model id.", valueName: "route-or-id"))
    var name: String

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readOnly)
            let resolution = try registry.resolve(name)
            switch output.format {
            case .json:
                print(resolution.json.prettyJSONText)
            case .table, .csv:
                print(Renderer.render(resolution.table, as: output.format), terminator: "")
            }
        }
    }
}

struct Routes: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every route of a canonical model, preferred first.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("A canonical model id, such as kimi-k2.5.", valueName: "canonical-id"))
    var canonicalID: String

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readOnly)
            let routes = try registry.routes(of: canonicalID)
            switch output.format {
            case .json:
                print(JSONValue.array(routes.map(\.json)).prettyJSONText)
            case .table, .csv:
                print(Renderer.render(Resolution.table(of: routes), as: output.format), terminator: "")
            }
        }
    }
}
