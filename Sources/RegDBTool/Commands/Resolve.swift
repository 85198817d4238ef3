import ArgumentParser
import RegDB

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve a route key or canonical id to its canonical model, generation and tier.",
        discussion: """
            A route key (openrouter/moonshotai/kimi-k2.5) gives that route resolved; a canonical id
            (kimi-k2.5) gives the model and every route of it, preferred first. A name the registry
            does not know is recorded (see the unknown_models view) and, by policy: off passes it
            through, warn passes it with a warning, enforce refuses it with exit 3.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var policy: PolicyOptions

    @Argument(help: ArgumentHelp("A route key or canonical model id.", valueName: "route-or-id"))
    var name: String

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readWrite)
            let outcome = try registry.resolve(name, policy: try policy.resolved(with: registry), allowUnknown: policy.allowUnknown)
            for warning in outcome.warnings { printError(warning) }
            let resolution = outcome.resolution
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
    static let configuration = CommandConfiguration(commandName: "routes", abstract: "List every route of a canonical model, preferred first.")

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
