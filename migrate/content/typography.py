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
_WORD = re.compile(r"\w")
_PLURAL = re.compile(r"s\b")


def quotes(text: str, *, before: str | None = None, after: str = "") -> str:
    """Straight quotes to curly ones by kramdown's smart-quote rules.

    ``before`` is the character preceding ``text`` in the same run of text (None at the start of a run,
    e.g. right after a code span, an emphasis or an escape); ``after`` is the character following it.
    """
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    pos = 0
    run_start = 0
    for m in _QUOTE_RE.finditer(text):
        i = m.start()
        ch = text[i]
        out.append(text[pos:i])
        prev = text[i - 1] if i > run_start else (before if i == 0 else None)
        # Every rule below looks at most three characters ahead.
        rest = (text[i + 1 : i + 4] + after)[:3]
        left, right = ("\u2018", "\u2019") if ch == "'" else ("\u201c", "\u201d")
        if prev is not None:
            if prev not in _NOT_CLOSE:
                out.append(right)
            elif ch == "'" and prev.isspace() and _DECADE.match(rest):
                out.append(right)
            else:
                out.append(left)
        elif (
            rest
            and rest[0] in _PUNCT
            and (len(rest) < 2 or not _WORD.match(rest[1]))
            and not rest.startswith("..")
        ):
            out.append(right)
        elif ch == "'" and _DECADE.match(rest):
            out.append(right)
        elif not rest or rest[0].isspace() or _PLURAL.match(rest):
            out.append(right)
        else:
            out.append(left)
        pos = run_start = i + 1  # the next character starts a new run: the quote was consumed
    out.append(text[pos:])
    return "".join(out)


def smarten(text: str) -> str:
    """Both conversions, for plain text (Jekyll's ``smartify`` filter)."""
    return quotes(symbols(text))
