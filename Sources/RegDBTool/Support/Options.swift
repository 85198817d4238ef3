import ArgumentParser
import Foundation
import RegDB

/// `--db`, shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("Registry file (default: $REGDB_PATH, else ./registry.db).", valueName: "path"))
    var path: String?

    var resolvedPath: String {
        if let path { return path }
        if let env = ProcessInfo.processInfo.environment["REGDB_PATH"], !env.isEmpty { return env }
        return "registry.db"
    }

    func open(_ mode: Registry.Mode) throws -> Registry {
        try Registry.open(at: resolvedPath, mode: mode)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// `--format`, shared by every command that prints data.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table
}

/// Runs a command body, printing regdb's errors as their one-line messages on
/// stderr and exiting 1, the way every subcommand reports failure.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as RegDBError {
        printError(error.description)
        throw ExitCode(1)
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
