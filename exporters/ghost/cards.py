"""Ghost bodies: what Ghost's HTML-to-lexical conversion would lose is wrapped in HTML cards, highlighted
code becomes code Ghost makes a code card of, and the lexical form holds a body as one HTML card."""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote

from exporters.ghost.schema import words
from migrate.content import ContentFormat, Embed, htmlscan
from migrate.content.htmlscan import EMPTY, END, RAW, START

log = logging.getLogger(__name__)

CARD_BEGIN = "<!--kg-card-begin: html-->"
CARD_END = "<!--kg-card-end: html-->"
_VOID = words("area base br col embed hr img input link meta param source track wbr")
_SAFE_TOP = words("p h1 h2 h3 h4 h5 h6 ul ol blockquote pre hr figure img")
_LOSSY_TAGS = words(
    "script style iframe object embed video audio canvas svg math form input button select textarea table "
    "details summary dl noscript template picture map area"
)
_HEADINGS = words("h1 h2 h3 h4 h5 h6")
_NOT_IN_LISTS = words("pre div blockquote figure hr h1 h2 h3 h4 h5 h6 img")


@dataclass
class _Chunk:
    start: int
    end: int
    lossy: bool
    tag: str | None = None
    classes: str = ""
    text: str = ""
    languages: list[str] = field(default_factory=list)
    has_pre: bool = False
    has_table: bool = False
    heading_id: str | None = None
    heading_text: str = ""


class _Chunks:
    """Splits an HTML fragment into top-level chunks and judges each one, from the events of one reading
    of it (html.parser's or ``htmlscan``'s): the one place that knows what Ghost's conversion would lose."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.stack: list[str] = []
        self.chunks: list[_Chunk] = []
        self.current: _Chunk | None = None
        self.block_children = 0
        self.open_text: _Chunk | None = None
        """Top-level text, which ends where the next markup starts (its unescaped length can be shorter)."""

    def _reach(self, position: int) -> None:
        """Markup starts at ``position``: top-level text before it ends there."""
        if self.open_text is not None:
            self.open_text.end = position
            self.open_text = None

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], start: int, end: int) -> None:
        if self.current is None:
            classes = next((v or "" for k, v in attrs if k == "class"), "")
            self.current = _Chunk(start, end, tag not in _SAFE_TOP, tag, classes)
            self.block_children = 0
        chunk = self.current
        chunk.end = max(chunk.end, end)
        if tag in _LOSSY_TAGS:
            chunk.lossy = True
        if chunk.tag in ("ul", "ol") and tag in _NOT_IN_LISTS:
            chunk.lossy = True  # Ghost's lists hold only text: it would move such blocks after the list
        if tag == "pre":
            chunk.has_pre = True
        if tag == "table":
            chunk.has_table = True
        for name, value in attrs:
            if name == "style" or name.startswith("data-") and name != "data-lang" or name.startswith("on"):
                chunk.lossy = True
            if name == "id" and tag in _HEADINGS and not self.stack:
                chunk.heading_id = value or ""  # kept if Ghost generates the same id (see ghost_html)
            elif name == "id":
                chunk.lossy = True
            if name == "class" and value:
                chunk.languages += [c[9:] for c in value.split() if c.startswith("language-")]
            if name == "data-lang" and value:
                chunk.languages.append(value)
        if chunk.tag == "blockquote" and len(self.stack) == 1 and tag not in ("em", "strong", "a", "code"):
            self.block_children += 1
            if self.block_children > 1 or tag not in ("p",):
                chunk.lossy = True

    def start_tag(self, tag: str, attrs: list[tuple[str, str | None]], start: int, end: int) -> None:
        """``<tag ...>`` from ``start`` to ``end``."""
        self._reach(start)
        self._open(tag, attrs, start, end)
        if tag not in _VOID:
            self.stack.append(tag)
        elif not self.stack:
            self._close_top(end)

    def empty_tag(self, tag: str, attrs: list[tuple[str, str | None]], start: int, end: int) -> None:
        """``<tag .../>`` from ``start`` to ``end``: opens nothing, whatever the tag."""
        self._reach(start)
        self._open(tag, attrs, start, end)
        if not self.stack:
            self._close_top(end)

    def end_tag(self, tag: str, start: int) -> None:
        """``</tag>`` from ``start``."""
        self._reach(start)
        end = self.source.find(">", start) + 1 or len(self.source)
        if tag not in self.stack:
            if self.current is not None:
                self.current.lossy = True  # a stray end tag: keep the markup exactly as written
                self.current.end = max(self.current.end, end)
            return
        while self.stack and self.stack.pop() != tag:
            pass
        if self.current is not None:
            self.current.end = max(self.current.end, end)
        if not self.stack:
            self._close_top(end)

    def _close_top(self, end: int) -> None:
        if self.current is not None:
            self.current.end = max(self.current.end, end)
            self.chunks.append(self.current)
            self.current = None

    def data(self, data: str, start: int) -> None:
        """Text as html.parser reports it (character references resolved) that starts at ``start``."""
        self._reach(start)
        if self.current is not None:
            if "pre" in self.stack:
                self.current.text += data
            if self.current.tag in _HEADINGS:
                self.current.heading_text += data
        elif data.strip():
            self.open_text = _Chunk(start, start, True, text=data)  # its end comes with the next event
            self.chunks.append(self.open_text)

    def comment(self, start: int) -> None:
        self._reach(start)
        if self.current is None:
            # Ghost drops comments, which are invisible anyway: no card needed for them alone.
            found = self.source.find("-->", start)
            self.chunks.append(_Chunk(start, found + 3 if found >= 0 else len(self.source), False))

    def declaration(self) -> None:
        """A CDATA section or another declaration html.parser does not know."""
        if self.current is not None:
            self.current.lossy = True

    def finish(self) -> list[_Chunk]:
        """The chunks, once the whole fragment is read; one still open at the end is kept verbatim."""
        self._reach(len(self.source))
        if self.current is not None:
            self.current.end = len(self.source.rstrip())
            self.current.lossy = True
            self.chunks.append(self.current)
            self.current = None
        return self.chunks


def _chunks_fast(body: str) -> list[_Chunk] | None:
    """``body``'s chunks from ``htmlscan``'s tokens; None when it cannot read ``body``, or when the text
    of a raw-text element would depend on the version of html.parser."""
    found = htmlscan.tokens(body)
    if found is None:
        return None
    chunks = _Chunks(body)
    pos = 0
    for token in found:
        kind, start, end, tag = token
        if pos < start and not _text(chunks, body, pos, start):
            return None
        if kind == START:
            chunks.start_tag(tag, htmlscan.attributes(body, token), start, end)
        elif kind == END:
            chunks.end_tag(tag, start)
        elif kind == RAW:
            content = body[start:end]
            if tag not in htmlscan.CDATA_CONTENT and "&" in content:
                return None
            if content:
                chunks.data(content, start)
        elif kind == EMPTY:
            chunks.empty_tag(tag, htmlscan.attributes(body, token), start, end)
        else:
            chunks.comment(start)
        pos = end
    if pos < len(body) and not _text(chunks, body, pos, len(body)):
        return None
    return chunks.finish()


def _text(chunks: _Chunks, body: str, start: int, end: int) -> bool:
    """Hands the text between two tokens to ``chunks`` as html.parser would; False for a ``<`` that opens
    nothing, which html.parser reports as text of its own."""
    text = body[start:end]
    if "<" in text:
        return False
    chunks.data(html.unescape(text), start)
    return True


class _TopLevel(HTMLParser):
    """Hands html.parser's events, with their offsets, to a ``_Chunks``: the reading ``_chunks_fast`` must
    agree with."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks = _Chunks(source)
        self.line_starts = [0]
        for m in re.finditer("\n", source):
            self.line_starts.append(m.end())

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._pos()
        self.chunks.start_tag(tag, attrs, start, start + len(self.get_starttag_text() or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._pos()
        self.chunks.empty_tag(tag, attrs, start, start + len(self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        self.chunks.end_tag(tag, self._pos())

    def handle_data(self, data: str) -> None:
        self.chunks.data(data, self._pos())

    def handle_comment(self, data: str) -> None:
        self.chunks.comment(self._pos())

    def unknown_decl(self, data: str) -> None:
        self.chunks.declaration()


def _chunks_slow(body: str) -> list[_Chunk] | None:
    """``body``'s chunks through html.parser; None if it fails."""
    parser = _TopLevel(body)
    try:
        parser.feed(body)
        parser.close()
    except Exception:  # HTMLParser copes with nearly anything; if not, keep everything as it is
        log.debug("HTML parse failed; the whole body becomes one HTML card", exc_info=True)
        return None
    return parser.chunks.finish()


def ghost_html(body: str, *, fast: bool = True) -> str:
    """``body`` with every top-level part Ghost's HTML-to-lexical conversion would lose wrapped in an
    HTML card (scripts, ids, footnotes, tables, embeds, raw HTML blocks), and highlighted code blocks
    turned into plain ``<pre><code class="language-X">`` that Ghost makes a code card of. ``fast=False``
    always reads ``body`` with html.parser (the reference the tests compare with)."""
    chunks = _chunks_fast(body) if fast else None
    if chunks is None:
        chunks = _chunks_slow(body)
    if chunks is None:
        return f"{CARD_BEGIN}{body}{CARD_END}" if body.strip() else body
    used_ids: dict[str, int] = {}
    for chunk in chunks:
        if chunk.tag in _HEADINGS and not chunk.lossy:
            base = ghost_heading_id(chunk.heading_text)
            generated = f"{base}-{used_ids[base]}" if base in used_ids else base
            if (
                chunk.heading_id is not None
                and quote(chunk.heading_id, safe=_URI_COMPONENT_SAFE) != generated
            ):
                chunk.lossy = True  # Ghost would give it another id and break in-page links to it
            else:
                used_ids[base] = used_ids.get(base, 0) + 1
    out: list[str] = []
    pos = 0
    card_open = False
    for chunk in chunks:
        between = body[pos : chunk.start]
        replacement = _code_block(chunk)
        card = chunk.tag == "figure" and any(c in chunk.classes.split() for c in EMBED_CARD_CLASSES)
        lossy = chunk.lossy and replacement is None and not card
        if card_open and not lossy:
            out.append(CARD_END)
            card_open = False
        out.append(between)
        if lossy and not card_open:
            out.append(CARD_BEGIN)
            card_open = True
        out.append(replacement if replacement is not None else body[chunk.start : chunk.end])
        pos = chunk.end
    if card_open:
        out.append(CARD_END)
    out.append(body[pos:])
    return "".join(out)


_URI_COMPONENT_SAFE = "-_.!~*'()"


def ghost_heading_id(text: str) -> str:
    """The ``id`` Ghost's lexical renderer gives a heading with this text (kg-utils ``slugify`` of
    Ghost 4+; a repeat within one document gets ``-1``, ``-2``...)."""
    slug = text.strip().lower()
    slug = re.sub(r"[\][!\"#$%&'()*+,./:;<=>?@\\^_{|}~]", "", slug)
    slug = re.sub(r"\s+", "-", slug)
    slug = re.sub(r"^-|-{2,}|-$", "", slug)
    return quote(slug, safe=_URI_COMPONENT_SAFE)


def _code_block(chunk: _Chunk) -> str | None:
    """A highlighted code block (Rouge's ``div.highlighter-rouge``, ``figure.highlight``) as plain
    ``pre``/``code``; None for anything else, including blocks with line-number tables."""
    if not chunk.has_pre or chunk.tag not in ("div", "figure", "pre") or "highlight" not in chunk.classes:
        return None
    if chunk.tag == "pre" and not chunk.lossy:
        return None
    language = next((lang for lang in chunk.languages if lang and lang != "plaintext"), "")
    text = chunk.text.strip("\n")
    if not text or chunk.has_table:
        return None
    attr = f' class="language-{html.escape(language)}"' if language else ""
    return f"<pre><code{attr}>{html.escape(text, quote=False)}\n</code></pre>"


def lexical_document(body: str) -> str:
    """A lexical document holding ``body`` as one HTML card (kept exactly, never converted)."""
    root = {
        "root": {
            "children": [{"type": "html", "version": 1, "html": body}],
            "direction": None,
            "format": "",
            "indent": 0,
            "type": "root",
            "version": 1,
        }
    }
    return json.dumps(root, ensure_ascii=False, separators=(",", ":"))


# -- embeds ------------------------------------------------------------------------------------------------

EMBED_CARD_CLASSES = ("kg-embed-card", "kg-bookmark-card")
"""Figures Ghost's HTML-to-lexical conversion makes an embed or bookmark card of (never wrapped in an HTML card)."""


def ghost_embed(embed: Embed, fmt: ContentFormat) -> str | None:
    """Ghost's own card markup for embedded media: an embed card for a video or a tweet, a bookmark card for
    any other link; None (the plugin's HTML) for gists, figures (Ghost makes an image card of them) and video
    files."""
    if fmt != "html":
        return None
    url = html.escape(embed.url, quote=True)
    if embed.kind == "youtube" and embed.id:
        player = f"https://www.youtube.com/embed/{html.escape(embed.id, quote=True)}?feature=oembed"
        inner = f'<iframe width="200" height="113" src="{player}" frameborder="0" allowfullscreen></iframe>'
    elif embed.kind == "vimeo" and embed.id:
        player = f"https://player.vimeo.com/video/{html.escape(embed.id, quote=True)}"
        inner = f'<iframe src="{player}" width="426" height="240" frameborder="0" allowfullscreen></iframe>'
    elif embed.kind == "x" and embed.url.startswith(("https://", "http://")):
        inner = (f'<blockquote class="twitter-tweet"><a href="{url}">{html.escape(embed.url)}</a></blockquote>'
                 '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>')
    elif embed.kind == "link" and embed.url.startswith(("https://", "http://")):
        title = html.escape(embed.url)
        return (f'<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" href="{url}">'
                f'<div class="kg-bookmark-content"><div class="kg-bookmark-title">{title}</div></div></a></figure>')
    else:
        return None
    return f'<figure class="kg-card kg-embed-card">{inner}</figure>'
