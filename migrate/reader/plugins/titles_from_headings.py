"""jekyll-titles-from-headings 0.5: a Markdown page without a title takes its first heading."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from migrate.reader.plugins.common import (
    Entry,
    SiteReader,
    data_value,
    documents_to_write,
    is_markdown,
    option,
    pages,
)

if TYPE_CHECKING:
    from migrate.content.markdown import KramdownConverter

_S = r"[ \t\r\n\f\v]"
"""Ruby's ``\\s`` (ASCII only)."""
TITLE = re.compile(rf"\A{_S}*(?:\#{{1,3}}{_S}+(.*)(?:{_S}+\#{{1,3}})?|(.*)\r?\n[-=]+{_S}*)$", re.MULTILINE)
"""The plugin's ``TITLE_REGEX``: an ATX heading of one to three ``#`` or a Setext heading, first in the body."""
FOOTNOTE = re.compile(r"\[\^[^\]]*\]")
_HTML_BLOCKS = re.compile(r"<script.*?</script>|<!--.*?-->|<style.*?</style>", re.DOTALL)
_HTML_TAGS = re.compile(r"<.*?>", re.DOTALL)


def generate(reader: SiteReader) -> None:
    """Pages (and, with ``titles_from_headings: {collections: true}``, the documents written, whose title
    Jekyll only inferred from the file name) get the heading's text as ``title`` when they have none;
    ``strip_title`` (the config's, or the page's own) removes the heading from the body."""
    if option(reader, "titles_from_headings", "enabled") is False:
        return
    entries = pages(reader)
    if option(reader, "titles_from_headings", "collections") is True:
        entries += documents_to_write(reader)
    for entry in entries:
        if not is_markdown(reader, entry.source):
            continue
        if entry.kind == "page" and data_value(reader, entry, "title") is not None:
            continue
        match = TITLE.search(entry.text.body)
        if match:  # without one Jekyll sets the title it already has
            entry.data["title"] = strip_markup(
                match.group(1) if match.group(1) is not None else match.group(2)
            )
        if _strip_title(reader, entry):
            _remove_heading(entry)


def _strip_title(reader: SiteReader, entry: Entry) -> bool:
    if "strip_title" in entry.data:
        return entry.data["strip_title"] is True
    return option(reader, "titles_from_headings", "strip_title") is True


def _remove_heading(entry: Entry) -> None:
    body = entry.text.body
    stripped = TITLE.sub("", body, count=1)
    lead = len(stripped) - len(stripped.lstrip(" \t\r\n\f\v\0"))
    entry.text.body_line += body[: len(body) - len(stripped) + lead].count("\n")
    entry.text.body = stripped.strip(" \t\r\n\f\v\0")


def strip_markup(text: str) -> str:
    """``markdownify | strip_html | normalize_whitespace``, then footnote marks removed: the title Jekyll
    gives the page (entities kramdown writes, such as ``&amp;``, stay as they are)."""
    html = _converter().convert(text)
    html = _HTML_TAGS.sub("", _HTML_BLOCKS.sub("", html))
    return FOOTNOTE.sub("", re.sub(rf"{_S}+", " ", html).strip(" \t\r\n\f\v\0"))


@lru_cache(maxsize=1)
def _converter() -> KramdownConverter:
    from migrate.content.markdown import KramdownConverter

    return KramdownConverter()
