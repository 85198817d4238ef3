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

    /// Reads `json`, the content of `file` (for messages: `FILE:JSON-PATH: error: [usage] …`).
    public static func read(_ json: JSONValue, file: String) throws -> Reading {
        let reader = Reader(file: file)
        if let metadata = json["usageMetadata"] {
            return try reader.gemini(metadata, at: JSONPath.root.appending("usageMetadata"))
        }
        if json["promptTokenCount"] != nil { return try reader.gemini(json, at: .root) }
        let (usage, path) = json["usage"].map { ($0, JSONPath.root.appending("usage")) } ?? (json, JSONPath.root)
        guard case .object = usage else {
            throw reader.error(path, "expected an API response or its usage object, found \(usage.typeName)")
        }
        if usage["prompt_tokens"] != nil || usage["completion_tokens"] != nil {
            return try reader.openAI(usage, at: path, format: "openai-chat",
                                     fields: ("prompt_tokens", "completion_tokens", "prompt_tokens_details", "completion_tokens_details"))
        }
        let isResponses = json["object"]?.stringValue == "response" || usage["input_tokens_details"] != nil
            || usage["output_tokens_details"] != nil || usage["total_tokens"] != nil
        if usage["input_tokens"] != nil || usage["output_tokens"] != nil {
            return isResponses
                ? try reader.openAI(usage, at: path, format: "openai-responses",
                                    fields: ("input_tokens", "output_tokens", "input_tokens_details", "output_tokens_details"))
                : try reader.anthropic(usage, at: path)
        }
        throw reader.error(path, "no token counts found (looked for OpenAI's prompt_tokens, the responses API's and Anthropic's input_tokens, Gemini's usageMetadata.promptTokenCount)")
    }

    private struct Reader {
        var file: String

        func error(_ path: JSONPath, _ message: String) -> RegDBError {
            .violations([Violation(file: file, path: path, rule: "usage", message: message)])
        }

        /// OpenAI's chat and responses usage: the same shape under two sets of names.
        func openAI(_ usage: JSONValue, at path: JSONPath, format: String,
                    fields: (input: String, output: String, inputDetails: String, outputDetails: String)) throws -> Reading {
            var units: [String: Decimal] = [:]
            units["input_token"] = try count(usage, fields.input, path) ?? 0
            units["output_token"] = try count(usage, fields.output, path) ?? 0
            if let details = usage[fields.inputDetails] {
                let at = path.appending(fields.inputDetails)
                units["cache_read_token"] = try count(details, "cached_tokens", at)
                units["input_audio_token"] = try count(details, "audio_tokens", at)
            }
            if let details = usage[fields.outputDetails] {
                let at = path.appending(fields.outputDetails)
                units["reasoning_token"] = try count(details, "reasoning_tokens", at)
                units["output_audio_token"] = try count(details, "audio_tokens", at)
            }
            return Reading(format: format, units: units.filter { $0.value != 0 || $0.key == "input_token" || $0.key == "output_token" })
        }

        func anthropic(_ usage: JSONValue, at path: JSONPath) throws -> Reading {
            let uncached = try count(usage, "input_tokens", path) ?? 0
            let written = try count(usage, "cache_creation_input_tokens", path) ?? 0
            let read = try count(usage, "cache_read_input_tokens", path) ?? 0
            var units: [String: Decimal] = ["input_token": uncached + written + read,
                                            "output_token": try count(usage, "output_tokens", path) ?? 0]
            if written != 0 { units["cache_write_token"] = written }
            if read != 0 { units["cache_read_token"] = read }
            return Reading(format: "anthropic", units: units)
        }

        func gemini(_ metadata: JSONValue, at path: JSONPath) throws -> Reading {
            let prompt = (try count(metadata, "promptTokenCount", path) ?? 0) + (try count(metadata, "toolUsePromptTokenCount", path) ?? 0)
            let thoughts = try count(metadata, "thoughtsTokenCount", path) ?? 0
            let output = (try count(metadata, "candidatesTokenCount", path) ?? 0) + thoughts
            var units: [String: Decimal] = ["input_token": prompt, "output_token": output]
            if let cached = try count(metadata, "cachedContentTokenCount", path), cached != 0 { units["cache_read_token"] = cached }
            if thoughts != 0 { units["reasoning_token"] = thoughts }
            if case .array(let details)? = metadata["promptTokensDetails"] {
                for (index, detail) in details.enumerated() where detail["modality"]?.stringValue == "AUDIO" {
                    let at = path.appending("promptTokensDetails").appending(index)
                    units["input_audio_token", default: 0] += try count(detail, "tokenCount", at) ?? 0
                }
            }
            return Reading(format: "gemini", units: units)
        }

        /// A whole, non-negative token count; nil when absent or null.
        func count(_ object: JSONValue, _ key: String, _ path: JSONPath) throws -> Decimal? {
            guard let value = object[key], value != .null else { return nil }
            switch value {
            case .integer(let n) where n >= 0: return Decimal(n)
            case .number(let d) where d >= 0 && d == d.rounded() && d < 1e15: return Decimal(Int64(d))
            default: throw error(path.appending(key), "a token count must be a whole number >= 0, found \(value.jsonText.prefix(40))")
            }
        }
    }
}
