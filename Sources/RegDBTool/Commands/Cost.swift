import ArgumentParser
import RegDB

struct Cost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Price one call in USD.",
        discussion: """
            Give what the call consumes; per-call prices count once. Where a unit has alternative
            prices (audio, no_audio, 720p…), pick one with --variant.
              regdb cost veo3 --seconds 8 --variant audio
              regdb cost openai/gpt-4o --input-tokens 1000 --output-tokens 500
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("A category key, route key or model id.", valueName: "key-or-route"))
    var key: String

    @Option(help: "Category of the key, where it names routes in several.") var category: String?
    @Option(help: "Seconds of media.") var seconds: Double?
    @Option(help: "Minutes of media.") var minutes: Double?
    @Option(help: "Images generated.") var images: Double?
    @Option(help: "Megapixels of output.") var megapixels: Double?
    @Option(help: "Characters of input text.") var characters: Double?
    @Option(name: .customLong("input-tokens"), help: "Prompt tokens.") var inputTokens: Double?
    @Option(name: .customLong("output-tokens"), help: "Completion tokens.") var outputTokens: Double?
    @Option(name: .customLong("cache-read-tokens"), help: "Prompt tokens read from cache.") var cacheReadTokens: Double?
    @Option(name: .customLong("cache-write-tokens"), help: "Prompt tokens written to cache.") var cacheWriteTokens: Double?
    @Option(help: "Price variant: audio, no_audio, 720p, 1080p…") var variant: String?

    func validate() throws {
        let quantities: [(String, Double?)] = [
            ("--seconds", seconds), ("--minutes", minutes), ("--images", images), ("--megapixels", megapixels),
            ("--characters", characters), ("--input-tokens", inputTokens), ("--output-tokens", outputTokens),
            ("--cache-read-tokens", cacheReadTokens), ("--cache-write-tokens", cacheWriteTokens),
        ]
        for (flag, value) in quantities {
            if let value, !(value.isFinite && value >= 0) {
                throw ValidationError("\(flag) must be a number >= 0, not \(value).")
            }
        }
    }

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readOnly)
            let usage = Usage(seconds: seconds, minutes: minutes, images: images, megapixels: megapixels,
                              characters: characters, inputTokens: inputTokens, outputTokens: outputTokens,
                              cacheReadTokens: cacheReadTokens, cacheWriteTokens: cacheWriteTokens, variant: variant)
            let quote = try registry.cost(key, category: category, usage: usage)
            for warning in quote.warnings { printError("warning: " + warning) }
            switch output.format {
            case .json:
                print(JSONValue.object([
                    ("category", quote.category.map(JSONValue.string) ?? .null),
                    ("key", quote.key.map(JSONValue.string) ?? .null),
                    ("route_key", .string(quote.routeKey)),
                    ("variant", variant.map(JSONValue.string) ?? .null),
                    ("usd", .number(quote.usd)),
                    ("multiplier", .number(quote.multiplier)),
                    ("lines", .array(quote.lines.map { line in
                        .object([("unit", .string(line.unit)), ("variant", line.variant.map(JSONValue.string) ?? .null),
                                 ("quantity", .number(line.quantity)), ("usd", .number(line.usd))])
                    })),
                ]).prettyJSONText)
            case .table, .csv:
                // One row per priced unit, then the total (after any multiplier).
                var rows: [[JSONValue]] = quote.lines.map { line in
                    [.string(quote.routeKey), .string(line.unit), line.variant.map(JSONValue.string) ?? .null,
                     .number(line.quantity), .number(line.usd)]
                }
                if quote.multiplier != 1 {
                    rows.append([.string(quote.routeKey), .string("multiplier"), variant.map(JSONValue.string) ?? .null,
                                 .number(quote.multiplier), .null])
                }
                rows.append([.string(quote.routeKey), .string("total"), .null, .null, .number(quote.usd)])
                let table = ResultTable(columns: ["route_key", "unit", "variant", "quantity", "usd"], rows: rows)
                print(Renderer.render(table, as: output.format), terminator: "")
            }
        }
    }
}
