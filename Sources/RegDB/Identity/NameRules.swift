#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    public var rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
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
        var name = name
        for rule in rules where rule.kind == "prefix" {
            if let length = NameRules.shortestMatch(rule.pattern, in: name, leading: true), length < name.count {
                name.removeFirst(length)
            }
        }
        for rule in rules where rule.kind == "suffix" {
            if let length = NameRules.shortestMatch(rule.pattern, in: name, leading: false), length < name.count {
                name.removeLast(length)
            }
        }
        var dateless = name
        for rule in rules where rule.kind == "snapshot" {
            if let length = NameRules.shortestMatch(rule.pattern, in: name, leading: false), length < name.count {
                dateless = String(name.dropLast(length))
                break
            }
        }
        return (name, dateless)
    }

    /// Length of the shortest leading (or trailing) part of `name` the GLOB
    /// `pattern` matches. Only parts that end (or start) with the pattern's
    /// last (or first) character are tried when that character is literal.
    static func shortestMatch(_ pattern: String, in name: String, leading: Bool) -> Int? {
        let characters = Array(name)
        guard !characters.isEmpty else { return nil }
        let literal = "*?[]".contains(leading ? pattern.last ?? "*" : pattern.first ?? "*") ? nil : (leading ? pattern.last : pattern.first)
        if !"*?[".contains(where: pattern.contains) {
            // A literal pattern: a plain prefix or suffix test.
            return (leading ? name.hasPrefix(pattern) : name.hasSuffix(pattern)) ? pattern.count : nil
        }
        for length in 1...characters.count {
            let edge = leading ? characters[length - 1] : characters[characters.count - length]
            if let literal, edge != literal { continue }
            let part = leading ? String(characters[..<length]) : String(characters[(characters.count - length)...])
            if fnmatch(pattern, part, 0) == 0 { return length }
        }
        return nil
    }
}
