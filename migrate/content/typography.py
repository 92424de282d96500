"""kramdown's typographic conversions: smart quotes, dashes, ellipses and guillemets."""

from __future__ import annotations

import re

_SYMBOLS = [("---", "\u2014"), ("--", "\u2013"), ("...", "\u2026"), ("<<", "\u00ab"), (">>", "\u00bb")]
_SYMBOL_RE = re.compile(r"---|--|\.\.\.|<<|>>")
_SYMBOL_MAP = dict(_SYMBOLS)


def symbols(text: str) -> str:
    """Dashes, ellipses and guillemets as kramdown writes them."""
    return _SYMBOL_RE.sub(lambda m: _SYMBOL_MAP[m.group(0)], text)


_NOT_CLOSE = " \\\t\r\n[{(-"
"""A quote right after one of these (in the same text run) is not a closing one."""
_PUNCT = set("!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~")


_QUOTE_RE = re.compile("[\"']")
_DECADE = re.compile(r"\d\ds")
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")  # Ruby's ``\w``
_PLURAL = re.compile(r"s(?!\w)")  # ``s\b``: Ruby's word boundary knows Unicode letters
_EMPHASIS_NEXT = re.compile(r"[_*]{1,2}\S")


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def quotes(text: str, *, before: str | None = None, after: str = "") -> str:
    """Straight quotes to curly ones by kramdown's smart-quote rules (its ``SQ_RULES``, in order).

    ``before`` is the character preceding ``text`` in the same run of text (None at the start of a run,
    e.g. right after a code span, an emphasis, an escape or a typographic symbol); ``after`` is the source
    text following it (a few characters are enough).
    """
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    pos = 0
    run_start = 0
    forced: str | None = None  # a quote already decided by the rule that consumed the one before it
    for m in _QUOTE_RE.finditer(text):
        i = m.start()
        ch = text[i]
        out.append(text[pos:i])
        prev = text[i - 1] if i > run_start else (before if i == 0 else None)
        pos = run_start = i + 1  # the next character starts a new run: the quote was consumed
        left, right = ("\u2018", "\u2019") if ch == "'" else ("\u201c", "\u201d")
        if forced is not None:
            out.append(forced)
            forced = None
            continue
        # Every rule below looks at most three characters ahead.
        rest = (text[i + 1 : i + 4] + after)[:3]
        nxt = rest[:1]
        if prev is not None:
            if prev.isspace() and nxt and nxt in "\"'" and nxt != ch and _ASCII_WORD.match(rest[1:2] or " "):
                out.append(left)  # ``"'word``: both open
                forced = "\u2018" if nxt == "'" else "\u201c"
            elif (ch == "'" and prev.isspace() and _DECADE.match(rest)) or prev not in _NOT_CLOSE:
                out.append(right)
            else:
                out.append(left)
            continue
        if _EMPHASIS_NEXT.match(rest):
            out.append(left)
        elif nxt and nxt in _PUNCT and rest[1:3] != ".." and _is_word(nxt) == _is_word(rest[1:2] or " "):
            out.append(right)
        elif nxt and nxt in "\"'" and nxt != ch and _ASCII_WORD.match(rest[1:2] or " "):
            out.append(left)
            forced = "\u2018" if nxt == "'" else "\u201c"
        elif ch == "'" and _DECADE.match(rest):
            out.append(right)
        elif nxt and nxt in "\"'":
            out.append(ch)  # kramdown's closing rule takes this quote as the character before the next one
            forced = "\u2019" if nxt == "'" else "\u201d"
        elif not rest or rest[0].isspace() or _PLURAL.match(rest):
            out.append(right)
        else:
            out.append(left)
    out.append(text[pos:])
    return "".join(out)


_SYMBOL_OR_DELIMITER_RE = re.compile(r"---|--|\.\.\.|<<|>>|[*_]+")


def typographic(text: str, *, before: str | None = None, after: str = "", source: bool = False) -> str:
    """Symbols and quotes together: each symbol is an element of its own for kramdown, so a quote right
    after one starts a new run of text, and a quote right before one sees its source (``...``).

    ``source``: ``text`` is Markdown source, whose emphasis delimiters (``*``, ``_``) kramdown's emphasis
    parser consumes (as emphasis or as text): they end a run of text too, and are kept as written.
    """
    pattern = _SYMBOL_OR_DELIMITER_RE if source else _SYMBOL_RE
    if not pattern.search(text):
        return quotes(text, before=before, after=after)
    parts = pattern.split(text)
    found = pattern.findall(text)
    out: list[str] = []
    for n, part in enumerate(parts):
        following = (found[n] + "".join(parts[n + 1 :]) + after) if n < len(found) else after
        out.append(quotes(part, before=before if n == 0 else None, after=following[:3]))
        if n < len(found):
            out.append(_SYMBOL_MAP.get(found[n], found[n]))
    return "".join(out)


def smarten(text: str) -> str:
    """Both conversions, for plain text (Jekyll's ``smartify`` filter)."""
    return quotes(symbols(text))
