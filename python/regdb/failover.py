"""The next route to try after one failed, chosen as `regdb failover` chooses
it (Swift's `Registry+Failover`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .errors import ExpectedRoute, NoFailover, NoRoute
from .names import SQLNameIndex, resolve_name
from .resolve import ResolvedRoute, routes_by_key, routes_of_model, unresolved

SAME_CANONICAL = "same canonical id"
SAME_GENERATION = "same generation"
DOWNGRADE = "generation downgrade"

_RELATION_RANK = {SAME_CANONICAL: 0, SAME_GENERATION: 1, DOWNGRADE: 2}

#: Health of a route without outcomes for the unit.
NEUTRAL_HEALTH = 0.5


@dataclass(frozen=True)
class FailoverDecision:
    """The route chosen after `from_route` failed, and why."""

    from_route: ResolvedRoute
    to: ResolvedRoute
    #: "same canonical id", "same generation" or "generation downgrade".
    relation: str
    #: Success rate estimate of `to` for the unit: (successes + 1) / (outcomes + 2).
    health: float
    #: Generations stepped down by `generation_rank` (negative: up); None when either is unranked.
    steps: Optional[int]
    #: Every candidate, best first: the route keys failover would try in turn.
    order: List[str] = field(default_factory=list)
    #: The generation_downgrade event recorded in `failover_event` (and printed on stderr by the CLI); None when none.
    event: Optional[Dict[str, Any]] = None

    def to_json(self) -> Dict[str, Any]:
        """The object `regdb failover --format json` prints."""
        return {"route_key": self.to.route_key, "canonical_id": self.to.canonical_id,
                "generation": self.to.generation, "tier": self.to.tier, "reason": self.relation,
                "health": self.health}


@dataclass(frozen=True)
class _Candidate:
    """A route failover may offer: how its model relates to the failed one, and its generation rank."""

    relation: str
    rank: Optional[int]
    route: ResolvedRoute


def failover(db: sqlite3.Connection, route: str, unit: str, failed: Sequence[str], pinned: bool) -> FailoverDecision:
    """Picks the next route to try after `route` failed for `unit`.

    Candidates are the other routes of the same canonical model, of the same
    generation, and of the same family (with `pinned`, of the canonical model
    only); never one in `failed`. Order: same canonical id, then same
    generation, then other generations, the nearest older first, then newer
    ones, then unranked ones; within each, routes of the same tier first, then
    priority (lower first, none last), then health for the unit, then route key.
    Recording the decision's event is left to the caller, who can write."""
    index = SQLNameIndex(db)
    resolved = resolve_name(route, index)
    model = resolved.model_id
    if model is None:
        raise unresolved(db, resolved)
    found = routes_by_key(db, resolved.route_keys) if len(resolved.route_keys) == 1 else []
    if not found:
        raise ExpectedRoute(route, model, index.route_keys(model))
    current = found[0]
    me = db.execute("SELECT family, ifnull(generation, id) AS generation, generation_rank FROM model WHERE id = ?",
                    (current.canonical_id,)).fetchone()
    if me is None:
        raise NoRoute(current.canonical_id)
    current_rank = me["generation_rank"]
    related: List[Tuple[str, str, Optional[int]]] = [(current.canonical_id, SAME_CANONICAL, current_rank)]
    if not pinned:
        for row in db.execute("""
            SELECT id, ifnull(generation, id) = ?2 AS same, generation_rank FROM model
            WHERE id <> ?1 AND (generation = ?2 OR (?3 IS NOT NULL AND family = ?3))
            ORDER BY id
            """, (current.canonical_id, me["generation"], me["family"])):
            related.append((row["id"], SAME_GENERATION if row["same"] else DOWNGRADE, row["generation_rank"]))
    health = {row["route_key"]: (row["successes"] + 1) / (row["total"] + 2) for row in db.execute(
        "SELECT route_key, successes, total FROM metrics_by_route WHERE unit = ?", (unit,))}
    excluded = set(failed) | {current.route_key, route}

    def distance(rank: Optional[int]) -> Tuple[int, int]:
        """Other generations: the nearest older first, then newer ones nearest first, then unranked ones."""
        if current_rank is None or rank is None:
            return (2, 0)
        return (0, current_rank - rank) if rank <= current_rank else (1, rank - current_rank)

    def order(candidate: _Candidate) -> tuple:
        route = candidate.route
        generations = distance(candidate.rank) if candidate.relation == DOWNGRADE else (0, 0)
        return (_RELATION_RANK[candidate.relation], generations, route.tier != current.tier, route.priority is None,
                route.priority or 0, -health.get(route.route_key, NEUTRAL_HEALTH), route.route_key)

    candidates = [_Candidate(relation, rank, candidate)
                  for model_id, relation, rank in related for candidate in routes_of_model(db, model_id)
                  if candidate.route_key not in excluded]
    ordered = sorted(candidates, key=order)
    if not ordered:
        scope = (f"pinned to canonical id {current.canonical_id}" if pinned
                 else f"canonical id {current.canonical_id}, its generation or family")
        raise NoFailover(f"no route left to fail over to from {current.route_key} ({scope}); "
                         f"excluded: {', '.join(sorted(excluded))}")
    choice = ordered[0]
    steps = (current_rank - choice.rank if choice.relation == DOWNGRADE and current_rank is not None
             and choice.rank is not None else None)
    event = None
    if choice.relation == DOWNGRADE:
        event = {"event": "generation_downgrade", "unit": unit, "from_route": current.route_key,
                 "to_route": choice.route.route_key, "from_canonical": current.canonical_id,
                 "to_canonical": choice.route.canonical_id, "from_generation": current.generation,
                 "to_generation": choice.route.generation, "steps": steps}
    return FailoverDecision(from_route=current, to=choice.route, relation=choice.relation,
                            health=health.get(choice.route.route_key, NEUTRAL_HEALTH), steps=steps,
                            order=[c.route.route_key for c in ordered], event=event)


def record_event(db: sqlite3.Connection, event: Dict[str, Any], at: str) -> None:
    """Adds a generation_downgrade event to `failover_event`."""
    db.execute("""
        INSERT INTO failover_event (at, event, unit, from_route, to_route, from_canonical, to_canonical,
                                    from_generation, to_generation, steps)
        VALUES (?, 'generation_downgrade', ?, ?, ?, ?, ?, ?, ?, ?)
        """, (at, event["unit"], event["from_route"], event["to_route"], event["from_canonical"],
              event["to_canonical"], event["from_generation"], event["to_generation"], event["steps"]))
