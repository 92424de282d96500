"""jekyll-relative-links 0.7: Markdown links to a file of the site become links to its URL."""

from __future__ import annotations

import re
from functools import partial
from typing import Any
from urllib.parse import unquote_plus

from migrate.reader.config import compile_patterns
from migrate.reader.plugins.common import (
    SiteReader,
    documents_to_write,
    is_markdown,
    option,
    pages,
    site_static_files,
)
from migrate.reader.yamlsafe import ruby_str

_S = r"[ \t\r\n\f\v]"
_TEXT = r"(.*?)"
_FRAGMENT = r"(#.+?|)?"
_TITLE = rf"""({_S}+"(?:\\"|[^"])*(?<!\\)"|{_S}+"(?:\\'|[^'])*(?<!\\)')?"""
_INLINE = rf"\[{_TEXT}\]\(([^)]+?){_FRAGMENT}{_TITLE}\)"
_REFERENCE = rf"^{_S}*?\[{_TEXT}\]: (.+?){_FRAGMENT}{_TITLE}{_S}*?$"
LINK = re.compile(rf"({_INLINE}|{_REFERENCE})", re.MULTILINE)
"""The plugin's ``LINK_REGEX`` (an inline link or a reference definition, read as text: code too)."""
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def generate(reader: SiteReader) -> None:
    """Rewrites, in the body of each Markdown page (and each document written, with
    ``relative_links: {collections: true}``), every link whose path names a page, static file or document of
    the site (relative to the linking file, or to the site with a leading ``/``) to that file's URL under
    ``baseurl``, before Liquid and Markdown see the body, as Jekyll does. ``relative_links: {exclude: [...]}``
    leaves files out; ``enabled: false`` turns it off."""
    if option(reader, "relative_links", "enabled") is False:
        return
    entries = pages(reader)
    if option(reader, "relative_links", "collections") is True:
        entries += documents_to_write(reader)
    excluded = option(reader, "relative_links", "exclude")
    patterns = (
        compile_patterns([str(p) for p in excluded if p is not None]) if isinstance(excluded, list) else []
    )
    targets = _targets(reader)
    base = _baseurl(reader.config.get("baseurl"))
    for entry in entries:
        if not is_markdown(reader, entry.source) or entry.text.body is None:
            continue
        if patterns and reader._glob_include(patterns, entry.relative_path, False):
            continue
        folder = entry.relative_path.rsplit("/", 1)[0] if "/" in entry.relative_path else ""
        entry.text.body = LINK.sub(
            partial(_replace, folder=folder, targets=targets, base=base), entry.text.body
        )


def _targets(reader: SiteReader) -> dict[str, str]:
    """Relative path -> URL of ``site.pages + site.static_files + site.docs_to_write``, the first one winning."""
    found: dict[str, str] = {}
    for entry in pages(reader):
        found.setdefault(entry.source, entry.url)
    for static in site_static_files(reader):
        found.setdefault(static.source, static.url)
    for entry in documents_to_write(reader):
        found.setdefault(entry.relative_path, entry.url)
    return found


def _baseurl(value: Any) -> str:
    """``sanitized_baseurl`` with the leading slash ``relative_url`` adds."""
    if value is None:
        return ""
    text = ruby_str(value)
    text = text.removesuffix("/")
    return text if not text or text.startswith("/") else "/" + text


def _replace(m: re.Match[str], *, folder: str, targets: dict[str, str], base: str) -> str:
    inline = m.group(2) is not None
    text, path, fragment, title = m.group(2, 3, 4, 5) if inline else m.group(6, 7, 8, 9)
    if path.startswith("#") or _SCHEME.match(path):
        return m.group(0)
    resolved = _from_root(path, folder)
    if resolved is None:
        return m.group(0)
    url = targets.get(unquote_plus(resolved))
    if url is None:
        return m.group(0)
    new = base + (url if url.startswith("/") else "/" + url) + (fragment or "")
    if inline:
        return f"[{text}]({new}{title or ''})"
    return f"\n[{text}]: {new}{title or ''}"


def _from_root(path: str, folder: str) -> str | None:
    """``File.expand_path`` of the link against the linking file's folder, relative to the site; None when it
    leaves the site."""
    absolute = path.startswith("/")
    segments = ([] if absolute else [s for s in folder.split("/") if s]) + path.split("/")
    out: list[str] = []
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "..":
            if not out:
                return None
            out.pop()
        else:
            out.append(segment)
    return "/".join(out)
