"""jemoji: ``:name:`` in a page's HTML becomes the emoji, as Unicode (what every target shows natively).

The plugin runs html-pipeline's EmojiFilter on each written HTML page after rendering (only inside
``<body>`` when the page has one): in every text outside ``pre``, ``code`` and ``tt``, each ``:name:`` whose
name is one of GitHub's emoji names (gemoji) becomes an ``<img>`` of GitHub's picture of it. The migration
writes the Unicode emoji the name stands for instead; a name gemoji does not know stays as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

from migrate import ir
from migrate.content.markdown_blocks import block_kinds

IGNORED = frozenset({"pre", "code", "tt"})
"""Elements whose text keeps its ``:name:`` as written."""

_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)|<![^>]*>|<\?[^>]*>|</?([A-Za-z][^\s/>]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL
)
_BODY_OPEN = re.compile(r"<body(.*?)>\s*", re.DOTALL)
_MD_MASK = re.compile(
    r"`+[^`]*?`+|<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][^\s/<>]*)[^<>]*>|<![^<>]*>"
    r"|!\[(?:[^\[\]]|\[[^\[\]]*\])*\](?=[(\[])|\]\([^()\s]*(?:\([^()]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
    r"|\]\[[^\]]*\]|\{[#.:][^{}]*\}|\\.|&#?\w+;|https?://\S+",
    re.IGNORECASE | re.DOTALL,
)
"""What a line of Markdown has that is no text of the HTML: code spans, HTML tags, image alts, link targets,
attributes, escapes, entities, URLs (a link's text is text, as in the HTML)."""
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:")


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """GitHub's emoji names (gemoji 4.1.0) and the emoji each stands for."""
    text = resources.files("migrate.content").joinpath("gemoji.tsv").read_text("utf-8")
    pairs = (line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {name: emoji for name, emoji in pairs}


@lru_cache(maxsize=1)
def pattern() -> re.Pattern[str]:
    """html-pipeline's ``emoji_pattern``: ``:`` + one of the names (sorted, escaped) + ``:``."""
    return re.compile(":(" + "|".join(re.escape(n) for n in sorted(table())) + "):")


def emojiable(document: ir.Document) -> bool:
    """jemoji's ``emojiable?``: a page or a document Jekyll writes, whose output is ``.html``; or any whose
    permalink is a folder."""
    writes = document.kind == "page" or document.output_path is not None or document.is_draft
    return (writes and document.output_ext == ".html") or (document.permalink or "").endswith("/")


def _text(segment: str) -> str:
    if ":" not in segment:
        return segment
    names = table()
    return pattern().sub(lambda m: names[m.group(1)], segment)


def _fragment(body: str) -> str:
    out: list[str] = []
    depth = 0
    pos = 0
    while (m := _MARKUP.search(body, pos)) is not None:
        text = body[pos : m.start()]
        out.append(_text(text) if depth == 0 else text)
        out.append(m.group(0))
        pos = m.end()
        name = (m.group(1) or "").lower()
        if name in ("script", "style") and not m.group(0).startswith("</"):
            end = re.compile(rf"</{name}\b", re.IGNORECASE).search(body, pos)  # raw text up to its end tag
            stop = len(body) if end is None else end.start()
            out.append(body[pos:stop])
            pos = stop
        elif name in IGNORED:
            if m.group(0).startswith("</"):
                depth = max(0, depth - 1)
            elif not m.group(0).endswith("/>"):
                depth += 1
    out.append(_text(body[pos:]) if depth == 0 else body[pos:])
    return "".join(out)


def emojify(html_text: str) -> str:
    """``html_text`` with each known ``:name:`` of its text as the emoji (only inside ``<body>`` when it has
    one); unchanged when it has none."""
    if ":" not in html_text or pattern().search(html_text) is None:
        return html_text
    if "<body" in html_text:
        m = _BODY_OPEN.search(html_text)
        if m is None:
            return html_text
        body, closing, rest = html_text[m.end() :].partition("</body>")
        return html_text[: m.end()] + _fragment(body) + closing + rest
    return _fragment(html_text)


def emojify_markdown(markdown: str, parser: Any) -> str:
    """``markdown`` (as Goldmark reads it, ``parser`` its block parser) with the known ``:name:`` of its text
    as emoji: code blocks, code spans, link targets and URLs left alone, HTML blocks as HTML."""
    if ":" not in markdown or pattern().search(markdown) is None:
        return markdown
    kinds = block_kinds(markdown, parser)
    lines = markdown.split("\n")
    depth = [0]  # pre, code and tt elements open in the paragraph
    n = 0
    while n < len(lines):
        if not lines[n].strip():
            depth[0] = 0
        kind = kinds.get(n)
        if kind == "html_block":
            end = n
            while kinds.get(end) == "html_block":
                end += 1
            lines[n:end] = emojify("\n".join(lines[n:end])).split("\n")
            n = end
            continue
        if kind is None and (":" in lines[n] or depth[0]) and not _REF_DEF.match(lines[n]):
            lines[n] = _markdown_line(lines[n], depth)
        n += 1
    return "\n".join(lines)


def _markdown_line(line: str, depth: list[int]) -> str:
    parts: list[str] = []
    pos = 0
    for m in _MD_MASK.finditer(line):
        text = line[pos : m.start()]
        parts.append(_text(text) if not depth[0] else text)
        parts.append(m.group(0))
        pos = m.end()
        if m.group(2) is not None and m.group(2).lower() in IGNORED and not m.group(0).endswith("/>"):
            depth[0] = max(0, depth[0] - 1) if m.group(1) else depth[0] + 1
    parts.append(_text(line[pos:]) if not depth[0] else line[pos:])
    return "".join(parts)
