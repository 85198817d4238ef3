import Foundation
import ArgumentParser
import RegDB

struct Why: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Show which source set a field of a route, every source's value, and when each was observed.",
        discussion: """
            FIELD is a seed field of the route (context_window, endpoint, durations) or of its model \
            (status, tier, name); a group such as pricing or defaults lists each of its entries.
              regdb why fal/fal-ai/veo3 pricing
              regdb why veo3 defaults.duration
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("A route key or category key.", valueName: "route"), completion: Complete.names)
    var route: String

    @Argument(help: ArgumentHelp("A field: pricing, pricing.second.audio, context_window, status…", valueName: "field"))
    var field: String

    func run() throws {
        try reportingErrors {
            Renderer.show(try database.open(.readOnly).why(route, field: field), as: output.format)
        }
    }
}
