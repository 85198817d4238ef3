"""What one call costs, priced as `regdb cost` prices it (Swift's `Registry+Cost`).

Money is `decimal.Decimal` in a context like Foundation's `Decimal` (38
significant digits, cut rather than rounded), so every line and total equals
the CLI's; `to_json()` rounds to 12 decimal places and gives floats, as the
CLI prints them.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import json
import math
import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import dates
from .browse import find
from .errors import Ambiguous, IntegrityBroken, PricingError, UnknownValue, UsageError

#: Foundation's `Decimal` keeps 38 significant digits and cuts the rest.
DECIMAL_CONTEXT = decimal.Context(prec=38, rounding=decimal.ROUND_DOWN, Emax=999999, Emin=-999999)

#: The friendly measures, in the CLI's option order: (measure, option).
MEASURES = (("seconds", "--seconds"), ("minutes", "--minutes"), ("images", "--images"),
            ("megapixels", "--megapixels"), ("characters", "--characters"), ("input_tokens", "--input-tokens"),
            ("output_tokens", "--output-tokens"), ("cache_read_tokens", "--cache-read-tokens"),
            ("cache_write_tokens", "--cache-write-tokens"))


@dataclass(frozen=True)
class CostLine:
    """One billed line: a unit (and variant) at one rate."""

    unit: str
    variant: Optional[str]
    #: Quantity billed on this line (tokens billed at a part's rate are not counted again here).
    quantity: Decimal
    #: USD per `per` units.
    rate: Decimal
    per: int
    #: The threshold of the row that set the rate, and the unit whose quantity passed it.
    threshold: Optional[Decimal]
    threshold_unit: Optional[str]
    usd: Decimal

    def to_json(self) -> Dict[str, Any]:
        return {"unit": self.unit, "variant": self.variant, "quantity": json_number(self.quantity),
                "rate": json_number(self.rate), "per": self.per,
                "threshold": json_number(self.threshold) if self.threshold is not None else None,
                "threshold_unit": self.threshold_unit, "usd": json_number(self.usd)}


@dataclass(frozen=True)
class CostQuote:
    """The price of one call, line by line."""

    route_key: str
    category: Optional[str]
    key: Optional[str]
    #: When the call was priced for: the stored form of `at`, or now.
    at: str
    variants: List[str]
    lines: List[CostLine]
    multiplier: Decimal
    #: Total in USD, exact in decimal.
    usd: Decimal
    #: Things worth knowing that do not stop the quote (a duration the route cannot produce).
    warnings: List[str] = field(default_factory=list)

    def to_json(self) -> Dict[str, Any]:
        """The object `regdb cost --format json` prints."""
        return {"category": self.category, "key": self.key, "route_key": self.route_key, "at": self.at,
                "variants": list(self.variants), "usd": json_number(self.usd),
                "multiplier": json_number(self.multiplier), "lines": [line.to_json() for line in self.lines],
                # What a provider's response reported that the route does not price (the CLI's
                # --usage-json); the package prices the usage it is given, so there is none.
                "unpriced": []}


def json_number(value: Decimal) -> float:
    """Dollars to 12 decimal places, as the float nearest that decimal (what the CLI prints)."""
    if value.as_tuple().exponent < -12:  # type: ignore[operator]
        value = value.quantize(Decimal("1e-12"), rounding=decimal.ROUND_HALF_UP, context=DECIMAL_CONTEXT)
    return float(value)


def decimal_text(value: Decimal) -> str:
    """A decimal as Foundation writes it in messages: plain digits, no exponent, no trailing zeros."""
    text = format(value.normalize(DECIMAL_CONTEXT), "f")
    return "0" if text in ("-0", "") else text


def quantity(value: Any, option: str) -> Decimal:
    """A quantity as the CLI reads one: a finite decimal from 0 to 10^15, kept exact; whole for
    the counting options (tokens, images, characters), as the CLI's options."""
    whole = option.endswith("tokens") or option in ("--images", "--characters")
    problem = f'{option} must be a {"whole " if whole else ""}number >= 0 and <= 1e15, not "{value}".'
    if isinstance(value, bool):
        raise UsageError(problem)
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(value) if isinstance(value, (int, str, Decimal)) else None
    except decimal.InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number > Decimal("1e15"):
        raise UsageError(problem)
    if whole and number != number.to_integral_value():
        raise UsageError(problem)
    return number


def at_text(at: Union[None, str, datetime.date, datetime.datetime]) -> Optional[str]:
    """`at` as the ISO text `regdb cost --at` takes: a string, a date, or a datetime (naive means UTC)."""
    if at is None or isinstance(at, str):
        return at
    if not isinstance(at, (datetime.date, datetime.datetime)):
        raise UsageError(f"at must be ISO 8601 text, a date or a datetime, not {type(at).__name__} {at!r}")
    if isinstance(at, datetime.datetime):
        if at.tzinfo is not None:
            at = at.astimezone(datetime.timezone.utc)
        return at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return at.isoformat()


class Usage:
    """What one call consumed, counted the way provider APIs report it:
    `input_tokens` is every prompt token, cached ones included; cache reads and
    writes are parts of it. Quantities by measure (the friendly options) and by
    unit (`usage`), the chosen variants, and when the call was made."""

    def __init__(self, measures: Mapping[str, Decimal], units: Mapping[str, Decimal], variants: Sequence[str],
                 at: Optional[str], resolution: Optional[str] = None, quality: Optional[str] = None,
                 image_sizes: Sequence[Tuple[int, int]] = (), images_per_size: int = 1):
        self.measures: Dict[str, Decimal] = dict(measures)
        self.units: Dict[str, Decimal] = dict(units)
        self.variants = list(variants)
        self.at = at
        #: The resolution (720p, 4K) and quality (low, high) asked for; None: the route's default.
        self.resolution = resolution
        self.quality = quality
        #: (width, height) of each output image: per megapixel, each bills its megapixels of
        #: 1,048,576 pixels rounded up, as fal bills them.
        self.image_sizes = list(image_sizes)
        #: How many output images each size stands for (4 images of 1024x1024): a count, not copies.
        self.images_per_size = images_per_size

    @property
    def is_token_call(self) -> bool:
        """Whether the call is described in tokens (token units not given are then zero)."""
        return any(m.endswith("_tokens") for m in self.measures) or any(u.endswith("_token") for u in self.units)

    def quantity(self, unit: str, measure: str) -> Optional[Decimal]:
        """The quantity of `unit` (of `measure`): by unit, else by measure; seconds and minutes convert."""
        if unit in self.units:
            return self.units[unit]
        if measure == "calls":
            return Decimal(1)
        if measure in self.measures:
            return self.measures[measure]
        if measure == "seconds" and "minutes" in self.measures:
            return DECIMAL_CONTEXT.multiply(self.measures["minutes"], Decimal(60))
        if measure == "minutes" and "seconds" in self.measures:
            return DECIMAL_CONTEXT.divide(self.measures["seconds"], Decimal(60))
        return None


@dataclass(frozen=True)
class _PriceRow:
    """One `price` row as pricing reads it, amounts in decimal."""

    unit: str
    measure: str
    variant: Optional[str]
    usd: Optional[Decimal]
    per: int
    above: Optional[Decimal]
    above_unit: Optional[str]
    above_bills: Optional[str]
    valid_from: Optional[str]
    valid_until: Optional[str]
    #: The same in Unix seconds, as `price_line` gives them.
    valid_from_s: Optional[int]
    valid_until_s: Optional[int]
    one_of: Optional[str]
    note: Optional[str]
    #: When the variant applies by itself (off-peak hours): the stored `window` JSON, or None.
    window: Optional[str] = None

    def in_window(self, seconds: int) -> bool:
        """Whether a call made at `seconds` (UTC) falls in the row's window, as the CLI reads it."""
        days, rest = divmod(seconds, 86_400)
        minute = rest // 60
        for ranges, weekdays, zone in _windows(self.window) or []:
            # 1970-01-01 was a Thursday; a zone reads the weekday on its own calendar.
            weekday = datetime.datetime.fromtimestamp(seconds, zone).isoweekday() if zone else (days + 3) % 7 + 1
            if weekdays is not None and weekday not in weekdays:
                continue
            if any(start <= minute < end if start < end else not end <= minute < start for start, end in ranges):
                return True
        return False

    def applies(self, seconds: int) -> bool:
        return (self.valid_from_s is None or seconds >= self.valid_from_s) and \
            (self.valid_until_s is None or seconds < self.valid_until_s)


def _minutes(text: str) -> Optional[int]:
    """"16:30" as 990; None when it is no time of day."""
    parts = [part for part in text.split(":") if part]
    if len(parts) != 2 or not all(len(p) == 2 and p.isascii() and p.isdigit() for p in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    return hours * 60 + minutes if hours < 24 and minutes < 60 else None


def _windows(text: Optional[str]) -> Optional[List[Tuple[List[Tuple[int, int]], Optional[set], Any]]]:
    """The windows of a stored `window` column, as Swift's `PriceWindow.parse` reads them: per
    window its UTC minute ranges (end exclusive, an end of 00:00 is midnight, an end before the
    start runs past midnight), ISO weekdays (None: every day) and the zone they are read in.
    None when any part does not read: then no window applies at all."""
    try:
        items = json.loads(text) if text is not None else None
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    windows = []
    for item in items:
        hours = item.get("hours_utc") if isinstance(item, dict) else None
        texts = [hours] if isinstance(hours, str) else hours
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            return None
        ranges = []
        for hours_text in texts:
            ends = [_minutes(end) for end in hours_text.split("-")]
            if len(ends) != 2 or None in ends:
                return None
            ranges.append((ends[0], ends[1] or 1440))
        weekdays = item.get("weekdays")
        if weekdays is not None:
            numbers = [d for d in weekdays if isinstance(d, (int, float)) and not isinstance(d, bool)
                       and math.isfinite(d) and 1 <= d < 8] if isinstance(weekdays, list) else None
            if numbers is None or len(numbers) != len(weekdays):
                return None
            weekdays = {int(d) for d in numbers}
        zone = item.get("weekday_timezone")
        if zone is not None:
            try:
                from zoneinfo import ZoneInfo
                zone = ZoneInfo(zone)
            except Exception:
                return None
        windows.append((ranges, weekdays, zone))
    return windows


def _parts_of(parts: Sequence[Tuple[str, str]]) -> Dict[str, List[str]]:
    """Each whole's parts, in `unit_part` order."""
    parts_of: Dict[str, List[str]] = {}
    for part, whole in parts:
        parts_of.setdefault(whole, []).append(part)
    return parts_of


def _descendants(parts_of: Mapping[str, List[str]], unit: str) -> List[str]:
    """Every unit counted inside `unit` (its parts, their parts…), nearest first."""
    seen: List[str] = []
    queue = list(parts_of.get(unit, []))
    while queue:
        following = queue.pop(0)
        if following in seen:
            continue
        seen.append(following)
        queue += parts_of.get(following, [])
    return seen


def _part_of_itself(parts: Sequence[Tuple[str, str]]) -> Optional[str]:
    """A unit that `unit_part` makes a part of itself (a hand edit), the first by name; None when none."""
    parts_of = _parts_of(parts)
    return next((unit for unit in sorted(parts_of) if unit in _descendants(parts_of, unit)), None)


def _stored_decimal(value: Optional[float]) -> Optional[Decimal]:
    """A stored REAL as the decimal it was written as (2.5e-06 is 0.0000025, not its binary neighbour)."""
    if value is None or not math.isfinite(value):
        return None
    return Decimal(repr(float(value)))


def _uniqued(items: Sequence[str]) -> List[str]:
    """The items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))


def option_for(unit: str, measure: str) -> str:
    """The option that gives a unit's quantity, for messages."""
    return {
        "seconds": f"--seconds (or --minutes, or --usage {unit}=N)",
        "minutes": "--minutes (or --seconds)",
        "input_tokens": "--input-tokens",
        "output_tokens": "--output-tokens",
        "cache_read_tokens": "--cache-read-tokens",
        "cache_write_tokens": "--cache-write-tokens",
        "images": "--images (or --usage image=N)",
        "megapixels": "--megapixels",
        "characters": "--characters",
    }.get(measure, f"--usage {unit}=N")


def describe_measure(measure: str) -> str:
    if measure in ("seconds", "minutes"):
        return "second or minute"
    return measure[:-1].replace("_", " ") if measure.endswith("s") else measure


#: Quality levels image APIs bill apart; whether a call makes sound.
_QUALITIES = {"low", "medium", "high", "xhigh", "max", "hd"}
_AUDIO = {"audio", "no_audio", "voice_control"}
#: fal's image_size presets and the pixels each gives.
IMAGE_SIZE_PRESETS = {"square_hd": (1024, 1024), "square": (512, 512), "portrait_4_3": (768, 1024),
                      "portrait_16_9": (576, 1024), "landscape_4_3": (1024, 768), "landscape_16_9": (1024, 576)}
MEGAPIXEL = 1 << 20


def split_labels(variant: str) -> List[str]:
    """The labels of a price variant: `1080p+audio` → [1080p, audio]."""
    return variant.split("+")


def dimension(label: str) -> str:
    """resolution (480p, 4K, 0.5K, 1920x1080), quality (low…high), audio, or other."""
    if label in _QUALITIES:
        return "quality"
    if label in _AUDIO:
        return "audio"
    if "x" in label:
        width, _, height = label.partition("x")
        return "resolution" if width.isdigit() and height.isdigit() else "other"
    if len(label) >= 2 and label[-1] in "pkK" and label[0].isdigit() and all(c.isdigit() or c == "." for c in label[:-1]):
        return "resolution"
    return "other"


_OPTION = {"resolution": "--resolution", "quality": "--quality", "audio": "--variant", "other": "--variant"}


def pixel_size(text: str) -> Optional[Tuple[int, int]]:
    """`1920x1080` as (1920, 1080); None unless both are whole numbers from 1 to 100,000."""
    for separator in ("x", "X", "\u00d7"):
        if separator in text:
            width, _, height = text.partition(separator)
            if width.isdigit() and height.isdigit() and 1 <= int(width) <= 100000 and 1 <= int(height) <= 100000:
                return int(width), int(height)
            return None
    return None


def _default_label(name: str, value: Any) -> Optional[Tuple[str, str]]:
    if name in ("resolution", "image_size") and isinstance(value, str):
        return "resolution", value
    if name == "quality" and isinstance(value, str):
        return "quality", value
    if name == "generate_audio" and isinstance(value, bool):
        return "audio", "audio" if value else "no_audio"
    return None


def _choose_options(db: sqlite3.Connection, usage: Usage, label: str, labels: List[str], priced_measures: set,
                    route_id: int) -> None:
    """Adds the resolution and quality asked for (checked against the route's), the image size
    the route prices by name, the route's defaults for dimensions left open, and the typical
    call (one output, the default duration) when no quantity is given; then turns image sizes
    into the quantities the route is priced in."""
    resolutions = [r["value"] for r in db.execute(
        "SELECT value FROM route_resolution WHERE route_id = ? ORDER BY position", (route_id,))]
    defaults = []
    for row in db.execute("SELECT name, value FROM route_default WHERE route_id = ? ORDER BY position", (route_id,)):
        try:
            defaults.append((row["name"], json.loads(row["value"])))
        except ValueError:
            continue
    for dim, value in (("resolution", usage.resolution), ("quality", usage.quality)):
        if value is None:
            continue
        priced = [l for l in labels if dimension(l) == dim]
        known = _uniqued(priced + (resolutions if dim == "resolution" else []))
        if value not in known:
            plural = "qualities" if dim == "quality" else "resolutions"
            raise PricingError(f'{label} has no {dim} "{value}"; its {plural}: {", ".join(known) if known else "none"}')
        if value in priced and value not in usage.variants:
            usage.variants.append(value)
    sizes = {f"{w}x{h}" for w, h in usage.image_sizes}
    if len(sizes) == 1:
        size = next(iter(sizes))
        if size in labels and not any(dimension(v) == "resolution" for v in usage.variants):
            usage.variants.append(size)
    for name, value in defaults:
        found = _default_label(name, value)
        if found is None:
            continue
        dim, chosen = found
        if chosen in labels and not any(dimension(v) == dim for v in usage.variants):
            usage.variants.append(chosen)
    if not usage.measures and not usage.units and not usage.image_sizes:
        if priced_measures & {"images", "megapixels"}:
            usage.measures["images"] = Decimal(1)
        duration = next((v for n, v in defaults if n == "duration"), None)
        if "seconds" in priced_measures and isinstance(duration, int) and not isinstance(duration, bool) and duration > 0:
            usage.measures["seconds"] = Decimal(duration)
    if not usage.image_sizes and "megapixels" in priced_measures and "megapixels" not in usage.measures \
            and "images" in usage.measures:
        preset = next((v for n, v in defaults if n == "image_size"), None)
        size = (IMAGE_SIZE_PRESETS.get(preset) or pixel_size(preset)) if isinstance(preset, str) else None
        if size is not None:
            usage.image_sizes, usage.images_per_size = [size], max(1, int(usage.measures["images"]))
    _count_images(usage, priced_measures, label)


def _count_images(usage: Usage, priced_measures: set, label: str) -> None:
    if not usage.image_sizes and "images" in usage.measures and "megapixels" not in usage.measures \
            and "images" not in priced_measures and "megapixels" in priced_measures:
        raise PricingError(f"{label} is priced per megapixel; give --size WIDTHxHEIGHT, --megapixels, "
                           "or a fal result with the images' sizes")
    if not usage.image_sizes:
        return
    known = priced_measures & {"megapixels", "pixels", "images"}
    if not known:
        raise PricingError(f"{label} is not priced by image size; it is priced per: {', '.join(sorted(priced_measures))}")
    each = usage.images_per_size
    if "megapixels" in known and "megapixels" not in usage.measures:
        usage.measures["megapixels"] = Decimal(sum((w * h + MEGAPIXEL - 1) // MEGAPIXEL for w, h in usage.image_sizes) * each)
    if "pixels" in known and "pixels" not in usage.measures:
        usage.measures["pixels"] = Decimal(sum(w * h for w, h in usage.image_sizes) * each)
    if "images" in known and "images" not in usage.measures:
        usage.measures["images"] = Decimal(len(usage.image_sizes) * each)
    if "images" not in known:
        usage.measures.pop("images", None)


def quote(db: sqlite3.Connection, name: str, category: Optional[str], usage: Usage) -> CostQuote:
    """Prices one call of the route `name` names (a key, route key or model id)."""
    ctx = DECIMAL_CONTEXT
    matches = find(db, name, category, preferred=True)
    if len({m.route_key for m in matches}) != 1:
        raise Ambiguous(name, [m.candidate for m in matches])
    match = matches[0]
    label = match.key if match.key is not None else match.route_key
    if usage.at is not None:
        at_seconds = dates.epoch_seconds(usage.at)
        if at_seconds is None:
            raise PricingError(f'--at "{usage.at}" is not an ISO 8601 date (2025-06-10) or UTC time (2025-06-10T12:00:00Z)')
    else:
        at_seconds = dates.now()

    rows = [_PriceRow(r["unit"], r["measure"], r["variant"], _stored_decimal(r["usd"]), r["per"],
                      _stored_decimal(r["above"]), r["above_unit"], r["above_bills"], r["valid_from"],
                      r["valid_until"], r["valid_from_s"], r["valid_until_s"], r["one_of"], r["note"], r["window"])
            for r in db.execute("SELECT * FROM price_line WHERE route_id = ? ORDER BY position", (match.route_id,))]
    # A row that breaks the schema's CHECK (written with ignore_check_constraints) is never priced
    # as if it were fine: per 0 would divide by zero, a negative price would pay the caller.
    for row in rows:
        if not isinstance(row.per, int) or row.per <= 0 or (row.usd is not None and row.usd < 0):
            raise IntegrityBroken(f"a price row of {match.route_key} (unit {row.unit}) has per {row.per} and usd "
                                  f"{'null' if row.usd is None else row.usd}, which its rules forbid (written with CHECK "
                                  "constraints off?); run regdb check")
    multipliers = [(r["variant"], r["factor"]) for r in db.execute(
        "SELECT variant, factor FROM price_multiplier WHERE route_id = ? ORDER BY position", (match.route_id,))]
    parts: List[Tuple[str, str]] = db.execute("SELECT part, whole FROM unit_part").fetchall()
    measure_of: Dict[str, str] = dict(db.execute("SELECT id, measure FROM unit"))
    if not rows:
        raise PricingError(f"{label} has no prices in the registry")
    looped = _part_of_itself(parts)
    if looped is not None:
        raise IntegrityBroken(f"unit_part makes {looped} a part of itself (written by hand?), so no call can be priced; "
                              "run regdb check")

    # A quantity given by measure name (seconds) where a unit is expected counts as that measure.
    usage = Usage(usage.measures, usage.units, usage.variants, usage.at, usage.resolution, usage.quality,
                  usage.image_sizes, usage.images_per_size)
    for unit, amount in list(usage.units.items()):
        if unit in measure_of:
            continue
        if unit not in measure_of.values():
            raise UnknownValue("unit", unit, list(measure_of))
        del usage.units[unit]
        usage.measures[unit] = amount

    def given(unit: str) -> Optional[Decimal]:
        """The quantity the call gives of `unit` (by unit, else by its measure); None when none."""
        return usage.quantity(unit, measure_of.get(unit, ""))

    # A whole the call does not give (output tokens of an image model priced per output
    # image token) is at least its parts: their sum.
    for _ in range(3):
        derived: Dict[str, Decimal] = {}
        for part, whole in parts:
            amount = given(part)
            if given(whole) is None and amount is not None:
                derived[whole] = ctx.add(derived.get(whole, Decimal(0)), amount)
        if not derived:
            break
        usage.units.update(derived)

    labels = _uniqued([l for r in rows if r.variant is not None for l in split_labels(r.variant)]
                      + [v for v, _ in multipliers])
    for variant in usage.variants:
        if variant not in labels:
            raise PricingError(f'{label} has no price variant "{variant}"; its variants: '
                               f'{", ".join(labels) if labels else "none"}')
    _choose_options(db, usage, label, labels, {r.measure for r in rows}, match.route_id)
    in_force = [r for r in rows if r.applies(at_seconds)]
    if not in_force:
        ranges = _uniqued([f"{r.valid_from or '…'}–{r.valid_until or '…'}" for r in rows])
        raise PricingError(f"{label} has no price in force on {dates.stored(at_seconds)}; its prices apply {', '.join(ranges)}")
    # A variant with a window applies by itself to a call made within it, where the time of day
    # is known (now, or `at` with a time) and no variant of its unit was chosen.
    if usage.at is None or "T" in usage.at:
        for row in in_force:
            if row.variant is None or row.variant in usage.variants or not row.in_window(at_seconds):
                continue
            if not any(r.unit == row.unit and r.variant is not None and chosen in split_labels(r.variant)
                       for chosen in usage.variants for r in in_force):
                usage.variants.append(row.variant)

    # What the call gives a quantity for, by unit, and which units it does not use.
    priced_units = _uniqued([r.unit for r in in_force])
    all_units = _uniqued([r.unit for r in rows])
    for measure in usage.measures:
        time = measure in ("seconds", "minutes")
        priced = any(measure_of.get(u, "") == measure or (time and measure_of.get(u, "") in ("seconds", "minutes"))
                     for u in all_units)
        if not priced and not (measure.endswith("_tokens") and any(u.endswith("_token") for u in all_units)):
            raise PricingError(f"{label} is not priced per {describe_measure(measure)}; "
                               f"it is priced per: {', '.join(all_units)}")
    for unit in usage.units:
        if unit not in all_units and not unit.endswith("_token"):
            raise PricingError(f"{label} is not priced per {unit}; it is priced per: {', '.join(all_units)}")

    # Per unit, the rows of the chosen variant (else the base rows) in force at that time. A unit
    # the call gives no quantity for is left out when the call is priced by others; per-call
    # units alone do not price a call.
    priced_by_call = any(measure_of.get(u, "") != "calls" and given(u) is not None for u in priced_units)
    selected: List[Tuple[str, List[_PriceRow], Decimal, bool]] = []
    for unit in priced_units:
        unit_rows = [r for r in in_force if r.unit == unit]
        measure = unit_rows[0].measure
        # The rows whose labels the call all chose; of those, the ones naming the most.
        chosen_labels = set(usage.variants)
        applicable = [(r.variant, len(split_labels(r.variant))) for r in unit_rows
                      if r.variant is not None and all(l in chosen_labels for l in split_labels(r.variant))]
        most = max((n for _, n in applicable), default=0)
        chosen_variants = _uniqued([v for v, n in applicable if n == most])
        if len(chosen_variants) > 1:
            raise PricingError(f"{label} prices {unit} in variants {' and '.join(chosen_variants)}; choose one of them")
        chosen = [r for r in unit_rows if r.variant is not None and chosen_variants and r.variant == chosen_variants[0]]
        if not chosen:
            chosen = [r for r in unit_rows if r.variant is None]
        stated = usage.quantity(unit, measure)
        is_token = unit.endswith("_token")
        if stated is None and (usage.is_token_call or priced_by_call) and not is_token and measure != "calls":
            continue
        if stated is None and not usage.is_token_call and priced_by_call and is_token:
            continue
        amount = stated if stated is not None else (Decimal(0) if usage.is_token_call and is_token else None)
        if amount is None:
            raise PricingError(f"{label} is priced per {unit}; give {option_for(unit, measure)}")
        if not chosen:
            # A variant-only price applies when that variant is chosen, never by default:
            # an image-token rate is not the text rate.
            if amount == 0 or stated is None:
                continue
            unit_variants = _uniqued([r.variant for r in unit_rows if r.variant is not None])
            options = _uniqued([_OPTION[dimension(l)] for v in unit_variants for l in split_labels(v)])
            raise PricingError(f"{label} is priced per {unit} in variants {', '.join(unit_variants)}; "
                               f"choose one with {' and '.join(options)}")
        selected.append((unit, chosen, amount, stated is not None and (unit in usage.units or measure != "calls")))

    # Alternatives: of rows sharing a one_of group, the first unit the call gives counts.
    group_winner: Dict[str, str] = {}
    for unit, unit_rows, _, mentioned in selected:
        for row in unit_rows:
            if row.one_of is not None and mentioned:
                group_winner.setdefault(row.one_of, unit)
    kept = []
    for unit, unit_rows, amount, mentioned in selected:
        unit_rows = [r for r in unit_rows if r.one_of is None or group_winner.get(r.one_of) == unit]
        if unit_rows:
            kept.append((unit, unit_rows, amount, mentioned))
    selected = kept

    # Tokens counted by a part the route prices are billed at the part's rate only.
    quantities: Dict[str, Decimal] = {}
    for unit, _, amount, _ in selected:
        quantities.setdefault(unit, amount)
    parts_of = _parts_of(parts)

    def descendants(unit: str) -> List[str]:
        return _descendants(parts_of, unit)

    @functools.lru_cache(maxsize=None)
    def exclusive(unit: str) -> Decimal:
        amount = quantities.get(unit, Decimal(0))
        for part in descendants(unit):
            if part in quantities:
                amount = ctx.subtract(amount, exclusive(part))
        return amount

    def total(unit: str) -> Decimal:
        if unit in quantities:
            return quantities[unit]
        amount = given(unit)
        return amount if amount is not None else Decimal(0)

    # A part never exceeds its whole, priced or not: 400 cached of 300 prompt tokens is a
    # usage counted the old way (prompt tokens without the cached ones).
    for part, whole in parts:
        part_amount = given(part)
        if part_amount is None or part_amount <= 0:
            continue
        whole_amount = given(whole)
        whole_amount = whole_amount if whole_amount is not None else Decimal(0)
        if part_amount > whole_amount:
            raise PricingError(
                f"{part} quantity {decimal_text(part_amount)} exceeds the {whole} quantity {decimal_text(whole_amount)} "
                f"it is part of: {option_for(whole, measure_of.get(whole, ''))} counts every such token, "
                "cached ones included")

    lines: List[CostLine] = []
    for unit, unit_rows, amount, mentioned in selected:
        billed = exclusive(unit)
        if billed < 0:
            priced_parts = [p for p in descendants(unit) if p in quantities]
            raise PricingError(f"{' + '.join(priced_parts)} quantities add up to more than the {unit} quantity "
                               f"{decimal_text(amount)} they are parts of")
        # The base rate, or the highest "all" threshold the call passes.
        rate = next((r for r in unit_rows if r.above is None), None)
        for row in unit_rows:
            if row.above_bills != "all" or row.above is None:
                continue
            if not total(row.above_unit or unit) > row.above:
                continue
            if rate is None or rate.above is None or row.above > rate.above:
                rate = row
        # "excess" thresholds cut the quantity into segments, each at its own rate.
        steps = sorted((r for r in unit_rows if r.above_bills == "excess"),
                       key=lambda r: r.above if r.above is not None else Decimal(0))
        segments: List[Tuple[Decimal, Optional[Decimal], Optional[_PriceRow]]] = []
        start = Decimal(0)
        current = rate
        for step in steps:
            if step.above is None:
                continue
            segments.append((start, step.above, current))
            start = step.above
            current = step
        segments.append((start, None, current))
        for low, high, row in segments:
            upper = min(high, billed) if high is not None else billed
            segment = max(Decimal(0), ctx.subtract(upper, low))
            # A unit the call did not mention (cache reads of a call without any) shows no line.
            if row is None or not (segment > 0 or (len(segments) == 1 and not steps and mentioned)):
                continue
            if row.usd is None:
                if segment == 0:
                    continue
                note = f" ({row.note})" if row.note is not None else ""
                raise PricingError(f"{label} has no published price per {unit}{note}")
            lines.append(CostLine(
                unit=unit, variant=row.variant, quantity=segment, rate=row.usd, per=row.per, threshold=row.above,
                threshold_unit=None if row.above is None else (row.above_unit or unit),
                usd=ctx.divide(ctx.multiply(row.usd, segment), Decimal(row.per))))

    warnings: List[str] = []
    seconds = usage.quantity("second", "seconds")
    if seconds is not None:
        max_duration = db.execute("SELECT max_duration FROM route WHERE id = ?", (match.route_id,)).fetchone()[0]
        options = [r[0] for r in db.execute(
            "SELECT seconds FROM route_duration WHERE route_id = ? ORDER BY seconds", (match.route_id,))]
        if max_duration is not None and seconds > max_duration:
            warnings.append(f"{decimal_text(seconds)} seconds is beyond the max_duration of {label} ({max_duration} s)")
        elif options and not any(Decimal(option) == seconds for option in options):
            warnings.append(f"{decimal_text(seconds)} seconds is not a duration option of {label} "
                            f"({', '.join(str(o) for o in options)})")
    multiplier = Decimal(1)
    for variant, factor in multipliers:
        if variant in usage.variants:
            stated_factor = _stored_decimal(factor)
            multiplier = ctx.multiply(multiplier, stated_factor if stated_factor is not None else Decimal(1))
    subtotal = functools.reduce(ctx.add, (line.usd for line in lines), Decimal(0))
    return CostQuote(route_key=match.route_key, category=match.category, key=match.key,
                     at=dates.stored(at_seconds), variants=list(usage.variants), lines=lines,
                     multiplier=multiplier, warnings=warnings, usd=ctx.multiply(subtotal, multiplier))
