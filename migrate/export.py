"""Drives one export: exporter pass one (where things land), content conversion, exporter pass two, plan."""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterable, Mapping

from migrate.content import Converted
from migrate.ir import Document, Site
from migrate.plan import DocumentOutcome, Plan
from migrate.report import Report

from exporters.base import Exporter

log = logging.getLogger(__name__)

Progress = Callable[[Iterable[Document]], Iterable[Document]]


def _no_progress(items: Iterable[Document]) -> Iterable[Document]:
    return items


def build_plan(
    site: Site,
    exporter_cls: type[Exporter],
    options: Mapping[str, Any],
    report: Report,
    *,
    progress: Progress = _no_progress,
    keep_bodies: bool = False,
) -> Plan:
    """Run ``exporter_cls`` over ``site`` and return the plan of everything it would write.

    A failure while converting or exporting one document becomes an error in ``report`` and a
    ``failed`` line in the manifest; the other documents go on.
    """
    from migrate.content.pipeline import ContentPipeline

    plan = Plan(target=exporter_cls.name, options=dict(options))
    exporter = exporter_cls(site, options, report, plan)
    targets = exporter.prepare()
    pipeline = ContentPipeline(site, targets)
    for document in progress(list(exporter.documents())):
        converted: Converted | None = None
        try:
            converted = pipeline.convert(document, exporter.content_format)
            report.extend(converted.issues)
            if keep_bodies:
                plan.bodies[document.source] = (document.body, converted.body)
            exporter.export_document(document, converted)
        except Exception as exc:  # one broken document must not stop the others
            log.debug("document %s failed", document.source, exc_info=True)
            stage = "converting" if converted is None else "exporting"
            message = f"{stage} failed: {type(exc).__name__}: {exc}"
            report.emit("document-failed", "error", message, source=document.source)
            plan.record(
                DocumentOutcome(
                    source=document.source,
                    kind=document.kind,
                    old_url=document.url,
                    new_url=None,
                    status="failed",
                    reason=message,
                )
            )
    exporter.finish()
    plan.finalise()
    return plan
