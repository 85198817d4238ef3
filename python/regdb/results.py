"""A list of typed results that prints as the CLI's JSON array."""

from __future__ import annotations

from typing import Any, List, TypeVar

T = TypeVar("T")


class Results(List[T]):
    """The rows or documents of one answer, in the CLI's order."""

    def to_json(self) -> List[Any]:
        """The array `--format json` prints: each item's `to_json()`."""
        return [item.to_json() for item in self]  # type: ignore[attr-defined]
