"""Drives one export: exporter pass one (where things land), content conversion, exporter pass two, plan."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from migrate.convert import ConversionCache, ConversionError, convert_documents
from migrate.exporter import Exporter
from migrate.ir import Document, Site
from migrate.plan import DocumentOutcome, Plan
from migrate.report import Report

log = logging.getLogger(__name__)

Progress = Callable[[Iterable[Any]], Iterable[Any]]


def _no_progress(items: Iterable[Any]) -> Iterable[Any]:
    return items


def build_plan(
    site: Site,
    exporter_cls: type[Exporter],
    options: Mapping[str, Any],
    report: Report,
    *,
    progress: Progress = _no_progress,
    keep_bodies: bool = False,
    jobs: int = 1,
    cache_dir: Path | None = None,
    limits: Any = None,
    max_document_bytes: int | None = None,
) -> Plan:
    """Run ``exporter_cls`` over ``site`` and return the plan of everything it would write.

    A failure while converting or exporting one document becomes an error in ``report`` and a
    ``failed`` line in the manifest; the other documents go on.
    """
    plan = Plan(target=exporter_cls.name, options=dict(options))
    exporter = exporter_cls(site, options, report, plan)
    targets = exporter.prepare()
    documents = []
    for document in exporter.documents():
        size = len(document.body.encode("utf-8", "surrogatepass"))
        if max_document_bytes is not None and size > max_document_bytes:
            _fail(plan, report, document, f"document is {size / 1e6:.1f} MB, over the limit of "
                  f"{max_document_bytes / 1e6:.1f} MB (raise it with --max-document-size)")
        else:
            documents.append(document)
    cache = None
    if cache_dir is not None:
        cache = ConversionCache(cache_dir, site, targets, {"exporter": exporter_cls.name, "options": options,
                                                           "limits": repr(limits)})
    results = convert_documents(site, targets, documents, exporter.content_format, jobs=jobs, cache=cache,
                                limits=limits, renderer=exporter)
    for document, done in progress(results):
        result = done.result
        if isinstance(result, BaseException):
            _fail(plan, report, document, f"converting failed: {_describe(result)}")
            continue
        report.extend(result.issues)
        report.extend(done.render_issues)
        if keep_bodies:
            plan.bodies[document.source] = (document.body, result.body)
        if done.render_error is not None:
            _fail(plan, report, document, f"exporting failed: {_describe(done.render_error)}")
            continue
        try:
            if done.rendered is None:  # an exporter without render_document takes two arguments
                exporter.export_document(document, result)
            else:
                exporter.export_document(document, result, done.rendered)
        except Exception as exc:  # one broken document must not stop the others
            log.debug("document %s failed", document.source, exc_info=True)
            _fail(plan, report, document, f"exporting failed: {_describe(exc)}")
    for unreadable in site.other_files:
        if unreadable.reason == "error":
            plan.record(DocumentOutcome(source=unreadable.source, kind="unreadable", old_url=None, new_url=None,
                                        status="failed", reason="could not be read (see the report)"))
    exporter.finish()
    _forget_unserved_urls(plan, site)
    plan.feed_url = exporter.feed_url()
    plan.serves_index_files = exporter.serves_index_files
    plan.finalise()
    return plan


def _forget_unserved_urls(plan: Plan, site: Site) -> None:
    """The manifest's old URL is one Jekyll served: none for documents it did not build (drafts, future,
    unpublished), whose computed URL may even depend on the file's modification time."""
    unbuilt = {d.source for d in site.documents if not d.built_by_jekyll}
    plan.documents = [replace(d, old_url=None) if d.source in unbuilt else d for d in plan.documents]


def _describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, ConversionError) else f"{type(exc).__name__}: {exc}"


def _fail(plan: Plan, report: Report, document: Document, message: str) -> None:
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
