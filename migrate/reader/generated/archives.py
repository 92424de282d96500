"""jekyll-archives 2.2: a page per tag, category, year, month and day the posts have.

As ``Jekyll::Archives::Archives`` decides: ``jekyll-archives.enabled`` (``all``, ``true`` or a list of
``year``, ``month``, ``day``, ``categories``, ``tags``), ``permalinks`` per type (defaults ``/:year/``,
``/:year/:month/``, ``/:year/:month/:day/``, ``/tag/:name/``, ``/category/:name/``, ``:name`` being the
tag or category slugified in Jekyll's default mode), ``layouts`` per type or ``layout`` (``archive``).
Dates are the posts' own (their ``date`` as their permalinks read it).
"""

from __future__ import annotations

from typing import Any

from migrate.ir import Document, GeneratedPage, Issue
from migrate.reader.config import deep_merge
from migrate.reader.generated.common import Inputs, output_path
from migrate.reader.rubyish import rb_extname
from migrate.reader.urls import UrlError, generate_from_hash, sanitize_url, slugify, unescape_path
from migrate.reader.yamlsafe import ruby_str

GEM = "jekyll-archives"
DEFAULTS: dict[str, Any] = {
    "layout": "archive",
    "enabled": [],
    "permalinks": {
        "year": "/:year/",
        "month": "/:year/:month/",
        "day": "/:year/:month/:day/",
        "tag": "/tag/:name/",
        "category": "/category/:name/",
    },
}


def _enabled(config: dict[str, Any], what: str) -> bool:
    value = config.get("enabled")
    return value is True or value == "all" or (isinstance(value, list) and what in value)


def _newest_first(docs: list[Document]) -> tuple[str, ...]:
    return tuple(d.source for d in reversed(docs))


def generate(inputs: Inputs, issues: list[Issue]) -> list[GeneratedPage]:
    raw = inputs.config.get("jekyll-archives")
    config = deep_merge(DEFAULTS, raw if isinstance(raw, dict) else {})
    posts = inputs.posts()
    pages: list[GeneratedPage] = []

    def add(kind: str, placeholders: dict[str, str | None], docs: list[Document], **what: Any) -> None:
        permalinks = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
        template = permalinks.get(kind)
        layouts = config.get("layouts") if isinstance(config.get("layouts"), dict) else {}
        layout = layouts.get(kind) or config.get("layout")
        if not isinstance(template, str):
            issues.append(Issue("archive-config", "warning", f"jekyll-archives: no permalink for {kind} archives "
                                "(Jekyll stops the build)", inputs.config_source))
            return
        try:
            url = sanitize_url(generate_from_hash(template, {**placeholders, "type": kind}))
        except UrlError:
            return
        path = unescape_path(url).lstrip("/")
        if url.endswith("/"):
            path += "/index.html" if path else "index.html"
        ext = rb_extname(path)
        pages.append(GeneratedPage(
            kind="archive", url=url, output_path=output_path(url, ext), generator=GEM,
            template=inputs.layout_source(ruby_str(layout)) if layout else None, lists="posts",
            members=_newest_first(docs), **what,
        ))

    if _enabled(config, "tags"):
        for tag, docs in _attr_hash(posts, "tags").items():
            add("tag", {"name": slugify(tag)}, docs, tag=tag)
    if _enabled(config, "categories"):
        for cat, docs in _attr_hash(posts, "categories").items():
            add("category", {"name": slugify(cat)}, docs, category=cat)
    years: dict[str, list[Document]] = {}
    for doc in posts:
        if doc.date is not None:
            years.setdefault(doc.date.strftime("%Y"), []).append(doc)
    for year, year_docs in years.items():
        if _enabled(config, "year"):
            add("year", {"year": year}, year_docs, period=year)
        months: dict[str, list[Document]] = {}
        for doc in year_docs:
            months.setdefault(doc.date.strftime("%m"), []).append(doc)  # type: ignore[union-attr]
        for month, month_docs in months.items():
            if _enabled(config, "month"):
                add("month", {"year": year, "month": month}, month_docs, period=f"{year}/{month}")
            days: dict[str, list[Document]] = {}
            for doc in month_docs:
                days.setdefault(doc.date.strftime("%d"), []).append(doc)  # type: ignore[union-attr]
            for day, day_docs in days.items():
                if _enabled(config, "day"):
                    add("day", {"year": year, "month": month, "day": day}, day_docs, period=f"{year}/{month}/{day}")
    return pages


def _attr_hash(posts: list[Document], attr: str) -> dict[str, list[Document]]:
    """``Site#post_attr_hash``: each value of ``attr`` with the posts carrying it (in post order)."""
    found: dict[str, list[Document]] = {}
    for doc in posts:
        for value in dict.fromkeys(getattr(doc, attr)):  # a value repeated on one post lists it once
            found.setdefault(value, []).append(doc)
    return found
