import GRDB

/// How a name a caller writes reduces to the spelling the registry knows:
/// schema.sql's `name_rule` table, read once. Rules strip what says how or
/// where a model is called (a vendor prefix, a tag, a snapshot date), never
/// which model it is.
public struct NameRules: Sendable {
    public struct Rule: Sendable {
        public var kind: String
        /// A GLOB pattern on the lower-cased name.
        public var pattern: String
    }

    public var rules: [Rule] {
        didSet { compiled = rules.map { ($0.kind, GlobPattern($0.pattern)) } }
    }
    private var compiled: [(kind: String, pattern: GlobPattern)]

    public init(rules: [Rule]) {
        self.rules = rules
        self.compiled = rules.map { ($0.kind, GlobPattern($0.pattern)) }
    }

    static func load(_ db: Database) throws -> NameRules {
        NameRules(rules: try Row.fetchAll(db, sql: "SELECT kind, pattern FROM name_rule ORDER BY position, kind, pattern").map {
            Rule(kind: $0["kind"], pattern: $0["pattern"])
        })
    }

    /// The spellings `name` reduces to, most specific first: without its
    /// prefixes and suffixes, then also without a snapshot date. Lower-cased;
    /// empty when no rule applies.
    public func spellings(of name: String) -> [String] {
        let lowered = name.lowercased()
        let (stripped, dateless) = reduce(lowered)
        var result: [String] = []
        for spelling in [stripped, dateless] where spelling != lowered && !spelling.isEmpty && !result.contains(spelling) {
            result.append(spelling)
        }
        return result
    }

    /// The canonical id of a route that names no model: its wire id without
    /// prefixes, suffixes and snapshot date, in the wire id's own case.
    public func canonicalID(forWireID wireID: String) -> String {
        let lowered = wireID.lowercased()
        let (_, reduced) = reduce(lowered)
        guard !reduced.isEmpty else { return wireID }
        // Cut the original at the same places when lower-casing kept its length.
        guard lowered.utf8.count == wireID.utf8.count, let start = lowered.utf8.firstRange(of: reduced.utf8)?.lowerBound
        else { return reduced }
        let offset = lowered.utf8.distance(from: lowered.utf8.startIndex, to: start)
        let bytes = Array(wireID.utf8)[offset..<(offset + reduced.utf8.count)]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `name` without prefixes and suffixes, and that without a snapshot date.
    private func reduce(_ name: String) -> (stripped: String, dateless: String) {
        var bytes = Array(name.utf8)
        for rule in compiled where rule.kind == "prefix" {
            if let length = rule.pattern.shortestMatch(in: bytes, leading: true), length < bytes.count {
                bytes.removeFirst(length)
            }
        }
        for rule in compiled where rule.kind == "suffix" {
            if let length = rule.pattern.shortestMatch(in: bytes, leading: false), length < bytes.count {
                bytes.removeLast(length)
            }
        }
        var dateless = bytes
        for rule in compiled where rule.kind == "snapshot" {
            if let length = rule.pattern.shortestMatch(in: bytes, leading: false), length < bytes.count {
                dateless = Array(bytes.dropLast(length))
                break
            }
        }
        return (String(decoding: bytes, as: UTF8.self), String(decoding: dateless, as: UTF8.self))
    }
}

/// A GLOB pattern compiled once: literal bytes, `?`, `[…]` classes of ASCII
/// (`[0-9]`, `[^a-z]`, as SQLite writes them), and `*`. A pattern without `*` matches a fixed number
/// of bytes, so a leading or trailing match is one comparison.
struct GlobPattern: Sendable {
    enum Token: Sendable {
        case byte(UInt8)
        case any
        case set([ClosedRange<UInt8>], negated: Bool)
        case star
    }

    let tokens: [Token]

    init(_ pattern: String) {
        var tokens: [Token] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "*"): tokens.append(.star)
            case UInt8(ascii: "?"): tokens.append(.any)
            case UInt8(ascii: "["):
                var end = index + 1
                let negated = end < bytes.count && bytes[end] == UInt8(ascii: "^")
                if negated { end += 1 }
                var ranges: [ClosedRange<UInt8>] = []
                var first = true
                while end < bytes.count && (bytes[end] != UInt8(ascii: "]") || first) {
                    first = false
                    if end + 2 < bytes.count && bytes[end + 1] == UInt8(ascii: "-") && bytes[end + 2] != UInt8(ascii: "]") {
                        ranges.append(min(bytes[end], bytes[end + 2])...max(bytes[end], bytes[end + 2]))
                        end += 3
                    } else {
                        ranges.append(bytes[end]...bytes[end])
                        end += 1
                    }
                }
                if end < bytes.count {
                    tokens.append(.set(ranges, negated: negated))
                    index = end
                } else {
                    tokens.append(.byte(byte))  // an unclosed '[' is itself
                }
            default: tokens.append(.byte(byte))
            }
            index += 1
        }
        self.tokens = tokens
    }

    /// Whether the whole of `text` matches. One pass with one point to go back to (the last
    /// `*`): a pattern of many stars takes time in proportion to pattern × text, where trying
    /// every split at every star took exponential time (`*a*a*a*a*a*a*a*a*b` on 20 bytes: 2.6 s).
    func matches(_ text: ArraySlice<UInt8>) -> Bool {
        var token = 0, at = text.startIndex
        var lastStar: Int?, resumeAt = text.startIndex
        while at < text.endIndex {
            if token < tokens.count, case .star = tokens[token] {
                lastStar = token
                resumeAt = at
                token += 1
            } else if token < tokens.count, GlobPattern.accepts(tokens[token], text[at]) {
                token += 1
                at += 1
            } else if let star = lastStar {
                // The last star takes one byte more; the tokens after it start again from there.
                token = star + 1
                resumeAt += 1
                at = resumeAt
            } else {
                return false
            }
        }
        return tokens[token...].allSatisfy { if case .star = $0 { return true } else { return false } }
    }

    private static func accepts(_ token: Token, _ byte: UInt8) -> Bool {
        switch token {
        case .byte(let expected): byte == expected
        case .any: true
        case .set(let ranges, let negated): ranges.contains { $0.contains(byte) } != negated
        case .star: false
        }
    }

    /// Length of the shortest leading (or trailing) part of `text` the pattern matches.
    func shortestMatch(in text: [UInt8], leading: Bool) -> Int? {
        guard !text.isEmpty else { return nil }
        if !tokens.contains(where: { if case .star = $0 { return true } else { return false } }) {
            let length = tokens.count
            guard length <= text.count else { return nil }
            return matches(leading ? text[..<length] : text[(text.count - length)...]) ? length : nil
        }
        // `*/`: everything up to the first '/', found without trying every length.
        if leading, tokens.count == 2, case .star = tokens[0], case .byte(let last) = tokens[1] {
            return text.firstIndex(of: last).map { $0 + 1 }
        }
        for length in 1...text.count where matches(leading ? text[..<length] : text[(text.count - length)...]) {
            return length
        }
        return nil
    }
}
