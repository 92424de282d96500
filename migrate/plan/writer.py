"""The one writer that turns a plan into files safely: a temporary folder, an atomic swap, nothing outside the
output folder, and a foreign folder refused unless forced."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

from migrate.errors import MigrateError, UnsafePathError
from migrate.plan.plan import MANIFEST_NAME, TOOL_MARKER, Plan, safe_relative_path


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
