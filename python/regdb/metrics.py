"""Route outcomes: `regdb metrics record` and `regdb metrics show` (Swift's `Registry+Metrics`)."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any, Dict, Optional, Sequence

from .errors import Ambiguous, ExpectedRoute, NotFound, OutcomeNotRecorded, UsageError
from .names import SQLNameIndex, resolve_name
from .resolve import routes_of
from .suggest import suggestions

#: How one call on a route ended, and the counter it adds to.
OUTCOME_COLUMNS = {"success": "successes", "failure": "failures", "timeout": "timeouts"}

#: `metrics record --count` takes 1 to this.
MAX_COUNT = 1_000_000_000


def route_for_outcome(db: sqlite3.Connection, name: str) -> str:
    """The route key outcomes of `name` count under: the one route it reaches, else
    the name itself when it looks like PROVIDER/WIRE_ID and names no model."""
    resolved = resolve_name(name, SQLNameIndex(db))
    if len(resolved.route_keys) == 1:
        return resolved.route_keys[0]
    if resolved.ambiguous:
        raise Ambiguous(name, resolved.candidates)
    slash = name.find("/")
    if 0 < slash < len(name) - 1 and (resolved.model_id is None or resolved.match == "normalized"):
        return name
    if resolved.model_id is None:
        raise NotFound(name, suggestions(db, name))
    raise ExpectedRoute(name, resolved.model_id, [r.route_key for r in routes_of(db, resolved.model_id)])


def check_outcome(outcome: str, count: int, unit: str = "solve") -> str:
    """The counter column of `outcome`; a UsageError for what the CLI refuses before running."""
    if not isinstance(unit, str) or not unit:
        raise UsageError("--unit must name a unit of work, such as solve or execute-task.")
    if outcome not in OUTCOME_COLUMNS:
        raise UsageError(f'--outcome must be success, failure or timeout, not "{outcome}".')
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise UsageError("--count must be a whole number from 1 to 1000000000.")
    return OUTCOME_COLUMNS[outcome]


def record(db: sqlite3.Connection, route: str, unit: str, column: str, count: int, now: str) -> None:
    """Adds `count` to one counter, in the caller's write transaction."""
    # No counter, and no sum `metrics show` makes of them, may pass 2^63 - 1.
    total = db.execute("SELECT total(successes) + total(failures) + total(timeouts) FROM route_outcome WHERE unit = ?",
                       (unit,)).fetchone()[0] or 0.0
    if count < 0 or not total + float(count) < 9.2e18:
        raise OutcomeNotRecorded(f"outcome not recorded: the counters of unit {unit} would pass 9.2e18 (2^63 - 1); "
                                 f"they hold {compact(total)}")
    db.execute(f"""
        INSERT INTO route_outcome (unit, route_key, {column}, last_seen) VALUES (?1, ?2, ?3, ?4)
        ON CONFLICT (unit, route_key) DO UPDATE SET {column} = {column} + ?3, last_seen = ?4
        """, (unit, route, count, now))


def compact(value: float) -> str:
    """A number for people: `8` rather than `8.0`, as Swift's `JSONValue.compact` writes it."""
    return str(int(value)) if value == round(value) and abs(value) < 1e15 else repr(value)


@dataclass(frozen=True)
class OutcomeCounts:
    """Outcome counters of one route or one canonical model."""

    successes: int = 0
    failures: int = 0
    timeouts: int = 0

    def to_json(self) -> Dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class MetricsReport:
    """Every unit's outcomes keyed by canonical id ('_unmapped' for unknown route keys), each with its routes."""

    #: unit → canonical id → route key → counts, in the CLI's order.
    units: Dict[str, Dict[str, Dict[str, OutcomeCounts]]]

    def to_json(self) -> Dict[str, Any]:
        """`{unit: {canonical_id: {aggregate, by_route}, "_unmapped": {by_route}}}`, as `regdb metrics show` prints."""
        result: Dict[str, Any] = {}
        for unit, canonicals in self.units.items():
            entries: Dict[str, Any] = {}
            for canonical, routes in canonicals.items():
                by_route = {route: counts.to_json() for route, counts in routes.items()}
                if canonical == "_unmapped":
                    entries[canonical] = {"by_route": by_route}
                else:
                    aggregate = OutcomeCounts(*(sum(getattr(c, name) for c in routes.values())
                                                for name in ("successes", "failures", "timeouts")))
                    entries[canonical] = {"aggregate": aggregate.to_json(), "by_route": by_route}
            result[unit] = entries
        return result


def report(db: sqlite3.Connection, unit: Optional[str], canonical_ids: Sequence[str] = ()) -> MetricsReport:
    units: Dict[str, Dict[str, Dict[str, OutcomeCounts]]] = {}
    for row_unit, canonical, route, successes, failures, timeouts in db.execute("""
        SELECT unit, canonical_id, route_key, successes, failures, timeouts FROM metrics_by_route
        WHERE ?1 IS NULL OR unit = ?1
        ORDER BY unit, canonical_id = '_unmapped', canonical_id, route_key
        """, (unit,)):
        units.setdefault(row_unit, {}).setdefault(canonical, {})[route] = OutcomeCounts(successes, failures, timeouts)
    if canonical_ids and unit is not None:
        # Just those ids; one never seen reads as zeros (design doc 004's sensible defaults).
        seen = units.get(unit, {})
        return MetricsReport({unit: {cid: seen.get(cid, {}) for cid in dict.fromkeys(canonical_ids)}})
    return MetricsReport(units)
