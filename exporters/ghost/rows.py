"""The rows of a Ghost import around its posts, from the front matter and the site's authors: tags and
users (one row each, however many posts name them), and a post's meta row, feature image and canonical URL."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from exporters.ghost.assets import Assets
from exporters.ghost.schema import (
    BIO_MAX,
    EMAIL_MAX,
    IMAGE_ALT_MAX,
    META_DESCRIPTION_MAX,
    META_TITLE_MAX,
    ROLES,
    TAG_NAME_MAX,
    cut,
    object_id,
    plain_text,
)
from exporters.ghost.slugs import ghost_slug
from migrate.ir import Author, Document, Site
from migrate.report import Report

FEATURE_IMAGE_KEYS = (
    "feature_image", "image", "featured_image", "featured-image", "cover_image", "cover", "thumbnail",
    "banner", "header.image", "header.overlay_image", "header.teaser",
)  # fmt: skip
CANONICAL_KEYS = ("canonical_url", "canonical")
META_TITLE_KEYS = ("meta_title", "seo_title", "seo.title")


def limited(
    report: Report, doc: Document, what: str, text: str, limit: int, *, code: str = "ghost-field-cut"
) -> str:
    """``text`` within Ghost's ``limit``: cut, with a warning, rather than failing the whole import."""
    if len(text) <= limit:
        return text
    report.emit(
        code,
        "warning",
        f"{what} is {len(text)} characters; Ghost takes {limit}, so it was cut",
        source=doc.source,
    )
    return cut(text, limit)


class Rows:
    """The tag and user rows of one export, made as posts name them, and each post's rows besides its own."""

    def __init__(self, site: Site, report: Report, assets: Assets, opts: Any) -> None:
        self.site = site
        self.report = report
        self.assets = assets
        self.opts = opts
        self.tag_rows: dict[str, dict[str, Any]] = {}
        self.user_rows: dict[str, dict[str, Any]] = {}

    def meta(self, doc: Document, image: tuple[str, str | None, str | None] | None) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        title = next((v for k in META_TITLE_KEYS if isinstance(v := _lookup(doc.front_matter, k), str)), None)
        if title:
            meta["meta_title"] = limited(self.report, doc, "meta title", plain_text(title), META_TITLE_MAX)
        description = doc.front_matter.get("description")
        if isinstance(description, str) and plain_text(description):
            meta["meta_description"] = limited(
                self.report, doc, "meta description", plain_text(description), META_DESCRIPTION_MAX
            )
        if image and image[1]:
            meta["feature_image_alt"] = limited(self.report, doc, "image alt text", image[1], IMAGE_ALT_MAX)
        if image and image[2]:
            meta["feature_image_caption"] = image[2]
        return meta

    def feature_image(self, doc: Document) -> tuple[str, str | None, str | None] | None:
        """(url, alt, caption) from the first image field of the front matter that is set."""
        for key in FEATURE_IMAGE_KEYS:
            value = _lookup(doc.front_matter, key)
            alt = caption = None
            if isinstance(value, Mapping):
                alt = value.get("alt") if isinstance(value.get("alt"), str) else None
                caption = value.get("caption") if isinstance(value.get("caption"), str) else None
                value = next(
                    (value[k] for k in ("path", "url", "src", "feature") if isinstance(value.get(k), str)),
                    None,
                )
            if not isinstance(value, str) or not value.strip():
                continue
            static = self.assets.resolve(value, doc)
            if static is not None:
                url = self.assets.use(static.source, doc)
                if url:
                    return url, alt, caption
                continue
            if re.match(r"^https?://", value.strip()):
                return value.strip(), alt, caption
            self.report.emit(
                "ghost-image-missing",
                "warning",
                f"front-matter {key} {value!r} names no file of the site; no feature image",
                source=doc.source,
            )
        return None

    def canonical(self, doc: Document) -> str | None:
        for key in CANONICAL_KEYS:
            value = doc.front_matter.get(key)
            if isinstance(value, str) and value.strip():
                value = value.strip()
                if re.match(r"^https?://", value):
                    return value
                if self.site.url:
                    return self.site.url + self.site.baseurl + "/" + value.lstrip("/")
        return None

    def tags(self, doc: Document) -> list[str]:
        """Tag ids in order: categories first (the first one is Ghost's primary tag), then tags."""
        ids: list[str] = []
        for raw in (*doc.categories, *doc.tags):
            name = " ".join(str(raw).split()).lstrip("#,").strip()
            if not name:
                continue
            if len(name) > TAG_NAME_MAX:
                self.report.emit(
                    "ghost-field-cut",
                    "warning",
                    f"tag {name[:40]!r}... is {len(name)} characters; Ghost takes {TAG_NAME_MAX}",
                    source=doc.source,
                )
                name = cut(name, TAG_NAME_MAX)
            slug = tag_slug(name)
            row = self.tag_rows.get(slug)
            if row is None:
                row = {"id": object_id("tag", slug), "name": name, "slug": slug}
                self.tag_rows[slug] = row
            if row["id"] not in ids:
                ids.append(row["id"])
        if self.site.languages:  # a multilingual site: an internal tag per language, for routes.yaml
            language = doc.language or self.site.languages[0]
            slug = language_tag_slug(language)
            row = self.tag_rows.setdefault(slug, {"id": object_id("tag", slug), "name": f"#lang-{language}",
                                                  "slug": slug, "visibility": "internal"})
            ids.append(row["id"])
        return ids

    def _author(self, key: str) -> Author:
        for author in self.site.authors:
            if author.key == key:
                return author
        for author in self.site.authors:
            if author.name.casefold() == key.casefold():
                return author
        return Author(key=key, name=key)

    def authors(self, doc: Document) -> list[str]:
        keys = [str(a).strip() for a in doc.authors if str(a).strip()]
        if not keys:
            default = self.site.config.get("author")
            if isinstance(default, Mapping) and isinstance(default.get("name"), str):
                author = Author(
                    key=default["name"],
                    name=default["name"],
                    email=default.get("email") if isinstance(default.get("email"), str) else None,
                )
                return [self._user(author, doc)]
            if isinstance(default, str) and default.strip():
                return [self._user(self._author(default.strip()), doc)]
            return []
        ids: list[str] = []
        for key in keys:
            user_id = self._user(self._author(key), doc)
            if user_id not in ids:
                ids.append(user_id)
        return ids

    def _user(self, author: Author, doc: Document) -> str:
        slug = (
            ghost_slug(author.key) or ghost_slug(author.name) or "author-" + object_id("user", author.key)[:8]
        )
        if slug in self.user_rows:
            return self.user_rows[slug]["id"]
        domain = self.opts.email_domain or "example.invalid"
        email = (author.email or "").strip()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", email) or len(email) > EMAIL_MAX:
            email = f"{slug[:60]}@{domain}"
        if any(row["email"].lower() == email.lower() for row in self.user_rows.values()):
            email = f"{slug[:60]}@{domain}"
        row: dict[str, Any] = {
            "id": object_id("user", slug),
            "name": (author.name or author.key)[:191],
            "slug": slug,
            "email": email,
            "status": "active",
        }
        if author.bio:
            bio = plain_text(author.bio)
            row["bio"] = limited(self.report, doc, f"bio of author {author.key}", bio, BIO_MAX)
        website = author.url or author.extra.get("uri") or author.extra.get("website")
        if isinstance(website, str) and re.match(r"^https?://\S+$", website):
            row["website"] = website
        avatar = next(
            (v for k in ("avatar", "image", "picture", "photo") if isinstance(v := author.extra.get(k), str)),
            None,
        )
        if avatar:
            static = self.assets.resolve(avatar, doc)
            url = self.assets.use(static.source, doc) if static else None
            if url:
                row["profile_image"] = url
            elif re.match(r"^https?://", avatar):
                row["profile_image"] = avatar
        role = author.extra.get("role")
        row["_role"] = (
            role.capitalize()
            if isinstance(role, str) and role.capitalize() in ROLES
            else self.opts.author_role
        )
        self.user_rows[slug] = row
        return row["id"]


def _lookup(mapping: Mapping[str, Any], dotted: str) -> Any:
    value: Any = mapping
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def tag_slug(name: str) -> str:
    """The slug of the Ghost tag made from a category or tag name (its URL is ``/tag/SLUG/``)."""
    name = " ".join(str(name).split()).lstrip("#,").strip()
    return ghost_slug(name) or "tag-" + object_id("tag", name)[:8]


def language_tag_slug(language: str) -> str:
    """The slug of the internal tag ``#lang-xx`` that marks a language's posts (Ghost slugs ``#`` as
    ``hash-``)."""
    return "hash-" + ghost_slug(f"lang-{language}")
