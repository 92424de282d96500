"""Converts every document's body, in worker processes when asked, reusing cached results.

Output never depends on the number of workers: results come back in document order, and a cached
result is the exact ``Converted`` value a fresh conversion gives.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from migrate import __version__
from migrate.content import ContentFormat, Converted, Targets
from migrate.ir import Document, Issue, Site, jsonable
from migrate.report import Report

log = logging.getLogger(__name__)

Outcome = Converted | BaseException

_worker_pipeline: Any = None
_worker_documents: dict[str, Document] = {}
_worker_renderer: Any = None


class ConversionError(Exception):
    """A conversion that raised, as text (the same whether it ran in a worker or in this process)."""


@dataclass(frozen=True)
class Done:
    """One document after conversion and the exporter's per-document rendering."""

    result: Outcome
    """The converted body, or the exception that stopped its conversion."""
    rendered: Any = None
    """What the exporter's ``render_document`` returned (None when there is no renderer or it failed)."""
    render_issues: tuple[Issue, ...] = ()
    render_error: BaseException | None = None
    fresh: bool = True
    """False when ``result`` came from the cache."""


def _pipeline(site: Site, targets: Targets, limits: Any = None) -> Any:
    from migrate.content.pipeline import ContentPipeline

    return ContentPipeline(site, targets, limits=limits)


def _init_worker(site: Site, targets: Targets, limits: Any, renderer: Any) -> None:
    global _worker_pipeline, _worker_documents, _worker_renderer
    _worker_pipeline = _pipeline(site, targets, limits)
    _worker_documents = {d.source: d for d in site.documents}
    _worker_renderer = renderer


def _convert_in_worker(task: tuple[str, ContentFormat, Converted | None]) -> Done:
    source, fmt, cached = task
    return _process(_worker_pipeline, _worker_renderer, _worker_documents[source], fmt, cached)


def _process(pipeline: Any, renderer: Any, document: Document, fmt: ContentFormat, cached: Converted | None) -> Done:
    """Convert one document (unless cached) and let the exporter render it; never raises."""
    if cached is not None:
        result: Outcome = cached
    else:
        try:
            result = pipeline.convert(document, fmt)
        except Exception as exc:  # recorded by the caller as this document's failure
            result = ConversionError(f"{type(exc).__name__}: {exc}")
    if renderer is None or not isinstance(result, Converted):
        return Done(result, fresh=cached is None)
    # The renderer's issues travel back as data: in a worker its report is a copy nobody reads.
    shared_report = renderer.report
    renderer.report = Report(suppressed=shared_report.suppressed)
    try:
        rendered = renderer.render_document(document, result)
        return Done(result, rendered, tuple(renderer.report.issues), fresh=cached is None)
    except Exception as exc:  # the caller records it as the document's export failure
        log.debug("rendering %s failed", document.source, exc_info=True)
        return Done(result, None, tuple(renderer.report.issues), exc, fresh=cached is None)
    finally:
        renderer.report = shared_report


class ConversionCache:
    """Converted bodies on disk, keyed by everything a conversion depends on."""

    def __init__(self, directory: Path, site: Site, targets: Targets, context: Any) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        site_inputs = {
            "version": __version__,
            "config": site.config,
            "data": site.data,
            "includes": _folder_digest(Path(site.source_dir) / "_includes"),
            "documents": {d.source: (d.url, d.title, jsonable(d.date)) for d in site.documents},
            "static": [(s.source, s.url, s.origin_url) for s in site.static_files],
            "targets": dict(targets.document_urls),
            "site_url": targets.site_url,
            "base_path": targets.base_path,
            "asset_policy": getattr(targets.asset_url, "__qualname__", repr(targets.asset_url)),
            "context": context,
        }
        self._site_key = _digest(site_inputs)

    def key(self, document: Document, fmt: ContentFormat) -> str:
        return _digest({"site": self._site_key, "fmt": fmt, "doc": jsonable(document)})

    def get(self, key: str) -> Converted | None:
        path = self.directory / key[:2] / key
        try:
            with open(path, "rb") as fh:
                value = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return value if isinstance(value, Converted) else None

    def put(self, key: str, value: Converted) -> None:
        path = self.directory / key[:2] / key
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)


def _digest(value: Any) -> str:
    data = json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _folder_digest(folder: Path) -> str:
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            try:
                h.update(path.read_bytes())
            except OSError:
                h.update(b"<unreadable>")
    return h.hexdigest()


def convert_documents(
    site: Site,
    targets: Targets,
    documents: Sequence[Document],
    fmt: ContentFormat,
    *,
    jobs: int = 1,
    cache: ConversionCache | None = None,
    limits: Any = None,
    renderer: Any = None,
) -> Iterator[tuple[Document, Done]]:
    """Yield ``(document, Done)`` in the order of ``documents``.

    ``renderer`` (an exporter after ``prepare()``) renders each converted document in the same process
    that converted it; with worker processes it is forked into them, so its ``render_document`` must
    only read what ``prepare()`` decided.
    """
    keys: list[str | None] = [cache.key(d, fmt) for d in documents] if cache else [None] * len(documents)
    cached: list[Converted | None] = (
        [cache.get(k) for k in keys if k is not None] if cache else [None] * len(documents)
    )
    done_iter: Iterator[Done]
    if renderer is None:
        # Nothing to do for a cached document: only the others go to the workers.
        todo = [d for d, c in zip(documents, cached) if c is None]
        fresh = _process_all(site, targets, [(d, None) for d in todo], fmt, jobs, limits, None)
        done_iter = (Done(c, fresh=False) if c is not None else next(fresh) for c in cached)
    else:
        done_iter = _process_all(site, targets, list(zip(documents, cached)), fmt, jobs, limits, renderer)
    for document, key, done in zip(documents, keys, done_iter):
        if cache is not None and key is not None and done.fresh and isinstance(done.result, Converted):
            cache.put(key, done.result)
        yield document, done


def _process_all(
    site: Site,
    targets: Targets,
    tasks: Sequence[tuple[Document, Converted | None]],
    fmt: ContentFormat,
    jobs: int,
    limits: Any,
    renderer: Any,
) -> Iterator[Done]:
    if not tasks:
        return iter(())
    if jobs <= 1 or len(tasks) < 2 * jobs or _fork_context() is None:
        pipeline = _pipeline(site, targets, limits)
        return (_process(pipeline, renderer, d, fmt, c) for d, c in tasks)
    return _process_parallel(site, targets, tasks, fmt, jobs, limits, renderer)


def _fork_context() -> Any:
    """Workers are forked so they inherit the site and the prepared exporter without pickling them."""
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # a platform without fork converts in-process
        return None


def _process_parallel(
    site: Site,
    targets: Targets,
    tasks: Sequence[tuple[Document, Converted | None]],
    fmt: ContentFormat,
    jobs: int,
    limits: Any,
    renderer: Any,
) -> Iterator[Done]:
    chunk = max(1, min(64, len(tasks) // (jobs * 8) or 1))
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_fork_context(), initializer=_init_worker,
                                 initargs=(site, targets, limits, renderer)) as pool:
            for result in pool.map(_convert_in_worker, [(d.source, fmt, c) for d, c in tasks], chunksize=chunk):
                done += 1
                yield result
    except BrokenProcessPool:
        # A worker died (killed, out of memory): finish in this process rather than lose documents.
        log.warning("a conversion worker died; converting the remaining %d documents in-process",
                    len(tasks) - done)
        pipeline = _pipeline(site, targets, limits)
        for document, cached in tasks[done:]:
            yield _process(pipeline, renderer, document, fmt, cached)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
