"""Hugo exporter: leaf bundles, hugo.toml, default layouts, aliases and redirect pages keeping every old URL."""

from __future__ import annotations

import datetime as _dt
import functools
import html
import itertools
import json
import logging
import posixpath
import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import tomli_w
import yaml

from exporters.front_matter_yaml import block_yaml
from migrate.content import Converted, Targets
from migrate.errors import UnsafePathError
from migrate.exporter import Exporter, Option, Outcome, UrlFacts
from migrate.ir import Document, StaticFile, jsonable

log = logging.getLogger(__name__)

POSTS_SECTION = "posts"
LAYOUT_FILES = ("baseof.html", "home.html", "list.html", "single.html", "taxonomy.html")
ASSET_EXTENSIONS = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff", ".pdf",
    ".mp3", ".mp4", ".webm", ".ogg", ".ogv", ".wav", ".mov", ".m4a", ".zip", ".gz", ".tgz", ".epub", ".csv",
    ".ppt", ".pptx", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".key",
})
"""Files that may move into the bundle of the one post that references them (pages, scripts and styles
stay at their URL)."""
# Jekyll front-matter keys that become Hugo keys; every other key is kept under ``jekyll:``.
_MAPPED_KEYS = frozenset({"title", "date", "last_modified_at", "slug", "categories", "category", "tags",
                          "author", "authors", "excerpt", "published"})
_URL_SAFE = "/!$&'()*+,;=:@~-._"
SERVER_EXTENSIONLESS = [
    # hugo server answers /x with x.html, as GitHub Pages did, where no file or folder index is at /x
    # (a 200 rewrite; Hugo's server matches the decoded path and puts the group into "to")
    {"fromRe": "^(.*[^/])$", "to": "$1.html", "status": 200},
    # Hugo's own default, which any [[server.redirects]] replaces
    {"from": "/**", "to": "/404.html", "status": 404},
]
"""``[[server.redirects]]`` of a site with extensionless URLs (read by ``hugo server`` only)."""
EXTENSIONLESS_README = """
### URLs without slash or extension

Jekyll wrote a URL such as `/notes/x` (no trailing slash, no extension) as the file `notes/x.html`,
and GitHub Pages answered `/notes/x` with it. The page keeps that file here, and no folder
`notes/x/` sits beside it. What each way of serving the site needs to answer `/notes/x`:

- `hugo server`: nothing; the `[server]` rule in `hugo.toml` serves `x.html` for `/x` to a browser
  (`curl` must send `-H 'Sec-Fetch-Mode: navigate'` when the path has a dot, as a browser does).
- GitHub Pages, Netlify, Cloudflare Pages, Render: nothing; they look up `x.html` themselves. Their
  `_redirects` (`jekyll-migrate redirects --to hugo --format netlify SITE`) holds only redirects.
- nginx, Apache, Caddy: the file from `jekyll-migrate redirects --to hugo --format nginx SITE` (or
  `apache`, `caddy`): besides the redirects it serves each such `/x` from `x.html` (status 200).
- Vercel: `vercel.json` from `--format vercel` (its `rewrites`), or `"cleanUrls": true`.
"""


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an absolute http(s) URL")
    return value


@dataclass(frozen=True)
class _Rendered:
    """A content file's text, and the bundled assets its body still names by their old URL."""

    text: str
    unrewritten_assets: tuple[str, ...]


@dataclass(slots=True)
class _Placement:
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
            return _encode(unquote(asset.url))  # a valid URL also for ``/a b/x #1 %.png`` as Jekyll gives it
        owner, published, folder_like = placed
        if owner == document.source and folder_like:
            return published.rsplit("/", 1)[1]
        return published


# libyaml's emitter is ten times faster than the pure-Python one; both are safe dumpers.
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class HugoExporter(Exporter):
    """A complete Hugo site: content as leaf bundles and sections, hugo.toml, layouts, static files."""

    name = "hugo"
    description = "Hugo site (content/, static/, hugo.toml, layouts/) that keeps every old URL"
    content_format = "markdown"
    options = (
        Option("urls", "URL policy: keep every Jekyll URL exactly, or use Hugo's URLs with aliases for the old",
               default="keep", choices=("keep", "hugo")),
        Option("new-site-url", "baseURL of the Hugo site (default: the Jekyll url + baseurl)", type=_base_url),
        Option("front-matter", "front-matter format of the content files", default="yaml",
               choices=("yaml", "toml")),
        Option("no-layouts", "do not write the default layouts (bring your own theme)", flag=True),
    )

    # -- pass one --------------------------------------------------------------------------------
    def prepare(self) -> Targets:
        self.keep = self.opts.urls != "hugo"
        self.base_url = self._choose_base_url()
        self.base_path = urlsplit(self.base_url).path.rstrip("/")
        self.post_pattern = self._post_pattern() if self.keep else None
        self.placements: dict[str, _Placement] = {}
        self._content_paths: set[str] = set()
        self._folders: set[str] = set()
        self._old_urls = {d.url: d for d in self.site.documents}
        docs = list(self.documents())
        for doc in docs:
            self.placements[doc.source] = self._place(doc)
        self._resolve_section_clashes()
        self._place_assets(docs)
        self.static_fallback: set[str] = set()
        self.uses_toc = False  # a page calls the toc shortcode (kramdown's {:toc})
        self._plan_aliases()
        targets_urls = {
            src: p.new_url for src, p in self.placements.items() if p.new_url is not None
        }
        bundled = {
            asset.source: (src, _encode((p.resource_dir or "/") + name), (p.hugo_path or "").endswith("/"))
            for src, p in self.placements.items() if p.hugo_path is not None
            for name, asset in p.resources.items()
        }
        return Targets(
            document_urls=targets_urls,
            asset_url=HugoAssetLocator(bundled),
            site_url=self._origin(),
            base_path=self.base_path,
        )

    def _origin(self) -> str:
        """Scheme and host of the new site ("" when unknown): ``absolute_url`` adds the base path itself."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""

    def _choose_base_url(self) -> str:
        chosen = self.opts.new_site_url or (self.site.url + self.site.baseurl if self.site.url else "")
        if not chosen:
            self.report.emit("hugo-no-base-url", "info",
                             "the site has no url and no --new-site-url was given: baseURL is '/'")
            return "/"
        return chosen.rstrip("/") + "/"

    def _post_pattern(self) -> str | None:
        """The Jekyll posts permalink as a Hugo permalink pattern, or None when Hugo's tokens can't say it."""
        template = next((c.permalink for c in self.site.collections if c.label == "posts"), None)
        if not template or not template.startswith("/") or not template.endswith("/"):
            return None
        posts = [d for d in self.site.documents if d.kind in ("post", "draft")]
        if ":categories" in template and not any(d.categories for d in posts):
            template = template.replace("/:categories", "")
        pattern = template.replace(":title", ":slug")
        for segment in pattern.strip("/").split("/"):
            if segment in (":year", ":month", ":day", ":slug"):
                continue
            if segment.startswith(":") or not re.fullmatch(r"[a-z0-9_-]+", segment):
                return None
        return pattern

    def _place(self, doc: Document) -> _Placement:
        if doc.redirect_to:
            return _Placement(doc, "redirect")  # its target is resolved once every page is placed
        if doc.output_path is not None and not doc.is_html_page:
            # a feed, script or text file: its text as Jekyll wrote it, at its URL, not a page of content
            return _Placement(doc, "snapshot", hugo_path="/" + doc.output_path, new_url=doc.served_url)
        placement = _Placement(doc, "page")
        bundle = doc.kind in ("post", "draft")
        old_path = _site_path(doc.output_path) if doc.output_path is not None else None
        if bundle:
            placement.slug = _segment(doc.slug) or "post"
            placement.content_path = self._claim_bundle(placement.slug, doc)
            placement.slug = placement.content_path.split("/")[-2]
            placement.bundle = True
        else:
            placement.content_path = self._content_path(doc, old_path)
            if not placement.content_path.endswith("/_index.md"):
                placement.slug = posixpath.splitext(placement.content_path.rsplit("/", 1)[1])[0]
        predicted = self._hugo_default_path(placement)
        keep = (self.keep and doc.kind != "draft") or placement.content_path == "content/_index.md"
        if keep and old_path is not None and not _hugo_can_publish(old_path):
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
                placement.new_url = _encode(placement.hugo_path)
        for extra in doc.redirect_from:
            placement.aliases.append(_alias_path(extra))
        return placement

    def _sections(self) -> set[str]:
        """Top-level content folders: Hugo makes each a section with its own list page."""
        return {p.content_path.split("/")[1] for p in self.placements.values()
                if p.mode == "page" and p.content_path.count("/") >= 2}

    def _hugo_list_paths(self) -> list[tuple[str, str]]:
        """Site paths of the list pages Hugo generates by itself (home, sections, taxonomies), each with
        ``section:NAME`` for a section list that no migrated page provides (an old URL may replace it)."""
        indexes = {p.content_path for p in self.placements.values() if p.mode == "page"}
        paths = [("/", "Hugo's home page")]
        paths += [(f"/{s}/", f"section:{s}") for s in sorted(self._sections())
                  if f"content/{s}/_index.md" not in indexes]
        for name in ("categories", "tags"):
            if f"content/{name}/_index.md" not in indexes:
                paths.append((f"/{name}/", f"Hugo's {name} page"))
        return paths

    def _resolve_section_clashes(self) -> None:
        """A page whose URL is a section's list URL becomes that section's ``_index.md``."""
        sections = self._sections()
        for p in self.placements.values():
            if p.mode != "page" or p.bundle or p.hugo_path is None or p.content_path.endswith("_index.md"):
                continue
            name = p.hugo_path.strip("/")
            target = f"content/{name}/_index.md"
            if p.hugo_path == f"/{name}/" and name in sections and target not in self._content_paths:
                self._content_paths.discard(p.content_path)
                self._claim(target)
                p.content_path, p.slug = target, None
                if p.url_field is not None and self._hugo_default_path(p) == p.url_field:
                    p.url_field = None

    def _claim_bundle(self, slug: str, doc: Document) -> str:
        first = [slug] if doc.date is None else [slug, f"{doc.date:%Y-%m-%d}-{slug}"]
        numbered = (f"{slug}-{n}" for n in range(2, 1000))  # lazily: almost always the first one is free
        for name in itertools.chain(first, numbered):
            folder = f"content/{POSTS_SECTION}/{name}"
            if folder not in self._folders and folder + ".md" not in self._content_paths:
                return self._claim(f"{folder}/index.md")
        raise RuntimeError(f"no free bundle name for {doc.source}")

    def _claim(self, path: str) -> str:
        """Reserve a content path (and its folders, so no bundle swallows it)."""
        self._content_paths.add(path)
        folder = posixpath.dirname(path)
        while folder not in ("content", "") and folder not in self._folders:
            self._folders.add(folder)
            folder = posixpath.dirname(folder)
        return path

    def _content_path(self, doc: Document, old_path: str | None) -> str:
        if old_path == "/" and "content/_index.md" not in self._content_paths:
            return self._claim("content/_index.md")
        if doc.kind == "document" and doc.collection:
            directory = next((c.directory for c in self.site.collections if c.label == doc.collection), "")
            rel = doc.source[len(directory) + 1:] if directory and doc.source.startswith(directory + "/") \
                else doc.source.rsplit("/", 1)[-1]
            parts = [doc.collection, *rel.split("/")]
        else:
            parts = doc.source.split("/")
        folders = [s for s in (_segment(p) for p in parts[:-1]) if s]
        stem = _segment(posixpath.splitext(parts[-1])[0]) or "page"
        if stem == "index" or stem == "_index":
            stem = "_index"
        base = "/".join(["content", *folders])
        for n in range(1, 1000):
            name = stem if n == 1 else (f"{stem}-{n}" if stem != "_index" else f"index-{n}")
            path = f"{base}/{name}.md"
            if path == "content/_index.md" or path in self._content_paths:
                continue
            return self._claim(path)
        raise RuntimeError(f"no free content path for {doc.source}")

    def _hugo_default_path(self, placement: _Placement) -> str:
        """The decoded path Hugo gives the page from its content path, slug and [permalinks]."""
        path = placement.content_path[len("content"):]
        if path == "/_index.md":
            return "/"
        if path.endswith("/_index.md"):
            return path[: -len("_index.md")]
        doc = placement.doc
        if placement.bundle:
            if self.post_pattern:
                date = _written_date(doc) or _dt.datetime(1, 1, 1)  # Hugo's zero date
                values = {":year": f"{date.year:04d}", ":month": f"{date.month:02d}", ":day": f"{date.day:02d}",
                          ":slug": placement.slug or ""}
                pieces = _permalink_pieces(self.post_pattern)
                return "".join(values[p] if n % 2 else p for n, p in enumerate(pieces))
            return posixpath.dirname(path) + "/"
        return posixpath.dirname(path).rstrip("/") + "/" + (placement.slug or "") + "/"

    def _redirect_target(self, target: str) -> str:
        """A redirect_to value with site-internal targets moved to their new URLs."""
        parts = urlsplit(target)
        site = urlsplit(self.site.url) if self.site.url else None
        if parts.scheme and site and (parts.scheme, parts.netloc) == (site.scheme, site.netloc):
            target = target[len(self.site.url):] or "/"
        elif parts.scheme or parts.netloc:
            return target
        path = target if target.startswith("/") else "/" + target
        if self.site.baseurl and path.startswith(self.site.baseurl + "/"):
            path = path[len(self.site.baseurl):]
        suffix = ""
        cut = min((i for i in (path.find("?"), path.find("#")) if i >= 0), default=-1)
        if cut >= 0:
            path, suffix = path[:cut], path[cut:]
        by_old = self._old_urls
        doc = by_old.get(path) or by_old.get(quote(unquote(path), safe=_URL_SAFE))
        placed = self.placements.get(doc.source) if doc is not None else None
        if placed is not None and placed.new_url and placed.mode == "page":
            return placed.new_url + suffix
        return path + suffix

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
                    and _bundle_name(name):
                owner.resources[name] = assets[0]

    # -- aliases and collisions ----------------------------------------------------------------
    def _plan_aliases(self) -> None:
        """Resolve redirect targets, then drop (and report) old URLs that would replace a real file."""
        for p in self.placements.values():
            if p.mode == "redirect" and p.doc.redirect_to:
                p.new_url = self._redirect_target(p.doc.redirect_to)
        occupied = self._occupied()
        self.hidden_sections: set[str] = set()
        self.redirect_pages: dict[str, tuple[str, str]] = {}
        self._plan_redirect_pages(occupied)
        self._report_page_collisions()
        self._settle_aliases(occupied)

    def _occupied(self) -> dict[str, str]:
        """Output file -> what Hugo writes there besides aliases (pages, bundle files, static files, lists)."""
        occupied: dict[str, str] = {}
        for src, p in sorted(self.placements.items()):
            if p.mode in ("page", "snapshot") and p.hugo_path is not None and not p.doc.is_draft:
                occupied.setdefault(_output_file(p.hugo_path), src)
            for name in p.resources:
                occupied.setdefault(_output_file((p.resource_dir or "/") + name), src)
        for asset in self._static_assets():
            occupied.setdefault(_output_file(unquote(asset.url)), asset.source)
        for path, owner in self._hugo_list_paths():
            occupied.setdefault(_output_file(path), owner)
        return occupied

    def _plan_redirect_pages(self, occupied: dict[str, str]) -> None:
        """``redirect_to`` documents (and their own old URLs) become static redirect pages."""
        for src, p in sorted(self.placements.items()):
            if p.mode != "redirect" or p.doc.output_path is None or p.doc.is_draft:
                continue
            for path in [_site_path(p.doc.output_path)] + [_alias_path(a) for a in p.doc.redirect_from]:
                out = _output_file(path)
                if self._hide_section(occupied.get(out)):
                    occupied.pop(out)
                if out in occupied or out in self.redirect_pages:
                    self._collision(src, path, occupied.get(out) or self.redirect_pages[out][0])
                    continue
                self.redirect_pages[out] = (src, p.new_url or "/")
        for src, p in sorted(self.placements.items()):
            # a folder URL whose file is no index.html (Document.served_url): the folder answers with a
            # redirect page to the file, where Jekyll's site answered nothing
            if p.mode != "snapshot" or p.new_url == p.doc.url or p.doc.is_draft:
                continue
            path = unquote(p.doc.url)
            out = _output_file(path)
            if out in occupied or out in self.redirect_pages:
                self._collision(src, path, occupied.get(out) or self.redirect_pages[out][0])
                continue
            self.redirect_pages[out] = (src, p.new_url or "/")

    def _settle_aliases(self, occupied: dict[str, str]) -> None:
        """Keep each page's aliases that replace nothing; when pages share one, the one Jekyll showed wins."""
        claims: dict[str, list[tuple[bool, str]]] = {}
        for src, p in sorted(self.placements.items()):
            kept: list[str] = []
            for alias in p.aliases:
                out = _output_file(alias)
                if p.hugo_path is not None and out == _output_file(p.hugo_path):
                    continue
                if self._hide_section(occupied.get(out)):
                    occupied.pop(out)
                owner = occupied.get(out) or (self.redirect_pages.get(out) or ("",))[0]
                if owner:
                    self._collision(src, alias, owner)
                    continue
                kept.append(alias)
                if not p.doc.is_draft:
                    own = p.doc.output_path is not None and out == _output_file(_site_path(p.doc.output_path))
                    claims.setdefault(out, []).append((own, src))
            p.aliases = kept
        for out, claimants in sorted(claims.items()):
            # Jekyll writes a document after redirect pages, and a later redirect page after an earlier
            # one: the last written is what the old URL showed, so that one keeps the alias
            ordered = [src for _, src in sorted(claimants, key=lambda c: c[0])]
            for loser in ordered[:-1]:
                placement = self.placements[loser]
                alias = next(a for a in placement.aliases if _output_file(a) == out)
                placement.aliases.remove(alias)
                self._collision(loser, alias, ordered[-1])

    def _report_page_collisions(self) -> None:
        """Pages that Hugo would write to one file although Jekyll wrote them apart (one is lost)."""
        by_file: dict[str, list[_Placement]] = {}
        for _, p in sorted(self.placements.items()):
            if p.mode == "page" and p.hugo_path is not None and not p.doc.is_draft:
                by_file.setdefault(_output_file(p.hugo_path), []).append(p)
        for out, group in sorted(by_file.items()):
            if len(group) > 1 and len({q.doc.output_path for q in group}) > 1:
                names = ", ".join(q.doc.source for q in group)
                self.report.emit("url-collision", "warning",
                                 f"{names} all land on /{out} on the Hugo site; only one of them will be there",
                                 source=group[-1].doc.source)

    def _hide_section(self, owner: str | None) -> bool:
        """An old URL wins over a section list page Hugo would only generate: that list is not rendered."""
        if owner is None or not owner.startswith("section:"):
            return False
        self.hidden_sections.add(owner.split(":", 1)[1])
        return True

    def _collision(self, source: str, path: str, owner: str) -> None:
        self.report.emit(
            "alias-collision", "warning",
            f"old URL {path} would replace {owner} on the Hugo site; no redirect written for it",
            source=source,
        )

    def _static_assets(self) -> list[StaticFile]:
        bundled = {a.source for p in self.placements.values() for a in p.resources.values()}
        return [a for a in self.site.static_files if a.source not in bundled]

    # -- pass two --------------------------------------------------------------------------------
    def uses_excerpt(self, document: Document) -> bool:
        return document.excerpt is not None  # the front matter's excerpt becomes the summary

    def render_document(self, document: Document, converted: Converted) -> _Rendered | None:
        p = self.placements[document.source]
        if p.mode in ("redirect", "snapshot"):
            return None
        body = self._body(document, converted)
        # a reference the content pipeline did not rewrite still finds the file at its old URL
        unrewritten = tuple(asset.source for _, asset in sorted(p.resources.items())
                            if asset.url in body or unquote(asset.url) in body)
        return _Rendered(self._render(self._front_matter(p, converted), body), unrewritten)

    def export_document(self, document: Document, rendered: _Rendered | None, converted: Converted) -> Outcome:
        p = self.placements[document.source]
        if p.mode == "redirect":
            if document.is_draft:
                return Outcome.skipped("unpublished redirect page (redirect_to)")
            return Outcome.exported(p.new_url, "redirect page (redirect_to)")
        if p.mode == "snapshot":
            if document.markup in ("scss", "sass"):
                self.report.emit("sass-not-compiled", "warning",
                                 f"Sass stylesheet written as it is after Liquid to {p.hugo_path}: compile it "
                                 "(Hugo Pipes css.Sass) or use the theme's styles", source=document.source)
            self.plan.add_text("static" + (p.hugo_path or ""), converted.body)
            return Outcome.exported(p.new_url, "generated file copied as a static file")
        assert rendered is not None  # render_document renders every page
        if any(issue.code == "kramdown-toc" for issue in converted.issues):
            self.uses_toc = True
        self.plan.add_text(p.content_path, rendered.text)
        folder = posixpath.dirname(p.content_path)
        for name, asset in sorted(p.resources.items()):
            self.plan.add_copy(f"{folder}/{name}", self.site.static_file_path(asset))
        self.static_fallback.update(rendered.unrewritten_assets)
        if p.hugo_path is None:
            return Outcome.exported(None, "draft: true (draft or published: false)" if document.is_draft else
                                    "not rendered (collection without output); build.render = never")
        return Outcome.exported(p.new_url, "draft: true (draft or published: false)" if document.is_draft else None)

    def _front_matter(self, p: _Placement, converted: Converted) -> dict[str, Any]:
        doc = p.doc
        extra = dict(doc.extra)
        fm: dict[str, Any] = {"title": doc.title}
        date = _written_date(doc)
        if date is not None:
            fm["date"] = date
        if doc.last_modified is not None:
            fm["lastmod"] = doc.last_modified.replace(microsecond=0)
        if p.slug:
            fm["slug"] = p.slug
        if doc.is_draft:
            fm["draft"] = True
        if doc.categories:
            fm["categories"] = list(doc.categories)
        if doc.tags:
            fm["tags"] = list(doc.tags)
        if doc.authors:
            fm["authors"] = list(doc.authors)
        if doc.excerpt is not None and converted.excerpt:
            fm["summary"] = converted.excerpt.strip()
        description = doc.front_matter.get("description", extra.get("description"))
        if isinstance(description, str):
            fm["description"] = description
        if p.url_field is not None:
            fm["url"] = _url_value(p.url_field)
        if p.aliases:
            fm["aliases"] = list(p.aliases)
        if p.content_path.endswith("/_index.md") and p.hugo_path and not p.hugo_path.endswith("/"):
            # a section's RSS output is written to its url: as well when that names a file (docs.html)
            fm["outputs"] = ["html"]
        if p.hugo_path is None:
            fm["build"] = {"render": "never", "list": "never"}
        jekyll = {k: v for k, v in {**doc.front_matter, **extra}.items()
                  if k not in _MAPPED_KEYS and not (k == "description" and "description" in fm)}
        if jekyll:
            fm["jekyll"] = jsonable(jekyll)
        return fm

    @staticmethod
    def _custom_separator(doc: Document, body: str) -> bool:
        sep = doc.excerpt_separator
        return bool(sep.strip()) and sep.strip() in body

    def _body(self, doc: Document, converted: Converted) -> str:
        body = converted.body
        if self._custom_separator(doc, body) and doc.excerpt is None:
            body = body.replace(doc.excerpt_separator.strip(), "<!--more-->", 1)
        body = _escape_shortcodes(body)
        return body if body.endswith("\n") or not body else body + "\n"

    def _render(self, front: dict[str, Any], body: str) -> str:
        if self.opts.front_matter == "toml":
            text = tomli_w.dumps(_toml_safe(front))
            return f"+++\n{text}+++\n{body}"
        front = {k: v.isoformat() if isinstance(v, _dt.datetime) else v for k, v in front.items()}
        text = block_yaml(front) or yaml.dump(front, Dumper=_YAML_DUMPER, sort_keys=False, allow_unicode=True,
                                              default_flow_style=False, width=1000)
        return f"---\n{text}---\n{body}"

    # -- whole site ------------------------------------------------------------------------------
    def finish(self) -> None:
        self.plan.add_text("hugo.toml", tomli_w.dumps(self._config()))
        fallback = [a for a in self.site.static_files if a.source in self.static_fallback]
        for asset in self._static_assets() + fallback:
            self._add_static(asset.source, "static/" + unquote(asset.url).lstrip("/"),
                             copy_from=self.site.static_file_path(asset))
        for out, (src, target) in sorted(self.redirect_pages.items()):
            self._add_static(src, "static/" + out, text=_redirect_html(self._absolute(target)))
        for section in sorted(self.hidden_sections):
            front = {"title": section, "build": {"render": "never", "list": "always"}}
            self.plan.add_text(f"content/{section}/_index.md", self._render(front, ""))
        folder = resources.files("exporters") / "hugo_layouts"
        if not self.opts.no_layouts:
            for name in LAYOUT_FILES:
                self.plan.add_text(f"layouts/{name}", (folder / name).read_text("utf-8"))
        if self.uses_toc:  # the content calls it: written with or without the layouts
            self.plan.add_text("layouts/_shortcodes/toc.html", (folder / "shortcode-toc.html").read_text("utf-8"))
        if self.site.authors:
            authors = {a.key: {k: v for k, v in (("name", a.name), ("email", a.email), ("url", a.url),
                                                 ("bio", a.bio)) if v} | jsonable(a.extra)
                       for a in self.site.authors}
            self.plan.add_text("data/authors.json", json.dumps(authors, indent=2, ensure_ascii=False,
                                                               sort_keys=True) + "\n")
        self.plan.add_text("README.md", self._readme())
        self.plan.manifest_extra["hugo"] = {
            "base_url": self.base_url,
            "url_policy": "keep" if self.keep else "hugo",
            "post_permalink": self.post_pattern,
            "aliases": sum(len(p.aliases) for p in self.placements.values()),
            "redirect_pages": len(self.redirect_pages),
            "bundled_assets": sum(len(p.resources) for p in self.placements.values()),
        }

    def _add_static(self, source: str, path: str, *, copy_from: Path | None = None, text: str = "") -> None:
        """One file under static/; a path that would leave the output is reported, not written."""
        try:
            if copy_from is not None:
                self.plan.add_copy(path, copy_from)
            else:
                self.plan.add_text(path, text)
        except UnsafePathError as exc:
            self.report.emit("unsafe-path", "error", f"not written: {exc}", source=source)

    def _absolute(self, url: str) -> str:
        if urlsplit(url).scheme or self.base_url == "/":
            return url
        return self.base_url.rstrip("/") + url

    def _config(self) -> dict[str, Any]:
        cfg: dict[str, Any] = {
            "baseURL": self.base_url,
            "title": self.site.title,
            "locale": self.site.language or "en",
        }
        if self.site.timezone:
            cfg["timeZone"] = self.site.timezone
        if self.site.config.get("future") is True:
            cfg["buildFuture"] = True
        disabled = self._disabled_kinds()
        if disabled:
            cfg["disableKinds"] = disabled
        if self.post_pattern:
            cfg["permalinks"] = {"page": {POSTS_SECTION: self.post_pattern}}
        feed = self._feed_name()
        if feed:
            cfg["outputFormats"] = {"rss": {"baseName": feed}}
        if self._has_extensionless_urls():
            cfg["server"] = {"redirects": SERVER_EXTENSIONLESS}
        cfg["taxonomies"] = {"category": "categories", "tag": "tags"}
        cfg["frontmatter"] = {"lastmod": ["lastmod", "last_modified_at", ":default"]}
        kramdown = self.site.config.get("kramdown")
        kramdown = kramdown if isinstance(kramdown, dict) else {}
        backlink = kramdown.get("footnote_backlink")
        parser: dict[str, Any] = {"attribute": {"block": True, "title": True}}
        if kramdown.get("auto_ids", True) is False:
            parser["autoHeadingID"] = False  # kramdown gave headings no ids of their own
        renderer: dict[str, Any] = {"unsafe": True}
        if kramdown.get("hard_wrap") is True and str(kramdown.get("input", "GFM")).lower() == "gfm":
            renderer["hardWraps"] = True  # GFM input with hard_wrap: each line break is a <br>
        # Each setting makes Goldmark render what kramdown rendered (the export README says why).
        cfg["markup"] = {
            "goldmark": {
                "renderer": renderer,
                "renderHooks": {"image": {"useEmbedded": "fallback"}},
                "parser": parser,
                "extensions": {
                    "typographer": {"disable": True},
                    "linkify": False,
                    "footnote": {"backlinkHTML": backlink if isinstance(backlink, str) else "&#8617;"},
                },
            }
        }
        return cfg

    def _has_extensionless_urls(self) -> bool:
        """Whether Jekyll wrote an old URL of this site as ``NAME.html`` for a URL without trailing slash or
        extension (a permalink or ``redirect_from`` entry such as ``/x``), which only a host that looks up
        ``x.html`` answers."""
        for doc in self.site.documents:
            if doc.output_path is not None and not doc.url.endswith("/") \
                    and doc.output_path == unquote(doc.url).lstrip("/") + ".html":
                return True
            if any(_alias_path(entry) == "/" + unquote(entry).lstrip("/") + ".html" for entry in doc.redirect_from):
                return True
        return False

    def url_facts(self) -> UrlFacts:
        """A static host (Hugo's public/ as any host serves it), at the new site's URL."""
        return UrlFacts(feed_url=f"{self.base_path}/{self._feed_name() or 'index'}.xml",
                        new_site_url=self.opts.new_site_url)

    def _feed_name(self) -> str | None:
        """When the site had a feed at ``/NAME.xml``, Hugo's home RSS takes that name so the feed URL stays."""
        plugins = self.site.config.get("plugins") or self.site.config.get("gems") or []
        if "jekyll-feed" not in plugins:
            return None
        feed = self.site.config.get("feed")
        path = feed.get("path", "feed.xml") if isinstance(feed, dict) else "feed.xml"
        match = re.fullmatch(r"/?([A-Za-z0-9_-]+)\.xml", str(path))
        return match.group(1) if match and match.group(1) != "index" else None

    def _disabled_kinds(self) -> list[str]:
        """Hugo pages that would overwrite a migrated page are switched off (and reported)."""
        claimed = {_output_file(p.hugo_path) for p in self.placements.values() if p.hugo_path}
        claimed |= set(self.redirect_pages)
        claimed |= {_output_file(unquote(a.url)) for a in self._static_assets()}
        disabled = []
        checks = (("taxonomy", ("categories/index.html", "tags/index.html")),
                  ("rss", (f"{self._feed_name() or 'index'}.xml",)), ("sitemap", ("sitemap.xml",)))
        for kind, paths in checks:
            hit = [p for p in paths if p in claimed]
            if hit:
                disabled.append(kind)
                self.report.emit("hugo-kind-disabled", "info",
                                 f"Hugo's {kind} page would replace migrated {hit[0]}: disabled")
        return disabled

    def _readme(self) -> str:
        if self.keep:
            policy = ("URL policy `keep`: every page keeps its exact Jekyll URL, through `[permalinks]` in\n"
                      "`hugo.toml` where Hugo's tokens can say it and a front-matter `url:` where they cannot.")
        else:
            policy = ("URL policy `hugo`: pages use Hugo's own URLs, and every old Jekyll URL is an `aliases`\n"
                      "entry (a small redirect page Hugo writes).")
        future = ("Future-dated posts are built (`buildFuture = true`, as the Jekyll site had `future: true`)."
                  if self.site.config.get("future") is True else
                  "Future-dated posts keep their date: add `--buildFuture` to publish them before that date.")
        template = (resources.files("exporters") / "hugo_layouts" / "export-readme.md").read_text("utf-8")
        return string.Template(template).substitute(
            title=self.site.title or "Migrated site",
            base_url=self.base_url,
            future=future,
            policy=policy,
            layouts=("No layouts were written (`--no-layouts`)." if self.opts.no_layouts else
                     "`layouts/` holds a small default layout set (base, home, single, list, taxonomy)."),
            authors=" Authors (`authors:` keys) are described in `data/authors.json`." if self.site.authors else "",
            extensionless=EXTENSIONLESS_README if self._has_extensionless_urls() else "",
        )


# -- helpers -----------------------------------------------------------------------------------
def _segment(name: str) -> str:
    """A path segment Hugo's urlize leaves unchanged: lowercase, no spaces or punctuation."""
    text = unicodedata.normalize("NFC", name).lower()
    text = _SPACES.sub("-", text.strip())
    text = _NOT_IN_SEGMENT.sub("", text)
    text = _DASHES.sub("-", text).strip(".-")
    return text


_SPACES = re.compile(r"\s+")
_NOT_IN_SEGMENT = re.compile(r"[^\w.~-]")
_DASHES = re.compile(r"-{2,}")


@functools.lru_cache(maxsize=16)
def _permalink_pieces(pattern: str) -> tuple[str, ...]:
    """A ``[permalinks]`` pattern cut into text (even places) and its tokens (odd places), once."""
    return tuple(re.split(r"(:year|:month|:day|:slug)", pattern))


def _written_date(doc: Document) -> _dt.datetime | None:
    """The date the page gets: the document's own (never a build or file time), to the second."""
    return doc.own_date.replace(microsecond=0) if doc.own_date is not None else None


def _site_path(output_path: str) -> str:
    """A Jekyll output file as the decoded site path Hugo is told (``x/index.html`` -> ``/x/``)."""
    path = "/" + output_path.lstrip("/")
    if path.endswith("/index.html"):
        return path[: -len("index.html")]
    return path


def _alias_path(url: str) -> str:
    """A redirect_from URL as the file jekyll-redirect-from writes (``/old`` -> ``/old.html``)."""
    path = unquote(url if url.startswith("/") else "/" + url)
    if path.endswith("/") or posixpath.splitext(path)[1]:
        return _site_path(path.lstrip("/")) if path.endswith("/index.html") else path
    return path + ".html"


_NO_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})|[\x00-\x1f\x7f]")


def _hugo_can_publish(path: str) -> bool:
    """Whether a front-matter ``url:`` can give this decoded path. Hugo writes the value as it is, but parses
    it as a URL first: a ``%`` that starts no escape or a control character makes it panic. ``aliases`` and
    static files have no such limit."""
    return _NO_ESCAPE.search(path) is None


def _bundle_name(name: str) -> bool:
    """Whether a file keeps working as a page resource under this name. Hugo does not escape a resource's
    name in its permalink: ``#`` and ``?`` cut the URL its image hook writes, and a ``%`` (or a control
    character) makes the build fail. Such a file stays a static file at its old URL."""
    return _NOT_A_RESOURCE.search(name) is None


_NOT_A_RESOURCE = re.compile(r"[%#?\x00-\x1f\x7f]")


def _url_value(path: str) -> str:
    """A decoded path as a front-matter ``url:``. Hugo expands ``:name`` tokens there (``:year``) and reads
    ``\\:`` as a literal colon, removing that one backslash: every colon is written that way."""
    return path.replace(":", "\\:")


def _output_file(path: str) -> str:
    """The file (relative to public/) a decoded site path is written as."""
    rel = path.lstrip("/")
    return rel + "index.html" if path.endswith("/") else rel


def _encode(path: str) -> str:
    """A decoded site path percent-encoded as Jekyll encodes URLs (a literal ``%`` too)."""
    return quote(path, safe=_URL_SAFE)


def _escape_shortcodes(body: str) -> str:
    """Hugo reads ``{{<`` and ``{{%`` as shortcodes, even inside code: keep them as text (the content
    pipeline's ``toc`` calls stay)."""
    from migrate.content.to_markdown import escape_shortcodes

    return escape_shortcodes(body)


def _toml_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _toml_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_toml_safe(v) for v in value if v is not None]
    return value


def _redirect_html(target: str) -> str:
    url = html.escape(target, quote=True)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
        f"<title>{url}</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n"
        f"<body><p>This page has moved to <a href=\"{url}\">{url}</a>.</p></body>\n</html>\n"
    )
