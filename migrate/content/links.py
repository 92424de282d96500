"""Find every link and asset reference in a body, resolve it against the site, point it at its new home."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Callable, Literal
from urllib.parse import quote, unquote, urlsplit

from migrate import ir
from migrate.content import Targets, htmlscan
from migrate.content.htmlscan import EMPTY, END, START
from migrate.content.kramdown_syntax import REF_DEF_TARGET

# Where references live in HTML: (tag or "*", attribute).
URL_ATTRIBUTES = {
    "href": {"a", "link", "area", "base"},
    "src": {"img", "script", "iframe", "source", "video", "audio", "embed", "input", "track", "frame"},
    "poster": {"video"},
    "data": {"object"},
    "srcset": {"img", "source"},
}
IMAGE_FRONT_MATTER = (
    "image",
    "header.image",
    "header.teaser",
    "header.overlay_image",
    "cover",
    "thumbnail",
    "og_image",
    "image.path",
    "feature_image",
    "featured_image",
    "teaser",
    "banner",
)
_IMAGE_FRONT_MATTER_PARTS = tuple(tuple(key.split(".")) for key in IMAGE_FRONT_MATTER)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_NON_LOCAL = ("mailto:", "tel:", "javascript:", "data:", "sms:", "irc:", "ftp:", "file:", "news:", "xmpp:")
_STYLE_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
# What a page shows inline (as opposed to what it links to): (tag, attribute).
EMBEDDING_ATTRIBUTES = frozenset({
    ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"), ("video", "src"),
    ("video", "poster"), ("audio", "src"), ("track", "src"), ("input", "src"),
})
ReferenceKind = Literal["embed", "link", "code"]
"""``embed``: shown inline (images, media, posters, Markdown images); ``link``: a link or a style URL;
``code``: something run or framed (scripts, iframes, ``base``)."""
KindMapper = Callable[[str, ReferenceKind], str]


@dataclass
class References:
    """What a rewrite found: referenced assets and documents, and references resolving to nothing."""

    assets: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    issues: list[ir.Issue] = field(default_factory=list)
    _reported: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Resolved:
    """What one reference points at."""

    kind: str
    """``document``, ``asset``, ``external``, ``anchor``, ``missing`` or ``skip``."""
    source: str | None = None
    """The document's or static file's source, when it is one."""
    suffix: str = ""
    """Query and fragment, kept as written."""
    old_path: str = ""
    """The site path it resolved to (without base URL)."""


def _decode(path: str) -> str:
    return unquote(path)


def site_hosts(site: ir.Site) -> set[str]:
    """The hosts (``netloc``, lower case) a link may name and still point into the site: the host of
    ``site.url``, with and without ``www.``."""
    split = urlsplit(site.url or "")
    if not split.netloc:
        return set()
    host = split.netloc.lower()
    return {host, host[4:] if host.startswith("www.") else "www." + host}


def remote_key(url: str) -> str:
    """A remote URL as compared with the ``origin_url`` of downloaded files: without its fragment,
    ``//host/...`` as ``https://host/...``, and percent-encoded as Markdown renders it (spaces, non-ASCII),
    so a reference and its rendered form compare equal. Escapes already there stay as they are."""
    url = url.strip().partition("#")[0]
    if url.startswith("//"):
        url = "https:" + url
    return quote(url, safe="%/:;?@&=+$,-_.!~*'()[]")


class LinkResolver:
    """Resolves references against one site; rewrites them to the targets' URLs."""

    def __init__(self, site: ir.Site, targets: Targets) -> None:
        self.site = site
        self.targets = targets
        self.baseurl = (site.baseurl or "").rstrip("/")
        self.own_hosts = site_hosts(site)
        self.by_source = {d.source: d for d in site.documents}
        self.statics = {s.source: s for s in site.static_files}
        # Downloaded remote assets are found by the URL they were referenced by, never by a site path.
        served = site.served_static_files()
        self.served_statics = {s.source for s in served}
        self.remote = {remote_key(s.origin_url): s.source for s in site.static_files if s.origin_url}
        self.doc_urls: dict[str, str] = {}
        linked = [d for d in site.documents if d.output_path is not None or d.built_by_jekyll]
        for doc in linked:  # a URL as written first: another document's variant never takes it
            self.doc_urls.setdefault(_decode(doc.url), doc.source)
        for doc in linked:
            for variant in _url_variants(doc.url):
                self.doc_urls.setdefault(variant, doc.source)
        for doc in site.documents:
            for old in doc.redirect_from:
                for variant in _url_variants(old):
                    self.doc_urls.setdefault(variant, doc.source)
        self.static_urls: dict[str, str] = {}
        for static in served:
            self.static_urls.setdefault(_decode(static.url), static.source)
        for static in served:  # a folder's index.html answers the folder's URL, with or without its slash
            decoded = _decode(static.url)
            if decoded.endswith("/index.html"):
                for variant in _url_variants(decoded):
                    self.static_urls.setdefault(variant, static.source)
        # Liquid (``link``, ``post_url``, ``page.url``) already writes new URLs; they must pass untouched.
        self.new_urls: set[str] = set()
        for new in targets.document_urls.values():
            for form in (new, self._with_base(new)):
                path = urlsplit(form).path if _SCHEME.match(form) else form
                self.new_urls.update(_url_variants(_decode(path)))

    # -- resolution ---------------------------------------------------------------------------------
    def resolve(self, doc: ir.Document, ref: str) -> Resolved:
        ref = ref.strip()
        if not ref or "{{" in ref or "{%" in ref:
            return Resolved("skip")
        if ref.startswith("#"):
            return Resolved("anchor")
        if self.remote:
            remote = self._resolve_remote(ref)
            if remote is not None:
                return remote
        lower = ref.lower()
        if lower.startswith(_NON_LOCAL):
            return Resolved("skip")
        if ref.startswith("//"):
            ref = "https:" + ref
        if _SCHEME.match(ref):
            parts = urlsplit(ref)
            if parts.scheme not in ("http", "https") or parts.netloc.lower() not in self.own_hosts:
                return Resolved("external")
            path = parts.path or "/"
            suffix = (f"?{parts.query}" if parts.query else "") + (
                f"#{parts.fragment}" if parts.fragment else ""
            )
            return self._resolve_path(doc, path, suffix, absolute=True)
        parts = urlsplit(ref)
        suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        return self._resolve_path(doc, parts.path, suffix, absolute=False)

    def _resolve_remote(self, ref: str) -> Resolved | None:
        """A reference to a downloaded remote asset, as written (or in its ``//host/...`` form)."""
        source = self.remote.get(remote_key(ref))
        if source is None:
            return None
        url, hash_mark, fragment = ref.partition("#")
        return Resolved("asset", source, hash_mark + fragment, url)

    def _resolve_path(self, doc: ir.Document, path: str, suffix: str, *, absolute: bool) -> Resolved:
        if not path:
            return Resolved("anchor")
        candidates: list[str] = []
        if path.startswith("/"):
            decoded = _decode(path)
            if self.baseurl and (decoded == self.baseurl or decoded.startswith(self.baseurl + "/")):
                candidates.append(decoded[len(self.baseurl) :] or "/")
            candidates.append(decoded)
        else:
            base = doc.url if doc.url.endswith("/") else posixpath.dirname(doc.url) + "/"
            candidates.append(_normpath(posixpath.join(_decode(base), _decode(path))))
            # a Markdown author may also link relative to the source file
            src_dir = posixpath.dirname(doc.source)
            candidates.append(_normpath("/" + posixpath.join(src_dir, _decode(path))))
        for cand in candidates:
            if cand in self.doc_urls:
                return Resolved("document", self.doc_urls[cand], suffix, cand)
            if cand in self.static_urls:
                return Resolved("asset", self.static_urls[cand], suffix, cand)
            source = cand.lstrip("/")
            if source in self.by_source:
                return Resolved("document", source, suffix, cand)
            if source in self.served_statics:
                return Resolved("asset", source, suffix, cand)
        return Resolved("missing", None, suffix, candidates[0])

    def new_reference(self, doc: ir.Document, ref: str, found: References | None = None) -> str:
        """The reference rewritten for the target site (unchanged when it lands on the same URL)."""
        res = self.resolve(doc, ref)
        if res.kind == "document" and res.source is not None:
            if found is not None:
                found.documents.append(res.source)
            target = self.by_source.get(res.source)
            old_url = target.url if target else res.old_path
            new = self.targets.document_urls.get(res.source, old_url)
            if new == old_url and self._still_resolves(doc, ref):
                return ref
            return self._with_base(new) + res.suffix
        if res.kind == "asset" and res.source is not None:
            if found is not None:
                found.assets.append(res.source)
            static = self.statics[res.source]
            new = self.targets.asset_url(doc, static)
            # a downloaded file always moves: its remote URL is what the download replaces
            if static.origin_url is None and new == static.url and self._still_resolves(doc, ref):
                return ref
            return self._with_base(new) + res.suffix
        if res.kind == "missing" and self._is_new_url(ref):
            return ref
        if res.kind == "missing" and found is not None and ref not in found._reported:
            found._reported.add(ref)
            ext = posixpath.splitext(res.old_path)[1].lower()
            if ext and ext not in (".html", ".htm", ".md", ".markdown", ".php", ".xml"):
                found.issues.append(
                    ir.Issue("missing-asset", "warning", f"{ref!r} names no file of the site", doc.source)
                )
            else:
                found.issues.append(
                    ir.Issue(
                        "broken-link", "warning", f"link {ref!r} resolves to no page of the site", doc.source
                    )
                )
        return ref

    def _still_resolves(self, doc: ir.Document, ref: str) -> bool:
        """Whether ``ref``, written as it is, reaches the same target from the document's new place: a
        root-relative one when the base path is unchanged, a relative one when the document did not move."""
        ref = ref.strip()
        if _SCHEME.match(ref) or ref.startswith("//"):
            return True
        same_base = (self.targets.base_path or "").rstrip("/") == self.baseurl
        if ref.startswith("/"):
            return same_base
        return same_base and self.targets.document_urls.get(doc.source, doc.url) == doc.url

    def _is_new_url(self, ref: str) -> bool:
        parts = urlsplit(ref.strip())
        if parts.scheme and parts.scheme not in ("http", "https"):
            return False
        return bool(parts.path) and _decode(parts.path) in self.new_urls

    def _with_base(self, url: str) -> str:
        if _SCHEME.match(url) or not url.startswith("/"):
            return url
        return (self.targets.base_path.rstrip("/") + url) if self.targets.base_path else url

    # -- bodies ------------------------------------------------------------------------------------------
    def rewrite_html(self, doc: ir.Document, body: str) -> tuple[str, References]:
        found = References()
        return rewrite_html_urls(body, lambda ref: self.new_reference(doc, ref, found)), found

    def rewrite_markdown(self, doc: ir.Document, body: str) -> tuple[str, References]:
        found = References()
        return rewrite_markdown_urls(body, lambda ref: self.new_reference(doc, ref, found)), found

    def front_matter_assets(self, doc: ir.Document) -> tuple[list[str], list[ir.Issue]]:
        """Static files named by image-like front matter (``image``, ``header.teaser``, ...)."""
        found = References()
        for parts in _IMAGE_FRONT_MATTER_PARTS:
            value: Any = doc.front_matter
            for part in parts:
                value = value.get(part) if isinstance(value, dict) else None
            if isinstance(value, str) and value.strip():
                self.new_reference(doc, value, found)
        return found.assets, found.issues

    def front_matter_reference(self, doc: ir.Document, value: str) -> str:
        """An image front-matter value rewritten for the target (for exporters writing front matter)."""
        return self.new_reference(doc, value)


def _normpath(path: str) -> str:
    trailing = path.endswith("/")
    norm = posixpath.normpath(path)
    if norm.startswith("//"):
        norm = "/" + norm.lstrip("/")
    return norm + "/" if trailing and norm != "/" else norm


def _url_variants(url: str) -> list[str]:
    """An old URL as links may spell it: decoded, with or without ``index.html`` or ``.html``."""
    decoded = _decode(url)
    variants = [decoded]
    folder = decoded[: -len("index.html")] if decoded.endswith("/index.html") else decoded
    if folder != decoded:
        variants.append(folder)
    elif decoded.endswith("/"):
        variants.append(decoded + "index.html")
    if folder.endswith("/") and folder != "/":
        variants.append(folder[:-1])  # servers answer a folder's URL without its slash with a redirect to it
    if decoded.endswith(".html"):
        variants.append(decoded[:-5])
    elif not decoded.endswith("/") and not posixpath.splitext(decoded)[1]:
        variants.append(decoded + ".html")
        variants.append(decoded + "/")
    return variants


# -- HTML ---------------------------------------------------------------------------------------------------


class _TagFinder(HTMLParser):
    """Collects (offset, raw start-tag text, tag) for every start tag outside code."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_offsets = [0]
        for m in re.finditer("\n", text):
            self.line_offsets.append(m.end())
        self.tags: list[tuple[int, str, str]] = []
        self.code_depth = 0

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_offsets[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if tag in ("pre", "code"):
            self.code_depth += 1
        if not self.code_depth:
            self.tags.append((self._offset(), raw, tag))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if not self.code_depth:
            self.tags.append((self._offset(), raw, tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("pre", "code") and self.code_depth:
            self.code_depth -= 1


_URL_ATTR_HINT = re.compile(r"(?:href|src|srcset|poster|data)\s*=|url\(", re.I)
_ATTR = re.compile(r"""(\s)([\w:-]+)(\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


def _attribute_kind(tag: str, name: str) -> ReferenceKind:
    if (tag, name) in EMBEDDING_ATTRIBUTES:
        return "embed"
    if name == "href" or (tag, name) in (("embed", "src"), ("object", "data")):
        return "link"
    return "code"


def _rewrite_tag(raw: str, tag: str, mapper: KindMapper) -> str:
    def fix(m: re.Match[str]) -> str:
        name = m.group(2).lower()
        if name != "style" and (name not in URL_ATTRIBUTES or tag not in URL_ATTRIBUTES[name]):
            return m.group(0)
        value = m.group(5) if m.group(5) is not None else m.group(6) if m.group(6) is not None else m.group(7)
        quote_char = '"' if m.group(5) is not None else "'" if m.group(6) is not None else ""
        plain = html.unescape(value)
        if name in URL_ATTRIBUTES and tag in URL_ATTRIBUTES[name]:
            kind = _attribute_kind(tag, name)
            if name == "srcset":
                new_plain = ", ".join(
                    _map_srcset_item(item, lambda u: mapper(u, kind)) for item in plain.split(",")
                )
            else:
                new_plain = mapper(plain, kind)
        elif name == "style" and "url(" in plain:
            new_plain = _STYLE_URL.sub(
                lambda u: f"url({u.group(1)}{mapper(u.group(2), 'link')}{u.group(1)})", plain
            )
        else:
            return m.group(0)
        if new_plain == plain:
            return m.group(0)
        new = (
            new_plain.replace("&", "&amp;").replace('"', "&quot;")
            if quote_char != "'"
            else new_plain.replace("&", "&amp;").replace("'", "&#39;")
        )
        q = quote_char or '"'
        return f"{m.group(1)}{m.group(2)}{m.group(3)}{q}{new}{q}"

    return _ATTR.sub(fix, raw)


def _map_srcset_item(item: str, mapper: Callable[[str], str]) -> str:
    parts = item.strip().split()
    if not parts:
        return item.strip()
    parts[0] = mapper(parts[0])
    return " ".join(parts)


def rewrite_html_urls(text: str, mapper: Callable[[str], str]) -> str:
    """Every URL-bearing attribute of every tag outside ``pre``/``code`` passed through ``mapper``."""
    return _rewrite_html(text, lambda url, _kind: mapper(url))


_URL_ATTR_HINT_LOWER = re.compile(r"(?:href|src|srcset|poster|data)\s*=|url\(")


def _has_url_hint(text: str) -> bool:
    """Whether ``_URL_ATTR_HINT`` matches, without its slow case-insensitive search: the names match in
    the lower-cased text just as they match case-insensitively in the text, except for a long s (U+017F),
    which ``re.IGNORECASE`` takes for an ``s`` and ``str.lower`` keeps."""
    if "\u017f" in text:
        return _URL_ATTR_HINT.search(text) is not None
    lower = text.lower()
    if "href=" in lower or "src=" in lower or "url(" in lower:
        return True
    return _URL_ATTR_HINT_LOWER.search(lower) is not None


def _rewrite_html(text: str, mapper: KindMapper) -> str:
    if "<" not in text or not _has_url_hint(text):
        return text
    tags = _scan_tags(text)
    if tags is None:
        return _rewrite_html_slow(text, mapper)
    return _rewrite_tags(text, tags, mapper)


def _rewrite_tags(text: str, tags: list[tuple[int, str, str]], mapper: KindMapper) -> str:
    """``text`` with each (offset, raw start tag, tag name) of ``tags`` passed through ``_rewrite_tag``;
    a tag that is not at its offset (or overlaps the one before) is left alone."""
    out: list[str] = []
    pos = 0
    for offset, raw, tag in tags:
        if offset < pos or text[offset : offset + len(raw)] != raw:
            continue
        new = _rewrite_tag(raw, tag, mapper)
        if new != raw:
            out.append(text[pos:offset])
            out.append(new)
            pos = offset + len(raw)
    out.append(text[pos:])
    return "".join(out)


# Tags ``_rewrite_tag`` may change without a ``style`` attribute.
_URL_TAGS = frozenset().union(*URL_ATTRIBUTES.values())
_STYLE_HINT = re.compile("style", re.IGNORECASE)
_CHARREF_START = re.compile("&#")
_CHARREF = re.compile("&#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]")


def _may_style_url(raw: str) -> bool:
    # ``url(`` in an unescaped style value needs a "(" or a character reference
    return ("(" in raw or "&" in raw) and _STYLE_HINT.search(raw) is not None


def _scan_tags(text: str) -> list[tuple[int, str, str]] | None:
    """(offset, raw start tag, lower-case tag) of every start tag outside ``pre``/``code`` that
    ``_rewrite_tag`` could change, in order; None when the text needs the real parser (``htmlscan`` finds
    the same start tags as ``_TagFinder`` on the markup it models)."""
    # an ``&#`` that is no character reference makes html.parser stop finding tags
    for amp in _CHARREF_START.finditer(text):
        if not _CHARREF.match(text, amp.start()):
            return None
    found = htmlscan.tokens(text)
    if found is None:
        return None
    any_style = _STYLE_HINT.search(text) is not None
    tags: list[tuple[int, str, str]] = []
    code_depth = 0
    for kind, start, end, tag in found:
        if kind == END:
            if code_depth and tag in ("pre", "code"):
                code_depth -= 1
        elif kind == START or kind == EMPTY:
            if tag in ("pre", "code"):
                if kind == EMPTY:
                    return None
                code_depth += 1
                continue
            raw = text[start:end]
            if not code_depth and "=" in raw and (tag in _URL_TAGS or (any_style and _may_style_url(raw))):
                tags.append((start, raw, tag))
    return tags


def _rewrite_html_slow(text: str, mapper: KindMapper) -> str:
    """``_rewrite_html`` through ``html.parser``: what the fast scanner must agree with."""
    if "<" not in text or not _URL_ATTR_HINT.search(text):
        return text
    finder = _TagFinder(text)
    try:
        finder.feed(text)
        finder.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; never fail a body over it
        return text
    return _rewrite_tags(text, finder.tags, mapper)


# -- Markdown ----------------------------------------------------------------------------------------------

_FENCED = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1?[ \t]*\2[`~]*[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_LINK_TARGET = (
    r"\s*(<[^>\n]*>|[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)"
    r"(\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_LINK_TEXT = r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]\("
_INLINE_LINK_SLOW = re.compile(rf"(!?{_LINK_TEXT}){_LINK_TARGET}")
# The same matches, in the same order: ``!\[`` is tried before ``\[`` as ``!?`` does, and a branch of
# literals lets the regex engine skip ahead to the next "!" or "[" instead of trying every position.
_INLINE_LINK = re.compile(rf"(!{_LINK_TEXT}|{_LINK_TEXT}){_LINK_TARGET}")
_HTML_TAG = re.compile(r"<[A-Za-z][^<>]*>")


def rewrite_markdown_urls(text: str, mapper: Callable[[str], str]) -> str:
    """Link and image targets, reference definitions and raw HTML attributes of Markdown, outside code."""
    return _rewrite_markdown(text, lambda url, _kind: mapper(url))


def find_references(text: str, *, markdown: bool) -> list[tuple[str, ReferenceKind]]:
    """Every URL reference of a raw body (Markdown or HTML), with its kind, in order; code is left out.
    Reference definitions count as links (whether an image uses one is not looked up)."""
    found: list[tuple[str, ReferenceKind]] = []

    def collect(url: str, kind: ReferenceKind) -> str:
        found.append((url, kind))
        return url

    if markdown:
        _rewrite_markdown(text, collect)
    else:
        _rewrite_html(text, collect)
    return found


def _rewrite_markdown(text: str, mapper: KindMapper, *, fast: bool = True) -> str:
    """``fast=False``: every pass runs, and tags go through ``_rewrite_html_slow`` (the reference the
    tests compare with). Otherwise a pass is skipped when the text lacks a literal its pattern needs."""
    masks: list[str] = []
    sentinel = _unused_character(text)  # marks masked code; never one the text holds

    def mask(m: re.Match[str]) -> str:
        masks.append(m.group(0))
        return f"{sentinel}{len(masks) - 1}{sentinel}"

    work = text
    if not fast or "```" in work or "~~~" in work:
        work = _FENCED.sub(mask, work)
    if not fast or "`" in work:
        work = _CODE_SPAN.sub(mask, work)

    def link(m: re.Match[str]) -> str:
        target = m.group(2)
        bracketed = target.startswith("<") and target.endswith(">")
        plain = target[1:-1] if bracketed else target
        new = mapper(plain, "embed" if m.group(1).startswith("!") else "link")
        if new == plain:
            return m.group(0)
        if " " in new or bracketed:
            new = f"<{new}>"
        return f"{m.group(1)}{new}{m.group(3) or ''})"

    if not fast or "](" in work:
        work = (_INLINE_LINK if fast else _INLINE_LINK_SLOW).sub(link, work)

    def ref_def(m: re.Match[str]) -> str:
        target = m.group(2)
        bracketed = target.startswith("<") and target.endswith(">")
        plain = target[1:-1] if bracketed else target
        new = mapper(plain, "link")
        if new == plain:
            return m.group(0)
        return m.group(1) + (f"<{new}>" if bracketed or " " in new else new)

    if not fast or "]:" in work:
        work = REF_DEF_TARGET.sub(ref_def, work)
    if not fast or "<" in work:
        rewrite_html = _rewrite_html if fast else _rewrite_html_slow
        work = _HTML_TAG.sub(lambda m: rewrite_html(m.group(0), mapper), work)

    def unmask(m: re.Match[str]) -> str:
        return masks[int(m.group(1))]

    masked = re.compile(f"{re.escape(sentinel)}(\\d+){re.escape(sentinel)}")
    for _ in range(3):
        if sentinel not in work:
            break
        work = masked.sub(unmask, work)
    return work


def _unused_character(text: str) -> str:
    """NUL, or else the first private-use character ``text`` does not contain."""
    if "\x00" not in text:
        return "\x00"
    code = 0xF0000
    while chr(code) in text:
        code += 1
    return chr(code)
