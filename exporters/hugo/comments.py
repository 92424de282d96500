"""A page's comments as a Hugo data file, ``data/comments/<key>.json``, which the ``comments.html`` partial
finds by the page's content path (``sha1 .File.Path``). Addresses are not written, only their MD5 hash
(Gravatar's key): a Hugo site's sources are often public."""

from __future__ import annotations

import hashlib
import json
import re

from migrate.content.comments import comment_html, depths
from migrate.ir import Comment, Document

PARTIALS = {"_partials/comments.html": "partial-comments.html",
            "_partials/comment-thread.html": "partial-comment-thread.html"}
"""Layout file (under ``layouts/``) -> the file shipped in ``exporters/hugo_layouts``."""


def data_path(content_path: str) -> str:
    """Where the data file of the page at ``content_path`` (``content/posts/x/index.md``) goes."""
    relative = content_path.split("/", 1)[1] if content_path.startswith("content/") else content_path
    return f"data/comments/{hashlib.sha1(relative.encode('utf-8')).hexdigest()}.json"


def data_json(document: Document, new_url: str | None) -> str:
    """The data file's text: the page's comments in thread order, each with the approved comment it shows
    under (``thread_parent``: a reply to a comment that is not shown shows under that one's nearest shown
    ancestor) and its body as safe HTML."""
    by_id = {c.id: c for c in document.comments}
    depth = depths(document.comments)
    rows = []
    for c in document.comments:
        rows.append({
            "id": c.id,
            "anchor": re.sub(r"[^A-Za-z0-9_-]+", "-", c.id).strip("-") or "c",
            "parent": c.parent or "",
            "thread_parent": _shown_parent(c, by_id),
            "depth": depth[c.id],
            "author": c.author,
            "author_url": c.author_url or "",
            "email_md5": c.email_md5 or "",
            "date": c.date.isoformat() if c.date else "",
            "status": c.status,
            "body": c.body,
            "body_format": c.body_format,
            "html": comment_html(c),
            "source": c.source,
        })
    data = {"source": document.source, "url": new_url, "comments": rows}
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _shown_parent(comment: Comment, by_id: dict[str, Comment]) -> str:
    parent = by_id.get(comment.parent) if comment.parent else None
    seen = 0
    while parent is not None and parent.status != "approved" and seen < len(by_id):
        parent, seen = (by_id.get(parent.parent) if parent.parent else None), seen + 1
    return parent.id if parent is not None else ""
