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

# Time.zone_offset's own table (time.rb): the only abbreviations Time.parse knows besides the local zone's.
_TIME_ZONES = {
    "UTC": 0, "Z": 0, "UT": 0, "GMT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7,
    **{letter: i + 1 for i, letter in enumerate("ABCDEFGHIKLM")},
    **{letter: -(i + 1) for i, letter in enumerate("NOPQRSTUVWXY")},
}
_DAYS = "sun|mon|tue|wed|thu|fri|sat"
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_MONTH_NUMBER = {name: i + 1 for i, name in enumerate(_MONTHS.split("|"))}
_ERA = r"(c(?:e|\.e\.)|b(?:ce|\.c\.e\.)|a(?:d|\.d\.)|b(?:c|\.c\.))?"
_LIMIT = 128
"""Date._parse refuses longer strings (Ruby 3.1's ``limit:``)."""


class UnrepresentableDate(ValueError):
    """A date Ruby accepts but outside the years 1 to 9999 that Python (and the targets) can hold."""


def _rx(pattern: str, *, icase: bool = True) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII | (re.IGNORECASE if icase else 0))


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


def _make(y: int, mon: int, d: int, hh: int, mm: int, ss: int, us: int, zone: _dt.tzinfo) -> _dt.datetime:
    # Ruby's Time.local/Time.utc roll a day of 29..31 past the month's end over into the next month.
    if not (1 <= mon <= 12 and 1 <= d <= 31 and 0 <= hh <= 24 and 0 <= mm <= 59 and 0 <= ss <= 60):
        raise ValueError("date out of range")
    if not (1 <= y <= 9999):
        raise UnrepresentableDate(f"year {y} is outside 1..9999")
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


# -- Date._parse: which fields a free-form date string gives ----------------------------------------
# Each rule finds its first match anywhere in the text, takes its fields and blanks the matched text out
# (so later rules do not see it again); the date rules are tried in a fixed order until one matches.


class _Fields(dict):  # type: ignore[type-arg]
    """The hash Date._parse builds: year, mon, mday, yday, hour, min, sec, sec_fraction, zone..."""


def _digits_from(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end].isdigit():
        end += 1
    return end


def _first_number(text: str | None, *, signed: bool) -> tuple[int, int] | None:
    """Where the first (signed) number of ``text`` starts and ends, skipping a quote or letters before it."""
    if text is None:
        return None
    i = 0
    while i < len(text) and not (text[i].isdigit() or (signed and text[i] in "+-")):
        i += 1
    if i >= len(text):
        return None
    j = i + 1 if text[i] in "+-" else i
    return i, _digits_from(text, j)


def _three(fields: _Fields, y: str | None, m: str | None, d: str | None, bc: bool) -> None:
    """Decides which of three numbers is the year, the month and the day (a quoted or long number is a
    year; a long middle number means year-first), as Ruby's ``s3e`` does."""
    comp: bool | None = None
    if y is not None and m is not None and d is None:
        y, m, d = None, y, m
    if y is None:
        if d is not None and len(d) > 2:
            y, d = d, None
        if d is not None and d.startswith("'"):
            y, d = d, None
    if y is not None:
        span = _first_number(y, signed=True)
        if span is not None and span[1] < len(y):
            y, d = d, y[span[0] : span[1]]
    if m is not None and (m.startswith("'") or len(m) > 2):
        y, m, d = m, d, y
    if d is not None and (d.startswith("'") or len(d) > 2):
        y, d = d, y
    if y is not None:
        span = _first_number(y, signed=True)
        if span is not None:
            text = y[span[0] : span[1]]
            if text[0] in "+-" or span[1] - span[0] > 2:
                comp = False
            try:
                fields["year"] = int(text)
            except ValueError:  # a lone sign
                fields["year"] = 0
    if bc:
        fields["_bc"] = True
    for key, value in (("mon", m), ("mday", d)):
        span = _first_number(value, signed=False)
        if value is not None and span is not None:
            fields[key] = int(value[span[0] : span[1]])
    if comp is not None:
        fields["_comp"] = comp


def _is_bc(era: str | None) -> bool:
    return era is not None and era[:1] in "bB"


def _month(name: str) -> int:
    return _MONTH_NUMBER[name[:3].lower()]


_R_DAY = _rx(rf"\b({_DAYS})[^-/\d\s]*")
_R_TIME = _rx(
    r"((?:\d+\s*:\s*\d+(?:\s*:\s*\d+(?:[,.]\d*)?)?|\d+\s*h(?:\s*\d+m?(?:\s*\d+s?)?)?)(?:\s*[ap](?:m\b|\.m\.))?"
    r"|\d+\s*[ap](?:m\b|\.m\.))"
    r"(?:\s*((?:gmt|utc?)?[-+]\d+(?:[,.:]\d+(?::\d+)?)?|[A-Za-z.\s]+(?:standard|daylight)\stime\b"
    r"|[A-Za-z]+(?:\sdst)?\b))?"
)
_R_TIME_PARTS = _rx(r"\A(\d+)h?(?:\s*:?\s*(\d+)m?(?:\s*:?\s*(\d+)(?:[,.](\d+))?s?)?)?(?:\s*([ap])(?:m\b|\.m\.))?")
_R_EU = _rx(rf"('?\d+)[^-\d\s]*\s*({_MONTHS})[^-\d\s']*(?:\s*{_ERA}\s*('?-?\d+(?:(?:st|nd|rd|th)\b)?))?")
_R_US = _rx(rf"\b({_MONTHS})[^-\d\s']*\s*('?\d+)[^-\d\s']*(?:\s*,?\s*{_ERA}\s*('?-?\d+))?")
_R_ISO = _rx(r"('?[-+]?\d+)-(\d+)-('?-?\d+)", icase=False)
_R_ISO21 = _rx(r"\b(\d{2}|\d{4})?-?w(\d{2})(?:-?(\d))?\b")
_R_ISO22 = _rx(r"-w-(\d)\b")
_R_ISO23 = _rx(r"--(\d{2})?-(\d{2})\b", icase=False)
_R_ISO24 = _rx(r"--(\d{2})(\d{2})?\b", icase=False)
_R_ISO25_NOT = _rx(r"[,.](\d{2}|\d{4})-\d{3}\b", icase=False)
_R_ISO25 = _rx(r"\b(\d{2}|\d{4})-(\d{3})\b", icase=False)
_R_ISO26_NOT = _rx(r"\d-\d{3}\b", icase=False)
_R_ISO26 = _rx(r"\b-(\d{3})\b", icase=False)
_R_JIS = _rx(r"\b([mtsh])(\d+)\.(\d+)\.(\d+)")
_R_VMS11 = _rx(rf"('?-?\d+)-({_MONTHS})[^-/.]*-('?-?\d+)")
_R_VMS12 = _rx(rf"\b({_MONTHS})[^-/.]*-('?-?\d+)(?:-('?-?\d+))?")
_R_SLA = _rx(r"('?-?\d+)/\s*('?\d+)(?:\D\s*('?-?\d+))?")
_R_DOT = _rx(r"('?-?\d+)\.\s*('?\d+)\.\s*('?-?\d+)")
_R_YEAR = _rx(r"'(\d+)\b", icase=False)
_R_MON = _rx(rf"\b({_MONTHS})\S*")
_R_MDAY = _rx(r"(\d+)(st|nd|rd|th)\b")
_R_DDD = _rx(r"([-+]?)(\d{2,14})(?:\s*t?\s*(\d{2,6})?(?:[,.](\d*))?)?(?:\s*(z\b|[-+]\d{1,4}\b|\[[-+]?\d[^\]]*\]))?")
_R_BC = _rx(r"\b(bc\b|bce\b|b\.c\.|b\.c\.e\.)")
_R_FRAG = _rx(r"\A\s*(\d{1,2})\s*\Z")
_R_BLANKS = re.compile(r"(?:[^-+',./:@\w\[\]]|_)+")
_ERAS = {"m": 1867, "t": 1911, "s": 1925, "h": 1988}


class _Text:
    """The string being parsed; a rule that matches blanks its match out."""

    def __init__(self, text: str) -> None:
        self.text = text

    def take(self, rx: re.Pattern[str]) -> re.Match[str] | None:
        m = rx.search(self.text)
        if m:
            self.text = self.text[: m.start()] + " " + self.text[m.end() :]
        return m


def _on_time(m: re.Match[str], f: _Fields) -> bool:
    if m.group(2) is not None:
        f["zone"] = m.group(2)
    parts = _R_TIME_PARTS.match(m.group(1))
    if not parts:
        return False
    hour = int(parts.group(1))
    if parts.group(5):
        hour = hour % 12 + (12 if parts.group(5) in "pP" else 0)
    f["hour"] = hour
    if parts.group(2) is not None:
        f["min"] = int(parts.group(2))
    if parts.group(3) is not None:
        f["sec"] = int(parts.group(3))
    if parts.group(4) is not None:
        f["sec_fraction"] = (int(parts.group(4)), 10 ** len(parts.group(4)))
    return True


def _on_ddd(m: re.Match[str], f: _Fields) -> None:
    neg = m.group(1) == "-"
    s2, s3, s4, s5 = m.group(2), m.group(3), m.group(4), m.group(5)
    n = len(s2)
    time_only = s3 is None and s4 is not None

    def num(start: int, width: int) -> int:
        return int(s2[start : start + width])

    def year(value: int) -> int:
        return -value if neg else value

    if n in (2, 4, 6) and time_only:
        f["sec"] = num(n - 2, 2)
        if n >= 4:
            f["min"] = num(n - 4, 2)
        if n >= 6:
            f["hour"] = num(n - 6, 2)
    elif n == 2:
        f["mday"] = num(0, 2)
    elif n == 4:
        f["mon"], f["mday"] = num(0, 2), num(2, 2)
    elif n == 6:
        f["year"], f["mon"], f["mday"] = year(num(0, 2)), num(2, 2), num(4, 2)
    elif n in (8, 10, 12, 14):
        if time_only:
            f["sec"], f["min"], f["hour"], f["mday"] = num(n - 2, 2), num(n - 4, 2), num(n - 6, 2), num(n - 8, 2)
            if n >= 10:
                f["mon"] = num(n - 10, 2)
            if n == 12:
                f["year"] = year(num(0, 2))
            if n == 14:
                f["year"] = year(num(0, 4))
                f["_comp"] = False
        else:
            f["year"], f["mon"], f["mday"] = year(num(0, 4)), num(4, 2), num(6, 2)
            if n >= 10:
                f["hour"] = num(8, 2)
            if n >= 12:
                f["min"] = num(10, 2)
            if n >= 14:
                f["sec"] = num(12, 2)
            f["_comp"] = False
    elif n == 3:
        if time_only:
            f["sec"], f["min"] = num(1, 2), num(0, 1)
        else:
            f["yday"] = num(0, 3)
    elif n == 5:
        if time_only:
            f["sec"], f["min"], f["hour"] = num(3, 2), num(1, 2), num(0, 1)
        else:
            f["year"], f["yday"] = year(num(0, 2)), num(2, 3)
    elif n == 7:
        if time_only:
            f["sec"], f["min"], f["hour"], f["mday"] = num(5, 2), num(3, 2), num(1, 2), num(0, 1)
        else:
            f["year"], f["yday"] = year(num(0, 4)), num(4, 3)
    if s3 is not None and len(s3) in (2, 4, 6):
        k = len(s3)
        if s4 is not None:
            f["sec"] = int(s3[k - 2 :])
            if k >= 4:
                f["min"] = int(s3[k - 4 : k - 2])
            if k >= 6:
                f["hour"] = int(s3[:2])
        else:
            f["hour"] = int(s3[:2])
            if k >= 4:
                f["min"] = int(s3[2:4])
            if k >= 6:
                f["sec"] = int(s3[4:6])
    if s4 is not None:
        f["sec_fraction"] = (int(s4 or "0"), 10 ** len(s4))
    if s5 is not None:
        zone = s5
        if zone.startswith("["):
            inner = zone[1:-1]
            zone = inner.split(":", 1)[1] if ":" in inner else inner
        f["zone"] = zone


def _date_rules(t: _Text, f: _Fields, has: set[str]) -> None:
    """The date rules in Ruby's order; the first that matches ends the search."""
    if {"alpha", "digit"} <= has:
        m = t.take(_R_EU)
        if m:
            _three(f, m.group(4), str(_month(m.group(2))), m.group(1), _is_bc(m.group(3)))
            return
        m = t.take(_R_US)
        if m:
            _three(f, m.group(4), str(_month(m.group(1))), m.group(2), _is_bc(m.group(3)))
            return
    if {"digit", "-"} <= has:
        m = t.take(_R_ISO)
        if m:
            _three(f, m.group(1), m.group(2), m.group(3), False)
            return
    if {"digit", "."} <= has:
        m = t.take(_R_JIS)
        if m:
            f["year"] = int(m.group(2)) + _ERAS[m.group(1).lower()]
            f["mon"], f["mday"] = int(m.group(3)), int(m.group(4))
            return
    if {"alpha", "digit", "-"} <= has:
        m = t.take(_R_VMS11)
        if m:
            _three(f, m.group(3), str(_month(m.group(2))), m.group(1), False)
            return
        m = t.take(_R_VMS12)
        if m:
            _three(f, m.group(3), str(_month(m.group(1))), m.group(2), False)
            return
    if {"digit", "/"} <= has:
        m = t.take(_R_SLA)
        if m:
            _three(f, m.group(1), m.group(2), m.group(3), False)
            return
    if {"digit", "."} <= has:
        m = t.take(_R_DOT)
        if m:
            _three(f, m.group(1), m.group(2), m.group(3), False)
            return
    if "digit" in has and _iso2(t, f):
        return
    if "digit" in has:
        m = t.take(_R_YEAR)
        if m:
            f["year"] = int(m.group(1))
            return
    if "alpha" in has:
        m = t.take(_R_MON)
        if m:
            f["mon"] = _month(m.group(1))
            return
    if "digit" in has:
        m = t.take(_R_MDAY)
        if m:
            f["mday"] = int(m.group(1))
            return
        m = t.take(_R_DDD)
        if m:
            _on_ddd(m, f)


def _iso2(t: _Text, f: _Fields) -> bool:
    m = t.take(_R_ISO21)
    if m:
        f["cweek"] = int(m.group(2))  # week dates: Time.parse takes none of these fields
        return True
    if t.take(_R_ISO22):
        return True
    m = t.take(_R_ISO23)
    if m:
        if m.group(1) is not None:
            f["mon"] = int(m.group(1))
        f["mday"] = int(m.group(2))
        return True
    m = t.take(_R_ISO24)
    if m:
        f["mon"] = int(m.group(1))
        if m.group(2) is not None:
            f["mday"] = int(m.group(2))
        return True
    if not _R_ISO25_NOT.search(t.text):
        m = t.take(_R_ISO25)
        if m:
            f["year"], f["yday"] = int(m.group(1)), int(m.group(2))
            return True
    if not _R_ISO26_NOT.search(t.text):
        m = t.take(_R_ISO26)
        if m:
            f["yday"] = int(m.group(1))
            return True
    return False


_PLAIN_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)


def date_parse(text: str) -> dict[str, object]:
    """``Date._parse(text, true)``: the fields a free-form date gives (without Ruby's ``offset``)."""
    plain = _PLAIN_DATE.fullmatch(text)
    if plain:  # a file name's date: what the rules below give, without running them
        return {"year": int(plain.group(1)), "mon": int(plain.group(2)), "mday": int(plain.group(3))}
    return _date_parse(text)


def _date_parse(text: str) -> dict[str, object]:
    if len(text) > _LIMIT:
        raise ValueError(f"string length ({len(text)}) exceeds the limit {_LIMIT}")
    t = _Text(_R_BLANKS.sub(" ", text))
    has = set()
    for ch in t.text:
        if ch.isascii() and ch.isalpha():
            has.add("alpha")
        elif ch.isascii() and ch.isdigit():
            has.add("digit")
        elif ch in "-./":
            has.add(ch)
    f = _Fields(_comp=True)
    if "alpha" in has:
        m = t.take(_R_DAY)
        if m:
            f["wday"] = m.group(1)[:3].lower()
    if "digit" in has:
        m = t.take(_R_TIME)
        if m:
            _on_time(m, f)
    _date_rules(t, f, has)
    if "alpha" in has and t.take(_R_BC):
        f["_bc"] = True
    if "digit" in has:
        m = t.take(_R_FRAG)
        if m:
            n = int(m.group(1))
            if "hour" in f and "mday" not in f and 1 <= n <= 31:
                f["mday"] = n
            if "mday" in f and "hour" not in f and 0 <= n <= 24:
                f["hour"] = n
    if f.pop("_bc", False) and "year" in f:
        f["year"] = -f["year"] + 1  # type: ignore[operator]
    if f.pop("_comp") and "year" in f and 0 <= f["year"] <= 99:  # type: ignore[operator]
        f["year"] += 1900 if f["year"] >= 69 else 2000  # type: ignore[operator]
    return dict(f)


# -- Time.parse: the fields made into a time -----------------------------------------------------------


def _ruby_zone_offset(zone: str, year: int, local: _dt.tzinfo) -> int | None:
    """``Time.zone_offset``: seconds east of UTC, or None (then the time is local)."""
    zone = zone.upper()
    m = re.fullmatch(r"([+-])(\d\d)(:?)(\d\d)(?:\3(\d\d))?", zone, re.ASCII)
    if m:
        seconds = (int(m.group(2)) * 60 + int(m.group(4))) * 60 + int(m.group(5) or 0)
        return -seconds if m.group(1) == "-" else seconds
    if re.fullmatch(r"[+-]\d\d", zone, re.ASCII):
        return int(zone) * 3600
    if zone in _TIME_ZONES:
        return _TIME_ZONES[zone] * 3600
    for month in (1, 7):  # the local zone's own abbreviations, winter then summer
        try:
            probe = _dt.datetime(year, month, 1, tzinfo=local)
        except (ValueError, OverflowError):
            return None
        if (probe.tzname() or "").upper() == zone:
            offset = probe.utcoffset()
            return int(offset.total_seconds()) if offset is not None else None
    return None


def parse_time(text: str, zone: _dt.tzinfo, now: _dt.datetime | None = None) -> _dt.datetime:
    """``Time.parse(text).localtime`` with ``zone`` as the local zone and ``now`` (default: the current
    time) filling the fields the text leaves out before the first one it gives; ValueError when Ruby
    raises."""
    f = date_parse(text)
    keys = ("year", "yday", "mon", "mday", "hour", "min", "sec", "sec_fraction")
    if not any(k in f for k in keys):
        raise ValueError(f"no time information in {text!r}")
    current = (now or _dt.datetime.now(UTC)).astimezone(zone)
    given = f.get("zone")
    year = f.get("year")
    off_year = int(year) if year is not None else current.year  # type: ignore[call-overload]
    off = _ruby_zone_offset(str(given), off_year, zone) if given else None
    if off is not None:
        current = current.astimezone(_dt.timezone(_dt.timedelta(seconds=off)))
    mon, mday = f.get("mon"), f.get("mday")
    if "yday" in f:
        yday = int(f["yday"])  # type: ignore[call-overload]
        if not 1 <= yday <= 366:
            raise ValueError(f"yday {yday} out of range")
        base_year = int(year) if year is not None else current.year  # type: ignore[call-overload]
        day = _dt.date(base_year, 1, 1) + _dt.timedelta(days=yday - 1)
        if day.year != base_year:
            raise ValueError(f"yday {yday} out of range")
        mon, mday = day.month, day.day
    values: list[object] = [year, mon, mday, f.get("hour"), f.get("min"), f.get("sec")]
    fraction = f.get("sec_fraction")
    us: int | None = None
    if fraction is not None:
        num, den = fraction  # type: ignore[misc]
        us = num * 1_000_000 // den
    fill = (current.year, current.month, current.day, current.hour, current.minute, current.second)
    for i, value in enumerate(values):  # Ruby takes "now" for the leading fields the text leaves out
        if value is not None:
            break
        values[i] = fill[i]
    else:
        if us is None:
            us = current.microsecond
    y, mo, d, hh, mm, ss = (int(v) if v is not None else default  # type: ignore[call-overload]
                            for v, default in zip(values, (1970, 1, 1, 0, 0, 0)))
    off_year = int(year) if year is not None else fill[0]  # type: ignore[call-overload]
    if y != off_year:
        off = _ruby_zone_offset(str(given), y, zone) if given else None
    try:
        if off is not None:
            built = _make(y, mo, d, hh, mm, ss, us or 0, _dt.timezone(_dt.timedelta(seconds=off)))
            return built.astimezone(zone)
        built = _make(y, mo, d, hh, mm, ss, us or 0, zone)
        # a wall-clock time in the local zone, as mktime reads it: a time the clocks skip moves forward by
        # the gap; a time they pass twice is the second one (standard time)
        later = built.replace(fold=1).astimezone(UTC).astimezone(zone)
        if later.replace(tzinfo=None, fold=0) == built.replace(tzinfo=None):
            return later
        return built.astimezone(UTC).astimezone(zone)
    except OverflowError as exc:
        raise UnrepresentableDate(f"{text!r} is outside the years 1..9999") from exc


def jekyll_date(value: object, zone: _dt.tzinfo, *, now: _dt.datetime | None = None) -> _dt.datetime:
    """A front-matter ``date`` value (YAML-loaded) as Jekyll's ``merge_date!`` leaves it: the value's
    Ruby string form through ``Time.parse`` (``now`` fills what the text leaves out)."""
    if isinstance(value, _dt.datetime):
        # Psych reads a timestamp without an offset as UTC
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.replace(microsecond=0).astimezone(zone)
    if isinstance(value, _dt.date):
        return parse_time(value.isoformat(), zone, now)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"{value!r} is not a date")  # noqa: TRY004 - callers treat every bad date alike
    return parse_time(value if isinstance(value, str) else str(value), zone, now)
