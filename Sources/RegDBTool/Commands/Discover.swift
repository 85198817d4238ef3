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
        @Option(help: ArgumentHelp("The most models (ComfyUI: files) the server may list; more is an error, nothing written.",
                                   valueName: "n"))
        var maxModels: Int = DiscoveryOptions.defaultMaxModels

        func validate() throws {
            if !(timeout > 0 && timeout <= 3600) { throw ValidationError("--timeout must be between 0 and 3600 seconds.") }
            if !(maxModels > 0 && maxModels <= 10_000_000) { throw ValidationError("--max-models must be between 1 and 10000000.") }
        }

        func options(tokenVariable: String? = nil) -> DiscoveryOptions {
            DiscoveryOptions(timeout: timeout, provider: provider, tokenVariable: tokenVariable, allowShrink: allowShrink,
                             maxModels: maxModels)
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
