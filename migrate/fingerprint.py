"""What identifies the code that made an output: the version plus a hash of the tool's own source files.

Caches key on it rather than on the version alone, so a changed converter or exporter (a development
checkout, an upgrade that forgot to bump the version) never serves a body the old code made."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from migrate import __version__

_PACKAGES = ("migrate", "exporters")
_SUFFIXES = (".py", ".html", ".md", ".toml", ".rb")


@functools.lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """``VERSION+HASH`` of every source and template file of the installed packages (read once a process)."""
    return fingerprint_of(Path(__file__).resolve().parent.parent)


def fingerprint_of(root: Path) -> str:
    """``VERSION+HASH`` of the source and template files of the tool's packages under ``root``."""
    h = hashlib.sha256()
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.suffix in _SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(root).as_posix().encode() + b"\0")
                h.update(path.read_bytes() + b"\0")
    return f"{__version__}+{h.hexdigest()[:16]}"
