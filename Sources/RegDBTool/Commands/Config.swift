import Foundation
import ArgumentParser
import RegDB

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
                Renderer.show(try database.open(.readOnly).settings(), as: output.format)
            }
        }
    }
}
