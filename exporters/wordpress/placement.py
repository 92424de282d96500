"""Pass one of the WordPress export: which documents become posts and pages, their slugs, parents, dates and
URLs under the chosen permalink structure, with (title, date) unique as the importer needs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from urllib.parse import unquote

from exporters.wordpress.authors import Authors
from exporters.wordpress.permalinks import (
    best_structure,
    page_segments,
    same_url,
    structure_url,
    term_bases,
)
from exporters.wordpress.slugs import (
    RESERVED_FLAT_SLUG,
    RESERVED_PAGE_SLUG,
    title_key,
    title_of,
    unique_slug,
    wp_slug,
)
from exporters.wordpress.wxr import Item, mysql_date
from migrate.ir import Document, Site
from migrate.report import Report


class Placement:
    """Every exported document's WXR item (post or page) and where WordPress will serve it."""

    def __init__(self, site: Site, report: Report, authors: Authors, modes: dict[str, str]) -> None:
        self.site = site
        self.report = report
        self.authors = authors
        self.modes = modes
        self.skipped: dict[str, str] = {}
        """Source -> why the document is not exported."""
        self.items: dict[str, Item] = {}
        """Source (or ``collection:PATH`` for a page made for a collection) -> its item."""
        self.structure = ""
        self.category_base = "category"
        self.tag_base = "tag"
        self._dates_of: dict[str, tuple[dt.datetime, dt.datetime]] = {}

    def place(self, documents: Iterable[Document], *, structure: str | None = None) -> None:
        """Place ``documents`` under ``structure`` (default: the one serving most old URLs)."""
        posts, pages = self._classify(documents)
        self.structure = structure or self._best_structure(posts, pages)
        # With a /%postname%/ structure posts and top-level pages share one URL space (WordPress shows the
        # page): there, a slug whose URL is a post's own old URL is kept for that post.
        flat = re.fullmatch(r"/%postname%/?", self.structure) is not None
        post_owned = self._post_slugs(posts)[1] if flat else {}
        self._place_pages(pages, reserved=set(post_owned))
        top_pages = {i.slug for i in self.items.values() if i.parent == 0} if flat else set()
        self._place_posts(posts, taken=top_pages - set(post_owned))
        self.make_unique(list(self.items.values()))
        self.category_base, self.tag_base = self._term_bases()

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

    def _classify(self, documents: Iterable[Document]) -> tuple[list[Document], list[Document]]:
        posts: list[Document] = []
        pages: list[Document] = []
        skipped_collections: dict[str, int] = {}
        for doc in documents:
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
            when = doc.own_date or doc.last_modified or self._fallback_date()
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            dates = self._dates_of[doc.source] = (
                when.replace(tzinfo=None, microsecond=0),
                when.astimezone(dt.timezone.utc).replace(tzinfo=None, microsecond=0),
            )
        return dates

    def _status(self, doc: Document) -> str:
        if doc.is_draft:
            return "draft"
        if doc.future and doc.served_by_jekyll:
            # Jekyll published it (future: true, GitHub Pages' default); WordPress itself turns every post
            # dated ahead of its clock into a scheduled one, whatever status the import asks for
            self.report.emit(
                "wp-scheduled",
                "warning",
                f"{doc.url} was published by Jekyll with a future date; WordPress schedules such a post, "
                "so this URL answers only from that date (or publish it by hand after the import)",
                source=doc.source,
            )
        return "future" if doc.future else "publish"

    def _best_structure(self, posts: list[Document], pages: list[Document]) -> str:
        templates = [c.permalink for c in self.site.collections if c.label == "posts"] + [self.site.permalink]
        built = [(wp_slug(doc.slug) or "x", self._dates(doc)[0], unquote(doc.url))
                 for doc in posts if doc.served_by_jekyll]
        page_urls = [doc.url for doc in pages if doc.served_by_jekyll and doc.url != "/"]
        return best_structure(templates, built, page_urls)

    def _post_slugs(self, posts: list[Document]) -> tuple[dict[str, str], dict[str, str]]:
        """Each post's wanted slug, and slug -> the post whose old URL that slug's URL is (it keeps it)."""
        digits_conflict = bool(re.search(r"(^|/)%postname%/", self.structure))
        wanted: dict[str, str] = {}
        owners: dict[str, str] = {}
        for post_id, doc in enumerate(self._post_order(posts), start=len(self.items) + 1):
            base = wp_slug(doc.slug) or wp_slug(doc.title) or f"post-{post_id}"
            if (digits_conflict and base.isdigit()) or RESERVED_FLAT_SLUG.match(base):
                base += "-2"
            wanted[doc.source] = base
            url = structure_url(self.structure, slug=base, local=self._dates(doc)[0], post_id=post_id)
            if doc.served_by_jekyll and same_url(url, doc.url):
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
            slug = base if owners.get(base) == doc.source else unique_slug(base, used)
            item = Item(
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
                old_url=doc.url if doc.served_by_jekyll else None,
                creator=self.authors.login_for(doc),
            )
            item.url = structure_url(self.structure, slug=slug, local=local, post_id=next_id)
            self.items[doc.source] = item
            next_id += 1

    def _page_slugs(
        self,
        wanted: dict[tuple[str, ...], Document | None],
        order: list[tuple[str, ...]],
        parents: dict[tuple[str, ...], tuple[str, ...]],
    ) -> tuple[dict[tuple[str, ...], str], dict[str, tuple[str, ...]]]:
        """Each page path's wanted slug, and slug -> the page whose old URL that slug's URL is (it keeps it)."""
        bases: dict[tuple[str, ...], str] = {}
        natural: dict[tuple[str, ...], str] = {}  # the URL each page gets when every page has its wanted slug
        owners: dict[str, tuple[str, ...]] = {}
        for post_id, path in enumerate(order, start=1):
            doc = wanted[path]
            raw_slug = (path[-1] if path else "home")
            base = wp_slug(raw_slug) or (wp_slug(doc.title) if doc else "") or f"page-{post_id}"
            if RESERVED_PAGE_SLUG.match(base):
                base += "-2"
            bases[path] = base
            natural[path] = self._page_url(natural.get(parents[path]), base)
            if doc is not None and doc.served_by_jekyll and same_url(natural[path], doc.url):
                owners.setdefault(base, path)
        return bases, owners

    def _place_pages(self, pages: list[Document], *, reserved: Collection[str] = ()) -> None:
        """Pages and collection documents as WordPress pages, each under the page of its parent folder (a
        collection's documents under its URL folder under a page named after the collection)."""
        wanted = _page_paths(pages)
        order = sorted(wanted, key=lambda p: (len(p), p))
        parents = {path: next((path[:i] for i in range(len(path) - 1, 0, -1) if path[:i] in wanted), ())
                   for path in order}
        bases, owners = self._page_slugs(wanted, order, parents)
        by_path: dict[tuple[str, ...], Item] = {}
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
                slug = unique_slug(base, used_slugs)
            url = self._page_url(parent.url if parent else None, slug)
            item = Item(
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
        """WordPress's category and tag bases (see :func:`term_bases`), told when they are not the defaults."""
        category, tag = term_bases(item.url for item in self.items.values())
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

    def make_unique(self, items: list[Item]) -> None:
        """Keep (title, post_date) unique: the importer silently skips a repeat. Seconds move, the day not.
        The importer's post_exists() compares titles in the database's collation, which ignores case and
        accents (MySQL's utf8mb4_unicode_ci; the SQLite integration ignores case): "Memulakan projek" and
        "Memulakan Projek" on one date are one post to it."""
        mine = {id(i) for i in items}
        seen = {(title_key(i.title), i.date) for i in self.items.values() if id(i) not in mine}
        for item in items:
            key = (title_key(item.title), item.date)
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
                    while (title_key(f"{item.title} ({n})"), item.date) in seen:
                        n += 1
                    item.title = f"{item.title} ({n})"
                if item.post_type == "post" and "%second%" in self.structure:
                    item.url = structure_url(
                        self.structure, slug=item.slug, local=item.local, post_id=item.post_id
                    )
            seen.add((title_key(item.title), item.date))


def _page_paths(pages: list[Document]) -> dict[tuple[str, ...], Document | None]:
    """Each page's folder path (a collection's pages under the collection's page, which may be made for
    it: None), two pages on one path told apart by their file names."""
    wanted: dict[tuple[str, ...], Document | None] = {}
    needed_parents: dict[tuple[str, ...], str] = {}
    for doc in pages:
        segments = page_segments(doc)
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
            wanted[path] = None
    return wanted


def _second_offsets() -> Iterable[int]:
    for n in range(1, 3600):
        yield n
        yield -n
