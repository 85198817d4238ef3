/// One broken rule, located as precisely as the input allows.
///
/// Printed as `FILE:JSON-PATH: error: [rule] message`, or `FILE: error: [rule]
/// message` for findings that have no JSON path (database-only checks).
public struct Violation: Hashable, Sendable, CustomStringConvertible {
    /// An error fails `check` and refuses an import; a warning is worth knowing
    /// and fails nothing (a registry older than its seeds).
    public enum Severity: String, Sendable {
        case error, warning
    }

    public var file: String
    public var path: JSONPath?
    public var rule: String
    public var message: String
    public var severity: Severity

    public init(file: String, path: JSONPath?, rule: String, message: String, severity: Severity = .error) {
        self.file = file
        self.path = path
        self.rule = rule
        self.message = Violation.capped(message)
        self.severity = severity
    }

    /// A message quotes what it is about; a value of megabytes (a 2 MB unit
    /// name) is shortened to its start and end, so every report stays one readable line.
    static func capped(_ message: String, longest: Int = 200) -> String {
        guard message.utf8.count > longest else { return message }
        var result = ""
        for (index, word) in message.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { result += " " }
            if word.count > longest {
                result += word.prefix(80) + "…[\(word.count) characters]…" + word.suffix(20)
            } else {
                result += word
            }
        }
        return result
    }

    public var description: String {
        let location = path.map { "\(file):\($0)" } ?? file
        return "\(location): \(severity.rawValue): [\(rule)] \(message)"
    }
}

/// Collects violations while a reader keeps going, so one run reports all of them.
final class Diagnostics {
    private(set) var violations: [Violation] = []
    let file: String

    init(file: String) {
        self.file = file
    }

    func report(_ path: JSONPath?, _ rule: String, _ message: String) {
        violations.append(Violation(file: file, path: path, rule: rule, message: message))
    }

    /// What another `Diagnostics` of the same file found (one decoded on another core).
    func append(_ found: [Violation]) {
        violations += found
    }
}

/// Violations as data (`check --format json` or `csv`): one row each.
public struct ViolationList: Renderable, Sendable {
    public var violations: [Violation]

    public init(_ violations: [Violation]) {
        self.violations = violations
    }

    public var table: ResultTable {
        ResultTable(columns: ["file", "path", "severity", "rule", "message"], rows: violations.map {
            [.string($0.file), $0.path.map { .string($0.description) } ?? .null, .string($0.severity.rawValue),
             .string($0.rule), .string($0.message)]
        })
    }

    public var json: JSONValue { table.json }
}
