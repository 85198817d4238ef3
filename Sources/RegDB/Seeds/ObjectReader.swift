import Foundation

/// Typed access to one JSON object's fields, reporting wrong types and
/// unknown fields as it goes. JSON null reads as absent (unknown).
struct ObjectReader {
    enum Container { case object, array }

    let members: [(key: String, value: JSONValue)]
    let path: JSONPath
    let diagnostics: Diagnostics

    init?(_ value: JSONValue, _ path: JSONPath, _ diagnostics: Diagnostics, _ what: String, allowed: [String]) {
        guard case .object(let members) = value else {
            diagnostics.report(path, "type", "a \(what) must be an object, found \(value.typeName)")
            return nil
        }
        self.members = members
        self.path = path
        self.diagnostics = diagnostics
        for (key, _) in members where !allowed.contains(key) {
            diagnostics.report(path.appending(key), "unknown-field",
                               "unknown field \"\(key)\" in a \(what); known fields: \(allowed.joined(separator: ", "))")
        }
    }

    /// The field's value; nil when absent. JSON null is returned as `.null`.
    func value(_ key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    private func present(_ key: String, required: Bool) -> JSONValue? {
        switch value(key) {
        case nil:
            if required { diagnostics.report(path, "required", "missing required field \"\(key)\"") }
            return nil
        case .null?:
            if required { diagnostics.report(path.appending(key), "required", "field \"\(key)\" must not be null") }
            return nil
        case let value?:
            return value
        }
    }

    private func typeError(_ key: String, _ expected: String, _ found: JSONValue, hint: String? = nil) {
        var message = "\(key) must be \(expected), found \(found.typeName)"
        switch found {
        case .string(let s): message += " \"\(s)\""
        case .number, .integer, .bool: message += " " + found.jsonText
        default: break
        }
        if let hint { message += "; " + hint }
        diagnostics.report(path.appending(key), "type", message)
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = present(key, required: required) else { return nil }
        guard case .string(let s) = value else { typeError(key, "a string", value); return nil }
        if required && s.isEmpty { diagnostics.report(path.appending(key), "required", "\(key) must not be empty") }
        return s
    }

    func integer(_ key: String) -> Int64? {
        guard let value = present(key, required: false) else { return nil }
        guard case .integer(let i) = value else { typeError(key, "a whole number", value); return nil }
        return i
    }

    func number(_ key: String) -> Double? {
        guard let value = present(key, required: false) else { return nil }
        guard let d = value.doubleValue else { typeError(key, "a number", value); return nil }
        return d
    }

    func bool(_ key: String) -> Bool? {
        guard let value = present(key, required: false) else { return nil }
        guard case .bool(let b) = value else { typeError(key, "true or false", value); return nil }
        return b
    }

    func json(_ key: String, _ container: Container) -> JSONValue? {
        guard let value = present(key, required: false) else { return nil }
        switch (container, value) {
        case (.object, .object), (.array, .array): return value
        case (.object, _): typeError(key, "an object", value)
        case (.array, _): typeError(key, "an array", value)
        }
        return nil
    }

    private func elements(_ key: String) -> [(JSONValue, JSONPath)] {
        guard let value = json(key, .array), case .array(let items) = value else { return [] }
        return items.enumerated().map { ($1, path.appending(key).appending($0)) }
    }

    /// `aliases`: names without white space, each once.
    func aliases() -> [String] {
        strings("aliases", unique: true).enumerated().compactMap { index, alias in
            if let problem = ObjectReader.identifierProblem(alias) {
                diagnostics.report(path.appending("aliases").appending(index), "identifier", "alias \"\(alias)\" \(problem)")
                return nil
            }
            return alias
        }
    }

    func strings(_ key: String, unique: Bool = false) -> [String] {
        var seen: [String: Int] = [:]
        return elements(key).enumerated().compactMap { index, element in
            let (item, itemPath) = element
            guard case .string(let s) = item else {
                diagnostics.report(itemPath, "type", "\(key) holds strings, found \(item.typeName)")
                return nil
            }
            if unique, let first = seen[s] {
                diagnostics.report(itemPath, "duplicate-value", "\(key) lists \"\(s)\" twice (first at [\(first)])")
                return nil
            }
            seen[s] = index
            return s
        }
    }

    /// Whole numbers, each listed once.
    func integers(_ key: String, hint: String) -> [Int64] {
        var seen: [Int64: Int] = [:]
        return elements(key).enumerated().compactMap { index, element in
            let (item, itemPath) = element
            guard case .integer(let i) = item else {
                var message = "\(key) holds whole numbers, found \(item.typeName)"
                if case .string(let s) = item { message += " \"\(s)\"" }
                if case .number(let d) = item { message += " \(d)" }
                diagnostics.report(itemPath, "type", message + "; " + hint)
                return nil
            }
            if let first = seen[i] {
                diagnostics.report(itemPath, "duplicate-value", "\(key) lists \(i) twice (first at [\(first)])")
                return nil
            }
            seen[i] = index
            return i
        }
    }

    /// An id or key (required unless said otherwise): plain text without blanks or invisible characters.
    func identifier(_ key: String, _ what: String, required: Bool = true, allowSpaces: Bool = false) -> String? {
        guard let value = string(key, required: required) else { return nil }
        if let problem = ObjectReader.identifierProblem(value, allowSpaces: allowSpaces) {
            diagnostics.report(path.appending(key), "identifier", "\(what) \"\(value)\" \(problem)")
            return nil
        }
        return value
    }

    /// Why `text` cannot be an id or key, or nil. Blanks, control and format
    /// characters (bidi overrides, zero-width spaces) would make two ids that
    /// look alike differ, or reorder how a listing reads.
    /// With `allowSpaces`, plain inner spaces pass (a model file may be named "my model.safetensors").
    static func identifierProblem(_ text: String, allowSpaces: Bool = false) -> String? {
        if text.isEmpty { return "must not be empty" }
        if allowSpaces && (text.hasPrefix(" ") || text.hasSuffix(" ")) { return "must not start or end with a space" }
        // Printable ASCII (and the space, where allowed) is plain text: no scalar properties needed.
        if text.utf8.allSatisfy({ (0x21...0x7E).contains($0) || (allowSpaces && $0 == 0x20) }) { return nil }
        for scalar in text.unicodeScalars {
            if allowSpaces && scalar == " " { continue }
            switch scalar.properties.generalCategory {
            case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator:
                let code = String(scalar.value, radix: 16, uppercase: true)
                return "contains U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code) (blank, control or invisible); ids and keys must be plain text"
            default:
                continue
            }
        }
        return nil
    }

    func objects(_ key: String) -> [(JSONValue, JSONPath)] {
        elements(key)
    }
}
