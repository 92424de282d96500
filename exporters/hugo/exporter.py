"""The Hugo exporter class: pass one places every document and old URL, pass two writes each content file,
``finish`` writes the static files, redirect pages, hugo.toml, layouts and README."""

from __future__ import annotations

import functools
import json
import logging
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from exporters.hugo.aliases import Aliases, redirect_html
from exporters.hugo.comments import PARTIALS, data_json, data_path
from exporters.hugo.embeds import hugo_embed
from exporters.hugo.config import (
    LAYOUT_FILES,
    disabled_kinds,
    feed_name,
    home_pager_size,
    hugo_toml,
    layout_for,
    layout_text,
    writes_robots_txt,
)
from exporters.hugo.front_matter import front_matter, page_body, render
from exporters.hugo.paths import alias_path, output_file, segment, site_path
from exporters.hugo.placement import HugoAssetLocator, Placement, Placer, post_pattern
from exporters.hugo.readme import readme_text
from migrate.content import Converted, Targets
from migrate.errors import UnsafePathError
from migrate.exporter import Exporter, Option, Outcome, UrlFacts, page_number_on_target
from migrate.ir import Document, GeneratedPage, StaticFile, jsonable
from migrate.redirects import RedirectMap

log = logging.getLogger(__name__)


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an absolute http(s) URL")
    return value


_PLAIN_TERM = re.compile(r"[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*")
"""A tag or category name whose Hugo URL is sure: Hugo's urlize lower-cases it and turns spaces to dashes."""


@dataclass(frozen=True)
class _Rendered:
    """A content file's text, and the bundled assets its body still names by their old URL."""

    text: str
    unrewritten_assets: tuple[str, ...]


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
        self.post_pattern = post_pattern(self.site) if self.keep else None
        self.placer = Placer(self.site, self.report, keep=self.keep, post_pattern=self.post_pattern)
        self.placements: dict[str, Placement] = self.placer.placements
        self.placer.place_all(list(self.documents()))
        self.static_fallback: set[str] = set()
        self.uses_toc = False  # a page calls the toc shortcode (kramdown's {:toc})
        self.has_comments = False  # a page has comments: the partials are written even with --no-layouts
        aliases = self.aliases = Aliases(self.site, self.report, self.placer)
        aliases.plan()
        self.hidden_sections = aliases.hidden_sections
        self.redirect_pages = aliases.redirect_pages
        targets_urls = {
            src: p.new_url for src, p in self.placements.items() if p.new_url is not None
        }
        return Targets(
            document_urls=targets_urls,
            asset_url=HugoAssetLocator(self.placer.bundled_assets()),
            site_url=self._origin(),
            base_path=self.base_path,
            embed=hugo_embed,
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

    # -- pass two --------------------------------------------------------------------------------
    def uses_excerpt(self, document: Document) -> bool:
        return document.excerpt is not None  # the front matter's excerpt becomes the summary

    def render_document(self, document: Document, converted: Converted) -> _Rendered | None:
        p = self.placements[document.source]
        if p.mode in ("redirect", "snapshot"):
            return None
        body = page_body(document, converted)
        # a reference the content pipeline did not rewrite still finds the file at its old URL
        unrewritten = tuple(asset.source for _, asset in sorted(p.resources.items())
                            if asset.url in body or unquote(asset.url) in body)
        text = render(front_matter(p, converted), body, toml=self.opts.front_matter == "toml")
        return _Rendered(text, unrewritten)

    def export_document(self, document: Document, rendered: _Rendered | None, converted: Converted) -> Outcome:
        p = self.placements[document.source]
        if document.comments and p.mode in ("redirect", "snapshot"):
            self.report.emit("comments-not-shown", "warning", f"{len(document.comments)} comments not migrated: "
                             f"the document becomes a {p.mode} in Hugo, not a page", source=document.source)
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
            for _, url in document.language_copies:  # a language plugin wrote it in another language too
                self._add_static(document.source, "static" + alias_path(url), text=converted.body)
            return Outcome.exported(p.new_url, "generated file copied as a static file")
        assert rendered is not None  # render_document renders every page
        if any(issue.code == "kramdown-toc" for issue in converted.issues):
            self.uses_toc = True
        self.plan.add_text(p.content_path, rendered.text)
        if document.comments:
            self.plan.add_text(data_path(p.content_path), data_json(document, p.new_url))
            self.has_comments = True
        folder = posixpath.dirname(p.content_path)
        for name, asset in sorted(p.resources.items()):
            self.plan.add_copy(f"{folder}/{name}", self.site.static_file_path(asset))
        self.static_fallback.update(rendered.unrewritten_assets)
        if p.hugo_path is None:
            return Outcome.exported(None, "draft: true (draft or published: false)" if document.is_draft else
                                    "not rendered (collection without output); build.render = never")
        return Outcome.exported(p.new_url, "draft: true (draft or published: false)" if document.is_draft else None)

    # -- whole site ------------------------------------------------------------------------------
    def finish(self) -> None:
        self.plan.add_text("hugo.toml", hugo_toml(self.site, self.report, base_url=self.base_url,
                                                  post_pattern=self.post_pattern, claimed=self._claimed()))
        fallback = [a for a in self.site.static_files if a.source in self.static_fallback]
        for asset in self.placer.static_assets() + fallback:
            self._add_static(asset.source, "static/" + unquote(asset.url).lstrip("/"),
                             copy_from=self.site.static_file_path(asset))
        for page, asset in self._language_static_copies():
            self._add_static(asset.source, "static/" + page.output_path, copy_from=self.site.static_file_path(asset))
        for out, (src, target) in sorted(self.redirect_pages.items()):
            self._add_static(src, "static/" + out, text=redirect_html(self._absolute(target)))
        for section in sorted(self.hidden_sections):
            front = {"title": section, "build": {"render": "never", "list": "always"}}
            self.plan.add_text(f"content/{section}/_index.md",
                               render(front, "", toml=self.opts.front_matter == "toml"))
        if not self.opts.no_layouts:
            for name in LAYOUT_FILES:
                source = "home-paginated.html" if name == "home.html" and home_pager_size(self.site) else name
                self.plan.add_text(f"layouts/{name}", layout_for(self.site, name, layout_text(source)))
        if not self.opts.no_layouts or self.has_comments:  # a theme only adds the call (see the README)
            for name, shipped in PARTIALS.items():
                self.plan.add_text(f"layouts/{name}", layout_text(shipped))
        if self.uses_toc:  # the content calls it: written with or without the layouts
            self.plan.add_text("layouts/_shortcodes/toc.html", layout_text("shortcode-toc.html"))
        if self.site.authors:
            authors = {a.key: {k: v for k, v in (("name", a.name), ("email", a.email), ("url", a.url),
                                                 ("bio", a.bio)) if v} | jsonable(a.extra)
                       for a in self.site.authors}
            self.plan.add_text("data/authors.json", json.dumps(authors, indent=2, ensure_ascii=False,
                                                               sort_keys=True) + "\n")
        self.plan.add_text("README.md", readme_text(self.site, keep=self.keep, base_url=self.base_url,
                                                    no_layouts=self.opts.no_layouts))
        self.plan.manifest_extra["hugo"] = {
            "base_url": self.base_url,
            "url_policy": "keep" if self.keep else "hugo",
            "post_permalink": self.post_pattern,
            "aliases": sum(len(p.aliases) for p in self.placements.values()),
            "redirect_pages": len(self.redirect_pages),
            "bundled_assets": sum(len(p.resources) for p in self.placements.values()),
        }

    def _claimed(self) -> set[str]:
        """Files (relative to public/) the migrated site writes: pages, redirect pages, static files."""
        claimed = {output_file(p.hugo_path) for p in self.placements.values() if p.hugo_path}
        claimed |= set(self.redirect_pages)
        claimed |= {output_file(unquote(a.url)) for a in self.placer.static_assets()}
        claimed |= {page.output_path for page, _ in self._language_static_copies()}
        return claimed

    def _language_static_copies(self) -> list[tuple[GeneratedPage, StaticFile]]:
        """A language plugin's copies of static files under a language's folder (``/ru/css/site.css``), each
        with its static file: Hugo copies static/ once, at the root, so each copy is a static file of its own."""
        statics = {a.source: a for a in self.site.static_files}
        return [(page, statics[page.template]) for page in self.site.generated
                if page.language and page.template in statics and page.output_path]

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

    def url_facts(self) -> UrlFacts:
        """A static host (Hugo's public/ as any host serves it), at the new site's URL."""
        disabled = self._disabled_kinds
        return UrlFacts(feed_url=f"{self.base_path}/{feed_name(self.site) or 'index'}.xml",
                        new_site_url=self.opts.new_site_url,
                        sitemap_url=None if "sitemap" in disabled else f"{self.base_path}/sitemap.xml")

    def write_redirects(self, redirect_map: RedirectMap) -> None:
        """Hugo writes a redirect page at each alias of a page; an old page a plugin generated (a page of a
        list, an archive) gets one of its own, at the file Jekyll wrote, wherever the Hugo site writes
        nothing there. Other rules (a feed, a sitemap) need the host's map (``jekyll-migrate redirects``)."""
        rules = redirect_map.as_dict()
        by_url = {page.url: page for page in self.site.generated}
        occupied = self.aliases.occupied()
        for placed in self.plan.generated:
            page = by_url[placed.url]
            target = rules.get(placed.url)
            if target is None or not page.output_path.endswith((".html", ".htm")):
                continue
            out = output_file(site_path(page.output_path))
            if out in occupied or out in self.redirect_pages:
                continue  # the new site has its own file there
            self.redirect_pages[out] = (page.template or page.generator, target)

    def generated_url(self, page: GeneratedPage) -> str | None:
        """Hugo's own lists: the home page (paginated at page/N/ like the old list of all posts), the
        term pages of the tags and categories taxonomies, their RSS feeds, the site feed and sitemap."""
        disabled = self._disabled_kinds
        feed = f"{feed_name(self.site) or 'index'}.xml"
        if any(page is copy for copy, _ in self._language_static_copies()):
            return f"{self.base_path}{page.url}"  # written where it was (finish)
        if page.kind == "sitemap":
            return None if "sitemap" in disabled else f"{self.base_path}/sitemap.xml"
        if page.output_path == "robots.txt" and writes_robots_txt(self.site, self._claimed()):
            return f"{self.base_path}/robots.txt"
        if page.lists != "posts" or page.language or page.period:
            return None
        term = self._term_url(page)
        if term is not None:
            if term == "" or "taxonomy" in disabled:
                return None
            if page.kind == "feed":
                return None if "rss" in disabled else f"{term}{feed}"
            return term if page.kind in ("archive", "pagination") else None  # a term page lists them all
        if page.kind == "feed":
            return None if "rss" in disabled else f"{self.base_path}/{feed}"
        if page.kind == "pagination":
            pager_size = home_pager_size(self.site)
            if pager_size is None:
                return None
            number = page_number_on_target(page, pager_size)
            return f"{self.base_path}/page/{number}/" if number > 1 else f"{self.base_path}/"
        return None

    def _term_url(self, page: GeneratedPage) -> str | None:
        """For a page of one tag or category: the URL of Hugo's page of that term ("" when no page of the
        export carries the term, or its name is not one whose URL is sure); None for other pages."""
        if page.tag is None and page.category is None:
            return None
        taxonomy, name = ("tags", page.tag) if page.tag is not None else ("categories", page.category)
        if not _PLAIN_TERM.fullmatch(str(name)) or str(name) not in self._terms_in_use[taxonomy]:
            return ""
        return f"{self.base_path}/{taxonomy}/{segment(str(name))}/"

    @functools.cached_property
    def _disabled_kinds(self) -> dict[str, str]:
        """Hugo's page kinds switched off (read once every page is placed)."""
        return disabled_kinds(self.site, self._claimed())

    @functools.cached_property
    def _terms_in_use(self) -> dict[str, set[str]]:
        """The tags and categories of the pages this export writes (Hugo makes a page for each)."""
        exported = {o.source for o in self.plan.documents if o.status == "exported" and o.new_url}
        used: dict[str, set[str]] = {"tags": set(), "categories": set()}
        for doc in self.site.documents:
            if doc.source in exported and not doc.is_draft:
                used["tags"].update(doc.tags)
                used["categories"].update(doc.categories)
        return used
