/// Python literals of JSON values: strings in JSON's escapes (all valid Python),
/// None/True/False, numbers as JSON writes them.
enum Python {
    static func literal(_ value: JSONValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .number(let d) where !d.isFinite: return d.isNaN ? "float(\"nan\")" : d < 0 ? "-float(\"inf\")" : "float(\"inf\")"
        case .integer, .number, .string: return value.jsonText
        case .array(let items): return "[" + items.map(literal).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { literal(.string($0.key)) + ": " + literal($0.value) }.joined(separator: ", ") + "}"
        }
    }
}

/// TypeScript literals of JSON values: JSON with spaces after separators.
enum TypeScript {
    static func literal(_ value: JSONValue) -> String {
        switch value {
        case .number(let d) where !d.isFinite: return d.isNaN ? "NaN" : d < 0 ? "-Infinity" : "Infinity"
        case .null, .bool, .integer, .number, .string: return value.jsonText
        case .array(let items): return "[" + items.map(literal).joined(separator: ", ") + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{ " + members.map { literal(.string($0.key)) + ": " + literal($0.value) }.joined(separator: ", ") + " }"
        }
    }
}

/// Swift source for strings and ``ConstantsRenderer``'s nested `Value` enum.
enum SwiftSource {
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            case let c where c.value < 0x20 || c.value == 0x7F: out += "\\u{" + String(c.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func value(_ value: JSONValue) -> String {
        switch value {
        case .null: return ".null"
        case .bool(let b): return ".bool(\(b))"
        case .integer(let i): return ".int(\(i))"
        case .number(let d) where !d.isFinite: return d.isNaN ? ".double(.nan)" : d < 0 ? ".double(-.infinity)" : ".double(.infinity)"
        case .number: return ".double(\(value.jsonText))"
        case .string(let s): return ".string(\(string(s)))"
        case .array(let items): return ".array([" + items.map(self.value).joined(separator: ", ") + "])"
        case .object(let members):
            return ".object([" + members.map { "(" + string($0.key) + ", " + self.value($0.value) + ")" }.joined(separator: ", ") + "])"
        }
    }

    static func items(_ value: JSONValue) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return []
    }
}

extension JSONValue {
    /// The integer as Swift source, when this is an integer.
    var integerText: String? {
        if case .integer(let i) = self { return String(i) }
        return nil
    }
}
