import Foundation

extension Registry {
    /// Now, as ISO 8601 UTC to the second: 2026-11-30T16:15:07Z. Formatted by `strftime`:
    /// Foundation's ISO8601DateFormatter takes milliseconds to load before its first date.
    static func timestamp(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var utc = tm()
        gmtime_r(&seconds, &utc)
        var text = [CChar](repeating: 0, count: 32)
        let length = strftime(&text, text.count, "%Y-%m-%dT%H:%M:%SZ", &utc)
        return String(decoding: text[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
