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
                let count = measures["images"].map { max(1, Int(truncating: $0 as NSDecimalNumber)) } ?? 1
                call.imageSizes = Array(repeating: pixels, count: count)
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
            guard let quantity = try? Quantity.parse(text), !entry.whole || Quantity.isWhole(quantity) else {
                throw ValidationError("\(entry.option) must be a \(entry.whole ? "whole " : "")number >= 0 and <= 1e15, not \"\(text)\".")
            }
            measures[entry.name] = quantity
        }
        return measures
    }

    /// `--calls`: one JSON line out per JSON line in; a call that cannot be priced says why
    /// and the others go on. Every line is read first, then the calls are priced together
    /// (each name resolved once, each route's prices read once). Exit 1 when any call failed.
    private func priceCalls(_ registry: Registry, from path: String) throws {
        let text = String(decoding: try readInput(path), as: UTF8.self)
        // "\r\n" is one Character in Swift: split on every line end, not on "\n" alone.
        var read: [(name: JSONValue, call: Result<PricedCall, RegDBError>)] = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            read.append(Cost.call(String(line), at: "\(path):\(index + 1)"))
        }
        let priced = try registry.costs(read.compactMap { try? $0.call.get() })
        var quotes = priced.makeIterator()
        var failed = 0
        var output = ""
        for (name, call) in read {
            let result = call.flatMap { _ in quotes.next() ?? .failure(.pricing("not priced")) }
            switch result {
            case .success(let quote):
                var line = [("name", name), ("route_key", .string(quote.routeKey)), ("usd", Money.number(quote.usd))]
                if case .object(let fields) = quote.json {
                    line += fields.filter { $0.key == "lines" || $0.key == "unpriced" }
                }
                output += JSONValue.object(line).jsonText + "\n"
            case .failure(let error):
                failed += 1
                output += JSONValue.object([("name", name), ("error", .string(error.description))]).jsonText + "\n"
            }
            if output.utf8.count > 1 << 16 {
                print(output, terminator: "")
                output = ""
            }
        }
        print(output, terminator: "")
        if failed > 0 { throw ExitCode(1) }
    }

    /// One line of `--calls` read: its name as given (for the output line) and the call, or
    /// why it is not one. Every field is typed as the options are: a wrong type is an error
    /// naming its line and field, never a field dropped (a numeric "at" priced today,
    /// "variants": "720p" none).
    static func call(_ line: String, at place: String) -> (name: JSONValue, call: Result<PricedCall, RegDBError>) {
        func refuse(_ field: String, _ rule: String) -> RegDBError { .pricing("\(place): \(field) \(rule)") }
        let call: JSONValue
        do { call = try JSONParser.parse(line) } catch {
            return (.null, .failure(.pricing("\(place): not JSON: \(error.message)")))
        }
        guard case .object(let fields) = call else {
            return (.null, .failure(refuse("the line", "must be a JSON object {\"name\": …, \"usage\": {…}}")))
        }
        let name = call["name"] ?? .null
        func read() throws -> PricedCall {
            for field in fields.map(\.key) where !callFields.contains(field) {
                throw refuse("\"\(field)\"", "is not a field of a call (\(callFields.joined(separator: ", ")))")
            }
            guard let routeName = name.stringValue else { throw refuse("\"name\"", "must be a string") }
            var units: [String: Decimal] = [:]
            switch call["usage"] {
            case nil, .null?: break
            case .object(let members)?:
                for (unit, value) in members {
                    guard value.doubleValue != nil, let quantity = try? Quantity.parse(value.jsonText) else {
                        throw refuse("usage.\(unit)", "must be a number >= 0 and <= 1e15, found \(value.jsonText.prefix(40))")
                    }
                    units[unit] = quantity
                }
            case let other?:
                throw refuse("\"usage\"", "must be an object of quantities by unit, found \(other.typeName)")
            }
            var variants: [String] = []
            switch call["variants"] {
            case nil, .null?: break
            case .array(let items)?:
                for (position, item) in items.enumerated() {
                    guard let variant = item.stringValue else {
                        throw refuse("variants[\(position)]", "must be a string (\"720p\"), found \(item.jsonText.prefix(40))")
                    }
                    variants.append(variant)
                }
            case let other?:
                throw refuse("\"variants\"", "must be a list of strings ([\"720p\"]), found \(other.typeName)")
            }
            for field in ["category", "at"] {
                if let value = call[field], value != .null, value.stringValue == nil {
                    throw refuse("\"\(field)\"", "must be a string\(field == "at" ? " (an ISO 8601 date or UTC time)" : ""), found \(value.jsonText.prefix(40))")
                }
            }
            return PricedCall(name: routeName, category: call["category"]?.stringValue,
                              usage: Usage(units: units, variants: variants, at: call["at"]?.stringValue))
        }
        do { return (name, .success(try read())) } catch let error as RegDBError { return (name, .failure(error)) } catch {
            return (name, .failure(.pricing("\(place): \(error)")))
        }
    }

    /// The fields a line of `--calls` may hold.
    static let callFields = ["name", "usage", "variants", "category", "at"]

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

/// A quantity given on the command line: a finite decimal >= 0, kept exact.
enum Quantity {
    /// Whether a quantity has no fractional part.
    static func isWhole(_ value: Decimal) -> Bool {
        var value = value, rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return rounded == value
    }

    /// Quantities above 10^15 are refused: no call consumes that much, and it keeps
    /// every product with a price well inside Decimal's range.
    static func parse(_ text: String) throws -> Decimal {
        // Plain decimal notation only: Double reads "0x10" as 16 where Decimal reads 0.
        guard text.allSatisfy({ "0123456789.eE+-".contains($0) }),
              let double = Double(text), double.isFinite, double >= 0, double <= 1e15,
              let decimal = Decimal(string: text) ?? Decimal(string: String(double))
        else { throw ValidationError("must be a number >= 0 and <= 1e15") }
        return decimal
    }
}

/// `--usage UNIT=N`.
struct UnitQuantity: ExpressibleByArgument {
    var unit: String
    var value: Decimal

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="),
              let value = try? Quantity.parse(String(argument[argument.index(after: equals)...]))
        else { return nil }
        unit = String(argument[..<equals])
        guard !unit.isEmpty else { return nil }
        self.value = value
    }
}

extension UsageReport.API: ExpressibleByArgument {}
