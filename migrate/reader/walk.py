"""The walk of a site as Jekyll 4.3's Reader makes it: which files are pages, posts, drafts, collection
documents, static files and data, which links it follows, and which files it passes over."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.ir import Issue, StaticFile
from migrate.reader.accounting import Ledger, undecodable
from migrate.reader.data import read_data
from migrate.reader.documents import DATE_FILENAME, DATELESS_FILENAME, YAML_EXTS, Pending
from migrate.reader.entry_filter import EntryFilter
from migrate.reader.permalinks import static_url
from migrate.reader.rubyish import rb_extname
from migrate.reader.settings import Settings

YAML_HEADER = re.compile(rb"\A---\s*\r?\n")


@dataclass
class Walk:
    """One walk of the site: what it finds waits in ``pending`` (to be read) and ``statics``; what it
    passes over goes to the ledger, its problems to ``issues``."""

    settings: Settings
    ledger: Ledger
    issues: list[Issue]
    pending: list[Pending] = field(default_factory=list)
    statics: list[StaticFile] = field(default_factory=list)
    root: Path = field(init=False)
    entry_filter: EntryFilter = field(init=False)

    def __post_init__(self) -> None:
        self.root = self.settings.root
        self.entry_filter = EntryFilter(self.settings.include_patterns, self.settings.exclude_patterns)

    def site(self) -> None:
        """The walk in Jekyll's order: the folders from the top (posts and drafts as met), the files
        ``include`` names, then each collection."""
        self._read_directories("")
        self._read_included_files()
        for label in self.settings.collections:
            if label != "posts":
                self._read_collection(label)

    def data(self) -> dict[str, Any]:
        """``site.data``, from the files of the data folder."""
        rel = self.settings.data_dir
        folder = self.root / rel
        if not folder.is_dir() or folder.is_symlink() and self._link_target(folder) is None:
            return {}
        entries = self._walk_files(folder, dotmatch=False, enter_links=True)
        for entry in entries:
            self.ledger.accounted.setdefault(f"{rel}/{entry}", "data")
        return read_data(folder, rel, entries, self.issues)

    # -- folders and links -------------------------------------------------------------------------------
    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

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
        real_root = self.settings.real_root
        try:
            target = os.path.realpath(path, strict=True)
        except (OSError, RuntimeError):
            self._symlink(path, "its target does not exist (or the links loop)")
            return None
        if not (target == real_root or target.startswith(real_root + os.sep)):
            self._symlink(path)
            return None
        if os.path.isdir(target):
            parent = os.path.realpath(path.parent)
            if target in ancestors or parent == target or parent.startswith(target + os.sep):
                self._symlink(path, "a folder that holds the link itself (Jekyll would go round in circles)")
                return None
        return target

    def _read_directories(self, rel_dir: str, ancestors: frozenset[str] = frozenset()) -> None:
        """``Reader#read_directories``: a folder's posts and drafts, its subfolders, then its pages and
        static files."""
        dirs, pages, statics = self._sort_folder(rel_dir, ancestors)
        collections_dir = self.settings.collections_dir
        if not collections_dir or rel_dir.startswith(collections_dir):
            self._read_posts(rel_dir, "_posts")
            self._read_posts(rel_dir, "_drafts")
        for rel, below in dirs:
            if rel == self.settings.destination:
                continue
            self._read_directories(rel, below)
        for rel in pages:
            self._add_page(rel)
        for rel in statics:
            self._add_static(rel, None)

    def _sort_folder(
        self, rel_dir: str, ancestors: frozenset[str]
    ) -> tuple[list[tuple[str, frozenset[str]]], list[str], list[str]]:
        """The folder's entries the filter keeps: subfolders (with the real paths above each), pages (files
        with front matter) and static files."""
        base = self.root / rel_dir if rel_dir else self.root
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
        return dirs, pages, statics

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

    # -- file heads --------------------------------------------------------------------------------------
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

    @staticmethod
    def _has_yaml_header(path: Path) -> bool:
        try:
            with path.open("rb") as fh:
                return YAML_HEADER.match(fh.readline(4096)) is not None
        except OSError:
            return False

    # -- the special folders -----------------------------------------------------------------------------
    def _read_posts(self, rel_dir: str, magic: str) -> None:
        """``PostReader``: the files of ``_posts`` (or ``_drafts``) whose names make them posts."""
        folder_rel = f"{rel_dir}/{magic}" if rel_dir else magic
        folder = self.root / folder_rel
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
            self._add_document(source, "posts", "draft" if draft else "post")

    def _read_collection(self, label: str) -> None:
        """``CollectionReader``: a collection's documents (with front matter) and static files."""
        rel_dir = self.settings.collection_dir(label)
        folder = self.root / rel_dir
        if not folder.is_dir() or folder.is_symlink() and self._link_target(folder) is None:
            return
        for entry in self._walk_files(folder, dotmatch=True):
            if not self.entry_filter.keep(entry, f"_{label}/{entry}", False):
                continue
            source = f"{rel_dir}/{entry}"
            if self._has_yaml_header(self.root / source):
                self._add_document(source, label, "document")
            else:
                self._warn_bom_header(self.root / source, source)
                self._add_static(source, label)

    def _read_included_files(self) -> None:
        """The files ``include`` names by path, which the folder walk skipped (a name starting with ``_``)."""
        for pattern in self.settings.include:
            rel = pattern.strip("/")
            path = self.root / rel
            if not rel or ".." in rel.split("/") or not path.is_file():
                continue
            if path.is_symlink() and self._link_target(path) is None:
                continue
            if rel in self.ledger.claimed:
                continue
            if self._has_yaml_header(path):
                self._add_page(rel)
            else:
                self._add_static(rel, None)

    # -- what the walk found -----------------------------------------------------------------------------
    def _add_document(self, source: str, label: str, kind: str) -> None:
        self.ledger.claimed.add(source)
        self.pending.append(Pending(source, label, kind, len(self.issues)))

    def _add_page(self, source: str) -> None:
        self.ledger.claimed.add(source)
        self.pending.append(Pending(source, None, "page", len(self.issues)))

    def _add_static(self, source: str, label: str | None) -> None:
        """A static file Jekyll copies, unless it is in a collection without output or ``published: false``
        in the defaults."""
        try:
            size = (self.root / source).stat().st_size
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
