"""What `regdb list` and `regdb get` answer (Swift's `Registry+Browse` and `Documents`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from .errors import Ambiguous, NoRoute, NotFound, UnknownValue, UsageError
from .names import SQLNameIndex, resolve_name
from .suggest import suggestions


#: Columns `regdb list` shows only when some listed route has a value (Tinker models' metadata).
LIST_EXTRAS = ("training_type", "architecture", "size")


class Record:
    """Fields of one answer, read from a view, in the CLI's order: each field is an attribute
    (None when the answer leaves it out), and `to_json()` is what `--format json` prints."""

    def __init__(self, fields: Dict[str, Any]):
        self._fields = fields

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._fields.get(name)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._fields == self._fields  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._fields!r})"

    def to_json(self) -> Dict[str, Any]:
        return dict(self._fields)


class ListedRoute(Record):
    """One row of `regdb list` (the `route_listing` view): a route under one of its categories
    (None for a route in none); `available` is True when its server listed it at the last
    discovery, False when it no longer did, None when never asked."""


class Price(Record):
    """One price row of a route, as the seed format writes it (`price_document`)."""


class RouteDocument(Record):
    """Everything `regdb get` shows for one route (the `route_document` view): the category
    key, the model's fields, then the route's, in seed-format names; `pricing` is a list of `Price`."""

    @property
    def pricing(self) -> Optional[List[Price]]:
        prices = self._fields.get("pricing")
        return None if prices is None else [Price(p) for p in prices]


def list_routes(db: sqlite3.Connection, category: Optional[str] = None, provider: Optional[str] = None,
                status: Optional[str] = None, capability: Optional[str] = None, tier: Optional[str] = None,
                available: bool = False, min_context: Optional[int] = None) -> List[ListedRoute]:
    """Every listed route, by category then seed order, with its filters."""
    if min_context is not None and min_context < 1:
        raise UsageError("--min-context must be a positive number of tokens.")
    for kind, value, sql in (("category", category, "SELECT id FROM category"),
                             ("provider", provider, "SELECT id FROM provider"),
                             ("status", status, "SELECT id FROM status"),
                             ("tier", tier, "SELECT id FROM tier"),
                             ("capability", capability, "SELECT DISTINCT c.key FROM route r, json_each(r.capabilities) c "
                                                        "WHERE c.type = 'true'")):
        if value is None:
            continue
        known = [row[0] for row in db.execute(sql + " ORDER BY 1")]
        if value not in known:
            raise UnknownValue(kind, value, known)
    rows = db.execute("""
        SELECT category, key, route_key, name, provider, status, available, context_window,
               training_type, architecture, size
        FROM route_listing
        WHERE (?1 IS NULL OR category = ?1)
          AND (?2 IS NULL OR provider = ?2)
          AND (?3 IS NULL OR status = ?3)
          AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(capabilities) WHERE key = ?4 AND type = 'true'))
          AND (?5 IS NULL OR tier = ?5)
          AND (?6 = 0 OR available = 1)
          AND (?7 IS NULL OR context_window >= ?7)
        ORDER BY category IS NULL, category, position, route_key
        """, (category, provider, status, capability, tier, int(bool(available)), min_context)).fetchall()
    shown = {extra for extra in LIST_EXTRAS if any(row[extra] is not None for row in rows)}
    return [ListedRoute({name: (None if row[name] is None else row[name] == 1) if name == "available" else row[name]
                         for name in row.keys() if name not in LIST_EXTRAS or name in shown}) for row in rows]


@dataclass(frozen=True)
class RouteMatch:
    """One route found for a name, with the category key it was found under."""

    route_id: int
    route_key: str
    category: Optional[str]
    key: Optional[str]

    @property
    def candidate(self) -> str:
        """How an ambiguity error lists it: `route (category_key in category)`."""
        return f"{self.route_key} ({'category_key in ' + self.category if self.category is not None else 'route'})"


def lookup(db: sqlite3.Connection, name: str, category: Optional[str] = None,
           preferred: bool = False) -> List[RouteMatch]:
    """Routes a name reaches: a category key in every category that has it (or
    only `category`), a route, or every route of a model, each with its first
    category. With `preferred`, a name of a model gives only its preferred route.
    Empty when the name is unknown; a name matching several models raises Ambiguous."""
    index = SQLNameIndex(db)
    resolved = resolve_name(name, index, category)
    category_rows = [r for r in resolved.rows if r.match == "category_key" and r.route_key is not None]
    # One key in several categories is the same name listed twice, not two guesses.
    if resolved.match == "category_key" or (resolved.ambiguous and category_rows):
        matches = []
        for row in category_rows:
            found = db.execute("SELECT id FROM route WHERE route_key = ?", (row.route_key,)).fetchone()
            if found is not None:
                matches.append(RouteMatch(found[0], row.route_key, row.category, row.name))
        return matches
    model = resolved.model_id
    if model is None:
        if resolved.ambiguous:
            raise Ambiguous(name, resolved.candidates)
        return []
    keys = list(resolved.route_keys)
    if not keys:
        keys = index.route_keys(model)
        if not keys:
            raise NoRoute(model)
    if preferred:
        keys = keys[:1]
    matches = []
    for key in keys:
        row = db.execute("""
            SELECT r.id, r.route_key, rc.category_id, rc.key FROM route r
            LEFT JOIN route_category rc ON rc.route_id = r.id AND rc.category_id = (
                SELECT category_id FROM route_category WHERE route_id = r.id AND (?2 IS NULL OR category_id = ?2)
                ORDER BY category_id, position LIMIT 1)
            WHERE r.route_key = ?1
            """, (key, category)).fetchone()
        if row is not None:
            matches.append(RouteMatch(*row))
    return matches


def find(db: sqlite3.Connection, name: str, category: Optional[str] = None,
         preferred: bool = False) -> List[RouteMatch]:
    """Like `lookup`, but an unknown name raises NotFound offering the closest known names, and
    an unknown category UnknownValue (never ignored: the name would be priced in another one)."""
    if category is not None:
        known = [row[0] for row in db.execute("SELECT id FROM category ORDER BY 1")]
        if category not in known:
            raise UnknownValue("category", category, known)
    found = lookup(db, name, category, preferred)
    if not found:
        raise NotFound(name, suggestions(db, name))
    return found


def details(db: sqlite3.Connection, matches: List[RouteMatch]) -> List[RouteDocument]:
    """The document `regdb get` shows for each match: the category key it was found under, then
    the route as `route_document` gives it."""
    documents = []
    for match in matches:
        row = db.execute("SELECT document FROM route_document WHERE route_id = ?", (match.route_id,)).fetchone()
        if row is not None:
            found = {"category": match.category, "key": match.key}
            documents.append(RouteDocument({**{k: v for k, v in found.items() if v is not None}, **json.loads(row[0])}))
    return documents
