import ArgumentParser
import Foundation
import RegDB

struct Cost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Price one call in USD.",
        usage: "regdb cost [<options>] [<key-or-route>]",
        discussion: """
            Token counts are given as provider APIs report them: --input-tokens is every \
            prompt token, cached ones included (OpenAI prompt_tokens); --cache-read-tokens \
            and --cache-write-tokens are parts of it, billed at their own rate where the \
            route has one; --output-tokens includes reasoning tokens. Long-context \
            thresholds (above 200k prompt tokens) apply by themselves. Any unit of the \
            schema can be given with --usage UNIT=N, and --usage-json reads the usage \
            block of a real OpenAI, Anthropic or Gemini response. Per-call prices count \
            once; --variant picks among real alternatives (audio, 720p, batch, priority), \
            --resolution and --quality among a media route's prices; what the call leaves \
            open is the route's default, and a call with no quantity is the typical one (one \
            output of the default duration). --fal-request prices a fal call from its arguments \
            (and --fal-result from what it returned).

              regdb cost veo3 --seconds 8 --variant audio
              regdb cost nano_banana_pro --resolution 4K
              regdb cost flux_dev --size 1920x1080 --images 2     # fal's megapixels, rounded up per image
              regdb cost --fal-request request.json --fal-result result.json
              regdb cost gpt-4o --input-tokens 1000 --cache-read-tokens 400
              regdb cost --usage-json response.json          # the response's model names the route
              regdb cost openai/o3 --input-tokens 1000000 --at 2025-05-01
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("A category key, route key or model id; with --usage-json, default: the response's model.",
                                 valueName: "key-or-route"), completion: Complete.names)
    var key: String?

    @Option(name: .customLong("calls"), help: ArgumentHelp("""
        Price many calls: a file (- for standard input) of JSON lines {"name": …, "usage": {"input_token": 1000, …}, \
        "variants": […], "at": "…"}; prints one JSON line per call, {"name", "route_key", "usd"} or {"name", "error"}.
        """, valueName: "file"))
    var calls: String?

    @Option(help: "Category of the key, where it names routes in several.", completion: Complete.categories) var category: String?
    // Quantities are read whole (`parsing: .unconditional`) so that "-5" is a value, refused in validate() with the rule.
    @Option(parsing: .unconditional, help: "Seconds of media.") var seconds: String?
    @Option(parsing: .unconditional, help: "Minutes of media.") var minutes: String?
    @Option(parsing: .unconditional, help: "Images generated.") var images: String?
    @Option(parsing: .unconditional, help: "Megapixels of output.") var megapixels: String?
    @Option(parsing: .unconditional, help: "Characters of input text.") var characters: String?
    @Option(name: .customLong("input-tokens"), parsing: .unconditional, help: "Prompt tokens, cached ones included.")
    var inputTokens: String?
    @Option(name: .customLong("output-tokens"), parsing: .unconditional, help: "Completion tokens, reasoning included.")
    var outputTokens: String?
    @Option(name: .customLong("cache-read-tokens"), parsing: .unconditional, help: "Of the prompt tokens, those read from cache.")
    var cacheReadTokens: String?
    @Option(name: .customLong("cache-write-tokens"), parsing: .unconditional, help: "Of the prompt tokens, those written to cache.")
    var cacheWriteTokens: String?
    @Option(name: .customLong("usage"), help: ArgumentHelp("Quantity of any unit (page=3, input_audio_token=200); repeatable.", valueName: "unit=n"))
    var usage: [UnitQuantity] = []
    @Option(name: .customLong("usage-json"), help: ArgumentHelp("An API response (or its usage block) to price; - for standard input.", valueName: "file"))
    var usageJSON: String?
    @Option(help: ArgumentHelp("With --usage-json: the API whose response it is, where its shape does not tell (openai, anthropic, gemini, xai, openrouter).",
                               valueName: "api"))
    var api: UsageReport.API?
    @Flag(help: "Refuse (exit 1) a call whose response reports something the route has no price for, instead of warning.")
    var strict = false
    @Option(help: ArgumentHelp("Price variant: audio, no_audio, 720p, batch, priority…; repeatable.", valueName: "variant"))
    var variant: [String] = []
    @Option(help: ArgumentHelp("Output resolution the price depends on (720p, 1080p, 4K); default: the route's.", valueName: "resolution"))
    var resolution: String?
    @Option(help: ArgumentHelp("Output quality the price depends on (low, medium, high); default: the route's.", valueName: "quality"))
    var quality: String?
    @Option(help: ArgumentHelp("""
        Size of each output image, WIDTHxHEIGHT: per megapixel, each image bills its megapixels of 1,048,576 pixels \
        rounded up, as fal does (1920x1080 is 2); times --images.
        """, valueName: "size"))
    var size: String?
    @Option(name: .customLong("fal-request"), help: ArgumentHelp("""
        A fal request to price ({"endpoint_id": …, "input": {…}}, or the input alone with the route named): its \
        duration, num_images, image_size, resolution, quality and generate_audio; - for standard input.
        """, valueName: "file"))
    var falRequest: String?
    @Option(name: .customLong("fal-result"), help: ArgumentHelp("With --fal-request: the result fal returned; its images and their sizes, or the video's duration, win.",
                                                              valueName: "file"))
    var falResult: String?
    @Option(help: ArgumentHelp("When the call was made (2025-05-01 or 2025-05-01T12:00:00Z); default now.", valueName: "date"))
    var at: String?

    func validate() throws {
        if key != nil && calls != nil { throw ValidationError("Give either a key or --calls, not both.") }
        if key == nil && calls == nil && usageJSON == nil && falRequest == nil {
            throw ValidationError("Give the key or route to price, --usage-json RESPONSE (its model names the route), --fal-request FILE, or --calls FILE.")
        }
        if api != nil && usageJSON == nil { throw ValidationError("--api goes with --usage-json: the API whose response it is.") }
        if falResult != nil && falRequest == nil { throw ValidationError("--fal-result goes with --fal-request: the result of that request.") }
        if falRequest != nil && (usageJSON != nil || calls != nil) { throw ValidationError("Give one of --fal-request, --usage-json and --calls.") }
        if let size, PixelSize(size) == nil {
            throw ValidationError("--size must be WIDTHxHEIGHT in whole pixels from 1 to 100000 (1920x1080), not \"\(size)\".")
        }
        _ = try measures()
        if let at, !Usage.isValidDate(at) {
            throw ValidationError("--at must be an ISO 8601 date (2025-05-01) or UTC time (2025-05-01T12:00:00Z), not \"\(at)\".")
        }
    }

    func run() throws {
        try reportingErrors {
            let registry = try database.open(.readOnly)
            if let calls {
                try priceCalls(registry, from: calls)
                return
            }
            let measures = try measures()
            var units: [String: Decimal] = [:]
            var name = key
            var reported: Set<String> = []
            var tiers: [String] = []
            if let usageJSON {
                let file = usageJSON == "-" ? "<stdin>" : usageJSON
                let reading = try UsageReport.read(try readJSON(usageJSON), file: file, api: api)
                units = reading.units
                reported = Set(reading.units.keys)
                tiers = reading.variant.map { [$0] } ?? []
                if name == nil {
                    guard let model = reading.model else {
                        throw RegDBError.violations([Violation(file: file, path: .root, rule: "usage",
                            message: "the response names no model (\"model\", Gemini's \"modelVersion\"); give the key or route to price")])
                    }
                    name = try registry.responseName(model, servedBy: reading.servedBy)
                }
            }
            var fal: FalCall?
            if let falRequest {
                let file = falRequest == "-" ? "<stdin>" : falRequest
                let call = try FalCall.read(request: try readJSON(falRequest), file: file,
                                            result: try falResult.map(readJSON), resultFile: falResult)
                if name == nil {
                    guard let endpoint = call.endpoint else {
                        throw RegDBError.violations([Violation(file: file, path: .root, rule: "fal-request",
                            message: "the request names no endpoint (\"endpoint_id\"); give the key or route to price")])
                    }
                    name = "fal/" + endpoint
                }
                fal = call
            }
            guard let name else { return }
            for entry in usage {
                units[entry.unit] = entry.value
                reported.remove(entry.unit)
            }
            var call = Usage(measures: measures, units: units, variants: variant, at: at)
            if let fal {
                let route = try registry.priceLabels(of: name, category: category)
                let request = fal.usage(labels: route.labels, measures: route.measures)
                call.measures.merge(request.measures) { given, _ in given }
                call.imageSizes = request.imageSizes
                call.variants += request.variants.filter { !call.variants.contains($0) }
                call.resolution = request.resolution
                call.quality = request.quality
            }
            if let size, let pixels = PixelSize(size) {
                call.imageSizes = [pixels]
                call.imagesPerSize = measures["images"].map { max(1, Int64(truncating: $0 as NSDecimalNumber)) } ?? 1
            }
            call.resolution = resolution ?? call.resolution
            call.quality = quality ?? call.quality
            call.reported = reported
            call.reportedVariants = tiers
            let quote = try registry.cost(name, category: category, usage: call)
            for warning in quote.warnings { printError("warning: " + warning) }
            if strict, let first = quote.unpriced.first {
                throw RegDBError.pricing(first.warning(on: quote.routeKey) + "; refused by --strict")
            }
            for item in quote.unpriced { printError("warning: " + item.warning(on: quote.routeKey)) }
            Renderer.show(quote, as: output.format)
        }
    }

    /// The quantities given by option, by measure; a value that is not one is bad usage naming
    /// the option and the rule ("--input-tokens must be a whole number >= 0 and <= 1e15, not \"-5\".").
    private func measures() throws -> [String: Decimal] {
        // In the order of Measure.given.
        let texts = [seconds, minutes, images, megapixels, characters, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens]
        var measures: [String: Decimal] = [:]
        for (entry, text) in zip(Measure.given, texts) {
            guard let text else { continue }
            guard let quantity = Quantity.parse(text), !entry.whole || Quantity.isWhole(quantity) else {
                throw ValidationError("\(entry.option) must be a \(entry.whole ? "whole " : "")number >= 0 and <= 1e15, not \"\(text)\".")
            }
            measures[entry.name] = quantity
        }
        return measures
    }

    /// `--calls`: one JSON line out per JSON line in, in order; a call that cannot be priced
    /// says why and the others go on (`Registry.priceCalls`). Exit 1 when any call failed.
    private func priceCalls(_ registry: Registry, from path: String) throws {
        let failed = try registry.priceCalls([UInt8](try readInput(path)), file: path) { print($0, terminator: "") }
        if failed > 0 { throw ExitCode(1) }
    }

    private func readInput(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let contents = FileManager.default.contents(atPath: path) else {
            let problem = FileManager.default.fileExists(atPath: path) ? "file cannot be read" : "file does not exist"
            throw RegDBError.violations([Violation(file: path, path: nil, rule: "file", message: problem)])
        }
        return contents
    }

    private func readJSON(_ path: String) throws -> JSONValue {
        let data = try readInput(path)
        do {
            return try JSONParser.parse([UInt8](data))
        } catch {
            throw RegDBError.violations([Violation(file: path == "-" ? "<stdin>" : path, path: error.path, rule: "json-syntax",
                                                   message: "\(error.message) (line \(error.line), column \(error.column))")])
        }
    }
}

/// `--usage UNIT=N`.
struct UnitQuantity: ExpressibleByArgument {
    var unit: String
    var value: Decimal

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="),
              let value = Quantity.parse(String(argument[argument.index(after: equals)...]))
        else { return nil }
        unit = String(argument[..<equals])
        guard !unit.isEmpty else { return nil }
        self.value = value
    }
}

extension UsageReport.API: ExpressibleByArgument {}
