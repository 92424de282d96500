"""Where Jekyll 4.3 writes each page, document and static file: its URL from the permalink, its output
extension and path, its ``redirect_from`` pages, and which outputs collide. The URL primitives (slugify,
placeholders, escaping) are in :mod:`migrate.reader.urls`."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from migrate.ir import Document, Issue
from migrate.reader.documents import Entry, liquid_data
from migrate.reader.rubyish import DATE_PLACEHOLDERS, dest_path, rb_extname, strftime, uniq_list
from migrate.reader.settings import Settings
from migrate.reader.urls import (
    PlaceholderError,
    UrlError,
    add_permalink_suffix,
    generate_from_drop,
    generate_from_hash,
    sanitize_url,
    slugify,
    unescape_path,
)
from migrate.reader.yamlsafe import ruby_str

HTML_EXTS = (".html", ".xhtml", ".htm")


def converter_ext(settings: Settings, ext: str) -> str:
    """The extension the converter gives a file with extension ``ext``."""
    low = ext.lower()
    if low in settings.markdown_exts:
        return ".html"
    if low in (".scss", ".sass"):
        return ".css"
    return ext


def output_ext(settings: Settings, permalink: Any, ext: str) -> str:
    """The output extension: the permalink's own, or else the converter's."""
    if isinstance(permalink, str) and permalink and not permalink.endswith("/"):
        pext = rb_extname(permalink)
        if pext:
            return pext
    return converter_ext(settings, ext)


def entry_url(settings: Settings, entry: Entry) -> None:
    """The entry's URL, output path and redirects: they depend on the entry and the configuration only.
    Problems wait in ``entry.url_issues`` for :func:`apply_url_issues`."""
    issues: list[Issue] = []
    try:
        if entry.kind == "page":
            _page_url(settings, entry)
        else:
            _document_url(settings, entry)
    except (PlaceholderError, UrlError) as exc:
        issues.append(Issue("url-error", "error", f"{exc}; Jekyll stops the build on it", entry.source))
        entry.url = sanitize_url(entry.source)
        entry.url_failed = True
        entry.output_path = None
    # kept for unbuilt documents too (Jekyll writes their redirect pages only once they are built)
    entry.redirect_from = redirects(settings, entry)
    entry.url_issues = tuple(issues)


def apply_url_issues(entries: list[Entry], issues: list[Issue]) -> None:
    """Applies the URLs worked out as each entry was read, in the entries' order (after ``limit_posts``,
    which must not see a URL failure's ``built = False``)."""
    for entry in entries:
        issues.extend(entry.url_issues)
        if entry.url_failed:
            entry.built = False
        entry.url_issues = ()


def _document_url(settings: Settings, entry: Entry) -> None:
    """``Document#url`` and ``#destination``: the permalink (or the collection's) filled from the document."""
    data = entry.data
    ext = rb_extname(entry.source)
    permalink = data.get("permalink")
    entry.output_ext = output_ext(settings, permalink, ext)
    slug_value = data.get("slug")
    basename_no_ext = entry.source.rsplit("/", 1)[-1]
    basename_no_ext = basename_no_ext[: len(basename_no_ext) - len(ext)] if ext else basename_no_ext
    template = ruby_str(permalink) if permalink else settings.collection_template(entry.collection or "")
    entry.url = sanitize_url(generate_from_drop(template, _url_drop(settings, entry, ext, basename_no_ext)))
    entry.slug = ruby_str(slug_value) if slug_value else basename_no_ext
    if entry.built or entry.kind in ("post", "draft") or settings.collections.get(entry.collection or "", {}).get("output"):
        path = unescape_path(entry.url)
        if entry.url.endswith("/"):
            path += "index.html"
        elif not path.endswith(entry.output_ext):
            path += entry.output_ext
        entry.output_path = dest_path(path)


def _url_drop(settings: Settings, entry: Entry, ext: str, basename_no_ext: str) -> Callable[[str], str | None]:
    """``Drops::UrlDrop``: the value of each permalink placeholder for the document (None: no such one)."""
    data = entry.data
    rel = entry.relative_path
    cleaned = (rel[: len(rel) - len(ext)] if ext else rel).replace(f"_{entry.collection}", "", 1).rstrip(".")
    date: _dt.datetime = entry.date or settings.time
    slug_value = data.get("slug")
    cats = data.get("categories")
    cat_list = cats if isinstance(cats, list) else ([] if cats is None else [cats])

    def lookup(key: str) -> str | None:
        if key == "collection":
            return entry.collection or ""
        if key == "path":
            return cleaned
        if key == "output_ext":
            return entry.output_ext
        if key == "name":
            return slugify(basename_no_ext)
        if key == "title":
            if slug_value:
                return slugify(ruby_str(slug_value), "pretty", True)
            return slugify(basename_no_ext, "pretty", True)
        if key == "slug":
            return slugify(ruby_str(slug_value)) if slug_value else slugify(basename_no_ext)
        if key == "categories":
            return "/".join(uniq_list([ruby_str(c).lower() for c in cat_list]))
        if key == "slugified_categories":
            return "/".join(uniq_list([slugify(ruby_str(c)) for c in cat_list]))
        fmt = DATE_PLACEHOLDERS.get(key)
        if fmt is not None:
            return strftime(date, fmt)
        return None

    return lookup


def _page_url(settings: Settings, entry: Entry) -> None:
    """``Page#url`` and ``#destination``: the permalink (or the style's template) filled from the page."""
    data = entry.data
    name = entry.source.rsplit("/", 1)[-1]
    folder = entry.source[: -len(name)].rstrip("/")
    page_dir = "/" + folder if folder else ""
    ext = rb_extname(name)
    basename = (name[: len(name) - len(ext)] if ext else name).rstrip(".")
    if "permalink" in data:
        permalink = data["permalink"]
    else:
        permalink = settings.defaults.find(entry.source, "pages", "permalink")
    entry.output_ext = output_ext(settings, permalink, ext)
    if entry.output_ext not in HTML_EXTS:
        template = "/:path/:basename:output_ext"
    elif basename == "index":
        template = "/:path/"
    else:
        template = add_permalink_suffix("/:path/:basename", settings.permalink_style)
    placeholders = {"path": page_dir, "basename": basename, "output_ext": entry.output_ext}
    chosen = ruby_str(permalink) if permalink else template
    entry.url = sanitize_url(generate_from_hash(chosen, placeholders))
    entry.slug = basename
    path = unescape_path(entry.url)
    if entry.url.endswith("/"):
        path += "index"
    if not path.endswith(entry.output_ext):
        path += entry.output_ext
    entry.output_path = dest_path(path)


def redirects(settings: Settings, entry: Entry) -> tuple[str, ...]:
    """The URLs of the entry's ``redirect_from`` pages (none when the site does not load the plugin)."""
    if not settings.redirect_plugin:
        return ()
    raw = liquid_data(settings, entry).get("redirect_from")
    items = [x for x in raw if x is not None] if isinstance(raw, list) else ([] if raw is None else [raw])
    urls = []
    for item in items:
        text = ruby_str(item)
        if not text.startswith("/"):
            text = "/" + text
        placeholders = {"path": "", "basename": "redirect", "output_ext": ".html"}
        urls.append(sanitize_url(generate_from_hash(text, placeholders)))
    return tuple(urls)


def static_url(settings: Settings, source: str, label: str | None, issues: list[Issue]) -> str:
    """``StaticFile#url``: the file's own path, or in a collection the collection's permalink filled from it."""
    name = source.rsplit("/", 1)[-1]
    ext = rb_extname(name)
    if label is None:
        rel = "/" + source
        cleaned = (rel[: len(rel) - len(ext)] if ext else rel).rstrip(".") or rel
        return cleaned + ext
    inner = source[len(settings.collection_dir(label)) :]
    rel_path = f"_{label}{inner}"
    cleaned = (rel_path[: len(rel_path) - len(ext)] if ext else rel_path).rstrip(".")
    cleaned = cleaned.replace(f"_{label}", "", 1)
    base = (name[: len(name) - len(ext)] if ext else name).rstrip(".")
    placeholders = {"collection": label, "path": cleaned, "output_ext": "", "name": base, "title": ""}
    try:
        url = sanitize_url(generate_from_hash(settings.collection_template(label), placeholders))
    except UrlError as exc:
        issues.append(Issue("url-error", "error", str(exc), source))
        url = sanitize_url(cleaned)
    return (url.removesuffix("/")) + ext


def check_collisions(documents: tuple[Document, ...], issues: list[Issue]) -> None:
    """Warns of each output path that two built documents (or a document and a redirect page) claim."""
    claims: dict[str, list[tuple[str, str]]] = {}
    for doc in documents:
        if not doc.built_by_jekyll:
            continue
        if doc.output_path:
            claims.setdefault(doc.output_path, []).append((doc.source, doc.url))
        for old in doc.redirect_from:
            path = unescape_path(old)
            path = path + "index.html" if old.endswith("/") else (path if path.endswith(".html") else path + ".html")
            claims.setdefault(dest_path(path), []).append((doc.source, f"redirect {old}"))
    for path, owners in sorted(claims.items()):
        if len(owners) < 2:
            continue
        names = ", ".join(f"{src} ({what})" for src, what in owners)
        real = [src for src, what in owners if not what.startswith("redirect ")]
        note = f"; Jekyll keeps {real[-1]}" if real and len(real) < len(owners) else "; the last one written wins"
        issues.append(
            Issue("url-collision", "warning", f"{len(owners)} documents claim /{path}: {names}{note}", owners[0][0])
        )
