import Foundation

/// The options a call names that select among a route's prices, and how a price row spells them.
///
/// A media price may depend on several options at once: Veo 3.1 bills a second of 1080p video
/// with audio at one rate, of 720p without audio at another. A price row's `variant` names the
/// options it applies to as labels joined by `+` (`1080p+audio`); a row applies to a call that
/// chose every one of its labels, and of the rows of one unit the call's price is the one
/// naming the most (`1080p+audio` over `audio`), the row without variant when none applies.
/// The labels sort into dimensions by their spelling, so that `--resolution 8K` on a route
/// priced in 1K, 2K and 4K is an error naming those three.
public enum PriceLabels {
    public enum Dimension: String, Sendable, CaseIterable {
        case resolution, quality, audio, other

        /// The option of `regdb cost` that chooses a label of this dimension.
        public var option: String {
            switch self {
            case .resolution: "--resolution"
            case .quality: "--quality"
            case .audio, .other: "--variant"
            }
        }
    }

    /// The labels of a variant: `1080p+audio` → [1080p, audio].
    public static func split(_ variant: String) -> [String] {
        variant.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
    }

    /// Quality levels image APIs bill apart (OpenAI's and fal's gpt-image: low, medium, high).
    static let qualities: Set = ["low", "medium", "high", "xhigh", "max", "hd"]
    /// Whether a call makes sound: Kling's and Veo's audio on or off, with voice control.
    static let audio: Set = ["audio", "no_audio", "voice_control"]

    /// 480p, 1080p, 4K, 0.5K, 2k, 1920x1080: a resolution; low/medium/high: a quality.
    public static func dimension(of label: String) -> Dimension {
        if qualities.contains(label) { return .quality }
        if audio.contains(label) { return .audio }
        if isResolution(label) { return .resolution }
        return .other
    }

    static func isResolution(_ label: String) -> Bool {
        let bytes = Array(label.utf8)
        guard let last = bytes.last, bytes.count >= 2 else { return false }
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        if let x = bytes.firstIndex(of: UInt8(ascii: "x")) {  // 1920x1080
            let (width, height) = (bytes[..<x], bytes[(x + 1)...])
            return !width.isEmpty && !height.isEmpty && width.allSatisfy(isDigit) && height.allSatisfy(isDigit)
        }
        guard [UInt8(ascii: "p"), UInt8(ascii: "k"), UInt8(ascii: "K")].contains(last) else { return false }
        let number = bytes.dropLast()
        return isDigit(number.first ?? 0) && number.allSatisfy { isDigit($0) || $0 == UInt8(ascii: ".") }
    }

    /// The label a route default means, for the defaults that select a price: the default
    /// resolution and quality as they are, `generate_audio` as audio or no_audio.
    static func label(ofDefault name: String, value: JSONValue) -> (Dimension, String)? {
        switch name {
        case "resolution": value.stringValue.map { (.resolution, $0) }
        case "quality": value.stringValue.map { (.quality, $0) }
        case "image_size": value.stringValue.map { (.resolution, $0) }
        case "generate_audio": if case .bool(let on) = value { (.audio, on ? "audio" : "no_audio") } else { nil }
        default: nil
        }
    }
}
