"""The package answers every conformance vector (conformance/vectors.json) as the CLI does.

Each vector's `args` are read as the CLI reads them and mapped to one package
call; its answer must be the CLI's: the same JSON (volatile keys dropped), the
same lines on stderr, and for a failure an exception whose exit code and
message are the CLI's. Setup steps the package has a call for (resolve,
failover, metrics record) run through the package; the others (config set,
sql --write) prepare the registry through the CLI.
"""

import argparse
import contextlib
import json
import os
import sqlite3
import sys
import unittest
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import support  # noqa: E402  (needs the path above)

import regdb  # noqa: E402
import regdb.registry  # noqa: E402

VECTORS = json.loads((support.ROOT / "conformance" / "vectors.json").read_text())


def without_volatile(value):
    if isinstance(value, dict):
        return {k: without_volatile(v) for k, v in value.items() if k not in VECTORS["volatile"]}
    if isinstance(value, list):
        return [without_volatile(v) for v in value]
    return value


class ArgumentError(Exception):
    """Arguments the mapping below does not read: a vector it cannot check."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise ArgumentError(message)


def parser() -> argparse.ArgumentParser:
    """The CLI's arguments, for the commands the package answers."""
    root = Parser(prog="regdb")
    commands = root.add_subparsers(dest="command", parser_class=Parser)

    def command(name, parent=commands):
        sub = parent.add_parser(name)
        sub.add_argument("--format", default="table")
        return sub

    resolve = command("resolve")
    resolve.add_argument("name")
    resolve.add_argument("--policy")
    resolve.add_argument("--allow-unknown", action="store_true")
    command("routes").add_argument("name")
    get = command("get")
    get.add_argument("name")
    get.add_argument("--category")
    listing = command("list")
    for option in ("--category", "--provider", "--status", "--capability", "--tier"):
        listing.add_argument(option)
    listing.add_argument("--available", action="store_true")
    listing.add_argument("--min-context", type=int)
    cost = command("cost")
    cost.add_argument("name")
    cost.add_argument("--category")
    for measure, option in regdb.cost.MEASURES:
        cost.add_argument(option, dest=measure)
    cost.add_argument("--usage", action="append", default=[])
    cost.add_argument("--variant", action="append", default=[])
    cost.add_argument("--resolution")
    cost.add_argument("--quality")
    cost.add_argument("--size")
    cost.add_argument("--at")
    failover = command("failover")
    failover.add_argument("route")
    failover.add_argument("--unit", required=True)
    failover.add_argument("--failed", action="append", default=[])
    failover.add_argument("--pin", action="store_true", default=None)
    failover.add_argument("--no-pin", dest="pin", action="store_false")
    metrics = command("metrics").add_subparsers(dest="action", parser_class=Parser)
    record = command("record", metrics)
    record.add_argument("route")
    record.add_argument("--unit", required=True)
    record.add_argument("--outcome", required=True)
    record.add_argument("--count", type=int, default=1)
    show = command("show", metrics)
    show.add_argument("--unit")
    show.add_argument("--canonical-id", dest="canonical_ids", action="append", default=[])
    sql = command("sql")
    sql.add_argument("query")
    sql.add_argument("--write", action="store_true")
    config = command("config").add_subparsers(dest="action", parser_class=Parser)
    config_set = command("set", config)
    config_set.add_argument("setting")
    config_set.add_argument("value")
    return root


PARSER = parser()


@contextlib.contextmanager
def environment(changes):
    """The process environment as a CLI run of the case sees it."""
    saved = dict(os.environ)
    for name in ("REGDB_PATH", "REGDB_POLICY"):
        os.environ.pop(name, None)
    os.environ.update(changes)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def ask(args, db: Path, env):
    """What the package answers to `args`: (exit code, JSON value, stderr text)."""
    options = PARSER.parse_args(args)
    command = options.command + (" " + options.action if getattr(options, "action", None) else "")
    if command in ("config set",) or (command == "sql" and options.write):
        result = support.run_cli(args, db)
        return result.returncode, None, result.stderr
    if command == "sql":
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
            connection.row_factory = sqlite3.Row
            # The columns json_column declares come back as the JSON they hold, as the CLI gives them.
            declared = dict(connection.execute("SELECT name, type FROM json_column").fetchall()[::-1])

            def value(name, text):
                if name not in declared or not isinstance(text, str):
                    return text
                decoded = json.loads(text)
                return decoded if declared[name] == "any" or isinstance(decoded, (list, dict)) else text
            return 0, [{k: value(k, row[k]) for k in row.keys()} for row in connection.execute(options.query)], ""
    with environment(env), warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        # Each CLI run is a process of its own: no name has been warned about yet.
        regdb.registry._warned_names.clear()
        try:
            with regdb.Registry(db) as registry:
                return answer(registry, command, options)
        except regdb.RegDBError as error:
            return error.exit_code, None, error.line + "\n"


def answer(registry: "regdb.Registry", command: str, options):
    """One package call for one CLI command: (0, JSON value, stderr text)."""
    if command == "resolve":
        result = registry.resolve(options.name, policy=options.policy, allow_unknown=options.allow_unknown)
        return 0, result.to_json(), "".join(line + "\n" for line in result.warnings)
    if command == "routes":
        return 0, registry.routes(options.name).to_json(), ""
    if command == "get":
        return 0, registry.get(options.name, category=options.category).to_json(), ""
    if command == "list":
        rows = registry.list(category=options.category, provider=options.provider, status=options.status,
                             capability=options.capability, tier=options.tier, available=options.available,
                             min_context=options.min_context)
        return 0, rows.to_json(), ""
    if command == "cost":
        usage = {}
        for entry in options.usage:
            unit, _, value = entry.partition("=")
            usage[unit] = value
        measures = {measure: getattr(options, measure) for measure, _ in regdb.cost.MEASURES}
        quote = registry.cost(options.name, category=options.category, usage=usage, variants=options.variant,
                              at=options.at, resolution=options.resolution, quality=options.quality, size=options.size,
                              **measures)
        return 0, quote.to_json(), "".join(f"warning: {line}\n" for line in quote.warnings)
    if command == "failover":
        decision = registry.failover(options.route, options.unit, failed=options.failed, pin=options.pin)
        event = json.dumps(decision.event, separators=(",", ":"), ensure_ascii=False) + "\n" if decision.event else ""
        return 0, decision.to_json(), event
    if command == "metrics record":
        registry.record_outcome(options.route, options.unit, options.outcome, count=options.count)
        return 0, None, ""
    if command == "metrics show":
        return 0, registry.metrics(unit=options.unit, canonical_ids=options.canonical_ids).to_json(), ""
    raise ArgumentError(f"no package call for {command}")


class ConformanceTest(unittest.TestCase):
    def test_vectors_cover_every_command(self):
        cases = VECTORS["cases"]
        self.assertGreaterEqual(len(cases), 60)
        self.assertEqual(len({c["name"] for c in cases}), len(cases), "case names are unique")
        kinds = {" ".join(c["args"][:2]) if c["args"][0] == "metrics" else c["args"][0] for c in cases}
        for kind in ("resolve", "routes", "get", "list", "cost", "failover", "metrics record", "metrics show"):
            self.assertIn(kind, kinds)
        self.assertEqual({c["exit"] for c in cases}, {0, 1, 3, 64})

    def test_every_vector(self):
        support.seeded_registry()
        for vector in VECTORS["cases"]:
            with self.subTest(vector["name"]):
                db = support.fresh_registry()
                for step in vector["setup"]:
                    code, _, stderr = ask(step, db, {})
                    self.assertEqual(code, 0, f"setup {step}: {stderr}")
                code, value, stderr = ask(vector["args"], db, vector["env"])
                self.assertEqual(code, vector["exit"], stderr)
                if code == 64:
                    # The CLI's argument parser adds usage lines after the message.
                    self.assertEqual(stderr.splitlines()[0], vector["stderr"].splitlines()[0])
                    continue
                self.assertEqual(stderr, vector["stderr"])
                self.assertEqual(without_volatile(value), vector["json"])


if __name__ == "__main__":
    unittest.main()
