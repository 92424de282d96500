"""Ruby Liquid's lax reading of markup that its strict parser rejects (Jekyll's ``error_mode: warn``).

With ``liquid.error_mode: warn`` (Jekyll's default) Ruby Liquid first parses an output statement, an
``assign`` or a condition strictly; when that fails it prints a warning and reads the markup again with
the regular expressions of its lax mode, which skip what they do not understand (a trailing ``|``, stray
punctuation). These functions give the markup as the lax reading understood it, in a form the strict
parser accepts, or None when the lax reading fails too.
"""

from __future__ import annotations

import re

_QUOTED_STRING = r"\"[^\"]*\"|'[^']*'"
_QUOTED_FRAGMENT = rf"(?:{_QUOTED_STRING}|(?:[^\s,|'\"]|{_QUOTED_STRING})+)"
_MARKUP_WITH_QUOTED_FRAGMENT = re.compile(rf"({_QUOTED_FRAGMENT})(.*)", re.S)
_FILTER_MARKUP = re.compile(r"\|\s*(.*)", re.S)
_FILTER_PARSER = re.compile(rf"(?:\s+|{_QUOTED_FRAGMENT}|,)+")
_FILTER_ARGS = re.compile(rf"(?::|,)\s*((?:\w+\s*:\s*)?{_QUOTED_FRAGMENT})")
_VARIABLE_SIGNATURE = r"\(?[\w\-.\[\]]\)?"
_ASSIGN = re.compile(rf"({_VARIABLE_SIGNATURE}+)\s*=\s*(.*)\s*", re.S)
_CONDITION = re.compile(rf"({_QUOTED_FRAGMENT})\s*([=!<>a-z_]+)?\s*({_QUOTED_FRAGMENT})?")
_AND_OR = r"\b(?:\s?and\s?|\s?or\s?)\b"
_EXPRESSIONS_AND_OPERATORS = re.compile(rf"(?:{_AND_OR}|(?:\s*(?!{_AND_OR})(?:{_QUOTED_FRAGMENT}|\S+)\s*)+)")


_LITERAL = re.compile(
    rf"\A(?:{_QUOTED_STRING}|nil|null|true|false|blank|empty|-?\d+|-?\d[\d.]+|\(\s*\S+\s*\.\.\s*\S+\s*\))\Z"
)
_VARIABLE_PARSER = re.compile(r"\[(?:[^\[\]]+|\[[^\[\]]*\])*\]|[\w-]+\??")


def lax_expression(markup: str) -> str:
    """An expression as Ruby's ``Expression.parse`` reads it: a literal, else a variable made of the names
    and ``[...]`` lookups it finds (``page..title`` is ``page.title``)."""
    markup = markup.strip()
    if _LITERAL.match(markup):
        return markup
    lookups = _VARIABLE_PARSER.findall(markup)
    if not lookups:
        return markup
    return lookups[0] + "".join(part if part.startswith("[") else "." + part for part in lookups[1:])


def _lax_argument(markup: str) -> str:
    m = re.match(r"(\w+\s*:\s*)(.*)", markup, re.S)
    if m and not _LITERAL.match(markup.strip()):
        return m.group(1) + lax_expression(m.group(2))
    return lax_expression(markup)


def lax_variable(markup: str) -> str | None:
    """An output statement's (or ``assign`` value's) markup as lax Liquid reads it: the first fragment, then
    each filter's name and arguments; the rest is skipped."""
    m = _MARKUP_WITH_QUOTED_FRAGMENT.search(markup)
    if m is None:
        return None
    parts = [lax_expression(m.group(1))]
    filters = _FILTER_MARKUP.search(m.group(2))
    if filters is not None:
        for chunk in _FILTER_PARSER.findall(filters.group(1)):
            name = re.search(r"\w+", chunk)
            if name is None:
                continue
            args = [_lax_argument(a) for a in _FILTER_ARGS.findall(chunk)]
            parts.append(f" | {name.group(0)}" + (": " + ", ".join(args) if args else ""))
    return "".join(parts)


def lax_assign(markup: str) -> str | None:
    """An ``assign`` tag's markup as lax Liquid reads it."""
    m = _ASSIGN.search(markup)
    if m is None:
        return None
    value = lax_variable(m.group(2))
    return None if value is None else f"{m.group(1)} = {value}"


def lax_condition(markup: str) -> str | None:
    """An ``if``/``elsif``/``unless`` condition as lax Liquid reads it: each ``left op right`` comparison
    (its first fragments), joined by ``and``/``or``."""
    pieces = _EXPRESSIONS_AND_OPERATORS.findall(markup)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2 == 1:
            op = piece.strip()
            if op not in ("and", "or"):
                return None
            out.append(op)
            continue
        m = _CONDITION.search(piece)
        if m is None:
            return None
        out.append(" ".join(p for p in m.groups() if p))
    if not out or len(out) % 2 == 0:
        return None
    return " ".join(out)
