import Foundation

/// Dollars as regdb shows them.
public enum Money {
    /// To 12 decimal places: exact for every price per token, free of float noise.
    public static func rounded(_ value: Decimal) -> Decimal {
        // Nothing past 12 places: already rounded (the common case, and NSDecimalRound is not cheap).
        value.exponent >= -12 ? value : CellFormat.rounded(value)
    }

    /// `value / per`, exact: per a power of ten (1, 1,000, 1,000,000: how prices are quoted)
    /// moves the decimal point instead of dividing, which is the slow part of pricing a call.
    static func divided(_ value: Decimal, by per: Int64) -> Decimal {
        var places = 0
        var rest = per
        while rest > 1, rest % 10 == 0 { rest /= 10; places += 1 }
        guard rest == 1, !value.isZero, value.exponent - places > -128 else { return value / Decimal(per) }
        return Decimal(sign: value.sign, exponent: value.exponent - places, significand: value.significand)
    }

    /// The Double nearest the decimal (through its text: NSDecimalNumber's doubleValue can be
    /// off by an ulp, 0.007 → 0.006999999999999999).
    public static func number(_ value: Decimal) -> JSONValue {
        let value = rounded(value)
        return .number(Double("\(value)") ?? NSDecimalNumber(decimal: value).doubleValue)
    }

    public static func text(_ value: Decimal) -> String { CellFormat.plain(value) }
}
