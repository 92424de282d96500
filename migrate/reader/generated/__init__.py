"""The pages Jekyll plugins write that no source file holds: pagination, archives, feeds, sitemaps.

Each plugin is modelled in its own module, exactly as its installed Ruby source decides (Debian's
jekyll-paginate 1.1, jekyll-paginate-v2 3.0, jekyll-feed 0.17, jekyll-sitemap 1.4, jekyll-archives 2.2, and
jekyll-redirect-from 0.16's ``redirects.json``), and only when the site enables it (``Site.plugins``).
:func:`generated_pages` runs them in Jekyll's generator order on the documents and static files the reader
found.
"""

from __future__ import annotations

from migrate.ir import GeneratedPage, Issue
from migrate.reader.generated import archives, feed, paginate, paginate_v2, redirect_json, sitemap
from migrate.reader.generated.common import Inputs

__all__ = ["Inputs", "generated_pages"]


def generated_pages(inputs: Inputs) -> tuple[tuple[GeneratedPage, ...], list[Issue]]:
    """Every page the site's enabled plugins generate, sorted by URL, and the problems found on the way.

    Jekyll runs generators by priority (jekyll-archives is ``normal``, the others ``lowest``): archives
    exist before the sitemap looks for an existing ``/sitemap.xml``, as in a real build."""
    issues: list[Issue] = []
    pages: list[GeneratedPage] = []
    plugins = set(inputs.plugins)
    if "jekyll-archives" in plugins:
        pages += archives.generate(inputs, issues)
    if "jekyll-redirect-from" in plugins:
        pages += redirect_json.generate(inputs, issues)
    if "jekyll-paginate" in plugins:
        pages += paginate.generate(inputs, issues)
    if "jekyll-paginate-v2" in plugins:
        pages += paginate_v2.generate(inputs, issues)
    if "jekyll-feed" in plugins:
        pages += feed.generate(inputs, issues)
    if "jekyll-sitemap" in plugins:
        pages += sitemap.generate(inputs, pages, issues)
    pages.sort(key=lambda p: (p.url, p.output_path, p.generator))
    return tuple(pages), issues
