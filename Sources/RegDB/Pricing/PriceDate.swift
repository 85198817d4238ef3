import Foundation

/// Dates and times of price validity: ISO 8601, always in UTC once stored.
///
/// A date alone (`2025-06-10`) means midnight UTC and is stored as the date; a
/// time is stored as `YYYY-MM-DDTHH:MM:SSZ`, converted to UTC from any offset.
/// Both forms compare correctly through `compare`, and SQLite's `datetime()`
/// reads both, so views can filter by `datetime('now')`.
enum PriceDate {
    /// The stored form of `text`, or nil (reported at `path`) when it is no ISO 8601 date or time.
    static func normalized(_ text: String, _ path: JSONPath, _ d: Diagnostics) -> String? {
        guard let seconds = UTCTime.epochSeconds(text) else {
            d.report(path, "price-dates", "\"\(text.prefix(40))\" is not an ISO 8601 date (2025-06-10) or UTC time (2025-06-10T00:00:00Z)")
            return nil
        }
        return stored(seconds)
    }

    /// The stored form of a moment: the date when it is midnight UTC, else the full UTC time.
    static func stored(_ seconds: Int64) -> String {
        let full = UTCTime.iso(seconds)
        return full.hasSuffix("T00:00:00Z") ? String(full.prefix(10)) : full
    }

    /// Orders two stored (or user-given) dates; "" sorts first (an open start).
    static func compare(_ a: String, _ b: String) -> ComparisonResult {
        let x = a.isEmpty ? Int64.min : UTCTime.epochSeconds(a) ?? Int64.min
        let y = b.isEmpty ? Int64.min : UTCTime.epochSeconds(b) ?? Int64.min
        return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
    }
}
