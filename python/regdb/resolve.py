"""What `regdb resolve` and `regdb routes` answer: a name's canonical model and
its routes (Swift's `Resolution`, `ResolvedModel` and `Registry+Resolve`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Sequence

from .errors import Ambiguous, NotFound, RegDBError
from .names import ResolvedName, SQLNameIndex, resolve_name
from .suggest import suggestions


@dataclass(frozen=True)
class RouteCost:
    """USD per million tokens of a route's base prices in force now; None where it has no such price."""

    input: Optional[float] = None
    output: Optional[float] = None
    cache_read: Optional[float] = None
    cache_write: Optional[float] = None

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ResolvedRoute:
    """A route resolved to its canonical model: one row of the `resolved_routes` view."""

    route_key: str
    canonical_id: str
    generation: str
    #: light, standard or heavy; standard where none is recorded.
    tier: str
    wire_id: str
    provider: str
    #: Wire format (anthropic-messages, openai-completions…); an open set.
    api: Optional[str]
    base_url: Optional[str]
    capabilities: Dict[str, Any]
    cost: Optional[RouteCost]
    context_window: Optional[int]
    max_tokens: Optional[int]
    reasoning: Optional[bool]
    input_modalities: Optional[List[str]]
    #: Failover preference from the seeds, lower first.
    priority: Optional[int]

    @staticmethod
    def from_row(row: sqlite3.Row) -> "ResolvedRoute":
        cost = None
        parsed = _parse(row["cost"])
        if isinstance(parsed, dict):
            cost = RouteCost(*(_number(parsed.get(k)) for k in ("input", "output", "cache_read", "cache_write")))
        modalities = _parse(row["input_modalities"])
        capabilities = _parse(row["capabilities"])
        return ResolvedRoute(
            route_key=row["route_key"], canonical_id=row["canonical_id"], generation=row["generation"],
            tier=row["tier"], wire_id=row["wire_id"], provider=row["provider"], api=row["api"],
            base_url=row["base_url"], capabilities=capabilities if capabilities is not None else {},
            cost=cost, context_window=row["context_window"], max_tokens=row["max_tokens"],
            reasoning=None if row["reasoning"] is None else row["reasoning"] != 0,
            input_modalities=[m for m in modalities if isinstance(m, str)] if isinstance(modalities, list) else None,
            priority=row["priority"])

    def to_json(self) -> Dict[str, Any]:
        """The JSON form `regdb resolve` and `regdb routes` print: every field but the priority."""
        fields = asdict(self)
        del fields["priority"]
        return fields


#: Fields of the preferred route a resolution repeats at its top level.
_PREFERRED_FIELDS = ("route_key", "wire_id", "provider", "api", "base_url", "capabilities", "cost",
                     "context_window", "max_tokens", "reasoning", "input_modalities")


@dataclass(frozen=True)
class Resolution:
    """A name resolved: known or not, how it matched, the canonical model and
    the routes the name reaches (every route of the model when it names the model)."""

    name: ResolvedName
    #: The canonical id; for an unknown name, the name itself (unmapped names pass through).
    canonical_id: str
    display_name: Optional[str]
    generation: str
    tier: str
    status: Optional[str]
    #: Preferred first.
    routes: List[ResolvedRoute]
    #: What `regdb resolve` prints on stderr: a deprecated model, a model without routes, an unknown name under warn.
    warnings: List[str] = field(default_factory=list)
    #: Why the first route is the one the name means; None when unknown.
    chosen_because: Optional[str] = None

    @property
    def known(self) -> bool:
        return self.name.known

    @property
    def match(self) -> Optional[str]:
        return self.name.match

    @staticmethod
    def unknown(name: str) -> "Resolution":
        return Resolution(name=ResolvedName.unknown(name), canonical_id=name, display_name=None, generation=name,
                          tier="standard", status=None, routes=[])

    def to_json(self) -> Dict[str, Any]:
        """The model, then the preferred route's fields (null when there is none), then every route."""
        preferred = self.routes[0].to_json() if self.routes else {}
        result: Dict[str, Any] = {
            "name": self.name.input, "known": self.known, "match": self.name.match,
            "chosen_because": self.chosen_because, "canonical_id": self.canonical_id, "display_name": self.display_name, "generation": self.generation,
            "tier": self.tier, "status": self.status,
        }
        for name in _PREFERRED_FIELDS:
            result[name] = preferred.get(name)
        result["routes"] = [route.to_json() for route in self.routes]
        return result


def routes_of_model(db: sqlite3.Connection, model: str) -> List[ResolvedRoute]:
    """`resolved_routes` rows of a model, preferred first (`route_preference`)."""
    return [ResolvedRoute.from_row(row) for row in db.execute(
        "SELECT rr.* FROM route_preference rp JOIN resolved_routes rr ON rr.route_key = rp.route_key "
        "WHERE rp.model_id = ? ORDER BY rp.rank", (model,))]


def chosen_because(db: sqlite3.Connection, resolved: ResolvedName, model: str, routes: Sequence[str]) -> Optional[str]:
    """Why the first of `routes` is the route the name means: it reaches it alone, or it comes
    first in `route_preference` over the next (the view `route_choice` says why)."""
    if not routes:
        return None
    if len(routes) == 1:
        if len(resolved.route_keys) == 1:
            return f"the name reaches this route alone ({resolved.match or 'name'})"
        return f"the only route of {model}"
    # model_id first: route_preference's partition, so only this model's routes are ranked.
    row = db.execute("SELECT reason FROM route_choice WHERE model_id = ? AND route_key = ? AND over = ?",
                     (model, routes[0], routes[1])).fetchone()
    return None if row is None else row[0]


def routes_by_key(db: sqlite3.Connection, keys: Sequence[str]) -> List[ResolvedRoute]:
    """`resolved_routes` rows of route keys, in the order given."""
    rows = (db.execute("SELECT * FROM resolved_routes WHERE route_key = ?", (key,)).fetchone() for key in keys)
    return [ResolvedRoute.from_row(row) for row in rows if row is not None]


def unresolved(db: sqlite3.Connection, resolved: ResolvedName, suggest: bool = True) -> RegDBError:
    """The error for a name that resolved to no single model."""
    if resolved.ambiguous:
        return Ambiguous(resolved.input, resolved.candidates)
    return NotFound(resolved.input, suggestions(db, resolved.input) if suggest else [])


def resolve(db: sqlite3.Connection, name: str, suggest: bool = True) -> Resolution:
    """Resolves any name a caller writes; NotFound or Ambiguous when it reaches no single model."""
    resolved = resolve_name(name, SQLNameIndex(db))
    model = resolved.model_id
    if model is None:
        raise unresolved(db, resolved, suggest)
    if resolved.route_keys:
        routes = routes_by_key(db, resolved.route_keys)
    else:
        routes = routes_of_model(db, model)
    row = db.execute("SELECT name, ifnull(generation, id) AS generation, ifnull(tier, 'standard') AS tier, status "
                     "FROM model WHERE id = ?", (model,)).fetchone()
    return Resolution(name=resolved, canonical_id=model, display_name=row["name"] if row else None,
                      generation=row["generation"] if row else model, tier=row["tier"] if row else "standard",
                      status=row["status"] if row else None, routes=routes,
                      chosen_because=chosen_because(db, resolved, model, [r.route_key for r in routes]))


def routes_of(db: sqlite3.Connection, name: str) -> List[ResolvedRoute]:
    """Every route of the model a name resolves to, preferred first."""
    resolved = resolve_name(name, SQLNameIndex(db))
    if resolved.model_id is None:
        raise unresolved(db, resolved)
    return routes_of_model(db, resolved.model_id)


def lifecycle_warnings(db: sqlite3.Connection, resolution: Resolution) -> List[str]:
    """A warning for a deprecated model, naming its successor."""
    if not resolution.known:
        return []
    row = db.execute("SELECT status, successor_id, deprecation_date FROM model WHERE id = ?",
                     (resolution.canonical_id,)).fetchone()
    if row is None or row["status"] != "deprecated":
        return []
    since = f" since {row['deprecation_date']}" if row["deprecation_date"] is not None else ""
    successor = f"; use {row['successor_id']} instead" if row["successor_id"] is not None else "; it names no successor"
    return [f"warning: model {resolution.canonical_id} is deprecated{since}{successor}"]


def _parse(text: Optional[str]) -> Any:
    """A JSON column decoded; None when it is NULL or not JSON."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _number(value: Any) -> Optional[float]:
    """A JSON number as a float (Swift's `doubleValue`); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
