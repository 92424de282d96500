"""jekyll-sitemap 1.4: ``/sitemap.xml`` and ``/robots.txt``, each unless a page or static file already has
that URL (``JekyllSitemap#file_exists?`` looks at ``site.pages`` and ``site.static_files`` only, so a
collection document at that URL does not stop it)."""

from __future__ import annotations

from migrate.ir import GeneratedPage, Issue
from migrate.reader.generated.common import Inputs

GEM = "jekyll-sitemap"


def generate(inputs: Inputs, earlier: list[GeneratedPage], issues: list[Issue]) -> list[GeneratedPage]:
    taken = {d.url for d in inputs.pages()}
    taken |= {s.url for s in inputs.static_files if s.collection is None and s.origin_url is None}
    taken |= {p.url for p in earlier}
    listed = tuple(sorted(d.source for d in inputs.documents if d.served_by_jekyll and d.output_ext in (".html", ".htm", ".xhtml")
                          and d.front_matter.get("sitemap") is not False))
    pages = []
    if "/sitemap.xml" not in taken:
        pages.append(GeneratedPage(kind="sitemap", url="/sitemap.xml", output_path="sitemap.xml", generator=GEM,
                                   lists=None, members=listed))
    if "/robots.txt" not in taken:
        pages.append(GeneratedPage(kind="other", url="/robots.txt", output_path="robots.txt", generator=GEM,
                                   lists=None))
    return pages
