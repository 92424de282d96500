"""Reads a Jekyll site the way Jekyll 4.3 does, as a pipeline: settings from the configuration, the walk,
each file read (with its URL), the IR, then the books of what was not read."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from migrate.errors import SiteError
from migrate.ir import Issue, Site
from migrate.reader.accounting import Ledger, account_rest
from migrate.reader.documents import limit_posts
from migrate.reader.parallel import read_pending
from migrate.reader.permalinks import apply_url_issues, check_collisions
from migrate.reader.settings import read_settings
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
    issues: list[Issue] = field(default_factory=list)

    def read(self) -> Site:
        """The site as the IR; its problems are ``issues`` (and the IR's), in the order Jekyll meets them."""
        if not self.root.is_dir():
            raise SiteError(f"{self.root} is not a folder")
        issues = self.issues
        settings = read_settings(self.root, config_files=self.config_files, drafts=self.drafts, future=self.future,
                                 unpublished=self.unpublished, now=self.now, issues=issues)
        ledger = Ledger()
        walk = Walk(settings, ledger, issues)
        walk.site()
        entries = read_pending(settings, walk.pending, self.jobs, issues)
        limit_posts(settings, entries, issues)
        apply_url_issues(entries, issues)
        documents = to_documents(settings, entries, issues)
        note_unused_redirects(settings, documents, issues)
        check_collisions(documents, issues)
        data = walk.data()
        other = account_rest(settings, ledger, issues)
        return to_site(settings, documents, walk.statics, other, data, issues)
