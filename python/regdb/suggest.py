"""The closest known names to an unknown one, for error messages and the unknown-model policy."""

from __future__ import annotations

import sqlite3
import unicodedata
from typing import List


#: Names longer than this (characters, as Swift counts them) get no suggestions.
LONGEST_SUGGESTED = 256


def suggestions(db: sqlite3.Connection, name: str, limit: int = 3, always: bool = False) -> List[str]:
    """Known keys, route keys and model ids closest to `name`, never the name itself.
    Unless `always`, only names close enough to be a likely typo."""
    names = [row[0] for row in db.execute(
        "SELECT key FROM route_category UNION SELECT route_key FROM route UNION SELECT id FROM model")]
    lowered_name = name.lower()
    needle = characters(lowered_name)
    if len(needle) > LONGEST_SUGGESTED:  # no model name is this long: no suggestions, as the CLI
        return []
    threshold = max(2, len(needle) // 2)
    scored = []
    for candidate in names:
        lowered = candidate.lower()
        if lowered == lowered_name:
            continue
        contains = bool(lowered_name) and lowered_name in lowered
        letters = characters(lowered)
        # The edit distance is at least the difference in length: most names need no comparing.
        if not always and not contains and abs(len(letters) - len(needle)) > threshold:
            continue
        distance = edit_distance(needle, letters)
        if always or distance <= threshold or contains:
            scored.append((distance, candidate))
    scored.sort()
    return [candidate for _, candidate in scored[:limit]]


def characters(text: str) -> List[str]:
    """`text` as the characters a reader sees, as Swift counts them: a combining mark, a
    variation selector, an emoji modifier or what a zero-width joiner joins belongs to the
    character before it (a close approximation of Unicode's grapheme clusters)."""
    result: List[str] = []
    for c in text:
        joined = result and result[-1].endswith("\u200d")
        modifier = unicodedata.category(c) in ("Mn", "Mc", "Me") or 0x1F3FB <= ord(c) <= 0x1F3FF
        if result and (joined or modifier or c == "\u200d"):
            result[-1] += c
        else:
            result.append(c)
    return result


def edit_distance(a: List[str], b: List[str]) -> int:
    """Levenshtein distance between two sequences of characters."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
        previous = current
    return previous[len(b)]
