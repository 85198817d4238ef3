"""regdb: the AI model registry's answers in pure Python.

`Registry(path)` opens a registry built by the `regdb` CLI and answers what
`regdb resolve`, `get`, `list`, `cost`, `failover`, `routes` and `metrics`
answer, with the same results (`to_json()` equals the CLI's `--format json`)
and the same error messages. Standard library only.
"""

from .browse import ListedRoute, Price, RouteDocument
from .cost import CostLine, CostQuote
from .errors import (Ambiguous, DatabaseError, DatabaseMissing, ExpectedRoute, IntegrityBroken, NoFailover, NoRoute, NotARegistry,
                     NotFound, OutcomeNotRecorded, PricingError, RegDBError, SchemaVersion, UnknownModel,
                     UnknownValue, UsageError)
from .failover import FailoverDecision
from .metrics import MetricsReport, OutcomeCounts
from .names import NameRow, ResolvedName
from .registry import Policy, Registry, UnknownModelWarning
from .resolve import Resolution, ResolvedRoute, RouteCost
from .results import Results

__version__ = "0.2.0"

__all__ = [
    "Ambiguous", "CostLine", "CostQuote", "DatabaseError", "DatabaseMissing", "ExpectedRoute", "FailoverDecision",
    "IntegrityBroken",
    "ListedRoute", "MetricsReport", "NameRow", "NoFailover", "NoRoute", "NotARegistry", "NotFound",
    "OutcomeCounts", "OutcomeNotRecorded", "Policy", "Price", "PricingError", "RegDBError", "Registry",
    "Resolution", "ResolvedName", "ResolvedRoute", "Results", "RouteCost", "RouteDocument", "SchemaVersion",
    "UnknownModel", "UnknownModelWarning", "UnknownValue", "UsageError",
]
