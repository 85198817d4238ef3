"""Dates and times of price validity, read and written as `regdb` does (Swift's `PriceDate`).

A date alone means midnight UTC and is stored as the date; a time is stored
as `YYYY-MM-DDTHH:MM:SSZ` in UTC. Parsing is by hand rather than with
`datetime.fromisoformat` so that exactly the CLI's forms are accepted.
"""

from __future__ import annotations

import time
from typing import Optional

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in(month: int, year: int) -> int:
    if month == 2 and ((year % 4 == 0 and year % 100 != 0) or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def epoch_seconds(text: str) -> Optional[int]:
    """Seconds since 1970 of `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]`
    (a space may stand for the T; no zone means UTC), or None."""
    chars = text.encode("utf-8")

    def digits(start: int, count: int) -> Optional[int]:
        if start + count > len(chars):
            return None
        value = 0
        for c in chars[start:start + count]:
            if not 48 <= c <= 57:
                return None
            value = value * 10 + c - 48
        return value

    if len(chars) < 10 or chars[4] != 45 or chars[7] != 45:
        return None
    year, month, day = digits(0, 4), digits(5, 2), digits(8, 2)
    if year is None or month is None or day is None or not 1 <= month <= 12 or not 1 <= day <= _days_in(month, year):
        return None
    seconds = _days(year, month, day) * 86_400
    if len(chars) == 10:
        return seconds
    if chars[10] not in (84, 32):
        return None
    hour = digits(11, 2)
    if hour is None or len(chars) < 16 or chars[13] != 58:
        return None
    minute = digits(14, 2)
    if minute is None or hour >= 24 or minute >= 60:
        return None
    seconds += hour * 3600 + minute * 60
    at = 16
    if at < len(chars) and chars[at] == 58:
        second = digits(at + 1, 2)
        if second is None or second >= 60:
            return None
        seconds += second
        at += 3
        if at < len(chars) and chars[at] == 46:
            at += 1
            start = at
            while at < len(chars) and 48 <= chars[at] <= 57:
                at += 1
            if at == start:
                return None
    if at >= len(chars):
        return seconds
    if chars[at] == 90:
        return seconds if at + 1 == len(chars) else None
    if chars[at] not in (43, 45) or at + 6 != len(chars) or chars[at + 3] != 58:
        return None
    offset_hours, offset_minutes = digits(at + 1, 2), digits(at + 4, 2)
    if offset_hours is None or offset_minutes is None or offset_hours >= 24 or offset_minutes >= 60:
        return None
    offset = offset_hours * 3600 + offset_minutes * 60
    return seconds - offset if chars[at] == 43 else seconds + offset


def _quotient(a: int, b: int) -> int:
    """Integer division truncating toward zero, as Swift divides (Python floors)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _days(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm)."""
    y = year - 1 if month <= 2 else year
    era = _quotient(y if y >= 0 else y - 399, 400)
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def iso(seconds: int) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` of a moment."""
    days, rest = divmod(seconds, 86_400)
    z = days + 719_468
    era = _quotient(z if z >= 0 else z - 146_096, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (1 if m <= 2 else 0)
    return f"{y:04d}-{m:02d}-{d:02d}T{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}Z"


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
