"""The package's own promises, beyond answering as the CLI does: typed results,
decoded JSON, the warn policy's once-per-process warning, read-only opening,
and retries while another writer holds the registry."""

import contextlib
import dataclasses
import datetime
import json
import os
import sqlite3
import sys
import threading
import time
import unittest
import warnings
from decimal import Decimal
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import support  # noqa: E402  (needs the path above)

import regdb  # noqa: E402
import regdb.registry  # noqa: E402


def rows(db: Path, sql: str):
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql).fetchall()


class PolicyTest(unittest.TestCase):
    def setUp(self):
        self.db = support.fresh_registry()
        self.registry = regdb.Registry(self.db)
        self.addCleanup(self.registry.close)
        patcher = mock.patch.dict(os.environ)
        patcher.start()
        self.addCleanup(patcher.stop)
        os.environ.pop("REGDB_POLICY", None)

    def test_warn_once_per_name_per_process(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            first = self.registry.resolve("acme-warn-once", policy="warn")
            second = regdb.Registry(self.db).resolve("acme-warn-once", policy=regdb.Policy.WARN)
            other = self.registry.resolve("acme-warn-other", policy="warn")
        self.assertEqual([str(w.message) for w in caught],
                         ['unknown model "acme-warn-once" passed through (policy warn)',
                          'unknown model "acme-warn-other" passed through (policy warn)'])
        self.assertTrue(all(w.category is regdb.UnknownModelWarning for w in caught))
        self.assertEqual(first.warnings, ['warning: unknown model "acme-warn-once" passed through (policy warn)'])
        self.assertEqual(second.warnings, [])
        self.assertFalse(first.known or second.known or other.known)
        # Every sighting counts, warned or not.
        self.assertEqual(rows(self.db, "SELECT name, count FROM sighting ORDER BY name"),
                         [("acme-warn-once", 2), ("acme-warn-other", 1)])

    def test_policy_from_argument_environment_then_setting(self):
        self.assertIs(self.registry.policy(), regdb.Policy.OFF)
        with contextlib.closing(sqlite3.connect(self.db)) as connection, connection:
            connection.execute("INSERT INTO setting (name, value) VALUES ('policy', 'enforce')")
        self.assertIs(self.registry.policy(), regdb.Policy.ENFORCE)
        os.environ["REGDB_POLICY"] = "warn"
        self.assertIs(self.registry.policy(), regdb.Policy.WARN)
        self.assertIs(self.registry.policy("off"), regdb.Policy.OFF)
        os.environ["REGDB_POLICY"] = "strict"
        with self.assertRaises(regdb.UsageError) as raised:
            self.registry.policy()
        self.assertEqual(str(raised.exception), 'REGDB_POLICY must be off, warn or enforce, not "strict".')

    def test_enforce_refuses_unless_allowed(self):
        with self.assertRaises(regdb.UnknownModel) as raised:
            self.registry.resolve("gpt-4", policy="enforce")
        self.assertEqual(raised.exception.exit_code, 3)
        self.assertEqual(raised.exception.suggestions, ["gpt-4o", "gpt-5", "gpt-4.1"])
        self.assertTrue(str(raised.exception).startswith('unknown model "gpt-4" refused by policy enforce'))
        self.assertEqual(raised.exception.line, "error: " + str(raised.exception))
        passed = self.registry.resolve("gpt-4", policy="enforce", allow_unknown=True)
        self.assertEqual((passed.known, passed.canonical_id, passed.routes), (False, "gpt-4", []))


class ResultsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.registry = regdb.Registry(support.seeded_registry())

    @classmethod
    def tearDownClass(cls):
        cls.registry.close()

    def test_results_are_dataclasses_with_json_decoded(self):
        resolution = self.registry.resolve("claude-3-5-sonnet-latest")
        self.assertTrue(dataclasses.is_dataclass(resolution))
        self.assertEqual((resolution.match, resolution.canonical_id), ("alias", "claude-3-5-sonnet"))
        route = resolution.routes[0]
        self.assertIsInstance(route, regdb.ResolvedRoute)
        self.assertEqual(route.capabilities, {"function_calling": True, "vision": True})
        self.assertEqual(route.cost, regdb.RouteCost(input=3.0, output=15.0, cache_read=0.3, cache_write=3.75))

        document = self.registry.get("veo3")[0]
        self.assertIsInstance(document, regdb.RouteDocument)
        self.assertEqual(document.defaults["duration"], 8)
        self.assertIs(document.defaults["generate_audio"], True)
        self.assertEqual([(p.variant, p.usd) for p in document.pricing], [("no_audio", 0.2), ("audio", 0.4)])

        listed = self.registry.list(category="text_to_video")
        self.assertIsInstance(listed[0], regdb.ListedRoute)
        self.assertEqual(listed.to_json()[0]["category"], "text_to_video")

    def test_cost_is_decimal_whatever_the_quantity_type(self):
        quotes = [self.registry.cost("veo3", seconds=s, variants="audio") for s in (5, 5.0, "5", Decimal("5.00"))]
        self.assertEqual({q.usd for q in quotes}, {Decimal("2.0")})
        self.assertIsInstance(quotes[0].lines[0].rate, Decimal)
        self.assertEqual(quotes[0].to_json()["usd"], 2.0)
        seconds = self.registry.cost("scribe_v2", seconds=10)
        # 38 significant digits, cut: Foundation's Decimal, which the CLI computes in.
        self.assertEqual(seconds.lines[0].quantity, Decimal("0.1" + "6" * 37))
        self.assertEqual(seconds.to_json()["lines"][0]["quantity"], 0.166666666667)

    def test_cost_at_a_date_or_datetime(self):
        by_text = self.registry.cost("openai/o3", input_tokens=1_000_000, at="2025-05-01")
        by_date = self.registry.cost("openai/o3", input_tokens=1_000_000, at=datetime.date(2025, 5, 1))
        by_time = self.registry.cost("openai/o3", input_tokens=1_000_000,
                                     at=datetime.datetime(2025, 6, 10, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2))))
        self.assertEqual((by_text.usd, by_date.usd, by_time.usd), (Decimal(10), Decimal(10), Decimal(10)))
        self.assertEqual((by_date.at, by_time.at), ("2025-05-01", "2025-06-09T23:00:00Z"))
        # An offset that carries the first moment of year 0 back into year -1: signed, as ISO 8601 writes it.
        early = self.registry.cost("openai/o3", input_tokens=1, at="0000-01-01T00:00+01:00")
        cli = support.run_cli(["cost", "openai/o3", "--input-tokens", "1", "--at", "0000-01-01T00:00+01:00",
                               "--format", "json"], support.seeded_registry())
        self.assertEqual((early.at, json.loads(cli.stdout)["at"]), ("-0001-12-31T23:00:00Z", "-0001-12-31T23:00:00Z"))

    def test_a_variant_with_a_window_applies_at_its_hours_as_the_cli_says(self):
        db = support.fresh_registry()
        override = db.parent / "off-peak.json"
        override.write_text('{"routes": [{"route": "openai/gpt-4o", "pricing": [{"unit": "input_token", "variant": "off_peak", '
                            '"usd": 1.25, "per": 1000000, "window": [{"hours_utc": ["16:30-00:30"], "weekdays": [1, 2, 3, 4, 5]}]}]}]}')
        imported = support.run_cli(["import", "--kind", "override", "--source", "off-peak", str(override)], db)
        self.assertEqual(imported.returncode, 0, imported.stderr)
        registry = regdb.Registry(db)
        self.addCleanup(registry.close)
        # 2026-08-03 is a Monday, 2026-08-01 a Saturday; a date alone has no time of day.
        for at, usd in (("2026-08-03T20:00:00Z", "0.00125"), ("2026-08-03T10:00:00Z", "0.0025"),
                        ("2026-08-01T20:00:00Z", "0.0025"), ("2026-08-03", "0.0025")):
            quote = registry.cost("openai/gpt-4o", input_tokens=1000, at=at)
            self.assertEqual(quote.usd, Decimal(usd), at)
            cli = support.run_cli(["cost", "openai/gpt-4o", "--input-tokens", "1000", "--at", at, "--format", "json"], db)
            self.assertEqual(cli.returncode, 0, cli.stderr)
            self.assertEqual(quote.to_json()["usd"], json.loads(cli.stdout)["usd"], at)
            self.assertEqual(quote.to_json()["variants"], json.loads(cli.stdout)["variants"], at)
        # Windows written by hand: one that does not all read is no window at all, in both.
        for window, usd in (('[{"hours_utc": ["16:30-00:30", "25:00-26:00"]}]', "0.0025"),
                            ('[{"hours_utc": ["1\u00b2:30-00:30"]}]', "0.0025"),
                            ('[{"hours_utc": "16:30-00:30", "weekdays": [1e300]}]', "0.0025"),
                            ('[{"hours_utc": "16:30-00:30", "weekday_timezone": "Mars/Olympus_Mons"}]', "0.0025"),
                            ('[{"hours_utc": "16::30-00:30", "weekdays": [1, 5.5]}]', "0.00125"),
                            ('[{"hours_utc": "16:30-00:30", "weekday_timezone": "Asia/Shanghai", "weekdays": [2]}]',
                             "0.00125")):
            written = support.run_cli(["sql", "--write", f"UPDATE price SET window = '{window}' WHERE variant = 'off_peak'"], db)
            self.assertEqual(written.returncode, 0, written.stderr)
            quote = registry.cost("openai/gpt-4o", input_tokens=1000, at="2026-08-03T20:00:00Z")
            cli = support.run_cli(["cost", "openai/gpt-4o", "--input-tokens", "1000", "--at", "2026-08-03T20:00:00Z",
                                   "--format", "json"], db)
            self.assertEqual(cli.returncode, 0, cli.stderr)
            self.assertEqual((quote.usd, quote.to_json()["usd"]), (Decimal(usd), json.loads(cli.stdout)["usd"]), window)

    def test_many_images_of_one_size_are_a_count(self):
        # 10^15 images of one size: priced as the CLI prices them, without a list of 10^15 sizes.
        quote = self.registry.cost("fal/fal-ai/flux/dev", images=10**15, size="1920x1080")
        cli = support.run_cli(["cost", "fal/fal-ai/flux/dev", "--images", str(10**15), "--size", "1920x1080",
                               "--format", "json"], support.seeded_registry())
        self.assertEqual(cli.returncode, 0, cli.stderr)
        self.assertEqual(quote.usd, Decimal("0.025") * 2 * 10**15)
        self.assertEqual(quote.to_json(), {**json.loads(cli.stdout), "at": quote.at})

    def test_bad_arguments_are_usage_errors(self):
        for call in (lambda: self.registry.cost("veo3", seconds=-1, variants="audio"),
                     lambda: self.registry.cost("veo3", seconds=float("nan"), variants="audio"),
                     lambda: self.registry.cost("veo3", seconds=5, variants="audio", at="yesterday"),
                     lambda: self.registry.cost("o3", input_tokens=1000, at=20250501),  # a wrong type, not a TypeError
                     lambda: self.registry.list(min_context=0)):
            with self.assertRaises(regdb.UsageError):
                call()

    def test_errors_carry_what_fixes_them(self):
        with self.assertRaises(regdb.NotFound) as raised:
            self.registry.get("veo33")
        self.assertEqual(raised.exception.suggestions, ["veo3"])
        self.assertEqual(str(raised.exception), 'no model or route named "veo33"; did you mean "veo3"?')
        with self.assertRaises(regdb.Ambiguous) as raised:
            self.registry.resolve("sora_2")
        self.assertEqual(len(raised.exception.candidates), 3)
        with self.assertRaises(regdb.PricingError):
            self.registry.cost("kling_2_6_pro_i2v", seconds=5)  # priced by audio on or off, and no default
        with self.assertRaises(regdb.UnknownValue) as raised:
            self.registry.list(status="retired")
        self.assertEqual(raised.exception.known, ["beta", "deprecated", "experimental", "production"])

    def test_an_unknown_category_is_refused_not_ignored(self):
        with self.assertRaises(regdb.UnknownValue) as raised:
            self.registry.cost("sora_2", category="bogus", seconds=4)
        self.assertEqual(raised.exception.kind, "category")
        self.assertIn("text_to_video", raised.exception.known)


class OpeningTest(unittest.TestCase):
    def test_reads_read_only(self):
        db = support.fresh_registry()
        with regdb.Registry(db) as registry:
            registry.cost("veo3", seconds=5, variants="audio")
            with self.assertRaisesRegex(sqlite3.OperationalError, "readonly"):
                registry._reader.execute("DELETE FROM setting")

    def test_missing_file_is_not_created(self):
        missing = support.fresh_registry().parent / "absent.db"
        with self.assertRaises(regdb.DatabaseMissing) as raised:
            regdb.Registry(missing)
        self.assertFalse(missing.exists())
        self.assertEqual(str(raised.exception), f"{missing}: error: no registry here; create it with: regdb import seeds/*.json")

    def test_path_from_environment(self):
        db = support.fresh_registry()
        with mock.patch.dict(os.environ, {"REGDB_PATH": str(db)}), regdb.Registry() as registry:
            self.assertEqual(registry.path, str(db))

    def test_an_older_registry_says_the_cli_upgrades_it(self):
        old = support.fresh_registry().parent / "old.db"
        with contextlib.closing(sqlite3.connect(old)) as connection:
            connection.execute(f"PRAGMA application_id = {regdb.registry.APPLICATION_ID}")
            connection.execute("PRAGMA user_version = 1")
            connection.execute("CREATE TABLE t (x)")
        with self.assertRaises(regdb.SchemaVersion) as raised:
            regdb.Registry(old)
        self.assertIn(f"the regdb CLI upgrades it in place (regdb check --db {old})", str(raised.exception))

    def test_other_sqlite_files_are_refused(self):
        other = support.fresh_registry().parent / "other.db"
        with contextlib.closing(sqlite3.connect(other)) as connection:
            connection.execute("CREATE TABLE t (x)")
        with self.assertRaises(regdb.NotARegistry):
            regdb.Registry(other)


class WritesTest(unittest.TestCase):
    def setUp(self):
        self.db = support.fresh_registry()
        self.registry = regdb.Registry(self.db)
        self.addCleanup(self.registry.close)

    def test_failover_records_a_downgrade_and_gives_the_order(self):
        decision = self.registry.failover("kimi-coding/kimi-k2.6", "execute-task")
        self.assertEqual(decision.order[:2], ["openrouter/moonshotai/kimi-k2.5", "vercel-ai-gateway/moonshotai/kimi-k2.5"])
        self.assertEqual((decision.relation, decision.steps, decision.event["steps"]), ("generation downgrade", 1, 1))
        self.assertEqual(rows(self.db, "SELECT from_route, to_route, steps FROM failover_event"),
                         [("kimi-coding/kimi-k2.6", "openrouter/moonshotai/kimi-k2.5", 1)])

    def test_outcomes_change_the_failover_order(self):
        self.registry.record_outcome("openrouter/moonshotai/kimi-k2.5", "execute-task", "failure", count=4)
        self.registry.record_outcome("OpenRouter/MoonshotAI/Kimi-K2.5", "execute-task", "success")
        self.assertEqual(self.registry.metrics().to_json()["execute-task"]["kimi-k2.5"]["aggregate"],
                         {"successes": 1, "failures": 4, "timeouts": 0})
        decision = self.registry.failover("kimi-coding/kimi-k2.6", "execute-task")
        self.assertEqual(decision.to.route_key, "vercel-ai-gateway/moonshotai/kimi-k2.5")
        self.assertEqual(decision.order[-1:], ["huggingface/moonshotai/Kimi-K2-Instruct-0905"])

    def test_record_outcome_waits_for_another_writer(self):
        blocker = sqlite3.connect(self.db, isolation_level=None, check_same_thread=False)
        self.addCleanup(blocker.close)
        blocker.execute("BEGIN IMMEDIATE")
        # Released after the first try has given up, well before the third would.
        threading.Timer(1.5, lambda: blocker.execute("COMMIT")).start()
        with mock.patch.object(regdb.registry, "BUSY_TIMEOUT", 1.0):
            started = time.monotonic()
            self.registry.record_outcome("openrouter/moonshotai/kimi-k2.5", "solve", "success")
        self.assertGreater(time.monotonic() - started, 1.0)
        self.assertEqual(rows(self.db, "SELECT route_key, successes FROM route_outcome"),
                         [("openrouter/moonshotai/kimi-k2.5", 1)])

    def test_a_row_written_past_its_rules_is_an_error_not_a_price(self):
        with contextlib.closing(sqlite3.connect(self.db)) as connection:
            connection.execute("PRAGMA ignore_check_constraints = ON")
            connection.execute("UPDATE price SET per = 0 WHERE route_id = (SELECT id FROM route WHERE route_key = 'openai/gpt-4o')")
            connection.commit()
        with self.assertRaises(regdb.IntegrityBroken) as raised:
            self.registry.cost("openai/gpt-4o", input_tokens=1000)
        self.assertIn("openai/gpt-4o", str(raised.exception))

    def test_a_unit_part_of_itself_is_an_error_as_the_cli_says(self):
        # Written by hand, a cycle in unit_part recursed for ever; both engines now refuse alike.
        with contextlib.closing(sqlite3.connect(self.db)) as connection:
            connection.execute("INSERT INTO unit_part (part, whole) VALUES ('input_token', 'cache_read_token')")
            connection.commit()
        with self.assertRaises(regdb.IntegrityBroken) as raised:
            self.registry.cost("openai/gpt-4o", input_tokens=10, cache_read_tokens=10)
        cli = support.run_cli(["cost", "openai/gpt-4o", "--input-tokens", "10", "--cache-read-tokens", "10"], self.db)
        self.assertEqual(cli.returncode, 1)
        self.assertTrue(cli.stderr.strip().endswith(str(raised.exception)), cli.stderr)

    def test_a_name_rule_of_many_stars_is_matched_in_one_pass(self):
        # Written by hand: the lazy regex this replaced backtracked exponentially (it would not end).
        with contextlib.closing(sqlite3.connect(self.db)) as connection:
            connection.execute("INSERT INTO name_rule (kind, pattern, example, position) "
                               "VALUES ('suffix', '*a*a*a*a*a*a*a*a*b', 'ab', 30)")
            connection.commit()
        self.assertFalse(self.registry.resolve("a" * 40, policy="off").known)

    def test_record_outcome_needs_a_unit(self):
        with self.assertRaises(regdb.UsageError):
            self.registry.record_outcome("openrouter/moonshotai/kimi-k2.5", "", "success")

    def test_an_unrecorded_sighting_is_a_warning(self):
        blocker = sqlite3.connect(self.db, isolation_level=None)
        self.addCleanup(blocker.close)
        blocker.execute("BEGIN IMMEDIATE")
        with mock.patch.object(regdb.registry, "BUSY_TIMEOUT", 0.3), warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            resolution = self.registry.resolve("no-such-model-xyz", policy="off")
        blocker.execute("ROLLBACK")
        self.assertFalse(resolution.known)
        self.assertEqual(len(resolution.warnings), 1)
        self.assertIn('the sighting of "no-such-model-xyz" was not recorded', resolution.warnings[0])

    def test_record_outcome_says_when_it_gave_up(self):
        blocker = sqlite3.connect(self.db, isolation_level=None)
        self.addCleanup(blocker.close)
        blocker.execute("BEGIN IMMEDIATE")
        with mock.patch.object(regdb.registry, "BUSY_TIMEOUT", 0.5), self.assertRaises(regdb.DatabaseError) as raised:
            self.registry.record_outcome("openrouter/moonshotai/kimi-k2.5", "solve", "success")
        blocker.execute("ROLLBACK")
        self.assertEqual(str(raised.exception),
                         f"{self.db}: error: outcome not recorded: another writer held the registry for over 1.5 s "
                         "(an open sqlite3 transaction?); record it again once it is done")
        self.assertEqual(rows(self.db, "SELECT count(*) FROM route_outcome"), [(0,)])


if __name__ == "__main__":
    unittest.main()
