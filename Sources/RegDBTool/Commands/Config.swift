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

        func validate() throws {
            guard name == "policy" else {
                throw ValidationError("unknown setting \"\(name)\"; settings: policy.")
            }
            guard Policy(rawValue: value) != nil else {
                throw ValidationError("policy must be off, warn or enforce, not \"\(value)\".")
            }
        }

        func run() throws {
            try reportingErrors {
                try database.open(.readWrite).setSetting(name, to: value)
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Print a setting's value in force and where it comes from: regdb config get policy",
            discussion: """
                The policy in force is --policy's (on the commands that take it), else $REGDB_POLICY, \
                else the registry's stored setting, else off; this prints the value and which of these \
                gave it ("warn (from $REGDB_POLICY)"). --format json gives name, value and origin.
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Setting name (policy).") var name: String

        func validate() throws {
            guard name == "policy" else { throw ValidationError("unknown setting \"\(name)\"; settings: policy.") }
        }

        func run() throws {
            try reportingErrors {
                let inForce: PolicyInForce
                do {
                    inForce = try database.open(.readOnly).policyInForce()
                } catch RegDBError.unknownValue(let kind, let value, _) where kind.hasPrefix("REGDB_POLICY") {
                    throw ValidationError("REGDB_POLICY must be off, warn or enforce, not \"\(value)\".")
                }
                switch output.format {
                case .table:
                    print("\(inForce.policy.rawValue) (\(inForce.originText))")
                case .json, .csv:
                    Renderer.show(Record([("name", .string(name)), ("value", .string(inForce.policy.rawValue)),
                                             ("origin", .string(inForce.origin.rawValue))]), as: output.format)
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
