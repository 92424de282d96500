"""jekyll-default-layout 0.1: a Markdown page or post without a layout gets one by its kind."""

from __future__ import annotations

import os

from migrate.reader.plugins.common import SiteReader, has_key, is_markdown, pages

THEME_LAYOUTS: dict[str, frozenset[str]] = {
    "minima": frozenset({"default", "home", "page", "post"}),
    **{
        name: frozenset({"default"})
        for name in (
            "jekyll-theme-primer",
            "jekyll-theme-architect",
            "jekyll-theme-cayman",
            "jekyll-theme-dinky",
            "jekyll-theme-hacker",
            "jekyll-theme-leap-day",
            "jekyll-theme-merlot",
            "jekyll-theme-midnight",
            "jekyll-theme-minimal",
            "jekyll-theme-modernist",
            "jekyll-theme-slate",
            "jekyll-theme-tactile",
            "jekyll-theme-time-machine",
        )
    },
}
"""The layouts of the themes GitHub Pages offers (their gems' ``_layouts``); another theme's are unknown."""


def generate(reader: SiteReader) -> None:
    """Markdown pages and posts whose data (with defaults) has no ``layout`` key get ``home`` (the page at
    ``/``), ``page`` (pages), ``post`` (posts) or else ``default``: the first of these the site or its theme has."""
    layouts = site_layouts(reader)
    posts = [e for e in reader.entries if e.collection == "posts" and e.built]
    for entry in pages(reader) + posts:
        if not is_markdown(reader, entry.source) or has_key(reader, entry, "layout"):
            continue
        if entry.url == "/" and "home" in layouts:
            entry.data["layout"] = "home"
        elif entry.kind == "page" and "page" in layouts:
            entry.data["layout"] = "page"
        elif entry.kind != "page" and "post" in layouts:
            entry.data["layout"] = "post"
        elif "default" in layouts:
            entry.data["layout"] = "default"


def site_layouts(reader: SiteReader) -> set[str]:
    """``site.layouts``' names: each file under the layouts folder by its path without the last extension
    (``LayoutReader#layout_name``), and the theme's."""
    folder = reader.root / str(reader.config.get("layouts_dir") or "_layouts").strip("/")
    names: set[str] = set()
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
            dirnames[:] = [d for d in dirnames if not d.startswith((".", "_", "#", "~"))]
            rel_dir = os.path.relpath(dirpath, folder)
            for name in filenames:
                if "." not in name.lstrip(".") or name.startswith((".", "_", "#", "~")) or name.endswith("~"):
                    continue
                rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
                names.add(".".join(rel.split(".")[:-1]))
    theme = reader.config.get("theme")
    if isinstance(theme, str):
        names |= THEME_LAYOUTS.get(theme.strip(), frozenset())
    return names
