import ArgumentParser
import Foundation
import RegDB

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write what the registry holds as constants modules, Markdown docs, seed files or LiteLLM JSON.",
        discussion: """
            Output is deterministic: the same registry gives the same bytes. Generated constants and \
            docs start with a header naming the command that regenerates them; `regdb check \
            --generated FILE…` re-runs it and reports a stale file.
              regdb export constants --lang python --category text_to_video > text_to_video.py
              regdb export constants --lang typescript --out generated/
              regdb export docs --out MODELS.md
              regdb export seeds exported/
              regdb export litellm --out litellm.json
              regdb export yaml --out models/model_registry.yaml
            """,
        subcommands: [Constants.self, Docs.self, Identity.self, Seeds.self, LiteLLM.self, YAML.self, Site.self])

    struct Constants: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "constants",
            abstract: "The per-category constants of design doc 000 as a Python, TypeScript, Swift or Elixir module.",
        usage: "regdb export constants [<options>] --lang <lang>",
            discussion: """
                One module per category: SUPPORTED_MODELS, MODEL_ENDPOINTS, MODEL_DISPLAY_NAMES, \
                MODEL_PRICING, DURATION_OPTIONS, RESOLUTION_OPTIONS, ASPECT_RATIO_OPTIONS, DEFAULT_VALUES \
                and MODEL_INFO, read from the views of the same names. Python and TypeScript use these \
                names (files <category>.py, <category>.ts); Swift an enum <Category>Constants with \
                lowerCamelCase static lets (supportedModels…) in <Category>.swift; Elixir a module \
                Regdb.Constants.<Category> with one function per constant, named in lowercase \
                (supported_models/0…), in <category>.ex. \
                --category (repeatable) or --package (a provider package of design doc 000: \
                video-to-video holds video_to_video, add_audio and upscale_video; `regdb sql "SELECT * FROM \
                package_category"`) makes one module holding every model of those categories: to stdout, \
                or into --out. With neither, --out gets one module per category with routes.
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Language: python, typescript, swift or elixir.")
        var lang: LanguageArgument

        @Option(help: "A category, such as text_to_video; repeat it for one module holding several.", completion: Complete.categories)
        var category: [String] = []

        @Option(help: ArgumentHelp("A package of categories (design doc 000's provider packages), such as video-to-video.",
                                   valueName: "package"))
        var package: String?

        @Option(help: ArgumentHelp("Directory to write the modules into (created if missing).", valueName: "dir"))
        var out: String?

        @Flag(help: "DURATION_OPTIONS as lists of strings (\"5\"), as the pipeline's old modules had them.")
        var durationStrings = false

        func validate() throws {
            if category.isEmpty && package == nil && out == nil {
                throw ValidationError("Give --out DIR to write every category, or --category C (or --package P) to print one module.")
            }
            if !category.isEmpty && package != nil {
                throw ValidationError("Give --category or --package, not both: a package names its categories.")
            }
        }

        func run() throws {
            try reportingErrors {
                let registry = try database.open(.readOnly)
                let selection = package.map(ConstantsSelection.package) ?? (category.isEmpty ? nil : .categories(category))
                if let selection, out == nil {
                    print(try registry.exportConstants(language: lang.value, selection: selection, durationStrings: durationStrings),
                          terminator: "")
                    return
                }
                let out = out ?? "."
                let files = try selection.map { [try registry.constantsFile(language: lang.value, selection: $0, durationStrings: durationStrings)] }
                    ?? registry.exportConstantsFiles(language: lang.value, durationStrings: durationStrings)
                try write(files, into: out)
                print("\(out): wrote \(files.count) \(lang.rawValue) modules")
            }
        }
    }

    struct Docs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "docs",
            abstract: "A Markdown catalog: per category and provider, each route's name, keys, status, context window, prices and options.")

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("File to write (default: stdout).", valueName: "file"))
        var out: String?

        func run() throws {
            try reportingErrors {
                try emit(try database.open(.readOnly).exportDocs(), to: out)
            }
        }
    }

    struct Identity: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "identity",
            abstract: "Design doc 004's model-registry.ts: every route's canonical id, generation, tier and how to call it, with the router's lookups.",
            discussion: """
                The doc's contract: the types (ResolvedModel, WireFormat, CapabilityTier, CanonicalId, RouteKey); \
                MODELS (provider → wire id → wire format, base URL, cost per 1M tokens, limits, reasoning, input \
                modalities), CANONICAL_BY_ROUTE (routes whose canonical id is not their wire id), GENERATION, TIER \
                and ROUTES (canonical id → route keys, preferred first); and lookup, lookupRoute, routesFor, \
                canonicalIdFor, tierFor, generationFor, sameGeneration, allCanonicalIds and routeKeyOf.
                  regdb export identity --out src/model-registry.ts
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("File to write (default: stdout).", valueName: "file"))
        var out: String?

        @Option(help: "Language: typescript (model-registry.ts) or elixir (Regdb.Models, with get/1, list/1, context_limit/1 and the unknown-model policy).")
        var lang: IdentityLanguage = .typescript

        enum IdentityLanguage: String, ExpressibleByArgument, CaseIterable {
            case typescript, elixir
        }

        func run() throws {
            try reportingErrors {
                let registry = try database.open(.readOnly)
                try emit(lang == .elixir ? try registry.exportIdentityElixir() : try registry.exportIdentity(), to: out)
            }
        }
    }

    struct Seeds: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seeds",
            abstract: "Native seed files, one per provider, that rebuild this registry's catalog when imported into an empty one.",
            discussion: """
                Writes <provider>.json (models without routes in models.json, capability rules in \
                rules.json). "$schema" is written when DIR/schema/seed.schema.json exists.
                  regdb export seeds exported/ && regdb import --db copy.db exported/*.json
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("Directory to write the seed files into (created if missing).", valueName: "dir"))
        var directory: String

        func run() throws {
            try reportingErrors {
                let registry = try database.open(.readOnly)
                let schema = URL(filePath: directory).appending(path: "schema/seed.schema.json").path
                let files = try registry.exportSeeds(
                    schemaReference: FileManager.default.fileExists(atPath: schema) ? "schema/seed.schema.json" : nil)
                let written = Set(files.map(\.name))
                // Other seed files in the directory would be imported along with these.
                let others = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                    .filter { $0.hasSuffix(".json") && !written.contains($0) }.sorted()
                try write(files, into: directory)
                for name in others {
                    printError("\(directory)/\(name): warning: not written by this export; importing \(directory)/*.json would read it too")
                }
                print("\(directory): wrote \(files.count) seed files")
            }
        }
    }

    struct Site: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "site",
            abstract: "A static site to browse models and prices: a filterable table and a page per model.",
            discussion: """
                Writes DIR/index.html (every route; filters by provider, category, capability, tier, \
                context and price; sortable columns; a filter can be put in the address, \
                index.html#provider=openai), DIR/models/<id>.html (the model's routes side by side, each \
                price's history drawn from the dated rows, its sources and when each price was checked), \
                site.js and site.css. No build step and no request: it works from file:// and any static host.
                  regdb export site public/site
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("Directory to write the site into (created if missing).", valueName: "dir"))
        var directory: String

        func run() throws {
            try reportingErrors {
                let files = try database.open(.readOnly).exportSite()
                try write(files, into: directory)
                let bytes = files.filter { $0.name.hasSuffix(".js") || $0.name.hasSuffix(".css") }.reduce(0) { $0 + $1.text.utf8.count }
                print("\(directory): wrote \(files.count) files (\(files.count - 3) model pages; script and style \(bytes) bytes)")
            }
        }
    }

    struct LiteLLM: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "litellm",
            abstract: "LLM routes with token prices as LiteLLM's model_prices_and_context_window.json.",
            discussion: """
                For litellm.register_model(json.load(open(FILE))). Keys are the wire id for openai and \
                anthropic (gpt-4o), else <litellm_provider>/<wire id> (gemini/gemini-2.5-pro); prices are \
                USD per token; media routes and routes without a token price are left out. \
                JSON has no comments, so this file carries no header.
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("File to write (default: stdout).", valueName: "file"))
        var out: String?

        func run() throws {
            try reportingErrors {
                try emit(try database.open(.readOnly).exportLiteLLM(), to: out)
            }
        }
    }

    struct YAML: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "yaml",
            abstract: "Design doc 002's models/model_registry.yaml: the chat routes, which import back to the same values.",
            discussion: """
                One entry per route of category chat: id (the canonical id), provider, api_name where the \
                wire id differs, display_name, context_window, cost_per_1k_input and cost_per_1k_output \
                (USD, the base prices in force today), capabilities (scores from 0 to 1 as <name>_score, \
                flags as supports_<name>) and status; and each provider's display_name, base_url, auth, \
                env_vars and docs_url. What the registry does not know is left out. `regdb import \
                model_registry.yaml` reads it back; `regdb check --generated` tells a stale copy.
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("File to write (default: stdout).", valueName: "file"))
        var out: String?

        func run() throws {
            try reportingErrors {
                try emit(try database.open(.readOnly).exportYAML(), to: out)
            }
        }
    }
}

enum LanguageArgument: String, ExpressibleByArgument, CaseIterable {
    case python, typescript, swift, elixir
    var value: ConstantsLanguage { ConstantsLanguage(rawValue: rawValue) ?? .python }
}

/// Prints `text` as is, or writes it to `path`.
private func emit(_ text: String, to path: String?) throws {
    guard let path else {
        print(text, terminator: "")
        return
    }
    try writeFile(text, to: path)
}

/// Writes each file into `directory`, creating it first.
private func write(_ files: [ExportedFile], into directory: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
        throw RegDBError.file(path: directory, message: "cannot create the directory: \(error.localizedDescription)")
    }
    for file in files {
        try writeFile(file.text, to: (directory.hasSuffix("/") ? directory : directory + "/") + file.name)
    }
}

/// Replaces the file in one step, so a reader never sees half of it; missing folders are made.
private func writeFile(_ text: String, to path: String) throws {
    do {
        let url = URL(filePath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    } catch {
        throw RegDBError.file(path: path, message: "cannot write: \(error.localizedDescription)")
    }
}
