/// Building JSON objects field by field (documents, exports, catalog converters).

/// Builds a JSON object field by field, leaving out what is unknown.
struct Fields {
    var members: [(key: String, value: JSONValue)] = []

    var object: JSONValue { .object(members) }

    /// A price row's `usd` as a catalog or a server states it: a stated 0 is a free tier,
    /// and says so (`"free": true`), as a seed must.
    mutating func setUSD(_ usd: Double) {
        set("usd", .number(usd))
        if usd == 0 { set("free", .bool(true)) }
    }

    /// `{"unit": …, "usd": …, "per": …}` as a catalog states it (`per` left out when 1).
    static func priceRow(unit: String, usd: Double, per: Int64 = 1) -> JSONValue {
        var row = Fields()
        row.set("unit", .string(unit))
        row.setUSD(usd)
        if per != 1 { row.set("per", .integer(per)) }
        return row.object
    }

    mutating func set(_ key: String, _ value: JSONValue) {
        members.append((key, value))
    }

    mutating func text(_ key: String, _ value: String?) {
        if let value { set(key, .string(value)) }
    }

    mutating func integer(_ key: String, _ value: Int64?) {
        if let value { set(key, .integer(value)) }
    }

    /// A JSON column, parsed; `omitEmpty` drops `{}` and `[]`.
    mutating func json(_ key: String, _ text: String?, omitEmpty: Bool) {
        guard let text, let value = try? JSONParser.parse(text) else { return }
        if omitEmpty, value == .object([]) || value == .array([]) { return }
        set(key, value)
    }
}
