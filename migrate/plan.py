"""What an export would write: files with their contents, the manifest, and the one writer that turns a
plan into files safely (temporary folder, atomic swap, nothing outside the output folder)."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import posixpath
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator, Literal

from migrate.errors import MigrateError, UnsafePathError

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


@dataclass(frozen=True)
class PlannedFile:
    """One file of the output: either bytes to write or a source file to copy."""

    path: str
    content: bytes | None = None
    copy_from: str | None = None

    def digest(self) -> str:
        h = hashlib.sha256()
        if self.content is not None:
            h.update(self.content)
        else:
            assert self.copy_from is not None
            with open(self.copy_from, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        return h.hexdigest()

    def read(self) -> bytes:
        if self.content is not None:
            return self.content
        assert self.copy_from is not None
        return Path(self.copy_from).read_bytes()


@dataclass(frozen=True)
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

    def add_bytes(self, path: str, content: bytes) -> str:
        rel = safe_relative_path(path)
        self.files[rel] = PlannedFile(rel, content=content)
        return rel

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
        text = json.dumps(self.manifest(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        self.add_text(MANIFEST_NAME, text)


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
        return json.loads(manifest.read_text("utf-8")).get("tool") == TOOL_MARKER
    except (OSError, ValueError, AttributeError):
        return False


def write_plan(plan: Plan, out_dir: str | os.PathLike[str], *, force: bool = False) -> None:
    """Write ``plan`` so that ``out_dir`` holds exactly its files, or is left untouched on failure.

    Files go to a temporary folder beside ``out_dir`` which replaces it at the end. An existing
    non-empty ``out_dir`` that this tool did not write is refused unless ``force``.
    """
    out = Path(out_dir).absolute()
    if out.exists() and not out.is_dir():
        raise MigrateError(f"output path exists and is not a folder: {out}")
    if out.exists() and any(out.iterdir()) and not is_tool_output(out) and not force:
        raise MigrateError(
            f"output folder {out} is not empty and was not written by jekyll-migrate; "
            "use --force to replace it"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        real_staging = staging.resolve()
        checked: set[Path] = set()  # folders made and resolved once; most files share theirs
        for rel in sorted(plan.files):
            planned = plan.files[rel]
            dest = staging / PurePosixPath(safe_relative_path(rel))
            # Resolve parents so a symlink planted in the staging tree could not redirect the write.
            if dest.parent not in checked:
                dest.parent.mkdir(parents=True, exist_ok=True)
                if not dest.parent.resolve().is_relative_to(real_staging):
                    raise UnsafePathError(f"path leaves the output folder: {rel!r}")
                checked.add(dest.parent)
            if planned.content is not None:
                dest.write_bytes(planned.content)
            else:
                assert planned.copy_from is not None
                shutil.copyfile(planned.copy_from, dest)
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
