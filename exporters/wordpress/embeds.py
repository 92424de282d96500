"""Embedded media as WordPress expands it: the oEmbed URL alone in its paragraph (WordPress' auto-embeds
take a URL on its own line or alone in a ``<p>``; a paragraph survives the WXR's wpautop-safe joining of
lines)."""

from __future__ import annotations

import re

from migrate.content import ContentFormat, Embed

_VIDEO_FILE = re.compile(r"^https?://[^\s<>\"]+\.(?:mp4|m4v|webm|ogv|wmv|flv)$", re.IGNORECASE)
"""What WordPress' own video embed handler takes (it becomes the ``[video]`` shortcode)."""


def wordpress_embed(embed: Embed, fmt: ContentFormat) -> str | None:
    """The URL alone in a paragraph for what WordPress embeds from a URL (YouTube, Vimeo, tweets, other oEmbed
    links, video files at an absolute URL); None (the plugin's HTML) for gists and figures."""
    if fmt != "html":
        return None
    if embed.kind in ("youtube", "vimeo", "x", "link") and re.match(r"https?://[^\s<>\"]+$", embed.url):
        return f"<p>{embed.url}</p>"
    if embed.kind == "video" and _VIDEO_FILE.match(embed.url):
        return f"<p>{embed.url}</p>"
    return None
