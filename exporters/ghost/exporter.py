"""Ghost exporter: a Ghost 6 import (JSON plus images in a zip) and Ghost's redirects files."""

from __future__ import annotations

import datetime as dt
import functools
import json
import posixpath
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from exporters.ghost.archive import Entry, import_data, write_import, write_redirects
from exporters.ghost.assets import Assets
from exporters.ghost.cards import ghost_html, lexical_document
from exporters.ghost.rows import Rows, language_tag_slug, limited, tag_slug
from exporters.ghost.schema import (
    EXCERPT_MAX,
    RESERVED_SLUGS,
    ROLES,
    TITLE_MAX,
    ghost_date,
    object_id,
    plain_text,
)
from exporters.ghost.slugs import SlugAllocator, ghost_slug, ghost_url_slug
from migrate.content import Converted, Targets
from migrate.errors import OptionError
from migrate.exporter import Exporter, Option, Outcome, UrlFacts, page_number_on_target
from migrate.ir import Document, GeneratedPage, Site
from migrate.plan import Plan
from migrate.redirects import RedirectMap
from migrate.report import Report

_DEFAULT_NOW = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def _parse_now(value: str) -> str:
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an ISO 8601 date: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.isoformat()


EMPTY_LEXICAL = json.dumps(
    {"root": {"children": [{"children": [], "direction": None, "format": "", "indent": 0, "type": "paragraph",
                            "version": 1}], "direction": None, "format": "", "indent": 0, "type": "root", "version": 1}},
    separators=(",", ":"))
"""The document Ghost's editor makes of an empty post: one empty paragraph."""


def _parse_collection(value: str) -> str:
    name, sep, mode = value.partition("=")
    if not sep or not name.strip() or mode.strip() not in ("post", "page", "skip"):
        raise ValueError(f"expected NAME=post|page|skip, got {value!r}")
    return f"{name.strip()}={mode.strip()}"


def _truthy(value: Any) -> bool:
    """YAML's true, or a string a person meant as true (``"yes"``, ``"true"``)."""
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1"))


@dataclass(frozen=True)
class _Rendered:
    """The per-document part of a post that a worker process computes."""

    title: str
    content: dict[str, Any]
    """``{"html": ...}`` or ``{"lexical": ...}``."""
    excerpt: str | None
    assets: tuple[str, ...]
    """Static files the body now points at inside the zip."""


class GhostExporter(Exporter):
    """Writes ``ghost-import.zip`` (and the JSON alone), ``redirects.yaml`` and ``redirects.json``."""

    name = "ghost"
    description = "Ghost 6 import zip (posts, pages, tags, authors, images) plus Ghost redirects"
    content_format = "html"
    push_target = "exporters.ghost.push:GhostPushTarget"
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
            "posts-per-page",
            "posts on a page of the Ghost theme's lists (its package.json posts_per_page: 12 in Source, "
            "Ghost's default theme; 25 in Casper): old list pages lead to the Ghost page with the same posts",
            type=int,
            default=12,
        ),
        Option(
            "email-domain",
            "domain of the placeholder e-mail given to authors without one",
            default="example.invalid",
        ),
    )

    def __init__(self, site: Site, options: Mapping[str, Any], report: Report, plan: Plan) -> None:
        super().__init__(site, options, report, plan)
        self.entries: dict[str, Entry] = {}
        self.skipped: dict[str, str] = {}
        self.assets = Assets(site, report)
        self.rows = Rows(site, report, self.assets, self.opts)
        self.now = self._now()

    # -- pass one ------------------------------------------------------------------------------------
    def _now(self) -> dt.datetime:
        if self.opts.now:
            return dt.datetime.fromisoformat(self.opts.now)
        dates = [self._date(d) for d in self.site.documents if not d.future]
        aware = [d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc) for d in dates if d]
        return max(aware, default=_DEFAULT_NOW)

    def _collection_modes(self) -> dict[str, str]:
        modes: dict[str, str] = {}
        for item in self.opts.collection:
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
            self.entries[doc.source] = Entry(doc, kind, slug, self._language_prefix(doc, kind) + f"/{slug}/")
        for name, count in sorted(skipped_collections.items()):
            self.report.emit(
                "ghost-collection-skipped",
                "info",
                f"{count} document(s) of collection {name!r} are not exported "
                "(choose with --collection NAME=post|page)",
            )
        self._place_assets()
        return Targets(
            document_urls=self._document_urls(),
            asset_url=self.assets.urls(),
        )

    def _language_prefix(self, doc: Document, kind: str) -> str:
        """``/xx`` for a post in a language other than the site's default: routes.yaml gives each
        language's posts a collection at ``/xx/``."""
        languages = self.site.languages
        if not languages or kind != "post" or (doc.language or languages[0]) == languages[0]:
            return ""
        return "/" + (doc.language or "")

    def _routes_yaml(self) -> str:
        """Ghost's routes.yaml for a multilingual site: one collection of posts per language, the default
        one at the root, each chosen by its internal ``#lang-xx`` tag."""
        default, *others = self.site.languages
        lines = ["routes:", "", "collections:"]
        for language in others:
            lines += [f"  /{language}/:", f"    permalink: /{language}/{{slug}}/", "    template: index",
                      f"    filter: tag:{language_tag_slug(language)}"]
        lines += ["  /:", "    permalink: /{slug}/", "    template: index",
                  f"    filter: tag:{language_tag_slug(default)}", "",
                  "taxonomies:", "  tag: /tag/{slug}/", "  author: /author/{slug}/", ""]
        return "\n".join(lines)

    def _old_url_slugs(self) -> dict[str, str]:
        """Slug -> the document whose old URL is ``/SLUG/`` (else ``/SLUG``, which Ghost redirects to it):
        its own URL before any ``redirect_from`` (Jekyll writes a document after the redirect pages)."""
        built = [d for d in sorted(self.site.documents, key=lambda d: d.source)
                 if d.served_by_jekyll]
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
        """Static files go under ``content/`` in the month of the earliest document that names them."""
        texts = []
        for entry in sorted(
            self.entries.values(), key=lambda e: (ghost_date(self._date(e.doc)) or "", e.doc.source)
        ):
            fm = json.dumps(entry.doc.front_matter, ensure_ascii=False, default=str)
            texts.append((self._date(entry.doc), entry.doc.body + fm))
        self.assets.place(texts, self.now)

    # -- pass two ------------------------------------------------------------------------------------
    def skip_reason(self, document: Document) -> str | None:
        return self.skipped.get(document.source)

    @staticmethod
    def _date(doc: Document) -> dt.datetime | None:
        """The document's own date, else its last modification (jekyll-last-modified-at)."""
        return doc.own_date or doc.last_modified

    def _status(self, doc: Document) -> str:
        if doc.is_draft:
            return "draft"
        if doc.future and not doc.built_by_jekyll:
            return "scheduled"  # Jekyll built a future-dated post only with future: true (GitHub Pages' default)
        return "published"

    def uses_excerpt(self, document: Document) -> bool:
        return document.excerpt is not None or self._marked_excerpt(document)

    def render_document(self, document: Document, converted: Converted) -> _Rendered:
        doc = document
        title = " ".join((doc.title or "").split()) or doc.slug or self.entries[doc.source].slug
        title = limited(self.report, doc, "title", title, TITLE_MAX, code="ghost-title-cut")
        used: set[str] = set()
        body = self.assets.rewrite(converted.body, doc, used)
        if not body.strip():
            # Ghost makes an empty root of an empty body, which it then refuses ("Invalid lexical
            # structure"), and the refusal stops the whole import: the editor's empty document instead.
            content = {"lexical": EMPTY_LEXICAL}
        elif self.opts.body == "lexical":
            content = {"lexical": lexical_document(body)}
        else:
            content = {"html": ghost_html(body)}
        return _Rendered(title, content, self._excerpt(doc, converted), tuple(sorted(used)))

    def export_document(self, document: Document, rendered: _Rendered, converted: Converted) -> Outcome:
        entry = self.entries[document.source]
        doc = document
        self.assets.in_zip.update(rendered.assets)
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
        image = self.rows.feature_image(doc)
        if image:
            post["feature_image"] = image[0]
        canonical = self.rows.canonical(doc)
        if canonical:
            post["canonical_url"] = canonical
        entry.post_id = post["id"]
        entry.post_json = self.plan.spool.put(json.dumps(post, ensure_ascii=False, indent=1).encode("utf-8"))
        entry.meta = self.rows.meta(doc, image)
        entry.tags = self.rows.tags(doc)
        entry.authors = self.rows.authors(doc)
        for source in converted.assets:
            self.assets.use(source, doc)
        return Outcome.exported(entry.url)

    def _excerpt(self, doc: Document, converted: Converted) -> str | None:
        if doc.excerpt is not None:
            text = plain_text(converted.excerpt or doc.excerpt)
        elif isinstance(doc.front_matter.get("description"), str):
            text = plain_text(doc.front_matter["description"])
        elif self._marked_excerpt(doc) and converted.excerpt:
            text = plain_text(converted.excerpt)  # the author marked where the excerpt ends
        else:
            return None
        return limited(self.report, doc, "excerpt", text, EXCERPT_MAX, code="ghost-excerpt-cut") or None

    @staticmethod
    def _marked_excerpt(doc: Document) -> bool:
        """The author marked where the excerpt ends (a separator of their own, found in the body), and no
        ``description`` takes its place."""
        return (not isinstance(doc.front_matter.get("description"), str) and bool(doc.excerpt_separator.strip())
                and doc.excerpt_separator in doc.body)

    # -- whole site ----------------------------------------------------------------------------------
    def url_facts(self) -> UrlFacts:
        """Ghost answers ``/slug/`` (and redirects ``/slug`` there) but no ``index.html`` or ``.html``
        spelling; its own feed is ``/rss/``."""
        return UrlFacts(feed_url="/rss/", index_files=False, sitemap_url="/sitemap.xml", platform_urls=("/",))

    def write_redirects(self, redirect_map: RedirectMap) -> None:
        write_redirects(self.plan, redirect_map)

    @functools.cached_property
    def _public_post_tags(self) -> set[str]:
        """Slugs of the tags of the published posts: Ghost shows a tag's page only for those (a tag only
        pages or drafts carry has none)."""
        return {tag_slug(name) for entry in self.entries.values()
                if entry.post_id and entry.type == "post" and self._status(entry.doc) == "published"
                for name in (*entry.doc.categories, *entry.doc.tags) if str(name).strip()}

    def generated_url(self, page: GeneratedPage) -> str | None:
        """Ghost's home and tag pages are paginated at ``page/N/`` and have feeds at ``rss/``; categories
        are tags here. Ghost has no date archives; it writes its own ``robots.txt``."""
        if page.output_path == "robots.txt":
            return "/robots.txt"
        if page.kind == "sitemap":
            return "/sitemap.xml"
        term = page.tag or page.category
        if term is not None:
            slug = tag_slug(term)
            if slug not in self._public_post_tags:
                return None  # no published post carries it: Ghost has no page for the tag
            base = f"/tag/{slug}/"
        elif page.lists == "posts" and page.period is None:
            base = "/"
        else:
            return None
        if page.kind == "feed":
            return base + "rss/"
        if page.kind == "pagination":
            number = page_number_on_target(page, self.opts.posts_per_page)
            return f"{base}page/{number}/" if number > 1 else base
        return base if page.kind == "archive" else None

    def finish(self) -> None:
        statics = {s.source: s for s in self.site.static_files}
        files = {self.assets.paths[s]: self.site.static_file_path(statics[s]) for s in self.assets.in_zip}
        data = import_data(self.entries.values(), self.rows.tag_rows, self.rows.user_rows, self.now)
        write_import(self.plan, data, files)
        if self.site.languages:
            self.plan.add_text("routes.yaml", self._routes_yaml())
        counts = {"posts": 0, "pages": 0}
        for entry in self.entries.values():
            if entry.post_id:
                counts[entry.type + "s"] += 1
        self.plan.manifest_extra["ghost"] = {
            **counts,
            "tags": len(self.rows.tag_rows),
            "users": len(self.rows.user_rows),
            "files_in_zip": len(self.assets.in_zip),
            "exported_on": ghost_date(self.now),
        }

