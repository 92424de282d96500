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
MODELLED = frozenset({name for name, _ in GENERATORS} | {"jekyll-redirect-from", "jekyll-include-cache"}
                     | {"jekyll-paginate", "jekyll-paginate-v2", "jekyll-archives", "jekyll-feed", "jekyll-sitemap"}
                     | {"jekyll-polyglot", "jekyll-multiple-languages-plugin"}  # migrate.reader.languages
                     | {"jekyll-gist", "jekyll-mentions"}  # migrate.content: the gist tag, the mention links
                     | {"jekyll-youtube", "jekyll-twitter-plugin", "jekyll-figure"}  # migrate.content.embeds
                     | {"jekyll-github-metadata"}  # plugins.github_metadata: site.github, offline
                     | {"jekyll-last-modified-at"}  # migrate.filedates, and its Liquid tag
                     | {"jekyll-avatar"}  # migrate.content: the avatar tag
                     | {"jemoji"})  # migrate.content.emoji: GitHub's emoji names as Unicode
"""Plugins whose pages, URLs, tags or content changes the migration carries out."""


def run_generators(reader: SiteReader) -> None:
    """Runs the generator of each modelled plugin the site loads, after Jekyll has read the site; then
    leaves out what Jekyll writes only to overwrite it."""
    for name, generate in GENERATORS:
        if name in reader.plugins:
            generate(reader)
    overwritten_pages(reader)


def overwritten_pages(reader: SiteReader) -> None:
    """``Site#write`` writes pages, then static files, then documents: a page a plugin made of a static file
    whose output a document writes again was never served (jekyll-readme-index makes a collection folder's
    README a page at the folder's URL, where the collection's own index lands), so it is left out."""
    documents = {
        e.output_path: e.source
        for e in reader.entries
        if e.kind != "page" and e.built and e.output_path is not None
    }
    statics = {s.source for s in reader.statics}
    kept = []
    for entry in reader.entries:
        if (
            entry.kind == "page"
            and entry.built
            and entry.output_path in documents
            and entry.source in statics
        ):
            reader.issues.append(
                Issue(
                    "page-overwritten",
                    "info",
                    f"a plugin makes this file a page at /{entry.output_path}, which Jekyll then writes again with "
                    f"{documents[entry.output_path]} (documents are written after pages): the site never served it, "
                    "and the migration leaves it out (the file itself is copied as it is)",
                    entry.source,
                )
            )
        else:
            kept.append(entry)
    reader.entries[:] = kept


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
