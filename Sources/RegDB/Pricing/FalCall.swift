import Foundation
import GRDB

/// A fal call as its request and result say it: what `regdb cost --fal-request` prices.
///
/// The request is what the caller sent, either with its endpoint
///
///     {"endpoint_id": "fal-ai/kling-video/v3/standard/text-to-video",
///      "input": {"prompt": "…", "duration": "10", "generate_audio": true}}
///
/// (`endpoint`, `model` or `application` for the id, `arguments` for the input, as fal's
/// clients spell them), or the input alone, the route then named on the command line. The
/// arguments that set a price are read as fal documents them: `duration` ("10", "8s"),
/// `num_images`, `image_size` (a preset such as `landscape_4_3`, or `{"width", "height"}`),
/// `resolution`, `quality`, `generate_audio` (with `voice_ids`, voice control). The result,
/// where given (`{"images": [{"width", "height", …}]}`, `{"video": {"duration": …}}`,
/// possibly under `data`), says what was made and wins: the images fal returned and their
/// sizes, the seconds of video.
public struct FalCall: Sendable {
    /// The endpoint id the request names (`fal-ai/flux/dev`); nil for a bare input.
    public var endpoint: String?
    public var seconds: Decimal?
    public var images: Int64?
    public var imageSizes: [PixelSize] = []
    public var resolution: String?
    public var quality: String?
    /// `generate_audio`; nil when the request does not say.
    public var audio: Bool?
    /// Voices chosen for the audio (Kling's voice control).
    public var voiceControl = false

    /// fal's image_size presets and the pixels each gives (fal's text-to-image API reference).
    public static let imageSizePresets: [String: PixelSize] = [
        "square_hd": PixelSize(width: 1024, height: 1024), "square": PixelSize(width: 512, height: 512),
        "portrait_4_3": PixelSize(width: 768, height: 1024), "portrait_16_9": PixelSize(width: 576, height: 1024),
        "landscape_4_3": PixelSize(width: 1024, height: 768), "landscape_16_9": PixelSize(width: 1024, height: 576),
    ]

    /// Reads a request (and its result); a value of the wrong shape is an error at its JSON path.
    public static func read(request: JSONValue, file: String, result: JSONValue? = nil, resultFile: String? = nil) throws -> FalCall {
        guard case .object = request else { throw error(file, .root, "expected a fal request object, found \(request.typeName)") }
        var call = FalCall()
        var inputPath = JSONPath.root
        var input = request
        for key in ["endpoint_id", "endpoint", "model", "application"] {
            guard let value = request[key] else { continue }
            guard let id = value.stringValue, !id.isEmpty else {
                throw error(file, .root.appending(key), "the endpoint id must be a non-empty string, found \(value.typeName)")
            }
            call.endpoint = id
            break
        }
        for key in ["input", "arguments"] {
            guard let value = request[key] else { continue }
            guard case .object = value else { throw error(file, .root.appending(key), "expected the request's input object, found \(value.typeName)") }
            input = value
            inputPath = .root.appending(key)
            break
        }
        try call.readInput(input, at: inputPath, file: file)
        if let result { try call.readResult(result, file: resultFile ?? "<result>") }
        return call
    }

    private mutating func readInput(_ input: JSONValue, at path: JSONPath, file: String) throws {
        if let value = input["duration"] {
            seconds = try FalCall.seconds(value, at: path.appending("duration"), file: file)
        }
        if let value = input["num_images"] ?? input["num_outputs"] {
            guard case .integer(let count) = value, (1...1000).contains(count) else {
                throw FalCall.error(file, path.appending(input["num_images"] != nil ? "num_images" : "num_outputs"),
                                    "must be a whole number from 1 to 1000, found \(value.jsonText)")
            }
            images = count
        }
        if let value = input["image_size"] {
            let sizePath = path.appending("image_size")
            let size: PixelSize
            if let preset = value.stringValue {
                guard let known = FalCall.imageSizePresets[preset] ?? PixelSize(preset) else {
                    throw FalCall.error(file, sizePath, "\"\(preset)\" is no image_size preset of fal's (\(FalCall.imageSizePresets.keys.sorted().joined(separator: ", "))) and no WIDTHxHEIGHT")
                }
                size = known
            } else if case .integer(let width)? = value["width"], case .integer(let height)? = value["height"],
                      (1...100_000).contains(width), (1...100_000).contains(height) {
                size = PixelSize(width: width, height: height)
            } else {
                throw FalCall.error(file, sizePath, "expected a preset name or {\"width\": N, \"height\": N} in whole pixels, found \(value.jsonText)")
            }
            imageSizes = [size]
        }
        for (key, keyPath) in [("resolution", \FalCall.resolution), ("quality", \FalCall.quality)] {
            guard let value = input[key] else { continue }
            guard let text = value.stringValue, !text.isEmpty else {
                throw FalCall.error(file, path.appending(key), "must be a non-empty string, found \(value.jsonText)")
            }
            self[keyPath: keyPath] = text
        }
        if let value = input["generate_audio"] {
            guard case .bool(let on) = value else {
                throw FalCall.error(file, path.appending("generate_audio"), "must be true or false, found \(value.jsonText)")
            }
            audio = on
        }
        if case .array(let voices)? = input["voice_ids"], !voices.isEmpty { voiceControl = true }
    }

    private mutating func readResult(_ result: JSONValue, file: String) throws {
        guard case .object = result else { throw FalCall.error(file, .root, "expected a fal result object, found \(result.typeName)") }
        var body = result
        var path = JSONPath.root
        for key in ["data", "response"] where body["images"] == nil && body["video"] == nil && body["image"] == nil {
            if case .object? = body[key] {
                body = body[key] ?? body
                path = path.appending(key)
            }
        }
        var outputs: [(JSONValue, JSONPath)] = []
        if case .array(let items)? = body["images"] {
            outputs = items.enumerated().map { ($1, path.appending("images").appending($0)) }
        } else if let image = body["image"], case .object = image {
            outputs = [(image, path.appending("image"))]
        }
        if !outputs.isEmpty {
            var sizes: [PixelSize] = []
            for (image, imagePath) in outputs {
                guard case .integer(let width)? = image["width"], case .integer(let height)? = image["height"],
                      (1...100_000).contains(width), (1...100_000).contains(height) else {
                    // Without sizes the count still holds.
                    sizes = []
                    break
                }
                _ = imagePath
                sizes.append(PixelSize(width: width, height: height))
            }
            images = Int64(outputs.count)
            if !sizes.isEmpty { imageSizes = sizes } else if let size = imageSizes.first { imageSizes = Array(repeating: size, count: outputs.count) }
        }
        for (value, valuePath) in [(body["video"]?["duration"], path.appending("video").appending("duration")),
                                   (body["audio"]?["duration"], path.appending("audio").appending("duration")),
                                   (body["duration"], path.appending("duration"))] {
            guard let value else { continue }
            seconds = try FalCall.seconds(value, at: valuePath, file: file)
            break
        }
    }

    /// `10`, `10.5`, `"10"`, `"8s"`: seconds; anything else an error.
    private static func seconds(_ value: JSONValue, at path: JSONPath, file: String) throws -> Decimal {
        var text = value.stringValue ?? (value.doubleValue != nil ? value.jsonText : "")
        if text.hasSuffix("s") { text.removeLast() }
        guard text.allSatisfy({ "0123456789.".contains($0) }), let number = Double(text), number > 0, number <= 1e6,
              let quantity = Decimal(string: text) else {
            throw error(file, path, "a duration must be a number of seconds (10, \"10\", \"8s\"), found \(value.jsonText)")
        }
        return quantity
    }

    private static func error(_ file: String, _ path: JSONPath, _ message: String) -> RegDBError {
        .violations([Violation(file: file, path: path, rule: "fal-request", message: message)])
    }

    /// The call as `cost` prices it: the seconds, the images and their sizes, the resolution
    /// and quality asked for, and audio on or off (with voice control) where the route's
    /// prices depend on it (`labels`, the labels of its price variants); of the quantities,
    /// those the route is priced in (`measures`).
    public func usage(labels: Set<String>, measures: Set<String>) -> Usage {
        var usage = Usage()
        if let seconds {
            if measures.contains("seconds") { usage.measures["seconds"] = seconds }
            else if measures.contains("minutes") { usage.measures["minutes"] = seconds / 60 }
        }
        let count = images ?? 1
        if !measures.isDisjoint(with: ["images", "megapixels", "pixels"]) {
            if !imageSizes.isEmpty {
                usage.imageSizes = imageSizes.count == 1 && count > 1 ? Array(repeating: imageSizes[0], count: Int(count)) : imageSizes
            }
            usage.measures["images"] = Decimal(count)
        }
        usage.resolution = resolution
        usage.quality = quality
        if let audio {
            let label = audio ? (voiceControl && labels.contains("voice_control") ? "voice_control" : "audio") : "no_audio"
            if labels.contains(label) { usage.variants.append(label) }
        }
        return usage
    }
}

extension Registry {
    /// The labels of a route's price variants (`1080p+audio` gives 1080p and audio) and its
    /// priced measures, for a caller that builds a call from a request.
    public func priceLabels(of name: String, category: String? = nil) throws -> (labels: Set<String>, measures: Set<String>) {
        try snapshot {
            var book = try PriceBook(self)
            try book.learn(self, names: [(name, category)])
            let rows = book.route(try book.match(name, category: category).routeID).rows
            return (Set(rows.compactMap(\.variant).flatMap(PriceLabels.split)), Set(rows.map(\.measure)))
        }
    }
}
