"""Skipping an export that would change nothing, the way ``make`` skips a target that is newer than its
inputs: a record of the last export into a folder says which inputs it saw (every byte of the site and of
its extra config files, the options, the tool's version, the time zone) and what it left in the output
folder. When the inputs hash the same and the output folder still holds exactly those files, running the
export again would write the same bytes, so it is not run; its report is replayed instead.

The record lives in the cache folder, next to the per-document conversion cache; ``--no-cache`` turns
both off. A record stops applying on its own when a future-dated post would become due.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.fingerprint import tool_fingerprint
from migrate.ir import Issue, Site

RECORD_VERSION = 1

log = logging.getLogger(__name__)


def inputs_digest(site_dir: Path, extra_files: Iterable[Path], settings: Any, *,
                  skip: Iterable[Path] = ()) -> str:
    """A hash of everything an export reads: the bytes and names of every file under ``site_dir`` (files
    Jekyll ignores included, which only makes the check stricter), ``extra_files``, ``settings`` (JSON), the
    tool's version and the local time zone Jekyll's dates fall back on. Folders in ``skip`` (the output and
    the cache, when they sit inside the site) are left out: the export itself changes them."""
    h = hashlib.blake2b(digest_size=32)
    h.update(json.dumps({"version": tool_fingerprint(), "record": RECORD_VERSION, "settings": settings,
                         "tz": os.environ.get("TZ"), "localtime": _localtime()},
                        sort_keys=True, default=str).encode())
    h.update(folder_digest(site_dir, skip=skip).encode())
    for path in sorted(Path(p).absolute() for p in extra_files):
        _hash_file(h, os.fsencode(path), path)
    return h.hexdigest()


def folder_digest(folder: Path, *, skip: Iterable[Path] = ()) -> str:
    """A hash of the names (relative to ``folder``) and bytes of every file below it, but those in ``skip``;
    the same for an absent folder as for an empty one."""
    h = hashlib.sha256()
    skipped = {os.path.abspath(p) for p in skip}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if os.path.abspath(os.path.join(root, d)) not in skipped)
        for name in sorted(files):
            path = os.path.join(root, name)
            _hash_file(h, Path(os.path.relpath(path, folder)).as_posix().encode("utf-8", "surrogateescape"), path)
    return h.hexdigest()


def _hash_file(h: Any, name: bytes, path: str | os.PathLike[str]) -> None:
    h.update(name + b"\0")
    try:
        with open(path, "rb") as fh:
            h.update(fh.read())
    except OSError:
        h.update(b"<unreadable>")
    h.update(b"\0")


def _localtime() -> str | None:
    try:
        return os.path.realpath("/etc/localtime")
    except OSError:
        return None


def output_listing(out: Path) -> dict[str, list[int]]:
    """Every file under ``out`` with its size and modification time (ns)."""
    listing: dict[str, list[int]] = {}
    for folder, dirs, files in os.walk(out):
        rel = os.path.relpath(folder, out)
        for name in files:
            st = os.lstat(os.path.join(folder, name))
            key = name if rel == "." else f"{rel}/{name}".replace(os.sep, "/")
            listing[key] = [st.st_size, st.st_mtime_ns]
    return listing


@dataclass(frozen=True)
class Replay:
    """What the skipped export would print."""

    issues: tuple[Issue, ...]
    files: int
    accounting: str
    exit_code: int


class RunRecords:
    """The records of past exports, one per output folder, in ``cache_dir/runs``."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir / "runs"

    def _path(self, out: Path) -> Path:
        name = hashlib.sha256(os.fsencode(out.absolute())).hexdigest()[:32]
        return self.folder / f"{name}.json"

    def replay(self, out: Path, inputs: str, *, now: _dt.datetime | None = None) -> Replay | None:
        """The last export's outcome when ``inputs`` and ``out`` are exactly as it left them, else None."""
        try:
            record = json.loads(self._path(out).read_text("utf-8"))
            if record.get("inputs") != inputs or record.get("out") != str(out.absolute()):
                return None
            due = record.get("valid_until")
            if due and (now or _dt.datetime.now(_dt.timezone.utc)) >= _dt.datetime.fromisoformat(due):
                return None
            if not out.is_dir() or output_listing(out) != record["listing"]:
                return None
            return Replay(issues=tuple(Issue(**i) for i in record["issues"]), files=record["files"],
                          accounting=record["accounting"], exit_code=record["exit_code"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, out: Path, inputs: str, site: Site, issues: Iterable[Issue], *, files: int, accounting: str,
             exit_code: int) -> None:
        """Remember this export (call right after the output folder was written)."""
        record = {
            "inputs": inputs,
            "out": str(out.absolute()),
            "valid_until": _valid_until(site),
            "listing": output_listing(out),
            "issues": [_issue_dict(i) for i in issues],
            "files": files,
            "accounting": accounting,
            "exit_code": exit_code,
        }
        path = self._path(out)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
            os.replace(tmp, path)
        except OSError as exc:  # the record only lets an unchanged rerun be skipped
            log.warning("this export is not recorded in %s (%s): the next run will not be skipped", self.folder, exc)

    def forget(self, out: Path) -> None:
        try:
            self._path(out).unlink()
        except OSError:
            pass


def _issue_dict(issue: Issue) -> dict[str, Any]:
    return {"code": issue.code, "severity": issue.severity, "message": issue.message, "source": issue.source,
            "line": issue.line}


def _valid_until(site: Site) -> str | None:
    """The earliest date of a post left out for being in the future: from then on, Jekyll would build it."""
    due = [d.date for d in site.documents if d.future and d.date is not None]
    return min(due).astimezone(_dt.timezone.utc).isoformat() if due else None
