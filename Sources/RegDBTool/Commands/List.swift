import ArgumentParser
import RegDB

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List routes by category, in seed order.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Only this category, such as text_to_video.") var category: String?
    @Option(help: "Only this provider, such as fal.") var provider: String?
    @Option(help: "Only this lifecycle status: production, beta, experimental or deprecated.") var status: String?

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readOnly)
            let table = try registry.list(ListFilter(category: category, provider: provider, status: status))
            print(Renderer.render(table, as: output.format), terminator: "")
        }
    }
}
