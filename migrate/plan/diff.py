"""Dry run: compare a plan with what an output folder holds, per file and per item of single-file formats."""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from migrate.plan.plan import Plan


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
