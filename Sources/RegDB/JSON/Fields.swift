/// Building JSON objects field by field (documents, exports, catalog converters).

/// Builds a JSON object field by field, leaving out what is unknown.
struct Fields {
    var members: [(key: String, value: JSONValue)] = []

    var object: JSONValue { .object(members) }

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
