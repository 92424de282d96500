"""jekyll-paginate 1.1: the site's posts split into pages rendered from one ``index.html``.

As ``Jekyll::Paginate::Pagination`` and ``Pager`` decide: pagination is on when ``paginate`` is set; the
template is the ``index.html`` page (by its file name) in the deepest folder on the way from the site root
to ``paginate_path``'s folder; posts with ``hidden`` front matter are left out; page 1 is the template's own
URL, page N a copy of the template whose folder is ``paginate_path`` with ``:num`` (its first occurrence)
replaced by N, its URL made as for any page in that folder (a ``permalink`` read with the copy still wins:
see :func:`copy_permalink`).
"""

from __future__ import annotations

import math
import posixpath

from migrate.ir import Document, GeneratedPage, Issue
from migrate.reader.generated.common import Inputs, output_path, ruby_to_i
from migrate.reader.urls import generate_from_hash, sanitize_url

GEM = "jekyll-paginate"
_SOURCE = "/__source__/site"
"""A stand-in absolute source folder: the plugin compares expanded paths, and only their shape matters."""


def _expand(path: str) -> str:
    return posixpath.normpath(posixpath.join(_SOURCE, path.lstrip("/")))


def _in_hierarchy(page_dir: str, paginate_dir: str) -> bool:
    while True:
        if paginate_dir == posixpath.dirname(paginate_dir) or paginate_dir == posixpath.dirname(_SOURCE):
            return False
        if page_dir == paginate_dir:
            return True
        paginate_dir = posixpath.dirname(paginate_dir)


def _page_path(page: Document) -> str:
    path = page.front_matter.get("path")
    return path if isinstance(path, str) else page.source


def template_page(pages: list[Document], paginate_path: str) -> Document | None:
    """``Pagination#template_page``: the candidate ``index.html`` with the longest path."""
    paginate_dir = posixpath.dirname(_expand(paginate_path))
    candidates = [
        p for p in pages
        if p.source.rsplit("/", 1)[-1] == "index.html"
        and _in_hierarchy(posixpath.dirname(_expand(_page_path(p))), paginate_dir)
    ]
    candidates.sort(key=lambda p: -len(_page_path(p)))
    return candidates[0] if candidates else None


def copy_permalink(template: Document, pages: list[Document]) -> str | None:
    """The ``permalink`` the copies of the template carry. The plugin makes each copy with
    ``Page.new(site, source, template.dir, "index.html")``: it reads ``index.html`` in the folder of the
    template's URL, which is the template itself unless a ``permalink`` moved it (then another page's front
    matter, or none when no file is there: Jekyll warns and the copy has no front matter at all)."""
    url = template.url
    folder = url if url.endswith("/") else posixpath.dirname(url).rstrip("/") + "/"
    read = (folder.strip("/") + "/index.html").lstrip("/")
    if read == template.source:
        return template.permalink
    other = next((p for p in pages if p.source == read), None)
    return other.permalink if other is not None else None


def page_url(template: Document, folder: str, permalink: str | None) -> str:
    """The URL of the template page copied into ``folder`` (``Page#url`` with ``@dir`` = folder)."""
    placeholders = {"path": folder, "basename": "index", "output_ext": template.output_ext}
    return sanitize_url(generate_from_hash(permalink or "/:path/", placeholders))


def generate(inputs: Inputs, issues: list[Issue]) -> list[GeneratedPage]:
    config = inputs.config
    if config.get("paginate") is None:
        return []
    per_page = ruby_to_i(config.get("paginate"))
    raw_path = config.get("paginate_path")
    if per_page <= 0 or not isinstance(raw_path, str):
        issues.append(Issue("pagination-config", "warning",
                            f"jekyll-paginate: paginate {config.get('paginate')!r} with paginate_path {raw_path!r} "
                            "stops Jekyll's build; no pagination pages are listed", inputs.config_source))
        return []
    pages = inputs.pages()
    if not pages:
        return []
    template = template_page(pages, raw_path)
    if template is None:
        issues.append(Issue("pagination-no-template", "info",
                            "jekyll-paginate is on (paginate:) but no index.html page is in paginate_path's folder "
                            "or above it: Jekyll paginates nothing", inputs.config_source))
        return []
    posts = [d for d in reversed(inputs.posts()) if not d.front_matter.get("hidden")]
    total = math.ceil(len(posts) / per_page)
    permalink = copy_permalink(template, pages)
    result: list[GeneratedPage] = []
    for number in range(1, total + 1):
        if number == 1:
            url = template.url
            out = template.output_path or output_path(url, template.output_ext)
        else:
            folder = raw_path.replace(":num", str(number), 1)
            folder = folder if folder.startswith("/") else "/" + folder
            url = page_url(template, folder, permalink)
            out = output_path(url, template.output_ext)
        members = posts[(number - 1) * per_page: number * per_page]
        result.append(GeneratedPage(
            kind="pagination", url=url, output_path=out, generator=GEM, template=template.source,
            lists="posts", page_number=number, total_pages=total, per_page=per_page,
            members=tuple(d.source for d in members),
        ))
    return result
