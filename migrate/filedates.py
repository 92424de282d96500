"""When a file last changed, as jekyll-last-modified-at decides it (the reader's ``last_modified_at``, the
content pipeline's ``{% last_modified_at %}``).

The plugin takes the time of the last commit that touched the file when the site is in a git work tree
(``git log -n 1 --format=%ct -- FILE``), else (no repository, or a file never committed) the file's
modification time, as whole seconds in the site's zone. It sets ``last_modified_at`` of every page (over
its front matter) and of every post and document that has none in its front matter. A value from a file's
modification time changes only when the file does; a fresh clone gives every file the clone's time.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import subprocess
from pathlib import Path

NAME = "jekyll-last-modified-at"
DEFAULT_FORMAT = "%d-%b-%y"
"""The format of ``{% last_modified_at %}`` when neither the tag nor ``last-modified-at: date-format`` gives one."""


class LastModified:
    """The plugin's ``Determinator`` and ``Git`` for one site source: one git query per file, cached."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self._top: str | None | bool = False  # False: not looked up yet
        self._cache: dict[str, int] = {}

    def _git(self, *args: str, cwd: Path | str) -> str | None:
        try:
            run = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return run.stdout.strip() if run.returncode == 0 else None

    def top_level(self) -> str | None:
        """The work tree's top when the source is in one (``git rev-parse --is-inside-work-tree``)."""
        if self._top is False:
            inside = self._git("rev-parse", "--is-inside-work-tree", cwd=self.source)
            self._top = self._git("rev-parse", "--show-toplevel", cwd=self.source) if inside == "true" else None
        return self._top  # type: ignore[return-value]

    def unix(self, relative: str) -> int | None:
        """Seconds since the epoch of the last change of ``relative`` (a path in the source); None when the
        file does not exist (the plugin stops the build then)."""
        if relative in self._cache:
            return self._cache[relative]
        path = self.source / relative
        if not path.exists():
            return None
        value: int | None = None
        top = self.top_level()
        if top is not None:
            rel = os.path.relpath(os.path.abspath(path), top)
            out = self._git("log", "-n", "1", "--format=%ct", "--", rel, cwd=top) or ""
            m = re.search(r"\d+", out)
            value = int(m.group(0)) if m else None
        if value is None:
            value = int(path.stat().st_mtime)
        self._cache[relative] = value
        return value

    def time(self, relative: str, zone: _dt.tzinfo | None) -> _dt.datetime | None:
        """``Time.at`` of :meth:`unix` in the site's zone (None: the local one)."""
        unix = self.unix(relative)
        if unix is None:
            return None
        return _dt.datetime.fromtimestamp(unix, zone) if zone is not None else _dt.datetime.fromtimestamp(unix).astimezone()
