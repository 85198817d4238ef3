import ArgumentParser
import Foundation
import RegDB

struct Refresh: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fetch the public catalogs and import each as a catalog source, behind guards.",
        discussion: """
            Each catalog (LiteLLM's cost map, models.dev, genai-prices' v2 data, OpenRouter's model list, and fal's pricing \
            API for the registry's fal endpoints when FAL_KEY is set; `regdb refresh --list`) is fetched from where it is published with a conditional request (an \
            unchanged one costs a 304 and no import) and imported as a source of kind catalog \
            under its name: below the reviewed seeds, it fills what they do not say and never \
            replaces what they do. A copy that does not parse, has fewer routes than the \
            catalog's floor, or lost more than half its routes since the last import \
            (--allow-shrink overrides) is refused whole, and the registry and the last good \
            copy (in .regdb-cache/ beside the registry) are kept. One line per catalog; exit 1 \
            if any failed or was refused. Only this command reaches the network.

              regdb refresh                      # every catalog
              regdb refresh litellm              # one
              regdb refresh --offline            # rebuild from the cached copies
              regdb refresh --add mirror https://example.internal/litellm.json --format litellm
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("Catalogs to refresh (default: all; see --list).", valueName: "name"))
    var names: [String] = []

    @Flag(help: "Rebuild from the cached last good copies; no network.")
    var offline = false
    @Flag(help: "Import a catalog that lost more than half its routes since its last import.")
    var allowShrink = false
    @Option(help: ArgumentHelp("Seconds each download may take (default 120).", valueName: "seconds"))
    var timeout: Double = 120
    @Flag(help: "List the catalogs and their last fetch instead.")
    var list = false
    @Option(help: ArgumentHelp("Add (or change) a catalog: NAME URL, with --format.", valueName: "name"))
    var add: String?
    @Option(help: ArgumentHelp("With --add, the catalog's: litellm, models.dev, genai-prices, openrouter, fal-pricing or native; with --list, the output's: table, json or csv.",
                               valueName: "format"))
    var format: String?
    @Option(help: ArgumentHelp("With --add: fewer routes than this is a broken copy (default 1).", valueName: "n"))
    var floor: Int64 = 1

    func validate() throws {
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be from 0 to 3600 seconds, not \(timeout).") }
        if add != nil {
            guard names.count == 1 else { throw ValidationError("--add NAME takes the URL as its one argument: regdb refresh --add NAME URL --format F.") }
            guard format != nil else { throw ValidationError("--add needs --format: litellm, models.dev, genai-prices, openrouter, fal-pricing or native.") }
        } else if let format {
            guard list, OutputFormat(rawValue: format) != nil else {
                throw ValidationError("--format goes with --add (the catalog's format) or --list (table, json or csv), not \"\(format)\" here.")
            }
        }
        guard floor >= 0 else { throw ValidationError("--floor must be a whole number >= 0, not \(floor).") }
    }

    func run() throws {
        try reportingErrors {
            if let add, let url = names.first, let formatName = format {
                guard let format = CatalogFormat(rawValue: formatName), CatalogFormat.refreshable.contains(format) else {
                    throw RegDBError.unknownValue(kind: "catalog format", value: formatName,
                                                  known: CatalogFormat.refreshable.map(\.rawValue))
                }
                try database.open(.readWrite).addCatalogSource(name: add, url: url, format: format, floor: floor)
                print("\(database.resolvedPath): catalog \(add) is \(url) (\(formatName)); regdb refresh \(add) fetches it")
                return
            }
            if list {
                Renderer.show(try database.open(.readOnly).catalogSources(), as: format.flatMap(OutputFormat.init(rawValue:)) ?? .table)
                return
            }
            var options = RefreshOptions(names: names, offline: offline, allowShrink: allowShrink, timeout: timeout)
            // Bytes and rate as a download comes, on a terminal; in a pipe, only the one line at the end.
            options.showProgress = isatty(STDERR_FILENO) == 1
            let outcomes = try Registry.refresh(registryAt: database.resolvedPath, options: options)
            for outcome in outcomes {
                if outcome.kind == .failed || outcome.kind == .refused {
                    printError("error: " + outcome.line)
                } else {
                    print(outcome.line)
                }
            }
            if outcomes.contains(where: { $0.kind == .failed || $0.kind == .refused }) { throw ExitCode(1) }
        }
    }
}
