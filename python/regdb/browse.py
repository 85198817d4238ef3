"""What `regdb list` and `regdb get` answer (Swift's `Registry+Browse` and `Documents`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .errors import Ambiguous, NoRoute, NotFound, UnknownValue, UsageError
from .names import SQLNameIndex, resolve_name
from .suggest import suggestions


#: Columns `regdb list` shows only when some listed route has a value (Tinker models' metadata).
LIST_EXTRAS = ("training_type", "architecture", "size")


@dataclass(frozen=True)
class ListedRoute:
    """One row of `regdb list`: a route under one of its categories (None for a route in none)."""

    category: Optional[str]
    key: Optional[str]
    route_key: str
    name: Optional[str]
    provider: str
    status: Optional[str]
    #: True when its server listed it at the last discovery, False when it no longer did, None when never asked.
    available: Optional[bool]
    context_window: Optional[int]
    training_type: Any = None
    architecture: Any = None
    size: Any = None
    #: Which of LIST_EXTRAS the listing shows: those some row of it has.
    shown_extras: Tuple[str, ...] = field(default=(), repr=False, compare=False)

    def to_json(self) -> Dict[str, Any]:
        result = {"category": self.category, "key": self.key, "route_key": self.route_key, "name": self.name,
                  "provider": self.provider, "status": self.status, "available": self.available,
                  "context_window": self.context_window}
        for extra in self.shown_extras:
            result[extra] = getattr(self, extra)
        return result


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
        SELECT rc.category_id AS category, rc.key, r.route_key, ifnull(r.name, m.name) AS name,
               r.provider_id AS provider, m.status, r.available, r.context_window,
               json_extract(r.metadata, '$.training_type') AS training_type,
               json_extract(r.metadata, '$.architecture') AS architecture,
               json_extract(r.metadata, '$.size') AS size
        FROM route r
        JOIN model m ON m.id = r.model_id
        LEFT JOIN route_category rc ON rc.route_id = r.id
        WHERE (?1 IS NULL OR rc.category_id = ?1)
          AND (?2 IS NULL OR r.provider_id = ?2)
          AND (?3 IS NULL OR m.status = ?3)
          AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(r.capabilities) WHERE key = ?4 AND type = 'true'))
          AND (?5 IS NULL OR ifnull(m.tier, 'standard') = ?5)
          AND (?6 = 0 OR r.available = 1)
          AND (?7 IS NULL OR r.context_window >= ?7)
        ORDER BY rc.category_id IS NULL, rc.category_id, rc.position, r.route_key
        """, (category, provider, status, capability, tier, int(bool(available)), min_context)).fetchall()
    shown = tuple(extra for extra in LIST_EXTRAS if any(row[extra] is not None for row in rows))
    return [ListedRoute(*tuple(row)[:6], available=None if row["available"] is None else row["available"] == 1,
                        context_window=row["context_window"], training_type=row["training_type"],
                        architecture=row["architecture"], size=row["size"], shown_extras=shown) for row in rows]


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


@dataclass(frozen=True)
class Price:
    """One price row of a route, as the seed format writes it."""

    unit: str
    variant: Optional[str] = None
    #: USD per `per` units; None where the price is not published (see `note`).
    usd: Optional[float] = None
    per: int = 1
    above: Optional[float] = None
    above_unit: Optional[str] = None
    above_bills: Optional[str] = None
    valid_from: Optional[str] = None
    valid_until: Optional[str] = None
    one_of: Optional[str] = None
    note: Optional[str] = None
    #: True: a price of 0 that is meant (a free tier); a 0 on a paid provider's route must say so.
    free: bool = False
    #: {"url": …, "date": …}: the published page the price was checked against.
    checked: Optional[Dict[str, str]] = None

    def to_json(self) -> Dict[str, Any]:
        result: Dict[str, Any] = {"unit": self.unit}
        if self.variant is not None:
            result["variant"] = self.variant
        result["usd"] = self.usd
        if self.per != 1:
            result["per"] = self.per
        for name in ("above", "above_unit", "above_bills", "valid_from", "valid_until", "one_of", "note"):
            if getattr(self, name) is not None:
                result[name] = getattr(self, name)
        if self.free:
            result["free"] = True
        if self.checked is not None:
            result["checked"] = self.checked
        return result


@dataclass(frozen=True)
class RouteDocument:
    """Everything `regdb get` shows for one route: the category key and the
    model's fields, then the route's, in seed-format names. None (and, for
    `scores` and the JSON objects of the route, empty) means left out."""

    route_key: str
    model: str
    category: Optional[str] = None
    key: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    provider: Optional[str] = None
    provider_name: Optional[str] = None
    status: Optional[str] = None
    successor: Optional[str] = None
    deprecation_date: Optional[str] = None
    family: Optional[str] = None
    generation: Optional[str] = None
    tier: Optional[str] = None
    scores: Optional[Dict[str, Any]] = None
    provider_label: Optional[str] = None
    endpoint: Optional[str] = None
    api: Optional[str] = None
    base_url: Optional[str] = None
    pricing: Optional[List[Price]] = None
    multipliers: Optional[Dict[str, float]] = None
    context_window: Optional[int] = None
    max_output_tokens: Optional[int] = None
    durations: Optional[List[int]] = None
    max_duration: Optional[int] = None
    aspect_ratios: Optional[List[str]] = None
    resolutions: Optional[List[str]] = None
    defaults: Optional[Dict[str, Any]] = None
    features: Optional[List[str]] = None
    reasoning: Optional[bool] = None
    input_modalities: Optional[Any] = None
    capabilities: Optional[Dict[str, Any]] = None
    extended_params: Optional[Any] = None
    extended_features: Optional[Dict[str, Any]] = None
    input_requirements: Optional[Dict[str, Any]] = None
    info: Optional[Dict[str, Any]] = None
    cost_estimate_usd: Optional[float] = None
    processing_time_s: Optional[int] = None
    metadata: Optional[Dict[str, Any]] = None
    priority: Optional[int] = None
    aliases: Optional[List[str]] = None
    available: Optional[bool] = None

    _ORDER = ("category", "key", "route_key", "model", "name", "description", "provider", "provider_name", "status",
              "successor", "deprecation_date", "family", "generation", "tier", "scores", "provider_label",
              "endpoint", "api", "base_url", "pricing", "multipliers", "context_window", "max_output_tokens",
              "durations", "max_duration", "aspect_ratios", "resolutions", "defaults", "features", "reasoning",
              "input_modalities", "capabilities", "extended_params", "extended_features", "input_requirements",
              "info", "cost_estimate_usd", "processing_time_s", "metadata", "priority", "aliases", "available")

    def to_json(self) -> Dict[str, Any]:
        """The object `regdb get --format json` prints for the route, fields in its order."""
        result: Dict[str, Any] = {}
        for name in self._ORDER:
            value = getattr(self, name)
            if value is None:
                continue
            result[name] = [p.to_json() for p in value] if name == "pricing" else value
        return result


def details(db: sqlite3.Connection, matches: List[RouteMatch]) -> List[RouteDocument]:
    """The document `regdb get` shows for each match."""
    documents = []
    for match in matches:
        route = db.execute("SELECT * FROM route WHERE id = ?", (match.route_id,)).fetchone()
        if route is None:
            continue
        model = db.execute("""
            SELECT m.*, ifnull(r.name, m.name) AS display_name, p.id AS provider_id, p.name AS provider_name,
                   ifnull(m.tier, 'standard') AS effective_tier
            FROM route r JOIN model m ON m.id = r.model_id JOIN provider p ON p.id = r.provider_id
            WHERE r.id = ?
            """, (match.route_id,)).fetchone()
        fields: Dict[str, Any] = {"category": match.category, "key": match.key, "route_key": match.route_key,
                                  "model": route["model_id"]}
        if model is not None:
            fields.update(name=model["display_name"], description=model["description"],
                          provider=model["provider_id"], provider_name=model["provider_name"],
                          status=model["status"], successor=model["successor_id"],
                          deprecation_date=model["deprecation_date"], family=model["family"],
                          generation=model["generation"], tier=model["effective_tier"],
                          scores=_json(model["scores"], omit_empty=True))
        fields.update(_route_fields(db, route))
        documents.append(RouteDocument(**fields))
    return documents


def _route_fields(db: sqlite3.Connection, route: sqlite3.Row) -> Dict[str, Any]:
    """A route's own fields, each list in seed order."""
    route_id = route["id"]

    def column(sql: str) -> List[sqlite3.Row]:
        return db.execute(sql, (route_id,)).fetchall()

    fields: Dict[str, Any] = {"provider_label": route["provider_label"], "endpoint": route["endpoint"],
                              "api": route["api"], "base_url": route["base_url"]}
    prices = column("SELECT * FROM price WHERE route_id = ? ORDER BY position")
    if prices:
        fields["pricing"] = [Price(
            unit=p["unit"], variant=p["variant"], usd=p["usd"], per=p["per"], above=p["above"],
            above_unit=p["above_unit"], above_bills=p["above_bills"], valid_from=p["valid_from"],
            valid_until=p["valid_until"], one_of=p["one_of"], note=p["note"], free=p["free"] == 1,
            checked={"url": p["checked_url"], "date": p["checked_on"]}
            if p["checked_url"] is not None and p["checked_on"] is not None else None) for p in prices]
    multipliers = column("SELECT variant, factor FROM price_multiplier WHERE route_id = ? ORDER BY position")
    if multipliers:
        fields["multipliers"] = {row["variant"]: row["factor"] for row in multipliers}
    fields["context_window"] = route["context_window"]
    fields["max_output_tokens"] = route["max_output_tokens"]
    durations = column("SELECT seconds FROM route_duration WHERE route_id = ? ORDER BY seconds")
    if durations:
        fields["durations"] = [row[0] for row in durations]
    fields["max_duration"] = route["max_duration"]
    for name, table in (("aspect_ratios", "route_aspect_ratio"), ("resolutions", "route_resolution")):
        rows = column(f"SELECT value FROM {table} WHERE route_id = ? ORDER BY position")
        if rows:
            fields[name] = [row[0] for row in rows]
    defaults = column("SELECT name, value FROM route_default WHERE route_id = ? ORDER BY position")
    if defaults:
        fields["defaults"] = {row["name"]: _json(row["value"]) for row in defaults}
    features = column("SELECT feature FROM route_feature WHERE route_id = ? ORDER BY position")
    if features:
        fields["features"] = [row[0] for row in features]
    if route["reasoning"] is not None:
        fields["reasoning"] = route["reasoning"] != 0
    fields["input_modalities"] = _json(route["input_modalities"])
    for name in ("capabilities", "extended_params", "extended_features", "input_requirements", "info"):
        fields[name] = _json(route[name], omit_empty=True)
    fields["cost_estimate_usd"] = route["cost_estimate_usd"]
    fields["processing_time_s"] = route["processing_time_s"]
    fields["metadata"] = _json(route["metadata"], omit_empty=True)
    fields["priority"] = route["priority"]
    aliases = column("SELECT name FROM alias WHERE route_id = ? ORDER BY rowid")
    if aliases:
        fields["aliases"] = [row[0] for row in aliases]
    if route["available"] is not None:
        fields["available"] = route["available"] != 0
    return fields


def _json(text: Optional[str], omit_empty: bool = False) -> Any:
    """A JSON column decoded; None when NULL, not JSON, or (with `omit_empty`) `{}` or `[]`."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if omit_empty and value in ({}, []):
        return None
    return value
