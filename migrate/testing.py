"""A harness for exporter authors: run an exporter on a site folder or a hand-built IR, the way
``jekyll-migrate export`` runs it, and look at what it would write.

    from migrate.testing import run_exporter

    run = run_exporter(MyExporter, "samples/blog-classic")
    assert run.counts["exported"] == run.counts["read"]
    assert "posts/hello.html" in run.files

It drives the same core as the command (:func:`migrate.export.build_plan`): options validated up front,
``prepare``, ``skip_reason``, ``render_document``, ``export_document``, the redirect map, ``finish``; the
core records each document's outcome. Nothing is written to disk; ``run.write(folder)`` writes the plan
the way the command would. ``converter`` replaces the content pipeline when a test wants bodies of its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Mapping

from migrate.content import Converted, Targets
from migrate.errors import OptionError
from migrate.exporter import Exporter, Registry
from migrate.ir import Document, Site
from migrate.plan import DocumentOutcome, Plan, write_plan
from migrate.redirects import RedirectMap
from migrate.report import Report

Converter = Callable[[Document, Targets], Converted]
"""A test's stand-in for the content pipeline: the converted body of a document, given what pass one
decided (``targets.asset_url``, ``targets.document_urls``)."""


@dataclass
class ExportRun:
    """One export, held in memory."""

    exporter: Exporter
    """The exporter after the run, to look at what it decided."""
    plan: Plan
    report: Report

    @property
    def targets(self) -> Targets:
        """What the exporter's ``prepare()`` decided: every document's new URL, every asset's place."""
        return self.plan.targets

    @cached_property
    def files(self) -> dict[str, bytes]:
        """Every file the export would write (``migration.json`` included), by path in the output folder."""
        return {path: self.plan.files[path].read() for path in sorted(self.plan.files)}

    def text(self, path: str) -> str:
        return self.files[path].decode("utf-8")

    @property
    def outcomes(self) -> dict[str, DocumentOutcome]:
        """Each document's manifest line, by source path."""
        return {d.source: d for d in self.plan.documents}

    @property
    def counts(self) -> dict[str, int]:
        """``read``, ``exported``, ``skipped``, ``failed``, as ``migration.json`` has them."""
        return self.plan.counts()

    @property
    def redirect_map(self) -> RedirectMap:
        return self.plan.redirect_map or RedirectMap()

    def codes(self) -> list[str]:
        """The codes of the issues the export reported, in order."""
        return [issue.code for issue in self.report.issues]

    def write(self, folder: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write the plan into ``folder`` as the command would (atomically, nothing outside it)."""
        write_plan(self.plan, Path(folder), force=force)
        return Path(folder)


def run_exporter(
    exporter: type[Exporter] | str,
    site: Site | str | os.PathLike[str],
    options: Mapping[str, Any] | None = None,
    *,
    converter: Converter | None = None,
    jobs: int = 1,
) -> ExportRun:
    """Run ``exporter`` (a class, or the name it is registered under) on ``site`` (a Jekyll site folder,
    read the way the command reads it, or a :class:`~migrate.ir.Site`). ``options`` are the exporter's
    own, by key (``{"new_site_url": ...}``), as the command line would give them; a bad one raises
    :class:`~migrate.errors.OptionError` naming every problem."""
    from migrate.export import drive_export

    exporter_cls = Registry.load().get(exporter) if isinstance(exporter, str) else exporter
    values, problems = exporter_cls.validate_options(dict(options or {}))
    if problems:
        raise OptionError("; ".join(problems))
    report = Report()
    if not isinstance(site, Site):
        from migrate.reader import read_site

        site = read_site(Path(site))
        report.extend(site.issues)
    instance = exporter_cls(site, values, report, Plan(target=exporter_cls.name))
    return ExportRun(instance, drive_export(instance, converter=converter, jobs=jobs), report)
