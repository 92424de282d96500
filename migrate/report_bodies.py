"""Each document before and after, for the report page: Jekyll's rendering, the target's, their text diff
and the images both show, resolved from the site and the export."""

from __future__ import annotations

import base64
import difflib
import hashlib
import io
import logging
import posixpath
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

from migrate.ir import Site

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 400_000
"""Characters of one body the page keeps; a longer one is cut, and says so (the page must stay small)."""

MAX_DIFF_LINES = 5000
"""Lines of each side's text the diff compares; the rest is counted, not compared."""

IMAGE_MAX_BYTES = 1_000_000
"""Largest image embedded in the page; a larger one is shown as a labelled placeholder."""
IMAGES_MAX_TOTAL = 20_000_000
"""Bytes of images one page embeds at most (the page must stay one file that opens quickly)."""

_IMAGE_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml", ".avif": "image/avif", ".bmp": "image/bmp",
    ".ico": "image/x-icon",
}

MARKDOWN_STAND_IN = ("the Markdown as Goldmark would render it, rendered here by markdown-it-py (CommonMark with "
                     "tables, strikethrough, footnotes, definition lists, block and heading attributes, raw HTML kept as "
                     "the export's unsafe = true does); a stand-in, not Hugo's own output: shortcodes show as text")


def jekyll_renderings(site: Site, sources: Iterable[str], *, limits: Any = None,
                      jobs: int = 1) -> dict[str, tuple[bool, str]]:
    """Each document's body as Jekyll's content pipeline renders it: Liquid, then kramdown, with every link
    and asset at its old URL (the page of the old site, without its layout), and whether it is a web page
    (a script or feed with front matter is a file: its text). Converted in ``jobs`` processes."""
    from migrate.content import Converted, Targets
    from migrate.convert import convert_documents

    wanted = set(sources)
    documents = [d for d in site.documents if d.source in wanted]
    old_urls = {d.source: d.url for d in site.documents if d.url}
    targets = Targets(document_urls=old_urls, base_path=site.baseurl)
    out: dict[str, tuple[bool, str]] = {}
    for document, done in convert_documents(site, targets, documents, "html", jobs=jobs, limits=limits):
        if isinstance(done.result, Converted):  # else the export already reported the failure
            out[document.source] = (document.is_html_page, done.result.body)
    return out


_MARKDOWN: Any = None


def _backlink(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    if tokens[idx].meta["subId"] > 0:
        ident += ":" + str(tokens[idx].meta["subId"])
    return f'&#160;<a href="#fnref{ident}" class="footnote-backref">{env.get("backlink", "&#8617;")}</a>'


def render_markdown(text: str, *, backlink: str = "&#8617;") -> str:
    """Markdown -> HTML the way the Hugo export's Goldmark settings read it (see :data:`MARKDOWN_STAND_IN`);
    ``backlink``: the footnote back link the export configures (kramdown's ``footnote_backlink``)."""
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.deflist import deflist_plugin
        from mdit_py_plugins.footnote import footnote_plugin

        md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        md = md.use(footnote_plugin).use(deflist_plugin)
        md.block.ruler.before("paragraph", "hugo_block_attributes", _attribute_line,
                              {"alt": ["paragraph", "blockquote", "list"]})
        md.core.ruler.push("hugo_attributes", _apply_attributes)
        # Goldmark numbers a footnote reference 1, markdown-it [1]; strikethrough is <del> there, <s> here.
        md.add_render_rule("footnote_caption", lambda self, tokens, idx, options, env:
                           str(tokens[idx].meta["id"] + 1) + (f":{tokens[idx].meta['subId']}"
                                                              if tokens[idx].meta.get("subId", 0) > 0 else ""))
        md.add_render_rule("footnote_anchor", _backlink)
        md.add_render_rule("s_open", lambda self, tokens, idx, options, env: "<del>")
        md.add_render_rule("s_close", lambda self, tokens, idx, options, env: "</del>")
        _MARKDOWN = md
    try:
        return str(_MARKDOWN.render(text, {"backlink": backlink}))
    except Exception as exc:  # noqa: BLE001 - a stand-in renderer must not stop the report
        return f"<pre>{_escape(text)}</pre><p>(not rendered: {_escape(str(exc))})</p>"


_ATTRIBUTES = re.compile(r"^\{([^{}\n]*)\}[ \t]*$")
_ATTRIBUTE = re.compile(r"""([.#])([^\s.#=]+)|([\w:-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")


def _parse_attributes(text: str) -> list[tuple[str, str]] | None:
    """``.a #b k=v`` as (name, value) pairs; None when the text is not only attributes."""
    found, rest = [], text
    for m in _ATTRIBUTE.finditer(text):
        if m.group(1) == ".":
            found.append(("class", m.group(2)))
        elif m.group(1) == "#":
            found.append(("id", m.group(2)))
        else:
            found.append((m.group(3), next(v for v in m.group(4, 5, 6) if v is not None)))
        rest = rest.replace(m.group(0), "", 1)
    return found if found and not rest.strip() else None


def _attribute_line(state: Any, start: int, end: int, silent: bool) -> bool:
    """Hugo's block attributes (``markup.goldmark.parser.attribute.block``): a line ``{.class #id k=v}`` ends
    the block above it (it may interrupt a paragraph) and applies to that block."""
    line = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    m = _ATTRIBUTES.match(line)
    if not m or state.sCount[start] - state.blkIndent >= 4 or _parse_attributes(m.group(1)) is None:
        return False
    if silent:
        return True
    token = state.push("hugo_attributes", "", 0)
    token.meta = {"attributes": _parse_attributes(m.group(1))}
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def _set_attributes(token: Any, pairs: list[tuple[str, str]]) -> None:
    for name, value in pairs:
        if name == "class":
            token.attrJoin("class", value)
        else:
            token.attrSet(name, value)


def _apply_attributes(state: Any) -> None:
    """Each attribute line to the block just above it; a heading's trailing ``{#id}`` to the heading
    (``parser.attribute.title``)."""
    tokens, kept = state.tokens, []
    for token in tokens:
        if token.type != "hugo_attributes":
            kept.append(token)
            continue
        if kept and kept[-1].nesting == -1:
            depth = 0
            for opener in reversed(kept):
                depth += opener.nesting
                if depth == 0:
                    _set_attributes(opener, token.meta["attributes"])
                    break
    for i, token in enumerate(kept):
        if token.type == "heading_open" and i + 1 < len(kept) and kept[i + 1].type == "inline":
            inline = kept[i + 1]
            m = re.search(r"\s*\{([^{}]*)\}\s*$", inline.content)
            pairs = _parse_attributes(m.group(1)) if m else None
            if m and pairs is not None and inline.children and inline.children[-1].type == "text":
                last = inline.children[-1]
                tail = re.search(r"\s*\{([^{}]*)\}\s*$", last.content)
                if tail:
                    last.content = last.content[:tail.start()]
                    _set_attributes(token, pairs)
    state.tokens = kept


def clipped(text: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    """``text``, or its first ``limit`` characters and a line saying how many more there were."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n\n[{len(text) - limit:,} more characters not kept in the report]"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- visible text and its diff -------------------------------------------------------------------------

_BLOCK = frozenset(
    ["address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"]
)
_HIDDEN = frozenset({"script", "style", "template", "noscript"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.pre = 0

    def _break(self) -> None:
        text = "".join(self.current)
        self.current = []
        if self.pre:
            self.lines.extend(line.rstrip() for line in text.split("\n") if line.strip())
            return
        text = " ".join(text.split())
        if text:
            self.lines.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCK:
            self._break()
            if tag == "pre":
                self.pre += 1
        elif tag == "img" and not self.hidden:
            a = dict(attrs)
            self.current.append(f" [image: {a.get('alt') or posixpath.basename(urlsplit(a.get('src') or '').path)}] ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _HIDDEN:
            self.hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK:
            self._break()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)


def visible_text(html_text: str) -> list[str]:
    """The text a reader sees, one line per block (images as ``[image: alt]``): what the diff compares."""
    parser = _TextParser()
    try:
        parser.feed(html_text)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; this is belt and braces
        return [line for line in html_text.splitlines() if line.strip()]
    parser._break()
    return parser.lines


@dataclass(frozen=True)
class TextDiff:
    score: float
    """0 when both renderings read the same, up to 1 when they share no line."""
    diff: str
    """A unified diff of the two texts (``-`` Jekyll, ``+`` target), two lines of context; "" when equal."""
    cut: int = 0
    """Lines beyond :data:`MAX_DIFF_LINES` not compared."""


def text_diff(before: list[str], after: list[str], *, limit: int = MAX_DIFF_LINES) -> TextDiff:
    """Compare two texts line by line. Whole lines are compared (no pairing of similar lines and character
    diff inside them, which is quadratic in a changed block's size), at most ``limit`` lines a side."""
    cut = max(0, len(before) - limit) + max(0, len(after) - limit)
    a, b = before[:limit], after[:limit]
    if a == b:
        return TextDiff(0.0, "", cut)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    same = sum(size for _, _, size in matcher.get_matching_blocks())
    score = 1.0 - (2.0 * same / (len(a) + len(b)) if a or b else 1.0)
    lines = []
    for group in matcher.get_grouped_opcodes(2):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        lines.append(f"@@ -{i1 + 1},{i2 - i1} +{j1 + 1},{j2 - j1} @@")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                lines.extend(" " + line for line in a[a1:a2])
                continue
            lines.extend("-" + line for line in a[a1:a2])
            lines.extend("+" + line for line in b[b1:b2])
    return TextDiff(round(score, 4), "\n".join(lines), cut)


# -- images ----------------------------------------------------------------------------------------------

_SRC = re.compile(r"""<(?:img|source|image|input)\b[^>]*?\s(?:src|href|xlink:href)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SRCSET = re.compile(r"""\ssrcset\s*=\s*["']([^"']+)""", re.IGNORECASE)


def image_urls(html_text: str) -> list[str]:
    """Every image address a rendering names (``src`` of images, candidates of ``srcset``)."""
    found = [m.group(1) for m in _SRC.finditer(html_text)]
    for m in _SRCSET.finditer(html_text):
        found.extend(part.strip().split(" ")[0] for part in m.group(1).split(",") if part.strip())
    return [u for u in found if u and not u.startswith("data:")]


def url_path(url: str) -> str:
    """The decoded path of an address (``https://host/a%20b.png?x`` -> ``/a b.png``)."""
    return unquote(urlsplit(url.replace("__GHOST_URL__", "")).path)


class ImageResolver:
    """Finds the bytes behind an image address: in the export (its files, and the members of a zip it
    writes) or in the site's static files; each distinct image is embedded once, as a data URI."""

    def __init__(self, site: Site | None, files: Mapping[str, Any], *, max_bytes: int = IMAGE_MAX_BYTES,
                 max_total: int = IMAGES_MAX_TOTAL) -> None:
        self.site = site
        self.max_bytes, self.budget = max_bytes, max_total
        self.static: dict[str, Any] = {}
        if site is not None:
            for static in site.static_files:
                if _mime(static.source):
                    self.static[unquote(static.url)] = static
        self.exported: dict[str, Any] = {}
        """Every path suffix (``/a/b.png``, ``/b.png``...) of an exported image -> a reader of its bytes."""
        for path, planned in sorted(files.items()):
            if _mime(path):
                self._index_export(path, planned.read)
            elif path.endswith(".zip") and getattr(planned, "size", 0) < 500_000_000:
                self._index_zip(planned)
        self.data: list[str] = []
        """Data URIs; a rendering's image names its index here."""
        self.by_digest: dict[str, int] = {}
        self.skipped: dict[str, str] = {}

    def _index_export(self, path: str, read: Any) -> None:
        parts = path.split("/")
        for k in range(len(parts)):
            self.exported.setdefault("/" + "/".join(parts[k:]), read)

    def _index_zip(self, planned: Any) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(planned.read()))
        except (zipfile.BadZipFile, OSError, ValueError):
            return
        for info in archive.infolist():
            if _mime(info.filename) and info.file_size <= self.max_bytes:
                self._index_export(info.filename, lambda name=info.filename: archive.read(name))

    def _lookup(self, path: str, *, export_first: bool) -> tuple[str, Any] | None:
        base = self.site.baseurl if self.site is not None else ""
        candidates = [path] + ([path[len(base):]] if base and path.startswith(base + "/") else [])

        def from_static() -> tuple[str, Any] | None:
            for c in candidates:
                if c in self.static:
                    static = self.static[c]
                    assert self.site is not None
                    return static.source, self.site.static_file_path(static).read_bytes
            return None

        def from_export() -> tuple[str, Any] | None:
            for c in candidates:
                if c in self.exported:
                    return c, self.exported[c]
            return None

        order = (from_export, from_static) if export_first else (from_static, from_export)
        for find in order:
            found = find()
            if found is not None:
                return found
        return None

    def resolve(self, url: str, *, export_first: bool) -> int | None:
        """The index of ``url``'s image in :attr:`data`, or None (not found, or over the size limits; the
        reason is kept in :attr:`skipped`)."""
        path = url_path(url)
        mime = _mime(path)
        found = self._lookup(path, export_first=export_first) if mime else None
        if found is None:
            self.skipped.setdefault(url, "not found in the site or the export")
            return None
        name, read = found
        try:
            data = read()
        except OSError:
            self.skipped.setdefault(url, "could not be read")
            return None
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.by_digest:
            return self.by_digest[digest]
        if len(data) > self.max_bytes or len(data) > self.budget:
            self.skipped.setdefault(url, f"{len(data) // 1000} kB, over the report's image limit")
            return None
        self.budget -= len(data)
        self.data.append(f"data:{_mime(name) or mime};base64,{base64.b64encode(data).decode('ascii')}")
        self.by_digest[digest] = len(self.data) - 1
        return self.by_digest[digest]


def _mime(path: str) -> str | None:
    return _IMAGE_TYPES.get(posixpath.splitext(path.lower())[1])


