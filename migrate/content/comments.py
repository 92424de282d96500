"""Readers' comments as the targets show them: thread depths, a safe HTML body, numbers for the report.

A comment's body was written by a stranger: whatever HTML it holds is cut down to the tags a comment may
use (the set WordPress allows in comments, give or take), scripts and styles are dropped with their text,
and links get ``rel="nofollow ugc"``. Markdown bodies (Staticman, GitHub) are rendered with CommonMark.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from migrate.ir import Comment

ALLOWED = {
    "p": (), "br": (), "a": ("href", "title"), "em": (), "strong": (), "b": (), "i": (), "u": (), "s": (),
    "del": (), "ins": (), "code": (), "pre": (), "blockquote": ("cite",), "ul": (), "ol": ("start",), "li": (),
    "q": ("cite",), "cite": (), "abbr": ("title",), "sub": (), "sup": (), "hr": (),
}
"""Tags kept in a comment body, with the attributes each keeps."""
_VOID = {"br", "hr"}
_DROP_WITH_TEXT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "select"}
_SAFE_SCHEMES = {"", "http", "https", "mailto"}


def depths(comments: Iterable[Comment]) -> dict[str, int]:
    """Each comment's depth in its thread (0 for a top-level comment), for comments in thread order."""
    out: dict[str, int] = {}
    for c in comments:
        out[c.id] = 0 if c.parent is None else out.get(c.parent, -1) + 1
    return out


@functools.lru_cache(maxsize=1)
def _markdown() -> object:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "breaks": True})


def comment_html(comment: Comment) -> str:
    """The comment's body as safe HTML."""
    html = comment.body
    if comment.body_format == "markdown":
        html = _markdown().render(comment.body)  # type: ignore[attr-defined]
    return sanitize(html).strip()


def sanitize(html: str) -> str:
    """``html`` with only :data:`ALLOWED` tags and attributes, every tag closed, no script text."""
    cleaner = _Cleaner()
    cleaner.feed(html)
    cleaner.close()
    return cleaner.result()


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_WITH_TEXT:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED:
            return
        kept = []
        for name, value in attrs:
            if name not in ALLOWED[tag] or value is None:
                continue
            if name in ("href", "cite") and urlsplit(value.strip()).scheme.lower() not in _SAFE_SCHEMES:
                continue
            kept.append(f' {name}="{escape(value, quote=True)}"')
        if tag == "a":
            kept.append(' rel="nofollow ugc"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_WITH_TEXT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def result(self) -> str:
        return "".join(self.out) + "".join(f"</{t}>" for t in reversed(self.open))


def disqus_url_map(rules: Iterable[tuple[str, str, str | None]], commented: set[str], *, old_site: str,
                   new_site: str) -> list[tuple[str, str]]:
    """The rows of Disqus's URL mapper CSV (``old URL, new URL``, both absolute): the redirect map's rules
    (``(source, target, origin)``) of the documents in ``commented``, so a site that keeps Disqus finds each
    thread under the page's new URL. Relative URLs are made absolute on ``old_site`` and ``new_site``."""
    rows = []
    for source, target, origin in rules:
        if origin not in commented:
            continue
        old = old_site.rstrip("/") + source
        new = target if urlsplit(target).scheme else new_site.rstrip("/") + target
        if old != new:
            rows.append((old, new))
    return rows
