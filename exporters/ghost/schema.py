"""What a Ghost 6 import accepts: field limits, reserved slugs, roles, the file types its importer takes,
and its date and id formats."""

from __future__ import annotations

import datetime as dt
import hashlib
from html.parser import HTMLParser

GHOST_VERSION = "6.0.0"

# Ghost's schema validations (core/server/data/schema/schema.js, Ghost 6.65); a longer value fails the file.
TITLE_MAX = 255
SLUG_MAX = 185  # Ghost itself cuts generated slugs to 185 so a "-N" suffix still fits in 191
TAG_NAME_MAX = 191
EXCERPT_MAX = 300
META_TITLE_MAX = 300
META_DESCRIPTION_MAX = 500
IMAGE_ALT_MAX = 191
BIO_MAX = 250
EMAIL_MAX = 191


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Slugs Ghost rewrites (protected: "rss" becomes "rss-post") or whose URL a Ghost route already answers.
RESERVED_SLUGS = words(
    "ghost rss amp p r email content assets public members tag author page unsubscribe webmentions "
    "sitemap robots search"
)
ROLES = ("Contributor", "Author", "Editor", "Administrator")

# What Ghost's importer takes from a zip and where it serves it (config uploads.*.extensions).
IMAGE_EXTS = words(".jpg .jpeg .gif .png .svg .svgz .ico .webp")
MEDIA_EXTS = words(".mp4 .webm .ogv .mp3 .wav .ogg .m4a")
FILE_EXTS = words(
    ".7z .aac .ai .aif .aiff .avif .avi .bmp .bz2 .css .csv .doc .docx .eot .epub .eps .flac .geojson "
    ".gpx .gz .heic .heif .ics .ipynb .js .json .jsonld .key .kml .m4v .md .mid .midi .mkv .mobi .mov "
    ".numbers .odp .ods .odt .opus .otf .pages .pdf .ppt .pptx .psd .py .rar .rtf .stl .tar .tgz .tif "
    ".tiff .toml .tsv .ttf .txt .vcf .woff .woff2 .xls .xlsx .xml .yaml .zip"
)


def ghost_date(value: dt.datetime | None) -> str | None:
    """Ghost's date format: UTC with milliseconds and ``Z``; a naive datetime is taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def object_id(kind: str, key: str) -> str:
    """A stable 24-hex-digit id (Ghost's ObjectId shape) derived from what the row stands for."""
    return hashlib.sha1(f"{kind}\0{key}".encode()).hexdigest()[:24]


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(markup: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    parser = _TextOf()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())


def cut(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters, at a word boundary when there is one."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head[limit // 2 :]:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip() + "…"
