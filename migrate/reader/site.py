"""Walks a Jekyll site the way Jekyll 4.3's Reader does and builds the IR from what it finds."""

from __future__ import annotations

import datetime as _dt
import gc
import logging
import os
import re
import stat
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.errors import SiteError
from migrate.ir import AccountedFile, Collection, Document, Issue, Site, StaticFile
from migrate.reader.config import (
    FrontmatterDefaults,
    audit_config,
    compile_patterns,
    deep_merge,
    enabled_plugins,
    load_config,
    python_codec,
)
from migrate.reader.data import authors_from_data, read_data
from migrate.reader.dates import UnrepresentableDate, jekyll_date, local_zone, named_zone
from migrate.reader.generated import Inputs, generated_pages
from migrate.reader.rubyish import (
    DATE_PLACEHOLDERS,
    as_list,
    dest_path,
    flatten,
    pluralized,
    rb_extname,
    strftime,
    union,
    uniq_list,
)
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
from migrate.reader.yamlsafe import YamlError, json_safe, load_yaml, ruby_str
from migrate.workers import fork_context

log = logging.getLogger(__name__)

FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)", re.MULTILINE | re.DOTALL)
YAML_HEADER = re.compile(rb"\A---\s*\r?\n")
DATE_FILENAME = re.compile(r"^(?>.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")
DATELESS_FILENAME = re.compile(r"^(?:.+/)*(.*)(\.[^.]+)$")
HTML_EXTS = (".html", ".xhtml", ".htm")
YAML_EXTS = (".yml", ".yaml")
"""``Document#yaml_file?`` (case-sensitive): such a document is data only, its content nil."""
SPECIAL_START = (".", "_", "#", "~")
MAPPED_KEYS = frozenset(
    {
        "title", "slug", "date", "categories", "category", "tags", "tag", "author", "authors", "excerpt",
        "excerpt_separator", "published", "layout", "lang", "language", "permalink", "redirect_from",
        "redirect_to", "last_modified_at", "render_with_liquid",
    }
)
REDIRECT_KEYS = frozenset({"redirect_from", "redirect_to"})
"""Front matter of jekyll-redirect-from: plain data when the site does not load the plugin."""
MAX_FILE_BYTES = 64 * 1024 * 1024
PARALLEL_MIN_DOCUMENTS = 1000
"""Below this many documents and pages they are read in-process: starting a worker would cost more."""


@dataclass
class _Text:
    body: str
    data: Any
    has_front_matter: bool
    body_line: int
    ok: bool = True
    """False when Jekyll would fail to read the file (invalid UTF-8)."""
    yaml_failed: bool = False


@dataclass
class _Entry:
    """A document as Jekyll's reader leaves it, before it becomes an IR Document."""

    kind: str
    source: str
    relative_path: str
    collection: str | None
    data: dict[str, Any]
    text: _Text
    url: str = ""
    output_ext: str = ".html"
    output_path: str | None = None
    built: bool = True
    date: _dt.datetime | None = None
    future: bool = False
    dated: bool = False
    """Whether the date came from front matter, defaults or the file name (not Jekyll's fallback)."""
    published: bool = True
    slug: str = ""
    redirect_from: tuple[str, ...] = ()
    front_matter: dict[str, Any] = field(default_factory=dict)
    """Defaults merged with the file's own front matter, before Jekyll adds computed keys."""
    url_issues: tuple[Issue, ...] = ()
    """Problems found while working out the URL, reported when URLs are assigned."""
    url_failed: bool = False
    """The URL could not be worked out: Jekyll stops the build on it, so the entry is not built."""


@dataclass
class _Pending:
    """A document or page found by the walk, read later (perhaps in a worker) with the others."""

    source: str
    label: str | None
    kind: str
    issue_at: int
    """Where its problems go in the issue list: after those found before it by the walk."""


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
        root = self.root
        if not root.is_dir():
            raise SiteError(f"{root} is not a folder")
        self.config, self.config_used = load_config(root, self.config_files, self.issues)
        config = self.config
        config_name = self.config_used[0] if self.config_used else None
        self.issues.extend(audit_config(config, config_name))
        self.plugins = enabled_plugins(root, config)  # the Gemfile sits where Jekyll runs, beside _config.yml
        root = self.root = self._source(root, config, config_name)
        tz_name = config.get("timezone") if isinstance(config.get("timezone"), str) else None
        self.zone = local_zone(tz_name)
        if tz_name and named_zone(tz_name) is None:
            self.issues.append(Issue("unknown-timezone", "warning",
                                     f"timezone {tz_name!r} is no zone name: dates are read in UTC, as Jekyll does",
                                     self.config_used[0] if self.config_used else None))
        now = self.now or _dt.datetime.now(_dt.timezone.utc)
        if now.tzinfo is None:
            now = now.replace(tzinfo=_dt.timezone.utc)
        if config.get("time"):
            try:
                now = jekyll_date(config["time"], self.zone)
            except ValueError:
                self.issues.append(Issue("config-error", "warning", "invalid 'time' in the configuration"))
        self.site_time = now.astimezone(self.zone)
        self.show_future = bool(config.get("future")) if self.future is None else (self.future or bool(config.get("future")))
        self.show_unpublished = self.unpublished or bool(config.get("unpublished"))
        self.show_drafts = self.drafts or bool(config.get("show_drafts"))
        self.permalink_style = str(config.get("permalink") or "date")
        self.markdown_exts = {"." + e.strip().lower() for e in str(config.get("markdown_ext", "")).split(",") if e.strip()}
        self.collections_dir = str(config.get("collections_dir") or "").strip("/")
        self.defaults = FrontmatterDefaults(root, self.collections_dir, config.get("defaults") or [], self.issues)
        self.exclude = compile_patterns([p for p in config["exclude"] if p not in config["include"]])
        self.include = compile_patterns(config["include"])
        self.destination = self._destination(config)
        self.collection_meta: dict[str, dict[str, Any]] = config["collections"]
        self.entries: list[_Entry] = []
        self.statics: list[StaticFile] = []
        self.claimed: set[str] = set()
        self.accounted: dict[str, str] = {}
        self.real_root = os.path.realpath(root)
        self.followed_dirs: set[str] = set()
        """Site-relative paths of the linked folders the walk went into."""
        self.redirect_plugin = "jekyll-redirect-from" in self.plugins
        self.codec = python_codec(config.get("encoding")) or "utf-8"
        """How Jekyll reads pages and documents (``encoding``; Jekyll skips a UTF-8 byte order mark)."""

        for key in ("theme", "remote_theme"):
            if isinstance(config.get(key), str) and config[key]:
                self.issues.append(
                    Issue(
                        "theme-gem", "info",
                        f"the site uses the {key} {config[key]!r}: its layouts and assets live outside the site "
                        "folder and are not read",
                        self.config_used[0] if self.config_used else None,
                    )
                )
        self.pending: list[_Pending] = []
        self._read_directories("")
        self._read_included_files()
        for label in self.collection_meta:
            if label != "posts":
                self._read_collection(label)
        self._read_pending()
        self._limit_posts()
        self._assign_urls()
        documents = tuple(self._document(e) for e in self._entries_once())
        self._note_unused_redirects(documents)
        self._check_collisions(documents)
        data = self._read_data()
        other = self._account_rest()
        generated, found = generated_pages(Inputs(self.root, config, self.plugins, documents, tuple(self.statics),
                                                  self.permalink_style, config_name))
        self.issues.extend(found)
        return Site(
            source_dir=str(self.root),
            title=ruby_str(config.get("title")) if config.get("title") is not None else "",
            description=ruby_str(config.get("description")) if config.get("description") is not None else "",
            url=ruby_str(config.get("url")).rstrip("/") if config.get("url") else "",
            baseurl=self._baseurl(),
            language=ruby_str(config.get("lang") or config.get("language")) or None,
            timezone=tz_name,
            permalink=self.permalink_style,
            authors=authors_from_data(data),
            collections=tuple(
                Collection(
                    label=label,
                    output=bool(meta.get("output", False)),
                    permalink=self._collection_template(label),
                    directory=self._collection_dir(label),
                )
                for label, meta in self.collection_meta.items()
            ),
            documents=tuple(sorted(documents, key=lambda d: d.source)),
            static_files=tuple(sorted(self.statics, key=lambda s: s.source)),
            generated=generated,
            other_files=tuple(sorted(other, key=lambda o: o.source)),
            config=json_safe(config),
            data=json_safe(data),
            time=self.site_time,
            plugins=self.plugins,
            issues=tuple(self.issues),
        )

    def _source(self, folder: Path, config: dict[str, Any], where: str | None) -> Path:
        """Jekyll's ``source``: the folder the site is read from, relative to the folder Jekyll runs in (where
        it found ``_config.yml``); every other path of the site is relative to it."""
        self.run_dir = folder
        value = config.get("source")
        if value is None or not isinstance(value, (str, int, float)) or str(value).strip() in ("", "."):
            return folder
        source = Path(os.path.normpath(folder / str(value)))
        if not source.is_dir():
            self.issues.append(Issue("config-error", "error", f"source {value!r}: no such folder; the site is read "
                                     "from the folder given", where))
            return folder
        self.issues.append(Issue("config-source", "info", f"the site is read from {value!r} (source: in the "
                                 "configuration), as Jekyll reads it", where))
        return source

    def _destination(self, config: dict[str, Any]) -> str:
        """The output folder as a path inside the source (Jekyll skips it there), relative to where Jekyll runs."""
        dest = os.path.normpath(os.path.join(self.run_dir, str(config.get("destination") or "_site")))
        rel = os.path.relpath(dest, self.root)
        return "" if rel == "." or rel.startswith("..") else Path(rel).as_posix()

    def _entries_once(self) -> Iterator[_Entry]:
        """The entries, each let go once the caller has used it: a large site's front matter then exists
        in one form at a time (the reader's or the IR's), not in both."""
        entries, self.entries = self.entries[::-1], []
        while entries:
            yield entries.pop()

    def _baseurl(self) -> str:
        base = self.config.get("baseurl")
        if not base:
            return ""
        base = "/" + ruby_str(base).strip("/")
        return "" if base == "/" else base

    # -- entry filter ---------------------------------------------------------------------------------
    @staticmethod
    def _glob_include(patterns: list[tuple[str, re.Pattern[str]]], entry: str, is_dir: bool) -> bool:
        entry = entry.lstrip("/")
        for text, rx in patterns:
            if rx.match(entry) or entry.startswith(text) or (is_dir and text == entry + "/"):
                return True
        return False

    def _included(self, entry: str, is_dir: bool) -> bool:
        return self._glob_include(self.include, entry, is_dir) or self._glob_include(
            self.include, entry.rsplit("/", 1)[-1], is_dir
        )

    def _keep(self, entry: str, rel_to_source: str, is_dir: bool) -> bool:
        """``EntryFilter#filter`` for one entry (``entry`` relative to the folder being read)."""
        if entry.endswith("."):
            return False
        included = self._included(entry, is_dir)
        if not included and self._glob_include(self.exclude, rel_to_source, is_dir):
            return False
        if included:
            return True
        base = entry.rsplit("/", 1)[-1]
        if entry.startswith(SPECIAL_START) or base.startswith(SPECIAL_START):
            return False
        return not entry.endswith("~")

    # -- reading folders --------------------------------------------------------------------------------
    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _scandir(self, folder: Path) -> list[os.DirEntry[str]]:
        """A folder's entries by name, without those whose names are not UTF-8 (reported with the rest of
        what is not read, see :meth:`_account_rest`)."""
        try:
            with os.scandir(folder) as it:
                return sorted((e for e in it if not _undecodable(e.name)), key=lambda e: e.name)
        except OSError as exc:
            self.issues.append(Issue("read-error", "error", f"cannot list folder: {exc.strerror}", self._rel(folder)))
            return []

    def _symlink(self, path: Path, why: str = "it points outside the site", severity: str = "warning") -> None:
        rel = self._rel(path)
        self.accounted[rel] = "symlink"
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
        if not (target == self.real_root or target.startswith(self.real_root + os.sep)):
            self._symlink(path)
            return None
        if os.path.isdir(target):
            parent = os.path.realpath(path.parent)
            if target in ancestors or parent == target or parent.startswith(target + os.sep):
                self._symlink(path, "a folder that holds the link itself (Jekyll would go round in circles)")
                return None
        return target

    def _read_directories(self, rel_dir: str, ancestors: frozenset[str] = frozenset()) -> None:
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
            if not self._keep(entry.name, rel, is_dir):
                continue
            if linked:
                target = self._link_target(Path(entry.path), ancestors)
                if target is None:
                    continue
                if is_dir:
                    self.followed_dirs.add(rel)
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
        if not self.collections_dir or rel_dir.startswith(self.collections_dir):
            self._read_posts(rel_dir, "_posts")
            self._read_posts(rel_dir, "_drafts")
        for rel, below in dirs:
            if rel == self.destination:
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
                        self.followed_dirs.add(self._rel(Path(entry.path)))
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
        folder = self.root / folder_rel
        if not folder.is_dir() or folder.is_symlink() and self._link_target(folder) is None:
            return
        draft = magic == "_drafts"
        matcher = DATELESS_FILENAME if draft else DATE_FILENAME
        for entry in self._walk_files(folder, dotmatch=False):
            if not self._keep(entry, f"{folder_rel}/{entry}", False):
                continue
            source = f"{folder_rel}/{entry}"
            if not matcher.match(entry):
                self.accounted[source] = "not-a-post"
                self.issues.append(
                    Issue("not-a-post", "info", f"Jekyll ignores this file: its name does not match {magic}'s pattern", source)
                )
                continue
            if rb_extname(entry) in YAML_EXTS:
                # Jekyll reads it as a data file with no content, and skips a post without content
                self.accounted[source] = "not-a-post"
                self.issues.append(
                    Issue("not-a-post", "info", f"Jekyll ignores this file: a YAML file in {magic} is no post", source)
                )
                continue
            self._read_document(source, "posts", "draft" if draft else "post")

    def _collection_dir(self, label: str) -> str:
        return f"{self.collections_dir}/_{label}" if self.collections_dir else f"_{label}"

    def _collection_template(self, label: str) -> str:
        meta = self.collection_meta.get(label, {})
        if meta.get("permalink"):
            return ruby_str(meta["permalink"])
        return add_permalink_suffix("/:collection/:path", self.permalink_style)

    def _read_collection(self, label: str) -> None:
        rel_dir = self._collection_dir(label)
        folder = self.root / rel_dir
        if not folder.is_dir() or folder.is_symlink() and self._link_target(folder) is None:
            return
        for entry in self._walk_files(folder, dotmatch=True):
            if not self._keep(entry, f"_{label}/{entry}", False):
                continue
            source = f"{rel_dir}/{entry}"
            if self._has_yaml_header(self.root / source):
                self._read_document(source, label, "document")
            else:
                self._warn_bom_header(self.root / source, source)
                self._add_static(source, label)

    def _read_included_files(self) -> None:
        for pattern in self.config["include"]:
            rel = pattern.strip("/")
            path = self.root / rel
            if not rel or ".." in rel.split("/") or not path.is_file():
                continue
            if path.is_symlink() and self._link_target(path) is None:
                continue
            if rel in self.claimed:
                continue
            if self._has_yaml_header(path):
                self._read_page(rel)
            else:
                self._add_static(rel, None)

    # -- reading documents, in worker processes when there are many --------------------------------------
    def _read_pending(self) -> None:
        """Reads the documents and pages the walk found, then puts each one's problems where it was found."""
        pending, self.pending = self.pending, []
        if self.jobs > 1 and len(pending) >= PARALLEL_MIN_DOCUMENTS and fork_context() is not None:
            built = self._build_parallel(pending)
        else:
            built = self._build_chunk(pending)
        found, merged = self.issues, []
        at = 0
        for item, (entry, issues) in zip(pending, built):
            merged.extend(found[at : item.issue_at])
            merged.extend(issues)
            at = item.issue_at
            self.entries.append(entry)
        merged.extend(found[at:])
        found[:] = merged  # the same list: the caller's, and the one the defaults reported to

    def _build_chunk(self, pending: list[_Pending]) -> list[tuple[_Entry, list[Issue]]]:
        result = []
        for item in pending:
            issues: list[Issue] = []
            if item.kind == "page":
                entry = self._build_page(item.source, issues)
            else:
                entry = self._build_document(item.source, item.label or "", item.kind, issues)
            result.append((entry, issues))
        for entry, _ in result:  # a second pass: quicker than interleaving the two kinds of work
            self._entry_url(entry)
        return result

    def _build_parallel(self, pending: list[_Pending]) -> list[tuple[_Entry, list[Issue]]]:
        """Workers take chunks from the front while this process takes them from the back, so they meet
        wherever the machine's load puts them. A chunk a worker fails on is read again here."""
        # small enough that this process seldom waits on the chunks a worker holds when they meet
        size = max(16, min(128, len(pending) // (self.jobs * 16)))
        chunks = [pending[i : i + size] for i in range(0, len(pending), size)]
        context = fork_context()
        claims = _Claims(context.Lock(), context.RawArray("b", len(chunks)))
        done: dict[int, list[tuple[_Entry, list[Issue]]] | None] = {}
        result: list[tuple[_Entry, list[Issue]]] = []
        # objects made before the fork stay out of the workers' garbage collector, which would copy their pages
        gc.freeze()
        try:
            pool = ProcessPoolExecutor(max_workers=self.jobs - 1, mp_context=context,
                                       initializer=_init_worker, initargs=(self, chunks, claims))
            try:
                futures = [pool.submit(_build_in_worker, 0)]  # starts the workers
            except OSError:  # no worker can be started here (a process limit): read everything in this process
                log.debug("no reader worker could be started", exc_info=True)
                pool.shutdown()
                return self._build_chunk(pending)
            with pool:
                futures += [pool.submit(_build_in_worker, i) for i in range(1, len(chunks))]
                for i in range(len(chunks) - 1, -1, -1):
                    if not claims.take(i):
                        break
                    done[i] = self._build_chunk(chunks[i])
                for i, future in enumerate(futures):
                    if i not in done:
                        try:
                            done[i] = future.result()
                        except Exception:  # a dead worker or an unpicklable value: read the chunk here
                            log.debug("reading chunk %d again in-process", i, exc_info=True)
                            done[i] = None
                    part = done.pop(i)
                    result.extend(part if part is not None else self._build_chunk(chunks[i]))
        finally:
            gc.unfreeze()
        return result

    # -- file contents ---------------------------------------------------------------------------------
    def _read_text(self, source: str, issues: list[Issue]) -> _Text:
        path = os.path.join(self.root, source)  # a str: pathlib's objects cost more than the read on a large site
        ok = True
        try:
            if os.stat(path).st_size > MAX_FILE_BYTES:
                issues.append(Issue("file-too-large", "error", f"larger than {MAX_FILE_BYTES} bytes; not read", source))
                return _Text("", None, False, 1, ok=False)
            with open(path, "rb") as file:
                raw = file.read()
        except OSError as exc:
            issues.append(Issue("read-error", "error", f"cannot read file: {exc.strerror}", source))
            return _Text("", None, False, 1, ok=False)
        utf8 = self.codec == "utf-8"
        if utf8 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
            issues.append(Issue("bom", "info", "starts with a UTF-8 byte order mark (removed)", source))
        try:
            text = raw.decode(self.codec)
        except UnicodeDecodeError as exc:
            ok = False
            line = raw[: exc.start].count(b"\n") + 1
            shown = "UTF-8" if utf8 else self.codec
            issues.append(
                Issue("encoding", "error", f"not valid {shown} (byte 0x{raw[exc.start]:02x}); read with replacements", source, line)
            )
            text = raw.decode(self.codec, "replace")
        if "\r" in text:
            if "\r\n" in text:
                issues.append(Issue("crlf", "info", "CRLF line endings (normalised to LF)", source))
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        match = FRONT_MATTER.match(text) if ok else None
        if not match:
            return _Text(text, None, False, 1, ok=ok)
        body = text[match.end() :]
        body_line = text.count("\n", 0, match.end()) + 1
        try:
            data = load_yaml(match.group(1))
        except YamlError as exc:
            yaml_line = exc.line + 1 if exc.line is not None else None
            issues.append(Issue("yaml-error", "error", f"invalid YAML front matter: {exc.message}", source, yaml_line))
            return _Text(body, None, True, body_line, yaml_failed=True)
        if data is not None and not isinstance(data, dict):
            issues.append(
                Issue(
                    "front-matter-not-mapping", "error",
                    f"front matter is a {type(data).__name__}, not a mapping; ignored", source, 2,
                )
            )
            return _Text(body, None, True, body_line, yaml_failed=True)
        if isinstance(data, dict):
            data = {str(k) if not isinstance(k, str) else k: v for k, v in data.items()}
        return _Text(body, data, True, body_line)

    # -- documents -------------------------------------------------------------------------------------
    def _merge(self, data: dict[str, Any], other: dict[str, Any], source: str, what: str, issues: list[Issue]) -> None:
        """``Document#merge_data!``."""
        other = dict(other)
        cats = other.get("categories")
        if cats is not None:
            if isinstance(cats, str):
                cats = cats.split()
            if not isinstance(cats, list):
                cats = [cats]
            if isinstance(data.get("categories"), list):
                cats = union(data["categories"], cats)
            other["categories"] = cats
        data.update(deep_merge(data, other))
        if "date" in other and other["date"] is not None:
            try:
                data["date"] = jekyll_date(data["date"], self.zone, now=self.site_time)
            except UnrepresentableDate:
                issues.append(
                    Issue("invalid-date", "error", f"date {ruby_str(other['date'])!r} in the {what} is outside the "
                          "years 1 to 9999, which the migration cannot represent", source)
                )
                data.pop("date", None)
            except (ValueError, OverflowError):
                issues.append(
                    Issue("invalid-date", "error", f"invalid date {ruby_str(other['date'])!r} in the {what}; Jekyll stops the build on it", source)
                )
                data.pop("date", None)

    def _read_document(self, source: str, label: str, kind: str) -> None:
        self.claimed.add(source)
        self.pending.append(_Pending(source, label, kind, len(self.issues)))

    def _build_document(self, source: str, label: str, kind: str, issues: list[Issue]) -> _Entry:
        """``Document#read`` for one file; its problems go to ``issues`` (the file's own, in Jekyll's order)."""
        rel_coll = source[len(self.collections_dir) + 1 :] if self.collections_dir else source
        special = "_drafts" if kind == "draft" else f"_{label}"
        data: dict[str, Any] = {}
        basename = source.rsplit("/", 1)[-1]
        if rel_coll.startswith(special):
            superdirs: list[str] = []
        else:
            head = rel_coll.split(special, 1)[0]
            superdirs = [c for c in head.split("/") if c and c != special and c != basename]
        self._merge(data, {"categories": superdirs}, source, "file path", issues)
        defaults = self.defaults.all(rel_coll, label)
        if defaults:
            self._merge(data, defaults, source, "front matter defaults", issues)
        text = self._read_text(source, issues)
        if rb_extname(source) in YAML_EXTS:
            text.body = ""  # Jekyll takes the file as data and writes the document empty
        entry = _Entry(kind, source, rel_coll, label, data, text)
        entry.front_matter = deep_merge(defaults, text.data or {})
        if text.data:
            self._merge(data, text.data, source, "YAML front matter", issues)
        text.data = None  # now in data and front_matter: one copy fewer per document while reading
        if not text.yaml_failed and text.ok:
            self._populate(entry, issues)
        entry.dated = isinstance(data.get("date"), _dt.datetime)
        if "date" not in data or data["date"] is None:
            if kind == "draft":
                mtime = (self.root / source).stat().st_mtime
                data["date"] = _dt.datetime.fromtimestamp(int(mtime), self.zone)
            else:
                data["date"] = self.site_time
        entry.date = data["date"]
        entry.published = not ("published" in data and data["published"] is False)
        entry.future = entry.date.timestamp() // 1 > self.site_time.timestamp() // 1
        readable = text.ok
        if kind in ("post", "draft"):
            entry.built = (
                readable
                and (entry.published or self.show_unpublished)
                and (not entry.future or self.show_future)
                and (kind == "post" or self.show_drafts)
            )
        else:
            output = bool(self.collection_meta.get(label, {}).get("output", False))
            entry.built = output and (entry.published or self.show_unpublished) and (not entry.future or self.show_future)
        return entry

    def _populate(self, entry: _Entry, issues: list[Issue]) -> None:
        """``populate_title``, ``populate_categories`` and ``populate_tags``."""
        data = entry.data
        m = DATE_FILENAME.match(entry.relative_path)
        if m:
            date_text, slug, ext = m.groups()
            current = data.get("date")
            if not current or int(current.timestamp()) == int(self.site_time.timestamp()):
                try:
                    data["date"] = jekyll_date(date_text, self.zone, now=self.site_time)
                except (ValueError, OverflowError):
                    issues.append(
                        Issue("invalid-date", "error", f"impossible date {date_text!r} in the file name; Jekyll stops the build on it", entry.source)
                    )
        else:
            m2 = DATELESS_FILENAME.match(entry.relative_path)
            slug, ext = (m2.groups() if m2 else (None, None))
        if slug is None:
            slug = entry.relative_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        slug = slug.rstrip(".")
        if data.get("title") in (None, False):
            data["title"] = " ".join(w.capitalize() for w in slug.split("-"))
        if data.get("slug") in (None, False):
            data["slug"] = slug
        if data.get("ext") in (None, False):
            data["ext"] = ext
        cats = as_list(data.get("categories")) + pluralized(data, "category", "categories")
        data["categories"] = uniq_list(flatten([ruby_str(c) for c in cats]))
        data["tags"] = flatten(pluralized(data, "tag", "tags"))

    # -- pages and static files ------------------------------------------------------------------------
    def _read_page(self, source: str) -> None:
        self.claimed.add(source)
        self.pending.append(_Pending(source, None, "page", len(self.issues)))

    def _build_page(self, source: str, issues: list[Issue]) -> _Entry:
        text = self._read_text(source, issues)
        data = dict(text.data or {})
        text.data = None
        if data.get("permalink") == "":
            issues.append(Issue("invalid-permalink", "error", "empty permalink; Jekyll stops the build on it", source))
            data.pop("permalink")
        entry = _Entry("page", source, source, None, data, text)
        entry.published = not ("published" in data and data["published"] is False)
        entry.built = entry.published or self.show_unpublished
        return entry

    def _add_static(self, source: str, label: str | None) -> None:
        path = self.root / source
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        name = source.rsplit("/", 1)[-1]
        ext = rb_extname(name)
        if label is None:
            rel = "/" + source
            cleaned = (rel[: len(rel) - len(ext)] if ext else rel).rstrip(".") or rel
            url = cleaned + ext
            built = True
        else:
            coll_dir = self._collection_dir(label)
            inner = source[len(coll_dir) :]
            rel_path = f"_{label}{inner}"
            cleaned = (rel_path[: len(rel_path) - len(ext)] if ext else rel_path).rstrip(".")
            cleaned = cleaned.replace(f"_{label}", "", 1)
            base = (name[: len(name) - len(ext)] if ext else name).rstrip(".")
            placeholders = {"collection": label, "path": cleaned, "output_ext": "", "name": base, "title": ""}
            try:
                url = sanitize_url(generate_from_hash(self._collection_template(label), placeholders))
            except UrlError as exc:
                self.issues.append(Issue("url-error", "error", str(exc), source))
                url = sanitize_url(cleaned)
            url = (url.removesuffix("/")) + ext
            built = bool(self.collection_meta.get(label, {}).get("output", False))
        published = self.defaults.all(url, label).get("published", True)
        if built and published is False:
            built = False
        if not built:
            self.accounted[source] = "unpublished-static" if label is None else "unpublished-collection"
            return
        self.claimed.add(source)
        self.statics.append(StaticFile(source=source, url=url, size=size, collection=label))

    def _limit_posts(self) -> None:
        """``Site#limit_posts!``: only the newest ``limit_posts`` posts are built."""
        try:
            limit = int(self.config.get("limit_posts") or 0)
        except (TypeError, ValueError):
            limit = 0
        if limit <= 0:
            return
        posts = [e for e in self.entries if e.kind in ("post", "draft") and e.built]
        posts.sort(key=lambda e: (e.date.timestamp() if e.date else 0.0, e.source))
        for entry in posts[: max(len(posts) - limit, 0)]:
            entry.built = False
            self.issues.append(Issue("limit-posts", "info", f"not built: the site sets limit_posts: {limit}", entry.source))

    # -- URLs ------------------------------------------------------------------------------------------
    def _converter_ext(self, ext: str) -> str:
        low = ext.lower()
        if low in self.markdown_exts:
            return ".html"
        if low in (".scss", ".sass"):
            return ".css"
        return ext

    def _output_ext(self, permalink: Any, ext: str) -> str:
        if isinstance(permalink, str) and permalink and not permalink.endswith("/"):
            pext = rb_extname(permalink)
            if pext:
                return pext
        return self._converter_ext(ext)

    def _assign_urls(self) -> None:
        """Applies the URLs worked out as each entry was read, in the entries' order (after ``limit_posts``,
        which must not see a URL failure's ``built = False``)."""
        for entry in self.entries:
            self.issues.extend(entry.url_issues)
            if entry.url_failed:
                entry.built = False
            entry.url_issues = ()

    def _entry_url(self, entry: _Entry) -> None:
        """The entry's URL, output path and redirects: they depend on the entry and the configuration only."""
        issues: list[Issue] = []
        try:
            if entry.kind == "page":
                self._page_url(entry)
            else:
                self._document_url(entry)
        except (PlaceholderError, UrlError) as exc:
            issues.append(Issue("url-error", "error", f"{exc}; Jekyll stops the build on it", entry.source))
            entry.url = sanitize_url(entry.source)
            entry.url_failed = True
            entry.output_path = None
        # kept for unbuilt documents too (Jekyll writes their redirect pages only once they are built)
        entry.redirect_from = self._redirects(entry)
        entry.url_issues = tuple(issues)

    def _document_url(self, entry: _Entry) -> None:
        data = entry.data
        ext = rb_extname(entry.source)
        permalink = data.get("permalink")
        entry.output_ext = self._output_ext(permalink, ext)
        basename_no_ext = entry.source.rsplit("/", 1)[-1]
        basename_no_ext = basename_no_ext[: len(basename_no_ext) - len(ext)] if ext else basename_no_ext
        rel = entry.relative_path
        cleaned = (rel[: len(rel) - len(ext)] if ext else rel).replace(f"_{entry.collection}", "", 1).rstrip(".")
        date: _dt.datetime = entry.date or self.site_time
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

        template = ruby_str(permalink) if permalink else self._collection_template(entry.collection or "")
        entry.url = sanitize_url(generate_from_drop(template, lookup))
        entry.slug = ruby_str(slug_value) if slug_value else basename_no_ext
        if entry.built or entry.kind in ("post", "draft") or self.collection_meta.get(entry.collection or "", {}).get("output"):
            path = unescape_path(entry.url)
            if entry.url.endswith("/"):
                path += "index.html"
            elif not path.endswith(entry.output_ext):
                path += entry.output_ext
            entry.output_path = dest_path(path)

    def _page_url(self, entry: _Entry) -> None:
        data = entry.data
        name = entry.source.rsplit("/", 1)[-1]
        folder = entry.source[: -len(name)].rstrip("/")
        page_dir = "/" + folder if folder else ""
        ext = rb_extname(name)
        basename = (name[: len(name) - len(ext)] if ext else name).rstrip(".")
        if "permalink" in data:
            permalink = data["permalink"]
        else:
            permalink = self.defaults.find(entry.source, "pages", "permalink")
        entry.output_ext = self._output_ext(permalink, ext)
        if entry.output_ext not in HTML_EXTS:
            template = "/:path/:basename:output_ext"
        elif basename == "index":
            template = "/:path/"
        else:
            template = add_permalink_suffix("/:path/:basename", self.permalink_style)
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

    def _liquid_data(self, entry: _Entry) -> dict[str, Any]:
        if entry.kind == "page":
            return deep_merge(self.defaults.all(entry.source, "pages"), entry.data)
        return entry.data

    def _redirects(self, entry: _Entry) -> tuple[str, ...]:
        if not self.redirect_plugin:
            return ()
        raw = self._liquid_data(entry).get("redirect_from")
        items = [x for x in raw if x is not None] if isinstance(raw, list) else ([] if raw is None else [raw])
        urls = []
        for item in items:
            text = ruby_str(item)
            if not text.startswith("/"):
                text = "/" + text
            placeholders = {"path": "", "basename": "redirect", "output_ext": ".html"}
            urls.append(sanitize_url(generate_from_hash(text, placeholders)))
        return tuple(urls)

    # -- IR ----------------------------------------------------------------------------------------------
    def _document(self, entry: _Entry) -> Document:
        data = self._liquid_data(entry)
        ext = rb_extname(entry.source)
        low = ext.lower()
        markup = "markdown" if low in self.markdown_exts else "html" if low in HTML_EXTS else low.lstrip(".") or "text"
        title = data.get("title")
        if title is None and entry.kind != "page":
            # Jekyll skipped populate_title (unreadable front matter); the IR still needs a title
            stem = entry.source.rsplit("/", 1)[-1]
            m = DATE_FILENAME.match(stem)
            stem = m.group(2) if m else stem.rsplit(".", 1)[0]
            title = " ".join(w.capitalize() for w in stem.split("-"))
        redirect_to = data.get("redirect_to") if self.redirect_plugin else None
        if isinstance(redirect_to, list):
            redirect_to = next((x for x in redirect_to if x is not None), None)
        excerpt_sep = data.get("excerpt_separator", self.config.get("excerpt_separator"))
        last_mod = None
        if data.get("last_modified_at") is not None:
            try:
                last_mod = jekyll_date(data["last_modified_at"], self.zone, now=self.site_time)
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
            language=ruby_str(lang) if lang is not None else (ruby_str(self.config.get("lang")) or None),
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
                   if (k not in MAPPED_KEYS or k in REDIRECT_KEYS and not self.redirect_plugin) and k != "draft"},
        )

    def _note_unused_redirects(self, documents: tuple[Document, ...]) -> None:
        if self.redirect_plugin:
            return
        users = [d.source for d in documents if any(d.front_matter.get(k) is not None for k in REDIRECT_KEYS)]
        if users:
            self.issues.append(Issue(
                "redirect-plugin-off", "info",
                f"{len(users)} documents set redirect_from or redirect_to, but the site does not load "
                "jekyll-redirect-from (plugins: in the configuration, or the Gemfile's :jekyll_plugins group): "
                "Jekyll writes no redirects for them, and neither does the migration", users[0]))

    def _check_collisions(self, documents: tuple[Document, ...]) -> None:
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
            self.issues.append(
                Issue("url-collision", "warning", f"{len(owners)} documents claim /{path}: {names}{note}", owners[0][0])
            )

    # -- data, authors and accounting ------------------------------------------------------------------
    def _read_data(self) -> dict[str, Any]:
        rel = str(self.config.get("data_dir") or "_data").strip("/")
        folder = self.root / rel
        if not folder.is_dir() or folder.is_symlink() and self._link_target(folder) is None:
            return {}
        entries = self._walk_files(folder, dotmatch=False, enter_links=True)
        for entry in entries:
            self.accounted.setdefault(f"{rel}/{entry}", "data")
        return read_data(folder, rel, entries, self.issues)


    def _account_rest(self) -> list[AccountedFile]:
        result: list[AccountedFile] = []
        known = {
            str(self.config.get("layouts_dir") or "_layouts").strip("/"): "layout",
            str(self.config.get("includes_dir") or "_includes").strip("/"): "include",
            str(self.config.get("data_dir") or "_data").strip("/"): "data",
            "_sass": "sass",
            str(self.config.get("plugins_dir") or "_plugins").strip("/") if isinstance(self.config.get("plugins_dir"), str) else "_plugins": "plugin",
            self.destination: "output",
            ".jekyll-cache": "cache",
            ".sass-cache": "cache",
            ".git": "vcs",
        }
        config_names = set(self.config_used) | {"_config.yml", "_config.yaml", "_config.toml"}
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=True):
            rel_dir = Path(dirpath).relative_to(self.root).as_posix()
            rel_dir = "" if rel_dir == "." else rel_dir
            names = list(filenames)
            for d in list(dirnames):
                if (f"{rel_dir}/{d}" if rel_dir else d) in self.followed_dirs:
                    continue  # entered by the walk as Jekyll enters it (the links there are free of loops)
                if os.path.islink(os.path.join(dirpath, d)) or _undecodable(d):
                    names.append(d)  # reported below, not entered
                    dirnames.remove(d)
            for name in names:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if _undecodable(name):
                    shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
                    self.issues.append(Issue("file-name-not-utf8", "warning",
                                             "name is not UTF-8, which no URL, XML or JSON can hold: not read "
                                             "(rename it)", shown))
                    result.append(AccountedFile(source=shown, reason="bad-name"))
                    continue
                if rel in self.claimed:
                    continue
                reason = self.accounted.get(rel) or self._reason(rel, known, config_names)
                if reason == "error":
                    self.issues.append(Issue("unaccounted", "warning", "file not read", rel))
                elif reason == "special-file":
                    self.issues.append(Issue("special-file", "warning",
                                             "not a regular file (a pipe, socket or device): not read", rel))
                result.append(AccountedFile(source=rel, reason=reason))
        return result

    def _reason(self, rel: str, known: dict[str, str], config_names: set[str]) -> str:
        try:
            mode = os.lstat(self.root / rel).st_mode
        except OSError:
            return "error"
        if stat.S_ISLNK(mode):
            return "symlink"
        if not stat.S_ISREG(mode):
            return "special-file"  # wherever it is: a pipe would block whoever reads it
        if rel in config_names:
            return "config"
        for prefix, reason in known.items():
            if prefix and (rel == prefix or rel.startswith(prefix + "/")):
                return reason
        parts = rel.split("/")
        for i in range(len(parts)):
            sub = "/".join(parts[: i + 1])
            if self._glob_include(self.exclude, sub, i < len(parts) - 1) and not self._included(parts[i], False):
                return "excluded"
        for part in parts:
            if part.startswith(SPECIAL_START) or part.endswith("~"):
                return "hidden"
        return "ignored"


_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _undecodable(name: str) -> bool:
    """Whether a name from the file system held bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which cannot be written out again as text)."""
    return not name.isascii() and _NOT_UTF8.search(name) is not None


# -- worker processes ----------------------------------------------------------------------------------
_worker_reader: SiteReader | None = None
_worker_chunks: list[list[_Pending]] = []
_worker_claims: _Claims | None = None


@dataclass
class _Claims:
    """Which chunks a process has taken, shared by the reader and its workers."""

    lock: Any
    taken: Any

    def take(self, index: int) -> bool:
        with self.lock:
            if self.taken[index]:
                return False
            self.taken[index] = 1
            return True


def _init_worker(reader: SiteReader, chunks: list[list[_Pending]], claims: _Claims) -> None:
    global _worker_reader, _worker_chunks, _worker_claims
    _worker_reader, _worker_chunks, _worker_claims = reader, chunks, claims


def _build_in_worker(index: int) -> list[tuple[_Entry, list[Issue]]] | None:
    """The chunk's entries, or None when the reader took the chunk itself."""
    assert _worker_reader is not None and _worker_claims is not None
    if not _worker_claims.take(index):
        return None
    return _worker_reader._build_chunk(_worker_chunks[index])
