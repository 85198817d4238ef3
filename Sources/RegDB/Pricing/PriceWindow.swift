import Foundation

/// When a price variant applies by itself: hours of the day, in UTC, on some weekdays
/// (DeepSeek's off-peak hours). Stored in `price.window` as LiteLLM's catalog writes it:
/// `[{"hours_utc": ["16:30-00:30"], "weekdays": [1, 2, 3, 4, 5]}]`.
struct PriceWindow: Sendable, Equatable {
    /// Minutes of the day, end exclusive; an end of 00:00 is midnight (1440). A range whose
    /// end is before its start runs past midnight.
    var ranges: [Range]
    /// ISO weekdays (Monday 1 … Sunday 7); nil every day.
    var weekdays: Set<Int>?
    /// The calendar the weekdays are read on (Asia/Shanghai: a window past 16:00 UTC is
    /// already the next day there); nil UTC. The hours are UTC whatever it is.
    var weekdayTimeZone: String?

    struct Range: Sendable, Equatable {
        var from: Int
        var until: Int

        func covers(_ minute: Int) -> Bool {
            from < until ? (from <= minute && minute < until) : (minute >= from || minute < until)
        }
    }

    /// Whether a call made at `epochSeconds` (UTC) falls in this window.
    func covers(_ epochSeconds: Int64) -> Bool {
        let days = Int((Double(epochSeconds) / 86_400).rounded(.down))
        let minute = Int(epochSeconds - Int64(days) * 86_400) / 60
        // 1970-01-01 was a Thursday (ISO 4).
        var weekday = ((days + 3) % 7 + 7) % 7 + 1
        if let weekdayTimeZone, let zone = TimeZone(identifier: weekdayTimeZone) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            // Foundation counts Sunday 1 … Saturday 7.
            let gregorian = calendar.component(.weekday, from: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
            weekday = gregorian == 1 ? 7 : gregorian - 1
        }
        if let weekdays, !weekdays.contains(weekday) { return false }
        return ranges.contains { $0.covers(minute) }
    }

    /// The windows of a stored `window` column; nil when it does not read as windows.
    static func parse(_ text: String) -> [PriceWindow]? {
        guard case .array(let items)? = try? JSONParser.parse(text) else { return nil }
        var windows: [PriceWindow] = []
        for item in items {
            guard let window = window(item) else { return nil }
            windows.append(window)
        }
        return windows
    }

    /// A seed's window as it is stored (`hours_utc` always a list), or nil after reporting
    /// at `path` what does not read.
    static func normalized(_ value: JSONValue, _ path: JSONPath, _ d: Diagnostics) -> JSONValue? {
        guard case .array(let items) = value, !items.isEmpty else {
            d.report(path, "price-window", "a window is a non-empty list of {\"hours_utc\": [\"HH:MM-HH:MM\", …], \"weekdays\": [1 … 7]}")
            return nil
        }
        var stored: [JSONValue] = []
        for (index, item) in items.enumerated() {
            guard window(item) != nil, case .object(let members) = item,
                  members.allSatisfy({ ["hours_utc", "weekdays", "weekday_timezone"].contains($0.key) }) else {
                d.report(path.appending(index), "price-window",
                         "a window needs \"hours_utc\" (\"HH:MM-HH:MM\" in UTC, or a list of them) and may give \"weekdays\" (ISO, Monday 1 to Sunday 7) and \"weekday_timezone\" (the calendar they are read on, Asia/Shanghai)")
                return nil
            }
            var fields = Fields()
            if case .string = item["hours_utc"] {
                fields.set("hours_utc", .array([item["hours_utc"] ?? .null]))
            } else {
                fields.set("hours_utc", item["hours_utc"] ?? .null)
            }
            if let weekdays = item["weekdays"], weekdays != .null { fields.set("weekdays", weekdays) }
            if let zone = item["weekday_timezone"], zone != .null { fields.set("weekday_timezone", zone) }
            stored.append(fields.object)
        }
        return .array(stored)
    }

    /// The window `{"hours_utc", "weekdays"}` of one item; nil when it does not read.
    private static func window(_ item: JSONValue) -> PriceWindow? {
        var texts: [String] = []
        switch item["hours_utc"] {
        case .string(let text)?: texts = [text]
        case .array(let list)?: texts = list.compactMap(\.stringValue)
            if texts.count != list.count || texts.isEmpty { return nil }
        default: return nil
        }
        var ranges: [Range] = []
        for text in texts {
            let ends = text.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2, let from = minutes(ends[0]), let end = minutes(ends[1]) else { return nil }
            ranges.append(Range(from: from, until: end == 0 ? 1440 : end))
        }
        var weekdays: Set<Int>?
        if let value = item["weekdays"], value != .null {
            guard case .array(let days) = value else { return nil }
            // Checked as a number before it becomes an Int: 1e300 is no weekday, and no trap either.
            let numbers = days.compactMap { $0.doubleValue.flatMap { $0 >= 1 && $0 < 8 ? Int($0) : nil } }
            guard numbers.count == days.count else { return nil }
            weekdays = Set(numbers)
        }
        var zone: String?
        if let value = item["weekday_timezone"], value != .null {
            guard let name = value.stringValue, TimeZone(identifier: name) != nil else { return nil }
            zone = name
        }
        return PriceWindow(ranges: ranges, weekdays: weekdays, weekdayTimeZone: zone)
    }

    /// "16:30" → 990; nil when it is no time of day.
    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isNumber) }),
              let hours = Int(parts[0]), let minutes = Int(parts[1]), hours < 24, minutes < 60 else { return nil }
        return hours * 60 + minutes
    }

    /// The hours a set of daily ranges leaves out, as one `hours_utc` list ("00:30-16:30" →
    /// "16:30-00:30"): genai-prices gives the hours of a price, LiteLLM those of its off-peak variant.
    static func complement(_ hours: [String]) -> [String]? {
        var covered = [Bool](repeating: false, count: 1440)
        for text in hours {
            let ends = text.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2, let from = minutes(ends[0]), let end = minutes(ends[1]) else { return nil }
            let range = Range(from: from, until: end == 0 ? 1440 : end)
            for minute in 0..<1440 where range.covers(minute) { covered[minute] = true }
        }
        var result: [String] = []
        var start: Int?
        func clock(_ minute: Int) -> String { String(format: "%02d:%02d", (minute % 1440) / 60, minute % 60) }
        for minute in 0...1440 {
            let free = minute < 1440 && !covered[minute]
            if free, start == nil { start = minute }
            if !free, let begun = start {
                result.append(clock(begun) + "-" + clock(minute))
                start = nil
            }
        }
        // A gap that runs to midnight and one from midnight are one range past midnight.
        if result.count > 1, result.first?.hasPrefix("00:00-") == true, result.last?.hasSuffix("-00:00") == true {
            let first = result.removeFirst(), last = result.removeLast()
            result.append(String(last.prefix(5)) + "-" + String(first.suffix(5)))
        }
        return result
    }
}
