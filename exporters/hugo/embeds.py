"""Embedded media as Hugo's built-in shortcodes (``youtube``, ``vimeo``, ``x``, ``figure``).

Hugo removed its ``gist`` shortcode in v0.156: a gist keeps its ``<script>`` embed (raw HTML, which the
export's configuration lets through)."""

from __future__ import annotations

import re

from migrate.content import ContentFormat, Embed

_PARAM = r'(?:[\w-]+=)?"(?:[^"\\\n]|\\.)*"'
EMBED_SHORTCODE = re.compile(r"(\{\{< (?:youtube|vimeo|x|figure)(?: " + _PARAM + r")+ >\}\})")
"""A shortcode call :func:`hugo_embed` writes (one group, for ``re.split``)."""


def _param(value: str) -> str:
    """A quoted shortcode parameter (Hugo reads ``\\"`` inside one as a quote)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def hugo_embed(embed: Embed, fmt: ContentFormat) -> str | None:
    """The shortcode call for ``embed`` in a Markdown body; None (the plugin's HTML) for anything else: gists,
    links, video files, and every embed in an HTML body."""
    if fmt != "markdown":
        return None
    if embed.kind == "youtube" and embed.id:
        return "{{< youtube " + _param(embed.id) + " >}}"
    if embed.kind == "vimeo" and embed.id:
        return "{{< vimeo " + _param(embed.id) + " >}}"
    if embed.kind == "x" and "/" in embed.id:
        user, tweet = embed.id.split("/", 1)
        return "{{< x user=" + _param(user) + " id=" + _param(tweet) + " >}}"
    if embed.kind == "figure" and embed.url:
        params = [("src", embed.url), ("alt", embed.alt), ("caption", embed.caption)]
        return "{{< figure " + " ".join(f"{k}={_param(v)}" for k, v in params if v) + " >}}"
    return None
