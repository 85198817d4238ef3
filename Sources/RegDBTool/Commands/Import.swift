import ArgumentParser
import RegDB

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load seed files into the registry as sources, all or nothing.",
        usage: "regdb import [<options>] <file> ...",
        discussion: """
            Each file is a source named by its path (or all files one source, with --source). What a \
            source says is kept field by field; for every field the registry holds the non-null value \
            of the source with the highest precedence: catalog < builtin < server < file < override \
            (later imports win within a kind). A public catalog (LiteLLM, models.dev, genai-prices, OpenRouter) \
            is --kind catalog: it fills what the seeds do not say and never replaces what they do. Re-importing a source replaces only what it said. \
            Bad input changes nothing; importing the same files again writes nothing.
              regdb import seeds/*.json
              regdb import --kind override --source local-prices overrides.json
              regdb import --kind catalog model_prices_and_context_window.json
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Precedence of these files: catalog, builtin, server, file or override.")
    var kind: SourceKindArgument = .builtin

    @Option(name: .customLong("source"), help: ArgumentHelp("One source name for all the files (default: each file's path).", valueName: "name"))
    var sourceName: String?

    @Flag(help: "Allow an import that removes more than half of a source's routes.")
    var allowShrink = false

    @Flag(help: "Write even if the files are unchanged since their last import (repairs hand edits).")
    var force = false

    @Option(help: "File format: native, litellm, models.dev, genai-prices, openrouter, fal-pricing, yaml, tinker or routes-map (default: detected).")
    var format: CatalogFormatArgument?

    @Flag(help: "Print every warning a catalog raises (by default the first five and a count).")
    var verbose = false

    @Argument(help: ArgumentHelp("Seed files (native JSON), such as seeds/*.json; - reads one from standard input (source \"stdin\").", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one seed file, such as seeds/*.json.") }
        if let sourceName, sourceName.isEmpty { throw ValidationError("--source needs a non-empty name.") }
    }

    func run() throws {
        try reportingErrors {
            let path = database.resolvedPath
            let options = ImportOptions(kind: kind.value, sourceName: sourceName, allowShrink: allowShrink, force: force,
                                        format: format?.value)
            let summary = try Registry.importSeeds(files: files, into: path, options: options)
            // A catalog notes hundreds of odd values: the first few, then how many, unless --verbose.
            let shown = verbose ? summary.warnings : Array(summary.warnings.prefix(5))
            for warning in shown { printError(warning.description) }
            if shown.count < summary.warnings.count {
                printError("… and \(summary.warnings.count - shown.count) more warnings (\(summary.warnings.count) in all); --verbose shows every one")
            }
            let fileCount = files.count == 1 ? "1 file" : "\(files.count) files"
            let totals = "\(summary.providers) providers, \(summary.models) models, \(summary.routes) routes in all"
            let c = summary.changes
            if summary.unchanged {
                print("\(path): up to date with \(fileCount); nothing written (\(totals))")
            } else {
                print("\(path): imported \(fileCount): \(c.added) routes added, \(c.changed) changed, \(c.removed) removed, "
                      + "\(c.unchanged) unchanged (\(totals))")
            }
        }
    }
}

enum CatalogFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case native, litellm, modelsDev = "models.dev", genaiPrices = "genai-prices", falPricing = "fal-pricing", openrouter, yaml, tinker, routesMap = "routes-map"
    var value: CatalogFormat { CatalogFormat(rawValue: rawValue) ?? .native }
}

enum SourceKindArgument: String, ExpressibleByArgument, CaseIterable {
    case catalog, builtin, server, file, override
    var value: SourceKind { SourceKind(rawValue: rawValue) ?? .builtin }
}
