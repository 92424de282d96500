"""Reads the pages and documents a walk found, in worker processes when a site has many; the result, and
the order of the problems, is the same either way."""

from __future__ import annotations

import gc
import logging
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from migrate.ir import Issue
from migrate.reader.accounting import place_issues
from migrate.reader.documents import Entry, Pending, build_entry
from migrate.reader.permalinks import entry_url
from migrate.reader.settings import Settings
from migrate.workers import fork_context

log = logging.getLogger(__name__)

PARALLEL_MIN_DOCUMENTS = 1000
"""Below this many documents and pages they are read in-process: starting a worker would cost more."""

Built = list[tuple[Entry, list[Issue]]]
"""Entries read, each with its own problems."""


def read_pending(settings: Settings, pending: list[Pending], jobs: int, issues: list[Issue]) -> list[Entry]:
    """Reads the documents and pages the walk found (``jobs`` processes, this one included, once there are
    ``PARALLEL_MIN_DOCUMENTS``), then puts each one's problems where it was found."""
    if jobs > 1 and len(pending) >= PARALLEL_MIN_DOCUMENTS and fork_context() is not None:
        built = _build_parallel(settings, pending, jobs)
    else:
        built = build_chunk(settings, pending)
    place_issues(issues, ((item.issue_at, found) for item, (_, found) in zip(pending, built)))
    return [entry for entry, _ in built]


def build_chunk(settings: Settings, pending: list[Pending]) -> Built:
    """Each entry read, then its URL worked out."""
    result = []
    for item in pending:
        issues: list[Issue] = []
        result.append((build_entry(settings, item, issues), issues))
    for entry, _ in result:  # a second pass: quicker than interleaving the two kinds of work
        entry_url(settings, entry)
    return result


def _build_parallel(settings: Settings, pending: list[Pending], jobs: int) -> Built:
    """Workers take chunks from the front while this process takes them from the back, so they meet
    wherever the machine's load puts them. A chunk a worker fails on is read again here."""
    # small enough that this process seldom waits on the chunks a worker holds when they meet
    size = max(16, min(128, len(pending) // (jobs * 16)))
    chunks = [pending[i : i + size] for i in range(0, len(pending), size)]
    context = fork_context()
    claims = _Claims(context.Lock(), context.RawArray("b", len(chunks)))
    # objects made before the fork stay out of the workers' garbage collector, which would copy their pages
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context,
                                   initializer=_init_worker, initargs=(settings, chunks, claims))
        try:
            futures = [pool.submit(_build_in_worker, 0)]  # starts the workers
        except OSError:  # no worker can be started here (a process limit): read everything in this process
            log.debug("no reader worker could be started", exc_info=True)
            pool.shutdown()
            return build_chunk(settings, pending)
        with pool:
            futures += [pool.submit(_build_in_worker, i) for i in range(1, len(chunks))]
            return _meet(settings, chunks, claims, futures)
    finally:
        gc.unfreeze()


def _meet(settings: Settings, chunks: list[list[Pending]], claims: _Claims, futures: list[Future[Any]]) -> Built:
    """Takes chunks from the back until it meets the workers, then collects theirs in order."""
    done: dict[int, Built | None] = {}
    result: Built = []
    for i in range(len(chunks) - 1, -1, -1):
        if not claims.take(i):
            break
        done[i] = build_chunk(settings, chunks[i])
    for i, future in enumerate(futures):
        if i not in done:
            try:
                done[i] = future.result()
            except Exception:  # a dead worker or an unpicklable value: read the chunk here
                log.debug("reading chunk %d again in-process", i, exc_info=True)
                done[i] = None
        part = done.pop(i)
        result.extend(part if part is not None else build_chunk(settings, chunks[i]))
    return result


@dataclass
class _Claims:
    """Which chunks a process has taken, shared by the reader and its workers."""

    lock: Any
    taken: Any

    def take(self, index: int) -> bool:
        with self.lock:
            if self.taken[index]:
                return False
            self.taken[index] = 1
            return True


_worker_settings: Settings | None = None
_worker_chunks: list[list[Pending]] = []
_worker_claims: _Claims | None = None


def _init_worker(settings: Settings, chunks: list[list[Pending]], claims: _Claims) -> None:
    global _worker_settings, _worker_chunks, _worker_claims
    _worker_settings, _worker_chunks, _worker_claims = settings, chunks, claims


def _build_in_worker(index: int) -> Built | None:
    """The chunk's entries, or None when the reader took the chunk itself."""
    assert _worker_settings is not None and _worker_claims is not None
    if not _worker_claims.take(index):
        return None
    return build_chunk(_worker_settings, _worker_chunks[index])
