import Foundation
import Testing

/// Every trigger of schema.sql is held by a rule case: with the trigger dropped,
/// at least one case of RulesTests (or one former gap) is no longer refused with
/// its message. A trigger no case needs is a rule nobody proved.
@Suite struct RuleCoverageTests {
    /// Triggers that refuse nothing: they carry a deletion on, and the tests named say so.
    static let cascades: [String: String] = [
        "route_delete": "RulesTests.deletingARouteRemovesItsChildren",
        "model_alias_delete": "a model's aliases go with it (NameResolutionTests)",
    ]

    /// Triggers still without a case of their own: this list may only shrink (issue 15).
    static let pending: Set<String> = []

    /// Each probe runs in a savepoint of its own on a copy of the registry in memory, once
    /// with every trigger and once per dropped trigger; Python's sqlite3 reports each
    /// statement's error apart, so two probes with one message cannot stand in for each other.
    static let harness = #"""
        import json, sqlite3, sys
        db_path, probes_path = sys.argv[1], sys.argv[2]
        probes = json.load(open(probes_path))
        source = sqlite3.connect(db_path)
        triggers = [r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")]
        def refused(drop):
            db = sqlite3.connect(":memory:", isolation_level=None)
            source.backup(db)
            if drop:
                db.execute(f'DROP TRIGGER "{drop}"')
            out = set()
            for probe in probes:
                db.execute("SAVEPOINT probe")
                try:
                    for statement in [s for s in (probe.get("setup") or "").split(";") if s.strip()]:
                        db.execute(statement)
                    db.execute(probe["sql"])
                except sqlite3.Error as error:
                    if probe["refusal"] in str(error):
                        out.add(probe["name"])
                db.execute("ROLLBACK TO probe")
                db.execute("RELEASE probe")
            db.close()
            return out
        every = refused(None)
        print(json.dumps({"missed": sorted(p["name"] for p in probes if p["name"] not in every),
                          "triggers": triggers,
                          "uncovered": [t for t in triggers if refused(t) == every]}))
        """#

    @Test(.enabled(if: executable("python3") != nil, "python3 is not installed"))
    func everyTriggerHasARuleCase() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let probes: [[String: String]] = RulesTests.rules.map {
            ["name": $0.name, "setup": $0.setup ?? "", "sql": $0.sql, "refusal": $0.refusal]
        } + RulesTests.gaps.map { ["name": $0.name, "setup": "", "sql": $0.sql, "refusal": "[\($0.rule)]"] }
        try dir.write("probes.json", Data(try JSONSerialization.data(withJSONObject: probes)))
        try dir.write("harness.py", RuleCoverageTests.harness)
        let result = try run(try #require(executable("python3")), ["harness.py", db.path, "probes.json"], in: dir.url)
        try #require(result.status == 0, "\(result.stderr)")
        let report = try #require(try parse(result.stdout) as? [String: [String]])
        #expect(report["missed"] == [], "cases not refused even with every trigger: \(report["missed"] ?? [])")
        #expect((report["triggers"] ?? []).count > 50)
        let uncovered = (report["uncovered"] ?? []).filter { RuleCoverageTests.cascades[$0] == nil }
        let unexpected = uncovered.filter { !RuleCoverageTests.pending.contains($0) }
        #expect(unexpected.isEmpty, "triggers no rule case needs: \(unexpected.joined(separator: ", "))")
        let done = RuleCoverageTests.pending.subtracting(uncovered)
        #expect(done.isEmpty, "covered now, take them off the pending list: \(done.sorted().joined(separator: ", "))")
    }

    /// How guard triggers word their refusals: they refuse deleting or changing what other rows use.
    static let guards = ["cannot be deleted while", "cannot change", "cannot be removed", "must be >= every duration option"]

    /// Rules `rule_violation` states apart from their triggers: a trigger refusing a statement
    /// and the view reading the same row after the statement got in (triggers dropped, CHECK
    /// constraints ignored) must say the same words.
    static let sameWords = #"""
        import json, sqlite3, sys
        db_path, probes_path = sys.argv[1], sys.argv[2]
        probes = json.load(open(probes_path))
        source = sqlite3.connect(db_path)
        out = []
        for probe in probes:
            db = sqlite3.connect(":memory:", isolation_level=None)
            source.backup(db)
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                db.execute(f'DROP TRIGGER "{name}"')
            db.execute("PRAGMA ignore_check_constraints = ON")
            try:
                for statement in [s for s in (probe.get("setup") or "").split(";") if s.strip()] + [probe["sql"]]:
                    db.execute(statement)
                found = ["[" + rule + "] " + message for rule, message in db.execute("SELECT rule, message FROM rule_violation")]
            except sqlite3.Error as error:
                found = ["(not written: " + str(error) + ")"]
            out.append({"name": probe["name"], "refusal": probe["refusal"], "found": found})
            db.close()
        print(json.dumps(out))
        """#

    @Test(.enabled(if: executable("python3") != nil, "python3 is not installed"))
    func triggerAndRuleViolationSayTheSame() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let probes: [[String: String]] = RulesTests.rules.map {
            ["name": $0.name, "setup": $0.setup ?? "", "sql": $0.sql, "refusal": $0.refusal]
        }
        try dir.write("probes.json", Data(try JSONSerialization.data(withJSONObject: probes)))
        try dir.write("same.py", RuleCoverageTests.sameWords)
        let result = try run(try #require(executable("python3")), ["same.py", db.path, "probes.json"], in: dir.url)
        try #require(result.status == 0, "\(result.stderr)")
        let cases = try #require(try parse(result.stdout) as? [[String: Any]])
        #expect(cases.count == probes.count)
        var differing: [String] = []
        for item in cases {
            let refusal = item["refusal"] as? String ?? ""
            let found = item["found"] as? [String] ?? []
            let name = item["name"] as? String ?? ""
            // A guard refuses a change to a row others depend on: the view reports each dependent
            // left wrong, in the words of that dependent's own trigger (its cases check those).
            if RuleCoverageTests.guards.contains(where: { refusal.contains($0) }) {
                if found.isEmpty { differing.append("\(name): the view does not see what the guard prevents") }
                continue
            }
            // A UNIQUE index makes the state impossible even without the trigger, which only words the refusal.
            if refusal.hasPrefix("[duplicate-key]"), found.count == 1, found[0].contains("UNIQUE constraint failed") { continue }
            if !found.contains(refusal) {
                differing.append("\(item["name"] ?? "?"): trigger says \(refusal); rule_violation says \(found.prefix(3))")
            }
        }
        #expect(differing.isEmpty, "\(differing.count) rules worded apart:\n\(differing.joined(separator: "\n"))")
    }
}
