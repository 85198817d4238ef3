import Foundation
import ArgumentParser
import RegDB

struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Read and write registry settings (policy: off, warn or enforce; pinned_units: solve,…).",
        subcommands: [Set.self, Get.self, ListSettings.self],
        defaultSubcommand: ListSettings.self)

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Store a setting: regdb config set policy warn; regdb config set pinned_units solve,verify")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Setting name (policy, pinned_units).") var name: String
        @Argument(help: "Value.") var value: String

        func validate() throws {
            switch name {
            case "policy":
                guard Policy(rawValue: value) != nil else {
                    throw ValidationError("policy must be off, warn or enforce, not \"\(value)\".")
                }
            case "pinned_units":
                guard !value.contains(" "), !value.hasPrefix(","), !value.hasSuffix(","), !value.contains(",,") else {
                    throw ValidationError("pinned_units must be unit types separated by commas, without spaces (solve,verify), not \"\(value)\".")
                }
            default:
                throw ValidationError("unknown setting \"\(name)\"; settings: policy, pinned_units.")
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
        @Argument(help: "Setting name (policy, pinned_units).") var name: String

        func validate() throws {
            guard ["policy", "pinned_units"].contains(name) else {
                throw ValidationError("unknown setting \"\(name)\"; settings: policy, pinned_units.")
            }
        }

        func run() throws {
            try reportingErrors {
                if name == "pinned_units" {
                    let registry = try database.open(.readOnly)
                    let stored = try registry.settings().rows.contains { $0.first == .string("pinned_units") }
                    let value = try registry.pinnedUnits().joined(separator: ",")
                    let origin = stored ? "setting" : "default"
                    switch output.format {
                    case .table: print("\(value) (\(stored ? "from the registry's setting" : "default"))")
                    case .json, .csv:
                        Renderer.show(Record([("name", .string(name)), ("value", .string(value)), ("origin", .string(origin))]), as: output.format)
                    }
                    return
                }
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
