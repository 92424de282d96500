"""The WordPress exporter: a WXR 1.2 file the official importer takes whole, the media, and redirects for
old URLs. Pass one is :mod:`.placement`, the text of the files :mod:`.wxr`; this class drives them."""

from __future__ import annotations

import functools
import logging
from collections import Counter
from urllib.parse import urlsplit

from exporters.wordpress.authors import Authors
from exporters.wordpress.blocks import to_blocks
from exporters.wordpress.comments import comments_xml
from exporters.wordpress.embeds import wordpress_embed
from exporters.wordpress.media import AssetURL, attachment_ids, attachments, featured_asset
from exporters.wordpress.options import OPTIONS, parse_size
from exporters.wordpress.placement import Placement
from exporters.wordpress.readme import readme_text
from exporters.wordpress.slugs import Terms, wp_slug
from exporters.wordpress.wxr import (
    Item,
    autop_safe,
    body_xml,
    channel_header,
    item_xml,
    wrap_html_block,
    write_wxr,
)
from migrate.content import Converted, Targets
from migrate.exporter import Exporter, Outcome, UrlFacts, page_number_on_target
from migrate.ir import Document, GeneratedPage
from migrate.redirects import RedirectMap, stream_redirects

log = logging.getLogger(__name__)


class WordPressExporter(Exporter):
    """Writes ``wordpress.xml`` (WXR 1.2), ``media/``, Redirection plugin imports and a README."""

    name = "wordpress"
    description = "WordPress: a WXR file for Tools > Import > WordPress, media files, redirects"
    content_format = "html"
    options = OPTIONS
    push_target = "exporters.wordpress.push:WordPressTarget"

    # -- pass one ----------------------------------------------------------------------------------

    def prepare(self) -> Targets:
        site = self.site
        self.old_site_url = (self.opts.old_site_url or site.url.rstrip("/") or "").rstrip("/")
        if not self.old_site_url:
            self.report.emit(
                "wp-no-site-url",
                "warning",
                "the site has no url in _config.yml: GUIDs and media URLs use http://localhost; "
                "pass --old-site-url and --asset-base-url",
            )
            self.old_site_url = "http://localhost"
        self.old_base = self.old_site_url + (site.baseurl or "")
        self.asset_base = (self.opts.asset_base_url or self.old_base).rstrip("/")
        self.wp_url = (self.opts.wp_url or "").rstrip("/")
        self.link_prefix = self.wp_url if self.wp_url else (site.baseurl or "")
        self.modes = dict(self.opts.collection)
        self.static_by_source = {s.source: s for s in site.static_files}
        self.authors = Authors(site.authors, site.config)
        self.categories = Terms("category")
        self.tags = Terms("tag")
        self.attachment_ids: dict[str, int] | None = None
        self.image_ids: dict[str, int] = {}

        self.next_comment_id = 1
        self.placement = Placement(site, self.report, self.authors, self.modes)
        self.placement.place(self.documents(), structure=self.opts.wp_permalinks)
        self.items = self.placement.items
        self.skipped = self.placement.skipped
        self.structure = self.placement.structure
        self.category_base, self.tag_base = self.placement.category_base, self.placement.tag_base
        if self.opts.wp_content == "blocks":
            # Image blocks name their attachment's ID, so the IDs are decided before any body is written.
            first_id = max((i.post_id for i in self.items.values()), default=0) + 1
            self.attachment_ids = attachment_ids(list(site.static_files), first_id=first_id)
            self.image_ids = {self.asset_base + s.url: self.attachment_ids[s.source]
                              for s in site.static_files if s.source in self.attachment_ids}
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
            embed=wordpress_embed,
        )

    def _link(self, path: str) -> str:
        return self.link_prefix + path

    # -- pass two ----------------------------------------------------------------------------------

    def render_document(self, document: Document, converted: Converted) -> bytes | None:
        """The item's content and excerpt lines of the WXR, as WordPress stores them, encoded."""
        item = self.items.get(document.source)
        return None if item is None else self._render_item(item, document, converted)

    def _render_item(self, item: Item, document: Document, converted: Converted) -> bytes | tuple[bytes, str]:
        footnotes = None
        if self.opts.wp_content == "blocks":
            made = to_blocks(converted.body, media=self.image_ids.get, key=document.source)
            body, footnotes = made.content, made.footnotes
            if made.fallbacks:
                kinds = Counter(made.fallbacks)
                named = ", ".join(f"{what} ({n})" if n > 1 else what for what, n in sorted(kinds.items()))
                self.report.emit(
                    "wp-block-html",
                    "info",
                    f"{len(made.fallbacks)} part(s) kept as Custom HTML blocks, which no core block holds: {named}",
                    source=document.source,
                )
        else:
            body = autop_safe(converted.body)
            if self.opts.wp_content == "html-block":
                body = wrap_html_block(body)
        excerpt = autop_safe(converted.excerpt or "") if document.excerpt or item.post_type == "post" else ""
        encoded = body_xml(body, excerpt).encode("utf-8")
        return encoded if footnotes is None else (encoded, footnotes)

    def skip_reason(self, document: Document) -> str | None:
        if document.source in self.items:
            return None
        return self.skipped.get(document.source, "not exported")

    def export_document(self, document: Document, rendered: bytes, converted: Converted) -> Outcome:
        item = self.items[document.source]
        if isinstance(rendered, tuple):  # a block body with footnotes: they are post meta
            rendered, item.footnotes = rendered
        item.body = self.plan.spool.put(rendered)
        item.assets = tuple(a for a in converted.assets if a in self.static_by_source)
        item.featured = featured_asset(document, item.assets, self.static_by_source, baseurl=self.site.baseurl or "")
        if self.site.languages:  # a multilingual site: each item says its language, as Polylang reads it
            item.language = document.language or self.site.languages[0]
            item.translations = document.translations
        if document.comments:
            item.comments = comments_xml(document.comments, first_id=self.next_comment_id, local=item.local,
                                         gmt=item.gmt)
            self.next_comment_id += len(document.comments)
        if item.post_type == "post":
            item.categories = tuple(self.categories.add(c) for c in document.categories if c.strip())
            item.tags = tuple(self.tags.add(t) for t in document.tags if t.strip())
        return Outcome.exported(self._link(item.url))

    # -- whole-site files --------------------------------------------------------------------------

    def finish(self) -> None:
        done = self._exported_sources()
        exported = [i for i in self.items.values() if i.synthetic or i.source in done]
        exported.sort(key=lambda i: (i.post_type != "page", i.depth, i.post_id))
        media = attachments(
            exported,
            site=self.site,
            plan=self.plan,
            report=self.report,
            static_by_source=self.static_by_source,
            asset_base=self.asset_base,
            next_id=max((i.post_id for i in self.items.values()), default=0) + 1,
            ids=self.attachment_ids,
        )
        self.placement.make_unique(media)
        for terms, kind in ((self.categories, "category"), (self.tags, "tag")):
            for name, kept in terms.merged:
                self.report.emit(
                    "wp-term-merged",
                    "info",
                    f"{kind} {name!r} becomes {kept!r}: WordPress gives both the slug {wp_slug(kept)!r}",
                )
        files = self._write_wxr(exported, media)
        self.plan.manifest_extra.update(
            {
                "permalink_structure": self.structure,
                "asset_base_url": self.asset_base,
                "wxr_files": files,
            }
        )
        if (self.category_base, self.tag_base) != ("category", "tag"):
            self.plan.manifest_extra.update({"category_base": self.category_base, "tag_base": self.tag_base})
        self._write_readme(files, exported, media)

    def _exported_sources(self) -> set[str]:
        return {d.source for d in self.plan.documents if d.status == "exported"}

    def _write_wxr(self, items: list[Item], media: list[Item]) -> list[str]:
        header = channel_header(
            title=self.site.title,
            description=self.site.description,
            language=self.site.language or "en",
            old_site_url=self.old_site_url,
            old_base=self.old_base,
            authors=self.authors.used(),
            categories=self.categories.by_slug,
            tags=self.tags.by_slug,
        )
        make = functools.partial(
            item_xml,
            comments_open=self.opts.comments == "open",
            old_base=self.old_base,
            new_base=self.wp_url or self.old_base,
        )
        limit = int(self.opts.split_size or parse_size("15MB"))
        return write_wxr(self.plan, self.report, items, media, header=header, make=make, limit=limit,
                         attachments_first=self.attachment_ids is not None)

    def url_facts(self) -> UrlFacts:
        """WordPress answers its own front page at ``/`` (never redirected to the imported copy of the old
        home page), and no ``index.html`` or ``.html`` spelling; its feed is ``/feed/``."""
        return UrlFacts(feed_url=(self.wp_url + "/feed/") if self.wp_url else "/feed/", index_files=False,
                        base_path=self.site.baseurl or "", platform_urls=("/",), sitemap_url="/wp-sitemap.xml")

    def generated_url(self, page: GeneratedPage) -> str | None:
        """WordPress's own lists: the posts page, category and tag archives and date archives, each
        paginated at ``page/N/`` and with a feed at ``feed/``; its core sitemap; its own robots.txt, which
        WordPress serves only when it is installed at the root of its host (at a sub-path it has none)."""
        if page.output_path == "robots.txt":
            home_path = urlsplit(self.wp_url).path if self.wp_url else (self.site.baseurl or "")
            return self._link("/robots.txt") if not home_path.strip("/") else None
        if page.lists != "posts" and page.kind != "sitemap":
            return None
        if page.category is not None or page.tag is not None:
            terms, base = (self.categories, self.category_base) if page.category is not None else (self.tags, self.tag_base)
            name = str(page.category if page.category is not None else page.tag)
            slug = terms.by_name.get(name) or wp_slug(name)
            if slug not in terms.by_slug:
                return None  # no exported post carries it: WordPress has no archive of it
            path = f"/{base}/{slug}/"
        elif page.period is not None:
            path = "/" + page.period.strip("/") + "/"
        else:
            path = "/"
        if page.kind == "feed":
            return self._link(path + "feed/")
        if page.kind == "sitemap":
            return self._link("/wp-sitemap.xml")
        if page.kind == "pagination":
            number = page_number_on_target(page, self.opts.posts_per_page)
            return self._link(f"{path}page/{number}/" if number > 1 else path)
        return self._link(path)

    def write_redirects(self, redirect_map: RedirectMap) -> None:
        """The Redirection plugin's import files (``redirects/``)."""
        for name, pieces in stream_redirects(redirect_map, "wordpress-redirection").items():
            with self.plan.open_stream("redirects/" + name) as out:
                for piece in pieces:
                    out.write(piece)

    def _write_readme(self, files: list[str], items: list[Item], media: list[Item]) -> None:
        kinds: dict[str, int] = {}
        for item in items:
            kinds[item.post_type] = kinds.get(item.post_type, 0) + 1
        text = readme_text(
            site_name=str(self.site.title or self.site.source_dir),
            timezone=self.site.timezone or "the timezone the site was built in",
            kinds=kinds,
            attachments=len(media),
            redirects=len(set(self.plan.redirects)),
            structure=self.structure,
            category_base=self.category_base,
            tag_base=self.tag_base,
            asset_base=self.asset_base,
            has_media=any(p.startswith("media/") for p in self.plan.files),
            files=files,
            comments=self.next_comment_id - 1,
            image_blocks=self.attachment_ids is not None,
        )
        self.plan.add_text("README.txt", text)
