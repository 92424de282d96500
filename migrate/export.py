"""Drives one export: exporter pass one (where things land), content conversion, exporter pass two, plan."""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from migrate.convert import ConversionCache, ConversionError, Done, convert_documents
from migrate.content import Converted, Targets
from migrate.content.comments import disqus_url_map
from migrate.exporter import Exporter, Outcome, UrlFacts
from migrate.ir import Document, GeneratedPage, Site
from migrate.plan import DocumentOutcome, GeneratedOutcome, Plan
from migrate.redirects import RedirectMap, build_redirect_map
from migrate.redirects.core import is_absolute
from migrate.report import Report

log = logging.getLogger(__name__)

Progress = Callable[[Iterable[Any]], Iterable[Any]]


def _no_progress(items: Iterable[Any]) -> Iterable[Any]:
    return items


def build_plan(site: Site, exporter_cls: type[Exporter], options: Mapping[str, Any], report: Report,
               **driving: Any) -> Plan:
    """Run ``exporter_cls`` over ``site`` and return the plan of everything it would write (``driving``:
    the keyword arguments of :func:`drive_export`)."""
    return drive_export(exporter_cls(site, options, report, Plan(target=exporter_cls.name)), **driving)


def drive_export(
    exporter: Exporter,
    *,
    progress: Progress = _no_progress,
    keep_bodies: bool = False,
    jobs: int = 1,
    cache_dir: Path | None = None,
    limits: Any = None,
    max_document_bytes: int | None = None,
    converter: Callable[[Document, Targets], Converted] | None = None,
    rendering: Any = None,
) -> Plan:
    """Drive an exporter made on its site, report and empty plan through the contract, and return the plan.

    A failure while converting or exporting one document becomes an error in the report and a
    ``failed`` line in the manifest; the other documents go on. ``converter`` stands in for the content
    pipeline (tests of an exporter that give each document a body of their own). ``rendering``: bodies the
    site's own Jekyll made (``--renderer jekyll``), used in place of the built-in Liquid and Markdown.
    """
    site, report, plan, exporter_cls = exporter.site, exporter.report, exporter.plan, type(exporter)
    plan.options = dataclasses.asdict(exporter.opts)
    targets = plan.targets = exporter.prepare()
    documents = []
    for document in exporter.documents():
        reason = exporter.skip_reason(document)
        if reason is not None:
            _record(plan, document, Outcome.skipped(reason))
            continue
        size = len(document.body.encode("utf-8", "surrogatepass"))
        if max_document_bytes is not None and size > max_document_bytes:
            _fail(plan, report, document, f"document is {size / 1e6:.1f} MB, over the limit of "
                  f"{max_document_bytes / 1e6:.1f} MB (raise it with --max-document-size)")
        else:
            documents.append(document)
    cache = None
    if cache_dir is not None:
        cache = ConversionCache(cache_dir, site, targets, {"exporter": exporter_cls.name, "options": plan.options,
                                                           "limits": repr(limits),
                                                           "renderer": rendering.digest() if rendering else "builtin"})
    results = convert_documents(site, targets, documents, exporter.content_format, jobs=jobs, cache=cache,
                                limits=limits, renderer=exporter, converter=converter, rendering=rendering)
    for document, done in progress(results):
        _export_one(exporter, document, done, keep_bodies)
    if keep_bodies:  # the report page shows each body as Jekyll rendered it beside the target's
        from migrate.report_bodies import jekyll_renderings

        plan.body_format = exporter.content_format
        plan.jekyll_html = jekyll_renderings(site, list(plan.bodies), limits=limits, jobs=jobs)
    for unreadable in site.other_files:
        if unreadable.reason == "error":
            plan.record(DocumentOutcome(source=unreadable.source, kind="unreadable", old_url=None, new_url=None,
                                        status="failed", reason="could not be read (see the report)"))
    plan.url_facts = exporter.url_facts()
    plan.generated = place_generated(exporter, plan.documents, plan.url_facts)
    plan.redirect_map = export_redirect_map(site, plan.documents, plan.url_facts, plan.generated)
    report.extend(plan.redirect_map.issues)
    exporter.write_redirects(plan.redirect_map)
    _account_comments(site, plan, report)
    exporter.finish()
    plan.finalise()
    return plan


def _account_comments(site: Site, plan: Plan, report: Report) -> None:
    """The comments of each exported document, counted in the manifest and the report, and Disqus's URL
    mapper CSV from the export's redirect map (for a site that keeps its comments in Disqus)."""
    exported = {d.source for d in plan.documents if d.status == "exported"}
    commented = [d for d in site.documents if d.comments]
    if not commented:
        return
    counts = {}
    for doc in sorted(commented, key=lambda d: d.source):
        if doc.source not in exported:
            report.emit("comments-not-exported", "warning", f"{len(doc.comments)} comments not migrated: their "
                        "document was not exported", source=doc.source)
            continue
        counts[doc.source] = len(doc.comments)
        report.emit("comments", "info", f"{len(doc.comments)} comments migrated", source=doc.source)
    plan.manifest_extra["comments"] = counts
    old_site = site.url.rstrip("/")
    if not old_site:
        report.emit("disqus-map-no-url", "info", "the site has no url: no Disqus URL map was written "
                    "(Disqus's URL mapper takes absolute URLs)")
        return
    new_site = (plan.url_facts.new_site_url if plan.url_facts else None) or old_site
    rows = disqus_url_map(((r.source, r.target, r.origin) for r in plan.redirect_map), set(counts),
                          old_site=old_site, new_site=new_site)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    plan.add_text("disqus-url-map.csv", buffer.getvalue())


def _export_one(exporter: Exporter, document: Document, done: Done, keep_bodies: bool) -> None:
    """Pass two for one converted (and rendered) document: the exporter adds its files, the core records
    what it returns; a failure anywhere is this document's alone."""
    plan, report, result = exporter.plan, exporter.report, done.result
    if isinstance(result, BaseException):
        _fail(plan, report, document, f"converting failed: {_describe(result)}")
        return
    report.extend(result.issues)
    report.extend(done.render_issues)
    if keep_bodies:
        plan.bodies[document.source] = (document.body, result.body)
    if done.render_error is not None:
        _fail(plan, report, document, f"exporting failed: {_describe(done.render_error)}")
        return
    try:
        outcome = exporter.export_document(document, done.rendered, result)
    except Exception as exc:  # one broken document must not stop the others
        log.debug("document %s failed", document.source, exc_info=True)
        _fail(plan, report, document, f"exporting failed: {_describe(exc)}")
        return
    if not isinstance(outcome, Outcome):
        _fail(plan, report, document, f"exporting failed: the {exporter.name} exporter's export_document "
              f"returned {type(outcome).__name__}, not an Outcome")
        return
    _record(plan, document, outcome)


def place_generated(exporter: Exporter, outcomes: Iterable[DocumentOutcome],
                    facts: UrlFacts) -> list[GeneratedOutcome]:
    """Where each page a plugin generated on the old site leads now: the target's own page of the same list
    where it has one, else the nearest page that lists the same content. A generated URL a document
    serves itself (page 1 of a list is its template's own URL or file) is the document's."""
    site = exporter.site
    served = {d.url for d in site.documents if d.served_by_jekyll}
    served |= {d.output_path for d in site.documents if d.served_by_jekyll and d.output_path}
    new_by_source = {o.source: o.new_url for o in outcomes if o.status == "exported" and o.new_url}
    placed = []
    for page in site.generated:
        if page.url in served or page.output_path in served:
            continue
        native = exporter.generated_url(page)
        if native is not None:
            placed.append(GeneratedOutcome(page.url, page.kind, page.generator, native, "native"))
            continue
        nearest = _nearest_list(page, new_by_source, facts)
        placed.append(GeneratedOutcome(page.url, page.kind, page.generator, nearest,
                                       "nearest" if nearest else "none"))
    return placed


def _nearest_list(page: GeneratedPage, new_by_source: Mapping[str, str], facts: UrlFacts) -> str | None:
    """The nearest page of the new site that lists what ``page`` listed: the target's feed for a feed, its
    sitemap for a sitemap, the new page of the list's first page for a later page of it, else the home
    page (which lists the posts; also for a file a plugin wrote that the target has no use for)."""
    if page.kind == "feed":
        return facts.feed_url
    if page.kind == "sitemap":
        return facts.sitemap_url
    if page.template and page.template in new_by_source:
        return new_by_source[page.template]
    return "/"


def export_redirect_map(site: Site, outcomes: Iterable[DocumentOutcome], facts: UrlFacts,
                        generated: Iterable[GeneratedOutcome] = ()) -> RedirectMap:
    """The one redirect map of an export: every URL the old site answered, to where its document went
    (``outcomes``) or its generated page leads (``generated``), on a platform that answers URLs as
    ``facts`` says."""
    base = facts.base_path.rstrip("/")
    new_urls = {o.source: _below(o.new_url, base) for o in outcomes if o.status == "exported" and o.new_url}
    extra = [(g.url, _below(g.new_url, base)) for g in generated if g.new_url]
    # A language plugin's copy of a document, for a language without its own version, was the document.
    extra += [(url, new_urls[d.source]) for d in site.documents if d.served_by_jekyll and d.source in new_urls
              for _, url in d.language_copies]
    # The reader's feeds, when it modelled them, replace the feed paths guessed from the configuration.
    feed_url = None if any(p.kind == "feed" for p in site.generated) else facts.feed_url
    return build_redirect_map(site, new_urls, feed_url=feed_url, base_path=base, extra=extra,
                              new_site_url=facts.new_site_url, index_files=facts.index_files,
                              platform_urls=facts.platform_urls)


def _below(url: str, base: str) -> str:
    """A new URL as the map takes it: relative to ``base`` when it is a path under it."""
    if base and (url == base or url.startswith(base + "/")) and not is_absolute(url):
        return url[len(base):] or "/"
    return url


def _record(plan: Plan, document: Document, outcome: Outcome) -> None:
    plan.record(DocumentOutcome(source=document.source, kind=document.kind, old_url=document.old_url,
                                new_url=outcome.new_url, status=outcome.status, reason=outcome.reason))


def _describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, ConversionError) else f"{type(exc).__name__}: {exc}"


def _fail(plan: Plan, report: Report, document: Document, message: str) -> None:
    report.emit("document-failed", "error", message, source=document.source)
    plan.record(DocumentOutcome(source=document.source, kind=document.kind, old_url=document.old_url,
                                new_url=None, status="failed", reason=message))
