"""The WordPress exporter's options and their parsers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from exporters.wordpress.permalinks import parse_structure
from migrate.exporter import Option


def parse_size(value: str) -> int:
    """``15MB``, ``500k``, ``2000000`` -> bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", str(value), re.IGNORECASE)
    if not match:
        raise ValueError(f"not a size: {value!r} (use e.g. 15MB, 500KB, 2000000)")
    number = float(match.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    if number < 1024:
        raise ValueError(f"split size {value!r} is below 1 KB")
    return int(number)


def parse_collection_mode(value: str) -> tuple[str, str]:
    """``docs=page`` -> ``("docs", "page")``."""
    name, sep, mode = str(value).partition("=")
    if not sep or not name.strip() or mode.strip() not in ("post", "page", "skip"):
        raise ValueError(f"{value!r} is not NAME=post|page|skip")
    return name.strip(), mode.strip()


def parse_url(value: str) -> str:
    value = str(value).strip().rstrip("/")
    if urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


OPTIONS = (
    Option(
        "wp-permalinks",
        "WordPress permalink structure (default: the one serving most old URLs)",
        type=parse_structure,
    ),
    Option(
        "asset-base-url",
        "absolute URL media files are downloaded from (default: the old site URL)",
        type=parse_url,
    ),
    Option("old-site-url", "the old site's URL when _config.yml has no url", type=parse_url),
    Option(
        "wp-url",
        "the new WordPress address, to write absolute links (default: root-relative links)",
        type=parse_url,
    ),
    Option(
        "collection",
        "NAME=post|page|skip: how a collection's documents are imported",
        type=parse_collection_mode,
        multiple=True,
    ),
    Option(
        "split-size",
        "largest WXR file, e.g. 15MB; bigger exports are split",
        type=parse_size,
        default="15MB",
    ),
    Option("comments", "comment status of imported posts", default="closed", choices=("open", "closed")),
    Option(
        "wp-content",
        "classic HTML, one wp:html block per post, or native core blocks the block editor validates",
        default="classic",
        choices=("classic", "html-block", "blocks"),
    ),
    Option(
        "posts-per-page",
        "Settings > Reading > 'Blog pages show at most' on the WordPress site (WordPress's default: 10): "
        "old list pages lead to the WordPress page with the same posts",
        type=int,
        default=10,
    ),
)
