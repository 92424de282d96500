"""The reader's findings as the IR: each entry becomes a :class:`Document`, and the whole read a :class:`Site`."""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Iterator
from typing import Any

from migrate.filedates import NAME as LAST_MODIFIED_AT
from migrate.filedates import LastModified
from migrate.ir import AccountedFile, Collection, Document, GeneratedPage, Issue, Site, StaticFile
from migrate.reader.data import authors_from_data
from migrate.reader.dates import jekyll_date
from migrate.reader.documents import DATE_FILENAME, Entry, liquid_data
from migrate.reader.permalinks import HTML_EXTS
from migrate.reader.rubyish import as_list, flatten, pluralized, rb_extname
from migrate.reader.settings import Settings
from migrate.reader.yamlsafe import json_safe, ruby_str

MAPPED_KEYS = frozenset(
    {
        "title", "slug", "date", "categories", "category", "tags", "tag", "author", "authors", "excerpt",
        "excerpt_separator", "published", "layout", "lang", "language", "permalink", "redirect_from",
        "redirect_to", "last_modified_at", "render_with_liquid",
    }
)
REDIRECT_KEYS = frozenset({"redirect_from", "redirect_to"})
"""Front matter of jekyll-redirect-from: plain data when the site does not load the plugin."""


def to_documents(settings: Settings, entries: list[Entry], issues: list[Issue]) -> tuple[Document, ...]:
    """The entries as documents, in their order. ``entries`` is emptied as it goes: a large site's front
    matter then exists in one form at a time (the reader's or the IR's), not in both."""
    dates = LastModified(settings.root) if LAST_MODIFIED_AT in settings.plugins else None
    return tuple(document(settings, entry, issues, dates) for entry in _each_once(entries))


def _each_once(entries: list[Entry]) -> Iterator[Entry]:
    entries.reverse()
    while entries:
        yield entries.pop()


def document(settings: Settings, entry: Entry, issues: list[Issue], dates: LastModified | None = None) -> Document:
    data = liquid_data(settings, entry)
    ext = rb_extname(entry.source)
    excerpt_sep = data.get("excerpt_separator", settings.excerpt_separator)
    front = json_safe(entry.front_matter if entry.kind != "page" else data)
    cats = data.get("categories") if entry.kind != "page" else pluralized(data, "category", "categories")
    tags = data.get("tags") if entry.kind != "page" else flatten(pluralized(data, "tag", "tags"))
    lang = data.get("lang", data.get("language"))
    title = _title(entry, data)
    redirect_to = _redirect_to(settings, data)
    return Document(
        kind=entry.kind,  # type: ignore[arg-type]
        source=entry.source,
        url=entry.url,
        output_path=entry.output_path,
        title=ruby_str(title) if title is not None else "",
        slug=entry.slug,
        collection=entry.collection,
        date=entry.date if entry.kind in ("post", "draft") or entry.dated else None,
        last_modified=_last_modified(settings, entry, data, issues, dates),
        categories=tuple(ruby_str(c) for c in as_list(cats)),
        tags=tuple(ruby_str(t) for t in as_list(tags)),
        authors=tuple(ruby_str(a) for a in flatten(pluralized(data, "author", "authors"))),
        excerpt=ruby_str(data["excerpt"]) if data.get("excerpt") is not None else None,
        excerpt_separator=ruby_str(excerpt_sep) if excerpt_sep is not None else "\n\n",
        published=entry.published,
        future=entry.future,
        built_by_jekyll=entry.built,
        layout=ruby_str(data["layout"]) if data.get("layout") is not None else None,
        language=ruby_str(lang) if lang is not None else settings.lang,
        markup=_markup(settings, ext),
        extension=sys.intern(ext),
        output_ext=entry.output_ext,
        body=entry.text.body,
        body_line=entry.text.body_line,
        render_with_liquid=data.get("render_with_liquid") is not False,
        redirect_from=entry.redirect_from,
        redirect_to=ruby_str(redirect_to) if redirect_to is not None else None,
        permalink=ruby_str(data["permalink"]) if data.get("permalink") else None,
        front_matter=front,
        # the same values as front_matter, not copies of them
        extra={k: v for k, v in front.items()
               if (k not in MAPPED_KEYS or k in REDIRECT_KEYS and not settings.redirect_plugin) and k != "draft"},
    )


def _markup(settings: Settings, ext: str) -> str:
    low = ext.lower()
    return "markdown" if low in settings.markdown_exts else "html" if low in HTML_EXTS else low.lstrip(".") or "text"


def _title(entry: Entry, data: dict[str, Any]) -> Any:
    title = data.get("title")
    if title is None and entry.kind != "page":
        # Jekyll skipped populate_title (unreadable front matter); the IR still needs a title
        stem = entry.source.rsplit("/", 1)[-1]
        m = DATE_FILENAME.match(stem)
        stem = m.group(2) if m else stem.rsplit(".", 1)[0]
        title = " ".join(w.capitalize() for w in stem.split("-"))
    return title


def _redirect_to(settings: Settings, data: dict[str, Any]) -> Any:
    redirect_to = data.get("redirect_to") if settings.redirect_plugin else None
    if isinstance(redirect_to, list):
        redirect_to = next((x for x in redirect_to if x is not None), None)
    return redirect_to


def _last_modified(
    settings: Settings, entry: Entry, data: dict[str, Any], issues: list[Issue], dates: LastModified | None
) -> _dt.datetime | None:
    # jekyll-last-modified-at sets a page's after reading its front matter, a document's before
    if dates is not None and (entry.kind == "page" or data.get("last_modified_at") is None):
        return dates.time(entry.source, settings.zone)
    if data.get("last_modified_at") is None:
        return None
    try:
        return jekyll_date(data["last_modified_at"], settings.zone, now=settings.time)
    except (ValueError, OverflowError):
        issues.append(Issue("invalid-date", "warning", "invalid last_modified_at", entry.source))
        return None


def note_unused_redirects(settings: Settings, documents: tuple[Document, ...], issues: list[Issue]) -> None:
    """Tells of ``redirect_from``/``redirect_to`` in a site that does not load jekyll-redirect-from."""
    if settings.redirect_plugin:
        return
    users = [d.source for d in documents if any(d.front_matter.get(k) is not None for k in REDIRECT_KEYS)]
    if users:
        issues.append(Issue(
            "redirect-plugin-off", "info",
            f"{len(users)} documents set redirect_from or redirect_to, but the site does not load "
            "jekyll-redirect-from (plugins: in the configuration, or the Gemfile's :jekyll_plugins group): "
            "Jekyll writes no redirects for them, and neither does the migration", users[0]))


def to_site(
    settings: Settings,
    documents: tuple[Document, ...],
    statics: list[StaticFile],
    other: list[AccountedFile],
    data: dict[str, Any],
    issues: list[Issue],
    generated: tuple[GeneratedPage, ...] = (),
) -> Site:
    """The IR of the whole read, everything in a fixed order."""
    config = settings.config
    return Site(
        source_dir=str(settings.root),
        title=settings.title,
        description=settings.description,
        url=settings.url,
        baseurl=settings.baseurl,
        language=settings.language,
        timezone=settings.timezone,
        permalink=settings.permalink_style,
        authors=authors_from_data(data),
        collections=tuple(
            Collection(
                label=label,
                output=bool(meta.get("output", False)),
                permalink=settings.collection_template(label),
                directory=settings.collection_dir(label),
            )
            for label, meta in settings.collections.items()
        ),
        documents=tuple(sorted(documents, key=lambda d: d.source)),
        static_files=tuple(sorted(statics, key=lambda s: s.source)),
        generated=generated,
        other_files=tuple(sorted(other, key=lambda o: o.source)),
        config=json_safe(config),
        data=json_safe(data),
        time=settings.time,
        plugins=settings.plugins,
        issues=tuple(issues),
    )
