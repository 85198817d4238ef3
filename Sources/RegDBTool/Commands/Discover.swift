import ArgumentParser
import Foundation
import RegDB

struct Discover: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Ask a live server what it has and record it as a server source.",
        discussion: """
            Nothing is written unless every request succeeds: a refused connection, a timeout, an \
            HTTP error, a body that is not JSON or not the expected shape, or one larger than 64 MiB \
            is one error line and exit 1. Tokens are read from the environment, never stored or printed.
            """,
        subcommands: [ComfyUI.self, OpenAI.self, Tinker.self])

    /// Options every discovery takes.
    struct Connection: ParsableArguments {
        @Option(help: "Seconds to wait for each answer.") var timeout: Double = 10
        @Option(help: ArgumentHelp("Provider id for the server's routes (default: derived from the URL).", valueName: "id"))
        var provider: String?
        @Flag(help: "Allow a run that removes more than half of what the server listed last time.")
        var allowShrink = false

        func validate() throws {
            if !(timeout > 0 && timeout <= 3600) { throw ValidationError("--timeout must be between 0 and 3600 seconds.") }
        }

        func options(tokenVariable: String? = nil) -> DiscoveryOptions {
            DiscoveryOptions(timeout: timeout, provider: provider, tokenVariable: tokenVariable, allowShrink: allowShrink)
        }
    }

    /// Runs a discovery that reads a token from the environment, prints its warnings, then `summary`.
    static func run(_ database: DatabaseOptions, _ summary: (DiscoveryReport) -> String,
                    _ discover: (Registry, [String: String]) throws -> DiscoveryReport) throws {
        try reportingErrors {
            let report = try discover(try database.open(.create), ProcessInfo.processInfo.environment)
            for warning in report.warnings { printError(warning.description) }
            print("\(database.resolvedPath): \(report.provider): " + summary(report))
        }
    }

    struct ComfyUI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "comfyui",
            abstract: "Discover a ComfyUI host: hardware, model files, capabilities inferred from its loader nodes.",
        usage: "regdb discover comfyui [<options>] <url>")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var connection: Connection
        @Argument(help: "The ComfyUI URL, such as http://192.168.1.143:8188.") var url: String

        func run() throws {
            try Discover.run(database, { report in
                "\(report.listed) model files (" + report.capabilities.map { "\($0.capability) \($0.count)" }.joined(separator: ", ") + ")"
            }, { registry, _ in try registry.discoverComfyUI(url: url, options: connection.options()) })
        }
    }

    struct OpenAI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "openai",
            abstract: "Discover an OpenAI-compatible server's models (GET /v1/models): vLLM, Ollama, LM Studio, OpenRouter…",
        usage: "regdb discover openai [<options>] <url>",
            discussion: """
                Listed models become available routes of the provider; routes it no longer lists are kept, \
                marked unavailable. Names no other source knows are counted in unknown_models. A bearer \
                token comes from --token-env, else the provider's first environment variable.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var connection: Connection
        @Option(help: ArgumentHelp("Environment variable holding the bearer token.", valueName: "name"))
        var tokenEnv: String?
        @Argument(help: "The server's base URL, such as http://localhost:11434 or https://openrouter.ai/api/v1.") var url: String

        func run() throws {
            try Discover.run(database, { report in
                "\(report.listed) models listed, \(report.unavailable) no longer listed (kept, unavailable), \(report.unknown) unknown to other sources"
            }, { registry, environment in
                try registry.discoverOpenAI(url: url, options: connection.options(tokenVariable: tokenEnv), environment: environment)
            })
        }
    }

    struct Tinker: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tinker",
            abstract: "Discover a Tinker server's models (GET /api/v1/get_server_capabilities).",
        usage: "regdb discover tinker [<options>] <url>")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var connection: Connection
        @Option(help: ArgumentHelp("Environment variable holding the bearer token.", valueName: "name"))
        var tokenEnv: String?
        @Argument(help: "The Tinker server URL.") var url: String

        func run() throws {
            try Discover.run(database, { "\($0.listed) models" }, { registry, environment in
                try registry.discoverTinker(url: url, options: connection.options(tokenVariable: tokenEnv), environment: environment)
            })
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show discovered hosts: hardware, and per capability the model count and the top three.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Only this host (provider id or URL).") var host: String?

    func run() throws {
        try reportingErrors {
            let statuses = try database.open(.readOnly).hostStatuses(host: host)
            // As `best`: nothing to report is an error on stderr, in every format.
            guard !statuses.isEmpty else { throw RegDBError.nothingDiscovered }
            switch output.format {
            case .json:
                print(JSONValue.array(statuses.map { status in
                    .object([("provider", .string(status.provider)), ("url", .string(status.url)),
                             ("gpu", status.gpu.map(JSONValue.string) ?? .null),
                             ("vram_total_gb", status.vramTotalGB.map(JSONValue.number) ?? .null),
                             ("vram_free_gb", status.vramFreeGB.map(JSONValue.number) ?? .null),
                             ("remote", .bool(status.remote)), ("observed_at", .string(status.observedAt)),
                             ("models", .array(status.models.map(\.json)))])
                }).prettyJSONText)
            case .csv:
                let rows = statuses.flatMap { status in status.models.map { model in
                    [JSONValue.string(status.provider), .string(model.routeKey), .string(model.capabilities.joined(separator: " ")),
                     .number(model.quality), .number(model.vramGB)]
                } }
                print(Renderer.render(ResultTable(columns: ["host", "route_key", "capabilities", "quality", "vram_gb"], rows: rows),
                                      as: .csv), terminator: "")
            case .table:
                for status in statuses { print(StatusReport.text(status)) }
            }
        }
    }
}

/// Design doc 001's status block.
enum StatusReport {
    static func text(_ status: HostStatus) -> String {
        func gb(_ value: Double?) -> String { value.map { String(format: "%.1fGB", $0) } ?? "?" }
        var lines = [String(repeating: "=", count: 50), "MODEL REGISTRY STATUS", String(repeating: "=", count: 50), "",
                     "Target: \(status.url)\(status.remote ? " (remote)" : " (local)")",
                     "Hardware: \(status.gpu ?? "Unknown")",
                     "VRAM: \(gb(status.vramTotalGB)) total, \(gb(status.vramFreeGB)) free",
                     "RAM: \(gb(status.ramTotalGB)) total, OS: \(status.os ?? "?"), ComfyUI \(status.comfyuiVersion ?? "unknown")",
                     "Observed: \(status.observedAt)", "",
                     "Total Models: \(status.models.count)", ""]
        var byCapability: [String: [InstalledModel]] = [:]
        for model in status.models {
            for capability in model.capabilities { byCapability[capability, default: []].append(model) }
        }
        for capability in byCapability.keys.sorted() {
            let models = byCapability[capability] ?? []
            lines.append("\(capability) (\(models.count) models):")
            let top = models.sorted { a, b in a.quality != b.quality ? a.quality > b.quality : a.routeKey < b.routeKey }.prefix(3)
            for model in top {
                lines.append("  • \(model.name) (Q\(number(model.quality)), \(number(model.vramGB))GB)")
            }
            if models.count > 3 { lines.append("  ... and \(models.count - 3) more") }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }
}

struct Best: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best",
        abstract: "The best installed model for a capability that fits in VRAM, with the reason.",
        usage: "regdb best [<options>] <capability>",
        discussion: """
            Candidates are discovered model files with the capability; those needing more than --max-vram GB \
            (default: the free VRAM of their host) are out. quality: highest quality first; speed: least VRAM \
            first; balanced: quality per GB. Nothing fits: exit 1, naming what the smallest candidate needs.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "A capability: text_to_image, text_to_video, upscale, vae, lora…") var capability: String
    @Option(help: "VRAM limit in GB (default: the host's free VRAM).") var maxVram: Double?
    @Option(help: "quality, speed or balanced.") var prefer: PreferenceArgument = .quality
    @Option(help: "Only this host (provider id or URL).") var host: String?

    func validate() throws {
        if let maxVram, !(maxVram > 0 && maxVram.isFinite) { throw ValidationError("--max-vram must be a number of GB > 0.") }
    }

    func run() throws {
        try reportingErrors {
            let choice = try database.open(.readOnly).best(capability, maxVRAM: maxVram, preference: prefer.value, host: host)
            let row: [(String, JSONValue)] = [
                ("route_key", .string(choice.model.routeKey)), ("name", .string(choice.model.name)),
                ("host", .string(choice.model.host)), ("capability", .string(choice.capability)),
                ("vram_gb", .number(choice.model.vramGB)), ("quality", .number(choice.model.quality)),
                ("max_vram_gb", .number(choice.maxVRAMGB)), ("prefer", .string(choice.preference.rawValue)),
                ("reason", .string(choice.reason)),
            ]
            switch output.format {
            case .json: print(JSONValue.object(row).prettyJSONText)
            case .table, .csv:
                print(Renderer.render(ResultTable(columns: row.map(\.0), rows: [row.map(\.1)]), as: output.format), terminator: "")
            }
        }
    }
}

enum PreferenceArgument: String, ExpressibleByArgument, CaseIterable {
    case quality, speed, balanced
    var value: Preference { Preference(rawValue: rawValue) ?? .quality }
}
