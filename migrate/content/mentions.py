"""jekyll-mentions: ``@name`` in a page's HTML becomes a link to the profile, as the plugin writes it.

The plugin runs html-pipeline's MentionFilter on each written HTML page after rendering: every text outside
``pre``, ``code``, ``a``, ``style`` and ``script`` has its mentions linked. This module does the same on the
converted body, changing only the text that holds a mention.
"""

from __future__ import annotations

import html
import re
from typing import Any

from migrate import ir
from migrate.content.markdown_blocks import block_kinds

GITHUB = "https://github.com"

MENTION = re.compile(
    r"(?:^|\W)@((?>[\w][\w-]*))(?!/)(?=\.+[ \t\W]|\.+$|[^0-9a-zA-Z_.]|$)", re.ASCII | re.IGNORECASE | re.MULTILINE
)
"""html-pipeline's ``MentionPatterns`` with jekyll-mentions' username pattern ``[\\w][\\w-]*`` (Ruby's ``\\w``
is ASCII; ``^`` and ``$`` are line anchors)."""

INFO_LOGINS = frozenset({"mention", "mentions", "mentioned", "mentioning"})
"""Names html-pipeline keeps as text (it would link them to an info page jekyll-mentions does not give)."""

IGNORED = frozenset({"pre", "code", "a", "style", "script"})
"""Elements whose text is never linked."""

_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)|<![^<>]*>|<\?[^<>]*>|</?([A-Za-z][^\s/<>]*)(?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*>", re.DOTALL
)
"""A comment, declaration, processing instruction or tag (never across another ``<``: linear on any text)."""


def mentionable(document: ir.Document) -> bool:
    """The plugin's ``mentionable?``: a page, or a document Jekyll writes, whose output is ``.html`` (or
    whose permalink is a folder), unless its front matter says ``jekyll-mentions: false``."""
    writes = document.kind == "page" or document.output_path is not None or document.is_draft
    html_output = document.output_ext == ".html" or (document.permalink or "").endswith("/")
    return writes and html_output and document.front_matter.get("jekyll-mentions") is not False


def base_url(config: dict[str, Any], front_matter: dict[str, Any]) -> tuple[str, str | None]:
    """The profile base URL (front matter over site config) and, for a setting the plugin refuses (Jekyll
    stops the build on it), why."""
    setting = front_matter["jekyll-mentions"] if "jekyll-mentions" in front_matter else config.get("jekyll-mentions")
    if setting is None:
        return GITHUB, None
    if isinstance(setting, str):
        return setting, None
    if isinstance(setting, dict):
        value = setting.get("base_url", GITHUB)
        return (GITHUB if value is None else str(value)), None
    return GITHUB, (
        f"jekyll-mentions must be a URL or a mapping with base_url, not {setting!r} (Jekyll stops the build on "
        f"it): mentions link to {GITHUB}"
    )


def _link(match: re.Match[str], base: str) -> str:
    login = match.group(1)
    if login.lower() in INFO_LOGINS:
        return match.group(0)
    url = base if base.endswith(("/", "~")) else base + "/"
    anchor = f'<a href="{html.escape(url + login)}" class="user-mention">@{login}</a>'
    start = match.start(1) - 1 - match.start(0)
    whole = match.group(0)
    return whole[:start] + anchor + whole[start + 1 + len(login) :]


def _text(segment: str, base: str) -> str:
    """One text node: linked as html-pipeline links the node's HTML (entities decoded, ``&<>`` escaped)."""
    if "@" not in segment:
        return segment
    serialised = html.unescape(segment).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    linked = MENTION.sub(lambda m: _link(m, base), serialised)
    return segment if linked == serialised else linked


def mentionify(body: str, base: str) -> str:
    """``body`` with the mentions in its text linked to ``base``/name; unchanged when it has none."""
    if "@" not in body or MENTION.search(body) is None:
        return body
    out: list[str] = []
    depth = 0
    pos = 0
    while (m := _MARKUP.search(body, pos)) is not None:
        text = body[pos : m.start()]
        out.append(_text(text, base) if depth == 0 else text)
        out.append(m.group(0))
        pos = m.end()
        name = (m.group(1) or "").lower()
        if name not in IGNORED:
            continue
        closing = m.group(0).startswith("</")
        if name in ("script", "style"):
            if not closing:  # raw text up to its end tag
                end = re.compile(rf"</{name}\b", re.IGNORECASE).search(body, pos)
                stop = len(body) if end is None else end.start()
                out.append(body[pos:stop])
                pos = stop
        elif closing:
            depth = max(0, depth - 1)
        elif not m.group(0).endswith("/>"):
            depth += 1
    out.append(_text(body[pos:], base) if depth == 0 else body[pos:])
    return "".join(out)


_MD_MASK = re.compile(
    r"`+[^`]*?`+|<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][^\s/<>]*)[^<>]*>|<![^<>]*>"
    r"|!?\[(?:[^\[\]]|\[[^\[\]]*\])*\](?=[(\[])|\]\([^()\s]*(?:\([^()]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
    r"|\]\[[^\]]*\]|\{[#.:][^{}]*\}|\\.|&#?\w+;|https?://\S+|\*+|~~|(?<!\w)_+|_+(?!\w)",
    re.IGNORECASE | re.DOTALL,
)
"""What a line of Markdown has that is no text of its own: code spans, HTML tags, link texts and targets,
attributes, escapes, entities, URLs, emphasis marks. The text between them is what the HTML's text nodes
hold, each piece starting one, as in the HTML; the text inside pre, code, a, script and style elements is
left alone."""


def mentionify_markdown(markdown: str, base: str, parser: Any) -> str:
    """``markdown`` (as Goldmark reads it, ``parser`` its block parser) with the mentions of its text linked
    as HTML anchors (Hugo renders raw HTML): code blocks and link texts left alone, HTML blocks as HTML."""
    if "@" not in markdown or MENTION.search(markdown) is None:
        return markdown
    kinds = block_kinds(markdown, parser)
    lines = markdown.split("\n")
    open_elements = [0]  # pre, code, a, script and style elements open in the paragraph
    n = 0
    while n < len(lines):
        if not lines[n].strip():
            open_elements[0] = 0
        kind = kinds.get(n)
        if kind == "html_block":
            end = n
            while kinds.get(end) == "html_block":
                end += 1
            lines[n:end] = mentionify("\n".join(lines[n:end]), base).split("\n")
            n = end
            continue
        if kind is None and ("@" in lines[n] or open_elements[0]) and not _REF_DEF.match(lines[n]):
            lines[n] = _markdown_line(lines[n], base, open_elements)
        n += 1
    return "\n".join(lines)


_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:")


def _markdown_line(line: str, base: str, open_elements: list[int] | None = None) -> str:
    depth = open_elements if open_elements is not None else [0]
    parts: list[str] = []
    pos = 0
    # the character the HTML's text has right before a piece: an escaped one, or the ";" of an entity (both
    # stay in the text node); nothing after markup that starts a new node
    before = ""
    for m in _MD_MASK.finditer(line):
        text = line[pos : m.start()]
        parts.append(_markdown_text(before, text, base) if not depth[0] else text)
        parts.append(m.group(0))
        pos = m.end()
        mark = m.group(0)
        before = mark[1] if mark.startswith("\\") else ";" if mark.startswith("&") else ""
        if m.group(2) is not None and m.group(2).lower() in IGNORED and not mark.endswith("/>"):
            depth[0] = max(0, depth[0] - 1) if m.group(1) else depth[0] + 1
    text = line[pos:]
    parts.append(_markdown_text(before, text, base) if not depth[0] else text)
    return "".join(parts)


def _markdown_text(before: str, text: str, base: str) -> str:
    if "@" not in text:
        return text
    return MENTION.sub(lambda x: _link(x, base), before + text)[len(before) :]
