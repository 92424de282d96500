"""Small Ruby-flavoured helpers the reader shares: ``File.extname``, ``strftime``, array coercions."""

from __future__ import annotations

import datetime as _dt
from typing import Any


def rb_extname(path: str) -> str:
    """Ruby's ``File.extname``: "" for dot files, the last ``.xxx`` of the last component otherwise."""
    base = path.rsplit("/", 1)[-1]
    stripped = base.lstrip(".")
    if "." not in stripped:
        return ""
    return "." + stripped.rsplit(".", 1)[1]


# Jekyll's UrlDrop date placeholders and the strftime format each one uses
DATE_PLACEHOLDERS = {
    "year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "minute": "%M", "second": "%S", "i_day": "%-d",
    "i_month": "%-m", "short_month": "%b", "long_month": "%B", "short_year": "%y", "w_year": "%G",
    "week": "%V", "w_day": "%u", "short_day": "%a", "long_day": "%A", "y_day": "%j",
}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def strftime(date: _dt.datetime, fmt: str) -> str:
    # locale-independent, like Ruby's strftime
    if fmt == "%-d":
        return str(date.day)
    if fmt == "%-m":
        return str(date.month)
    if fmt == "%b":
        return _MONTHS[date.month - 1][:3]
    if fmt == "%B":
        return _MONTHS[date.month - 1]
    if fmt == "%a":
        return _DAYS[date.weekday()][:3]
    if fmt == "%A":
        return _DAYS[date.weekday()]
    if fmt == "%Y":
        return f"{date.year:04d}"
    return date.strftime(fmt)


def dest_path(path: str) -> str:
    parts = [p for p in path.split("/") if p not in ("", ".", "..")]
    return "/".join(parts)



def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return [[k, v] for k, v in value.items()]
    return [value]


def flatten(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, list):
            out.extend(flatten(item))
        elif item is not None:
            out.append(item)
    return out


def union(first: list[Any], second: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in first + second:
        if item not in out:
            out.append(item)
    return out


def uniq_list(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    seen: set[Any] = set()
    for item in items:
        key = repr(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def pluralized(data: dict[str, Any], singular: str, plural: str) -> list[Any]:
    """``Utils.pluralized_array_from_hash``."""
    value = data.get(singular) if singular in data else None
    if value is None and plural in data:
        raw = data[plural]
        if isinstance(raw, str):
            value = raw.split()
        elif isinstance(raw, list):
            value = [x for x in raw if x is not None]
    return flatten([value])
