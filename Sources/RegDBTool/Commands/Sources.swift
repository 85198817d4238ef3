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
                print(Renderer.render(try database.open(.readOnly).sources(), as: output.format), terminator: "")
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
            print(Renderer.render(try database.open(.readOnly).why(route, field: field), as: output.format), terminator: "")
        }
    }
}

struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Read and write registry settings (policy: off, warn or enforce).",
        subcommands: [Set.self, Get.self, ListSettings.self],
        defaultSubcommand: ListSettings.self)

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Store a setting: regdb config set policy warn")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Setting name (policy).") var name: String
        @Argument(help: "Value.") var value: String

        func run() throws {
            try reportingErrors {
                try database.open(.readWrite).setSetting(name, to: value)
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Print a setting's value (nothing when unset).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Setting name (policy).") var name: String

        func run() throws {
            try reportingErrors {
                let table = try database.open(.readOnly).settings()
                if let row = table.rows.first(where: { $0.first == .string(name) }), let value = row.last?.stringValue {
                    print(value)
                }
            }
        }
    }

    struct ListSettings: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List every stored setting.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                print(Renderer.render(try database.open(.readOnly).settings(), as: output.format), terminator: "")
            }
        }
    }
}

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
            print(Renderer.render(table, as: output.format), terminator: "")
        }
    }
}
