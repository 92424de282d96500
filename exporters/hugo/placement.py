"""Pass one of the Hugo export: where each document lands (content file, section, bundle, URL) and which
assets move into a post's bundle."""

from __future__ import annotations

import datetime as _dt
import itertools
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from exporters.hugo.paths import (
    alias_path,
    bundle_name,
    encode,
    hugo_can_publish,
    permalink_pieces,
    segment,
    site_path,
)
from migrate.ir import Document, Site, StaticFile
from migrate.report import Report

POSTS_SECTION = "posts"
ASSET_EXTENSIONS = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff", ".pdf",
    ".mp3", ".mp4", ".webm", ".ogg", ".ogv", ".wav", ".mov", ".m4a", ".zip", ".gz", ".tgz", ".epub", ".csv",
    ".ppt", ".pptx", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".key",
})
"""Files that may move into the bundle of the one post that references them (pages, scripts and styles
stay at their URL)."""


@dataclass(slots=True)
class Placement:
    """Where one document lands on the Hugo site."""

    doc: Document
    mode: str
    """``page`` (a content file), ``redirect`` (a static redirect page) or ``snapshot`` (a static file)."""
    content_path: str = ""
    """Plan path of the content file (``content/posts/x/index.md``)."""
    url_field: str | None = None
    """Hugo ``url:`` value (decoded), None when Hugo's own rules give the right URL."""
    hugo_path: str | None = None
    """Decoded site path Hugo publishes the page under (``/x/`` or ``/x.html``), None if not rendered."""
    new_url: str | None = None
    """Root-relative, percent-encoded URL that links and the manifest use, without the base path (like
    Jekyll's ``page.url``), or an absolute URL for a redirect elsewhere."""
    slug: str | None = None
    bundle: bool = False
    aliases: list[str] = field(default_factory=list)
    resources: dict[str, StaticFile] = field(default_factory=dict)
    """File name in the bundle -> the static file placed there."""
    language: str | None = None
    """The Hugo language of a page under a language's folder other than the default one's (its content file
    is ``NAME.LANG.md``, Hugo publishes its lists and aliases under ``/LANG/``), else None."""
    translation_key: str | None = None
    """``translationKey`` shared with the page's translations (a multilingual site's page that has any)."""

    @property
    def resource_dir(self) -> str | None:
        """Decoded site path (ending in ``/``) where Hugo publishes this page's bundle files."""
        if self.hugo_path is None:
            return None
        if self.hugo_path.endswith("/"):
            return self.hugo_path
        return posixpath.splitext(self.hugo_path)[0] + "/"


@dataclass(frozen=True)
class HugoAssetLocator:
    """``Targets.asset_url`` for Hugo: bundle files relative to their page, the rest at their Jekyll URL."""

    bundled: Mapping[str, tuple[str, str, bool]]
    """Static-file source -> (owning document source, URL Hugo publishes it under, whether the owner's
    URL is a folder). URLs are root-relative without the base path, like ``StaticFile.url``."""

    def __call__(self, document: Document, asset: StaticFile) -> str:
        placed = self.bundled.get(asset.source)
        if placed is None:
            return encode(unquote(asset.url))  # a valid URL also for ``/a b/x #1 %.png`` as Jekyll gives it
        owner, published, folder_like = placed
        if owner == document.source and folder_like:
            return published.rsplit("/", 1)[1]
        return published


def written_date(doc: Document) -> _dt.datetime | None:
    """The date the page gets: the document's own (never a build or file time), to the second."""
    return doc.own_date.replace(microsecond=0) if doc.own_date is not None else None


def post_pattern(site: Site) -> str | None:
    """The Jekyll posts permalink as a Hugo permalink pattern, or None when Hugo's tokens can't say it."""
    template = next((c.permalink for c in site.collections if c.label == "posts"), None)
    if not template or not template.startswith("/") or not template.endswith("/"):
        return None
    posts = [d for d in site.documents if d.kind in ("post", "draft")]
    if ":categories" in template and not any(d.categories for d in posts):
        template = template.replace("/:categories", "")
    pattern = template.replace(":title", ":slug")
    for piece in pattern.strip("/").split("/"):
        if piece in (":year", ":month", ":day", ":slug"):
            continue
        if piece.startswith(":") or not re.fullmatch(r"[a-z0-9_-]+", piece):
            return None
    return pattern


class Placer:
    """Every document's :class:`Placement`, with the content paths and folders already taken."""

    def __init__(self, site: Site, report: Report, *, keep: bool, post_pattern: str | None) -> None:
        self.site = site
        self.report = report
        self.keep = keep
        """URL policy ``keep``: every page at its exact Jekyll URL (else Hugo's URLs, old ones as aliases)."""
        self.post_pattern = post_pattern
        self.placements: dict[str, Placement] = {}
        """Document source -> its placement."""
        self._content_paths: set[str] = set()
        self._folders: set[str] = set()
        self.default_language = site.languages[0] if site.languages else None
        """The language Hugo publishes at the root on a multilingual site (None on a one-language site)."""

    def place_all(self, docs: list[Document]) -> None:
        """Place every document, move pages onto the sections they name, then bundle assets."""
        for doc in docs:
            self.placements[doc.source] = self._place(doc)
        self._resolve_section_clashes()
        self._place_assets(docs)

    def _place(self, doc: Document) -> Placement:
        if doc.redirect_to:
            return Placement(doc, "redirect")  # its target is resolved once every page is placed
        if doc.output_path is not None and not doc.is_html_page:
            # a feed, script or text file: its text as Jekyll wrote it, at its URL, not a page of content
            return Placement(doc, "snapshot", hugo_path="/" + doc.output_path, new_url=doc.served_url)
        placement = Placement(doc, "page", language=self._hugo_language(doc))
        if self.site.languages and doc.translations:
            placement.translation_key = min((doc.source, *doc.translations))
        bundle = doc.kind in ("post", "draft")
        old_path = site_path(doc.output_path) if doc.output_path is not None else None
        suffix = f".{placement.language}.md" if placement.language else ".md"
        if bundle:
            placement.slug = segment(doc.slug) or "post"
            placement.content_path = self._claim_bundle(placement.slug, doc, suffix)
            placement.slug = placement.content_path.split("/")[-2]
            placement.bundle = True
        else:
            placement.content_path = self._content_path(doc, old_path, placement.language)
            name = placement.content_path.rsplit("/", 1)[1]
            if name != "_index" + suffix:
                placement.slug = name[: -len(suffix)]
        predicted = self.hugo_default_path(placement)
        keep = (self.keep and doc.kind != "draft") or placement.content_path == "content/_index" + suffix
        if keep and old_path is not None and not hugo_can_publish(old_path):
            keep = False
            self.report.emit("hugo-url-moved", "warning",
                             f"Hugo cannot publish a page at {old_path} (a '%' that starts no escape, or a control "
                             f"character, stops its build): the page moves to {predicted} and the old URL "
                             "redirects there", source=doc.source)
        if doc.output_path is None:
            placement.hugo_path = None
        elif keep:
            placement.hugo_path = old_path
            if predicted != old_path:
                placement.url_field = old_path
        else:
            placement.hugo_path = predicted
            if old_path != predicted and old_path is not None and doc.kind != "draft":
                placement.aliases.append(old_path)
        if placement.hugo_path is not None:
            if keep and self.keep:
                placement.new_url = doc.url
            else:
                placement.new_url = encode(placement.hugo_path)
        for extra in doc.redirect_from:
            placement.aliases.append(alias_path(extra))
        if placement.hugo_path is not None:
            # the copies a language plugin wrote of it in the languages without a version of their own
            placement.aliases += [alias_path(url) for _, url in doc.language_copies]
        return placement

    def _hugo_language(self, doc: Document) -> str | None:
        """The language other than the default one whose folder the language build that wrote the document
        put it in (``/ru/...``: Hugo publishes that language's pages, lists and aliases there), else None.
        That is the document's own language, except where the plugin wrote it only in another language's
        build (jekyll-polyglot's sequential builds) or for a ``lang`` the site does not list."""
        path = unquote(doc.url)
        return next((lang for lang in self.site.languages[1:] if path.startswith(f"/{lang}/")), None)

    def sections(self) -> set[str]:
        """Top-level content folders: Hugo makes each a section with its own list page."""
        return {p.content_path.split("/")[1] for p in self.placements.values()
                if p.mode == "page" and p.content_path.count("/") >= 2}

    def hugo_list_paths(self) -> list[tuple[str, str]]:
        """Site paths of the list pages Hugo generates by itself (home, sections, taxonomies), each with
        ``section:NAME`` for a section list that no migrated page provides (an old URL may replace it)."""
        indexes = {p.content_path for p in self.placements.values() if p.mode == "page"}
        paths = [("/", "Hugo's home page")]
        paths += [(f"/{s}/", f"section:{s}") for s in sorted(self.sections())
                  if f"content/{s}/_index.md" not in indexes]
        for name in ("categories", "tags"):
            if f"content/{name}/_index.md" not in indexes:
                paths.append((f"/{name}/", f"Hugo's {name} page"))
        for lang in self.site.languages[1:]:  # each other language has its own home, sections and taxonomies
            own = {p.content_path.split("/")[1] for p in self.placements.values()
                   if p.mode == "page" and p.language == lang and p.content_path.count("/") >= 2}
            if f"content/_index.{lang}.md" not in indexes:
                paths.append((f"/{lang}/", f"Hugo's home page of {lang}"))
            for name in sorted(own | {"categories", "tags"}):
                if f"content/{name}/_index.{lang}.md" not in indexes:
                    paths.append((f"/{lang}/{name}/", f"Hugo's {lang} list page /{lang}/{name}/"))
        return paths

    def _resolve_section_clashes(self) -> None:
        """A page whose URL is a section's list URL becomes that section's ``_index.md``."""
        sections = self.sections()
        for p in self.placements.values():
            if p.mode != "page" or p.bundle or p.hugo_path is None or p.content_path.endswith("_index.md"):
                continue
            name = p.hugo_path.strip("/")
            target = f"content/{name}/_index.md"
            if p.hugo_path == f"/{name}/" and name in sections and target not in self._content_paths:
                self._content_paths.discard(p.content_path)
                self._claim(target)
                p.content_path, p.slug = target, None
                if p.url_field is not None and self.hugo_default_path(p) == p.url_field:
                    p.url_field = None

    def _claim_bundle(self, slug: str, doc: Document, suffix: str = ".md") -> str:
        for other in doc.translations:  # translations share one bundle, each its own NAME.LANG.md
            placed = self.placements.get(other)
            if placed is not None and placed.bundle:
                path = posixpath.dirname(placed.content_path) + "/index" + suffix
                if path not in self._content_paths:
                    return self._claim(path)
        first = [slug] if doc.date is None else [slug, f"{doc.date:%Y-%m-%d}-{slug}"]
        numbered = (f"{slug}-{n}" for n in range(2, 1000))  # lazily: almost always the first one is free
        for name in itertools.chain(first, numbered):
            folder = f"content/{POSTS_SECTION}/{name}"
            if folder not in self._folders and folder + ".md" not in self._content_paths:
                return self._claim(f"{folder}/index{suffix}")
        raise RuntimeError(f"no free bundle name for {doc.source}")

    def _claim(self, path: str) -> str:
        """Reserve a content path (and its folders, so no bundle swallows it)."""
        self._content_paths.add(path)
        folder = posixpath.dirname(path)
        while folder not in ("content", "") and folder not in self._folders:
            self._folders.add(folder)
            folder = posixpath.dirname(folder)
        return path

    def _content_path(self, doc: Document, old_path: str | None, language: str | None = None) -> str:
        suffix = f".{language}.md" if language else ".md"
        home = "/" + (f"{language}/" if language else "")
        if old_path == home and f"content/_index{suffix}" not in self._content_paths:
            return self._claim(f"content/_index{suffix}")
        if doc.kind == "document" and doc.collection:
            directory = next((c.directory for c in self.site.collections if c.label == doc.collection), "")
            rel = doc.source[len(directory) + 1:] if directory and doc.source.startswith(directory + "/") \
                else doc.source.rsplit("/", 1)[-1]
            parts = [doc.collection, *rel.split("/")]
        else:
            parts = doc.source.split("/")
        if language and len(parts) > 1 and parts[0] == language:
            parts = parts[1:]  # the language's own folder (ru/about.md): Hugo puts the language's pages under /ru/
        folders = [s for s in (segment(p) for p in parts[:-1]) if s]
        stem = segment(posixpath.splitext(parts[-1])[0]) or "page"
        head, dot, tail = stem.rpartition(".")
        if dot and head and tail in self.site.languages:
            stem = f"{head}-{tail}"  # Hugo would read kontakt.de.md as the German version of a page kontakt
        if stem == "index" or stem == "_index":
            stem = "_index"
        base = "/".join(["content", *folders])
        for n in range(1, 1000):
            name = stem if n == 1 else (f"{stem}-{n}" if stem != "_index" else f"index-{n}")
            path = f"{base}/{name}{suffix}"
            if path == f"content/_index{suffix}" or path in self._content_paths:
                continue
            return self._claim(path)
        raise RuntimeError(f"no free content path for {doc.source}")

    def hugo_default_path(self, placement: Placement) -> str:
        """The decoded path Hugo gives the page from its content path, slug and [permalinks]."""
        path = placement.content_path[len("content"):]
        if placement.language:  # a language's page: its content file NAME.LANG.md, published under /LANG/
            path = path[: -len(f".{placement.language}.md")] + ".md"
            return f"/{placement.language}" + self.hugo_default_path(
                Placement(placement.doc, placement.mode, "content" + path, slug=placement.slug,
                          bundle=placement.bundle))
        if path == "/_index.md":
            return "/"
        if path.endswith("/_index.md"):
            return path[: -len("_index.md")]
        doc = placement.doc
        if placement.bundle:
            if self.post_pattern:
                date = written_date(doc) or _dt.datetime(1, 1, 1)  # Hugo's zero date
                values = {":year": f"{date.year:04d}", ":month": f"{date.month:02d}", ":day": f"{date.day:02d}",
                          ":slug": placement.slug or ""}
                pieces = permalink_pieces(self.post_pattern)
                return "".join(values[p] if n % 2 else p for n, p in enumerate(pieces))
            return posixpath.dirname(path) + "/"
        return posixpath.dirname(path).rstrip("/") + "/" + (placement.slug or "") + "/"

    def _place_assets(self, docs: list[Document]) -> None:
        """Put each asset that exactly one post references into that post's bundle."""
        by_name: dict[str, list[StaticFile]] = {}
        for asset in self.site.static_files:
            if posixpath.splitext(asset.source)[1].lower() in ASSET_EXTENSIONS:
                by_name.setdefault(posixpath.basename(asset.source), []).append(asset)
        if not by_name:
            return
        pattern = re.compile("|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True)))
        users: dict[str, set[str]] = {}
        for doc in docs:
            text = doc.body + "\n" + repr(doc.front_matter)
            for found in set(pattern.findall(text)):
                users.setdefault(found, set()).add(doc.source)
            unquoted = unquote(text)
            if unquoted != text:
                for found in set(pattern.findall(unquoted)):
                    users.setdefault(found, set()).add(doc.source)
        for name, sources in sorted(users.items()):
            assets = by_name[name]
            if len(assets) != 1 or len(sources) != 1:
                continue
            owner = self.placements[next(iter(sources))]
            # Hugo publishes a bundle's files in a folder named after the page: beside a page that is a
            # file (/x.html, or /x as Jekyll wrote it) that folder x/ would shadow the extensionless /x
            # (hosts that look for x/ before x.html, hugo server), so such a page's files stay static.
            if owner.bundle and owner.hugo_path is not None and owner.hugo_path.endswith("/") \
                    and name not in owner.resources and name != "index.md" and not name.startswith("_index.") \
                    and bundle_name(name):
                owner.resources[name] = assets[0]

    def bundled_assets(self) -> dict[str, tuple[str, str, bool]]:
        """What :class:`HugoAssetLocator` needs: each bundled asset's owner, published URL and owner shape."""
        return {
            asset.source: (src, encode((p.resource_dir or "/") + name), (p.hugo_path or "").endswith("/"))
            for src, p in self.placements.items() if p.hugo_path is not None
            for name, asset in p.resources.items()
        }

    def static_assets(self) -> list[StaticFile]:
        """The static files no bundle took: they stay under static/ at their Jekyll URL."""
        bundled = {a.source for p in self.placements.values() for a in p.resources.values()}
        return [a for a in self.site.static_files if a.source not in bundled]
