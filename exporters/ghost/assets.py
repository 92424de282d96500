"""The site's static files in a Ghost import: where each lands under ``content/``, which URL names which
file, and the rewriting of references that still carry a file's old URL."""

from __future__ import annotations

import bisect
import datetime as dt
import html
import itertools
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

from exporters.ghost.schema import FILE_EXTS, IMAGE_EXTS, MEDIA_EXTS
from migrate.content.links import remote_key
from migrate.ir import Document, Site, StaticFile
from migrate.report import Report

_NOT_SITE_FILES = ("/content/", "#", "mailto:", "data:")
"""Attribute values that never name a site file still at its old URL."""
_ATTRIBUTE_VALUE = re.compile(r"""=\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*)""")
"""An attribute value after one of its ``=`` signs, as html.parser reads it (quotes kept)."""


@dataclass(frozen=True)
class AssetUrls:
    """``Targets.asset_url``: static-file source -> the URL Ghost will serve it under (picklable)."""

    urls: Mapping[str, str]

    def __call__(self, document: Document, asset: StaticFile) -> str:
        return self.urls.get(asset.source, asset.url)


def content_folder(name: str) -> str | None:
    """``images``, ``media`` or ``files``: where Ghost's importer puts a file of this name, or None."""
    ext = posixpath.splitext(name)[1].lower()
    if ext in IMAGE_EXTS:
        return "images"
    if ext in MEDIA_EXTS:
        return "media"
    if ext in FILE_EXTS:
        return "files"
    return None


def ghost_file_name(name: str) -> str:
    """The name Ghost's storage keeps (``getSanitizedFileName``: anything but ``[A-Za-z0-9_@.]`` -> ``-``)."""
    return re.sub(r"[^A-Za-z0-9_@.]", "-", name)


class Assets:
    """The static files of one export: their paths inside the zip, how a URL finds one, and which ones
    the zip must hold."""

    def __init__(self, site: Site, report: Report) -> None:
        self.site = site
        self.report = report
        self.paths: dict[str, str] = {}  # static source -> path inside the zip
        self.by_url: dict[str, StaticFile] = {}
        self.by_origin: dict[str, StaticFile] = {}  # downloaded remote assets, by remote_key
        self.in_zip: set[str] = set()

    def urls(self) -> AssetUrls:
        return AssetUrls({s: "/" + p for s, p in self.paths.items()})

    def place(self, texts: Sequence[tuple[dt.datetime | None, str]], now: dt.datetime) -> None:
        """Decide every static file's place under ``content/``: ``images|media|files/YYYY/MM/name``,
        the month of the earliest of the documents' ``texts`` (oldest first) that names it (else ``now``)."""
        # The first dated text naming a file, found with one search over all of them joined by NUL
        # (which no file name holds, so no match spans two texts) instead of a scan per file.
        dated = [(d, text) for d, text in texts if d is not None]
        joined = "\0".join(text for _, text in dated)
        starts = list(itertools.accumulate((len(text) + 1 for _, text in dated[:-1]), initial=0))
        statics = sorted(self.site.static_files, key=lambda s: s.source)
        mentions = first_mentions(joined, {posixpath.basename(s.source) for s in statics}) if dated else {}
        taken: set[str] = set()
        for static in statics:
            if static.origin_url is None:
                self.by_url[unquote(static.url)] = static
            else:
                self.by_origin[remote_key(static.origin_url)] = static
            folder = content_folder(static.source)
            if folder is None:
                continue
            base = posixpath.basename(static.source)
            if "\0" in base or not dated:
                when = next((d for d, text in dated if base in text), None) or now
            else:
                at = mentions.get(base, -1)
                when = (dated[bisect.bisect_right(starts, at) - 1][0] if at >= 0 else None) or now
            when = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
            month = when.astimezone(dt.timezone.utc).strftime("%Y/%m")
            name = ghost_file_name(base)
            stem, ext = posixpath.splitext(name)
            path, n = f"content/{folder}/{month}/{name}", 0
            while path.lower() in taken:
                n += 1
                path = f"content/{folder}/{month}/{stem}-{n}{ext}"
            taken.add(path.lower())
            self.paths[static.source] = path

    def resolve(self, value: str, doc: Document) -> StaticFile | None:
        path = value.strip()
        if self.by_origin and remote_key(path) in self.by_origin:
            return self.by_origin[remote_key(path)]
        for prefix in (self.site.url + self.site.baseurl, self.site.url):
            if prefix and path.startswith(prefix + "/"):
                path = path[len(prefix) :]
                break
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", path, re.IGNORECASE):
            return None
        path = unquote(path.split("#", 1)[0].split("?", 1)[0])
        if self.site.baseurl and path.startswith(self.site.baseurl + "/"):
            path = path[len(self.site.baseurl) :]
        candidates = (
            [path]
            if path.startswith("/")
            else ["/" + path, posixpath.normpath(posixpath.join(posixpath.dirname(unquote(doc.url)), path))]
        )
        return next((self.by_url[c] for c in candidates if c in self.by_url), None)

    def use(self, source: str, doc: Document, used: set[str] | None = None) -> str | None:
        """Put a static file into the zip (or into ``used``, for the caller to add); its Ghost URL, or None
        when Ghost cannot take it."""
        path = self.paths.get(source)
        if path is None:
            self.report.emit(
                "ghost-asset-not-imported",
                "warning",
                f"{source} is referenced but Ghost's importer takes no file of this type; "
                "the reference keeps its old URL",
                source=doc.source,
            )
            return None
        (self.in_zip if used is None else used).add(source)
        return "/" + path

    def rewrite(self, body: str, doc: Document, used: set[str]) -> str:
        """Point every reference to a site file that still carries its old URL at the file's place in
        the zip (a safety net behind the content pipeline's own asset rewriting)."""
        if not self.may_name_site_files(body, doc):
            return body
        refs = _References()
        try:
            refs.feed(body)
            refs.close()
        except Exception:  # noqa: BLE001 -- an unparsable body keeps its references
            return body
        for attr, value in sorted(set(refs.found)):
            urls = [c.split()[0] for c in value.split(",") if c.strip()] if attr == "srcset" else [value]
            new_value = value
            for url in urls:
                if url.startswith(_NOT_SITE_FILES):
                    continue
                static = self.resolve(url, doc)
                target = self.use(static.source, doc, used) if static else None
                if target:
                    new_value = new_value.replace(url, target)
            if new_value != value:
                for mark in ('"', "'"):
                    for raw in {value, html.escape(value, quote=False)}:
                        body = body.replace(f"{attr}={mark}{raw}{mark}", f"{attr}={mark}{new_value}{mark}")
        return body

    def may_name_site_files(self, body: str, doc: Document) -> bool:
        """Whether some attribute value of ``body`` may point at a site file. Every text after an ``=``,
        read as html.parser reads an attribute value, is tried (a superset of the values it reports), so
        a False answer is as good as parsing the body and finding nothing to rewrite."""
        for at in _all_positions(body, "="):
            m = _ATTRIBUTE_VALUE.match(body, at)
            if m is None or not m.group(1):
                continue
            value = m.group(1)
            if value[0] in "'\"":
                value = value[1:-1]
            value = html.unescape(value)
            for url in (value, *(c.split()[0] for c in value.split(",") if c.strip())):
                if not url.startswith(_NOT_SITE_FILES) and self.resolve(url, doc) is not None:
                    return True
        return False


def _all_positions(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


class _References(HTMLParser):
    """Collects (attribute, value) of every attribute that can name a file."""

    ATTRS = frozenset({"src", "href", "srcset", "poster", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(k, v) for k, v in attrs if k in self.ATTRS and v]


_SCAN_PER_NAME = 100
"""How many places of an extension :func:`first_mentions` looks at per name before it searches name by
name."""


def first_mentions(text: str, names: Iterable[str]) -> dict[str, int]:
    """Where each of ``names`` first occurs in ``text`` (``text.find(name)``; names not found are left
    out). Names are found by their extension: one walk over the places ``.png`` occurs serves every
    ``*.png`` name, where a search per name would read most of a long text once for each."""
    found: dict[str, int] = {}
    by_ext: dict[str, dict[int, set[str]]] = {}
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        if dot and len(suffix) >= 2:
            by_ext.setdefault(dot + suffix, {}).setdefault(len(stem), set()).add(name)
        else:  # no extension to find it by
            at = text.find(name)
            if at >= 0:
                found[name] = at
    for ext, by_length in by_ext.items():
        missing = sum(len(group) for group in by_length.values())
        # An extension common in the text but rare among the names is cheaper to search name by name.
        budget = _SCAN_PER_NAME * missing
        at = text.find(ext)
        while at >= 0 and missing and budget:
            for length, group in by_length.items():
                start = at - length
                if start >= 0:
                    name = text[start : at + len(ext)]
                    if name in group and name not in found:
                        found[name] = start
                        missing -= 1
            budget -= 1
            at = text.find(ext, at + 1)
        if missing and at >= 0:
            # Every name before the extension found at ``at`` has been seen: search on from there.
            for length, group in by_length.items():
                for name in group - found.keys():
                    where = text.find(name, max(0, at - length))
                    if where >= 0:
                        found[name] = where
    return found
