"""Dates and times of price validity, read and written as `regdb` does (Swift's `PriceDate`).

A date alone means midnight UTC and is stored as the date; a time is stored
as `YYYY-MM-DDTHH:MM:SSZ` in UTC. Parsing uses a pattern of exactly the CLI's
forms rather than `datetime.fromisoformat`, which accepts others.
"""

from __future__ import annotations

import datetime
import re
import time
from typing import Optional

#: `YYYY-MM-DD`, then optionally `THH:MM[:SS[.fff]]` (or a space for the T) and `Z` or `±HH:MM`; ASCII digits only.
_FORM = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
                   r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?(?:Z|([+-])([0-9]{2}):([0-9]{2}))?)?")
_EPOCH = datetime.datetime(1970, 1, 1)
_SECOND = datetime.timedelta(seconds=1)
#: The Gregorian calendar repeats every 400 years (146,097 days): `datetime` has no year 0
#: and no years past 9999, so such moments are read and written 400 years over.
_CYCLE_SECONDS = 146_097 * 86_400


def epoch_seconds(text: str) -> Optional[int]:
    """Seconds since 1970 of `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]`
    (a space may stand for the T; no zone means UTC; 24:00 and leap seconds are not
    times), or None."""
    found = _FORM.fullmatch(text)
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in found.group(1, 2, 3, 4, 5, 6))
    sign, offset_hours, offset_minutes = found.group(7), int(found.group(8) or 0), int(found.group(9) or 0)
    if offset_hours >= 24 or offset_minutes >= 60:
        return None
    try:
        moment = datetime.datetime(year or 400, month, day, hour, minute, second)
    except ValueError:  # no such day (Feb 29 of a common year) or time
        return None
    seconds = (moment - _EPOCH) // _SECOND - (_CYCLE_SECONDS if year == 0 else 0)
    offset = offset_hours * 3600 + offset_minutes * 60
    return seconds - offset if sign == "+" else seconds + offset


def iso(seconds: int) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` of a moment (a year before 0 signed, `-0001`; one after 9999 in full)."""
    cycles, within = divmod(seconds, _CYCLE_SECONDS)
    moment = _EPOCH + datetime.timedelta(seconds=within)
    year = moment.year + 400 * cycles
    return f"{'-' if year < 0 else ''}{abs(year):04d}-{moment:%m-%dT%H:%M:%S}Z"


def stored(seconds: int) -> str:
    """The stored form of a moment: the date when it is midnight UTC, else the full UTC time."""
    full = iso(seconds)
    return full[:10] if full.endswith("T00:00:00Z") else full


def now() -> int:
    """Now, in whole seconds since 1970."""
    return int(time.time())


def timestamp() -> str:
    """Now as ISO 8601 UTC, the form `regdb` writes in `last_seen`, `first_seen` and `at`."""
    return iso(now())
