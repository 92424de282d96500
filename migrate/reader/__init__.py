"""Jekyll site -> ir.Site: reads config, front matter, permalinks, collections and static files like Jekyll 4.3."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from pathlib import Path

from migrate.ir import Issue, Site
from migrate.reader.comments import attach_comments
from migrate.reader.comments.staticman import read_staticman
from migrate.reader.languages import read_with_languages
from migrate.reader.site import SiteReader
from migrate.workers import default_jobs

__all__ = ["read_site"]


def read_site(
    path: str | Path,
    *,
    drafts: bool = False,
    future: bool = False,
    unpublished: bool = False,
    now: _dt.datetime | None = None,
    config_files: list[str | Path] | None = None,
    jobs: int | None = None,
    github_pages: bool | None = None,
) -> Site:
    """Read the Jekyll site at ``path`` into the IR.

    ``drafts``, ``future`` and ``unpublished`` act like Jekyll's ``--drafts``, ``--future`` and
    ``--unpublished`` (the site's own ``future: true`` counts too); ``now`` stands for Jekyll's
    ``site.time`` (default: the current time); ``config_files`` replaces the default ``_config.yml`` like
    ``--config a.yml,b.yml`` (paths relative to the site or absolute); ``jobs`` processes read a large
    site's documents (default: one per core; the result is the same); ``github_pages`` reads the site as
    GitHub Pages builds it (True), as plain Jekyll (False) or as its Gemfile and workflows say (None).
    Problems become ``Site.issues``; only a path that is not a folder raises :class:`migrate.errors.SiteError`.
    A site that loads a language plugin is read as it builds one site per language (see
    :mod:`migrate.reader.languages`).
    """
    reader = SiteReader(
        Path(path),
        drafts=drafts,
        future=future or None,
        unpublished=unpublished,
        now=now,
        config_files=config_files,
        jobs=jobs if jobs is not None else default_jobs(),
        github_pages=github_pages,
    )
    site = read_with_languages(reader)  # a language plugin builds one site per language
    issues: list[Issue] = []
    site = attach_comments(site, read_staticman(site, issues), issues)
    return dataclasses.replace(site, issues=site.issues + tuple(issues)) if issues else site
