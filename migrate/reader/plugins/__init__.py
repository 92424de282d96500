"""Jekyll plugins the reader models (the content plugins GitHub Pages runs), run as Jekyll's generators run."""

from __future__ import annotations

from migrate.ir import Issue
from migrate.reader.plugins import (
    default_layout,
    optional_front_matter,
    readme_index,
    relative_links,
    titles_from_headings,
)
from migrate.reader.plugins.common import SiteReader

GENERATORS = (
    ("jekyll-optional-front-matter", optional_front_matter.generate),  # priority :normal
    ("jekyll-readme-index", readme_index.generate),  # :low
    ("jekyll-titles-from-headings", titles_from_headings.generate),  # :lowest
    ("jekyll-default-layout", default_layout.generate),  # :lowest
    ("jekyll-relative-links", relative_links.generate),  # :lowest
)
"""The generators in the order Jekyll runs them (by priority)."""
MODELLED = frozenset({name for name, _ in GENERATORS} | {"jekyll-redirect-from", "jekyll-include-cache"})
"""Plugins whose pages, URLs, tags or content changes the migration carries out."""


def run_generators(reader: SiteReader) -> None:
    """Runs the generator of each modelled plugin the site loads, after Jekyll has read the site."""
    for name, generate in GENERATORS:
        if name in reader.plugins:
            generate(reader)


def unmodelled(plugins: tuple[str, ...], where: str | None) -> list[Issue]:
    """One note per plugin the site loads that the migration does not model, by name."""
    return [
        Issue(
            "plugin-not-modelled",
            "info",
            f"the site loads the plugin {name}, which the migration does not model: pages, tags or content it "
            "makes are not migrated as it makes them",
            where,
        )
        for name in plugins
        if name not in MODELLED
    ]
