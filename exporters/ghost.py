"""Ghost exporter: a Ghost 6 import (JSON plus images in a zip) and Ghost's redirects files."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import html
import itertools
import json
import logging
import posixpath
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from exporters.base import Exporter, Option
from migrate.content import Converted, Targets, htmlscan
from migrate.content.htmlscan import EMPTY, END, RAW, START
from migrate.content.links import remote_key
from migrate.errors import OptionError
from migrate.ir import Author, Document, Site, StaticFile
from migrate.jsonstream import Encoded, LazyArray, iter_json_bytes
from migrate.plan import DocumentOutcome, Plan, PlannedFile, Span, SpoolWriter
from migrate.report import Report

log = logging.getLogger(__name__)

ZIP_NAME = "ghost-import.zip"
JSON_NAME = "ghost-import.json"
GHOST_VERSION = "6.0.0"

# Ghost's schema validations (core/server/data/schema/schema.js, Ghost 6.65); a longer value fails the file.
TITLE_MAX = 255
SLUG_MAX = 185  # Ghost itself cuts generated slugs to 185 so a "-N" suffix still fits in 191
TAG_NAME_MAX = 191
EXCERPT_MAX = 300
META_TITLE_MAX = 300
META_DESCRIPTION_MAX = 500
IMAGE_ALT_MAX = 191
BIO_MAX = 250
EMAIL_MAX = 191


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Slugs Ghost rewrites (protected: "rss" becomes "rss-post") or whose URL a Ghost route already answers.
RESERVED_SLUGS = _words(
    "ghost rss amp p r email content assets public members tag author page unsubscribe webmentions "
    "sitemap robots search"
)
ROLES = ("Contributor", "Author", "Editor", "Administrator")

# What Ghost's importer takes from a zip and where it serves it (config uploads.*.extensions).
IMAGE_EXTS = _words(".jpg .jpeg .gif .png .svg .svgz .ico .webp")
MEDIA_EXTS = _words(".mp4 .webm .ogv .mp3 .wav .ogg .m4a")
FILE_EXTS = _words(
    ".7z .aac .ai .aif .aiff .avif .avi .bmp .bz2 .css .csv .doc .docx .eot .epub .eps .flac .geojson "
    ".gpx .gz .heic .heif .ics .ipynb .js .json .jsonld .key .kml .m4v .md .mid .midi .mkv .mobi .mov "
    ".numbers .odp .ods .odt .opus .otf .pages .pdf .ppt .pptx .psd .py .rar .rtf .stl .tar .tgz .tif "
    ".tiff .toml .tsv .ttf .txt .vcf .woff .woff2 .xls .xlsx .xml .yaml .zip"
)
_STORED_EXTS = _words(".jpg .jpeg .gif .png .webp .mp4 .webm .mp3 .m4a .ogg .zip .gz .pdf")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DEFAULT_NOW = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)

FEATURE_IMAGE_KEYS = (
    "feature_image", "image", "featured_image", "featured-image", "cover_image", "cover", "thumbnail",
    "banner", "header.image", "header.overlay_image", "header.teaser",
)  # fmt: skip
CANONICAL_KEYS = ("canonical_url", "canonical")
META_TITLE_KEYS = ("meta_title", "seo_title", "seo.title")

# -- slugs --------------------------------------------------------------------------------------------

_GREEK = ("a", "b", "g", "d", "e", "z", "e", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "t",
          "y", "ph", "ch", "ps", "o")  # fmt: skip
_TRANSLIT = {
    **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye")),
    "ё": "io", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "",
    "ю": "iu", "я": "ia", "є": "ie", "і": "i", "ї": "i", "ґ": "g", "ў": "u",
    **dict(zip("αβγδεζηθικλμνξοπρστυφχψω", _GREEK)),
    "ς": "s", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i",
}  # fmt: skip


def ghost_slug(text: str, *, limit: int = SLUG_MAX) -> str:
    """A slug Ghost keeps as it is: ASCII letters, digits and single dashes, at most ``limit`` long.

    Non-ASCII letters are transliterated (Cyrillic, Greek, accents) the way Ghost's own slugs read;
    apostrophes vanish as in Ghost (``don't`` -> ``dont``). May return "" when nothing is left.
    """
    text = re.sub(r"['’‘`]", "", text.lower())
    text = "".join(_TRANSLIT.get(ch, ch) for ch in text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rstrip("-")
    return slug


def ghost_url_slug(url: str) -> str | None:
    """The slug whose Ghost URL (``/SLUG/``, which also answers ``/SLUG``) is this URL, or None."""
    match = re.fullmatch(r"/([a-z0-9]+(?:-[a-z0-9]+)*)/?", url)
    if match is None or len(match.group(1)) > SLUG_MAX or match.group(1) in RESERVED_SLUGS:
        return None
    return match.group(1)


class SlugAllocator:
    """Hands out unique slugs in call order: a taken one gets ``-2``, ``-3``... as Ghost would."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.used: set[str] = set()
        self.reserved = frozenset(reserved)

    def take(self, wanted: str, *, fallback: str) -> str:
        base = wanted or fallback
        if base in self.reserved:
            base = f"{base}-{fallback}"
        slug, n = base, 1
        while slug in self.used:
            n += 1
            suffix = f"-{n}"
            slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        self.used.add(slug)
        return slug


# -- small helpers ------------------------------------------------------------------------------------


def ghost_date(value: dt.datetime | None) -> str | None:
    """Ghost's date format: UTC with milliseconds and ``Z``; a naive datetime is taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def object_id(kind: str, key: str) -> str:
    """A stable 24-hex-digit id (Ghost's ObjectId shape) derived from what the row stands for."""
    return hashlib.sha1(f"{kind}\0{key}".encode()).hexdigest()[:24]


def _parse_now(value: str) -> str:
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an ISO 8601 date: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.isoformat()


def _parse_collection(value: str) -> str:
    name, sep, mode = value.partition("=")
    if not sep or not name.strip() or mode.strip() not in ("post", "page", "skip"):
        raise ValueError(f"expected NAME=post|page|skip, got {value!r}")
    return f"{name.strip()}={mode.strip()}"


def _truthy(value: Any) -> bool:
    """YAML's true, or a string a person meant as true (``"yes"``, ``"true"``)."""
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1"))


def _lookup(mapping: Mapping[str, Any], dotted: str) -> Any:
    value: Any = mapping
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_NOT_SITE_FILES = ("/content/", "#", "mailto:", "data:")
"""Attribute values that never name a site file still at its old URL."""
_ATTRIBUTE_VALUE = re.compile(r"""=\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*)""")
"""An attribute value after one of its ``=`` signs, as html.parser reads it (quotes kept)."""


def _all_positions(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


class _References(HTMLParser):
    """Collects (attribute, value) of every attribute that can name a file."""

    ATTRS = frozenset({"src", "href", "srcset", "poster", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(k, v) for k, v in attrs if k in self.ATTRS and v]


def plain_text(markup: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    parser = _TextOf()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())


def cut(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters, at a word boundary when there is one."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head[limit // 2 :]:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip() + "…"


# -- body: what Ghost's HTML-to-lexical conversion would lose becomes an HTML card ----------------------

CARD_BEGIN = "<!--kg-card-begin: html-->"
CARD_END = "<!--kg-card-end: html-->"
_VOID = _words("area base br col embed hr img input link meta param source track wbr")
_SAFE_TOP = _words("p h1 h2 h3 h4 h5 h6 ul ol blockquote pre hr figure img")
_LOSSY_TAGS = _words(
    "script style iframe object embed video audio canvas svg math form input button select textarea table "
    "details summary dl noscript template picture map area"
)
_HEADINGS = _words("h1 h2 h3 h4 h5 h6")
_NOT_IN_LISTS = _words("pre div blockquote figure hr h1 h2 h3 h4 h5 h6 img")


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
        lossy = chunk.lossy and replacement is None
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


# -- assets -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetUrls:
    """``Targets.asset_url``: static-file source -> the URL Ghost will serve it under (picklable)."""

    urls: Mapping[str, str]

    def __call__(self, document: Document, asset: StaticFile) -> str:
        return self.urls.get(asset.source, asset.url)


def content_folder(name: str) -> str | None:
    """``images``, ``media`` or ``files``: where Ghost's importer puts a file of this name, or None."""
    ext = posixpath.splitext(name)[1].lower()
    if ext in IMAGE_EXTS:
        return "images"
    if ext in MEDIA_EXTS:
        return "media"
    if ext in FILE_EXTS:
        return "files"
    return None


def ghost_file_name(name: str) -> str:
    """The name Ghost's storage keeps (``getSanitizedFileName``: anything but ``[A-Za-z0-9_@.]`` -> ``-``)."""
    return re.sub(r"[^A-Za-z0-9_@.]", "-", name)


# -- the exporter -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rendered:
    """The per-document part of a post that a worker process computes."""

    title: str
    content: dict[str, Any]
    """``{"html": ...}`` or ``{"lexical": ...}``."""
    excerpt: str | None
    assets: tuple[str, ...]
    """Static files the body now points at inside the zip."""


@dataclass(slots=True)
class _Entry:
    """One document as it will land in Ghost."""

    doc: Document
    type: str
    slug: str
    url: str
    post_id: str | None = None
    """The post's id once it is exported (None before, or when it failed)."""
    post_json: Span | None = None
    """The post's row of the import JSON (``json.dumps`` of it alone), kept in the plan's spool until the
    import JSON is written."""
    meta: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


class GhostExporter(Exporter):
    """Writes ``ghost-import.zip`` (and the JSON alone), ``redirects.yaml`` and ``redirects.json``."""

    name = "ghost"
    description = "Ghost 6 import zip (posts, pages, tags, authors, images) plus Ghost redirects"
    content_format = "html"
    options = (
        Option(
            "collection",
            "NAME=post|page|skip: how a collection's documents are exported (default: page; posts are posts)",
            type=_parse_collection,
            multiple=True,
        ),
        Option(
            "body",
            "html (Ghost converts it; what it would lose is kept as HTML cards) or lexical "
            "(each body as one HTML card)",
            default="html",
            choices=("html", "lexical"),
        ),
        Option("author-role", "Ghost role of imported authors", default="Author", choices=ROLES),
        Option(
            "now",
            "ISO date for meta.exported_on and undated pages (default: the newest document "
            "date, so output never depends on the clock)",
            type=_parse_now,
        ),
        Option(
            "email-domain",
            "domain of the placeholder e-mail given to authors without one",
            default="example.invalid",
        ),
    )

    def __init__(self, site: Site, options: Mapping[str, Any], report: Report, plan: Plan) -> None:
        opts = {o.key: (() if o.multiple else o.default) for o in self.options}
        opts.update({k: v for k, v in options.items() if v is not None})
        super().__init__(site, opts, report, plan)
        self.entries: dict[str, _Entry] = {}
        self.skipped: dict[str, str] = {}
        self.asset_paths: dict[str, str] = {}  # static source -> path inside the zip
        self.static_by_url: dict[str, StaticFile] = {}
        self.static_by_origin: dict[str, StaticFile] = {}  # downloaded remote assets, by remote_key
        self.zip_assets: set[str] = set()
        self.tag_rows: dict[str, dict[str, Any]] = {}
        self.user_rows: dict[str, dict[str, Any]] = {}
        self.now = self._now()

    # -- pass one ------------------------------------------------------------------------------------
    def _now(self) -> dt.datetime:
        if self.opts.get("now"):
            return dt.datetime.fromisoformat(self.opts["now"])
        dates = [self._date(d) for d in self.site.documents if not d.future]
        aware = [d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc) for d in dates if d]
        return max(aware, default=_DEFAULT_NOW)

    def _collection_modes(self) -> dict[str, str]:
        modes: dict[str, str] = {}
        for item in self.opts.get("collection") or ():
            name, _, mode = str(item).partition("=")
            modes[name] = mode
        known = {c.label for c in self.site.collections} | {"posts"}
        for name in sorted(set(modes) - known):
            raise OptionError(f"--collection {name}=...: the site has no collection named {name!r}")
        return modes

    def _type_of(self, doc: Document, modes: Mapping[str, str]) -> tuple[str | None, str]:
        """("post"|"page", "") or (None, why it is skipped)."""
        if doc.redirect_to:
            return None, "redirect page (becomes a redirect)"
        if doc.output_path is not None and not doc.is_html_page:
            return None, f"not a web page ({doc.output_ext or 'no extension'} output)"
        if doc.kind in ("post", "draft"):
            return modes.get(doc.collection or "posts", "post"), ""
        if doc.kind == "document":
            mode = modes.get(doc.collection or "")
            if mode is None and doc.output_path is None:
                return None, f"collection {doc.collection} has output: false"
            return (mode or "page"), ""
        path = unquote(doc.url)
        if path in ("/", "/index.html"):
            return None, "home page (Ghost makes its own)"
        if re.fullmatch(r"/404(\.html|/)?", path):
            return None, "error page (Ghost makes its own)"
        return "page", ""

    def prepare(self) -> Targets:
        modes = self._collection_modes()
        slugs = SlugAllocator(RESERVED_SLUGS)
        skipped_collections: dict[str, int] = {}
        docs = sorted(self.site.documents, key=lambda d: (d.kind not in ("post", "draft"), d.source))
        placed: list[tuple[Document, str]] = []
        for doc in docs:
            kind, why = self._type_of(doc, modes)
            if kind == "skip":
                kind, why = None, f"collection {doc.collection} skipped (--collection)"
            if kind is None:
                self.skipped[doc.source] = why
                if why.startswith("not a web page"):
                    self.report.emit(
                        "generated-file-skipped", "warning",
                        f"Jekyll generates {doc.output_path} from this file (Liquid, not a web page): Ghost "
                        "imports no such file; publish the text Jekyll writes as a static file", source=doc.source,
                    )
                if "collection" in why:
                    skipped_collections[doc.collection or ""] = (
                        skipped_collections.get(doc.collection or "", 0) + 1
                    )
                continue
            placed.append((doc, kind))
        # Ghost serves a post or page at /SLUG/. An old URL of that shape belongs to the document Jekyll
        # showed there: that document takes the slug first, and no other document may take it (nor a
        # numbered slug that is another document's old URL, its redirect_from ones included).
        claims = self._old_url_slugs()
        own = {doc.source: slug for doc, _ in placed
               if (slug := ghost_url_slug(doc.url)) is not None and claims.get(slug) == doc.source}
        slugs.used.update(claims)
        for doc, kind in placed:
            slug = own.get(doc.source) or slugs.take(self._wanted_slug(doc, kind), fallback=kind)
            self.entries[doc.source] = _Entry(doc, kind, slug, f"/{slug}/")
        for name, count in sorted(skipped_collections.items()):
            self.report.emit(
                "ghost-collection-skipped",
                "info",
                f"{count} document(s) of collection {name!r} are not exported "
                "(choose with --collection NAME=post|page)",
            )
        for source, why in sorted(self.skipped.items()):
            skipped = self.site.document(source)
            kind_of = skipped.kind if skipped else "page"
            old_url = _old_url(skipped) if skipped else None
            self.plan.record(DocumentOutcome(source, kind_of, old_url, None, "skipped", why))
        self._place_assets()
        return Targets(
            document_urls=self._document_urls(),
            asset_url=AssetUrls({s: "/" + p for s, p in self.asset_paths.items()}),
        )

    def _old_url_slugs(self) -> dict[str, str]:
        """Slug -> the document whose old URL is ``/SLUG/`` (else ``/SLUG``, which Ghost redirects to it):
        its own URL before any ``redirect_from`` (Jekyll writes a document after the redirect pages)."""
        built = [d for d in sorted(self.site.documents, key=lambda d: d.source)
                 if d.built_by_jekyll and d.output_path is not None]
        claims: dict[str, str] = {}
        owned = [(d.url, d.source, 0) for d in built] + [(u, d.source, 1) for d in built for u in d.redirect_from]
        for url, source, _ in sorted(owned, key=lambda o: (o[2], not o[0].endswith("/"))):
            slug = ghost_url_slug(url)
            if slug is not None:
                claims.setdefault(slug, source)
        return claims

    def _wanted_slug(self, doc: Document, kind: str) -> str:
        if doc.kind in ("post", "draft") and doc.slug:
            return ghost_slug(doc.slug) or ghost_slug(doc.title)
        path = unquote(doc.url.split("?", 1)[0])
        path = re.sub(r"/index\.html?$", "/", path).rstrip("/")
        last = posixpath.basename(path)
        last = re.sub(r"\.(html?|xml|php)$", "", last)
        return ghost_slug(last) or ghost_slug(doc.slug) or ghost_slug(doc.title)

    def _document_urls(self) -> dict[str, str]:
        urls = {source: entry.url for source, entry in self.entries.items()}
        by_old = {e.doc.url: e.url for e in self.entries.values()}
        for source in self.skipped:
            doc = self.site.document(source)
            if doc is None:
                continue
            if doc.redirect_to:
                urls[source] = by_old.get(doc.redirect_to, doc.redirect_to)
            elif unquote(doc.url) in ("/", "/index.html"):
                urls[source] = "/"
            else:
                urls[source] = doc.url
        return urls

    def _place_assets(self) -> None:
        """Decide every static file's place under ``content/``: ``images|media|files/YYYY/MM/name``,
        the month of the earliest document that names it (else the export's month)."""
        texts = []
        for entry in sorted(
            self.entries.values(), key=lambda e: (ghost_date(self._date(e.doc)) or "", e.doc.source)
        ):
            fm = json.dumps(entry.doc.front_matter, ensure_ascii=False, default=str)
            texts.append((self._date(entry.doc), entry.doc.body + fm))
        # The first dated text naming a file, found with one search over all of them joined by NUL
        # (which no file name holds, so no match spans two texts) instead of a scan per file.
        dated = [(d, text) for d, text in texts if d is not None]
        joined = "\0".join(text for _, text in dated)
        starts = list(itertools.accumulate((len(text) + 1 for _, text in dated[:-1]), initial=0))
        statics = sorted(self.site.static_files, key=lambda s: s.source)
        mentions = first_mentions(joined, {posixpath.basename(s.source) for s in statics}) if dated else {}
        taken: set[str] = set()
        for static in statics:
            if static.origin_url is None:
                self.static_by_url[unquote(static.url)] = static
            else:
                self.static_by_origin[remote_key(static.origin_url)] = static
            folder = content_folder(static.source)
            if folder is None:
                continue
            base = posixpath.basename(static.source)
            if "\0" in base or not dated:
                when = next((d for d, text in dated if base in text), None) or self.now
            else:
                at = mentions.get(base, -1)
                when = (dated[bisect.bisect_right(starts, at) - 1][0] if at >= 0 else None) or self.now
            when = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
            month = when.astimezone(dt.timezone.utc).strftime("%Y/%m")
            name = ghost_file_name(base)
            stem, ext = posixpath.splitext(name)
            path, n = f"content/{folder}/{month}/{name}", 0
            while path.lower() in taken:
                n += 1
                path = f"content/{folder}/{month}/{stem}-{n}{ext}"
            taken.add(path.lower())
            self.asset_paths[static.source] = path

    # -- pass two ------------------------------------------------------------------------------------
    def documents(self) -> Iterable[Document]:
        return [e.doc for e in sorted(self.entries.values(), key=lambda e: e.doc.source)]

    @staticmethod
    def _date(doc: Document) -> dt.datetime | None:
        """The document's own date. A file in ``_drafts`` has none: Jekyll dates it by the file's mtime,
        which would make the export differ from one checkout to the next."""
        if doc.kind == "draft":
            return doc.last_modified
        return doc.date or doc.last_modified

    def _status(self, doc: Document) -> str:
        if doc.kind == "draft" or doc.draft or not doc.published:
            return "draft"
        if doc.future:
            return "scheduled"
        return "published"

    def uses_excerpt(self, document: Document) -> bool:
        return document.excerpt is not None or self._marked_excerpt(document)

    def render_document(self, document: Document, converted: Converted) -> _Rendered:
        doc = document
        title = " ".join((doc.title or "").split()) or doc.slug or self.entries[doc.source].slug
        title = self._limited(doc, "title", title, TITLE_MAX, code="ghost-title-cut")
        used: set[str] = set()
        body = self._rewrite_assets(converted.body, doc, used)
        if self.opts.get("body") == "lexical":
            content = {"lexical": lexical_document(body)}
        else:
            content = {"html": ghost_html(body)}
        return _Rendered(title, content, self._excerpt(doc, converted), tuple(sorted(used)))

    def export_document(self, document: Document, converted: Converted, rendered: Any = None) -> None:
        entry = self.entries[document.source]
        doc = document
        if rendered is None:
            rendered = self.render_document(document, converted)
        self.zip_assets.update(rendered.assets)
        status = self._status(doc)
        when = self._date(doc) or self.now
        post: dict[str, Any] = {
            "id": object_id("post", doc.source),
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, "jekyll-migrate:" + doc.source)),
            "title": rendered.title,
            "slug": entry.slug,
            "type": entry.type,
            "status": status,
            "visibility": "public",
            "featured": any(_truthy(doc.front_matter.get(k)) for k in ("featured", "sticky")),
            "created_at": ghost_date(when),
            "updated_at": ghost_date(doc.last_modified or when),
            "published_at": ghost_date(self._date(doc) if status == "draft" else when),
        }
        post.update(rendered.content)
        if rendered.excerpt:
            post["custom_excerpt"] = rendered.excerpt
        image = self._feature_image(doc)
        if image:
            post["feature_image"] = image[0]
        canonical = self._canonical(doc)
        if canonical:
            post["canonical_url"] = canonical
        entry.post_id = post["id"]
        entry.post_json = self.plan.spool.put(json.dumps(post, ensure_ascii=False, indent=1).encode("utf-8"))
        entry.meta = self._meta(doc, image)
        entry.tags = self._tags(doc)
        entry.authors = self._authors(doc)
        for source in converted.assets:
            self._use_asset(source, doc)
        self.plan.record(DocumentOutcome(doc.source, doc.kind, _old_url(doc), entry.url, "exported"))

    def _excerpt(self, doc: Document, converted: Converted) -> str | None:
        if doc.excerpt is not None:
            text = plain_text(converted.excerpt or doc.excerpt)
        elif isinstance(doc.front_matter.get("description"), str):
            text = plain_text(doc.front_matter["description"])
        elif self._marked_excerpt(doc) and converted.excerpt:
            text = plain_text(converted.excerpt)  # the author marked where the excerpt ends
        else:
            return None
        return self._limited(doc, "excerpt", text, EXCERPT_MAX, code="ghost-excerpt-cut") or None

    @staticmethod
    def _marked_excerpt(doc: Document) -> bool:
        """The author marked where the excerpt ends (a separator of their own, found in the body), and no
        ``description`` takes its place."""
        return (not isinstance(doc.front_matter.get("description"), str) and bool(doc.excerpt_separator.strip())
                and doc.excerpt_separator in doc.body)

    def _meta(self, doc: Document, image: tuple[str, str | None, str | None] | None) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        title = next((v for k in META_TITLE_KEYS if isinstance(v := _lookup(doc.front_matter, k), str)), None)
        if title:
            meta["meta_title"] = self._limited(doc, "meta title", plain_text(title), META_TITLE_MAX)
        description = doc.front_matter.get("description")
        if isinstance(description, str) and plain_text(description):
            meta["meta_description"] = self._limited(
                doc, "meta description", plain_text(description), META_DESCRIPTION_MAX
            )
        if image and image[1]:
            meta["feature_image_alt"] = self._limited(doc, "image alt text", image[1], IMAGE_ALT_MAX)
        if image and image[2]:
            meta["feature_image_caption"] = image[2]
        return meta

    def _limited(self, doc: Document, what: str, text: str, limit: int, *, code: str = "ghost-field-cut") -> str:
        """``text`` within Ghost's ``limit``: cut, with a warning, rather than failing the whole import."""
        if len(text) <= limit:
            return text
        self.report.emit(
            code,
            "warning",
            f"{what} is {len(text)} characters; Ghost takes {limit}, so it was cut",
            source=doc.source,
        )
        return cut(text, limit)

    def _resolve_static(self, value: str, doc: Document) -> StaticFile | None:
        path = value.strip()
        if self.static_by_origin and remote_key(path) in self.static_by_origin:
            return self.static_by_origin[remote_key(path)]
        for prefix in (self.site.url + self.site.baseurl, self.site.url):
            if prefix and path.startswith(prefix + "/"):
                path = path[len(prefix) :]
                break
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", path, re.IGNORECASE):
            return None
        path = unquote(path.split("#", 1)[0].split("?", 1)[0])
        if self.site.baseurl and path.startswith(self.site.baseurl + "/"):
            path = path[len(self.site.baseurl) :]
        candidates = (
            [path]
            if path.startswith("/")
            else ["/" + path, posixpath.normpath(posixpath.join(posixpath.dirname(unquote(doc.url)), path))]
        )
        return next((self.static_by_url[c] for c in candidates if c in self.static_by_url), None)

    def _use_asset(self, source: str, doc: Document, used: set[str] | None = None) -> str | None:
        """Put a static file into the zip (or into ``used``, for the caller to add); its Ghost URL, or None
        when Ghost cannot take it."""
        path = self.asset_paths.get(source)
        if path is None:
            self.report.emit(
                "ghost-asset-not-imported",
                "warning",
                f"{source} is referenced but Ghost's importer takes no file of this type; "
                "the reference keeps its old URL",
                source=doc.source,
            )
            return None
        (self.zip_assets if used is None else used).add(source)
        return "/" + path

    def _rewrite_assets(self, body: str, doc: Document, used: set[str]) -> str:
        """Point every reference to a site file that still carries its old URL at the file's place in
        the zip (a safety net behind the content pipeline's own asset rewriting)."""
        if not self._may_name_site_files(body, doc):
            return body
        refs = _References()
        try:
            refs.feed(body)
            refs.close()
        except Exception:  # noqa: BLE001 -- an unparsable body keeps its references
            return body
        for attr, value in sorted(set(refs.found)):
            urls = [c.split()[0] for c in value.split(",") if c.strip()] if attr == "srcset" else [value]
            new_value = value
            for url in urls:
                if url.startswith(_NOT_SITE_FILES):
                    continue
                static = self._resolve_static(url, doc)
                target = self._use_asset(static.source, doc, used) if static else None
                if target:
                    new_value = new_value.replace(url, target)
            if new_value != value:
                for mark in ('"', "'"):
                    for raw in {value, html.escape(value, quote=False)}:
                        body = body.replace(f"{attr}={mark}{raw}{mark}", f"{attr}={mark}{new_value}{mark}")
        return body

    def _may_name_site_files(self, body: str, doc: Document) -> bool:
        """Whether some attribute value of ``body`` may point at a site file. Every text after an ``=``,
        read as html.parser reads an attribute value, is tried (a superset of the values it reports), so
        a False answer is as good as parsing the body and finding nothing to rewrite."""
        for at in _all_positions(body, "="):
            m = _ATTRIBUTE_VALUE.match(body, at)
            if m is None or not m.group(1):
                continue
            value = m.group(1)
            if value[0] in "'\"":
                value = value[1:-1]
            value = html.unescape(value)
            for url in (value, *(c.split()[0] for c in value.split(",") if c.strip())):
                if not url.startswith(_NOT_SITE_FILES) and self._resolve_static(url, doc) is not None:
                    return True
        return False

    def _feature_image(self, doc: Document) -> tuple[str, str | None, str | None] | None:
        """(url, alt, caption) from the first image field of the front matter that is set."""
        for key in FEATURE_IMAGE_KEYS:
            value = _lookup(doc.front_matter, key)
            alt = caption = None
            if isinstance(value, Mapping):
                alt = value.get("alt") if isinstance(value.get("alt"), str) else None
                caption = value.get("caption") if isinstance(value.get("caption"), str) else None
                value = next(
                    (value[k] for k in ("path", "url", "src", "feature") if isinstance(value.get(k), str)),
                    None,
                )
            if not isinstance(value, str) or not value.strip():
                continue
            static = self._resolve_static(value, doc)
            if static is not None:
                url = self._use_asset(static.source, doc)
                if url:
                    return url, alt, caption
                continue
            if re.match(r"^https?://", value.strip()):
                return value.strip(), alt, caption
            self.report.emit(
                "ghost-image-missing",
                "warning",
                f"front-matter {key} {value!r} names no file of the site; no feature image",
                source=doc.source,
            )
        return None

    def _canonical(self, doc: Document) -> str | None:
        for key in CANONICAL_KEYS:
            value = doc.front_matter.get(key)
            if isinstance(value, str) and value.strip():
                value = value.strip()
                if re.match(r"^https?://", value):
                    return value
                if self.site.url:
                    return self.site.url + self.site.baseurl + "/" + value.lstrip("/")
        return None

    def _tags(self, doc: Document) -> list[str]:
        """Tag ids in order: categories first (the first one is Ghost's primary tag), then tags."""
        ids: list[str] = []
        for raw in (*doc.categories, *doc.tags):
            name = " ".join(str(raw).split()).lstrip("#,").strip()
            if not name:
                continue
            if len(name) > TAG_NAME_MAX:
                self.report.emit(
                    "ghost-field-cut",
                    "warning",
                    f"tag {name[:40]!r}... is {len(name)} characters; Ghost takes {TAG_NAME_MAX}",
                    source=doc.source,
                )
                name = cut(name, TAG_NAME_MAX)
            slug = ghost_slug(name) or "tag-" + object_id("tag", name)[:8]
            row = self.tag_rows.get(slug)
            if row is None:
                row = {"id": object_id("tag", slug), "name": name, "slug": slug}
                self.tag_rows[slug] = row
            if row["id"] not in ids:
                ids.append(row["id"])
        return ids

    def _author(self, key: str) -> Author:
        for author in self.site.authors:
            if author.key == key:
                return author
        for author in self.site.authors:
            if author.name.casefold() == key.casefold():
                return author
        return Author(key=key, name=key)

    def _authors(self, doc: Document) -> list[str]:
        keys = [str(a).strip() for a in doc.authors if str(a).strip()]
        if not keys:
            default = self.site.config.get("author")
            if isinstance(default, Mapping) and isinstance(default.get("name"), str):
                author = Author(
                    key=default["name"],
                    name=default["name"],
                    email=default.get("email") if isinstance(default.get("email"), str) else None,
                )
                return [self._user(author, doc)]
            if isinstance(default, str) and default.strip():
                return [self._user(self._author(default.strip()), doc)]
            return []
        ids: list[str] = []
        for key in keys:
            user_id = self._user(self._author(key), doc)
            if user_id not in ids:
                ids.append(user_id)
        return ids

    def _user(self, author: Author, doc: Document) -> str:
        slug = (
            ghost_slug(author.key) or ghost_slug(author.name) or "author-" + object_id("user", author.key)[:8]
        )
        if slug in self.user_rows:
            return self.user_rows[slug]["id"]
        domain = self.opts.get("email_domain") or "example.invalid"
        email = (author.email or "").strip()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", email) or len(email) > EMAIL_MAX:
            email = f"{slug[:60]}@{domain}"
        if any(row["email"].lower() == email.lower() for row in self.user_rows.values()):
            email = f"{slug[:60]}@{domain}"
        row: dict[str, Any] = {
            "id": object_id("user", slug),
            "name": (author.name or author.key)[:191],
            "slug": slug,
            "email": email,
            "status": "active",
        }
        if author.bio:
            row["bio"] = self._limited(doc, f"bio of author {author.key}", plain_text(author.bio), BIO_MAX)
        website = author.url or author.extra.get("uri") or author.extra.get("website")
        if isinstance(website, str) and re.match(r"^https?://\S+$", website):
            row["website"] = website
        avatar = next(
            (v for k in ("avatar", "image", "picture", "photo") if isinstance(v := author.extra.get(k), str)),
            None,
        )
        if avatar:
            static = self._resolve_static(avatar, doc)
            url = self._use_asset(static.source, doc) if static else None
            if url:
                row["profile_image"] = url
            elif re.match(r"^https?://", avatar):
                row["profile_image"] = avatar
        role = author.extra.get("role")
        row["_role"] = (
            role.capitalize()
            if isinstance(role, str) and role.capitalize() in ROLES
            else self.opts["author_role"]
        )
        self.user_rows[slug] = row
        return row["id"]

    # -- whole site ----------------------------------------------------------------------------------
    def finish(self) -> None:
        # Written piece by piece (the text json.dumps(indent=1) gives): neither the JSON nor the zip is
        # ever whole in memory.
        with self.plan.open_stream(JSON_NAME) as out:
            for chunk in iter_json_bytes(self.import_data(), indent=1, ensure_ascii=False):
                out.write(chunk)
            out.write(b"\n")
        self.plan.itemizers[JSON_NAME] = _itemize
        with self.plan.open_stream(ZIP_NAME) as out:
            self._zip(out, self.plan.files[JSON_NAME])
        self._redirects()
        counts = {"posts": 0, "pages": 0}
        for entry in self.entries.values():
            if entry.post_id:
                counts[entry.type + "s"] += 1
        self.plan.manifest_extra["ghost"] = {
            **counts,
            "tags": len(self.tag_rows),
            "users": len(self.user_rows),
            "files_in_zip": len(self.zip_assets),
            "exported_on": ghost_date(self.now),
        }

    def import_data(self) -> dict[str, Any]:
        """The whole Ghost import document (``{"db": [{"meta", "data"}]}``) for :func:`iter_json`: its
        long arrays are lazy, produced once, row by row, as the text is written."""
        entries = [e for e in sorted(self.entries.values(), key=lambda e: e.doc.source) if e.post_id]
        posts = LazyArray(Encoded(e.post_json.read().decode("utf-8")) for e in entries if e.post_json)
        posts_tags = LazyArray(
            {"post_id": e.post_id, "tag_id": t, "sort_order": i} for e in entries for i, t in enumerate(e.tags)
        )
        posts_authors = LazyArray(
            {"post_id": e.post_id, "author_id": a, "sort_order": i}
            for e in entries
            for i, a in enumerate(e.authors)
        )
        posts_meta = LazyArray({"post_id": e.post_id, **e.meta} for e in entries if e.meta)
        roles = sorted({row["_role"] for row in self.user_rows.values()}, key=ROLES.index)
        role_ids = {name: object_id("role", name) for name in roles}
        users = [{k: v for k, v in row.items() if k != "_role"} for row in self.user_rows.values()]
        exported_on = int(self.now.timestamp() * 1000)
        return {
            "db": [
                {
                    "meta": {"exported_on": exported_on, "version": GHOST_VERSION},
                    "data": {
                        "posts": posts,
                        "posts_meta": posts_meta,
                        "tags": list(self.tag_rows.values()),
                        "posts_tags": posts_tags,
                        "users": users,
                        "roles": [{"id": role_ids[r], "name": r} for r in roles],
                        "roles_users": [
                            {"role_id": role_ids[row["_role"]], "user_id": row["id"]}
                            for row in self.user_rows.values()
                        ],
                        "posts_authors": posts_authors,
                    },
                }
            ]
        }

    def _zip(self, out: SpoolWriter, json_file: PlannedFile) -> None:
        """The import zip, byte-identical for identical input: fixed times and modes, sorted entries. One
        member at a time is in memory, and the JSON only a piece at a time."""
        members: dict[str, Path | None] = {JSON_NAME: None}
        statics = {s.source: s for s in self.site.static_files}
        for source in sorted(self.zip_assets):
            members[self.asset_paths[source]] = self.site.static_file_path(statics[source])
        with zipfile.ZipFile(out, "w") as archive:
            for name in sorted(members):
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                stored = posixpath.splitext(name)[1].lower() in _STORED_EXTS
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                path = members[name]
                if path is not None:
                    archive.writestr(info, path.read_bytes(), compresslevel=None if stored else 6)
                    continue
                # What writestr(info, data, compresslevel=6) does, fed piece by piece (deflate gives the
                # same bytes however its input is cut).
                info.file_size = json_file.size
                setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel",
                        None if stored else 6)
                with archive.open(info, "w") as member:
                    for chunk in json_file.chunks():
                        member.write(chunk)

    def _redirects(self) -> None:
        from migrate.redirects import Redirect, RedirectMap, build_redirect_map, stream_redirects
        from migrate.redirects.core import encode_path, page_key, served_forms

        new_urls = {source: e.url for source, e in self.entries.items() if e.post_id}
        redirect_map = build_redirect_map(self.site, new_urls, feed_url="/rss/")  # Ghost's own feed
        self.report.extend(redirect_map.issues)
        # A static host answers /x/index.html for /x/ and the map leaves such forms out; Ghost answers
        # only /x/ (and redirects /x itself), so the index.html forms need rules of their own.
        sources = {r.source for r in redirect_map.rules}
        live = {page_key(url): url for url in sorted(new_urls.values(), reverse=True)}
        extra = []
        for source in sorted(new_urls):
            doc = self.entries[source].doc
            if not doc.built_by_jekyll or doc.output_path is None:
                continue
            for old in (doc.url, *doc.redirect_from):
                if "?" in old or not old.startswith("/"):
                    continue
                for form in served_forms(encode_path(old)):
                    if not form.endswith("/index.html") or form in sources:
                        continue
                    target = live.get(page_key(form))
                    if target:
                        sources.add(form)
                        extra.append(Redirect(form, target, 301, source))
        if extra:
            rules = tuple(sorted((*redirect_map.rules, *extra), key=lambda r: r.source))
            redirect_map = RedirectMap(rules=rules, issues=redirect_map.issues)
        for name, pieces in sorted(stream_redirects(redirect_map, "ghost").items()):
            with self.plan.open_stream(name) as out:
                for piece in pieces:
                    out.write(piece)
        self.plan.redirects.extend((r.source, r.target) for r in redirect_map.rules)


_SCAN_PER_NAME = 100
"""How many places of an extension :func:`first_mentions` looks at per name before it searches name by
name."""


def first_mentions(text: str, names: Iterable[str]) -> dict[str, int]:
    """Where each of ``names`` first occurs in ``text`` (``text.find(name)``; names not found are left
    out). Names are found by their extension: one walk over the places ``.png`` occurs serves every
    ``*.png`` name, where a search per name would read most of a long text once for each."""
    found: dict[str, int] = {}
    by_ext: dict[str, dict[int, set[str]]] = {}
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        if dot and len(suffix) >= 2:
            by_ext.setdefault(dot + suffix, {}).setdefault(len(stem), set()).add(name)
        else:  # no extension to find it by
            at = text.find(name)
            if at >= 0:
                found[name] = at
    for ext, by_length in by_ext.items():
        missing = sum(len(group) for group in by_length.values())
        # An extension common in the text but rare among the names is cheaper to search name by name.
        budget = _SCAN_PER_NAME * missing
        at = text.find(ext)
        while at >= 0 and missing and budget:
            for length, group in by_length.items():
                start = at - length
                if start >= 0:
                    name = text[start : at + len(ext)]
                    if name in group and name not in found:
                        found[name] = start
                        missing -= 1
            budget -= 1
            at = text.find(ext, at + 1)
        if missing and at >= 0:
            # Every name before the extension found at ``at`` has been seen: search on from there.
            for length, group in by_length.items():
                for name in group - found.keys():
                    where = text.find(name, max(0, at - length))
                    if where >= 0:
                        found[name] = where
    return found


def _old_url(doc: Document) -> str | None:
    """The URL Jekyll served the document under; None when plain ``jekyll build`` never wrote it (a
    draft's URL would carry the file's mtime)."""
    return doc.url if doc.built_by_jekyll and doc.output_path is not None else None


def _itemize(content: bytes) -> dict[str, str]:
    """Split the import JSON into one item per post and per tag or user, for dry-run diffs."""
    try:
        data = json.loads(content)["db"][0]["data"]
    except (ValueError, KeyError, IndexError, TypeError):
        return {"(unreadable)": content.decode("utf-8", "replace")}
    items: dict[str, str] = {}
    for table, key in (("posts", "slug"), ("tags", "slug"), ("users", "slug")):
        for row in data.get(table, ()):
            items[f"{table}/{row.get(key)}"] = json.dumps(row, ensure_ascii=False, indent=1, sort_keys=True)
    return items
