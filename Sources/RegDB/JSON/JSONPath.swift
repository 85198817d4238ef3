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
