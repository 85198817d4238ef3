import ArgumentParser
import RegDB

struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show everything the registry knows about a key, route key or model id.",
        usage: "regdb get [<options>] <key>",
        discussion: "A key listed in several categories is shown once per category.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("A category key (sora_2), route key (fal/fal-ai/veo3) or model id.", valueName: "key"), completion: Complete.names)
    var key: String

    @Option(help: "Only the key in this category.", completion: Complete.categories) var category: String?

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readOnly)
            let documents = try registry.snapshot { try registry.details(try registry.find(key, category: category)) }
            print(Renderer.render(documents: documents, as: output.format), terminator: "")
        }
    }
}
