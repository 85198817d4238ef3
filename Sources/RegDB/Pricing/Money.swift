import Foundation

/// Dollars as regdb shows them.
public enum Money {
    /// To 12 decimal places: exact for every price per token, free of float noise.
    public static func rounded(_ value: Decimal) -> Decimal { CellFormat.rounded(value) }

    /// The Double nearest the decimal (through its text: NSDecimalNumber's doubleValue can be
    /// off by an ulp, 0.007 → 0.006999999999999999).
    public static func number(_ value: Decimal) -> JSONValue {
        .number(Double("\(rounded(value))") ?? NSDecimalNumber(decimal: rounded(value)).doubleValue)
    }

    public static func text(_ value: Decimal) -> String { CellFormat.plain(value) }
}
