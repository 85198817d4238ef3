"""`Registry`: an open regdb registry and the questions the CLI answers."""

from __future__ import annotations

import contextlib
import enum
import os
import sqlite3
import threading
import urllib.parse
import warnings
from dataclasses import replace
from typing import Iterator, List, Mapping, Optional, Sequence, Union

from . import browse, cost, dates, failover as failover_module, metrics as metrics_module, resolve as resolve_module
from .browse import ListedRoute, RouteDocument
from .cost import CostQuote, Usage
from .errors import (DatabaseError, DatabaseMissing, NotARegistry, NotFound, SchemaVersion, UnknownModel,
                     UsageError)
from .failover import FailoverDecision
from .metrics import MetricsReport
from .resolve import ResolvedRoute, Resolution
from .results import Results
from .suggest import suggestions

#: `PRAGMA application_id` of every registry ("RegD").
APPLICATION_ID = 0x52656744
#: `PRAGMA user_version` this package reads and writes.
SCHEMA_VERSION = 11
#: Seconds a connection waits for another process's lock, as `regdb` does.
BUSY_TIMEOUT = 10.0
#: Tries of `record_outcome` while another writer holds the registry.
_WRITE_ATTEMPTS = 3
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


class Policy(str, enum.Enum):
    """What to do with a model the registry does not know."""

    #: Pass it through silently (the default): the registry never blocks what a server serves.
    OFF = "off"
    #: Pass it through with one warning per name per process.
    WARN = "warn"
    #: Refuse it (UnknownModel), offering the closest known names, unless the call allows unknown models.
    ENFORCE = "enforce"


class UnknownModelWarning(UserWarning):
    """An unknown model passed through under the warn policy."""


_warned_names: set = set()
_warned_lock = threading.Lock()


def _first_warning(name: str) -> bool:
    """True the first time this process warns about `name`."""
    with _warned_lock:
        if name in _warned_names:
            return False
        _warned_names.add(name)
        return True


class Registry:
    """An open registry file. Questions read through a read-only connection
    (`file:…?mode=ro`); the few that write (sightings of unknown names,
    failover events, outcomes) open a short read-write one. Like an sqlite3
    connection, one Registry serves one thread."""

    def __init__(self, path: Union[str, "os.PathLike[str]", None] = None):
        """Opens the registry at `path` (default: $REGDB_PATH, else ./registry.db)."""
        if path is None:
            path = os.environ.get("REGDB_PATH") or "registry.db"
        self.path = os.fspath(path)
        if not os.path.exists(self.path):
            raise DatabaseMissing(self.path)
        self._reader = self._connect("ro")
        try:
            self._check_schema()
        except Exception:
            self._reader.close()
            raise

    def close(self) -> None:
        self._reader.close()

    def __enter__(self) -> "Registry":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # Questions

    def resolve(self, name: str, policy: Union[Policy, str, None] = None, allow_unknown: bool = False) -> Resolution:
        """Resolves any name a caller writes, as `regdb resolve` does, under the
        unknown-model policy: the argument, else $REGDB_POLICY, else the stored
        setting, else off. An unknown name is recorded as a sighting whatever
        the policy; warn passes it with a warning (once per name per process),
        enforce raises UnknownModel unless `allow_unknown`."""
        chosen = self.policy(policy)
        try:
            with self._reading() as db:
                resolution = resolve_module.resolve(db, name, suggest=False)
                lines = resolve_module.lifecycle_warnings(db, resolution)
            if not resolution.routes:
                lines.append(f"note: model {resolution.canonical_id} is in the registry but no route calls it yet")
            return replace(resolution, warnings=lines)
        except NotFound:
            pass
        unrecorded = self._record_sighting(name, "resolve")
        resolution = self._unknown(name, chosen, allow_unknown)
        return replace(resolution, warnings=unrecorded + list(resolution.warnings)) if unrecorded else resolution

    def _unknown(self, name: str, chosen: "Policy", allow_unknown: bool) -> Resolution:
        """What the policy makes of a name the registry does not know."""
        if chosen is Policy.OFF:
            return Resolution.unknown(name)
        if chosen is Policy.WARN:
            if not _first_warning(name):
                return Resolution.unknown(name)
            with self._reading() as db:
                closest = suggestions(db, name)
            hint = "; closest known: " + ", ".join(closest) if closest else ""
            message = f'unknown model "{name}" passed through (policy warn){hint}'
            warnings.warn(message, UnknownModelWarning, stacklevel=2)
            return replace(Resolution.unknown(name), warnings=["warning: " + message])
        if allow_unknown:
            return Resolution.unknown(name)
        with self._reading() as db:
            raise UnknownModel(name, suggestions(db, name, always=True))

    def routes(self, name: str) -> Results[ResolvedRoute]:
        """Every route of the model a name resolves to, preferred first (`regdb routes`)."""
        with self._reading() as db:
            return Results(resolve_module.routes_of(db, name))

    def get(self, name: str, category: Optional[str] = None) -> Results[RouteDocument]:
        """Everything the registry knows about a key, route key or model id (`regdb get`):
        one document per category of a key listed in several."""
        with self._reading() as db:
            return Results(browse.details(db, browse.find(db, name, category)))

    def list(self, category: Optional[str] = None, provider: Optional[str] = None, status: Optional[str] = None,
             capability: Optional[str] = None, tier: Optional[str] = None, available: bool = False,
             min_context: Optional[int] = None) -> Results[ListedRoute]:
        """Every route by category, in seed order (`regdb list`): only those of a
        category, provider, lifecycle status, capability flag set true, tier
        (a model without one is standard), listed by their server at the last
        discovery (`available`), or with a context window of at least `min_context`."""
        with self._reading() as db:
            return Results(browse.list_routes(db, category, provider, status, capability, tier, available, min_context))

    def cost(self, name: str, category: Optional[str] = None, seconds=None, minutes=None, images=None,
             megapixels=None, characters=None, input_tokens=None, output_tokens=None, cache_read_tokens=None,
             cache_write_tokens=None, usage: Optional[Mapping[str, object]] = None,
             variants: Union[str, Sequence[str]] = (), at=None, resolution: Optional[str] = None,
             quality: Optional[str] = None, size: Optional[str] = None) -> CostQuote:
        """Prices one call as `regdb cost` does. Quantities are numbers or
        decimal strings; `usage` gives any unit of the schema ({"page": 3});
        `variants` picks price alternatives; `at` (ISO text, date or datetime)
        prices a call made then (default now); `resolution` and `quality` choose
        among the route's prices (default: the route's); `size` ("1920x1080") is
        each output image's, billed per megapixel rounded up as fal does."""
        given = {"seconds": seconds, "minutes": minutes, "images": images, "megapixels": megapixels,
                 "characters": characters, "input_tokens": input_tokens, "output_tokens": output_tokens,
                 "cache_read_tokens": cache_read_tokens, "cache_write_tokens": cache_write_tokens}
        measures = {measure: cost.quantity(given[measure], option)
                    for measure, option in cost.MEASURES if given[measure] is not None}
        units = {}
        for unit, value in (usage or {}).items():
            if not isinstance(unit, str) or not unit:
                raise UsageError(f"--usage {unit}={value}: give UNIT=N with a unit name")
            units[unit] = cost.quantity(value, f"--usage {unit}")
        at_text = cost.at_text(at)
        if at_text is not None and dates.epoch_seconds(at_text) is None:
            raise UsageError(f'--at must be an ISO 8601 date (2025-05-01) or UTC time (2025-05-01T12:00:00Z), '
                             f'not "{at_text}".')
        chosen = [variants] if isinstance(variants, str) else list(variants)
        sizes = []
        if size is not None:
            pixels = cost.pixel_size(size)
            if pixels is None:
                raise UsageError(f'--size must be WIDTHxHEIGHT in whole pixels from 1 to 100000 (1920x1080), not "{size}".')
            sizes = [pixels]
        each = max(1, int(measures["images"])) if sizes and "images" in measures else 1
        with self._reading() as db:
            return cost.quote(db, name, category, Usage(measures, units, chosen, at_text, resolution, quality, sizes, each))

    def failover(self, route: str, unit: str, failed: Sequence[str] = (), pin: Optional[bool] = None) -> FailoverDecision:
        """The next route to try after `route` failed for `unit` (`regdb failover`).
        A pinned unit (the setting pinned_units; by default `solve`, design doc
        004's solver pin) never leaves the canonical id; `pin` True or False
        overrides. A choice that crosses a generation is recorded in
        `failover_event`, as the CLI records it; `decision.event` is what it
        prints on stderr."""
        failed = [failed] if isinstance(failed, str) else list(failed)
        with self._reading() as db:
            if pin is None:
                pin = unit in self._pinned_units(db)
            decision = failover_module.failover(db, route, unit, failed, pin)
        if decision.event is not None:
            with self._writing() as db:
                failover_module.record_event(db, decision.event, dates.timestamp())
        return decision

    @staticmethod
    def _pinned_units(db: sqlite3.Connection) -> Sequence[str]:
        row = db.execute("SELECT value FROM setting WHERE name = 'pinned_units'").fetchone()
        if row is None:
            return ["solve"]
        return [unit for unit in row[0].split(",") if unit]

    def record_outcome(self, route: str, unit: str, outcome: str, count: int = 1) -> None:
        """Counts `count` outcomes (success, failure or timeout) of `route` for
        `unit`, as `regdb metrics record` does. A name reaching one route counts
        under its route key; an unknown PROVIDER/WIRE_ID is kept (reported
        under `_unmapped`). Retries while another writer holds the registry."""
        column = metrics_module.check_outcome(outcome, count, unit)
        with self._reading() as db:
            key = metrics_module.route_for_outcome(db, route)
        for attempt in range(1, _WRITE_ATTEMPTS + 1):
            try:
                with self._writing() as db:
                    metrics_module.record(db, key, unit, column, count, dates.timestamp())
                return
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise DatabaseError(self.path, str(error)) from error
                if attempt == _WRITE_ATTEMPTS:
                    held = metrics_module.compact(BUSY_TIMEOUT * _WRITE_ATTEMPTS)
                    raise DatabaseError(self.path, f"outcome not recorded: another writer held the registry for over "
                                                   f"{held} s (an open sqlite3 transaction?); record it again once it "
                                                   "is done") from error

    def metrics(self, unit: Optional[str] = None, canonical_ids: Sequence[str] = ()) -> MetricsReport:
        """Outcomes per unit and canonical id, each with its routes (`regdb metrics show`).
        With `canonical_ids` (and a unit), just those; one never seen reads as zeros."""
        if canonical_ids and unit is None:
            raise UsageError("--canonical-id goes with --unit: the outcomes of a canonical id are per unit of work.")
        canonical_ids = [canonical_ids] if isinstance(canonical_ids, str) else list(canonical_ids)
        with self._reading() as db:
            return metrics_module.report(db, unit, canonical_ids)

    def policy(self, policy: Union[Policy, str, None] = None) -> Policy:
        """The unknown-model policy in force: `policy`, else $REGDB_POLICY, else the stored setting, else off."""
        for source, value in (("policy", policy), ("REGDB_POLICY", os.environ.get("REGDB_POLICY") or None)):
            if value is not None:
                try:
                    return Policy(value)
                except ValueError:
                    raise UsageError(f'{source} must be off, warn or enforce, not "{value}".') from None
        with self._reading() as db:
            row = db.execute("SELECT value FROM setting WHERE name = 'policy'").fetchone()
        try:
            return Policy(row[0]) if row is not None else Policy.OFF
        except ValueError:
            return Policy.OFF

    # Connections

    def _connect(self, mode: str) -> sqlite3.Connection:
        uri = "file:" + urllib.parse.quote(os.path.abspath(self.path)) + "?mode=" + mode
        # In a folder nothing can write (a read-only mount), SQLite cannot make the WAL index a
        # reader needs, and no one can write the file: read it as immutable, as the CLI does.
        if mode == "ro" and not os.access(os.path.dirname(os.path.abspath(self.path)), os.W_OK):
            uri += "&immutable=1"
        try:
            db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as error:
            raise DatabaseError(self.path, str(error)) from error
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def _check_schema(self) -> None:
        try:
            application_id = self._reader.execute("PRAGMA application_id").fetchone()[0]
            version = self._reader.execute("PRAGMA user_version").fetchone()[0]
            objects = self._reader.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise DatabaseError(self.path, str(error)) from error
        if application_id == 0 and version == 0 and objects == 0:
            raise DatabaseMissing(self.path)
        if application_id != APPLICATION_ID:
            raise NotARegistry(self.path, application_id)
        if version != SCHEMA_VERSION:
            raise SchemaVersion(self.path, version, SCHEMA_VERSION)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: everything asked inside it sees one state of the file."""
        self._reader.execute("BEGIN")
        try:
            yield self._reader
        finally:
            self._reader.execute("COMMIT")

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on a connection of its own, committed when the block ends without error."""
        db = self._connect("rw")
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    def _record_sighting(self, name: str, context: str) -> List[str]:
        """Counts a name the registry does not know, so unknown models are tracked. Best
        effort, as in the CLI: a registry that cannot be written now (read-only, or held by
        another writer past the busy timeout) still answers; the warning says so."""
        try:
            with self._writing() as db:
                db.execute("""
                    INSERT INTO sighting (name, first_seen, last_seen, count, context) VALUES (?1, ?2, ?2, 1, ?3)
                    ON CONFLICT (name) DO UPDATE SET last_seen = ?2, count = count + 1, context = ?3
                    """, (name, dates.timestamp(), context))
        except sqlite3.OperationalError as error:
            message = f'the sighting of "{name}" was not recorded: {error}'
            warnings.warn(message, RuntimeWarning, stacklevel=3)
            return ["warning: " + message]
        return []


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    return "locked" in str(error) or "busy" in str(error)
