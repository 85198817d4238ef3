import Foundation

/// The usage block of a real API response, read the way each API defines its fields.
///
/// - OpenAI chat completions: `prompt_tokens` counts every prompt token;
///   `prompt_tokens_details.cached_tokens` and `.audio_tokens` are parts of it;
///   `completion_tokens` includes `completion_tokens_details.reasoning_tokens`.
/// - OpenAI responses: the same with `input_tokens`, `input_tokens_details`,
///   `output_tokens` and `output_tokens_details`.
/// - Anthropic messages: `input_tokens` counts only uncached tokens, so the
///   prompt is `input_tokens + cache_creation_input_tokens + cache_read_input_tokens`.
/// - Google Gemini: `usageMetadata.promptTokenCount` includes
///   `cachedContentTokenCount`; thinking tokens (`thoughtsTokenCount`) are
///   billed as output but not counted in `candidatesTokenCount`.
///
/// A whole response or just its usage object is accepted.
public enum UsageReport {
    public struct Reading: Sendable {
        /// Which API's shape was read: openai-chat, openai-responses, anthropic, gemini.
        public var format: String
        /// Quantities per unit, inclusive as `Usage` counts them.
        public var units: [String: Decimal]
    }

    public static func read(_ json: JSONValue) throws -> Reading {
        if let metadata = json["usageMetadata"] ?? (json["promptTokenCount"] != nil ? json : nil) {
            return try gemini(metadata)
        }
        let usage = json["usage"] ?? json
        guard case .object = usage else {
            throw RegDBError.pricing("usage: expected an API response or its usage object, found \(usage.typeName)")
        }
        if usage["prompt_tokens"] != nil || usage["completion_tokens"] != nil {
            return try openAIChat(usage)
        }
        let isResponses = json["object"]?.stringValue == "response" || usage["input_tokens_details"] != nil
            || usage["output_tokens_details"] != nil || usage["total_tokens"] != nil
        if usage["input_tokens"] != nil || usage["output_tokens"] != nil {
            return isResponses ? try openAIResponses(usage) : try anthropic(usage)
        }
        throw RegDBError.pricing("usage: no token counts found (looked for OpenAI's prompt_tokens, the responses API's and Anthropic's input_tokens, Gemini's usageMetadata.promptTokenCount)")
    }

    private static func openAIChat(_ usage: JSONValue) throws -> Reading {
        var units: [String: Decimal] = [:]
        units["input_token"] = try count(usage, "prompt_tokens") ?? 0
        units["output_token"] = try count(usage, "completion_tokens") ?? 0
        if let details = usage["prompt_tokens_details"] {
            units["cache_read_token"] = try count(details, "cached_tokens", in: "prompt_tokens_details")
            units["input_audio_token"] = try count(details, "audio_tokens", in: "prompt_tokens_details")
        }
        if let details = usage["completion_tokens_details"] {
            units["reasoning_token"] = try count(details, "reasoning_tokens", in: "completion_tokens_details")
            units["output_audio_token"] = try count(details, "audio_tokens", in: "completion_tokens_details")
        }
        return Reading(format: "openai-chat", units: units.filter { $0.value != 0 || $0.key == "input_token" || $0.key == "output_token" })
    }

    private static func openAIResponses(_ usage: JSONValue) throws -> Reading {
        var units: [String: Decimal] = [:]
        units["input_token"] = try count(usage, "input_tokens") ?? 0
        units["output_token"] = try count(usage, "output_tokens") ?? 0
        if let details = usage["input_tokens_details"] {
            units["cache_read_token"] = try count(details, "cached_tokens", in: "input_tokens_details")
        }
        if let details = usage["output_tokens_details"] {
            units["reasoning_token"] = try count(details, "reasoning_tokens", in: "output_tokens_details")
        }
        return Reading(format: "openai-responses", units: units.filter { $0.value != 0 || $0.key == "input_token" || $0.key == "output_token" })
    }

    private static func anthropic(_ usage: JSONValue) throws -> Reading {
        let uncached = try count(usage, "input_tokens") ?? 0
        let written = try count(usage, "cache_creation_input_tokens") ?? 0
        let read = try count(usage, "cache_read_input_tokens") ?? 0
        var units: [String: Decimal] = ["input_token": uncached + written + read, "output_token": try count(usage, "output_tokens") ?? 0]
        if written != 0 { units["cache_write_token"] = written }
        if read != 0 { units["cache_read_token"] = read }
        return Reading(format: "anthropic", units: units)
    }

    private static func gemini(_ metadata: JSONValue) throws -> Reading {
        let prompt = (try count(metadata, "promptTokenCount") ?? 0) + (try count(metadata, "toolUsePromptTokenCount") ?? 0)
        let output = (try count(metadata, "candidatesTokenCount") ?? 0) + (try count(metadata, "thoughtsTokenCount") ?? 0)
        var units: [String: Decimal] = ["input_token": prompt, "output_token": output]
        if let cached = try count(metadata, "cachedContentTokenCount"), cached != 0 { units["cache_read_token"] = cached }
        if let thoughts = try count(metadata, "thoughtsTokenCount"), thoughts != 0 { units["reasoning_token"] = thoughts }
        if case .array(let details)? = metadata["promptTokensDetails"] {
            for detail in details where detail["modality"]?.stringValue == "AUDIO" {
                units["input_audio_token", default: 0] += try count(detail, "tokenCount", in: "promptTokensDetails") ?? 0
            }
        }
        return Reading(format: "gemini", units: units)
    }

    /// A whole, non-negative token count; nil when absent or null.
    private static func count(_ object: JSONValue, _ key: String, in parent: String? = nil) throws -> Decimal? {
        guard let value = object[key], value != .null else { return nil }
        let name = parent.map { $0 + "." + key } ?? key
        switch value {
        case .integer(let n) where n >= 0: return Decimal(n)
        case .number(let d) where d >= 0 && d == d.rounded() && d < 1e15: return Decimal(Int64(d))
        default: throw RegDBError.pricing("usage: \(name) must be a whole number >= 0, found \(value.jsonText.prefix(40))")
        }
    }
}
