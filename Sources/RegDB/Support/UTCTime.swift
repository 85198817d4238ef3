import Foundation

/// Moments in UTC as ISO 8601 text and Unix seconds: the one parser and the one formatter
/// (Foundation's ISO8601DateFormatter takes milliseconds to load before its first date).
enum UTCTime {
    /// Seconds since 1970 of `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]` (a space may
    /// stand for the T; no zone means UTC), or nil.
    static func epochSeconds(_ text: String) -> Int64? {
        let chars = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= chars.count else { return nil }
            var value: Int64 = 0
            for c in chars[from..<(from + count)] {
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            return value
        }
        guard chars.count >= 10, chars[4] == 45, chars[7] == 45,
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var seconds = days(year: year, month: month, day: day) * 86_400
        guard chars.count > 10 else { return seconds }
        guard chars[10] == 84 || chars[10] == 32, let hour = digits(11, 2), chars.count >= 16, chars[13] == 58,
              let minute = digits(14, 2), hour < 24, minute < 60
        else { return nil }
        seconds += hour * 3600 + minute * 60
        var at = 16
        if at < chars.count, chars[at] == 58 {
            guard let second = digits(at + 1, 2), second < 60 else { return nil }
            seconds += second
            at += 3
            if at < chars.count, chars[at] == 46 {
                at += 1
                let start = at
                while at < chars.count, chars[at] >= 48, chars[at] <= 57 { at += 1 }
                guard at > start else { return nil }
            }
        }
        guard at < chars.count else { return seconds }
        if chars[at] == 90 { return at + 1 == chars.count ? seconds : nil }
        guard chars[at] == 43 || chars[at] == 45, at + 6 == chars.count, chars[at + 3] == 58,
              let offsetHours = digits(at + 1, 2), let offsetMinutes = digits(at + 4, 2), offsetHours < 24, offsetMinutes < 60
        else { return nil }
        let offset = offsetHours * 3600 + offsetMinutes * 60
        return chars[at] == 43 ? seconds - offset : seconds + offset
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of a moment.
    static func iso(_ seconds: Int64) -> String {
        var dayNumber = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; dayNumber -= 1 }
        let (y, m, d) = civil(fromDays: dayNumber)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        // Four digits at least; a year before 0 (an offset past 0000-01-01) signed, as ISO 8601 expands it: -0001.
        let year = String(y.magnitude)
        let paddedYear = (y < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - year.count)) + year
        return "\(paddedYear)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }

    /// Now, as seconds since 1970.
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
