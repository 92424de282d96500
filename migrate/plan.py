"""What an export would write: files with their contents, the manifest, and the one writer that turns a
plan into files safely (temporary folder, atomic swap, nothing outside the output folder)."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import posixpath
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Callable, Iterator, Literal

from migrate.errors import MigrateError, UnsafePathError
from migrate.jsonstream import iter_json_bytes

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
_CHUNK = 1 << 20


class Spool:
    """Bytes kept in one anonymous temporary file rather than on the heap, so that a large site's output
    is never held whole in memory. The file has no name on disk (``tempfile.TemporaryFile``) and goes away
    with the spool; pieces are appended, and read back by offset and length."""

    def __init__(self) -> None:
        self._file: BinaryIO | None = None
        self._end = 0
        self._writing = False

    def put(self, data: bytes) -> Span:
        """Append ``data``; where it went."""
        if self._writing:
            raise RuntimeError("a stream is open in the spool: close it before adding anything else")
        span = Span(self, self._end, len(data))
        self._write_at(self._end, data)
        self._end += len(data)
        return span

    def open_stream(self) -> SpoolWriter:
        """A writer appending one piece of unknown length."""
        if self._writing:
            raise RuntimeError("a stream is already open in the spool")
        self._writing = True
        return SpoolWriter(self, self._end)

    def read(self, offset: int, length: int) -> bytes:
        if not length:
            return b""
        assert self._file is not None
        self._file.seek(offset)
        data = self._file.read(length)
        if len(data) != length:
            raise OSError(f"spool truncated: {len(data)} of {length} bytes at {offset}")
        return data

    def _write_at(self, offset: int, data: bytes | bytearray) -> None:
        if not data:
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - open for the spool's whole life
        self._file.seek(offset)
        self._file.write(data)
        # Nothing stays buffered: forked worker processes share this file and must find nothing to flush.
        self._file.flush()

    def _closed_stream(self, end: int | None) -> None:
        self._writing = False
        if end is not None:
            self._end = end


@dataclass(frozen=True, slots=True)
class Span:
    """``length`` bytes at ``offset`` in a spool."""

    spool: Spool
    offset: int
    length: int

    def read(self) -> bytes:
        return self.spool.read(self.offset, self.length)

    def chunks(self, size: int = _CHUNK) -> Iterator[bytes]:
        pos, end = self.offset, self.offset + self.length
        while pos < end:
            n = min(size, end - pos)
            yield self.spool.read(pos, n)
            pos += n


class SpoolWriter:
    """A binary file appended to a spool piece by piece. ``seek``/``tell`` move within what it wrote (as
    ``zipfile`` does to fill in headers); ``close()`` ends it (then ``span`` says where it went), ``abort()``
    drops it."""

    def __init__(self, spool: Spool, start: int) -> None:
        self._spool = spool
        self._start = start
        self._size = 0
        self._pos = 0
        self._pending = bytearray()  # the last bytes written, not yet in the spool's file
        self.closed = False

    def write(self, data: bytes | bytearray) -> int:
        if self.closed:
            raise ValueError("write to a closed stream")
        if self._pos == self._size:
            self._pending += data
            self._size += len(data)
            if len(self._pending) >= _CHUNK:
                self.flush()
        else:
            self.flush()
            self._spool._write_at(self._start + self._pos, data)
            self._size = max(self._size, self._pos + len(data))
        self._pos += len(data)
        return len(data)

    def write_text(self, text: str) -> None:
        self.write(text.encode("utf-8"))

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        if not 0 <= base + offset <= self._size:
            raise ValueError("seek outside what the stream wrote")
        self._pos = base + offset
        return self._pos

    def flush(self) -> None:
        if self._pending:
            self._spool._write_at(self._start + self._size - len(self._pending), self._pending)
            self._pending = bytearray()

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self.flush()
            self.closed = True
            self._spool._closed_stream(self._start + self._size)

    @property
    def span(self) -> Span:
        return Span(self._spool, self._start, self._size)

    def abort(self) -> None:
        """Drop what was written (the spool reuses the room)."""
        if not self.closed:
            self.closed = True
            self._pending = bytearray()
            self._spool._closed_stream(None)


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
                yield from iter(lambda: fh.read(_CHUNK), b"")

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


@dataclass
class Plan:
    """Everything an export would write. Exporters add to it; :func:`write_plan` writes it."""

    target: str
    options: dict[str, Any] = field(default_factory=dict)
    files: dict[str, PlannedFile] = field(default_factory=dict)
    documents: list[DocumentOutcome] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)
    manifest_extra: dict[str, Any] = field(default_factory=dict)
    itemizers: dict[str, Itemizer] = field(default_factory=dict)
    feed_url: str | None = None
    """The target's feed URL (for the old feed's redirect)."""
    serves_index_files: bool = True
    bodies: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Source -> (raw body, converted body), kept only when a report page asks for them."""
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


def is_tool_output(out_dir: Path) -> bool:
    """True when ``out_dir`` holds a manifest this tool wrote."""
    manifest = out_dir / MANIFEST_NAME
    try:
        with open(manifest, "rb") as fh:
            # The manifests this tool writes start so: no need to load a large site's whole manifest.
            if _OWN_MANIFEST_START.match(fh.read(256)):
                return True
        return json.loads(manifest.read_text("utf-8")).get("tool") == TOOL_MARKER
    except (OSError, ValueError, AttributeError):
        return False


_OWN_MANIFEST_START = re.compile(rb'\{\n  "tool": "' + re.escape(TOOL_MARKER.encode()) + rb'",\n')


def write_plan(plan: Plan, out_dir: str | os.PathLike[str], *, force: bool = False) -> None:
    """Write ``plan`` so that ``out_dir`` holds exactly its files, or is left untouched on failure.

    Files go to a temporary folder beside ``out_dir`` which replaces it at the end. An existing
    non-empty ``out_dir`` that this tool did not write is refused unless ``force``. A system error (no
    room, no permission, a copied file gone) becomes a :class:`MigrateError` naming the file.
    """
    out = Path(out_dir).absolute()
    try:
        _write_into_place(plan, out, force)
    except OSError as exc:
        raise MigrateError(f"could not write {out}, which is left as it was: {exc}") from exc


def check_output_place(out_dir: str | os.PathLike[str], *, force: bool = False) -> None:
    """Raise a :class:`MigrateError` now, before any work, if :func:`write_plan` could not write ``out_dir``:
    a path that is not a folder, a foreign folder without ``force``, or no folder it could be made in."""
    out = Path(out_dir).absolute()
    try:
        _check_output_place(out, force)
    except OSError as exc:
        raise MigrateError(f"cannot write {out}: {exc}") from exc


def _check_output_place(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise MigrateError(f"output path exists and is not a folder: {out}")
    if out.exists() and any(out.iterdir()) and not is_tool_output(out) and not force:
        raise MigrateError(
            f"output folder {out} is not empty and was not written by jekyll-migrate; "
            "use --force to replace it"
        )
    _check_can_be_made(out)


def check_file_place(path: str | os.PathLike[str]) -> None:
    """Raise a :class:`MigrateError` now, before any work, if a file could not be written at ``path``."""
    target = Path(path).absolute()
    if target.is_dir():
        raise MigrateError(f"cannot write {target}: it is a folder")
    _check_can_be_made(target)


def _check_can_be_made(target: Path) -> None:
    """The nearest existing folder above ``target`` must be one this user can write in."""
    existing = next(p for p in target.parents if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise MigrateError(f"cannot write {target}: {existing} is not a folder this user can write in")


def _write_into_place(plan: Plan, out: Path, force: bool) -> None:
    _check_output_place(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        with _folder_writer(staging) as folders:
            for rel in sorted(plan.files):
                with folders.create(PurePosixPath(safe_relative_path(rel))) as fh:
                    fh.writelines(plan.files[rel].chunks())
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


class _Folders:
    """Creates files below a fresh staging folder, through folder descriptors opened with ``O_NOFOLLOW``:
    a symlink planted in the staging tree cannot redirect a write, and no path is resolved per file (on a
    large site, resolving each file's folder cost more than writing it). Paths must come in sorted order,
    so that the folders open at any time are one chain from the staging folder down."""

    _FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    _FILE_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
                   | getattr(os, "O_CLOEXEC", 0))

    def __init__(self, root: Path) -> None:
        self._open: list[tuple[tuple[str, ...], int]] = [((), os.open(root, self._FOLDER_FLAGS))]

    def create(self, rel: PurePosixPath) -> BinaryIO:
        folder = self._folder(rel.parts[:-1])
        return open(os.open(rel.name, self._FILE_FLAGS, 0o666, dir_fd=folder), "wb")

    def _folder(self, parts: tuple[str, ...]) -> int:
        while self._open[-1][0] != parts[: len(self._open[-1][0])]:
            os.close(self._open.pop()[1])
        for depth in range(len(self._open[-1][0]), len(parts)):
            parent = self._open[-1][1]
            with contextlib.suppress(FileExistsError):
                os.mkdir(parts[depth], dir_fd=parent)
            try:
                fd = os.open(parts[depth], self._FOLDER_FLAGS, dir_fd=parent)
            except OSError as exc:
                raise UnsafePathError(f"path leaves the output folder or is not a folder: "
                                      f"{'/'.join(parts[: depth + 1])!r} ({exc.strerror})") from exc
            self._open.append((parts[: depth + 1], fd))
        return self._open[-1][1]

    def close(self) -> None:
        while self._open:
            os.close(self._open.pop()[1])


class _PathFolders:
    """The same for systems without folder descriptors (``dir_fd``): each file's folder is made and then
    resolved, once per folder, to check it is still inside the staging folder."""

    def __init__(self, root: Path) -> None:
        self._root, self._real_root = root, root.resolve()
        self._checked: set[PurePosixPath] = set()

    def create(self, rel: PurePosixPath) -> BinaryIO:
        dest = self._root / rel
        if rel.parent not in self._checked:
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.parent.resolve().is_relative_to(self._real_root):
                raise UnsafePathError(f"path leaves the output folder: {rel.as_posix()!r}")
            self._checked.add(rel.parent)
        return open(dest, "wb")

    def close(self) -> None:
        pass


@contextlib.contextmanager
def _folder_writer(root: Path, *, descriptors: bool | None = None) -> Iterator[_Folders | _PathFolders]:
    """Writes below ``root`` through folder descriptors where the system has them."""
    if descriptors is None:
        descriptors = os.open in os.supports_dir_fd and os.mkdir in os.supports_dir_fd
    folders = _Folders(root) if descriptors else _PathFolders(root)
    try:
        yield folders
    finally:
        folders.close()


def _swap_into_place(staging: Path, out: Path) -> None:
    if out.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        retired.rmdir()
        os.rename(out, retired)
        try:
            os.rename(staging, out)
        except BaseException:
            os.rename(retired, out)
            raise
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.rename(staging, out)


# -- dry run: compare a plan with what an output folder holds -------------------------------------------

Itemizer = Callable[[bytes], "dict[str, str]"]
"""Splits a single-file format (WXR, Ghost JSON) into named items so a diff can speak per item."""


@dataclass
class PlanDiff:
    """What writing a plan would change in an output folder."""

    out_dir: Path
    plan: Plan
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.changed or self.removed)

    def summary(self) -> str:
        counts = self.plan.counts()
        kinds: dict[str, int] = {}
        for d in self.plan.documents:
            kinds[d.kind] = kinds.get(d.kind, 0) + 1
        by_kind = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
        lines = [
            f"dry run: export to {self.plan.target} in {self.out_dir}",
            f"documents: {by_kind} (exported {counts['exported']}, skipped {counts['skipped']}, "
            f"failed {counts['failed']})",
            f"files: {len(self.created)} to create, {len(self.changed)} to change, "
            f"{len(self.removed)} to remove, {len(self.unchanged)} unchanged",
            f"redirects: {len(set(self.plan.redirects))}",
        ]
        for label, paths in (("create", self.created), ("change", self.changed), ("remove", self.removed)):
            lines.extend(f"  {label} {p}" for p in paths)
        return "\n".join(lines) + "\n"

    def unified(self) -> Iterator[str]:
        """A unified diff per changed text file; per item for files the exporter itemised."""
        for path in self.changed:
            old = (self.out_dir / path).read_bytes()
            new = self.plan.files[path].read()
            itemizer = self.plan.itemizers.get(path)
            if itemizer is not None:
                yield from _item_diff(path, itemizer(old), itemizer(new))
                continue
            old_text, new_text = _as_text(old), _as_text(new)
            if old_text is None or new_text is None:
                yield f"Binary file {path} changed\n"
                continue
            yield from difflib.unified_diff(
                old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                fromfile=f"a/{path}", tofile=f"b/{path}",
            )


def _as_text(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _item_diff(path: str, old: dict[str, str], new: dict[str, str]) -> Iterator[str]:
    for key in sorted(set(old) | set(new)):
        if key not in old:
            yield f"{path}: item added: {key}\n"
        elif key not in new:
            yield f"{path}: item removed: {key}\n"
        elif old[key] != new[key]:
            yield f"{path}: item changed: {key}\n"
            yield from difflib.unified_diff(
                old[key].splitlines(keepends=True), new[key].splitlines(keepends=True),
                fromfile=f"a/{path}#{key}", tofile=f"b/{path}#{key}",
            )


def diff_plan(plan: Plan, out_dir: str | os.PathLike[str]) -> PlanDiff:
    """Compare ``plan`` with the files in ``out_dir`` (which may not exist). Reads, never writes."""
    out = Path(out_dir)
    diff = PlanDiff(out_dir=out, plan=plan)
    existing: set[str] = set()
    if out.is_dir():
        for path in out.rglob("*"):
            if path.is_file() or path.is_symlink():
                existing.add(path.relative_to(out).as_posix())
    for rel in sorted(plan.files):
        if rel not in existing:
            diff.created.append(rel)
            continue
        planned = plan.files[rel]
        current = out / rel
        if current.is_symlink() or _file_digest(current) != planned.digest():
            diff.changed.append(rel)
        else:
            diff.unchanged.append(rel)
    diff.removed = sorted(existing - set(plan.files))
    return diff


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
