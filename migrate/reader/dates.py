"""Dates the way Jekyll reads them: Ruby ``Time.parse`` of the value's string form, then ``localtime``."""

from __future__ import annotations

import calendar
import datetime as _dt
import os
import re
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = _dt.timezone.utc

# Ruby's Date::ZONE_TABLE, the abbreviations sites actually use (hours east of UTC).
_ZONES = {
    "utc": 0, "ut": 0, "gmt": 0, "z": 0, "wet": 0, "west": 1, "bst": 1, "cet": 1, "met": 1, "mewt": 1,
    "cest": 2, "mest": 2, "eet": 2, "eest": 3, "msk": 3, "msd": 4, "ist": 5.5, "jst": 9, "kst": 9,
    "hkt": 8, "sgt": 8, "awst": 8, "acst": 9.5, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
    "ast": -4, "adt": -3, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
    "pst": -8, "pdt": -7, "akst": -9, "akdt": -8, "hst": -10, "nst": -3.5, "ndt": -2.5, "brt": -3,
    "art": -3, "clt": -4, "sast": 2, "cat": 2, "eat": 3, "wat": 1,
}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}

# Ruby's Date._parse takes a zone only right after the time, and ignores trailing words
_ZONE = r"(?:\s*(?P<zone>[+-]\d{1,2}(?::?\d{2})?(?::?\d{2})?|(?:gmt|utc)[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]+)\b)?"
_ISO = re.compile(
    r"^\s*(?P<y>-?\d{2,4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:(?:[Tt]|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?" + _ZONE + r")?"
    r"(?:\s.*)?$",
    re.IGNORECASE | re.DOTALL,
)
_TIME = r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?" + _ZONE + r")?(?:\s.*)?$"
_TEXT_DMY = re.compile(r"^\s*(?:[A-Za-z]+,?\s+)?(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]{3})[a-z]*\.?,?\s+(?P<y>\d{4})" + _TIME)
_TEXT_MDY = re.compile(r"^\s*(?:[A-Za-z]+,?\s+)?(?P<mon>[A-Za-z]{3})[a-z]*\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME)


def local_zone(name: str | None) -> _dt.tzinfo:
    """The zone Jekyll's ``localtime`` uses: the site ``timezone``, else ``$TZ``, else the machine's.

    Jekyll puts the site's ``timezone`` in ``$TZ``; a name the C library cannot find is then read as UTC
    (measured with Debian's Jekyll), so an unknown site ``timezone`` means UTC here too."""
    if name:
        return named_zone(name) or UTC
    from_env = os.environ.get("TZ", "").lstrip(":")
    return (named_zone(from_env) if from_env else None) or _machine_zone()


def named_zone(name: str) -> _dt.tzinfo | None:
    """The IANA zone called ``name``; None when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@lru_cache(maxsize=1)
def _machine_zone() -> _dt.tzinfo:
    try:
        target = Path("/etc/localtime").resolve()
        parts = target.parts
        if "zoneinfo" in parts:
            return ZoneInfo("/".join(parts[parts.index("zoneinfo") + 1 :]))
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    return UTC


def _zone_offset(text: str) -> _dt.tzinfo | None:
    low = text.lower()
    if low in _ZONES and low != "z":
        return _dt.timezone(_dt.timedelta(hours=_ZONES[low]))
    if low == "z":
        return _dt.timezone(_dt.timedelta(hours=_ZONES[low]))
    m = re.fullmatch(r"([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?", text)
    if not m:
        return None
    sign = -1 if m.group(1) == "-" else 1
    delta = _dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0), seconds=int(m.group(4) or 0))
    if delta >= _dt.timedelta(hours=24):
        return None
    return _dt.timezone(sign * delta)


def _make(y: int, mon: int, d: int, hh: int, mm: int, ss: int, us: int, zone: _dt.tzinfo) -> _dt.datetime:
    # Ruby's Time.local/Time.utc roll a day of 29..31 past the month's end over into the next month.
    if not (1 <= mon <= 12 and 1 <= d <= 31 and 0 <= hh <= 24 and 0 <= mm <= 59 and 0 <= ss <= 60):
        raise ValueError("date out of range")
    if not (1 <= y <= 9999):
        raise ValueError("year out of range")
    extra = _dt.timedelta(0)
    last = calendar.monthrange(y, mon)[1]
    if d > last:
        extra += _dt.timedelta(days=d - last)
        d = last
    if hh == 24:
        hh, extra = 0, extra + _dt.timedelta(days=1)
    if ss == 60:
        ss, extra = 59, extra + _dt.timedelta(seconds=1)
    base = _dt.datetime(y, mon, d, hh, mm, ss, us)
    if extra:
        base = base + extra
    return base.replace(tzinfo=zone)


def parse_time(text: str, zone: _dt.tzinfo) -> _dt.datetime:
    """``Time.parse(text).localtime`` with ``zone`` as the local zone; ValueError when Ruby would fail."""
    m = _ISO.match(text) or _TEXT_DMY.match(text) or _TEXT_MDY.match(text)
    if not m:
        raise ValueError(f"cannot parse {text!r} as a date")
    groups = m.groupdict()
    ytext = groups["y"]
    year = int(ytext)
    if len(ytext.lstrip("-")) == 2:
        year += 1900 if year >= 69 else 2000
    if "mon" in groups and groups.get("mon"):
        mon = _MONTHS.get(groups["mon"][:3].lower())
        if mon is None:
            raise ValueError(f"unknown month in {text!r}")
    else:
        mon = int(groups["m"])
    frac = groups.get("f") or ""
    us = int((frac + "000000")[:6]) if frac else 0
    given_zone: _dt.tzinfo | None = None
    if groups.get("zone"):
        given_zone = _zone_offset(re.sub(r"(?i)^(gmt|utc)(?=[+-])", "", groups["zone"]))
    built = _make(
        year, mon, int(groups["d"]), int(groups.get("H") or 0), int(groups.get("M") or 0),
        int(groups.get("S") or 0), us, given_zone or zone,
    )
    if given_zone is None:
        # a wall-clock time in the local zone: normalise DST gaps the way mktime does
        built = built.astimezone(UTC).astimezone(zone)
    return built.astimezone(zone)


def jekyll_date(value: object, zone: _dt.tzinfo) -> _dt.datetime:
    """A front-matter ``date`` value (YAML-loaded) as Jekyll's ``merge_date!`` leaves it."""
    if isinstance(value, _dt.datetime):
        # Psych reads a timestamp without an offset as UTC
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.replace(microsecond=0).astimezone(zone)
    if isinstance(value, _dt.date):
        return parse_time(value.isoformat(), zone)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")  # noqa: TRY004 - callers treat every bad date alike
    return parse_time(value, zone)
