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

/// `--format` and `--wide`, shared by every command that prints data.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Flag(help: "On a terminal, print tables whole instead of fitting them to its width.")
    var wide = false

    func validate() throws {
        if wide { Terminal.wide.value = true }
    }
}

/// `--policy` and `--allow-unknown`: what to do with a model the registry does not know.
struct PolicyOptions: ParsableArguments {
    @Option(help: "Unknown-model policy: off, warn or enforce (default: $REGDB_POLICY, else the registry's setting, else off).")
    var policy: PolicyArgument?

    @Flag(help: "Let this call through under the enforce policy.")
    var allowUnknown = false

    /// --policy, else $REGDB_POLICY, else the registry's stored setting, else off (the library's rule).
    func resolved(with registry: Registry) throws -> Policy {
        do {
            return try registry.policyInForce(argument: policy?.value).policy
        } catch RegDBError.unknownValue(let kind, let value, _) where kind.hasPrefix("REGDB_POLICY") {
            throw ValidationError("REGDB_POLICY must be off, warn or enforce, not \"\(value)\".")
        }
    }
}

enum PolicyArgument: String, ExpressibleByArgument, CaseIterable {
    case off, warn, enforce
    var value: Policy { Policy(rawValue: rawValue) ?? .off }
}

/// Runs a command body, printing regdb's errors as their one-line messages on
/// stderr and exiting 1 (3 for a model refused by the enforce policy).
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as RegDBError {
        printError(error.description)
        if case .unknownModel = error { throw ExitCode(3) }
        // A filter or option naming a value the registry does not have is bad usage.
        if case .unknownValue = error { throw ExitCode.validationFailure }
        throw ExitCode(1)
    } catch let exit as ExitCode {
        throw exit
    } catch let error as ValidationError {
        throw error
    } catch {
        // Anything else (a file the system refused to write…) is one line too, never a trace.
        printError("error: \(error.localizedDescription)")
        throw ExitCode(1)
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Shell completion from the registry: `regdb get <TAB>` offers keys, route keys
/// and model ids, `--category <TAB>` categories, read from --db (or its default).
enum Complete {
    static let names = CompletionKind.custom { words, _, prefix in
        Registry.completions(.names, prefix: prefix, path: database(in: words))
    }
    static let routes = CompletionKind.custom { words, _, prefix in
        Registry.completions(.routes, prefix: prefix, path: database(in: words))
    }
    static let categories = CompletionKind.custom { words, _, prefix in
        Registry.completions(.categories, prefix: prefix, path: database(in: words))
    }
    static let providers = CompletionKind.custom { words, _, prefix in
        Registry.completions(.providers, prefix: prefix, path: database(in: words))
    }

    /// The registry the command line names: --db PATH, else $REGDB_PATH, else ./registry.db.
    private static func database(in words: [String]) -> String {
        if let flag = words.lastIndex(of: "--db"), flag + 1 < words.count { return words[flag + 1] }
        if let joined = words.last(where: { $0.hasPrefix("--db=") }) { return String(joined.dropFirst(5)) }
        if let env = ProcessInfo.processInfo.environment["REGDB_PATH"], !env.isEmpty { return env }
        return "registry.db"
    }
}
