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


def quotes(text: str, *, before: str | None = None, after: str = "") -> str:
    """Straight quotes to curly ones by kramdown's smart-quote rules.

    ``before`` is the character preceding ``text`` in the same run of text (None at the start of a run,
    e.g. right after a code span, an emphasis or an escape); ``after`` is the character following it.
    """
    out: list[str] = []
    run_start = 0
    for i, ch in enumerate(text):
        if ch not in "\"'":
            out.append(ch)
            continue
        prev = text[i - 1] if i > run_start else (before if i == 0 else None)
        rest = text[i + 1 :] + after
        left, right = ("\u2018", "\u2019") if ch == "'" else ("\u201c", "\u201d")
        if prev is not None:
            if prev not in _NOT_CLOSE:
                out.append(right)
            elif ch == "'" and prev.isspace() and re.match(r"\d\ds", rest):
                out.append(right)
            else:
                out.append(left)
        elif (
            rest
            and rest[0] in _PUNCT
            and (len(rest) < 2 or not re.match(r"\w", rest[1]))
            and not rest.startswith("..")
        ):
            out.append(right)
        elif ch == "'" and re.match(r"\d\ds", rest):
            out.append(right)
        elif not rest or rest[0].isspace() or re.match(r"s\b", rest):
            out.append(right)
        else:
            out.append(left)
        run_start = i + 1  # the next character starts a new run: the quote was consumed
    return "".join(out)


def smarten(text: str) -> str:
    """Both conversions, for plain text (Jekyll's ``smartify`` filter)."""
    return quotes(symbols(text))
