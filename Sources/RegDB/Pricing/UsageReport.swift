import Foundation

/// The usage block of a real API response, read the way each API defines its fields.
///
/// - OpenAI chat completions: `prompt_tokens` counts every prompt token;
///   `prompt_tokens_details.cached_tokens` and `.audio_tokens` are parts of it;
///   `completion_tokens` includes `completion_tokens_details.reasoning_tokens`.
///   `service_tier` (`flex`, `priority`) is the price variant.
/// - OpenAI responses: the same with `input_tokens`, `input_tokens_details`,
///   `output_tokens` and `output_tokens_details`.
/// - Anthropic messages: `input_tokens` counts only uncached tokens, so the
///   prompt is `input_tokens + cache_creation_input_tokens + cache_read_input_tokens`;
///   `cache_creation.ephemeral_1h_input_tokens` of the writes went to the one-hour
///   cache; `server_tool_use.web_search_requests` are billed per search;
///   `service_tier` (`priority`, `batch`) is the price variant.
/// - Google Gemini: `usageMetadata.promptTokenCount` includes
///   `cachedContentTokenCount`; thinking tokens (`thoughtsTokenCount`) are
///   billed as output but not counted in `candidatesTokenCount`; the AUDIO and
///   IMAGE entries of `promptTokensDetails`, `cacheTokensDetails` and
///   `candidatesTokensDetails` are audio and image tokens.
/// - xAI: OpenAI's chat shape, but `completion_tokens` leaves out
///   `completion_tokens_details.reasoning_tokens`, which xAI bills as output.
/// - OpenRouter: OpenAI's chat shape; the model is priced on OpenRouter's route.
///
/// A whole response or just its usage object is accepted; the API is told by the
/// response's shape, or by `api` where the shape is ambiguous.
public enum UsageReport {
    /// The APIs whose responses are read.
    public enum API: String, CaseIterable, Sendable {
        case openai, anthropic, gemini, xai, openrouter
    }

    public struct Reading: Sendable {
        /// Which API's shape was read: openai-chat, openai-responses, anthropic, gemini, xai, openrouter.
        public var format: String
        /// Quantities per unit, inclusive as `Usage` counts them.
        public var units: [String: Decimal]
        /// The name to price: the response's `model` (Gemini's `modelVersion`), on OpenRouter's
        /// routes (`openrouter/…`) for an OpenRouter response; nil when it names none.
        public var model: String? = nil
        /// The price variant the response's service tier means (flex, priority, batch); nil for the standard tier.
        public var variant: String? = nil

        /// Providers that serve this API under their own name, as catalogs spell them: the
        /// response's model is priced on their route (`google/gemini-2.0-flash-001`), not on
        /// whichever reseller lists the same wire id.
        public var servedBy: [String] {
            switch format {
            case "anthropic": ["anthropic"]
            case "gemini": ["google", "gemini", "vertex_ai-language-models"]
            case "xai": ["xai", "x-ai"]
            case "openrouter": []
            default: ["openai"]
            }
        }
    }

    /// Reads `json`, the content of `file` (for messages: `FILE:JSON-PATH: error: [usage] …`).
    public static func read(_ json: JSONValue, file: String, api: API? = nil) throws -> Reading {
        let reader = Reader(file: file)
        guard case .object = json else {
            throw reader.error(.root, "expected an API response or its usage object, found \(json.typeName)")
        }
        let model = json["model"]?.stringValue ?? json["modelVersion"]?.stringValue
        if api == .gemini || json["usageMetadata"] != nil || json["promptTokenCount"] != nil {
            let (metadata, path) = json["usageMetadata"].map { ($0, JSONPath.root.appending("usageMetadata")) } ?? (json, JSONPath.root)
            var reading = try reader.gemini(metadata, at: path)
            reading.model = model
            return reading
        }
        let (usage, path) = json["usage"].map { ($0, JSONPath.root.appending("usage")) } ?? (json, JSONPath.root)
        guard case .object = usage else {
            throw reader.error(path, "expected an API response or its usage object, found \(usage.typeName)")
        }
        // OpenRouter's generation ids start "gen-", and it names the upstream provider.
        let openRouter = api == .openrouter
            || (api == nil && (json["id"]?.stringValue?.hasPrefix("gen-") == true || json["provider"]?.stringValue != nil))
        let xAI = api == .xai || (api == nil && !openRouter && model?.hasPrefix("grok") == true)
        var reading: Reading
        if api == .anthropic {
            reading = try reader.anthropic(usage, at: path)
        } else if usage["prompt_tokens"] != nil || usage["completion_tokens"] != nil {
            reading = try reader.openAI(usage, at: path, format: openRouter ? "openrouter" : xAI ? "xai" : "openai-chat",
                                        fields: ("prompt_tokens", "completion_tokens", "prompt_tokens_details", "completion_tokens_details"),
                                        reasoningOutsideOutput: xAI)
        } else if usage["input_tokens"] != nil || usage["output_tokens"] != nil {
            let isResponses = api == .openai || json["object"]?.stringValue == "response" || usage["input_tokens_details"] != nil
                || usage["output_tokens_details"] != nil || usage["total_tokens"] != nil
            reading = isResponses
                ? try reader.openAI(usage, at: path, format: "openai-responses",
                                    fields: ("input_tokens", "output_tokens", "input_tokens_details", "output_tokens_details"),
                                    reasoningOutsideOutput: false)
                : try reader.anthropic(usage, at: path)
        } else {
            throw reader.error(path, "no token counts found (looked for OpenAI's prompt_tokens, the responses API's and Anthropic's input_tokens, Gemini's usageMetadata.promptTokenCount)")
        }
        reading.model = model.map { openRouter && !$0.hasPrefix("openrouter/") ? "openrouter/" + $0 : $0 }
        // The service tier a provider says it served the call at is the price variant.
        let tier = (json["service_tier"] ?? usage["service_tier"])?.stringValue
        if let tier, !["default", "standard", "auto", "on_demand"].contains(tier) { reading.variant = tier }
        return reading
    }

    private struct Reader {
        var file: String

        func error(_ path: JSONPath, _ message: String) -> RegDBError {
            .violations([Violation(file: file, path: path, rule: "usage", message: message)])
        }

        /// OpenAI's chat and responses usage: the same shape under two sets of names. xAI's
        /// completion count leaves out the reasoning tokens: they are added to the output.
        func openAI(_ usage: JSONValue, at path: JSONPath, format: String,
                    fields: (input: String, output: String, inputDetails: String, outputDetails: String),
                    reasoningOutsideOutput: Bool) throws -> Reading {
            var units: [String: Decimal] = [:]
            let input = try count(usage, fields.input, path), output = try count(usage, fields.output, path)
            try someCount(input, output, names: [fields.input, fields.output], path)
            units["input_token"] = input ?? 0
            units["output_token"] = output ?? 0
            if let details = usage[fields.inputDetails], details != .null {
                let at = path.appending(fields.inputDetails)
                try expectObject(details, at)
                units["cache_read_token"] = try count(details, "cached_tokens", at)
                units["cache_write_token"] = try count(details, "cache_write_tokens", at)
                units["input_audio_token"] = try count(details, "audio_tokens", at)
                units["input_image_token"] = try count(details, "image_tokens", at)
            }
            if let details = usage[fields.outputDetails], details != .null {
                let at = path.appending(fields.outputDetails)
                try expectObject(details, at)
                let reasoning = try count(details, "reasoning_tokens", at)
                units["reasoning_token"] = reasoning
                if reasoningOutsideOutput, let reasoning { units["output_token", default: 0] += reasoning }
                units["output_audio_token"] = try count(details, "audio_tokens", at)
                units["output_image_token"] = try count(details, "image_tokens", at)
            }
            if let searches = try count(usage, "num_sources_used", path), searches > 0, format == "xai" {
                units["web_search_request"] = searches
            }
            return Reading(format: format, units: units.filter { $0.value != 0 || $0.key == "input_token" || $0.key == "output_token" })
        }

        func anthropic(_ usage: JSONValue, at path: JSONPath) throws -> Reading {
            try someCount(try count(usage, "input_tokens", path), try count(usage, "output_tokens", path),
                          names: ["input_tokens", "output_tokens"], path)
            let uncached = try count(usage, "input_tokens", path) ?? 0
            var written = try count(usage, "cache_creation_input_tokens", path) ?? 0
            let read = try count(usage, "cache_read_input_tokens", path) ?? 0
            var hour: Decimal = 0
            if let split = usage["cache_creation"], split != .null {
                let at = path.appending("cache_creation")
                try expectObject(split, at)
                let short = try count(split, "ephemeral_5m_input_tokens", at) ?? 0
                hour = try count(split, "ephemeral_1h_input_tokens", at) ?? 0
                // Responses that give only the split count the writes there.
                written = max(written, short + hour)
            }
            var units: [String: Decimal] = ["input_token": uncached + written + read,
                                            "output_token": try count(usage, "output_tokens", path) ?? 0]
            if written != 0 { units["cache_write_token"] = written }
            if hour != 0 { units["cache_write_1h_token"] = hour }
            if read != 0 { units["cache_read_token"] = read }
            if let tools = usage["server_tool_use"], tools != .null {
                let at = path.appending("server_tool_use")
                try expectObject(tools, at)
                if let searches = try count(tools, "web_search_requests", at), searches > 0 { units["web_search_request"] = searches }
            }
            return Reading(format: "anthropic", units: units)
        }

        func gemini(_ metadata: JSONValue, at path: JSONPath) throws -> Reading {
            try expectObject(metadata, path)
            try someCount(try count(metadata, "promptTokenCount", path), try count(metadata, "candidatesTokenCount", path),
                          names: ["promptTokenCount", "candidatesTokenCount"], path)
            let prompt = (try count(metadata, "promptTokenCount", path) ?? 0) + (try count(metadata, "toolUsePromptTokenCount", path) ?? 0)
            let thoughts = try count(metadata, "thoughtsTokenCount", path) ?? 0
            let output = (try count(metadata, "candidatesTokenCount", path) ?? 0) + thoughts
            var units: [String: Decimal] = ["input_token": prompt, "output_token": output]
            if let cached = try count(metadata, "cachedContentTokenCount", path), cached != 0 { units["cache_read_token"] = cached }
            if thoughts != 0 { units["reasoning_token"] = thoughts }
            // Per modality: which unit the tokens of each list are, by modality.
            let lists: [(field: String, units: [String: String])] = [
                ("promptTokensDetails", ["AUDIO": "input_audio_token", "IMAGE": "input_image_token", "VIDEO": "input_video_token"]),
                ("toolUsePromptTokensDetails", ["AUDIO": "input_audio_token", "IMAGE": "input_image_token", "VIDEO": "input_video_token"]),
                ("cacheTokensDetails", ["AUDIO": "cache_read_audio_token"]),
                ("candidatesTokensDetails", ["AUDIO": "output_audio_token", "IMAGE": "output_image_token"]),
            ]
            for list in lists {
                guard let value = metadata[list.field], value != .null else { continue }
                guard case .array(let details) = value else {
                    throw error(path.appending(list.field), "expected an array of {modality, tokenCount}, found \(value.typeName)")
                }
                for (index, detail) in details.enumerated() {
                    guard let modality = detail["modality"]?.stringValue, let unit = list.units[modality] else { continue }
                    let at = path.appending(list.field).appending(index)
                    units[unit, default: 0] += try count(detail, "tokenCount", at) ?? 0
                }
            }
            return Reading(format: "gemini", units: units.filter { $0.value != 0 || $0.key == "input_token" || $0.key == "output_token" })
        }

        func expectObject(_ value: JSONValue, _ path: JSONPath) throws {
            guard case .object = value else { throw error(path, "expected an object, found \(value.typeName)") }
        }

        /// A response whose counts are all absent or null says nothing to price: an error, not $0.
        func someCount(_ first: Decimal?, _ second: Decimal?, names: [String], _ path: JSONPath) throws {
            guard first == nil && second == nil else { return }
            throw error(path, "no token counts: \(names.joined(separator: " and ")) are missing or null")
        }

        /// A whole, non-negative token count, at most 10^15 (as the options); nil when absent or null.
        func count(_ object: JSONValue, _ key: String, _ path: JSONPath) throws -> Decimal? {
            guard let value = object[key], value != .null else { return nil }
            switch value {
            case .integer(let n) where n >= 0 && n <= 1_000_000_000_000_000: return Decimal(n)
            case .number(let d) where d >= 0 && d == d.rounded() && d <= 1e15: return Decimal(Int64(d))
            default: throw error(path.appending(key), "a token count must be a whole number >= 0 and <= 1e15, found \(value.jsonText.prefix(40))")
            }
        }
    }
}
