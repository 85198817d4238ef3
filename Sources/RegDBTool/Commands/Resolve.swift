import ArgumentParser
import RegDB

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve any name callers write to its canonical model, generation, tier and routes.",
        usage: "regdb resolve [<options>] <name>",
        discussion: """
            Names resolve the one way every command resolves them (the model_name view of schema.sql), \
            lowest precedence first: 1 route key (openrouter/moonshotai/kimi-k2.5), 2 canonical id \
            (kimi-k2.5) or category key, 3 alias (claude-3-5-sonnet-latest, kimi-k2.5:cloud), 4 bare \
            wire id (moonshotai/kimi-k2.5, on every provider serving it), 5 provider/name \
            (anthropic/claude-sonnet-4: that provider's preferred route of the model), 6 the name in \
            another case, 7 the name reduced by the name_rule table (moonshotai.kimi-k2.5, \
            claude-sonnet-4@20250514). A name matching several models is an error listing each \
            candidate; nothing is guessed. Every output says whether the name is known (`known`) and \
            how it matched (`match`). A name the registry does not know is recorded (see the \
            unknown_models view) and, by policy: off passes it through, warn passes it with a \
            warning, enforce refuses it with exit 3.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var policy: PolicyOptions

    @Argument(help: ArgumentHelp("Any name of a model or route: route key, canonical id, alias, wire id.", valueName: "name"), completion: Complete.names)
    var name: String

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readWrite)
            let outcome = try registry.resolve(name, policy: try policy.resolved(with: registry), allowUnknown: policy.allowUnknown)
            for warning in outcome.warnings { printError(warning) }
            let resolution = outcome.resolution
            Renderer.show(resolution, as: output.format)
        }
    }
}

struct Routes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "List every route of a model, preferred first.",
        discussion: "The name resolves as `regdb resolve` resolves it; a route key lists every route of its model.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Any name of the model, such as kimi-k2.5.", valueName: "name"), completion: Complete.names)
    var canonicalID: String

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readOnly)
            let routes = try registry.routes(of: canonicalID)
            Renderer.show(RouteList(routes), as: output.format)
        }
    }
}
