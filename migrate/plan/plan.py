"""What an export would write: files with their contents (in memory, spooled or copied), each document's
outcome, and the manifest."""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Literal

from migrate.errors import UnsafePathError
from migrate.jsonstream import iter_json_bytes
from migrate.plan.spool import CHUNK, Span, Spool, SpoolWriter

MANIFEST_NAME = "migration.json"
TOOL_MARKER = "jekyll-migrate"

Status = Literal["exported", "skipped", "failed"]


def safe_relative_path(path: str) -> str:
    """Normalise ``path`` into a relative POSIX path inside the output folder, or raise.

    Refuses absolute paths (POSIX and Windows-style), drive letters, ``..`` segments that climb out,
    NUL bytes and empty results.
    """
    if "\x00" in path:
        raise UnsafePathError(f"path contains a NUL byte: {path!r}")
    candidate = path.replace("\\", "/")
    if candidate.startswith("/") or (len(candidate) > 1 and candidate[1] == ":"):
        raise UnsafePathError(f"absolute path not allowed in output: {path!r}")
    normal = posixpath.normpath(candidate)
    if normal in ("", ".") or normal == ".." or normal.startswith("../"):
        raise UnsafePathError(f"path leaves the output folder: {path!r}")
    return normal


INLINE_MAX = 512
"""Contents up to this many bytes stay in memory; longer ones go to the plan's spool."""

Itemizer = Callable[[bytes], "dict[str, str]"]
"""Splits a single-file format (WXR, Ghost JSON) into named items so a diff can speak per item."""


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One file of the output: bytes to write (small ones in memory, the others in the plan's spool) or a
    source file to copy."""

    path: str
    data: bytes | None = None
    """The contents, when they are kept in memory."""
    spooled: Span | None = None
    """Where the contents are in the plan's spool."""
    copy_from: str | None = None

    @property
    def content(self) -> bytes | None:
        """The bytes to write; None for a copy."""
        return self.spooled.read() if self.spooled is not None else self.data

    @property
    def size(self) -> int:
        """The file's length in bytes."""
        if self.spooled is not None:
            return self.spooled.length
        if self.data is not None:
            return len(self.data)
        assert self.copy_from is not None
        return os.path.getsize(self.copy_from)

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes piece by piece (a copy's too), never more than a megabyte at a time."""
        if self.spooled is not None:
            yield from self.spooled.chunks()
        elif self.data is not None:
            yield self.data
        else:
            assert self.copy_from is not None
            with open(self.copy_from, "rb") as fh:
                yield from iter(lambda: fh.read(CHUNK), b"")

    def digest(self) -> str:
        h = hashlib.sha256()
        for chunk in self.chunks():
            h.update(chunk)
        return h.hexdigest()

    def read(self) -> bytes:
        content = self.content
        if content is not None:
            return content
        assert self.copy_from is not None
        return Path(self.copy_from).read_bytes()


@dataclass(frozen=True, slots=True)
class DocumentOutcome:
    """The manifest line for one source document."""

    source: str
    kind: str
    old_url: str | None
    new_url: str | None
    status: Status
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class GeneratedOutcome:
    """The manifest line for one page a plugin generated on the old site (a page of a list, an archive,
    a feed, a sitemap): where its URL now leads."""

    url: str
    kind: str
    generator: str
    new_url: str | None
    how: Literal["native", "nearest", "none"]
    """``native``: the target's own page of the same list (its pagination, tag page, feed); ``nearest``:
    the target has none, so the nearest page that lists the same content; ``none``: no page at all."""


@dataclass
class Plan:
    """Everything an export would write. Exporters add to it; :func:`write_plan` writes it."""

    target: str
    options: dict[str, Any] = field(default_factory=dict)
    files: dict[str, PlannedFile] = field(default_factory=dict)
    documents: list[DocumentOutcome] = field(default_factory=list)
    generated: list[GeneratedOutcome] = field(default_factory=list)
    redirect_map: Any = None
    """The export's one redirect map (:class:`~migrate.redirects.RedirectMap`), built by the core once
    every document is exported."""
    targets: Any = None
    """What the exporter's ``prepare()`` decided (:class:`~migrate.content.Targets`)."""
    url_facts: Any = None
    """The exporter's :class:`~migrate.exporter.UrlFacts` the map was built with."""
    manifest_extra: dict[str, Any] = field(default_factory=dict)
    itemizers: dict[str, Itemizer] = field(default_factory=dict)
    bodies: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Source -> (raw body, converted body), kept only when a report page asks for them."""
    body_format: str = "html"
    """What the converted bodies are: ``html`` or ``markdown`` (the exporter's content format)."""
    jekyll_html: dict[str, tuple[bool, str]] = field(default_factory=dict)
    """Source -> (is a web page, the body as Jekyll rendered it with the old URLs): HTML for a page, the
    file's text for a file that is no page (a script, a feed). Kept with ``bodies`` for the report page."""
    """For single-file formats: path -> function splitting the file into named items (dry-run diffs)."""
    spool: Spool = field(default_factory=Spool, repr=False, compare=False)
    """Where the contents of all but the smallest files wait to be written; exporters may keep their own
    large pieces there too (``spool.put``)."""

    def add_bytes(self, path: str, content: bytes) -> str:
        rel = safe_relative_path(path)
        if len(content) <= INLINE_MAX:
            self.files[rel] = PlannedFile(rel, data=content)
        else:
            self.files[rel] = PlannedFile(rel, spooled=self.spool.put(content))
        return rel

    @contextlib.contextmanager
    def open_stream(self, path: str) -> Iterator[SpoolWriter]:
        """``with plan.open_stream(path) as out:`` a binary writer for one large file, written piece by
        piece rather than built in memory. The file joins the plan at the end of the block (not at all
        when the block raises); nothing else may be added to the plan meanwhile."""
        rel = safe_relative_path(path)
        writer = self.spool.open_stream()
        try:
            yield writer
        except BaseException:
            writer.abort()
            raise
        writer.close()
        self.files[rel] = PlannedFile(rel, spooled=writer.span)

    def add_text(self, path: str, text: str) -> str:
        return self.add_bytes(path, text.encode("utf-8"))

    def add_copy(self, path: str, source_file: str | os.PathLike[str]) -> str:
        rel = safe_relative_path(path)
        self.files[rel] = PlannedFile(rel, copy_from=os.fspath(source_file))
        return rel

    @property
    def redirects(self) -> list[tuple[str, str]]:
        """The redirect map's rules as ``(old, new)`` pairs, sorted by old URL."""
        return [(r.source, r.target) for r in self.redirect_map.rules] if self.redirect_map else []

    def record(self, outcome: DocumentOutcome) -> None:
        self.documents.append(outcome)

    def counts(self) -> dict[str, int]:
        out = {"read": len(self.documents), "exported": 0, "skipped": 0, "failed": 0}
        for d in self.documents:
            out[d.status] += 1
        return out

    def manifest(self) -> dict[str, Any]:
        """The content of ``migration.json``: deterministic (sorted, no clock)."""
        return {
            "tool": TOOL_MARKER,
            "target": self.target,
            "options": _sorted_jsonable(self.options),
            "counts": self.counts(),
            **_sorted_jsonable(self.manifest_extra),
            "files": sorted(p for p in self.files if p != MANIFEST_NAME),
            "documents": [
                {
                    "source": d.source,
                    "kind": d.kind,
                    "old_url": d.old_url,
                    "new_url": d.new_url,
                    "status": d.status,
                    **({"reason": d.reason} if d.reason else {}),
                }
                for d in sorted(self.documents, key=lambda d: d.source)
            ],
            "redirects": [list(r) for r in sorted(set(self.redirects))],
            **({"generated": [
                {"url": g.url, "kind": g.kind, "generator": g.generator, "new_url": g.new_url, "how": g.how}
                for g in sorted(self.generated, key=lambda g: g.url)
            ]} if self.generated else {}),
        }

    def finalise(self) -> None:
        """Add the manifest as a file of the plan (call once, after every other file)."""
        # The same text as json.dumps(..., indent=2), written as it is encoded: a list of every small
        # piece of a large site's manifest would take more memory than the manifest itself.
        with self.open_stream(MANIFEST_NAME) as out:
            for chunk in iter_json_bytes(self.manifest(), indent=2, ensure_ascii=False):
                out.write(chunk)
            out.write(b"\n")


def _sorted_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _sorted_jsonable(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [_sorted_jsonable(v) for v in value]
    return value
