/// A location inside a JSON document, printed as `$.models[3].routes[0].pricing`.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public private(set) var components: [Component] = []

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public static let root = JSONPath()

    public mutating func append(_ component: Component) { components.append(component) }
    public mutating func removeLast() { components.removeLast() }

    public func appending(_ key: String) -> JSONPath {
        JSONPath(components + [.key(key)])
    }

    public func appending(_ index: Int) -> JSONPath {
        JSONPath(components + [.index(index)])
    }

    /// Reads back what `description` printed (`$.models[3]["16:9"].usd`).
    public init(parsing text: String) {
        var components: [Component] = []
        var chars = Array(text.unicodeScalars)
        var i = chars.first == "$" ? 1 : 0
        func readQuoted() -> String {
            var value = String.UnicodeScalarView()
            i += 1
            while i < chars.count, chars[i] != "\"" {
                if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                value.append(chars[i])
                i += 1
            }
            i += 1
            return String(value)
        }
        while i < chars.count {
            if chars[i] == "." {
                i += 1
                var key = String.UnicodeScalarView()
                while i < chars.count, chars[i] != ".", chars[i] != "[" { key.append(chars[i]); i += 1 }
                components.append(.key(String(key)))
            } else if chars[i] == "[" {
                i += 1
                if i < chars.count, chars[i] == "\"" {
                    components.append(.key(readQuoted()))
                } else {
                    var digits = ""
                    while i < chars.count, chars[i] != "]" { digits.unicodeScalars.append(chars[i]); i += 1 }
                    components.append(.index(Int(digits) ?? 0))
                }
                i += 1  // ]
            } else {
                i += 1
            }
        }
        chars.removeAll()
        self.components = components
    }

    /// The provider, model or route this path lies in: everything up to the
    /// last `providers[i]`, `models[i]` or `routes[i]`.
    public var entity: JSONPath {
        var cut = components.count
        for index in stride(from: components.count - 1, through: 1, by: -1) {
            if case .index = components[index], case .key(let key) = components[index - 1],
               ["providers", "models", "routes"].contains(key) {
                cut = index + 1
                break
            }
        }
        return JSONPath(Array(components.prefix(cut)))
    }

    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .index(let i): text += "[\(i)]"
            case .key(let key):
                if !key.isEmpty, key.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }),
                   !("0"..."9").contains(key.unicodeScalars.first ?? "0") {
                    text += "." + key
                } else {
                    var quoted = ""
                    JSONValue.writeString(key, to: &quoted)
                    text += "[" + quoted + "]"
                }
            }
        }
        return text
    }
}
