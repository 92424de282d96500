"""Converts every document's body, in worker processes when asked, reusing cached results.

Output never depends on the number of workers: results come back in document order, and a cached
result is the exact ``Converted`` value a fresh conversion gives.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Iterator, Sequence

from migrate import __version__
from migrate.content import ContentFormat, Converted, Targets
from migrate.ir import Document, Site, jsonable

log = logging.getLogger(__name__)

Outcome = Converted | BaseException

_worker_pipeline: Any = None
_worker_documents: dict[str, Document] = {}


def _pipeline(site: Site, targets: Targets, limits: Any = None) -> Any:
    from migrate.content.pipeline import ContentPipeline

    return ContentPipeline(site, targets, limits=limits)


def _init_worker(site: Site, targets: Targets, limits: Any) -> None:
    global _worker_pipeline, _worker_documents
    _worker_pipeline = _pipeline(site, targets, limits)
    _worker_documents = {d.source: d for d in site.documents}


def _convert_in_worker(task: tuple[str, ContentFormat]) -> Outcome:
    source, fmt = task
    document = _worker_documents[source]
    try:
        return _worker_pipeline.convert(document, fmt)
    except Exception as exc:  # sent back to the parent, which records the failure
        return RuntimeError(f"{type(exc).__name__}: {exc}")


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
            "static": [(s.source, s.url) for s in site.static_files],
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
) -> Iterator[tuple[Document, Outcome]]:
    """Yield ``(document, Converted or the exception)`` in the order of ``documents``."""
    keys = [cache.key(d, fmt) for d in documents] if cache else [None] * len(documents)
    cached: list[Converted | None] = [cache.get(k) for k in keys] if cache else [None] * len(documents)
    todo = [d for d, c in zip(documents, cached) if c is None]
    fresh = _convert_fresh(site, targets, todo, fmt, jobs=jobs, limits=limits)
    for document, key, hit in zip(documents, keys, cached):
        if hit is not None:
            yield document, hit
            continue
        result = next(fresh)
        if cache is not None and key is not None and isinstance(result, Converted):
            cache.put(key, result)
        yield document, result


def _convert_fresh(
    site: Site, targets: Targets, documents: Sequence[Document], fmt: ContentFormat, *, jobs: int, limits: Any
) -> Iterator[Outcome]:
    if not documents:
        return iter(())
    if jobs <= 1 or len(documents) < 2 * jobs:
        pipeline = _pipeline(site, targets, limits)
        return (_safe_convert(pipeline, d, fmt) for d in documents)
    return _convert_parallel(site, targets, documents, fmt, jobs, limits)


def _safe_convert(pipeline: Any, document: Document, fmt: ContentFormat) -> Outcome:
    try:
        return pipeline.convert(document, fmt)
    except Exception as exc:  # recorded by the caller as this document's failure
        return exc


def _convert_parallel(
    site: Site, targets: Targets, documents: Sequence[Document], fmt: ContentFormat, jobs: int, limits: Any
) -> Iterator[Outcome]:
    chunk = max(1, min(64, len(documents) // (jobs * 8) or 1))
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(site, targets, limits)) as pool:
            for result in pool.map(_convert_in_worker, [(d.source, fmt) for d in documents], chunksize=chunk):
                done += 1
                yield result
    except BrokenProcessPool:
        # A worker died (killed, out of memory): finish in this process rather than lose documents.
        log.warning("a conversion worker died; converting the remaining %d documents in-process",
                    len(documents) - done)
        pipeline = _pipeline(site, targets, limits)
        for document in documents[done:]:
            yield _safe_convert(pipeline, document, fmt)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
