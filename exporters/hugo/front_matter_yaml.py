"""Front matter as block YAML, written directly for the common shapes.

``yaml.dump`` spends most of its time in PyYAML's pure-Python representer (about 45 µs per Hugo front
matter even with libyaml's emitter), which was a sixth of the Hugo exporter's work per document. Most
front matters are a flat mapping of short one-line strings, numbers, booleans and lists of strings: for
those, :func:`block_yaml` writes the text ``yaml.dump`` would write, decided by the same implicit resolver.
Anything else (floats, dates, multi-line or long strings, control characters, shared containers, lists of
lists) returns None and the caller uses ``yaml.dump``; a differential test holds the two equal.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()

_MAX_SCALAR = 400
"""Longer strings are left to ``yaml.dump``: its emitter folds lines past the dump width (1000)."""

_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]|[-?:](?=\S)")
"""A first character that does not make an indicator of a plain scalar (``- x``, ``? x`` and ``: x`` do)."""
_NOT_PLAIN_INSIDE = re.compile(r":(?:\s|$)| #|\s$|^(?:---|\.\.\.)")
"""A mapping indicator, a comment, trailing space, or a document marker: plain style impossible."""
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
"""Characters beyond the Basic Multilingual Plane, emoji among them: libyaml calls them unprintable and
escapes them in a double-quoted string."""
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,60}")


def block_yaml(mapping: dict[str, Any]) -> str | None:
    """``yaml.dump(mapping, Dumper=CSafeDumper, sort_keys=False, allow_unicode=True,
    default_flow_style=False, width=1000)``, or None when ``mapping`` has a shape this writer leaves to
    PyYAML."""
    lines: list[str] = []
    if not mapping or not _mapping(mapping, "", lines, set()):
        return None
    return "".join(lines)


def _mapping(mapping: dict[str, Any], indent: str, lines: list[str], seen: set[int]) -> bool:
    if id(mapping) in seen:
        return False  # PyYAML would write an anchor and an alias
    seen.add(id(mapping))
    for key, value in mapping.items():
        if type(key) is not str or not _plain_key(key):
            return False
        if type(value) is dict and value:
            lines.append(f"{indent}{key}:\n")
            if not _mapping(value, indent + "  ", lines, seen):
                return False
        elif type(value) is list and value:
            if id(value) in seen:
                return False
            seen.add(id(value))
            lines.append(f"{indent}{key}:\n")
            for item in value:
                text = _scalar(item)
                if text is None:
                    return False
                lines.append(f"{indent}- {text}\n")  # PyYAML does not indent a list inside a mapping
        else:
            text = _empty_container(value) if type(value) in (dict, list) else _scalar(value)
            if text is None:
                return False
            lines.append(f"{indent}{key}: {text}\n")
    return True


def _empty_container(value: dict[str, Any] | list[Any]) -> str:
    return "{}" if isinstance(value, dict) else "[]"


@functools.lru_cache(maxsize=1024)
def _plain_key(key: str) -> bool:
    """A key the emitter writes plain (front matters use few distinct keys)."""
    return _KEY.fullmatch(key) is not None and _tag(key) == _STR_TAG


def _scalar(value: Any) -> str | None:
    """One scalar as the emitter writes it, or None when not certain (exact types only: PyYAML's safe
    representer refuses subclasses)."""
    if value is None:
        return "null"
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    return _string(value) if type(value) is str else None


@functools.lru_cache(maxsize=8192)
def _string(value: str) -> str | None:
    """Cached: tags, categories, layouts and authors repeat across a site's documents."""
    if len(value) > _MAX_SCALAR or not value.isprintable() or _ASTRAL.search(value):
        return None
    # isprintable() admits no line break, tab or control character, and nothing YAML calls unprintable.
    if value and _PLAIN_START.match(value) and not _NOT_PLAIN_INSIDE.search(value) and _tag(value) == _STR_TAG:
        return value
    return "'" + value.replace("'", "''") + "'"


def _tag(text: str) -> str:
    """The tag a plain scalar ``text`` would be read as (str unless it looks like a number, date, bool...)."""
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
