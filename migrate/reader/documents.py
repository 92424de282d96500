"""One page or document as Jekyll 4.3 reads it (``Document#read``, ``Page``): its text and front matter, the
defaults merged in, its title, slug, categories and date, and whether Jekyll builds it."""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from typing import Any

from migrate.ir import Issue
from migrate.reader.config import deep_merge
from migrate.reader.dates import UnrepresentableDate, jekyll_date
from migrate.reader.rubyish import as_list, flatten, pluralized, rb_extname, union, uniq_list
from migrate.reader.settings import Settings
from migrate.reader.yamlsafe import YamlError, load_yaml, ruby_str

FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)", re.MULTILINE | re.DOTALL)
DATE_FILENAME = re.compile(r"^(?>.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")
DATELESS_FILENAME = re.compile(r"^(?:.+/)*(.*)(\.[^.]+)$")
YAML_EXTS = (".yml", ".yaml")
"""``Document#yaml_file?`` (case-sensitive): such a document is data only, its content nil."""
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass
class Text:
    body: str
    data: Any
    has_front_matter: bool
    body_line: int
    ok: bool = True
    """False when Jekyll would fail to read the file (invalid UTF-8)."""
    yaml_failed: bool = False


@dataclass
class Entry:
    """A document as Jekyll's reader leaves it, before it becomes an IR Document."""

    kind: str
    source: str
    relative_path: str
    collection: str | None
    data: dict[str, Any]
    text: Text
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
class Pending:
    """A document or page found by the walk, read later (perhaps in a worker) with the others."""

    source: str
    label: str | None
    kind: str
    issue_at: int
    """Where its problems go in the issue list: after those found before it by the walk."""


def build_entry(settings: Settings, item: Pending, issues: list[Issue]) -> Entry:
    """Reads what the walk found; the file's problems go to ``issues``."""
    if item.kind == "page":
        return build_page(settings, item.source, issues)
    return build_document(settings, item.source, item.label or "", item.kind, issues)


def liquid_data(settings: Settings, entry: Entry) -> dict[str, Any]:
    """``page`` as Liquid sees it: a page's front matter under its defaults (a document's has them already)."""
    if entry.kind == "page":
        return deep_merge(settings.defaults.all(entry.source, "pages"), entry.data)
    return entry.data


# -- file contents -------------------------------------------------------------------------------------
def read_text(settings: Settings, source: str, issues: list[Issue]) -> Text:
    """The file's text and front matter, as Jekyll reads them (line endings made LF)."""
    raw = _read_bytes(os.path.join(settings.root, source), source, issues)
    if raw is None:
        return Text("", None, False, 1, ok=False)
    text, ok = _decode(settings.codec, raw, source, issues)
    if "\r" in text:
        if "\r\n" in text:
            issues.append(Issue("crlf", "info", "CRLF line endings (normalised to LF)", source))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = FRONT_MATTER.match(text) if ok else None
    if not match:
        return Text(text, None, False, 1, ok=ok)
    body = text[match.end() :]
    body_line = text.count("\n", 0, match.end()) + 1
    data, failed = _front_matter(match.group(1), source, issues)
    return Text(body, data, True, body_line, yaml_failed=failed)


def _read_bytes(path: str, source: str, issues: list[Issue]) -> bytes | None:
    # ``path`` a str: pathlib's objects cost more than the read on a large site
    try:
        if os.stat(path).st_size > MAX_FILE_BYTES:
            issues.append(Issue("file-too-large", "error", f"larger than {MAX_FILE_BYTES} bytes; not read", source))
            return None
        with open(path, "rb") as file:
            return file.read()
    except OSError as exc:
        issues.append(Issue("read-error", "error", f"cannot read file: {exc.strerror}", source))
        return None


def _decode(codec: str, raw: bytes, source: str, issues: list[Issue]) -> tuple[str, bool]:
    """The text, and whether it was valid in the site's encoding (else read with replacements)."""
    utf8 = codec == "utf-8"
    if utf8 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        issues.append(Issue("bom", "info", "starts with a UTF-8 byte order mark (removed)", source))
    try:
        return raw.decode(codec), True
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        shown = "UTF-8" if utf8 else codec
        issues.append(
            Issue("encoding", "error", f"not valid {shown} (byte 0x{raw[exc.start]:02x}); read with replacements", source, line)
        )
        return raw.decode(codec, "replace"), False


def _front_matter(yaml: str, source: str, issues: list[Issue]) -> tuple[dict[str, Any] | None, bool]:
    """The front matter as a mapping with string keys, and whether it could not be read as one."""
    try:
        data = load_yaml(yaml)
    except YamlError as exc:
        yaml_line = exc.line + 1 if exc.line is not None else None
        issues.append(Issue("yaml-error", "error", f"invalid YAML front matter: {exc.message}", source, yaml_line))
        return None, True
    if data is not None and not isinstance(data, dict):
        issues.append(
            Issue(
                "front-matter-not-mapping", "error",
                f"front matter is a {type(data).__name__}, not a mapping; ignored", source, 2,
            )
        )
        return None, True
    if isinstance(data, dict):
        data = {str(k) if not isinstance(k, str) else k: v for k, v in data.items()}
    return data, False


# -- documents -----------------------------------------------------------------------------------------
def merge_data(
    settings: Settings, data: dict[str, Any], other: dict[str, Any], source: str, what: str, issues: list[Issue]
) -> None:
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
            data["date"] = jekyll_date(data["date"], settings.zone, now=settings.time)
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


def build_document(settings: Settings, source: str, label: str, kind: str, issues: list[Issue]) -> Entry:
    """``Document#read`` for one file; its problems go to ``issues`` (the file's own, in Jekyll's order)."""
    collections_dir = settings.collections_dir
    rel_coll = source[len(collections_dir) + 1 :] if collections_dir else source
    data: dict[str, Any] = {}
    merge_data(settings, data, {"categories": _folder_categories(rel_coll, label, kind)}, source, "file path", issues)
    defaults = settings.defaults.all(rel_coll, label)
    if defaults:
        merge_data(settings, data, defaults, source, "front matter defaults", issues)
    text = read_text(settings, source, issues)
    if rb_extname(source) in YAML_EXTS:
        text.body = ""  # Jekyll takes the file as data and writes the document empty
    entry = Entry(kind, source, rel_coll, label, data, text)
    entry.front_matter = deep_merge(defaults, text.data or {})
    if text.data:
        merge_data(settings, data, text.data, source, "YAML front matter", issues)
    text.data = None  # now in data and front_matter: one copy fewer per document while reading
    if not text.yaml_failed and text.ok:
        populate(settings, entry, issues)
    entry.dated = isinstance(data.get("date"), _dt.datetime)
    if "date" not in data or data["date"] is None:
        data["date"] = _fallback_date(settings, source, kind)
    entry.date = data["date"]
    entry.published = not ("published" in data and data["published"] is False)
    entry.future = entry.date.timestamp() // 1 > settings.time.timestamp() // 1
    entry.built = _document_built(settings, entry, text.ok)
    return entry


def _folder_categories(rel_coll: str, label: str, kind: str) -> list[str]:
    """The folders above ``_posts`` (or ``_drafts``, or the collection's folder): a post's categories."""
    special = "_drafts" if kind == "draft" else f"_{label}"
    if rel_coll.startswith(special):
        return []
    basename = rel_coll.rsplit("/", 1)[-1]
    head = rel_coll.split(special, 1)[0]
    return [c for c in head.split("/") if c and c != special and c != basename]


def _fallback_date(settings: Settings, source: str, kind: str) -> _dt.datetime:
    """The date of a document that gives none: a draft's modification time, else ``site.time``."""
    if kind == "draft":
        mtime = (settings.root / source).stat().st_mtime
        return _dt.datetime.fromtimestamp(int(mtime), settings.zone)
    return settings.time


def _document_built(settings: Settings, entry: Entry, readable: bool) -> bool:
    """Whether Jekyll writes the document: published, not in the future and (for a draft) drafts shown,
    unless the command line or configuration says otherwise; a collection's only with ``output: true``."""
    shown = (entry.published or settings.show_unpublished) and (not entry.future or settings.show_future)
    if entry.kind in ("post", "draft"):
        return readable and shown and (entry.kind == "post" or settings.show_drafts)
    return settings.collection_output(entry.collection or "") and shown


def populate(settings: Settings, entry: Entry, issues: list[Issue]) -> None:
    """``populate_title``, ``populate_categories`` and ``populate_tags``."""
    data = entry.data
    m = DATE_FILENAME.match(entry.relative_path)
    if m:
        date_text, slug, ext = m.groups()
        current = data.get("date")
        if not current or int(current.timestamp()) == int(settings.time.timestamp()):
            try:
                data["date"] = jekyll_date(date_text, settings.zone, now=settings.time)
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


# -- pages ---------------------------------------------------------------------------------------------
def build_page(settings: Settings, source: str, issues: list[Issue]) -> Entry:
    """``Page#initialize`` for one file with front matter outside the special folders."""
    text = read_text(settings, source, issues)
    data = dict(text.data or {})
    text.data = None
    if data.get("permalink") == "":
        issues.append(Issue("invalid-permalink", "error", "empty permalink; Jekyll stops the build on it", source))
        data.pop("permalink")
    entry = Entry("page", source, source, None, data, text)
    entry.published = not ("published" in data and data["published"] is False)
    entry.built = entry.published or settings.show_unpublished
    return entry


def limit_posts(settings: Settings, entries: list[Entry], issues: list[Issue]) -> None:
    """``Site#limit_posts!``: only the newest ``limit_posts`` posts are built."""
    limit = settings.limit_posts
    if limit <= 0:
        return
    posts = [e for e in entries if e.kind in ("post", "draft") and e.built]
    posts.sort(key=lambda e: (e.date.timestamp() if e.date else 0.0, e.source))
    for entry in posts[: max(len(posts) - limit, 0)]:
        entry.built = False
        issues.append(Issue("limit-posts", "info", f"not built: the site sets limit_posts: {limit}", entry.source))
