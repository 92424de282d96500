"""Converts every document's body, and lets the exporter render it, in worker processes when asked,
reusing cached conversions.

Output never depends on the number of workers: results come back in document order, issues raised while
rendering travel back as data, and a cached result is the exact ``Converted`` value a fresh conversion
gives. Workers are forked after the exporter's ``prepare()``, so they inherit the site and the exporter's
decisions without pickling either.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import os
import pickle
import re
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from migrate.fingerprint import tool_fingerprint
from migrate.content import ContentFormat, Converted, Targets
from migrate.ir import Document, Issue, Site, jsonable
from migrate.report import Report
from migrate.uptodate import folder_digest
from migrate.workers import fork_context

log = logging.getLogger(__name__)

Outcome = Converted | BaseException

_worker_run: Any = None
_worker_pipeline: Any = None
_worker_documents: dict[str, Document] = {}

Task = tuple[Document, "str | None"]
"""A document, and its cache key when the cache holds its conversion."""


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


@dataclass(frozen=True)
class _Run:
    """What every document of one conversion shares."""

    site: Site
    targets: Targets
    fmt: ContentFormat
    limits: Any
    renderer: Any
    cache: ConversionCache | None
    converter: Any = None
    """Stands in for the content pipeline when set (a test's own bodies): (document, targets) -> Converted."""
    rendering: Any = None
    """Bodies the site's own Jekyll rendered (``migrate.renderers.Rendering``), or None (built-in only)."""


def _extensions_fingerprint() -> list[str]:
    """The Python extensions every renderer of this run registers (their code decides the bodies)."""
    from migrate.content.extensions import fingerprint

    return fingerprint()


def _pipeline(site: Site, targets: Targets, limits: Any = None, rendering: Any = None) -> Any:
    from migrate.content.pipeline import ContentPipeline

    return ContentPipeline(site, targets, limits=limits, rendering=rendering)


def _init_worker(run: _Run) -> None:
    global _worker_run, _worker_pipeline, _worker_documents
    _worker_run = run
    _worker_pipeline = _pipeline(run.site, run.targets, run.limits, run.rendering)
    _worker_documents = {d.source: d for d in run.site.documents}


def _convert_in_worker(task: tuple[str, str | None]) -> Done:
    source, hit = task
    return _process(_worker_run, _worker_pipeline, _worker_documents[source], hit)


def _process(run: _Run, pipeline: Any, document: Document, hit: str | None) -> Done:
    """Convert one document (or take it from the cache under the key ``hit``) and let the exporter render
    it; never raises."""
    renderer, cache = run.renderer, run.cache
    cached = cache.get(hit) if cache is not None and hit is not None else None
    if cached is not None:
        result: Outcome = cached
    else:
        try:
            if run.converter is not None:
                result = run.converter(document, run.targets)
            else:
                result = pipeline.convert(document, run.fmt,
                                          with_excerpt=renderer is None or renderer.uses_excerpt(document))
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
    """Converted bodies in one SQLite file, keyed by everything a conversion depends on.

    One file rather than one per document: on a slow file system, opening and creating 10,000 small files
    cost more than the conversions they saved. SQLite (Python's own ``sqlite3``) gives lookups by key,
    atomic batched writes and safe concurrent readers. Each process opens its own connection (none crosses
    a fork); worker processes only read, this process writes in batches.
    """

    FILE_NAME = "conversions.sqlite3"
    BATCH = 256

    def __init__(self, directory: Path, site: Site, targets: Targets, context: Any) -> None:
        self.directory = directory
        self.path = directory / self.FILE_NAME
        site_inputs = {
            "version": tool_fingerprint(),
            "config": site.config,
            "plugins": list(site.plugins),
            "extensions": _extensions_fingerprint(),
            "data": site.data,
            "includes": folder_digest(Path(site.source_dir) / "_includes"),
            "documents": {d.source: (d.url, d.title, jsonable(d.date)) for d in site.documents},
            "static": [(s.source, s.url, s.origin_url) for s in site.static_files],
            "targets": dict(targets.document_urls),
            "site_url": targets.site_url,
            "base_path": targets.base_path,
            "asset_policy": getattr(targets.asset_url, "__qualname__", repr(targets.asset_url)),
            "context": context,
        }
        self._site_key = _digest(site_inputs)
        self._documents = site.documents
        self._reads_others = _other_documents_pattern(site)
        self._all_documents_key: str | None = None
        self._reader: sqlite3.Connection | None = None
        self._reader_pid = -1
        self._pending: list[tuple[str, bytes]] = []
        self.usable = self._make_folder() and (self._open() or (self._discard() and self._open()))

    def _make_folder(self) -> bool:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            return True
        except OSError as exc:
            log.warning("conversion cache folder %s cannot be made (%s); converting without a cache", self.directory,
                        exc)
            return False

    def _open(self) -> bool:
        try:
            with self._connect() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS conversions (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
            return True
        except sqlite3.Error as exc:
            log.warning("conversion cache %s unusable (%s)", self.path, exc)
            return False

    def _discard(self) -> bool:
        """Remove a damaged cache file (it only ever held what can be converted again)."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()
        return True

    def _connect(self) -> contextlib.closing[sqlite3.Connection]:
        return contextlib.closing(sqlite3.connect(self.path, timeout=60))

    def key(self, document: Document, fmt: ContentFormat) -> str:
        parts: dict[str, Any] = {"site": self._site_key, "fmt": fmt, "doc": jsonable(document)}
        liquid = document.body + (document.excerpt or "")
        if "{" in liquid and self._reads_others.search(liquid):
            parts["documents"] = self._documents_key()
        return _digest(parts)

    def _documents_key(self) -> str:
        """A digest of every document's body and front matter, for conversions that may read them."""
        if self._all_documents_key is None:
            h = hashlib.sha256()
            for doc in sorted(self._documents, key=lambda d: d.source):
                h.update(_digest([doc.source, doc.body, doc.excerpt, doc.front_matter]).encode())
            self._all_documents_key = h.hexdigest()
        return self._all_documents_key

    def known(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` the cache holds."""
        found: set[str] = set()
        if not self.usable:
            return found
        try:
            with self._connect() as db:
                for start in range(0, len(keys), 500):
                    part = keys[start : start + 500]
                    marks = ",".join("?" * len(part))
                    found.update(k for (k,) in db.execute(f"SELECT key FROM conversions WHERE key IN ({marks})", part))
        except sqlite3.Error as exc:
            log.warning("conversion cache %s unreadable (%s); converting afresh", self.path, exc)
            return set()
        return found

    def get(self, key: str) -> Converted | None:
        if self._reader is None or self._reader_pid != os.getpid():
            self._reader, self._reader_pid = sqlite3.connect(self.path, timeout=60), os.getpid()
        try:
            row = self._reader.execute("SELECT value FROM conversions WHERE key = ?", (key,)).fetchone()
            value = pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None
        return value if isinstance(value, Converted) else None

    def put(self, key: str, value: Converted) -> None:
        if not self.usable:
            return
        self._pending.append((key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
        if len(self._pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Write what ``put`` collected, in one transaction."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        try:
            with self._connect() as db, db:
                db.executemany("INSERT OR REPLACE INTO conversions (key, value) VALUES (?, ?)", pending)
        except sqlite3.Error as exc:  # a cache that cannot be written only costs time next run
            log.warning("conversion cache %s not written (%s)", self.path, exc)



def _other_documents_pattern(site: Site) -> re.Pattern[str]:
    """Liquid that may read other documents' content or front matter: ``site.posts`` and the other lists
    of documents (collections by their label), ``site[...]``, ``page.next``/``previous``, ``paginator``,
    and an include when some include file itself does one of those. ``post_url`` and ``link`` read only
    URLs, and ``site.title`` and other config reads only config: the site key covers both."""
    lists = {"posts", "pages", "documents", "collections", "html_pages", "html_files", "static_files",
             "categories", "tags", "related_posts", *(c.label for c in site.collections)}
    names = "|".join(sorted(re.escape(n) for n in lists))
    reads = rf"\bsite\s*(?:\.\s*(?:{names})\b|\[)|\bpage\s*\.\s*(?:next|previous)\b|\bpaginator\b"
    includes = Path(site.source_dir) / "_includes"
    pattern = re.compile(reads)
    if includes.is_dir() and any(pattern.search(_text_of(f)) for f in includes.rglob("*") if f.is_file()):
        return re.compile(reads + r"|\{%-?\s*include(?:_relative|_cached)?\b")
    return re.compile(reads + r"|\{%-?\s*include_relative\b")


def _text_of(path: Path) -> str:
    try:
        return path.read_text("utf-8", "replace")
    except OSError:
        return "site.posts"  # unreadable: assume the worst


def _digest(value: Any) -> str:
    data = json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


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
    converter: Any = None,
    rendering: Any = None,
) -> Iterator[tuple[Document, Done]]:
    """Yield ``(document, Done)`` in the order of ``documents``.

    ``renderer`` (an exporter after ``prepare()``) renders each converted document in the same process
    that converted it; with worker processes it is forked into them, so its ``render_document`` must
    only read what ``prepare()`` decided.
    """
    keys: list[str | None] = [cache.key(d, fmt) for d in documents] if cache else [None] * len(documents)
    hits = cache.known([k for k in keys if k is not None]) if cache else set()
    tasks = [(d, k if k in hits else None) for d, k in zip(documents, keys)]
    run = _Run(site, targets, fmt, limits, renderer, cache, converter, rendering)
    try:
        for (document, hit), key, done in zip(tasks, keys, _process_all(run, tasks, 1 if converter else jobs)):
            if cache is not None and key is not None and done.fresh and isinstance(done.result, Converted):
                cache.put(key, done.result)
            yield document, done
    finally:
        if cache is not None:
            cache.flush()


def _process_all(run: _Run, tasks: Sequence[Task], jobs: int) -> Iterator[Done]:
    if not tasks:
        return iter(())
    fresh = sum(1 for _, hit in tasks if hit is None)
    if jobs <= 1 or (fresh < 2 * jobs and run.renderer is None) or len(tasks) < 2 * jobs or fork_context() is None:
        pipeline = _pipeline(run.site, run.targets, run.limits, run.rendering)
        return (_process(run, pipeline, d, hit) for d, hit in tasks)
    return _process_parallel(run, tasks, jobs)


def _process_parallel(run: _Run, tasks: Sequence[Task], jobs: int) -> Iterator[Done]:
    chunk = max(1, min(64, len(tasks) // (jobs * 8) or 1))
    done = 0
    # Objects that exist before the fork stay out of the workers' garbage collector, which would otherwise
    # touch, and so copy, every page of the inherited site.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=fork_context(), initializer=_init_worker,
                                 initargs=(run,)) as pool:
            tasks_by_name = [(d.source, hit) for d, hit in tasks]
            for result in pool.map(_convert_in_worker, tasks_by_name, chunksize=chunk):
                done += 1
                yield result
    except BrokenProcessPool:
        # A worker died (killed, out of memory): finish in this process rather than lose documents.
        log.warning("a conversion worker died; converting the remaining %d documents in-process",
                    len(tasks) - done)
        pipeline = _pipeline(run.site, run.targets, run.limits, run.rendering)
        for document, hit in tasks[done:]:
            yield _process(run, pipeline, document, hit)
    finally:
        gc.unfreeze()
