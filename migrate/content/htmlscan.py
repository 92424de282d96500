"""A regex tokenizer for the plain HTML that html.parser reads the same way in every Python we support: the
fast path of the passes that would otherwise run html.parser over every body, which fall back to it on None."""

from __future__ import annotations

import re
from html import unescape
from typing import Literal

# The tokenizer models exactly: well-formed start and end tags, comments, raw-text elements and text between
# them. It keeps to what every ``html.parser`` we support (Python 3.10 on, before and after the 2025
# tokenizer fixes) reads alike; anything else (declarations, processing instructions, tolerated malformed
# tags, unterminated constructs) makes it answer None, and the caller runs the parser.
_WS = "[ \t\n\r\f]"
_NAME = "[a-zA-Z_:][-a-zA-Z0-9_:.]*"
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_MARKUP = re.compile(
    rf"""<(?:
        (?P<start>[a-zA-Z][a-zA-Z0-9-]*)
          (?:{_WS}+{_NAME}(?:{_WS}*={_WS}*{_VALUE})?)*
          {_WS}*(?P<selfclose>/?)>
      | /(?P<end>[a-zA-Z][a-zA-Z0-9-]*){_WS}*>
      | (?P<comment>!--)
      | (?P<other>[a-zA-Z/!?])
    )""",
    re.VERBOSE,
)
_ATTRIBUTE = re.compile(rf"{_WS}+({_NAME})(?:{_WS}*={_WS}*({_VALUE}))?")
"""One attribute of a start tag ``_MARKUP`` matched; ``finditer`` over the tag finds them all, in order."""
_COMMENT_CLOSE = re.compile(r"--\s*>")
# Elements whose content some html.parser takes as raw text: script and style always; the rest only in
# newer versions, so their content must hold no ``<`` for all versions to agree.
_RAW_TEXT = ("script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title")
_RAW_TEXT_END = {name: re.compile(rf"</\s*{name}", re.IGNORECASE) for name in _RAW_TEXT}
CDATA_CONTENT = frozenset({"script", "style"})
"""Raw-text elements whose content every html.parser reports as written, never unescaped; the content of
the other ones is unescaped by some versions only."""

TokenKind = Literal["start", "empty", "end", "comment", "raw"]
START: TokenKind = "start"
"""``<name ...>``."""
EMPTY: TokenKind = "empty"
"""``<name .../>``: html.parser's ``handle_startendtag``."""
END: TokenKind = "end"
"""``</name>``."""
COMMENT: TokenKind = "comment"
"""``<!-- ... -->``."""
RAW: TokenKind = "raw"
"""The content of a raw-text element (possibly empty), between its start and end token; it holds no ``<``
unless the element is in ``CDATA_CONTENT``."""
Token = tuple[TokenKind, int, int, str]
"""(kind, start offset, end offset, lower-case element name or "" for a comment)."""


def tokens(text: str) -> list[Token] | None:
    """Every tag, comment and raw-text content of ``text``, in order, each with its span; what lies between
    them is text. None when the text holds anything the tokenizer does not model exactly."""
    found: list[Token] = []
    pos = 0
    search = _MARKUP.search
    while True:
        m = search(text, pos)
        if m is None:
            return found
        # the last group that took part names the branch: a start tag always ends with "selfclose"
        branch = m.lastgroup
        if branch == "selfclose":
            tag = m.group("start").lower()
            pos = m.end()
            raw_text = tag in _RAW_TEXT_END
            if m.group("selfclose"):
                # whether ``<script/>`` opens raw text differs between versions
                if raw_text or tag == "plaintext":
                    return None
                found.append((EMPTY, m.start(), pos, tag))
                continue
            if tag == "plaintext":
                return None
            found.append((START, m.start(), pos, tag))
            if raw_text:
                end = _raw_text_end(text, pos, tag)
                if end < 0:
                    return None
                found.append((RAW, pos, end, tag))
                pos = end + len(tag) + 3
                found.append((END, end, pos, tag))
        elif branch == "end":
            pos = m.end()
            found.append((END, m.start(), pos, m.group("end").lower()))
        elif branch == "comment":
            close = _comment_end(text, m.end())
            if close < 0:
                return None
            found.append((COMMENT, m.start(), close, ""))
            pos = close
        else:
            return None


def _raw_text_end(text: str, pos: int, tag: str) -> int:
    """Where the ``</tag>`` closing raw text that starts at ``pos`` begins; -1 when versions may disagree."""
    end = _RAW_TEXT_END[tag].search(text, pos)
    # only a plain ``</name>`` closes it alike in every version
    if end is None or text[end.start() : end.start() + len(tag) + 3].lower() != f"</{tag}>":
        return -1
    # raw text in one version is markup in another; script data may "escape" in a comment
    content = text[pos : end.start()]
    if "<" in content and (tag not in CDATA_CONTENT or "<!--" in content):
        return -1
    return end.start()


def _comment_end(text: str, pos: int) -> int:
    """The end of the comment whose ``<!--`` ends at ``pos``; -1 when versions may disagree."""
    close = _COMMENT_CLOSE.search(text, pos)
    # newer versions also end a comment at ``--!>``, or at once at ``<!-->`` and ``<!--->``
    if (
        close is None
        or close.group() != "-->"
        or text.startswith((">", "->"), pos)
        or "--!>" in text[pos : close.start()]
    ):
        return -1
    return close.end()


def attributes(text: str, token: Token) -> list[tuple[str, str | None]]:
    """The attributes of a start tag ``tokens`` found in ``text``, as html.parser reports them: names in
    lower case, values without their quotes and unescaped, None for a name without a value."""
    _kind, start, end, tag = token
    found: list[tuple[str, str | None]] = []
    if end - start == len(tag) + 2:  # ``<tag>``, the common case
        return found
    for m in _ATTRIBUTE.finditer(text, start, end):
        value = m.group(2)
        if value is not None:
            if value[0] in "\"'":
                value = value[1:-1]
            if value:
                value = unescape(value)
        found.append((m.group(1).lower(), value))
    return found
