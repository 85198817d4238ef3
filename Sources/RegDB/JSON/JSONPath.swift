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
    ///
    /// Works on UTF-8 bytes: every delimiter is ASCII, and no byte of a multi-byte
    /// character is, so this reads exactly what a scan of Unicode scalars would, at
    /// a fraction of the cost (an import reads back one path per claim).
    public init(parsing text: String) {
        var components: [Component] = []
        let bytes = Array(text.utf8)
        let (dollar, dot, open, close, quote, backslash) = (UInt8(ascii: "$"), UInt8(ascii: "."), UInt8(ascii: "["),
                                                             UInt8(ascii: "]"), UInt8(ascii: "\""), UInt8(ascii: "\\"))
        var i = bytes.first == dollar ? 1 : 0
        func readQuoted() -> String {
            var value: [UInt8] = []
            i += 1
            while i < bytes.count, bytes[i] != quote {
                if bytes[i] == backslash, i + 1 < bytes.count { i += 1 }
                value.append(bytes[i])
                i += 1
            }
            i += 1
            return String(decoding: value, as: UTF8.self)
        }
        while i < bytes.count {
            if bytes[i] == dot {
                i += 1
                let start = i
                while i < bytes.count, bytes[i] != dot, bytes[i] != open { i += 1 }
                components.append(.key(String(decoding: bytes[start..<i], as: UTF8.self)))
            } else if bytes[i] == open {
                i += 1
                if i < bytes.count, bytes[i] == quote {
                    components.append(.key(readQuoted()))
                } else {
                    let start = i
                    while i < bytes.count, bytes[i] != close { i += 1 }
                    components.append(.index(Int(String(decoding: bytes[start..<i], as: UTF8.self)) ?? 0))
                }
                i += 1  // ]
            } else {
                i += 1
            }
        }
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

    /// Whether a key prints bare (`.usd`) rather than quoted (`["16:9"]`): letters, digits and
    /// `_`, not starting with a digit. ASCII keys are decided byte by byte (for ASCII, the
    /// Unicode alphabetic property is exactly A-Z and a-z); others by their scalars.
    private static func isPlainKey(_ key: String) -> Bool {
        var ascii = true
        for (index, byte) in key.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): if index == 0 { return false }
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): break
            case 0x80...: ascii = false
            default: return false
            }
            if !ascii { break }
        }
        if ascii { return true }
        return key.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) })
            && !("0"..."9").contains(key.unicodeScalars.first ?? "0")
    }

    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .index(let i): text += "[\(i)]"
            case .key(let key):
                if !key.isEmpty, JSONPath.isPlainKey(key) {
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
