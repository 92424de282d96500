"""What the modelled plugins ask of the site Jekyll has read: its pages, documents, files and settings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol

from migrate.ir import Issue, StaticFile
from migrate.reader.config import FrontmatterDefaults
from migrate.reader.rubyish import rb_extname


class Text(Protocol):
    body: str
    body_line: int
    has_front_matter: bool


class Entry(Protocol):
    """A page or document as the reader holds it before it becomes an IR Document (``site._Entry``)."""

    kind: str
    source: str
    relative_path: str
    collection: str | None
    data: dict[str, Any]
    text: Text
    url: str
    output_path: str | None
    built: bool
    url_issues: tuple[Issue, ...]
    url_failed: bool


class SiteReader(Protocol):
    """What the plugins use of ``site.SiteReader`` once it has read the site (not imported: it runs them)."""

    root: Path
    config: dict[str, Any]
    plugins: tuple[str, ...]
    markdown_exts: set[str]
    defaults: FrontmatterDefaults
    entries: list[Any]
    statics: list[StaticFile]
    issues: list[Issue]

    def _build_page(self, source: str, issues: list[Issue]) -> Any: ...

    def _entry_url(self, entry: Any) -> None: ...

    def _included(self, entry: str, is_dir: bool) -> bool: ...

    def _glob_include(
        self, patterns: list[tuple[str, re.Pattern[str]]], entry: str, is_dir: bool
    ) -> bool: ...


def option(reader: SiteReader, section: str, key: str) -> Any:
    """``site.config[section][key]``, or None (the plugins' own ``option`` helper)."""
    value = reader.config.get(section)
    return value.get(key) if isinstance(value, dict) else None


def is_markdown(reader: SiteReader, name: str) -> bool:
    """``Converters::Markdown#matches``: the extension is one of ``markdown_ext`` (any case)."""
    return rb_extname(name).lower() in reader.markdown_exts


def pages(reader: SiteReader) -> list[Entry]:
    """``site.pages``: the pages Jekyll read and publishes (an unpublished page is never in the list)."""
    return [e for e in reader.entries if e.kind == "page" and e.built]


def documents_to_write(reader: SiteReader) -> list[Entry]:
    """``site.docs_to_write``: posts and collection documents Jekyll writes."""
    return [e for e in reader.entries if e.kind != "page" and e.built and e.output_path is not None]


def site_static_files(reader: SiteReader) -> list[StaticFile]:
    """``site.static_files``: the files copied as they are, those of collections too (Jekyll 4's
    ``Collection#read`` adds them to the site's list)."""
    return list(reader.statics)


def data_value(reader: SiteReader, entry: Entry, key: str) -> Any:
    """``document.data[key]``: a page's own value when it has the key (even a null one), else its front-matter
    default (a page's data falls back on the defaults); a document's data already holds its defaults."""
    if key in entry.data:
        return entry.data[key]
    if entry.kind == "page":
        return reader.defaults.find(entry.source, "pages", key)
    return None


def has_key(reader: SiteReader, entry: Entry, key: str) -> bool:
    """Whether ``document.to_liquid`` has ``key``: in the page's or document's data or its defaults."""
    if key in entry.data:
        return True
    return entry.kind == "page" and key in reader.defaults.all(entry.source, "pages")


def add_page(reader: SiteReader, source: str, *, permalink: str | None = None) -> Entry:
    """``Jekyll::Page.new`` for a file of the site, as a generator adds it to ``site.pages`` (with a
    ``permalink`` set in its data, as jekyll-readme-index sets one)."""
    issues: list[Issue] = []
    entry = reader._build_page(source, issues)
    entry.built = True  # a generator's page is written whatever its data says
    if permalink is not None:
        entry.data["permalink"] = permalink
    reader._entry_url(entry)
    issues.extend(entry.url_issues)
    entry.url_issues = ()
    if entry.url_failed:
        entry.built = False
    reader.issues.extend(issues)
    reader.entries.append(entry)
    return entry
