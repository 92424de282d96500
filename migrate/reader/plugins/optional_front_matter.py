"""jekyll-optional-front-matter 0.3: a Markdown file without front matter is a page too."""

from __future__ import annotations

from migrate.reader.plugins.common import SiteReader, add_page, is_markdown, option, site_static_files
from migrate.reader.rubyish import rb_extname

FILENAME_BLACKLIST = frozenset(
    {
        "README",
        "LICENSE",
        "LICENCE",
        "COPYING",
        "CODE_OF_CONDUCT",
        "CONTRIBUTING",
        "ISSUE_TEMPLATE",
        "PULL_REQUEST_TEMPLATE",
    }
)
"""Names (without extension, any case) left out unless ``include:`` names the file."""


def generate(reader: SiteReader) -> None:
    """Each static Markdown file (in a collection too) becomes a page as well (the file itself is still copied,
    unless ``optional_front_matter: {remove_originals: true}`` or ``require_front_matter``); nothing
    happens with ``optional_front_matter: {enabled: false}`` or ``require_front_matter``."""
    require = reader.config.get("require_front_matter")
    if option(reader, "optional_front_matter", "enabled") is False or require:
        return
    cleanup = option(reader, "optional_front_matter", "remove_originals") is True or bool(require)
    removed = set()
    for static in site_static_files(reader):
        if not is_markdown(reader, static.source) or _blacklisted(reader, static.source):
            continue
        add_page(reader, static.source)
        removed.add(static.source)
    if cleanup and removed:
        reader.statics[:] = [s for s in reader.statics if s.source not in removed]


def _blacklisted(reader: SiteReader, source: str) -> bool:
    if isinstance(reader.config.get("include"), list) and reader._included(source, False):
        return False
    name = source.rsplit("/", 1)[-1]
    ext = rb_extname(name)
    basename = (name[: len(name) - len(ext)] if ext else name).rstrip(".")  # ``Page#basename``
    return basename.upper() in FILENAME_BLACKLIST
