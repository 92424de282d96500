"""Reads a Jekyll site the way Jekyll 4.3 does, as a pipeline: settings from the configuration, the walk,
each file read (with its URL), the IR, then the books of what was not read."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from migrate.errors import SiteError
from migrate.ir import Issue, Site, StaticFile
from migrate.reader.accounting import Ledger, account_rest
from migrate.reader.documents import build_page, limit_posts
from migrate.reader.entry_filter import EntryFilter, glob_include
from migrate.reader.generated import Inputs, generated_pages
from migrate.reader.parallel import read_pending
from migrate.reader.permalinks import apply_url_issues, check_collisions, entry_url
from migrate.reader.plugins import run_generators
from migrate.reader.settings import Settings, read_settings
from migrate.reader.to_ir import note_unused_redirects, to_documents, to_site
from migrate.reader.walk import Walk


@dataclass
class SiteReader:
    """One read of the site at ``root`` with the command line's options; :meth:`read` runs it once."""

    root: Path
    drafts: bool = False
    future: bool | None = None
    unpublished: bool = False
    now: _dt.datetime | None = None
    config_files: list[str | Path] | None = None
    jobs: int = 1
    """Processes that read documents (this one included) once a site has ``PARALLEL_MIN_DOCUMENTS``."""
    github_pages: bool | None = None
    """Read the site as GitHub Pages builds it (True), as plain Jekyll (False), or as detected (None)."""
    issues: list[Issue] = field(default_factory=list)

    def read(self) -> Site:
        """The site as the IR; its problems are ``issues`` (and the IR's), in the order Jekyll meets them."""
        if not self.root.is_dir():
            raise SiteError(f"{self.root} is not a folder")
        return self.read_build(self.issues)

    def read_build(
        self,
        issues: list[Issue],
        *,
        adjust_settings: Callable[[Settings], Settings] | None = None,
        walk_class: type[Walk] = Walk,
        adjust_entries: Callable[[Settings, list[Any]], None] | None = None,
        jobs: int | None = None,
    ) -> Site:
        """One build of the site, step by step as Jekyll makes it. A plugin that builds the site once per
        language (jekyll-multiple-languages-plugin) changes the settings, the walk or the entries read
        through the hooks, and runs the same steps otherwise."""
        settings = read_settings(self.root, config_files=self.config_files, drafts=self.drafts, future=self.future,
                                 unpublished=self.unpublished, now=self.now, issues=issues,
                                 github_pages=self.github_pages)
        if adjust_settings is not None:
            settings = adjust_settings(settings)
        ledger = Ledger()
        walk = walk_class(settings, ledger, issues)
        walk.site()
        entries = read_pending(settings, walk.pending, self.jobs if jobs is None else jobs, issues)
        if adjust_entries is not None:
            adjust_entries(settings, entries)
        limit_posts(settings, entries, issues)
        apply_url_issues(entries, issues)
        run_generators(_PluginView(settings, entries, walk.statics, issues))
        documents = to_documents(settings, entries, issues)
        note_unused_redirects(settings, documents, issues)
        check_collisions(documents, issues)
        data = walk.data()
        other = account_rest(settings, ledger, issues)
        generated, found = generated_pages(Inputs(settings.root, settings.config, settings.plugins, documents,
                                                  tuple(walk.statics), settings.permalink_style,
                                                  settings.config_name))
        issues.extend(found)
        return to_site(settings, documents, walk.statics, other, data, issues, generated)


@dataclass
class _PluginView:
    """What the modelled plugins' generators see of the read site (``plugins.common.SiteReader``): the
    settings, the pages and documents read, the static files, and Jekyll's page-making steps."""

    settings: Settings
    entries: list[Any]
    statics: list[StaticFile]
    issues: list[Issue]

    def __post_init__(self) -> None:
        settings = self.settings
        self.root, self.config, self.plugins = settings.root, settings.config, settings.plugins
        self.markdown_exts, self.defaults = settings.markdown_exts, settings.defaults
        self._filter = EntryFilter(settings.include_patterns, settings.exclude_patterns)

    def _build_page(self, source: str, issues: list[Issue]) -> Any:
        return build_page(self.settings, source, issues)

    def _entry_url(self, entry: Any) -> None:
        entry_url(self.settings, entry)

    def _included(self, entry: str, is_dir: bool) -> bool:
        return self._filter.included(entry, is_dir)

    @staticmethod
    def _glob_include(patterns: Any, entry: str, is_dir: bool) -> bool:
        return glob_include(patterns, entry, is_dir)
