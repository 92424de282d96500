"""Walks a Jekyll site the way Jekyll 4.3's Reader does and builds the IR from what it finds."""

from __future__ import annotations

import datetime as _dt
import logging
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.errors import SiteError
from migrate.ir import Collection, Document, Issue, Site, StaticFile
from migrate.reader.accounting import Ledger, account_rest, undecodable
from migrate.reader.data import authors_from_data, read_data
from migrate.reader.dates import jekyll_date
from migrate.reader.documents import (
    DATE_FILENAME,
    DATELESS_FILENAME,
    YAML_EXTS,
    Entry,
    Pending,
    limit_posts,
    liquid_data,
)
from migrate.reader.entry_filter import EntryFilter
from migrate.reader.parallel import read_pending
from migrate.reader.permalinks import HTML_EXTS, apply_url_issues, check_collisions, static_url
from migrate.reader.rubyish import as_list, flatten, pluralized, rb_extname
from migrate.reader.settings import read_settings
from migrate.reader.yamlsafe import json_safe, ruby_str

log = logging.getLogger(__name__)

YAML_HEADER = re.compile(rb"\A---\s*\r?\n")
MAPPED_KEYS = frozenset(
    {
        "title", "slug", "date", "categories", "category", "tags", "tag", "author", "authors", "excerpt",
        "excerpt_separator", "published", "layout", "lang", "language", "permalink", "redirect_from",
        "redirect_to", "last_modified_at", "render_with_liquid",
    }
)
REDIRECT_KEYS = frozenset({"redirect_from", "redirect_to"})
"""Front matter of jekyll-redirect-from: plain data when the site does not load the plugin."""


@dataclass
class SiteReader:
    root: Path
    drafts: bool = False
    future: bool | None = None
    unpublished: bool = False
    now: _dt.datetime | None = None
    config_files: list[str | Path] | None = None
    jobs: int = 1
    """Processes that read documents (this one included) once a site has ``PARALLEL_MIN_DOCUMENTS``."""
    issues: list[Issue] = field(default_factory=list)

    # -- set-up ----------------------------------------------------------------------------------------
    def read(self) -> Site:
        if not self.root.is_dir():
            raise SiteError(f"{self.root} is not a folder")
        settings = self.settings = read_settings(
            self.root, config_files=self.config_files, drafts=self.drafts, future=self.future,
            unpublished=self.unpublished, now=self.now, issues=self.issues,
        )
        self.statics: list[StaticFile] = []
        self.ledger = Ledger()
        self.entry_filter = EntryFilter(settings.include_patterns, settings.exclude_patterns)
        self.pending: list[Pending] = []
        self._read_directories("")
        self._read_included_files()
        for label in settings.collections:
            if label != "posts":
                self._read_collection(label)
        self.entries = read_pending(settings, self.pending, self.jobs, self.issues)
        limit_posts(settings, self.entries, self.issues)
        apply_url_issues(self.entries, self.issues)
        documents = tuple(self._document(e) for e in self._entries_once())
        self._note_unused_redirects(documents)
        check_collisions(documents, self.issues)
        data = self._read_data()
        other = account_rest(settings, self.ledger, self.issues)
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
            static_files=tuple(sorted(self.statics, key=lambda s: s.source)),
            other_files=tuple(sorted(other, key=lambda o: o.source)),
            config=json_safe(settings.config),
            data=json_safe(data),
            time=settings.time,
            plugins=settings.plugins,
            issues=tuple(self.issues),
        )

    def _entries_once(self) -> Iterator[Entry]:
        """The entries, each let go once the caller has used it: a large site's front matter then exists
        in one form at a time (the reader's or the IR's), not in both."""
        entries, self.entries = self.entries[::-1], []
        while entries:
            yield entries.pop()

    # -- reading folders --------------------------------------------------------------------------------
    def _rel(self, path: Path) -> str:
        return path.relative_to(self.settings.root).as_posix()

    def _scandir(self, folder: Path) -> list[os.DirEntry[str]]:
        """A folder's entries by name, without those whose names are not UTF-8 (reported with the rest of
        what is not read, see :func:`migrate.reader.accounting.account_rest`)."""
        try:
            with os.scandir(folder) as it:
                return sorted((e for e in it if not undecodable(e.name)), key=lambda e: e.name)
        except OSError as exc:
            self.issues.append(Issue("read-error", "error", f"cannot list folder: {exc.strerror}", self._rel(folder)))
            return []

    def _symlink(self, path: Path, why: str = "it points outside the site", severity: str = "warning") -> None:
        rel = self._rel(path)
        self.ledger.accounted[rel] = "symlink"
        self.issues.append(Issue("symlink", severity, f"symbolic link not followed: {why}", rel))  # type: ignore[arg-type]

    def _link_target(self, path: Path, ancestors: frozenset[str] = frozenset()) -> str | None:
        """The real path of a symbolic link Jekyll follows and so do we: one that resolves inside the site
        (Jekyll in safe mode refuses the others; we refuse them always). None, with a warning, otherwise:
        outside the site, dangling, or a folder holding the link itself (Jekyll would loop)."""
        try:
            target = os.path.realpath(path, strict=True)
        except (OSError, RuntimeError):
            self._symlink(path, "its target does not exist (or the links loop)")
            return None
        if not (target == self.settings.real_root or target.startswith(self.settings.real_root + os.sep)):
            self._symlink(path)
            return None
        if os.path.isdir(target):
            parent = os.path.realpath(path.parent)
            if target in ancestors or parent == target or parent.startswith(target + os.sep):
                self._symlink(path, "a folder that holds the link itself (Jekyll would go round in circles)")
                return None
        return target

    def _read_directories(self, rel_dir: str, ancestors: frozenset[str] = frozenset()) -> None:
        base = self.settings.root / rel_dir if rel_dir else self.settings.root
        dirs: list[tuple[str, frozenset[str]]] = []
        pages: list[str] = []
        statics: list[str] = []
        if not ancestors:
            ancestors = frozenset({os.path.realpath(base)})
        for entry in self._scandir(base):
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            linked = entry.is_symlink()
            is_dir = entry.is_dir(follow_symlinks=False) or linked and os.path.isdir(entry.path)
            if not self.entry_filter.keep(entry.name, rel, is_dir):
                continue
            if linked:
                target = self._link_target(Path(entry.path), ancestors)
                if target is None:
                    continue
                if is_dir:
                    self.ledger.followed_dirs.add(rel)
                    dirs.append((rel, ancestors | {target}))
                    continue
            if is_dir:
                dirs.append((rel, ancestors | {os.path.realpath(entry.path)}))
            elif entry.is_file():
                if self._has_yaml_header(Path(entry.path)):
                    pages.append(rel)
                else:
                    self._warn_bom_header(Path(entry.path), rel)
                    statics.append(rel)
        if not self.settings.collections_dir or rel_dir.startswith(self.settings.collections_dir):
            self._read_posts(rel_dir, "_posts")
            self._read_posts(rel_dir, "_drafts")
        for rel, below in dirs:
            if rel == self.settings.destination:
                continue
            self._read_directories(rel, below)
        for rel in pages:
            self._read_page(rel)
        for rel in statics:
            self._add_static(rel, None)

    def _warn_bom_header(self, path: Path, rel: str) -> None:
        try:
            with path.open("rb") as fh:
                head = fh.readline(4096)
        except OSError:
            return
        if head.startswith(b"\xef\xbb\xbf") and YAML_HEADER.match(head[3:]):
            self.issues.append(
                Issue(
                    "bom-front-matter", "warning",
                    "front matter after a UTF-8 byte order mark: Jekyll does not see it and copies the file "
                    "unchanged as a static file", rel, 1,
                )
            )

    def _has_yaml_header(self, path: Path) -> bool:
        try:
            with path.open("rb") as fh:
                return YAML_HEADER.match(fh.readline(4096)) is not None
        except OSError:
            return False

    def _walk_files(self, base: Path, *, dotmatch: bool, enter_links: bool = False) -> list[str]:
        """``Dir["**/*"]`` below ``base`` as relative paths: files, and links to files inside the site (a
        linked folder is not entered, as Ruby's glob does not, unless ``enter_links``: the data reader
        walks folder by folder and enters one inside the site; others are reported)."""
        found: list[str] = []
        stack = [("", frozenset({os.path.realpath(base)}))]
        while stack:
            sub, above = stack.pop()
            for entry in self._scandir(base / sub if sub else base):
                if not dotmatch and entry.name.startswith("."):
                    continue
                rel = f"{sub}/{entry.name}" if sub else entry.name
                if entry.is_symlink():
                    if os.path.isdir(entry.path) and not enter_links:
                        self._symlink(Path(entry.path), "Jekyll does not look into a linked folder here", "info")
                        continue
                    target = self._link_target(Path(entry.path), above)
                    if target is not None and os.path.isdir(target):
                        self.ledger.followed_dirs.add(self._rel(Path(entry.path)))
                        stack.append((rel, above | {target}))
                    elif target is not None:
                        found.append(rel)
                elif entry.is_dir(follow_symlinks=False):
                    stack.append((rel, above | {os.path.realpath(entry.path)}))
                elif entry.is_file(follow_symlinks=False):
                    found.append(rel)
        return sorted(found)

    def _read_posts(self, rel_dir: str, magic: str) -> None:
        folder_rel = f"{rel_dir}/{magic}" if rel_dir else magic
        folder = self.settings.root / folder_rel
        if not folder.is_dir() or folder.is_symlink() and self._link_target(folder) is None:
            return
        draft = magic == "_drafts"
        matcher = DATELESS_FILENAME if draft else DATE_FILENAME
        for entry in self._walk_files(folder, dotmatch=False):
            if not self.entry_filter.keep(entry, f"{folder_rel}/{entry}", False):
                continue
            source = f"{folder_rel}/{entry}"
            if not matcher.match(entry):
                self.ledger.accounted[source] = "not-a-post"
                self.issues.append(
                    Issue("not-a-post", "info", f"Jekyll ignores this file: its name does not match {magic}'s pattern", source)
                )
                continue
            if rb_extname(entry) in YAML_EXTS:
                # Jekyll reads it as a data file with no content, and skips a post without content
                self.ledger.accounted[source] = "not-a-post"
                self.issues.append(
                    Issue("not-a-post", "info", f"Jekyll ignores this file: a YAML file in {magic} is no post", source)
                )
                continue
            self._read_document(source, "posts", "draft" if draft else "post")

    def _read_collection(self, label: str) -> None:
        rel_dir = self.settings.collection_dir(label)
        folder = self.settings.root / rel_dir
        if not folder.is_dir() or folder.is_symlink() and self._link_target(folder) is None:
            return
        for entry in self._walk_files(folder, dotmatch=True):
            if not self.entry_filter.keep(entry, f"_{label}/{entry}", False):
                continue
            source = f"{rel_dir}/{entry}"
            if self._has_yaml_header(self.settings.root / source):
                self._read_document(source, label, "document")
            else:
                self._warn_bom_header(self.settings.root / source, source)
                self._add_static(source, label)

    def _read_included_files(self) -> None:
        for pattern in self.settings.include:
            rel = pattern.strip("/")
            path = self.settings.root / rel
            if not rel or ".." in rel.split("/") or not path.is_file():
                continue
            if path.is_symlink() and self._link_target(path) is None:
                continue
            if rel in self.ledger.claimed:
                continue
            if self._has_yaml_header(path):
                self._read_page(rel)
            else:
                self._add_static(rel, None)

    # -- what the walk found ---------------------------------------------------------------------------
    def _read_document(self, source: str, label: str, kind: str) -> None:
        self.ledger.claimed.add(source)
        self.pending.append(Pending(source, label, kind, len(self.issues)))

    def _read_page(self, source: str) -> None:
        self.ledger.claimed.add(source)
        self.pending.append(Pending(source, None, "page", len(self.issues)))

    def _add_static(self, source: str, label: str | None) -> None:
        try:
            size = (self.settings.root / source).stat().st_size
        except OSError:
            size = 0
        url = static_url(self.settings, source, label, self.issues)
        built = True if label is None else self.settings.collection_output(label)
        published = self.settings.defaults.all(url, label).get("published", True)
        if built and published is False:
            built = False
        if not built:
            self.ledger.accounted[source] = "unpublished-static" if label is None else "unpublished-collection"
            return
        self.ledger.claimed.add(source)
        self.statics.append(StaticFile(source=source, url=url, size=size, collection=label))

    # -- IR ----------------------------------------------------------------------------------------------
    def _document(self, entry: Entry) -> Document:
        data = liquid_data(self.settings, entry)
        ext = rb_extname(entry.source)
        low = ext.lower()
        markup = "markdown" if low in self.settings.markdown_exts else "html" if low in HTML_EXTS else low.lstrip(".") or "text"
        title = data.get("title")
        if title is None and entry.kind != "page":
            # Jekyll skipped populate_title (unreadable front matter); the IR still needs a title
            stem = entry.source.rsplit("/", 1)[-1]
            m = DATE_FILENAME.match(stem)
            stem = m.group(2) if m else stem.rsplit(".", 1)[0]
            title = " ".join(w.capitalize() for w in stem.split("-"))
        redirect_to = data.get("redirect_to") if self.settings.redirect_plugin else None
        if isinstance(redirect_to, list):
            redirect_to = next((x for x in redirect_to if x is not None), None)
        excerpt_sep = data.get("excerpt_separator", self.settings.excerpt_separator)
        last_mod = None
        if data.get("last_modified_at") is not None:
            try:
                last_mod = jekyll_date(data["last_modified_at"], self.settings.zone, now=self.settings.time)
            except (ValueError, OverflowError):
                self.issues.append(Issue("invalid-date", "warning", "invalid last_modified_at", entry.source))
        front = json_safe(entry.front_matter if entry.kind != "page" else data)
        cats = data.get("categories") if entry.kind != "page" else pluralized(data, "category", "categories")
        tags = data.get("tags") if entry.kind != "page" else flatten(pluralized(data, "tag", "tags"))
        lang = data.get("lang", data.get("language"))
        return Document(
            kind=entry.kind,  # type: ignore[arg-type]
            source=entry.source,
            url=entry.url,
            output_path=entry.output_path,
            title=ruby_str(title) if title is not None else "",
            slug=entry.slug,
            collection=entry.collection,
            date=entry.date if entry.kind in ("post", "draft") or entry.dated else None,
            last_modified=last_mod,
            categories=tuple(ruby_str(c) for c in as_list(cats)),
            tags=tuple(ruby_str(t) for t in as_list(tags)),
            authors=tuple(ruby_str(a) for a in flatten(pluralized(data, "author", "authors"))),
            excerpt=ruby_str(data["excerpt"]) if data.get("excerpt") is not None else None,
            excerpt_separator=ruby_str(excerpt_sep) if excerpt_sep is not None else "\n\n",
            published=entry.published,
            draft=entry.kind == "draft",
            future=entry.future,
            built_by_jekyll=entry.built,
            layout=ruby_str(data["layout"]) if data.get("layout") is not None else None,
            language=ruby_str(lang) if lang is not None else self.settings.lang,
            markup=markup,
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
                   if (k not in MAPPED_KEYS or k in REDIRECT_KEYS and not self.settings.redirect_plugin) and k != "draft"},
        )

    def _note_unused_redirects(self, documents: tuple[Document, ...]) -> None:
        if self.settings.redirect_plugin:
            return
        users = [d.source for d in documents if any(d.front_matter.get(k) is not None for k in REDIRECT_KEYS)]
        if users:
            self.issues.append(Issue(
                "redirect-plugin-off", "info",
                f"{len(users)} documents set redirect_from or redirect_to, but the site does not load "
                "jekyll-redirect-from (plugins: in the configuration, or the Gemfile's :jekyll_plugins group): "
                "Jekyll writes no redirects for them, and neither does the migration", users[0]))

    # -- data --------------------------------------------------------------------------------------------
    def _read_data(self) -> dict[str, Any]:
        rel = self.settings.data_dir
        folder = self.settings.root / rel
        if not folder.is_dir() or folder.is_symlink() and self._link_target(folder) is None:
            return {}
        entries = self._walk_files(folder, dotmatch=False, enter_links=True)
        for entry in entries:
            self.ledger.accounted.setdefault(f"{rel}/{entry}", "data")
        return read_data(folder, rel, entries, self.issues)
