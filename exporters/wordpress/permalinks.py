"""WordPress permalink structures: the one that serves most old URLs, the URL of a post under it, and the
category and tag bases that hide no page."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote

from migrate.ir import Document

DEFAULT_STRUCTURE = "/%year%/%monthnum%/%day%/%postname%.html"
"""Serves Jekyll's default post URLs (``date`` style, no categories) with no redirect."""

_FIXED_CANDIDATES = (
    DEFAULT_STRUCTURE,
    "/%year%/%monthnum%/%day%/%postname%/",
    "/%postname%/",
    "/%postname%.html",
    "/%year%/%monthnum%/%postname%/",
    "/%year%/%postname%/",
)
_JEKYLL_TO_WP = {
    ":year": "%year%",
    ":month": "%monthnum%",
    ":day": "%day%",
    ":hour": "%hour%",
    ":minute": "%minute%",
    ":second": "%second%",
    ":title": "%postname%",
    ":slug": "%postname%",
    ":output_ext": ".html",
}
_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_WP_TOKENS = ("%year%", "%monthnum%", "%day%", "%hour%", "%minute%", "%second%", "%postname%", "%post_id%")
_CATEGORY_BASES = ("category", "categories", "topic", "topics", "category-archive")
_TAG_BASES = ("tag", "tags", "keyword", "keywords", "tag-archive")


def parse_structure(value: str) -> str:
    """Check a WordPress permalink structure: starts with ``/`` and names ``%postname%`` or ``%post_id%``."""
    value = str(value).strip()
    if not value.startswith("/") or ("%postname%" not in value and "%post_id%" not in value):
        raise ValueError(f"{value!r} is not a permalink structure such as {DEFAULT_STRUCTURE}")
    unknown = set(re.findall(r"%[a-z_]+%", value)) - set(_WP_TOKENS)
    if unknown:
        raise ValueError(f"{value!r} uses tokens this exporter cannot compute: {', '.join(sorted(unknown))}")
    return value


def structure_url(structure: str, *, slug: str, local: dt.datetime, post_id: int) -> str:
    """The path WordPress gives a post under ``structure``."""
    return "".join([p if isinstance(p, str) else p(slug, local, post_id) for p in _structure_pieces(structure)])


_STRUCTURE_TAGS: dict[str, Callable[[str, dt.datetime, int], str]] = {
    "%year%": lambda slug, local, post_id: f"{local.year:04d}",
    "%monthnum%": lambda slug, local, post_id: f"{local.month:02d}",
    "%day%": lambda slug, local, post_id: f"{local.day:02d}",
    "%hour%": lambda slug, local, post_id: f"{local.hour:02d}",
    "%minute%": lambda slug, local, post_id: f"{local.minute:02d}",
    "%second%": lambda slug, local, post_id: f"{local.second:02d}",
    "%postname%": lambda slug, local, post_id: slug,
    "%post_id%": lambda slug, local, post_id: str(post_id),
}


@functools.lru_cache(maxsize=256)
def _structure_pieces(structure: str) -> tuple[str | Callable[[str, dt.datetime, int], str], ...]:
    """``structure`` cut into its text and the functions giving its tags' values (a tag WordPress does
    not know stays text), parsed once rather than for every post."""
    pieces = re.split(r"(%[a-z_]+%)", structure)
    return tuple(_STRUCTURE_TAGS.get(p, p) if n % 2 else p for n, p in enumerate(pieces))


def jekyll_template_to_structure(template: str) -> str | None:
    """A Jekyll permalink template as a WordPress structure, when every token has a WordPress twin."""
    template = _JEKYLL_STYLES.get(template, template)
    if ":categories" in template or "%" in template:
        return None
    out = re.sub(r":[a-z_]+", lambda m: _JEKYLL_TO_WP.get(m.group(0), m.group(0)), template)
    if re.search(r":[a-z_]+", out) or "%postname%" not in out:
        return None
    return out if out.startswith("/") else "/" + out


def same_url(new: str, old: str) -> bool:
    """Whether WordPress answers the old URL with the document at ``new`` (it adds or drops the trailing
    slash by itself)."""
    return unquote(new).rstrip("/") == unquote(old.split("?", 1)[0]).rstrip("/")


def page_segments(doc: Document) -> tuple[str, ...]:
    """The folder path of a page from its URL: ``/guides/setup.html`` -> ``("guides", "setup")``."""
    path = unquote(doc.url or "/" + posixpath.splitext(doc.source)[0]).split("?", 1)[0].split("#", 1)[0]
    if path.endswith("/index.html") or path == "index.html":
        path = path[: -len("index.html")]
    elif path.endswith((".html", ".htm")):
        path = posixpath.splitext(path)[0]
    return tuple(s for s in path.strip("/").split("/") if s)


def best_structure(
    templates: Iterable[str | None], built: list[tuple[str, dt.datetime, str]], page_urls: list[str]
) -> str:
    """The structure that serves the most old URLs: of the posts Jekyll built, as ``(slug, local date,
    unquoted old URL)``, and of the pages Jekyll built other than the home page, by their old URLs. The
    candidates are common structures and those of the site's Jekyll permalink ``templates``."""
    candidates = list(_FIXED_CANDIDATES)
    for template in templates:
        derived = jekyll_template_to_structure(template or "")
        if derived and derived not in candidates:
            candidates.append(derived)
    best, best_score = DEFAULT_STRUCTURE, -1
    for candidate in candidates:
        score = 0
        for slug, local, old_url in built:
            url = structure_url(candidate, slug=slug, local=local, post_id=0)
            score += unquote(url) == old_url
        # WordPress gives pages the structure's ending: "/x/" after a slash, else "/x" (never ".html")
        slash = candidate.endswith("/")
        score += sum(
            1 for url in page_urls if (url.endswith("/") if slash else not url.endswith(("/", ".html")))
        )
        if score > best_score:
            best, best_score = candidate, score
    return best


def term_bases(urls: Iterable[str]) -> tuple[str, str]:
    """WordPress's category and tag bases for items at ``urls``. Its archives answer every URL under /BASE/
    before any page does: a base some document's new URL lives under would hide that document, so another
    is chosen."""
    paths = [url.strip("/") for url in urls]
    folders = {path.split("/")[0] for path in paths if "/" in path}
    category = next(b for b in _CATEGORY_BASES if b not in folders)
    tag = next(b for b in _TAG_BASES if b not in folders and b != category)
    return category, tag
