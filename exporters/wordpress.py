"""WordPress exporter: a WXR 1.2 file the official importer takes whole, the media, and redirects for old URLs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import posixpath
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from exporters.base import Exporter, Option
from migrate.content import Converted, Targets
from migrate.content.links import remote_key
from migrate.errors import UnsafePathError
from migrate.ir import Author, Document, StaticFile
from migrate.plan import DocumentOutcome, Span, Spool, SpoolWriter
from migrate.redirects import build_redirect_map, page_key, stream_redirects

log = logging.getLogger(__name__)

DEFAULT_STRUCTURE = "/%year%/%monthnum%/%day%/%postname%.html"
"""Serves Jekyll's default post URLs (``date`` style, no categories) with no redirect."""

_FIXED_CANDIDATES = (
    DEFAULT_STRUCTURE,
    "/%year%/%monthnum%/%day%/%postname%/",
    "/%postname%/",
    "/%postname%.html",
    "/%year%/%monthnum%/%postname%/",
    "/%year%/%postname%/",
)
_JEKYLL_TO_WP = {
    ":year": "%year%",
    ":month": "%monthnum%",
    ":day": "%day%",
    ":hour": "%hour%",
    ":minute": "%minute%",
    ":second": "%second%",
    ":title": "%postname%",
    ":slug": "%postname%",
    ":output_ext": ".html",
}
_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_WP_TOKENS = ("%year%", "%monthnum%", "%day%", "%hour%", "%minute%", "%second%", "%postname%", "%post_id%")

# File types a default WordPress accepts as uploads (wp_get_allowed_mime_types for an administrator);
# anything else (SVG, fonts, ...) is copied to media/ and linked absolutely, but not imported.
_UPLOADABLE = frozenset(
    ["jpg", "jpeg", "jpe", "gif", "png", "bmp", "tif", "tiff", "webp", "avif", "ico", "heic", "heif", "asf", "asx", "wmv", "wmx", "wm", "avi", "divx", "flv", "mov", "qt", "mpeg", "mpg", "mpe", "mp4", "m4v", "ogv", "webm", "mkv", "3gp", "3gpp", "3g2", "3gp2", "txt", "asc", "c", "cc", "h", "srt", "csv", "tsv", "ics", "rtx", "css", "htm", "html", "vtt", "dfxp", "mp3", "m4a", "m4b", "aac", "ra", "ram", "wav", "x-wav", "ogg", "oga", "flac", "mid", "midi", "wma", "wax", "mka", "rtf", "js", "pdf", "class", "tar", "zip", "gz", "gzip", "rar", "7z", "psd", "xcf", "doc", "pot", "pps", "ppt", "wri", "xla", "xls", "xlt", "xlw", "mdb", "mpp", "docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xlsb", "xltx", "xltm", "xlam", "pptx", "pptm", "ppsx", "ppsm", "potx", "potm", "ppam", "sldx", "sldm", "onetoc", "onetoc2", "onetmp", "onepkg", "oxps", "xps", "odt", "odp", "ods", "odg", "odc", "odb", "odf", "wp", "wpd", "key", "numbers", "pages"]
)
# wpautop() puts paragraph breaks around these and drops a newline next to them.
_AUTOP_BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    "blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|"
    "figure|figcaption|details|menu|summary|math|svg|script|noscript|iframe|video|audio|source|option|select"
)
_BLOCK_END = re.compile(rf"</?(?:{_AUTOP_BLOCKS})\b[^>]*>\s*$|<!--.*-->\s*$", re.IGNORECASE | re.DOTALL)
_BLOCK_START = re.compile(rf"^\s*(?:</?(?:{_AUTOP_BLOCKS})\b|<!--)", re.IGNORECASE)
_VERBATIM = re.compile(r"<(pre|textarea|script|style|svg|math)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EXTRA_LATIN = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ł": "l",
    "ŀ": "l",
    "ı": "i",
    "ĸ": "k",
    "ŋ": "n",
    "ſ": "s",
    "ħ": "h",
    "ŧ": "t",
    "ĳ": "ij",
    "ŉ": "n",
}
# In WordPress's 'save' context these (percent-encoded) characters vanish or become a dash.
_SAVE_DASH = ("%c2%a0", "%e2%80%93", "%e2%80%94", "%e2%80%8b")
_SAVE_DROP = (
    "%c2%a1",
    "%c2%aa",
    "%c2%ba",
    "%c2%bf",
    "%c2%ab",
    "%c2%bb",
    "%e2%80%b9",
    "%e2%80%ba",
    "%e2%80%98",
    "%e2%80%99",
    "%e2%80%9c",
    "%e2%80%9d",
    "%e2%80%9a",
    "%e2%80%9b",
    "%e2%80%9e",
    "%e2%80%9f",
    "%e2%80%a2",
    "%c2%a9",
    "%c2%ae",
    "%c2%b0",
    "%e2%80%a6",
    "%e2%84%a2",
    "%c2%b4",
    "%cb%8a",
    "%cc%81",
    "%cd%81",
    "%cc%80",
    "%cc%84",
    "%cc%8c",
    "%e2%80%8d",
    "%e2%80%8c",
    "%e2%80%8e",
    "%e2%80%8f",
    "%ef%bb%bf",
)
_HTML_TAG = re.compile(r"<[^>]*>")
_NOT_IN_SLUG = re.compile(r"[^%a-z0-9 _-]")
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"-+")
_RESERVED_PAGE_SLUG = re.compile(r"^(?:page)?\d+$|^(?:feed|rdf|rss|rss2|atom|embed)$")
_RESERVED_FLAT_SLUG = re.compile(r"^(?:feed|rdf|rss|rss2|atom|embed)$")
_CATEGORY_BASES = ("category", "categories", "topic", "topics", "category-archive")
_TAG_BASES = ("tag", "tags", "keyword", "keywords", "tag-archive")


# -- small pure helpers ------------------------------------------------------------------------------


def xml_clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (control characters, lone surrogates...)."""
    if text.isprintable():  # no control, surrogate or non-character: nothing to remove
        return text
    return _XML_INVALID.sub("", text)


def cdata(text: str) -> str:
    """A CDATA section holding ``text`` exactly; ``]]>`` is split across two sections."""
    return "<![CDATA[" + xml_clean(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


_cdata_word = functools.lru_cache(maxsize=1024)(cdata)
""":func:`cdata` of the few values many items share (statuses, types, logins, meta keys)."""


def _body_xml(content: str, excerpt: str) -> str:
    """An item's ``content:encoded`` and ``excerpt:encoded`` lines."""
    return (
        f"\t\t<content:encoded>{cdata(content)}</content:encoded>\n"
        f"\t\t<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>\n"
    )


_EMPTY_BODY = _body_xml("", "").encode("utf-8")


def esc(text: str) -> str:
    """``text`` escaped for an XML text node or a double-quoted attribute."""
    return (
        xml_clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _remove_accents(text: str) -> str:
    if text.isascii():
        return text
    out = []
    for char in unicodedata.normalize("NFC", text):
        lower = char.lower()
        if lower in _EXTRA_LATIN:
            out.append(_EXTRA_LATIN[lower] if char == lower else _EXTRA_LATIN[lower].upper())
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        base = decomposed[0]
        if len(decomposed) > 1 and unicodedata.name(base, "").startswith("LATIN"):
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
        else:
            out.append(char)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 16)
def wp_slug(text: str, *, limit: int = 200) -> str:
    """The slug WordPress's ``sanitize_title()`` makes of ``text`` when saving a post.

    The result is a fixed point: ``[a-z0-9_-]`` and lower-case ``%xx`` escapes of UTF-8 bytes, at most
    ``limit`` characters, so WordPress stores it unchanged.
    """
    # A literal "%" would read as the start of an escaped octet: drop it, as WordPress drops a stray one.
    text = _HTML_TAG.sub("", text).replace("%", "")
    text = _remove_accents(text).lower()
    if text.isascii():  # one character per character, and no escapes for the replacements below
        slug = text[:limit]
    else:
        encoded = []
        length = 0
        for char in text:
            piece = char if ord(char) < 128 else quote(char, safe="").lower()
            if length + len(piece) > limit:
                break
            encoded.append(piece)
            length += len(piece)
        slug = "".join(encoded)
        for seq in _SAVE_DASH:
            slug = slug.replace(seq, "-")
        for seq in _SAVE_DROP:
            slug = slug.replace(seq, "")
        slug = slug.replace("%c3%97", "x")
    slug = slug.replace("/", "-").replace(".", "-")
    slug = _NOT_IN_SLUG.sub("", slug)
    slug = _SPACES.sub("-", slug)
    slug = _DASHES.sub("-", slug).strip("-")
    return slug[:limit].rstrip("-")


def mysql_date(when: dt.datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` with a four-digit year (``strftime`` drops the zeros of year 1)."""
    return (f"{when.year:04d}-{when.month:02d}-{when.day:02d} "
            f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}")


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc2822_utc(when: dt.datetime) -> str:
    """``email.utils.format_datetime`` of ``when``, a naive UTC time, in UTC (``+0000``), without its
    detours through a time tuple and ``strftime``."""
    return (f"{_DAYS[when.weekday()]}, {when.day:02d} {_MONTHS[when.month - 1]} {when.year:04d} "
            f"{when.hour:02d}:{when.minute:02d}:{when.second:02d} +0000")


def parse_size(value: str) -> int:
    """``15MB``, ``500k``, ``2000000`` -> bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", str(value), re.IGNORECASE)
    if not match:
        raise ValueError(f"not a size: {value!r} (use e.g. 15MB, 500KB, 2000000)")
    number = float(match.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    if number < 1024:
        raise ValueError(f"split size {value!r} is below 1 KB")
    return int(number)


def parse_collection_mode(value: str) -> tuple[str, str]:
    """``docs=page`` -> ``("docs", "page")``."""
    name, sep, mode = str(value).partition("=")
    if not sep or not name.strip() or mode.strip() not in ("post", "page", "skip"):
        raise ValueError(f"{value!r} is not NAME=post|page|skip")
    return name.strip(), mode.strip()


def parse_structure(value: str) -> str:
    """Check a WordPress permalink structure: starts with ``/`` and names ``%postname%`` or ``%post_id%``."""
    value = str(value).strip()
    if not value.startswith("/") or ("%postname%" not in value and "%post_id%" not in value):
        raise ValueError(f"{value!r} is not a permalink structure such as {DEFAULT_STRUCTURE}")
    unknown = set(re.findall(r"%[a-z_]+%", value)) - set(_WP_TOKENS)
    if unknown:
        raise ValueError(f"{value!r} uses tokens this exporter cannot compute: {', '.join(sorted(unknown))}")
    return value


def parse_url(value: str) -> str:
    value = str(value).strip().rstrip("/")
    if urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def autop_safe(html: str) -> str:
    """HTML that WordPress's ``wpautop`` leaves as it is: no blank lines, and no newline inside running
    text (which ``wpautop`` would turn into ``<br />``), except inside ``pre``/``script``/... and comments."""
    out: list[str] = []
    pos = 0
    for match in _VERBATIM.finditer(html):
        out.append(_join_lines(html[pos : match.start()]))
        kept = match.group(0)
        out.append(re.sub(r"\n\s*\n", "\n", kept) if kept.startswith("<!--") else kept)
        pos = match.end()
    out.append(_join_lines(html[pos:]))
    return "".join(out).strip("\n")


def _join_lines(chunk: str) -> str:
    chunk = re.sub(r"\n[ \t]*(?=\n)", "", chunk)
    lines = chunk.split("\n")
    if len(lines) == 1:
        return chunk
    # Built as a list of pieces, looking only at the recent tail: linear in the size of the document.
    pieces = [lines[0]]
    tail = lines[0]
    for line in lines[1:]:
        if not line.strip():
            if not tail.endswith("\n"):
                pieces.append("\n")
                tail += "\n"
            continue
        ends_line = tail.endswith("\n")
        if ends_line or _BLOCK_END.search(tail[-_TAIL:]) or _BLOCK_START.match(line) or not tail.strip():
            _rstrip_last(pieces)
            joined = ("" if ends_line else "\n") + line
        else:
            _rstrip_last(pieces)
            joined = " " + line.lstrip(" \t")
        pieces.append(joined)
        tail = (pieces[-2] if len(pieces) > 1 else "")[-_TAIL:] + joined
    return "".join(pieces)


_TAIL = 4096
"""How much of the output so far decides whether it ends a block (longer than any real tag)."""


def _rstrip_last(pieces: list[str]) -> None:
    """Strip trailing spaces and tabs off the output built so far (pieces may be empty at the end)."""
    while pieces:
        stripped = pieces[-1].rstrip(" \t")
        if stripped or len(pieces) == 1:
            pieces[-1] = stripped
            return
        pieces.pop()


def wrap_html_block(html: str) -> str:
    """One ``wp:html`` block: the block editor keeps it exactly and ``wpautop`` does not run on it."""
    return "<!-- wp:html -->\n" + html.strip("\n") + "\n<!-- /wp:html -->"


def structure_url(structure: str, *, slug: str, local: dt.datetime, post_id: int) -> str:
    """The path WordPress gives a post under ``structure``."""
    return "".join([p if isinstance(p, str) else p(slug, local, post_id) for p in _structure_pieces(structure)])


_STRUCTURE_TAGS: dict[str, Callable[[str, dt.datetime, int], str]] = {
    "%year%": lambda slug, local, post_id: f"{local.year:04d}",
    "%monthnum%": lambda slug, local, post_id: f"{local.month:02d}",
    "%day%": lambda slug, local, post_id: f"{local.day:02d}",
    "%hour%": lambda slug, local, post_id: f"{local.hour:02d}",
    "%minute%": lambda slug, local, post_id: f"{local.minute:02d}",
    "%second%": lambda slug, local, post_id: f"{local.second:02d}",
    "%postname%": lambda slug, local, post_id: slug,
    "%post_id%": lambda slug, local, post_id: str(post_id),
}


@functools.lru_cache(maxsize=256)
def _structure_pieces(structure: str) -> tuple[str | Callable[[str, dt.datetime, int], str], ...]:
    """``structure`` cut into its text and the functions giving its tags' values (a tag WordPress does
    not know stays text), parsed once rather than for every post."""
    pieces = re.split(r"(%[a-z_]+%)", structure)
    return tuple(_STRUCTURE_TAGS.get(p, p) if n % 2 else p for n, p in enumerate(pieces))


def jekyll_template_to_structure(template: str) -> str | None:
    """A Jekyll permalink template as a WordPress structure, when every token has a WordPress twin."""
    template = _JEKYLL_STYLES.get(template, template)
    if ":categories" in template or "%" in template:
        return None
    out = re.sub(r":[a-z_]+", lambda m: _JEKYLL_TO_WP.get(m.group(0), m.group(0)), template)
    if re.search(r":[a-z_]+", out) or "%postname%" not in out:
        return None
    return out if out.startswith("/") else "/" + out


@dataclass(frozen=True)
class AssetURL:
    """Targets.asset_url: an asset's absolute URL under the asset base (picklable)."""

    base: str

    def __call__(self, document: Document, asset: StaticFile) -> str:
        return self.base + asset.url


# -- the items of the export ------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    """One WXR item being assembled."""

    post_id: int
    post_type: str
    title: str
    slug: str
    status: str
    local: dt.datetime
    gmt: dt.datetime
    url: str
    source: str | None = None
    old_url: str | None = None
    parent: int = 0
    creator: str = ""
    categories: tuple[tuple[str, str], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    body: Span | None = None
    """The item's content and excerpt lines as written in the WXR (see :func:`_body_xml`), kept in the
    plan's spool rather than in memory until the WXR is written; None for an item without either."""
    attachment_url: str | None = None
    assets: tuple[str, ...] = ()
    featured: str | None = None
    """Source of the asset that becomes the featured image (``_thumbnail_id``)."""
    thumbnail_id: int | None = None
    depth: int = 0
    synthetic: bool = False

    @property
    def date(self) -> str:
        return mysql_date(self.local)


@dataclass
class _Terms:
    """Categories or tags by slug, in first-seen order; names that slug alike are merged."""

    prefix: str
    by_slug: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    merged: list[tuple[str, str]] = field(default_factory=list)
    """(name, the name it was merged into): WordPress keeps one term per slug."""

    def add(self, name: str) -> tuple[str, str]:
        if name in self.by_name:
            slug = self.by_name[name]
            return slug, self.by_slug[slug]
        slug = wp_slug(name) or f"{self.prefix}-{len(self.by_slug) + 1}"
        if slug in self.by_slug and self.by_slug[slug] != name:
            self.merged.append((name, self.by_slug[slug]))
        self.by_slug.setdefault(slug, name)
        self.by_name[name] = slug
        return slug, self.by_slug[slug]


class WordPressExporter(Exporter):
    """Writes ``wordpress.xml`` (WXR 1.2), ``media/``, Redirection plugin imports and a README."""

    name = "wordpress"
    description = "WordPress: a WXR file for Tools > Import > WordPress, media files, redirects"
    content_format = "html"
    options = (
        Option(
            "wp-permalinks",
            "WordPress permalink structure (default: the one serving most old URLs)",
            type=parse_structure,
        ),
        Option(
            "asset-base-url",
            "absolute URL media files are downloaded from (default: the old site URL)",
            type=parse_url,
        ),
        Option("old-site-url", "the old site's URL when _config.yml has no url", type=parse_url),
        Option(
            "wp-url",
            "the new WordPress address, to write absolute links (default: root-relative links)",
            type=parse_url,
        ),
        Option(
            "collection",
            "NAME=post|page|skip: how a collection's documents are imported",
            type=parse_collection_mode,
            multiple=True,
        ),
        Option(
            "split-size",
            "largest WXR file, e.g. 15MB; bigger exports are split",
            type=parse_size,
            default="15MB",
        ),
        Option("comments", "comment status of imported posts", default="closed", choices=("open", "closed")),
        Option(
            "wp-content",
            "classic HTML, or one wp:html block per post",
            default="classic",
            choices=("classic", "html-block"),
        ),
    )

    # -- pass one ----------------------------------------------------------------------------------

    def prepare(self) -> Targets:
        site = self.site
        self.old_site_url = (self.opts.get("old_site_url") or site.url.rstrip("/") or "").rstrip("/")
        if not self.old_site_url:
            self.report.emit(
                "wp-no-site-url",
                "warning",
                "the site has no url in _config.yml: GUIDs and media URLs use http://localhost; "
                "pass --old-site-url and --asset-base-url",
            )
            self.old_site_url = "http://localhost"
        self.old_base = self.old_site_url + (site.baseurl or "")
        self.asset_base = (self.opts.get("asset_base_url") or self.old_base).rstrip("/")
        self.wp_url = (self.opts.get("wp_url") or "").rstrip("/")
        self.link_prefix = self.wp_url if self.wp_url else (site.baseurl or "")
        self.modes = dict(self.opts.get("collection") or ())
        self.skipped: dict[str, str] = {}
        self.items: dict[str, _Item] = {}
        self._dates_of: dict[str, tuple[dt.datetime, dt.datetime]] = {}
        self.static_by_source = {s.source: s for s in site.static_files}
        self.authors = _Authors(site.authors, site.config)
        self.categories = _Terms("category")
        self.tags = _Terms("tag")

        posts, pages = self._classify()
        self.structure = self.opts.get("wp_permalinks") or self._best_structure(posts, pages)
        # With a /%postname%/ structure posts and top-level pages share one URL space (WordPress shows the
        # page): there, a slug whose URL is a post's own old URL is kept for that post.
        flat = re.fullmatch(r"/%postname%/?", self.structure) is not None
        post_owned = self._post_slugs(posts)[1] if flat else {}
        self._place_pages(pages, reserved=set(post_owned))
        top_pages = {i.slug for i in self.items.values() if i.parent == 0} if flat else set()
        self._place_posts(posts, taken=top_pages - set(post_owned))
        self._make_unique(list(self.items.values()))
        self.category_base, self.tag_base = self._term_bases()
        for label, mode in sorted(self.modes.items()):
            if label not in {c.label for c in site.collections}:
                self.report.emit(
                    "wp-unknown-collection",
                    "warning",
                    f"--collection {label}={mode}: the site has no collection {label!r}",
                )
        # Site-relative URLs, as Jekyll's page.url is; the pipeline adds base_path where Jekyll would.
        # With --wp-url they are absolute, so links come out absolute.
        return Targets(
            document_urls={src: (self.wp_url + item.url) if self.wp_url else item.url
                           for src, item in self.items.items() if item.source},
            asset_url=AssetURL(self.asset_base),
            site_url=self.wp_url or self.old_base,
            base_path=urlsplit(self.wp_url).path if self.wp_url else (site.baseurl or ""),
        )

    def _link(self, path: str) -> str:
        return self.link_prefix + path

    def _mode(self, doc: Document) -> str:
        if doc.kind in ("post", "draft"):
            return "post"
        if doc.kind == "page":
            return "page"
        label = doc.collection or ""
        if label in self.modes:
            return self.modes[label]
        collection = next((c for c in self.site.collections if c.label == label), None)
        return "page" if collection is None or collection.output else "skip"

    def _classify(self) -> tuple[list[Document], list[Document]]:
        posts: list[Document] = []
        pages: list[Document] = []
        skipped_collections: dict[str, int] = {}
        for doc in self.documents():
            if doc.redirect_to:
                self.skipped[doc.source] = "a redirect page (redirect_to): it becomes a redirect rule"
                continue
            if doc.output_path is not None and not doc.is_html_page:
                self.skipped[doc.source] = f"not a web page ({doc.output_ext or 'no extension'} output)"
                self.report.emit(
                    "generated-file-skipped", "warning",
                    f"Jekyll generates {doc.output_path} from this file (Liquid, not a web page): WordPress "
                    "imports no such file; publish the text Jekyll writes as a static file", source=doc.source,
                )
                continue
            mode = self._mode(doc)
            if mode == "skip":
                self.skipped[doc.source] = f"collection {doc.collection} is skipped"
                skipped_collections[doc.collection or ""] = (
                    skipped_collections.get(doc.collection or "", 0) + 1
                )
                continue
            (posts if mode == "post" else pages).append(doc)
        for label, count in sorted(skipped_collections.items()):
            self.report.emit(
                "wp-collection-skipped",
                "info",
                f"collection {label!r} ({count} documents) is not exported; "
                f"use --collection {label}=page (or {label}=post) to import it",
            )
        return posts, pages

    def _fallback_date(self) -> dt.datetime:
        """The newest published post's date: deterministic, and never in the future (no scheduled pages)."""
        if not hasattr(self, "_fallback"):
            dates = [
                d.date
                for d in self.site.documents
                if d.kind == "post" and d.date is not None and not d.future and d.published
            ]
            self._fallback = max(dates) if dates else dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
        return self._fallback

    def _dates(self, doc: Document) -> tuple[dt.datetime, dt.datetime]:
        """The document's (local, UTC) post dates, made once per document (placing posts asks thrice)."""
        dates = self._dates_of.get(doc.source)
        if dates is None:
            when = _own_date(doc) or doc.last_modified or self._fallback_date()
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            dates = self._dates_of[doc.source] = (
                when.replace(tzinfo=None, microsecond=0),
                when.astimezone(dt.timezone.utc).replace(tzinfo=None, microsecond=0),
            )
        return dates

    def _status(self, doc: Document) -> str:
        if doc.kind == "draft" or doc.draft or not doc.published:
            return "draft"
        return "future" if doc.future else "publish"

    def _best_structure(self, posts: list[Document], pages: list[Document]) -> str:
        candidates = list(_FIXED_CANDIDATES)
        templates = [c.permalink for c in self.site.collections if c.label == "posts"] + [self.site.permalink]
        for template in templates:
            derived = jekyll_template_to_structure(template or "")
            if derived and derived not in candidates:
                candidates.append(derived)
        best, best_score = DEFAULT_STRUCTURE, -1
        built = [(wp_slug(doc.slug) or "x", self._dates(doc)[0], unquote(doc.url))
                 for doc in posts if doc.built_by_jekyll and doc.output_path]
        for candidate in candidates:
            score = 0
            for slug, local, old_url in built:
                url = structure_url(candidate, slug=slug, local=local, post_id=0)
                score += unquote(url) == old_url
            # WordPress gives pages the structure's ending: "/x/" after a slash, else "/x" (never ".html")
            slash = candidate.endswith("/")
            score += sum(
                1
                for doc in pages
                if doc.built_by_jekyll
                and doc.url != "/"
                and (doc.url.endswith("/") if slash else not doc.url.endswith(("/", ".html")))
            )
            if score > best_score:
                best, best_score = candidate, score
        return best

    def _post_slugs(self, posts: list[Document]) -> tuple[dict[str, str], dict[str, str]]:
        """Each post's wanted slug, and slug -> the post whose old URL that slug's URL is (it keeps it)."""
        digits_conflict = bool(re.search(r"(^|/)%postname%/", self.structure))
        wanted: dict[str, str] = {}
        owners: dict[str, str] = {}
        for post_id, doc in enumerate(self._post_order(posts), start=len(self.items) + 1):
            base = wp_slug(doc.slug) or wp_slug(doc.title) or f"post-{post_id}"
            if (digits_conflict and base.isdigit()) or _RESERVED_FLAT_SLUG.match(base):
                base += "-2"
            wanted[doc.source] = base
            url = structure_url(self.structure, slug=base, local=self._dates(doc)[0], post_id=post_id)
            if doc.built_by_jekyll and _same_url(url, doc.url):
                owners.setdefault(base, doc.source)
        return wanted, owners

    def _post_order(self, posts: list[Document]) -> list[Document]:
        return sorted(posts, key=lambda d: (self._dates(d)[1], d.source))

    def _place_posts(self, posts: list[Document], *, taken: Collection[str] = ()) -> None:
        wanted, owners = self._post_slugs(posts)
        # a post whose old URL its slug gives keeps that slug; the others never take it (nor ``taken``)
        used: set[str] = set(owners) | set(taken)
        next_id = len(self.items) + 1
        for doc in self._post_order(posts):
            local, gmt = self._dates(doc)
            base = wanted[doc.source]
            slug = base if owners.get(base) == doc.source else _unique(base, used)
            item = _Item(
                post_id=next_id,
                post_type="post",
                title=title_of(doc),
                slug=slug,
                status=self._status(doc),
                local=local,
                gmt=gmt,
                url="",
                source=doc.source,
                # A document Jekyll did not build had no URL (a draft's would even change per checkout).
                old_url=doc.url if doc.built_by_jekyll else None,
                creator=self.authors.login_for(doc),
            )
            item.url = structure_url(self.structure, slug=slug, local=local, post_id=next_id)
            self.items[doc.source] = item
            next_id += 1

    def _place_pages(self, pages: list[Document], *, reserved: Collection[str] = ()) -> None:
        """Pages and collection documents as WordPress pages, each under the page of its parent folder (a
        collection's documents under its URL folder under a page named after the collection)."""
        wanted: dict[tuple[str, ...], Document] = {}
        needed_parents: dict[tuple[str, ...], str] = {}
        for doc in pages:
            segments = _page_segments(doc)
            if doc.kind == "document" and doc.collection:
                # only an empty path moves under the collection: one elsewhere keeps its own URL
                if not segments:
                    segments = (doc.collection,)
                if len(segments) > 1 and segments[0] == doc.collection:
                    needed_parents.setdefault((doc.collection,), doc.collection)
            if segments in wanted:
                segments = (
                    (*segments[:-1], segments[-1] + "-" + Path(doc.source).stem)
                    if segments
                    else (Path(doc.source).stem,)
                )
            wanted[segments] = doc
        for path in needed_parents:
            if path not in wanted:
                wanted[path] = None  # type: ignore[assignment]
        order = sorted(wanted, key=lambda p: (len(p), p))
        parents = {path: next((path[:i] for i in range(len(path) - 1, 0, -1) if path[:i] in wanted), ())
                   for path in order}
        bases: dict[tuple[str, ...], str] = {}
        natural: dict[tuple[str, ...], str] = {}  # the URL each page gets when every page has its wanted slug
        owners: dict[str, tuple[str, ...]] = {}
        for post_id, path in enumerate(order, start=1):
            doc = wanted[path]
            raw_slug = (path[-1] if path else "home")
            base = wp_slug(raw_slug) or (wp_slug(doc.title) if doc else "") or f"page-{post_id}"
            if _RESERVED_PAGE_SLUG.match(base):
                base += "-2"
            bases[path] = base
            natural[path] = self._page_url(natural.get(parents[path]), base)
            if doc is not None and doc.built_by_jekyll and _same_url(natural[path], doc.url):
                owners.setdefault(base, path)
        by_path: dict[tuple[str, ...], _Item] = {}
        # WordPress needs unique slugs among siblings only; unique across all pages keeps tools that
        # file pages by slug (Pelican, wordpress-export-to-markdown) from overwriting one with another.
        # A page whose old URL its wanted slug gives keeps that slug; no other page takes it.
        used_slugs: set[str] = set(owners) | set(reserved)
        next_id = 1
        for path in order:
            doc = wanted[path]
            parent_path = parents[path]
            parent = by_path.get(parent_path) if parent_path else None
            parent_id = parent.post_id if parent else 0
            if doc is None:
                title, status = path[-1].replace("-", " ").replace("_", " ").title(), "publish"
                local, gmt = self._dates_for_synthetic()
            else:
                title, status = title_of(doc), self._status(doc)
                local, gmt = self._dates(doc)
            base = bases[path]
            reserved_here = reserved if parent is None else set()  # another document's URL, top level only
            if owners.get(base) == path and base not in reserved_here:
                slug = base
            else:
                slug = _unique(base, used_slugs)
            url = self._page_url(parent.url if parent else None, slug)
            item = _Item(
                post_id=next_id,
                post_type="page",
                title=title,
                slug=slug,
                status=status,
                local=local,
                gmt=gmt,
                url=url,
                source=doc.source if doc else None,
                old_url=doc.url if doc else None,
                parent=parent_id,
                creator=self.authors.login_for(doc) if doc else self.authors.default_login,
                depth=len(path),
                synthetic=doc is None,
            )
            by_path[path] = item
            self.items[doc.source if doc else "collection:" + "/".join(path)] = item
            next_id += 1

    def _page_url(self, parent_url: str | None, slug: str) -> str:
        parts = ([*parent_url.strip("/").split("/")] if parent_url and parent_url != "/" else []) + [slug]
        return "/" + "/".join(parts) + ("/" if self.structure.endswith("/") else "")

    def _term_bases(self) -> tuple[str, str]:
        """WordPress's category and tag bases. Its archives answer every URL under /BASE/ before any page
        does: a base some document's new URL lives under would hide that document, so another is chosen."""
        paths = [item.url.strip("/") for item in self.items.values()]
        folders = {path.split("/")[0] for path in paths if "/" in path}
        category = next(b for b in _CATEGORY_BASES if b not in folders)
        tag = next(b for b in _TAG_BASES if b not in folders and b != category)
        for kind, base, default in (("category", category, "category"), ("tag", tag, "tag")):
            if base != default:
                self.report.emit(
                    "wp-term-base",
                    "info",
                    f"{kind} archives use the base {base!r}: pages live under /{default}/, where WordPress's "
                    f"{kind} archives would hide them (README.txt says where to set it)",
                )
        return category, tag

    def _dates_for_synthetic(self) -> tuple[dt.datetime, dt.datetime]:
        when = self._fallback_date()
        return when.replace(tzinfo=None, microsecond=0), when.astimezone(dt.timezone.utc).replace(
            tzinfo=None, microsecond=0
        )

    def _make_unique(self, items: list[_Item]) -> None:
        """Keep (title, post_date) unique: the importer silently skips a repeat. Seconds move, the day not.
        The importer's post_exists() compares titles in the database's collation, which ignores case and
        accents (MySQL's utf8mb4_unicode_ci; the SQLite integration ignores case): "Memulakan projek" and
        "Memulakan Projek" on one date are one post to it."""
        mine = {id(i) for i in items}
        seen = {(_title_key(i.title), i.date) for i in self.items.values() if id(i) not in mine}
        for item in items:
            key = (_title_key(item.title), item.date)
            if key in seen:
                for delta in _second_offsets():
                    moved = item.local + dt.timedelta(seconds=delta)
                    if (
                        moved.date() == item.local.date()
                        and (key[0], mysql_date(moved)) not in seen
                    ):
                        item.local += dt.timedelta(seconds=delta)
                        item.gmt += dt.timedelta(seconds=delta)
                        break
                else:
                    n = 2
                    while (_title_key(f"{item.title} ({n})"), item.date) in seen:
                        n += 1
                    item.title = f"{item.title} ({n})"
                if item.post_type == "post" and "%second%" in self.structure:
                    item.url = structure_url(
                        self.structure, slug=item.slug, local=item.local, post_id=item.post_id
                    )
            seen.add((_title_key(item.title), item.date))

    # -- pass two ----------------------------------------------------------------------------------

    def render_document(self, document: Document, converted: Converted) -> bytes | None:
        """The item's content and excerpt lines of the WXR, as WordPress stores them, encoded."""
        item = self.items.get(document.source)
        return None if item is None else self._render_item(item, document, converted)

    def _render_item(self, item: _Item, document: Document, converted: Converted) -> bytes:
        body = autop_safe(converted.body)
        if self.opts.get("wp_content") == "html-block":
            body = wrap_html_block(body)
        excerpt = autop_safe(converted.excerpt or "") if document.excerpt or item.post_type == "post" else ""
        return _body_xml(body, excerpt).encode("utf-8")

    def export_document(self, document: Document, converted: Converted, rendered: Any = None) -> None:
        item = self.items.get(document.source)
        if item is None:
            reason = self.skipped.get(document.source, "not exported")
            self.plan.record(
                DocumentOutcome(document.source, document.kind, document.url, None, "skipped", reason)
            )
            return
        body_xml = rendered if rendered is not None else self._render_item(item, document, converted)
        item.body = self.plan.spool.put(body_xml)
        item.assets = tuple(a for a in converted.assets if a in self.static_by_source)
        item.featured = self._featured_asset(document, item.assets)
        if item.post_type == "post":
            item.categories = tuple(self.categories.add(c) for c in document.categories if c.strip())
            item.tags = tuple(self.tags.add(t) for t in document.tags if t.strip())
        self.plan.record(
            DocumentOutcome(document.source, document.kind, document.url, self._link(item.url), "exported")
        )

    # -- whole-site files --------------------------------------------------------------------------

    def finish(self) -> None:
        done = self._exported_sources()
        exported = [i for i in self.items.values() if i.synthetic or i.source in done]
        exported.sort(key=lambda i: (i.post_type != "page", i.depth, i.post_id))
        attachments = self._attachments(exported)
        for terms, kind in ((self.categories, "category"), (self.tags, "tag")):
            for name, kept in terms.merged:
                self.report.emit(
                    "wp-term-merged",
                    "info",
                    f"{kind} {name!r} becomes {kept!r}: WordPress gives both the slug {wp_slug(kept)!r}",
                )
        files = self._write_wxr(exported, attachments)
        self._write_redirects()
        self.plan.manifest_extra.update(
            {
                "permalink_structure": self.structure,
                "asset_base_url": self.asset_base,
                "wxr_files": files,
            }
        )
        if (self.category_base, self.tag_base) != ("category", "tag"):
            self.plan.manifest_extra.update({"category_base": self.category_base, "tag_base": self.tag_base})
        self._write_readme(files, exported, attachments)

    def _featured_asset(self, doc: Document, assets: tuple[str, ...]) -> str | None:
        """The asset named by an ``image`` front-matter key (string or ``{path: ...}``), if it is used."""
        image = doc.front_matter.get("image")
        if isinstance(image, dict):
            image = image.get("path") or image.get("feature") or image.get("url")
        if not isinstance(image, str) or not image.strip():
            return None
        path = unquote(urlsplit(image.strip()).path)
        base = self.site.baseurl or ""
        if base and path.startswith(base + "/"):
            path = path[len(base) :]
        for source in assets:
            static = self.static_by_source[source]
            if static.origin_url is not None:  # a downloaded remote asset, named by its remote URL
                if remote_key(static.origin_url) == remote_key(image):
                    return source
            elif unquote(static.url) == path:
                return source
        return None

    def _exported_sources(self) -> set[str]:
        return {d.source for d in self.plan.documents if d.status == "exported"}

    def _attachments(self, exported: list[_Item]) -> list[_Item]:
        first_user: dict[str, _Item] = {}
        for item in sorted((i for i in exported if i.source), key=lambda i: i.source or ""):
            for used in item.assets:
                first_user.setdefault(used, item)
        out: list[_Item] = []
        next_id = max((i.post_id for i in self.items.values()), default=0) + 1
        for source in sorted(first_user):
            asset = self.static_by_source[source]
            media_path = unquote(asset.url).lstrip("/")
            try:
                self.plan.add_copy("media/" + media_path, self.site.static_file_path(asset))
            except UnsafePathError as exc:
                self.report.emit("wp-media-path", "error", str(exc), source=asset.source)
                continue
            ext = posixpath.splitext(media_path)[1].lower().lstrip(".")
            if ext not in _UPLOADABLE or asset.size == 0:
                why = "is empty" if asset.size == 0 else f"has a type WordPress refuses to upload (.{ext})"
                self.report.emit(
                    "wp-media-not-imported",
                    "info",
                    f"{asset.source} {why}: it is copied to media/ and linked at {self.asset_base}{asset.url}, "
                    "not imported as an attachment",
                    source=asset.source,
                )
                continue
            parent = first_user[source]
            name = posixpath.basename(media_path)
            out.append(
                _Item(
                    post_id=next_id,
                    post_type="attachment",
                    title=name,
                    # "name-ext" rather than WordPress's "name": an attachment's slug must not take the slug of
                    # a child page imported after it under the same parent.
                    slug=wp_slug(name.replace(".", "-")) or f"attachment-{next_id}",
                    status="inherit",
                    local=parent.local,
                    gmt=parent.gmt,
                    url=self.asset_base + asset.url,
                    parent=parent.post_id,
                    creator=parent.creator,
                    attachment_url=self.asset_base + asset.url,
                    source=asset.source,
                )
            )
            next_id += 1
        ids = {a.source: a.post_id for a in out}
        for item in exported:
            if item.featured in ids:
                item.thumbnail_id = ids[item.featured]
        self._make_unique(out)
        return out

    def _write_wxr(self, items: list[_Item], attachments: list[_Item]) -> list[str]:
        by_id = {i.post_id: i for i in items}
        attached: dict[int, list[_Item]] = {}
        for att in attachments:
            attached.setdefault(att.parent, []).append(att)
        header = self._channel_header()
        footer = "</channel>\n</rss>\n"
        limit = int(self.opts.get("split_size") or parse_size("15MB"))
        budget = limit - len(header.encode()) - len(footer.encode())
        # Which items go to which file is decided from their sizes alone; each file is then written item by
        # item, its contents read back from the spool, so no file is ever built whole in memory.
        made = _ItemXml(self.plan.spool, self._item_xml)
        parts: list[list[_Item]] = [[]]
        sizes = [0]
        in_part: list[set[int]] = [set()]
        try:
            for item in items:
                unit = [i for i in self._ancestors(item, by_id) if i.post_id not in in_part[-1]] + [item]
                unit += attached.get(item.post_id, [])
                size = sum(made.size(i) for i in unit)
                if sizes[-1] and sizes[-1] + size > budget:
                    parts.append([])
                    sizes.append(0)
                    in_part.append(set())
                    unit = self._ancestors(item, by_id) + [item] + attached.get(item.post_id, [])
                    size = sum(made.size(i) for i in unit)
                if size > budget:
                    self.report.emit(
                        "wp-item-too-large",
                        "warning",
                        f"{item.source or item.title} alone is larger than --split-size",
                        source=item.source,
                    )
                parts[-1].extend(unit)
                sizes[-1] += size
                in_part[-1].update(i.post_id for i in unit)
        finally:
            made.close()
        names = (
            ["wordpress.xml"]
            if len(parts) == 1
            else [f"wordpress-{n:03d}.xml" for n in range(1, len(parts) + 1)]
        )
        for name, part in zip(names, parts):
            with self.plan.open_stream(name) as out:
                out.write_text(header)
                for item in part:
                    self._write_item(out, item, made)
                out.write_text(footer)
            self.plan.itemizers[name] = wxr_items
        return names

    def _write_item(self, out: SpoolWriter, item: _Item, made: _ItemXml) -> None:
        head, tail = made.read(item)
        out.write(head)
        if item.body is None:
            out.write(_EMPTY_BODY)
        else:
            for chunk in item.body.chunks():
                out.write(chunk)
        out.write(tail)

    @staticmethod
    def _ancestors(item: _Item, by_id: dict[int, _Item]) -> list[_Item]:
        chain: list[_Item] = []
        parent = by_id.get(item.parent)
        while parent is not None and parent not in chain:
            chain.insert(0, parent)
            parent = by_id.get(parent.parent)
        return chain

    def _channel_header(self) -> str:
        site = self.site
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            "<!-- WordPress eXtended RSS (WXR) 1.2 written by jekyll-migrate: import it with "
            "Tools > Import > WordPress. -->",
            '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">',
            "<channel>",
            f"\t<title>{esc(site.title)}</title>",
            f"\t<link>{esc(self.old_base)}</link>",
            f"\t<description>{esc(site.description)}</description>",
            f"\t<language>{esc(site.language or 'en')}</language>",
            "\t<wp:wxr_version>1.2</wp:wxr_version>",
            f"\t<wp:base_site_url>{esc(self.old_site_url)}</wp:base_site_url>",
            f"\t<wp:base_blog_url>{esc(self.old_base)}</wp:base_blog_url>",
        ]
        for n, author in enumerate(self.authors.used(), start=1):
            lines.append(
                "\t<wp:author>"
                f"<wp:author_id>{n}</wp:author_id>"
                f"<wp:author_login>{cdata(author.login)}</wp:author_login>"
                f"<wp:author_email>{cdata(author.email)}</wp:author_email>"
                f"<wp:author_display_name>{cdata(author.display)}</wp:author_display_name>"
                f"<wp:author_first_name>{cdata(author.first)}</wp:author_first_name>"
                f"<wp:author_last_name>{cdata(author.last)}</wp:author_last_name>"
                "</wp:author>"
            )
        term_id = 0
        for slug, name in self.categories.by_slug.items():
            term_id += 1
            lines.append(
                f"\t<wp:category><wp:term_id>{term_id}</wp:term_id>"
                f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
                f"<wp:category_parent>{cdata('')}</wp:category_parent>"
                f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
            )
        for slug, name in self.tags.by_slug.items():
            term_id += 1
            lines.append(
                f"\t<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>"
            )
        lines.append(f"\t<generator>{esc('jekyll-migrate')}</generator>")
        return "\n".join(lines) + "\n"

    def _item_xml(self, item: _Item) -> tuple[str, str]:
        """The item's XML before and after its body lines (which wait in the spool)."""
        comments = _cdata_word(
            "open" if self.opts.get("comments") == "open" and item.post_type != "attachment" else "closed"
        )
        link = item.attachment_url or self._absolute(item.url)
        guid = item.attachment_url or (
            self.old_base + item.old_url
            if item.old_url
            else f"{self.old_base}/?{'page_id' if item.post_type == 'page' else 'p'}={item.post_id}"
        )
        head = (
            "\t<item>\n"
            f"\t\t<title>{cdata(item.title)}</title>\n"
            f"\t\t<link>{esc(link)}</link>\n"
            f"\t\t<pubDate>{rfc2822_utc(item.gmt)}</pubDate>\n"
            f"\t\t<dc:creator>{_cdata_word(item.creator)}</dc:creator>\n"
            f'\t\t<guid isPermaLink="false">{esc(guid)}</guid>\n'
            "\t\t<description></description>\n"
        )
        fields = (
            f"\t\t<wp:post_id>{item.post_id}</wp:post_id>\n"
            f"\t\t<wp:post_date>{cdata(item.date)}</wp:post_date>\n"
            f"\t\t<wp:post_date_gmt>{cdata(mysql_date(item.gmt))}</wp:post_date_gmt>\n"
            f"\t\t<wp:comment_status>{comments}</wp:comment_status>\n"
            f"\t\t<wp:ping_status>{comments}</wp:ping_status>\n"
            f"\t\t<wp:post_name>{cdata(item.slug)}</wp:post_name>\n"
            f"\t\t<wp:status>{_cdata_word(item.status)}</wp:status>\n"
            f"\t\t<wp:post_parent>{item.parent}</wp:post_parent>\n"
            "\t\t<wp:menu_order>0</wp:menu_order>\n"
            f"\t\t<wp:post_type>{_cdata_word(item.post_type)}</wp:post_type>\n"
            f"\t\t<wp:post_password>{_cdata_word('')}</wp:post_password>\n"
            "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
        )
        lines = [fields]
        if item.attachment_url:
            lines.append(f"\t\t<wp:attachment_url>{cdata(item.attachment_url)}</wp:attachment_url>\n")
        for domain, terms in (("category", item.categories), ("post_tag", item.tags)):
            for slug, name in terms:
                lines.append(
                    f'\t\t<category domain="{domain}" nicename="{esc(slug)}">{cdata(name)}</category>\n'
                )
        meta = []
        if item.old_url is not None:
            meta.append(("_jekyll_old_url", self.old_base + item.old_url))
        if item.source:
            meta.append(("_jekyll_source", item.source))
        if item.thumbnail_id:
            meta.append(("_thumbnail_id", str(item.thumbnail_id)))
        for key, value in meta:
            lines.append(
                f"\t\t<wp:postmeta><wp:meta_key>{_cdata_word(key)}</wp:meta_key>"
                f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>\n"
            )
        lines.append("\t</item>\n")
        return head, "".join(lines)

    def _absolute(self, path: str) -> str:
        return (self.wp_url or self.old_base) + path

    def _write_redirects(self) -> None:
        # A draft has no public URL in WordPress: its old URL (if Jekyll built it) gets no redirect.
        done = self._exported_sources()
        new_urls = {
            src: (self.wp_url + i.url if self.wp_url else i.url)
            for src, i in self.items.items()
            if i.source and i.status != "draft" and src in done
        }
        redirect_map = build_redirect_map(
            self.site,
            new_urls,
            base_path=self.site.baseurl or "",
            feed_url=(self.wp_url + "/feed/") if self.wp_url else "/feed/",
            index_files=False,
        )
        self.report.extend(redirect_map.issues)
        # The old home page is WordPress's own front page: never redirect it to the imported copy.
        home = page_key((self.site.baseurl or "") + "/")
        rules = [r for r in redirect_map if page_key(r.source) != home]
        self.plan.redirects.extend((r.source, r.target) for r in rules)
        files = stream_redirects(
            dataclasses.replace(redirect_map, rules=tuple(rules)), "wordpress-redirection"
        )
        for name, pieces in files.items():
            with self.plan.open_stream("redirects/" + name) as out:
                for piece in pieces:
                    out.write(piece)

    def _write_readme(self, files: list[str], items: list[_Item], attachments: list[_Item]) -> None:
        kinds: dict[str, int] = {}
        for item in items:
            kinds[item.post_type] = kinds.get(item.post_type, 0) + 1
        tz = self.site.timezone or "the timezone the site was built in"
        steps = [
            f"WordPress import of {self.site.title or self.site.source_dir}",
            "",
            f"Contents: {kinds.get('post', 0)} posts, {kinds.get('page', 0)} pages, "
            f"{len(attachments)} attachments, {len(set(self.plan.redirects))} redirects.",
            "",
            "1. Settings > General: set Timezone to "
            + tz
            + " (post dates and URLs use the site's local time).",
            "2. Settings > Permalinks: choose 'Custom Structure' and enter exactly:",
            f"       {self.structure}",
            *(
                [
                    "   and under Optional enter the Category base and the Tag base (pages of the old",
                    "   site live under /category/ or /tag/, which the defaults would hide):",
                    f"       {self.category_base}   and   {self.tag_base}",
                ]
                if (self.category_base, self.tag_base) != ("category", "tag")
                else []
            ),
            *(
                [
                    f"3. Make the folder media/ reachable at {self.asset_base}/ (it already is if the old site",
                    "   still serves it there): the importer downloads every attachment from that address, and",
                    "   files WordPress does not import (SVG, fonts...) stay linked there.",
                ]
                if any(p.startswith("media/") for p in self.plan.files)
                else ["3. (No media files: nothing to serve.)"]
            ),
            "4. Tools > Import > WordPress (install the importer when asked), then import, in this order:",
            *[f"       {name}" for name in files],
            "   Tick 'Download and import file attachments'. Assign the authors as you like.",
            "5. Install the Redirection plugin, then Tools > Redirection > Import and choose",
            "       redirects/redirection.json   (or redirects/redirection.csv)",
            "   Every old URL that WordPress does not serve by itself then answers with a 301.",
            "",
            "migration.json lists every source document, its old URL and its new URL.",
        ]
        self.plan.add_text("README.txt", "\n".join(steps) + "\n")


class _ItemXml:
    """Each WXR item's XML before and after its body, made once, when the item is sized, and kept in the
    plan's spool (one stream for all of them) until its file is written."""

    def __init__(self, spool: Spool, make: Callable[[_Item], tuple[str, str]]) -> None:
        self.spool = spool
        self.make = make
        self.writer = spool.open_stream()
        self.where: dict[int, tuple[int, int, int]] = {}
        """Post ID -> (offset in the stream, bytes before the body, bytes after it)."""

    def size(self, item: _Item) -> int:
        """Bytes of the item's XML, without reading its body back."""
        where = self.where.get(item.post_id)
        if where is None:
            head, tail = (text.encode() for text in self.make(item))
            where = self.where[item.post_id] = (self.writer.tell(), len(head), len(tail))
            self.writer.write(head + tail)
        body = item.body.length if item.body is not None else len(_EMPTY_BODY)
        return where[1] + body + where[2]

    def close(self) -> None:
        """No more items: what they keep can be read (and the spool takes other files again)."""
        self.writer.close()

    def read(self, item: _Item) -> tuple[bytes, bytes]:
        offset, head, tail = self.where[item.post_id]
        data = self.spool.read(self.writer.span.offset + offset, head + tail)
        return data[:head], data[head:]


# -- authors -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _WpAuthor:
    login: str
    display: str
    email: str = ""
    first: str = ""
    last: str = ""


class _Authors:
    """Maps author keys of documents to WordPress logins; lists only the authors in use."""

    def __init__(self, authors: Iterable[Author], config: dict[str, Any]) -> None:
        self.known = {a.key: a for a in authors}
        self.by_key: dict[str, _WpAuthor] = {}
        self.logins: set[str] = set()
        self.order: list[str] = []
        site_author = config.get("author")
        if isinstance(site_author, dict):
            site_author = site_author.get("name") or site_author.get("login")
        self.default_key = str(site_author).strip() if site_author else "admin"

    @property
    def default_login(self) -> str:
        return self._login(self.default_key)

    def _login(self, key: str) -> str:
        if key in self.by_key:
            login = self.by_key[key].login
        else:
            author = self.known.get(key)
            name = author.name if author else key
            base = re.sub(r"[^a-z0-9_.@-]+", "-", _remove_accents(key).lower()).strip("-") or "author"
            login = _unique(base[:60], self.logins)
            parts = name.split(None, 1)
            self.by_key[key] = _WpAuthor(
                login=login,
                display=name,
                email=(author.email or "") if author else "",
                first=parts[0] if len(parts) > 1 else "",
                last=parts[1] if len(parts) > 1 else "",
            )
        if key not in self.order:
            self.order.append(key)
        return login

    def login_for(self, doc: Document) -> str:
        keys = [a for a in doc.authors if str(a).strip()]
        return self._login(str(keys[0]).strip()) if keys else self._login(self.default_key)

    def used(self) -> list[_WpAuthor]:
        return [self.by_key[k] for k in self.order]


# -- module helpers ----------------------------------------------------------------------------------


def _title_key(title: str) -> str:
    """A title as a case- and accent-insensitive collation compares it (trailing spaces do not count)."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).rstrip()


def _same_url(new: str, old: str) -> bool:
    """Whether WordPress answers the old URL with the document at ``new`` (it adds or drops the trailing
    slash by itself)."""
    return unquote(new).rstrip("/") == unquote(old.split("?", 1)[0]).rstrip("/")


def _unique(base: str, used: set[str]) -> str:
    slug, n = base, 2
    while slug in used:
        suffix = f"-{n}"
        slug = base[: 200 - len(suffix)] + suffix
        n += 1
    used.add(slug)
    return slug


def _own_date(doc: Document) -> dt.datetime | None:
    """The document's date unless it is the build time Jekyll gives undated collection documents and
    pages (recognisable by its microseconds; no front matter or file name carries those), or the file
    time Jekyll gives a draft without a front-matter date (it changes with every checkout)."""
    if doc.date is None or (doc.kind in ("page", "document") and doc.date.microsecond):
        return None
    if doc.kind == "draft" and "date" not in doc.front_matter:
        return None
    return doc.date


def title_of(doc: Document) -> str:
    """A one-line, non-empty title: the importer's duplicate check ignores the date's owner when the title
    is empty, so two untitled items of one date would silently become one."""
    title = " ".join(doc.title.split())
    if title:
        return title
    stem = _page_segments(doc)[-1:] or ("home",)
    words = re.sub(r"[-_.]+", " ", posixpath.splitext(stem[0])[0]).strip()
    return (words[:1].upper() + words[1:]) if words else "Untitled"


def _second_offsets() -> Iterable[int]:
    for n in range(1, 3600):
        yield n
        yield -n


def _page_segments(doc: Document) -> tuple[str, ...]:
    """The folder path of a page from its URL: ``/guides/setup.html`` -> ``("guides", "setup")``."""
    path = unquote(doc.url or "/" + posixpath.splitext(doc.source)[0]).split("?", 1)[0].split("#", 1)[0]
    if path.endswith("/index.html") or path == "index.html":
        path = path[: -len("index.html")]
    elif path.endswith((".html", ".htm")):
        path = posixpath.splitext(path)[0]
    return tuple(s for s in path.strip("/").split("/") if s)


_ITEM = re.compile(r"<item>.*?</item>", re.DOTALL)
_ITEM_KEY = re.compile(r"<wp:post_type><!\[CDATA\[(.*?)\]\]></wp:post_type>")
_ITEM_ID = re.compile(r"<wp:post_id>(\d+)</wp:post_id>")
_ITEM_NAME = re.compile(r"<wp:post_name><!\[CDATA\[(.*?)\]\]></wp:post_name>")


def wxr_items(data: bytes) -> dict[str, str]:
    """Split a WXR file into its items, named ``type/post_name#id`` (for dry-run diffs)."""
    text = data.decode("utf-8", errors="replace")
    out: dict[str, str] = {}
    header_end = text.find("<item>")
    out["channel"] = text if header_end < 0 else text[:header_end]
    for match in _ITEM.finditer(text):
        block = match.group(0)
        kind = _ITEM_KEY.search(block)
        name = _ITEM_NAME.search(block)
        ident = _ITEM_ID.search(block)
        key = f"{kind.group(1) if kind else '?'}/{name.group(1) if name else '?'}#{ident.group(1) if ident else '?'}"
        out[key] = block
    return out
