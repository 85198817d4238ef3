import Foundation
import ArgumentParser
import RegDB

struct Providers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "Show each provider's base URL, authentication, and whether its environment variables are set.",
        discussion: "Values are never printed or stored: only whether each variable is set in this environment.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingErrors {
            let table = try database.open(.readOnly).providerConfiguration(environment: ProcessInfo.processInfo.environment)
            Renderer.show(table, as: output.format)
        }
    }
}
