"""Slugs and titles as WordPress saves them: ``sanitize_title()``, unique slugs, terms, importer-safe titles."""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote

from exporters.wordpress.permalinks import page_segments
from migrate.ir import Document

_EXTRA_LATIN = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ł": "l",
    "ŀ": "l",
    "ı": "i",
    "ĸ": "k",
    "ŋ": "n",
    "ſ": "s",
    "ħ": "h",
    "ŧ": "t",
    "ĳ": "ij",
    "ŉ": "n",
}
# In WordPress's 'save' context these (percent-encoded) characters vanish or become a dash.
_SAVE_DASH = ("%c2%a0", "%e2%80%93", "%e2%80%94", "%e2%80%8b")
_SAVE_DROP = (
    "%c2%a1",
    "%c2%aa",
    "%c2%ba",
    "%c2%bf",
    "%c2%ab",
    "%c2%bb",
    "%e2%80%b9",
    "%e2%80%ba",
    "%e2%80%98",
    "%e2%80%99",
    "%e2%80%9c",
    "%e2%80%9d",
    "%e2%80%9a",
    "%e2%80%9b",
    "%e2%80%9e",
    "%e2%80%9f",
    "%e2%80%a2",
    "%c2%a9",
    "%c2%ae",
    "%c2%b0",
    "%e2%80%a6",
    "%e2%84%a2",
    "%c2%b4",
    "%cb%8a",
    "%cc%81",
    "%cd%81",
    "%cc%80",
    "%cc%84",
    "%cc%8c",
    "%e2%80%8d",
    "%e2%80%8c",
    "%e2%80%8e",
    "%e2%80%8f",
    "%ef%bb%bf",
)
_HTML_TAG = re.compile(r"<[^>]*>")
_NOT_IN_SLUG = re.compile(r"[^%a-z0-9 _-]")
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"-+")
RESERVED_PAGE_SLUG = re.compile(r"^(?:page)?\d+$|^(?:feed|rdf|rss|rss2|atom|embed)$")
RESERVED_FLAT_SLUG = re.compile(r"^(?:feed|rdf|rss|rss2|atom|embed)$")


def remove_accents(text: str) -> str:
    """``text`` with Latin letters' accents folded, as WordPress's ``remove_accents()`` does."""
    if text.isascii():
        return text
    out = []
    for char in unicodedata.normalize("NFC", text):
        lower = char.lower()
        if lower in _EXTRA_LATIN:
            out.append(_EXTRA_LATIN[lower] if char == lower else _EXTRA_LATIN[lower].upper())
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        base = decomposed[0]
        if len(decomposed) > 1 and unicodedata.name(base, "").startswith("LATIN"):
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
        else:
            out.append(char)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 16)
def wp_slug(text: str, *, limit: int = 200) -> str:
    """The slug WordPress's ``sanitize_title()`` makes of ``text`` when saving a post.

    The result is a fixed point: ``[a-z0-9_-]`` and lower-case ``%xx`` escapes of UTF-8 bytes, at most
    ``limit`` characters, so WordPress stores it unchanged.
    """
    # A literal "%" would read as the start of an escaped octet: drop it, as WordPress drops a stray one.
    text = _HTML_TAG.sub("", text).replace("%", "")
    text = remove_accents(text).lower()
    if text.isascii():  # one character per character, and no escapes for the replacements below
        slug = text[:limit]
    else:
        encoded = []
        length = 0
        for char in text:
            piece = char if ord(char) < 128 else quote(char, safe="").lower()
            if length + len(piece) > limit:
                break
            encoded.append(piece)
            length += len(piece)
        slug = "".join(encoded)
        for seq in _SAVE_DASH:
            slug = slug.replace(seq, "-")
        for seq in _SAVE_DROP:
            slug = slug.replace(seq, "")
        slug = slug.replace("%c3%97", "x")
    slug = slug.replace("/", "-").replace(".", "-")
    slug = _NOT_IN_SLUG.sub("", slug)
    slug = _SPACES.sub("-", slug)
    slug = _DASHES.sub("-", slug).strip("-")
    return slug[:limit].rstrip("-")


def unique_slug(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... the first not in ``used`` (which it joins), at most 200 characters."""
    slug, n = base, 2
    while slug in used:
        suffix = f"-{n}"
        slug = base[: 200 - len(suffix)] + suffix
        n += 1
    used.add(slug)
    return slug


def title_key(title: str) -> str:
    """A title as a case- and accent-insensitive collation compares it (trailing spaces do not count)."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).rstrip()


def title_of(doc: Document) -> str:
    """A one-line, non-empty title: the importer's duplicate check ignores the date's owner when the title
    is empty, so two untitled items of one date would silently become one."""
    title = " ".join(doc.title.split())
    if title:
        return title
    stem = page_segments(doc)[-1:] or ("home",)
    words = re.sub(r"[-_.]+", " ", posixpath.splitext(stem[0])[0]).strip()
    return (words[:1].upper() + words[1:]) if words else "Untitled"


@dataclass
class Terms:
    """Categories or tags by slug, in first-seen order; names that slug alike are merged."""

    prefix: str
    by_slug: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    merged: list[tuple[str, str]] = field(default_factory=list)
    """(name, the name it was merged into): WordPress keeps one term per slug."""

    def add(self, name: str) -> tuple[str, str]:
        if name in self.by_name:
            slug = self.by_name[name]
            return slug, self.by_slug[slug]
        slug = wp_slug(name) or f"{self.prefix}-{len(self.by_slug) + 1}"
        if slug in self.by_slug and self.by_slug[slug] != name:
            self.merged.append((name, self.by_slug[slug]))
        self.by_slug.setdefault(slug, name)
        self.by_name[name] = slug
        return slug, self.by_slug[slug]
