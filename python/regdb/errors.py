"""Every error the package raises: the cases of Swift's `RegDBError`.

`str(error)` is the one line `regdb` prints for it, without a leading
"error: "; `error.line` is that line exactly as the CLI prints it (for a
`UsageError`, the first line of what it prints), and
`error.exit_code` the CLI's exit status (1, 3 for `UnknownModel`, 64 for
`UsageError`).
"""

from __future__ import annotations

from typing import Sequence


class RegDBError(Exception):
    """Base of every regdb error."""

    exit_code = 1

    def __init__(self, line: str, message: str | None = None):
        self.line = line
        if message is None:
            message = line[len("error: "):] if line.startswith("error: ") else line
        super().__init__(message)


class DatabaseMissing(RegDBError):
    """No registry file where one is needed."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(f"{path}: error: no registry here; create it with: regdb import seeds/*.json")


class NotARegistry(RegDBError):
    """An SQLite file, but not a regdb registry."""

    def __init__(self, path: str, application_id: int):
        self.path = path
        self.application_id = application_id
        super().__init__(f"{path}: error: not a regdb registry (application_id {application_id}); pass another file with --db")


class SchemaVersion(RegDBError):
    """A registry of another schema version (this package upgrades none in place)."""

    def __init__(self, path: str, found: int, supported: int):
        self.path = path
        self.found = found
        self.supported = supported
        if found > supported:
            line = f"{path}: error: schema version {found} is newer than this regdb understands ({supported}); upgrade regdb"
        else:
            line = (f"{path}: error: schema version {found} is older than this package's ({supported}); "
                    f"the regdb CLI upgrades it in place (regdb check --db {path}), or rebuild it: "
                    f"rm {path} && regdb import seeds/*.json")
        super().__init__(line)


class DatabaseError(RegDBError):
    """SQLite refused something regdb did not expect it to refuse."""

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: error: {message}")


class NotFound(RegDBError, LookupError):
    """No route, key or model has the name."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()):
        self.name = name
        self.suggestions = list(suggestions)
        hint = "; did you mean " + ", ".join(f'"{s}"' for s in suggestions) + "?" if suggestions else ""
        super().__init__(f'error: no model or route named "{name}"{hint}')


class Ambiguous(RegDBError, LookupError):
    """The name reaches several models (or routes where one is needed)."""

    def __init__(self, name: str, candidates: Sequence[str]):
        self.name = name
        self.candidates = list(candidates)
        super().__init__(f'error: "{name}" is ambiguous: it names {len(candidates)} things: {"; ".join(candidates)}; '
                         "give a route key, a canonical id or --category")


class NoRoute(RegDBError):
    """A model the registry knows that no route calls yet."""

    def __init__(self, model: str):
        self.model = model
        super().__init__(f'error: model "{model}" is in the registry but no route calls it yet; '
                         'add one to its seed ("routes": [{"route": "PROVIDER/WIRE_ID"}])')


class IntegrityBroken(RegDBError):
    """A row breaks a rule of the schema (written with CHECK constraints off): `regdb check` names it."""

    def __init__(self, message: str):
        super().__init__(f"error: [integrity] {message}")


class PricingError(RegDBError):
    """A cost asked in units the route is not priced in, without a needed variant, and the like."""

    def __init__(self, message: str):
        super().__init__(f"error: {message}")


class UnknownValue(RegDBError, ValueError):
    """A filter or option names a category, provider, status or unit the registry does not
    have: bad usage (CLI exit 64)."""

    exit_code = 64

    def __init__(self, kind: str, value: str, known: Sequence[str]):
        self.kind = kind
        self.value = value
        self.known = list(known)
        super().__init__(f'error: unknown {kind} "{value}"; known: {", ".join(known)}')


class UnknownModel(RegDBError):
    """The enforce policy refused a model the registry does not know (CLI exit 3)."""

    exit_code = 3

    def __init__(self, name: str, suggestions: Sequence[str]):
        self.name = name
        self.suggestions = list(suggestions)
        hint = "; closest known: " + ", ".join(suggestions) if suggestions else ""
        super().__init__(f'error: unknown model "{name}" refused by policy enforce{hint} '
                         "(let one call through with --allow-unknown)")


class ExpectedRoute(RegDBError):
    """A model name where a route key is needed."""

    def __init__(self, name: str, model: str, routes: Sequence[str]):
        self.name = name
        self.model = model
        self.routes = list(routes)
        listing = "its routes: " + ", ".join(routes) if routes else "it has no routes yet"
        what = "is a canonical model id" if name == model else f"names the model {model}, not one route"
        super().__init__(f'error: "{name}" {what}; give a route key PROVIDER/WIRE_ID instead ({listing})')


class NoFailover(RegDBError):
    """No candidate route is left to fail over to."""

    def __init__(self, message: str):
        super().__init__(f"error: {message}")


class OutcomeNotRecorded(RegDBError):
    """An outcome count that would overflow the unit's counters."""

    def __init__(self, message: str):
        super().__init__(f"error: {message}")


class UsageError(RegDBError, ValueError):
    """An argument the CLI rejects before running (exit 64): a bad date, quantity, count or policy."""

    exit_code = 64

    def __init__(self, message: str):
        super().__init__("Error: " + message, message)
