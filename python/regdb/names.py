"""Name resolution: the one resolver every question goes through, ported from
Swift's `NameResolver` and `NameRules` (Sources/RegDB/Identity/).

Levels 1-4 are rows of schema.sql's `model_name` view (1 route key,
2 canonical id or category key, 3 alias, 4 wire id); this module adds
5 provider scope (`anthropic/claude-sonnet-4`), 6 the name in another case,
and 7 the name reduced by the `name_rule` table (`us.anthropic.…-v1:0`).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Tuple


@dataclass(frozen=True)
class NameRow:
    """One row of the `model_name` view: a name, what it reaches and how."""

    name: str
    #: Lower wins: 1 route key, 2 canonical id or category key, 3 alias, 4 wire id.
    precedence: int
    match: str
    model_id: str
    #: The route the name reaches; None when it names the model.
    route_key: Optional[str]
    #: The category of a category key.
    category: Optional[str]


@dataclass(frozen=True)
class ResolvedName:
    """What a name resolved to, the same for every question."""

    #: The name as the caller wrote it.
    input: str
    #: route_key, canonical_id, category_key, alias, wire_id, provider_scope, case or normalized; None when unknown.
    match: Optional[str]
    #: 1-4 as in `model_name`; 5 provider scope; 6 another case; 7 reduced by `name_rule`.
    precedence: Optional[int]
    #: The spelling that matched (the input, or what it reduced to).
    spelling: Optional[str]
    #: The canonical model; None when unknown or ambiguous.
    model_id: Optional[str]
    #: The routes the name itself reaches, preferred first; empty when it names the model.
    route_keys: Tuple[str, ...] = ()
    #: Every row at the deciding precedence: the candidates when ambiguous.
    rows: Tuple[NameRow, ...] = ()

    @property
    def known(self) -> bool:
        return self.model_id is not None

    @property
    def ambiguous(self) -> bool:
        return self.model_id is None and bool(self.rows)

    @property
    def candidates(self) -> List[str]:
        """The candidates of an ambiguous name, one each: `route or model (how it matched, model M)`."""
        seen: List[str] = []
        for row in self.rows:
            target = row.route_key if row.route_key is not None else row.model_id
            where = f" in {row.category}" if row.category is not None else ""
            text = f"{target} ({row.match}{where}, model {row.model_id})"
            if text not in seen:
                seen.append(text)
        return seen

    @staticmethod
    def unknown(name: str) -> "ResolvedName":
        return ResolvedName(input=name, match=None, precedence=None, spelling=None, model_id=None)


#: One GLOB token: a `[…]` class, else one byte. The class ends at the first `]` after its first
#: member (so a `]` first is a member); a `^` right after `[` always negates; a `[` that no `]`
#: closes is itself.
_GLOB_TOKEN = re.compile(rb"\[(\^|(?!\^))(.[^]]*)\]|.", re.DOTALL)
#: One member of a class: a byte, or a range `a-z` (never ending at the class's `]`).
_CLASS_MEMBER = re.compile(rb"(.)(?:-(.))?", re.DOTALL)


class GlobPattern:
    """A GLOB pattern compiled once, matched on bytes: literal bytes, `?`, `[…]` classes of bytes
    (`[0-9]`, `[^a-z]`; `[z-a]` reads as `[a-z]`) and `*`, as Swift's `GlobPattern` reads them."""

    def __init__(self, pattern: str):
        #: Per token, a regular expression of the one byte it takes; None for `*`.
        self._tokens: List[Optional["re.Pattern[bytes]"]] = []
        for token in _GLOB_TOKEN.finditer(pattern.encode("utf-8")):
            negation, members = token.groups()
            if members is not None:
                ranges = b""
                for first, last in _CLASS_MEMBER.findall(members):
                    low, high = sorted((first, last or first))
                    ranges += rb"\x%02x-\x%02x" % (ord(low), ord(high))
                part = b"[" + negation + ranges + b"]"
            elif token.group() == b"*":
                self._tokens.append(None)
                continue
            else:
                part = b"." if token.group() == b"?" else re.escape(token.group())
            self._tokens.append(re.compile(part, re.DOTALL))
        #: The length of every match, when the pattern has no `*`.
        self.width: Optional[int] = None if None in self._tokens else len(self._tokens)

    def matches(self, text: bytes) -> bool:
        """Whether the whole of `text` matches: one pass with one point to go back to (the last
        `*`), so many stars take time in proportion to pattern × text, never exponential."""
        tokens, token, at, last_star, resume_at = self._tokens, 0, 0, -1, 0
        while at < len(text):
            if token < len(tokens) and tokens[token] is None:
                last_star, resume_at, token = token, at, token + 1
            elif token < len(tokens) and tokens[token].fullmatch(text, at, at + 1):
                token, at = token + 1, at + 1
            elif last_star >= 0:
                # The last star takes one byte more; the tokens after it start again from there.
                resume_at += 1
                token, at = last_star + 1, resume_at
            else:
                return False
        return all(t is None for t in tokens[token:])

    def shortest_match(self, text: bytes, leading: bool) -> Optional[int]:
        """Length of the shortest leading (or trailing) part of `text` the pattern matches."""
        if not text:
            return None
        if self.width is not None:  # no `*`: one length to try
            start = 0 if leading else len(text) - self.width
            return self.width if self.width <= len(text) and self.matches(text[start:start + self.width]) else None
        for length in range(1, len(text) + 1):
            if self.matches(text[:length] if leading else text[len(text) - length:]):
                return length
        return None


class NameRules:
    """How a name reduces to a spelling the registry knows: the `name_rule` table."""

    def __init__(self, rules: Sequence[Tuple[str, str]]):
        #: (kind, pattern) pairs in the order they apply.
        self.rules = list(rules)
        self._compiled = [(kind, GlobPattern(pattern)) for kind, pattern in self.rules]

    @staticmethod
    def load(db: sqlite3.Connection) -> "NameRules":
        return NameRules(db.execute("SELECT kind, pattern FROM name_rule ORDER BY position, kind, pattern").fetchall())

    def spellings(self, name: str) -> List[str]:
        """The spellings `name` reduces to, most specific first: without its
        prefixes and suffixes, then also without a snapshot date. Lower-cased;
        empty when no rule applies."""
        lowered = name.lower()
        result: List[str] = []
        for spelling in self._reduce(lowered):
            if spelling != lowered and spelling and spelling not in result:
                result.append(spelling)
        return result

    def _reduce(self, name: str) -> Tuple[str, str]:
        data = name.encode("utf-8")
        for kind, pattern in self._compiled:
            if kind == "prefix":
                length = pattern.shortest_match(data, leading=True)
                if length is not None and length < len(data):
                    data = data[length:]
        for kind, pattern in self._compiled:
            if kind == "suffix":
                length = pattern.shortest_match(data, leading=False)
                if length is not None and length < len(data):
                    data = data[:len(data) - length]
        dateless = data
        for kind, pattern in self._compiled:
            if kind == "snapshot":
                length = pattern.shortest_match(data, leading=False)
                if length is not None and length < len(data):
                    dateless = data[:len(data) - length]
                    break
        return data.decode("utf-8", "replace"), dateless.decode("utf-8", "replace")


class SQLNameIndex:
    """The registry's names, read with the indexed queries Swift's `SQLNameIndex` uses."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self._rules: Optional[NameRules] = None

    def rules(self) -> NameRules:
        if self._rules is None:
            self._rules = NameRules.load(self.db)
        return self._rules

    def rows(self, name: str, any_case: bool) -> List[NameRow]:
        # The unary plus keeps SQLite on the NOCASE indexes for an exact lookup (see schema.sql).
        where = "name = ?1 COLLATE NOCASE" if any_case else "name = ?1 COLLATE NOCASE AND +name = ?1"
        rows = [NameRow(*row) for row in self.db.execute(
            f"SELECT name, precedence, match, model_id, route_key, category FROM model_name WHERE {where}", (name,))]
        rows.sort(key=lambda r: (r.precedence, r.route_key or "", r.category or ""))
        return rows

    def is_provider(self, provider_id: str) -> bool:
        return self.db.execute("SELECT EXISTS (SELECT 1 FROM provider WHERE id = ?)", (provider_id,)).fetchone()[0] == 1

    def route_keys(self, model: str, provider: Optional[str] = None) -> List[str]:
        """Route keys of a model, preferred first (the `route_preference` view), on one provider or all."""
        return [row[0] for row in self.db.execute(
            "SELECT route_key FROM route_preference WHERE model_id = ?1 AND (?2 IS NULL OR provider_id = ?2) "
            "ORDER BY rank", (model, provider))]


def resolve_name(name: str, index: SQLNameIndex, category: Optional[str] = None) -> ResolvedName:
    """Resolves `name` through levels 1 to 7; an unknown name has no model and no rows."""
    found = _attempt(name, name, False, category, index)
    if found is not None:
        return found
    found = _attempt(name, name, True, category, index)
    if found is not None:
        return replace(found, match="case", precedence=6)
    for spelling in index.rules().spellings(name):
        found = _attempt(name, spelling, True, category, index)
        if found is not None:
            return replace(found, match="normalized", precedence=7)
    return ResolvedName.unknown(name)


def _attempt(name: str, spelling: str, any_case: bool, category: Optional[str],
             index: SQLNameIndex) -> Optional[ResolvedName]:
    """Levels 1-5 for one spelling."""
    rows = index.rows(spelling, any_case)
    if category is not None:
        rows = [r for r in rows if not (r.match == "category_key" and r.category != category)]
    decided = decide(name, spelling, rows)
    if decided is not None:
        return preferring(decided, index)
    # 5: provider/name, the name resolved on that provider's routes.
    slash = spelling.find("/")
    if slash < 0:
        return None
    provider, rest = spelling[:slash], spelling[slash + 1:]
    if not rest or not index.is_provider(provider):
        return None
    inner = [r for r in index.rows(rest, any_case) if r.precedence >= 2]
    found = decide(name, spelling, inner)
    if found is None or found.model_id is None:
        return None
    # A name reaching routes keeps those on the provider; a model name reaches the provider's preferred route.
    routes = [key for key in found.route_keys if key.startswith(provider + "/")]
    if not routes:
        routes = index.route_keys(found.model_id, provider)[:1]
    if not routes:
        return None
    scoped = tuple(NameRow(spelling, 5, "provider_scope", found.model_id, key, None) for key in routes)
    return ResolvedName(input=name, match="provider_scope", precedence=5, spelling=spelling,
                        model_id=found.model_id, route_keys=tuple(routes), rows=scoped)


def preferring(found: ResolvedName, index: SQLNameIndex) -> ResolvedName:
    """`found` with the routes it reaches in its model's order (`route_preference`): several
    routes of one model mean the preferred one first, the maker's before a reseller's."""
    if len(found.route_keys) < 2 or found.model_id is None:
        return found
    rank = {key: i for i, key in enumerate(index.route_keys(found.model_id))}
    ordered = sorted(found.route_keys, key=lambda key: (rank.get(key, len(rank)), key.encode("utf-8")))
    return replace(found, route_keys=tuple(ordered))


def decide(name: str, spelling: str, rows: Sequence[NameRow]) -> Optional[ResolvedName]:
    """The rows at the lowest precedence: one model, or ambiguous."""
    if not rows:
        return None
    best = min(r.precedence for r in rows)
    deciding = [r for r in rows if r.precedence == best]
    models = {r.model_id for r in deciding}
    # A row naming the model itself (its canonical id) reaches the model, not the routes beside it.
    reaches_routes = all(r.route_key is not None for r in deciding)
    route_keys = tuple(dict.fromkeys(r.route_key for r in deciding)) if reaches_routes else ()
    single = len(models) == 1
    return ResolvedName(input=name, match=deciding[0].match, precedence=best, spelling=spelling,
                        model_id=deciding[0].model_id if single else None,
                        route_keys=route_keys if single else (), rows=tuple(deciding))
