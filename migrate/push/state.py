"""The state file of a push: source key -> the remote thing it became and the hash of what was sent.

One file per target URL, in the cache folder, written as a journal (one JSON line per outcome, flushed at
once) so a push killed at any point keeps everything it finished; rewritten compactly after a whole run."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

from migrate.push.items import Remote


def state_path(cache_dir: Path, target: str, url: str) -> Path:
    normal = url.strip().rstrip("/").lower()
    digest = hashlib.sha256(f"{target}\0{normal}".encode()).hexdigest()[:16]
    return cache_dir / "push" / f"{target}-{digest}.jsonl"


class PushState:
    """The journal of one target's pushes (thread-safe)."""

    def __init__(self, path: Path | None, *, target: str = "", url: str = "") -> None:
        self.path = path
        self.target = target
        self.url = url
        self.remotes: dict[str, Remote] = {}
        self.kinds: dict[str, str] = {}
        self._lock = threading.Lock()
        self._handle: Any = None
        if path is not None and path.exists():
            self._load(path)

    def _load(self, path: Path) -> None:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a kill
                if not isinstance(row, dict) or not isinstance(row.get("key"), str):
                    continue
                if row.get("forget"):
                    self.remotes.pop(row["key"], None)
                    self.kinds.pop(row["key"], None)
                    continue
                self.remotes[row["key"]] = Remote(id=row.get("id"), url=row.get("url"), hash=row.get("hash"),
                                                  extra=row.get("extra") or {})
                self.kinds[row["key"]] = row.get("kind") or ""

    def get(self, key: str) -> Remote | None:
        return self.remotes.get(key)

    def _append(self, row: dict[str, Any]) -> None:
        if self.path is None:
            return
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            new = not self.path.exists()
            self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - the journal stays open
            if new:
                self._handle.write(json.dumps({"target": self.target, "url": self.url}) + "\n")
        self._handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        self._handle.flush()

    def record(self, key: str, kind: str, remote: Remote) -> None:
        with self._lock:
            if self.remotes.get(key) == remote and self.kinds.get(key) == kind:
                return
            self.remotes[key] = remote
            self.kinds[key] = kind
            self._append({"key": key, "kind": kind, "id": remote.id, "url": remote.url, "hash": remote.hash,
                          "extra": dict(remote.extra)})

    def forget(self, key: str) -> None:
        with self._lock:
            if key in self.remotes:
                self.remotes.pop(key)
                self.kinds.pop(key, None)
                self._append({"key": key, "forget": True})

    def close(self, *, compact: bool = False) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None
            if compact and self.path is not None and self.path.exists():
                temp = self.path.with_suffix(".tmp")
                with open(temp, "w", encoding="utf-8") as out:
                    out.write(json.dumps({"target": self.target, "url": self.url}) + "\n")
                    for key in sorted(self.remotes):
                        remote = self.remotes[key]
                        out.write(json.dumps({"key": key, "kind": self.kinds.get(key, ""), "id": remote.id,
                                              "url": remote.url, "hash": remote.hash,
                                              "extra": dict(remote.extra)}, ensure_ascii=False,
                                             sort_keys=True) + "\n")
                os.replace(temp, self.path)
