"""Staticman comments: the YAML (or JSON) data files Staticman commits to the site, in the layouts themes use.

Staticman writes one file per comment under the folder its ``path`` setting names (``staticman.yml``, or
the ``staticman:`` section of ``_config.yml``), by default ``_data/comments/{options.slug}``: a folder
per post holding ``comment-<timestamp>.yml`` files. Some sites keep one file per post instead
(``_data/comments/<key>.yml``, a list or mapping of comments). The folder or file name is the key the
site's form posted (``page.slug`` in minimal-mistakes), matched here to a document by its slug, file name,
URL or id. Replies name their parent by ``_parent`` / ``replying_to_uid`` (the parent's ``_id``) or by
``replying_to``: the parent's ``_id``, or, as Made Mistakes' threads do, the 1-based position of the
parent among the post's top-level comments in file-name order.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from migrate.ir import Comment, Issue, Site
from migrate.reader.comments.match import KeyIndex
from migrate.reader.dates import date_parse, local_zone, parse_time
from migrate.reader.yamlsafe import YamlError, json_safe, load_yaml, ruby_str

_NAME = ("name", "author", "author_name")
_EMAIL = ("email", "author_email")
_URL = ("url", "website", "author_url", "web", "homepage")
_BODY = ("message", "comment", "body", "content", "text")
_DATE = ("date", "timestamp", "created_at", "_date", "created")
_PARENT = ("_parent", "replying_to_uid", "parent", "parent_id", "replying_to")
_ID = ("_id", "id", "uid")
_KNOWN = {*_NAME, *_EMAIL, *_URL, *_BODY, *_DATE, *_PARENT, *_ID, "email_md5", "approved", "spam", "status"}
_MD5 = re.compile(r"[0-9a-f]{32}")
_EXTS = (".yml", ".yaml", ".json")


def comments_folder(site: Site) -> str:
    """The site-relative folder Staticman writes comments to: the part of its ``path`` setting before the
    first placeholder, else ``<data_dir>/comments``."""
    root = Path(site.source_dir)
    settings: Any = None
    for name in ("staticman.yml", "staticman.yaml"):
        try:
            settings = load_yaml((root / name).read_text("utf-8-sig"))
            break
        except (OSError, UnicodeDecodeError, YamlError):
            continue
    if settings is None:
        settings = {"comments": site.config.get("staticman")}
    path = None
    if isinstance(settings, dict):
        for section in settings.values():  # staticman.yml holds one section per form ("comments")
            if isinstance(section, dict) and isinstance(section.get("path"), str):
                path = section["path"]
                break
    if path:
        fixed = path.split("{", 1)[0].strip("/")
        if fixed:
            return fixed
    data_dir = site.config.get("data_dir")
    return f"{(data_dir if isinstance(data_dir, str) and data_dir else '_data').strip('/')}/comments"


def read_staticman(site: Site, issues: list[Issue]) -> dict[str, list[Comment]]:
    """Comments of the site's Staticman folder, by document source; a comment that names no document, or a
    file that cannot be read, is reported with its file and line."""
    rel = comments_folder(site)
    folder = Path(site.source_dir) / rel
    if not folder.is_dir():
        return {}
    zone = local_zone(site.timezone)
    keys = KeyIndex(site)
    found: dict[str, list[Comment]] = {}
    for key, files in _groups(folder):
        comments: list[Comment] = []
        for path in files:
            comments.extend(_read_file(path, f"{rel}/{path.relative_to(folder).as_posix()}", zone, issues))
        comments = _resolve_positions(comments)
        if not comments:
            continue
        doc, candidates = keys.find(key)
        if doc is None:
            first = comments[0]
            why = (f"the key {key!r} names several documents ({', '.join(candidates)})" if candidates
                   else f"no document has the slug, file name or URL {key!r}")
            for c in comments:
                issues.append(Issue("comment-unmatched", "warning", f"Staticman comment {c.id!r} not migrated: {why}",
                                    c.source or first.source, c.line))
            continue
        found.setdefault(doc.source, []).extend(comments)
    return found


def _groups(folder: Path) -> list[tuple[str, list[Path]]]:
    """(key, files) for each post's comments: a folder per post, or a file per post."""
    groups: list[tuple[str, list[Path]]] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            files = sorted((p for p in entry.rglob("*") if p.is_file() and p.suffix.lower() in _EXTS),
                           key=lambda p: p.relative_to(entry).as_posix())
            groups.append((entry.name, files))
        elif entry.suffix.lower() in _EXTS:
            groups.append((entry.stem, [entry]))
    return groups


def _read_file(path: Path, source: str, zone: _dt.tzinfo, issues: list[Issue]) -> list[Comment]:
    try:
        text = path.read_text("utf-8-sig")
        value = json.loads(text) if path.suffix.lower() == ".json" else load_yaml(text)
    except (OSError, UnicodeDecodeError, ValueError, YamlError) as exc:
        line = getattr(exc, "line", None) if not isinstance(exc, json.JSONDecodeError) else exc.lineno - 1
        issues.append(Issue("comment-bad-file", "warning", f"comments not read: {getattr(exc, 'message', exc)}",
                            source, line + 1 if isinstance(line, int) else None))
        return []
    if isinstance(value, dict) and any(k in value for k in _KNOWN):  # one comment (else: comments by key)
        records = [(path.stem, value, 1)]
    else:
        lines = _item_lines(text) if path.suffix.lower() != ".json" else {}
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        records = [(f"{path.stem}-{k}", v, lines.get(str(k))) for k, v in items]
        if not records:
            issues.append(Issue("comment-bad-file", "warning", "comments not read: the file holds no comment",
                                source, 1))
    out = []
    for name, record, line in records:
        comment = _comment(name, record, source, line, zone, issues)
        if comment is not None:
            out.append(comment)
    return out


def _item_lines(text: str) -> dict[str, int]:
    """1-based line of each item of a YAML list or mapping (by index or key), for messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if isinstance(node, yaml.SequenceNode):
        return {str(i): n.start_mark.line + 1 for i, n in enumerate(node.value)}
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): v.start_mark.line + 1 for k, v in node.value}
    return {}


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value is not None and value != "":
            return value
    return None


def _comment(name: str, record: Any, source: str, line: int | None, zone: _dt.tzinfo,
             issues: list[Issue]) -> Comment | None:
    if not isinstance(record, dict):
        issues.append(Issue("comment-bad-file", "warning", "a comment is not a mapping of fields: not migrated",
                            source, line))
        return None
    body = _first(record, _BODY)
    if body is None:
        issues.append(Issue("comment-missing-field", "warning",
                            f"comment without text (none of {', '.join(_BODY)}): not migrated", source, line))
        return None
    email = _first(record, _EMAIL)
    email_text = ruby_str(email).strip() if email is not None else ""
    md5 = ruby_str(record.get("email_md5") or "").strip().lower() or None
    if _MD5.fullmatch(email_text.lower()):
        md5, email_text = email_text.lower(), ""
    elif email_text:
        md5 = md5 or hashlib.md5(email_text.lower().encode()).hexdigest()
    raw_date = _first(record, _DATE)
    date = _date(raw_date, zone) if raw_date is not None else None
    date = date.astimezone(zone) if date is not None else None  # one zone for all, the site's
    if date is None:
        issues.append(Issue("comment-bad-date", "warning", "comment without a date Staticman writes "
                            f"({raw_date!r}): migrated without a date" if raw_date is not None else
                            "comment without a date: migrated without one", source, line))
    parent = _first(record, _PARENT)
    status = "approved"
    if record.get("spam") is True or str(record.get("status", "")).lower() == "spam":
        status = "spam"
    elif record.get("approved") is False or str(record.get("status", "")).lower() in ("pending", "unapproved"):
        status = "pending"
    return Comment(
        id=ruby_str(_first(record, _ID) or name),
        parent=ruby_str(parent) if parent is not None else None,
        author=ruby_str(_first(record, _NAME) or "").strip(),
        date=date,
        body=ruby_str(body),
        body_format="markdown",
        email=email_text or None,
        email_md5=md5,
        author_url=ruby_str(_first(record, _URL) or "").strip() or None,
        status=status,
        source=source,
        line=line,
        extra=json_safe({str(k): v for k, v in record.items() if k not in _KNOWN}),
    )


def _date(value: Any, zone: _dt.tzinfo) -> _dt.datetime | None:
    """A Staticman date: Unix seconds (or milliseconds) as its ``timestamp-seconds`` and ``timestamp``
    formats write them, or a date string (ISO 8601 and the forms Ruby's ``Time.parse`` reads)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{9,13}(\.\d+)?\s*", value):
        value = float(value)
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc).replace(microsecond=0)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, _dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=_dt.timezone.utc)
        return aware.replace(microsecond=0)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    if not isinstance(value, str):
        return None
    try:
        if "year" not in date_parse(value):  # a time alone would take today's date
            return None
        parsed = parse_time(value, zone)
    except ValueError:
        return None
    return parsed.replace(microsecond=0)


def _resolve_positions(comments: list[Comment]) -> list[Comment]:
    """Parents named by position (``replying_to: 2``, Made Mistakes' threads) or by an id: the parent's id.
    A value that is neither stays as it is (the threading check reports it)."""
    ids = {c.id for c in comments}
    top = [c for c in comments if c.parent is None]
    out = []
    for c in comments:
        if c.parent is not None and c.parent not in ids and c.parent.isdigit() and 1 <= int(c.parent) <= len(top):
            c = dataclasses.replace(c, parent=top[int(c.parent) - 1].id)
        out.append(c)
    return out
