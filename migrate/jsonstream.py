"""JSON written piece by piece with exactly the text ``json.dumps`` gives, for documents too large to
build whole in memory (the Ghost import, redirect lists, the manifest)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

_PIECE_BYTES = 1 << 16

_WHOLE_LIMIT = 256
"""Containers longer than this are written element by element rather than encoded in one go, so no
piece of the text grows with the site."""

_INFINITY = float("inf")


class LazyArray:
    """A JSON array whose elements an iterable produces while the text is written (read once)."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


@dataclass(frozen=True, slots=True)
class Encoded:
    """A value already encoded on its own, by ``json.dumps`` with the same options, at depth 0."""

    text: str


def iter_json(value: Any, *, indent: int, ensure_ascii: bool = True) -> Iterator[str]:
    """The text of ``json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)``, in pieces.

    ``value`` may hold :class:`LazyArray` and :class:`Encoded` values anywhere. Short containers are
    encoded in one go; lazy arrays and long lists and dicts are written element by element, so neither
    the text nor the list of its pieces that ``json.dumps`` builds is ever whole in memory. Each nested
    level is indented by ``indent`` spaces.
    """
    return _Writer(indent, ensure_ascii).pieces(value, 0)


def iter_json_bytes(value: Any, *, indent: int, ensure_ascii: bool = True) -> Iterator[bytes]:
    """:func:`iter_json` encoded as UTF-8, in chunks of about 64 KB."""
    batch: list[str] = []
    size = 0
    for piece in iter_json(value, indent=indent, ensure_ascii=ensure_ascii):
        batch.append(piece)
        size += len(piece)
        if size >= _PIECE_BYTES:
            yield "".join(batch).encode("utf-8")
            batch, size = [], 0
    if batch:
        yield "".join(batch).encode("utf-8")


class _Streamed(Exception):
    """Raised by the whole-value encoder on a part it must not encode in one go: a lazy array, a long
    container, or a value only ``json``'s own encoder knows what to do with (or how to refuse)."""


class _Newlines(dict[int, str]):
    """Depth -> newline and indentation."""

    def __init__(self, indent: int, prefix: str) -> None:
        super().__init__()
        self.indent = indent
        self.prefix = prefix

    def __missing__(self, depth: int) -> str:
        text = self[depth] = self.prefix + "\n" + " " * (self.indent * depth)
        return text


class _Writer:
    """``json.dumps(..., indent=indent)`` in two parts: a streaming walk over the containers that hold
    lazy or long parts, and a whole-value encoder for the rest.

    The whole-value encoder builds each container's text with one ``join`` of its members, using the C
    string escaper: the text ``json``'s pure-Python indenting encoder gives (the C encoder does not
    indent), at a fraction of its cost."""

    def __init__(self, indent: int, ensure_ascii: bool) -> None:
        self.indent = indent
        self.json = json.JSONEncoder(indent=indent, ensure_ascii=ensure_ascii)
        self.newline = _Newlines(indent, "")
        self.separator = _Newlines(indent, ",")
        self.encode, self.encode_key = self._whole_encoders(ensure_ascii)

    def pieces(self, value: Any, depth: int) -> Iterator[str]:
        try:
            text = self.encode(value, depth)
        except _Streamed:
            pass
        else:
            yield text
            return
        if isinstance(value, LazyArray):
            yield from self._members(value.items, depth, "[", "]", None)
        elif isinstance(value, (list, tuple)):
            yield from self._members(value, depth, "[", "]", None)
        elif isinstance(value, dict):
            yield from self._members(value.values(), depth, "{", "}", iter(value))
        else:  # not JSON-serialisable: json raises its own error
            yield self._shift(self.json.encode(value), depth)

    def _members(self, items: Iterable[Any], depth: int, opening: str, closing: str,
                 keys: Iterator[Any] | None) -> Iterator[str]:
        encode = self.encode
        inner = depth + 1
        separator = opening + self.newline[inner]
        empty = True
        for item in items:
            if keys is not None:
                separator += self.encode_key(next(keys)) + ": "
            try:
                text = encode(item, inner)
            except _Streamed:
                yield separator
                yield from self.pieces(item, inner)
            else:
                yield separator + text
            separator = self.separator[inner]
            empty = False
        yield opening + closing if empty else self.newline[depth] + closing

    def _shift(self, text: str, depth: int) -> str:
        return text.replace("\n", self.newline[depth]) if depth else text

    def _whole_encoders(self, ensure_ascii: bool) -> tuple[Callable[[Any, int], str], Callable[[Any], str]]:
        """The whole-value encoder ``(value, depth) -> text`` and the key encoder."""
        escape = encode_basestring_ascii if ensure_ascii else encode_basestring
        newline, separator = self.newline, self.separator
        int_text = int.__repr__

        def key(k: Any) -> str:
            if isinstance(k, str):
                return escape(k)
            if isinstance(k, float):
                return escape(_float_text(k))
            if k is True or k is False or k is None:
                return escape(json.dumps(k))
            if isinstance(k, int):
                return escape(int_text(k))
            raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")

        def value(v: Any, depth: int) -> str:
            kind = type(v)
            if kind is str:
                return escape(v)
            if kind is dict:
                return mapping(v, depth)
            if v is None:
                return "null"
            if v is True:
                return "true"
            if v is False:
                return "false"
            if kind is int:
                return int_text(v)
            if kind is list or kind is tuple:
                return array(v, depth)
            return other(v, depth)

        def other(v: Any, depth: int) -> str:
            # json's own order of checks, for subclasses
            if isinstance(v, str):
                return escape(v)
            if isinstance(v, int):
                return int_text(v)
            if isinstance(v, float):
                return _float_text(v)
            if isinstance(v, (list, tuple)):
                return array(v, depth)
            if isinstance(v, dict):
                return mapping(v, depth)
            if isinstance(v, Encoded):
                return self._shift(v.text, depth)
            raise _Streamed

        def mapping(d: dict[Any, Any], depth: int) -> str:
            if not d:
                return "{}"
            if len(d) > _WHOLE_LIMIT:
                raise _Streamed
            inner = depth + 1
            members = [
                (escape(k) if type(k) is str else key(k)) + ": " + (escape(v) if type(v) is str else value(v, inner))
                for k, v in d.items()
            ]
            return "{" + newline[inner] + separator[inner].join(members) + newline[depth] + "}"

        def array(items: list[Any] | tuple[Any, ...], depth: int) -> str:
            if not items:
                return "[]"
            if len(items) > _WHOLE_LIMIT:
                raise _Streamed
            inner = depth + 1
            members = [value(v, inner) for v in items]
            return "[" + newline[inner] + separator[inner].join(members) + newline[depth] + "]"

        return value, key


def _float_text(number: float) -> str:
    if math.isnan(number):
        return "NaN"
    if number == _INFINITY:
        return "Infinity"
    if number == -_INFINITY:
        return "-Infinity"
    return float.__repr__(number)
