import Foundation

/// A result that shows itself two ways: as rows and columns (`--format table`
/// and `csv`) and as JSON (`--format json`). The tool prints every command's
/// result through one function; no command shapes rows or JSON itself.
public protocol Renderable {
    /// Rows and columns, for table and CSV output.
    var table: ResultTable { get }
    /// The JSON form.
    var json: JSONValue { get }
    /// A line shown above the table on a terminal (not in CSV), or nil.
    var heading: String? { get }
    /// Text shown instead of the table on a terminal, when a table says it badly; nil for the table.
    var text: String? { get }
}

extension Renderable {
    public var heading: String? { nil }
    public var text: String? { nil }
}

/// Rows and columns for the CLI to render as a table, JSON or CSV. Cells
/// are JSON values so numbers stay numbers and JSON columns stay JSON.
public struct ResultTable: Sendable {
    public var columns: [String]
    public var rows: [[JSONValue]]
    /// The columns that answer the question the table was asked for (`why`: the value and
    /// who said it; `list --min-context`: the context window): a table cut to a narrow
    /// terminal keeps them, with the columns that say which row is which, and drops others first.
    public var answers: [String]
    /// How a table on a terminal writes the numbers of some columns (money as money); JSON
    /// and CSV keep the numbers as they are.
    public var formats: [String: CellFormat]

    public init(columns: [String], rows: [[JSONValue]], answers: [String] = [], formats: [String: CellFormat] = [:]) {
        self.columns = columns
        self.rows = rows
        self.answers = answers
        self.formats = formats
    }
}

/// How a number reads in a table.
public enum CellFormat: Sendable {
    /// Dollars: `$0.00007`, `$2.5`: plain digits, never an exponent.
    case usd
    /// A ratio as a percentage to one decimal: 0.666666666667 → `66.7%`.
    case percent
    /// Plain digits, never an exponent: 7e-05 → `0.00007`.
    case decimal

    /// A decimal to 12 places: exact for every price per token, free of float noise.
    static func rounded(_ value: Decimal) -> Decimal {
        var rounded = Decimal()
        var copy = value
        NSDecimalRound(&rounded, &copy, 12, .plain)
        return rounded
    }

    /// The same in plain digits, never an exponent.
    static func plain(_ value: Decimal) -> String { "\(rounded(value))" }

    /// The text of `value` in this format; a value that is not a number is written as it is.
    public func text(_ value: JSONValue) -> String? {
        guard let number = value.doubleValue, let decimal = Decimal(string: value.jsonText) else { return nil }
        switch self {
        case .usd: return "$" + CellFormat.plain(decimal)
        case .decimal: return CellFormat.plain(decimal)
        case .percent:
            let tenths = (number * 1000).rounded() / 10
            return (tenths == tenths.rounded() ? String(Int64(tenths)) : String(tenths)) + "%"
        }
    }
}

/// One record of named values: a table of one row, a JSON object.
public struct Record: Renderable, Sendable {
    public var fields: [(String, JSONValue)]

    public init(_ fields: [(String, JSONValue)]) {
        self.fields = fields
    }

    public var table: ResultTable { ResultTable(columns: fields.map(\.0), rows: [fields.map(\.1)]) }
    public var json: JSONValue { .object(fields) }
}

extension ResultTable: Renderable {
    public var table: ResultTable { self }
    /// An array of objects, one per row.
    public var json: JSONValue { .array(rows.map { .object(Array(zip(columns, $0))) }) }
}
