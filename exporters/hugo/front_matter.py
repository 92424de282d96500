"""A page's content file: its front matter from the placement and the document, its body, and the YAML
or TOML text Hugo reads."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import tomli_w
import yaml

from exporters.hugo.front_matter_yaml import block_yaml
from exporters.hugo.paths import url_value
from exporters.hugo.placement import Placement, written_date
from migrate.content import Converted
from migrate.ir import Document, jsonable

# Jekyll front-matter keys that become Hugo keys; every other key is kept under ``jekyll:``.
MAPPED_KEYS = frozenset({"title", "date", "last_modified_at", "slug", "categories", "category", "tags",
                         "author", "authors", "excerpt", "published"})
# libyaml's emitter is ten times faster than the pure-Python one; both are safe dumpers.
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(p: Placement, converted: Converted) -> dict[str, Any]:
    """The Hugo front matter of a placed page (Hugo's keys first, the rest under ``jekyll:``)."""
    doc = p.doc
    extra = dict(doc.extra)
    fm: dict[str, Any] = {"title": doc.title}
    date = written_date(doc)
    if date is not None:
        fm["date"] = date
    if doc.last_modified is not None:
        fm["lastmod"] = doc.last_modified.replace(microsecond=0)
    if p.slug:
        fm["slug"] = p.slug
    if doc.is_draft:
        fm["draft"] = True
    if doc.categories:
        fm["categories"] = list(doc.categories)
    if doc.tags:
        fm["tags"] = list(doc.tags)
    if doc.authors:
        fm["authors"] = list(doc.authors)
    if doc.excerpt is not None and converted.excerpt:
        fm["summary"] = converted.excerpt.strip()
    description = doc.front_matter.get("description", extra.get("description"))
    if isinstance(description, str):
        fm["description"] = description
    if p.url_field is not None:
        fm["url"] = url_value(p.url_field)
    if p.aliases:  # a language's page: Hugo puts its aliases under /LANG/ itself
        fm["aliases"] = [a[len(p.language) + 1:] if p.language else a for a in p.aliases]
    if p.translation_key is not None:
        fm["translationKey"] = p.translation_key
    if p.content_path.endswith("/_index.md") and p.hugo_path and not p.hugo_path.endswith("/"):
        # a section's RSS output is written to its url: as well when that names a file (docs.html)
        fm["outputs"] = ["html"]
    if p.hugo_path is None:
        fm["build"] = {"render": "never", "list": "never"}
    jekyll = {k: v for k, v in {**doc.front_matter, **extra}.items()
              if k not in MAPPED_KEYS and not (k == "description" and "description" in fm)}
    if jekyll:
        fm["jekyll"] = jsonable(jekyll)
    return fm


def _custom_separator(doc: Document, body: str) -> bool:
    sep = doc.excerpt_separator
    return bool(sep.strip()) and sep.strip() in body


def page_body(doc: Document, converted: Converted) -> str:
    """The converted body as Hugo reads it: the excerpt separator as ``<!--more-->``, shortcodes kept as text."""
    body = converted.body
    if _custom_separator(doc, body) and doc.excerpt is None:
        body = body.replace(doc.excerpt_separator.strip(), "<!--more-->", 1)
    body = _escape_shortcodes(body)
    return body if body.endswith("\n") or not body else body + "\n"


def render(front: dict[str, Any], body: str, *, toml: bool) -> str:
    """A content file: ``front`` as TOML (``+++``) or YAML (``---``) front matter, then ``body``."""
    if toml:
        text = tomli_w.dumps(_toml_safe(front))
        return f"+++\n{text}+++\n{body}"
    front = {k: v.isoformat() if isinstance(v, _dt.datetime) else v for k, v in front.items()}
    text = block_yaml(front) or yaml.dump(front, Dumper=YAML_DUMPER, sort_keys=False, allow_unicode=True,
                                          default_flow_style=False, width=1000)
    return f"---\n{text}---\n{body}"


def _escape_shortcodes(body: str) -> str:
    """Hugo reads ``{{<`` and ``{{%`` as shortcodes, even inside code: keep them as text (the content
    pipeline's ``toc`` calls and the embed shortcodes :func:`exporters.hugo.embeds.hugo_embed` wrote stay;
    the pipeline escaped the site's own text before it placed them)."""
    from exporters.hugo.embeds import EMBED_SHORTCODE
    from migrate.content.to_markdown import escape_shortcodes

    if "{{<" not in body and "{{%" not in body:
        return body
    parts = EMBED_SHORTCODE.split(body)
    return "".join(part if i % 2 else escape_shortcodes(part) for i, part in enumerate(parts))


def _toml_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _toml_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_toml_safe(v) for v in value if v is not None]
    return value
