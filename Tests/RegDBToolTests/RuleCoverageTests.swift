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
}
