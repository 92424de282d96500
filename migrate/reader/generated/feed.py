"""jekyll-feed 0.17: an Atom feed of the posts, and of each configured category, collection and tag.

As ``JekyllFeed::Generator`` decides: ``feed.collections`` (a list or a mapping, ``posts`` always added,
with ``path`` and ``categories`` each; the top-level ``feed.path`` and ``feed.categories`` are the posts'),
one feed per collection at ``path`` or ``/feed.xml`` / ``/feed/NAME.xml``, one per category at
``/feed/CATEGORY.xml`` (``/feed/NAME/CATEGORY.xml`` for another collection); with ``feed.tags``, one per post
tag (``only``, ``except``; tags with characters outside ``[A-Za-z0-9_]`` get none) under ``feed.tags.path``
(``/feed/by_tag/``). A feed whose file already exists in the source is not generated (the site's own file
is served there). ``disable_in_development`` is not applied: the migration models the site as it was
served (``JEKYLL_ENV=production``).
"""

from __future__ import annotations

import re
from typing import Any

from migrate.ir import Document, GeneratedPage, Issue
from migrate.reader.generated.common import Inputs, output_path
from migrate.reader.rubyish import rb_extname
from migrate.reader.urls import add_permalink_suffix, generate_from_hash, sanitize_url
from migrate.reader.yamlsafe import ruby_str

GEM = "jekyll-feed"
_PLAIN_TAG = re.compile(r"[^a-zA-Z0-9_]")


def _collections(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    raw = config.get("collections")
    if isinstance(raw, list):
        found: dict[str, dict[str, Any]] = {ruby_str(c): {} for c in raw}
    elif isinstance(raw, dict):
        found = {ruby_str(k): dict(v) if isinstance(v, dict) else {} for k, v in raw.items()}
    else:
        found = {}
    posts = found.setdefault("posts", {})
    if not posts.get("path"):
        posts["path"] = config.get("path")
    if not posts.get("categories"):
        posts["categories"] = config.get("categories")
    for meta in found.values():
        cats = meta.get("categories") or []
        meta["categories"] = list(dict.fromkeys(ruby_str(c) for c in (cats if isinstance(cats, list) else [cats])))
    return found


def feed_path(collections: dict[str, dict[str, Any]], collection: str, category: str | None) -> str:
    prefix = "/feed" if collection == "posts" else f"/feed/{collection}"
    if category is not None:
        return f"{prefix}/{category}.xml"
    path = collections.get(collection, {}).get("path")
    return ruby_str(path) if path else f"{prefix}.xml"


def _page(inputs: Inputs, path: str, **what: Any) -> GeneratedPage:
    """A ``PageWithoutAFile`` named ``path`` in the site root: its URL is ``/:path/:basename:output_ext``."""
    ext = rb_extname(path)
    basename = path[: len(path) - len(ext)] if ext else path
    basename = basename.rstrip(".")
    markdown = {"." + e.strip().lower() for e in str(inputs.config.get("markdown_ext") or "").split(",") if e.strip()}
    out_ext = ".html" if ext.lower() in markdown else ext
    if out_ext not in (".html", ".htm", ".xhtml"):
        template = "/:path/:basename:output_ext"
    elif basename == "index":
        template = "/:path/"
    else:
        template = add_permalink_suffix("/:path/:basename", inputs.permalink_style)
    url = sanitize_url(generate_from_hash(template, {"path": "", "basename": basename, "output_ext": out_ext}))
    return GeneratedPage(kind="feed", url=url, output_path=output_path(url, out_ext), generator=GEM, **what)


def _members(docs: list[Document], limit: int) -> tuple[str, ...]:
    docs = [d for d in docs if not d.draft]
    docs.sort(key=lambda d: (d.date.timestamp() if d.date else 0.0), reverse=True)
    return tuple(d.source for d in docs[:limit])


def generate(inputs: Inputs, issues: list[Issue]) -> list[GeneratedPage]:
    raw = inputs.config.get("feed")
    config: dict[str, Any] = raw if isinstance(raw, dict) else {}
    try:
        limit = int(config.get("posts_limit") or 10)
    except (TypeError, ValueError):
        limit = 10
    collections = _collections(config)
    by_collection: dict[str, list[Document]] = {}
    for doc in sorted(inputs.documents, key=lambda d: d.source):
        if doc.built_by_jekyll and doc.collection:
            by_collection.setdefault(doc.collection, []).append(doc)
    pages: list[GeneratedPage] = []
    for name, meta in collections.items():
        for category in [*meta["categories"], None]:
            path = feed_path(collections, name, category)
            if _exists(inputs, path):
                continue
            docs = by_collection.get(name, [])
            if category is not None:
                docs = [d for d in docs if category in d.categories]
            pages.append(_page(inputs, path, lists=name, category=category, members=_members(docs, limit)))
    posts = inputs.posts()
    tags_config = config.get("tags")
    site_tags = list(dict.fromkeys(t for d in posts for t in d.tags))
    if tags_config and site_tags:
        options: dict[str, Any] = tags_config if isinstance(tags_config, dict) else {}
        only = options.get("only") or site_tags
        except_ = options.get("except") or []
        only = [ruby_str(t) for t in (only if isinstance(only, list) else [only])]
        except_ = {ruby_str(t) for t in (except_ if isinstance(except_, list) else [except_])}
        tags_path = ruby_str(options.get("path") or "/feed/by_tag/")
        for tag in dict.fromkeys(t for t in only if t not in except_):
            if _PLAIN_TAG.search(tag):
                continue
            path = f"{tags_path}{tag}.xml"
            if _exists(inputs, path):
                continue
            tagged = [d for d in posts if tag in d.tags]
            pages.append(_page(inputs, path, lists="posts", tag=tag, members=_members(tagged, limit)))
    return pages


def _exists(inputs: Inputs, path: str) -> bool:
    """``File.exist?(site.in_source_dir(path))``: a file or folder of that name in the source."""
    rel = "/".join(p for p in path.split("/") if p not in ("", ".", ".."))
    return bool(rel) and (inputs.root / rel).exists()
