"""A post's comments as a JSON file beside the Ghost import (``comments/<slug>.json``): Ghost's importer
takes no comments, and its Admin API creates none, so they are kept for a comments service or by hand."""

from __future__ import annotations

import json

from migrate.content.comments import comment_html, depths
from migrate.ir import Document


def comments_json(document: Document, *, slug: str, url: str | None, post_id: str) -> str:
    """The file's text: the post it belongs to and its comments in thread order (body as written and as
    safe HTML, ``parent`` the id of the comment answered)."""
    depth = depths(document.comments)
    rows = [{
        "id": c.id,
        "parent": c.parent,
        "depth": depth[c.id],
        "author": c.author,
        "email": c.email,
        "email_md5": c.email_md5,
        "author_url": c.author_url,
        "date": c.date.isoformat() if c.date else None,
        "status": c.status,
        "body": c.body,
        "body_format": c.body_format,
        "html": comment_html(c),
        "source": c.source,
    } for c in document.comments]
    data = {"post": {"id": post_id, "slug": slug, "url": url, "source": document.source}, "comments": rows}
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
