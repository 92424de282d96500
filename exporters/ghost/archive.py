"""The files of a Ghost export: the import JSON, written row by row; the import zip (the JSON plus the
files it names), byte-identical for identical input; Ghost's redirects files."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exporters.ghost.schema import GHOST_VERSION, ROLES, object_id, words
from migrate.ir import Document
from migrate.jsonstream import Encoded, LazyArray, iter_json_bytes
from migrate.plan import Plan, PlannedFile, Span, SpoolWriter
from migrate.redirects import RedirectMap, stream_redirects

ZIP_NAME = "ghost-import.zip"
JSON_NAME = "ghost-import.json"

_STORED_EXTS = words(".jpg .jpeg .gif .png .webp .mp4 .webm .mp3 .m4a .ogg .zip .gz .pdf")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(slots=True)
class Entry:
    """One document as it will land in Ghost."""

    doc: Document
    type: str
    slug: str
    url: str
    post_id: str | None = None
    """The post's id once it is exported (None before, or when it failed)."""
    post_json: Span | None = None
    """The post's row of the import JSON (``json.dumps`` of it alone), kept in the plan's spool until the
    import JSON is written."""
    meta: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


def import_data(
    entries: Iterable[Entry],
    tag_rows: Mapping[str, dict[str, Any]],
    user_rows: Mapping[str, dict[str, Any]],
    now: dt.datetime,
) -> dict[str, Any]:
    """The whole Ghost import document (``{"db": [{"meta", "data"}]}``) for :func:`iter_json`: its
    long arrays are lazy, produced once, row by row, as the text is written."""
    entries = [e for e in sorted(entries, key=lambda e: e.doc.source) if e.post_id]
    posts = LazyArray(Encoded(e.post_json.read().decode("utf-8")) for e in entries if e.post_json)
    posts_tags = LazyArray(
        {"post_id": e.post_id, "tag_id": t, "sort_order": i} for e in entries for i, t in enumerate(e.tags)
    )
    posts_authors = LazyArray(
        {"post_id": e.post_id, "author_id": a, "sort_order": i}
        for e in entries
        for i, a in enumerate(e.authors)
    )
    posts_meta = LazyArray({"post_id": e.post_id, **e.meta} for e in entries if e.meta)
    roles = sorted({row["_role"] for row in user_rows.values()}, key=ROLES.index)
    role_ids = {name: object_id("role", name) for name in roles}
    users = [{k: v for k, v in row.items() if k != "_role"} for row in user_rows.values()]
    exported_on = int(now.timestamp() * 1000)
    return {
        "db": [
            {
                "meta": {"exported_on": exported_on, "version": GHOST_VERSION},
                "data": {
                    "posts": posts,
                    "posts_meta": posts_meta,
                    "tags": list(tag_rows.values()),
                    "posts_tags": posts_tags,
                    "users": users,
                    "roles": [{"id": role_ids[r], "name": r} for r in roles],
                    "roles_users": [
                        {"role_id": role_ids[row["_role"]], "user_id": row["id"]}
                        for row in user_rows.values()
                    ],
                    "posts_authors": posts_authors,
                },
            }
        ]
    }


def write_import(plan: Plan, data: dict[str, Any], files: Mapping[str, Path]) -> None:
    """``ghost-import.json`` (``data``) and ``ghost-import.zip``: the JSON plus ``files`` (path inside the
    zip -> the file's bytes on disk)."""
    # Written piece by piece (the text json.dumps(indent=1) gives): neither the JSON nor the zip is
    # ever whole in memory.
    with plan.open_stream(JSON_NAME) as out:
        for chunk in iter_json_bytes(data, indent=1, ensure_ascii=False):
            out.write(chunk)
        out.write(b"\n")
    plan.itemizers[JSON_NAME] = _itemize
    with plan.open_stream(ZIP_NAME) as out:
        _zip(out, plan.files[JSON_NAME], files)


def _zip(out: SpoolWriter, json_file: PlannedFile, files: Mapping[str, Path]) -> None:
    """The import zip, byte-identical for identical input: fixed times and modes, sorted entries. One
    member at a time is in memory, and the JSON only a piece at a time."""
    members: dict[str, Path | None] = {JSON_NAME: None, **files}
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            stored = posixpath.splitext(name)[1].lower() in _STORED_EXTS
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            path = members[name]
            if path is not None:
                archive.writestr(info, path.read_bytes(), compresslevel=None if stored else 6)
                continue
            # What writestr(info, data, compresslevel=6) does, fed piece by piece (deflate gives the
            # same bytes however its input is cut).
            info.file_size = json_file.size
            setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel",
                    None if stored else 6)
            with archive.open(info, "w") as member:
                for chunk in json_file.chunks():
                    member.write(chunk)


def _itemize(content: bytes) -> dict[str, str]:
    """Split the import JSON into one item per post and per tag or user, for dry-run diffs."""
    try:
        data = json.loads(content)["db"][0]["data"]
    except (ValueError, KeyError, IndexError, TypeError):
        return {"(unreadable)": content.decode("utf-8", "replace")}
    items: dict[str, str] = {}
    for table, key in (("posts", "slug"), ("tags", "slug"), ("users", "slug")):
        for row in data.get(table, ()):
            items[f"{table}/{row.get(key)}"] = json.dumps(row, ensure_ascii=False, indent=1, sort_keys=True)
    return items


def write_redirects(plan: Plan, redirect_map: RedirectMap) -> None:
    """Ghost's ``redirects.yaml`` and ``redirects.json`` for the export's redirect map."""
    for name, pieces in sorted(stream_redirects(redirect_map, "ghost").items()):
        with plan.open_stream(name) as out:
            for piece in pieces:
                out.write(piece)
