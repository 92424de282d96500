"""What every page-making plugin reads: the site's configuration, its documents, its static files."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.ir import Document, StaticFile
from migrate.reader.rubyish import dest_path
from migrate.reader.urls import unescape_path


@dataclass(frozen=True)
class Inputs:
    """The part of a read site the plugins decide from."""

    root: Path
    """The site's ``source`` folder."""
    config: dict[str, Any]
    plugins: tuple[str, ...]
    documents: tuple[Document, ...]
    static_files: tuple[StaticFile, ...]
    permalink_style: str = "date"
    config_source: str | None = None
    """The configuration file problems are reported against."""

    def posts(self) -> list[Document]:
        """``site.posts.docs`` in Jekyll's order (date, then path): the built posts, drafts with ``--drafts``."""
        found = [d for d in self.documents if d.kind in ("post", "draft") and d.built_by_jekyll]
        return sorted(found, key=_post_key)

    def pages(self) -> list[Document]:
        """``site.pages`` as read from the source: the built pages."""
        return [d for d in self.documents if d.kind == "page" and d.built_by_jekyll]

    def layout_source(self, name: str) -> str | None:
        """The site-relative file of the layout called ``name`` in the site's ``layouts_dir`` (its path there
        without the last extension, as Jekyll's layout reader names layouts), or None."""
        return self._layouts.get(name)

    @functools.cached_property
    def _layouts(self) -> dict[str, str]:
        folder = self.config.get("layouts_dir")
        rel_base = folder.strip("/") if isinstance(folder, str) and folder.strip("/") else "_layouts"
        base = self.root / rel_base
        found: dict[str, str] = {}
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    rel = path.relative_to(base).as_posix()
                    found.setdefault(rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel, f"{rel_base}/{rel}")
        return found


def _post_key(doc: Document) -> tuple[float, str]:
    date = doc.date or _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)
    if date.tzinfo is None:
        date = date.replace(tzinfo=_dt.timezone.utc)
    return (date.timestamp(), doc.source)


def ruby_to_i(value: Any) -> int:
    """Ruby's ``to_i`` on a configuration value: an integer's value, a string's leading digits, else 0."""
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, (int, float)):
        return int(value)
    m = re.match(r"\s*([+-]?\d+)", str(value).replace("_", ""))
    return int(m.group(1)) if m else 0


def output_path(url: str, output_ext: str) -> str:
    """Where Jekyll's ``Page#destination`` writes a page with this URL (site-relative)."""
    path = unescape_path(url)
    if url.endswith("/"):
        path += "index"
    if output_ext and not path.endswith(output_ext):
        path += output_ext
    return dest_path(path)
