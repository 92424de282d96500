"""Site-wide Hugo settings: hugo.toml (URLs, feed, disabled kinds, Goldmark as kramdown rendered) and the
default layouts."""

from __future__ import annotations

import re
from collections.abc import Collection
from importlib import resources
from typing import Any
from urllib.parse import unquote

import tomli_w

from exporters.hugo.paths import alias_path
from exporters.hugo.placement import POSTS_SECTION
from migrate.ir import Site
from migrate.report import Report

LAYOUT_FILES = ("baseof.html", "home.html", "list.html", "single.html", "taxonomy.html")
SERVER_EXTENSIONLESS = [
    # hugo server answers /x with x.html, as GitHub Pages did, where no file or folder index is at /x
    # (a 200 rewrite; Hugo's server matches the decoded path and puts the group into "to")
    {"fromRe": "^(.*[^/])$", "to": "$1.html", "status": 200},
    # Hugo's own default, which any [[server.redirects]] replaces
    {"from": "/**", "to": "/404.html", "status": 404},
]
"""``[[server.redirects]]`` of a site with extensionless URLs (read by ``hugo server`` only)."""


def layout_text(name: str) -> str:
    """One of the files shipped in ``exporters/hugo_layouts`` (layouts, shortcodes, the README template)."""
    return (resources.files("exporters") / "hugo_layouts" / name).read_text("utf-8")


def hugo_toml(site: Site, report: Report, *, base_url: str, post_pattern: str | None,
              claimed: Collection[str]) -> str:
    """The text of hugo.toml; ``claimed`` are the files (relative to public/) the migrated site writes."""
    return tomli_w.dumps(_config(site, report, base_url=base_url, post_pattern=post_pattern, claimed=claimed))


def _config(site: Site, report: Report, *, base_url: str, post_pattern: str | None,
            claimed: Collection[str]) -> dict[str, Any]:
    cfg: dict[str, Any] = {
        "baseURL": base_url,
        "title": site.title,
        "locale": site.language or "en",
    }
    if site.languages:  # the default language at the root, each other one under /LANG/, as the old site had them
        cfg["locale"] = site.languages[0]
        cfg["defaultContentLanguage"] = site.languages[0]
        cfg["defaultContentLanguageInSubdir"] = False
        cfg["languages"] = {lang: {"weight": n, "locale": lang} for n, lang in enumerate(site.languages, 1)}
    if site.timezone:
        cfg["timeZone"] = site.timezone
    if site.config.get("future") is True:
        cfg["buildFuture"] = True
    disabled = _disabled_kinds(site, report, claimed)
    if disabled:
        cfg["disableKinds"] = disabled
    if post_pattern:
        cfg["permalinks"] = {"page": {POSTS_SECTION: post_pattern}}
    feed = feed_name(site)
    if feed:
        cfg["outputFormats"] = {"rss": {"baseName": feed}}
    if has_extensionless_urls(site):
        cfg["server"] = {"redirects": SERVER_EXTENSIONLESS}
    cfg["taxonomies"] = {"category": "categories", "tag": "tags"}
    if writes_robots_txt(site, claimed):
        cfg["enableRobotsTXT"] = True
    pager_size = home_pager_size(site)
    if pager_size:  # the home page lists the posts as the old site's paginated list did
        cfg["pagination"] = {"pagerSize": pager_size}
    cfg["frontmatter"] = {"lastmod": ["lastmod", "last_modified_at", ":default"]}
    kramdown = site.config.get("kramdown")
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


LANGUAGE_LINKS = (
    '  {{- range .Translations }}\n'
    '  <link rel="alternate" hreflang="{{ .Language.Locale }}" href="{{ .Permalink }}">\n'
    '  {{- end }}\n'
)
LANGUAGE_NAV = (
    '  {{- with .Translations }}\n'
    '  <nav class="languages">{{ range . }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Locale }}">'
    '{{ .Language.Locale }}</a> {{ end }}</nav>\n'
    '  {{- end }}\n'
)


def layout_for(site: Site, name: str, text: str) -> str:
    """A default layout as the site needs it: on a multilingual site the base layout links each page's
    translations (``hreflang`` and a language switch) and its home link is the page's language's home."""
    if name != "baseof.html" or not site.languages:
        return text
    canonical = '  <link rel="canonical"'
    home = '<header><a href="{{ "/" | relURL }}">'
    assert canonical in text and home in text and "</header>\n" in text, "baseof.html changed: update layout_for"
    text = text.replace(canonical, LANGUAGE_LINKS + canonical, 1)
    text = text.replace(home, home.replace("relURL", "relLangURL"), 1)
    return text.replace("</header>\n", "</header>\n" + LANGUAGE_NAV, 1)


def has_extensionless_urls(site: Site) -> bool:
    """Whether Jekyll wrote an old URL of this site as ``NAME.html`` for a URL without trailing slash or
    extension (a permalink or ``redirect_from`` entry such as ``/x``), which only a host that looks up
    ``x.html`` answers."""
    for doc in site.documents:
        if doc.output_path is not None and not doc.url.endswith("/") \
                and doc.output_path == unquote(doc.url).lstrip("/") + ".html":
            return True
        if any(alias_path(entry) == "/" + unquote(entry).lstrip("/") + ".html" for entry in doc.redirect_from):
            return True
    return False


def feed_name(site: Site) -> str | None:
    """When the site had a feed at ``/NAME.xml``, Hugo's home RSS takes that name so the feed URL stays."""
    plugins = site.config.get("plugins") or site.config.get("gems") or []
    if "jekyll-feed" not in plugins:
        return None
    feed = site.config.get("feed")
    path = feed.get("path", "feed.xml") if isinstance(feed, dict) else "feed.xml"
    match = re.fullmatch(r"/?([A-Za-z0-9_-]+)\.xml", str(path))
    return match.group(1) if match and match.group(1) != "index" else None


def disabled_kinds(site: Site, claimed: Collection[str]) -> dict[str, str]:
    """Hugo's page kinds that would overwrite a migrated page (``claimed``: files relative to public/),
    each with the file it would replace: they are switched off."""
    disabled = {}
    checks = (("taxonomy", ("categories/index.html", "tags/index.html")),
              ("rss", (f"{feed_name(site) or 'index'}.xml",)), ("sitemap", ("sitemap.xml",)))
    for kind, paths in checks:
        hit = [p for p in paths if p in claimed]
        if hit:
            disabled[kind] = hit[0]
    return disabled


def writes_robots_txt(site: Site, claimed: Collection[str]) -> bool:
    """Whether Hugo writes its own robots.txt (``enableRobotsTXT``) where a plugin wrote one on the old
    site (jekyll-sitemap) and the migrated site has none of its own."""
    return "robots.txt" not in claimed and any(p.output_path == "robots.txt" for p in site.generated)


def home_pager_size(site: Site) -> int | None:
    """The page size of the site's own paginated list of all posts (jekyll-paginate, or jekyll-paginate-v2
    without a filter), which Hugo's home page then paginates the same way; None when it had none."""
    for page in site.generated:
        if page.kind == "pagination" and page.lists == "posts" and page.per_page and not (
                page.category or page.tag or page.language):
            return page.per_page
    return None


def _disabled_kinds(site: Site, report: Report, claimed: Collection[str]) -> list[str]:
    """Hugo pages that would overwrite a migrated page are switched off (and reported)."""
    disabled = disabled_kinds(site, claimed)
    for kind, hit in disabled.items():
        report.emit("hugo-kind-disabled", "info", f"Hugo's {kind} page would replace migrated {hit}: disabled")
    return list(disabled)
