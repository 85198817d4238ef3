import Foundation
import GRDB

/// What to do with a model the registry does not know (design doc 003).
public enum Policy: String, CaseIterable, Sendable {
    /// Pass it through silently (the default): the registry never blocks what a server serves.
    case off
    /// Pass it through with one warning per name.
    case warn
    /// Refuse it, offering the closest known names, unless the call allows unknown models.
    case enforce
}

/// A resolution with what the policy had to say about it.
public struct PolicyOutcome: Sendable {
    public var resolution: Resolution
    /// Lines for stderr: an unknown name under `warn`, a deprecated model.
    public var warnings: [String]
}

/// The policy in force for a call, and where it came from.
public struct PolicyInForce: Equatable, Sendable {
    public enum Origin: String, Sendable {
        /// `--policy` on the command line (or the caller's own argument).
        case argument
        /// `$REGDB_POLICY`.
        case environment
        /// The registry's setting (`regdb config set policy …`).
        case setting
        /// None of these: `off`.
        case `default`
    }

    public var policy: Policy
    public var origin: Origin

    /// Where it came from, in words: "set by --policy", "from $REGDB_POLICY"…
    public var originText: String {
        switch origin {
        case .argument: "set by --policy"
        case .environment: "from $REGDB_POLICY"
        case .setting: "stored in the registry (regdb config set policy)"
        case .default: "the default: no --policy, $REGDB_POLICY or stored setting"
        }
    }
}

extension Registry {
    /// The unknown-model policy in force: `argument`, else `$REGDB_POLICY` in `environment`,
    /// else the registry's stored setting, else `off`. An unknown value in the environment
    /// is an error naming it, never a silent `off`.
    public func policyInForce(argument: Policy? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PolicyInForce {
        if let argument { return PolicyInForce(policy: argument, origin: .argument) }
        if let value = environment["REGDB_POLICY"], !value.isEmpty {
            guard let policy = Policy(rawValue: value) else {
                throw RegDBError.unknownValue(kind: "REGDB_POLICY value", value: value, known: Policy.allCases.map(\.rawValue))
            }
            return PolicyInForce(policy: policy, origin: .environment)
        }
        if let stored = try storedPolicy() { return PolicyInForce(policy: stored, origin: .setting) }
        return PolicyInForce(policy: .off, origin: .default)
    }

    /// The policy stored in the registry (`regdb config set policy …`), if any.
    public func storedPolicy() throws -> Policy? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = 'policy'").flatMap(Policy.init(rawValue:))
        }
    }

    /// Stores a setting; the schema refuses unknown names and values.
    public func setSetting(_ name: String, to value: String) throws {
        do {
            try write { db in
                try db.execute(sql: "INSERT INTO setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                               arguments: [name, value])
            }
        } catch let error as RegDBError where error.sqliteMessage != nil {
            let (rule, message) = RegDBError.ruleMessage(fromSQLiteMessage: error.sqliteMessage ?? "")
            if rule == "check" {
                throw RegDBError.unknownValue(kind: "setting", value: name, known: ["policy", "pinned_units"])
            }
            throw RegDBError.violations([Violation(file: path, path: nil, rule: rule, message: message)])
        }
    }

    public func settings() throws -> ResultTable {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT name, value FROM setting ORDER BY name")
            return ResultTable(columns: ["name", "value"], rows: rows.map { [.string($0["name"]), .string($0["value"])] })
        }
    }

    /// Resolves `name` under `policy`. A name the registry does not know is
    /// recorded as a sighting whatever the policy; then `off` passes it
    /// through, `warn` passes it with a warning (once per name for this open
    /// registry), and `enforce` refuses it unless `allowUnknown`.
    public func resolve(_ name: String, policy: Policy, allowUnknown: Bool = false, context: String = "resolve") throws -> PolicyOutcome {
        do {
            let resolution = try resolve(name, suggest: false)
            var warnings = try lifecycleWarnings(for: resolution)
            if resolution.routes.isEmpty {
                warnings.append("note: model \(resolution.canonicalID) is in the registry but no route calls it yet")
            }
            return PolicyOutcome(resolution: resolution, warnings: warnings)
        } catch RegDBError.notFound {
            // The sighting is best effort: a registry that cannot be written now (read-only, or
            // another writer holding it past the busy timeout) still answers, and says so.
            var unrecorded: [String] = []
            do {
                try recordSighting(name, context: context)
            } catch let error as RegDBError {
                unrecorded = ["warning: the sighting of \"\(name)\" was not recorded: \(error.sqliteMessage ?? error.description)"]
            }
            let outcome = try unknownOutcome(name, policy: policy, allowUnknown: allowUnknown)
            return PolicyOutcome(resolution: outcome.resolution, warnings: unrecorded + outcome.warnings)
        }
    }

    /// What `policy` makes of a name the registry does not know.
    private func unknownOutcome(_ name: String, policy: Policy, allowUnknown: Bool) throws -> PolicyOutcome {
        switch policy {
        case .off:
            return PolicyOutcome(resolution: .unknown(name), warnings: [])
        case .warn:
            let suggestions = try self.suggestions(for: name)
            let hint = suggestions.isEmpty ? "" : "; closest known: " + suggestions.joined(separator: ", ")
            let first = warnedNames.insert(name)
            return PolicyOutcome(resolution: .unknown(name),
                                 warnings: first ? ["warning: unknown model \"\(name)\" passed through (policy warn)\(hint)"] : [])
        case .enforce:
            if allowUnknown { return PolicyOutcome(resolution: .unknown(name), warnings: []) }
            throw RegDBError.unknownModel(name: name, suggestions: try self.suggestions(for: name, always: true))
        }
    }

    /// Counts a name the registry does not know, so unknown models are tracked.
    public func recordSighting(_ name: String, context: String) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO sighting (name, first_seen, last_seen, count, context) VALUES (?1, ?2, ?2, 1, ?3)
                ON CONFLICT (name) DO UPDATE SET last_seen = ?2, count = count + 1, context = ?3
                """, arguments: [name, Registry.timestamp(), context])
        }
    }

    private func lifecycleWarnings(for resolution: Resolution) throws -> [String] {
        guard resolution.known else { return [] }
        let canonical = resolution.canonicalID
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, successor_id, deprecation_date FROM model WHERE id = ?",
                                             arguments: [canonical]),
                  (row["status"] as String?) == "deprecated" else { return [] }
            let since = (row["deprecation_date"] as String?).map { " since \($0)" } ?? ""
            let successor = (row["successor_id"] as String?).map { "; use \($0) instead" } ?? "; it names no successor"
            return ["warning: model \(canonical) is deprecated\(since)\(successor)"]
        }
    }
}
