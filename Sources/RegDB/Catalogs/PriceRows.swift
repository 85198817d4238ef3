import Foundation

/// Price rows of one route, each (unit, variant) once.
struct PriceRows {
    private(set) var rows: [JSONValue] = []
    /// (unit|variant) → the field that priced it and the value it gave.
    private var seen: [String: (field: String, value: JSONValue)] = [:]

    /// Adds `usd` (USD per `per` units) for `slot`; a sentinel becomes null with a warning and a
    /// note quoting it. The same price given twice (a tier repeating context_over_200k) is one
    /// row; a different second price for the same unit and variant is warned about and kept in
    /// `leftover` under `field`, so nothing is lost.
    mutating func add(_ slot: PriceSlot, _ value: JSONValue, _ path: JSONPath, field: String, per: Int64 = 1,
                      _ diagnostics: CatalogDiagnostics, leftover: inout Fields) {
        let signature = slot.unit + "|" + (slot.variant ?? "") + "|" + (slot.above.map { "\($0)" } ?? "")
        if let first = seen[signature] {
            if first.value == value { return }
            diagnostics.warn(path, "duplicate-price",
                             "\(field) prices unit \(slot.unit)\(slot.variant.map { ", variant " + $0 } ?? "") again, differently (first from \(first.field)); kept in metadata")
            leftover.set(field, value)
            return
        }
        seen[signature] = (field, value)
        var row = Fields()
        row.set("unit", .string(slot.unit))
        if let variant = slot.variant { row.set("variant", .string(variant)) }
        if let above = slot.above {
            // Providers bill the whole request at the higher rate once its prompt passes the threshold.
            row.set("above", .number(above))
            row.set("above_unit", .string("input_token"))
            row.set("above_bills", .string("all"))
        }
        if let usd = diagnostics.price(value, at: path) {
            row.setUSD(usd)
        } else {
            row.set("usd", .null)
            if value != .null { row.set("note", .string("the catalog gave \(value.jsonText)")) }
        }
        if per != 1 { row.set("per", .integer(per)) }
        rows.append(row.object)
    }

    /// Gives every row of `variant` (and its sub-variants, off_peak_audio) the window in which it
    /// applies by itself.
    mutating func setWindow(_ window: JSONValue, forVariant variant: String) {
        rows = rows.map { row in
            guard case .object(var fields) = row, let own = row["variant"]?.stringValue,
                  own == variant || own.hasPrefix(variant + "_") else { return row }
            fields.append(("window", window))
            return .object(fields)
        }
    }
}
