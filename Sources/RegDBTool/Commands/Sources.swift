import Foundation
import ArgumentParser
import RegDB

struct Sources: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List the sources the registry merges, highest precedence first.",
        discussion: "Precedence: builtin < server < file < override; within a kind, later imports win.",
        subcommands: [ListSources.self, Remove.self],
        defaultSubcommand: ListSources.self)

    struct ListSources: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List sources: kind, precedence, imported at, content hash, routes.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                Renderer.show(try database.open(.readOnly).sources(), as: output.format)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Withdraw a source: what it said goes, and what only it provided disappears.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The source name, as `regdb sources` lists it.", valueName: "name"))
        var name: String

        func run() throws {
            try reportingErrors {
                let registry = try database.open(.readWrite)
                try registry.removeSource(named: name)
                print("\(database.resolvedPath): removed source \(name)")
            }
        }
    }
}
