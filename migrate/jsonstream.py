"""JSON written piece by piece with exactly the text ``json.dumps`` gives, for documents too large to
build whole in memory (the Ghost import, redirect lists, the manifest)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

_PIECE_BYTES = 1 << 16


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

    ``value`` may hold :class:`LazyArray` and :class:`Encoded` values anywhere; the rest is encoded by
    ``json``'s own encoder as it is written, so neither the text nor the list of its pieces that
    ``json.dumps`` builds is ever whole in memory. Each nested level is indented by ``indent`` spaces.
    """
    encoder = json.JSONEncoder(indent=indent, ensure_ascii=ensure_ascii)
    return _pieces(value, 0, encoder, indent, ensure_ascii)


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


def _pieces(value: Any, depth: int, encoder: json.JSONEncoder, indent: int, ascii_only: bool) -> Iterator[str]:
    if isinstance(value, Encoded):
        yield _shift(value.text, depth, indent)
    elif isinstance(value, LazyArray) or (isinstance(value, (list, tuple)) and _holds_lazy(value)):
        items = value.items if isinstance(value, LazyArray) else value
        inner = "\n" + " " * (indent * (depth + 1))
        first = True
        for item in items:
            yield ("[" if first else ",") + inner
            first = False
            yield from _pieces(item, depth + 1, encoder, indent, ascii_only)
        yield "[]" if first else "\n" + " " * (indent * depth) + "]"
    elif isinstance(value, dict) and _holds_lazy(value):
        inner = "\n" + " " * (indent * (depth + 1))
        first = True
        for key, item in value.items():
            yield ("{" if first else ",") + inner + json.dumps(_key(key), ensure_ascii=ascii_only) + ": "
            first = False
            yield from _pieces(item, depth + 1, encoder, indent, ascii_only)
        yield "{}" if first else "\n" + " " * (indent * depth) + "}"
    else:
        yield from _plain(value, depth, encoder, indent)


def _plain(value: Any, depth: int, encoder: json.JSONEncoder, indent: int) -> Iterator[str]:
    """A value without lazy parts: a list element by element (it may be long), anything else encoded whole
    in one call (rows and scalars: one piece each rather than the encoder's many small ones)."""
    if isinstance(value, (list, tuple)) and value:
        inner = "\n" + " " * (indent * (depth + 1))
        first = True
        for item in value:
            yield ("[" if first else ",") + inner
            first = False
            yield from _plain(item, depth + 1, encoder, indent)
        yield "\n" + " " * (indent * depth) + "]"
        return
    # Inside the encoder's text a newline only ever starts an indentation (strings escape theirs).
    text = encoder.encode(value)
    yield text.replace("\n", "\n" + " " * (indent * depth)) if depth else text


def _shift(text: str, depth: int, indent: int) -> str:
    return text.replace("\n", "\n" + " " * (indent * depth)) if depth else text


def _key(key: Any) -> str:
    """A key as ``json`` writes it: strings as they are, numbers, booleans and None as their JSON text."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _holds_lazy(value: Any) -> bool:
    if isinstance(value, (LazyArray, Encoded)):
        return True
    if isinstance(value, dict):
        return any(_holds_lazy(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_lazy(v) for v in value)
    return False
