import Foundation

extension Registry {
    /// Now, as ISO 8601 UTC to the second: 2026-11-30T16:15:07Z. The one UTC formatter is
    /// `UTCTime.iso` (Foundation's ISO8601DateFormatter takes milliseconds to load before
    /// its first date).
    static func timestamp(_ date: Date = Date()) -> String {
        UTCTime.iso(Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
