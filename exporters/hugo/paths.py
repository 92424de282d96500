"""Site paths and URLs as Hugo reads and writes them: segments, output files, aliases, escaping."""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from urllib.parse import quote, unquote

URL_SAFE = "/!$&'()*+,;=:@~-._"


def segment(name: str) -> str:
    """A path segment Hugo's urlize leaves unchanged: lowercase, no spaces or punctuation."""
    text = unicodedata.normalize("NFC", name).lower()
    text = _SPACES.sub("-", text.strip())
    text = _NOT_IN_SEGMENT.sub("", text)
    text = _DASHES.sub("-", text).strip(".-")
    return text


_SPACES = re.compile(r"\s+")
_NOT_IN_SEGMENT = re.compile(r"[^\w.~-]")
_DASHES = re.compile(r"-{2,}")


@functools.lru_cache(maxsize=16)
def permalink_pieces(pattern: str) -> tuple[str, ...]:
    """A ``[permalinks]`` pattern cut into text (even places) and its tokens (odd places), once."""
    return tuple(re.split(r"(:year|:month|:day|:slug)", pattern))


def site_path(output_path: str) -> str:
    """A Jekyll output file as the decoded site path Hugo is told (``x/index.html`` -> ``/x/``)."""
    path = "/" + output_path.lstrip("/")
    if path.endswith("/index.html"):
        return path[: -len("index.html")]
    return path


def alias_path(url: str) -> str:
    """A redirect_from URL as the file jekyll-redirect-from writes (``/old`` -> ``/old.html``)."""
    path = unquote(url if url.startswith("/") else "/" + url)
    if path.endswith("/") or posixpath.splitext(path)[1]:
        return site_path(path.lstrip("/")) if path.endswith("/index.html") else path
    return path + ".html"


_NO_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})|[\x00-\x1f\x7f]")


def hugo_can_publish(path: str) -> bool:
    """Whether a front-matter ``url:`` can give this decoded path. Hugo writes the value as it is, but parses
    it as a URL first: a ``%`` that starts no escape or a control character makes it panic. ``aliases`` and
    static files have no such limit."""
    return _NO_ESCAPE.search(path) is None


def bundle_name(name: str) -> bool:
    """Whether a file keeps working as a page resource under this name. Hugo does not escape a resource's
    name in its permalink: ``#`` and ``?`` cut the URL its image hook writes, and a ``%`` (or a control
    character) makes the build fail. Such a file stays a static file at its old URL."""
    return _NOT_A_RESOURCE.search(name) is None


_NOT_A_RESOURCE = re.compile(r"[%#?\x00-\x1f\x7f]")


def url_value(path: str) -> str:
    """A decoded path as a front-matter ``url:``. Hugo expands ``:name`` tokens there (``:year``) and reads
    ``\\:`` as a literal colon, removing that one backslash: every colon is written that way."""
    return path.replace(":", "\\:")


def output_file(path: str) -> str:
    """The file (relative to public/) a decoded site path is written as."""
    rel = path.lstrip("/")
    return rel + "index.html" if path.endswith("/") else rel


def encode(path: str) -> str:
    """A decoded site path percent-encoded as Jekyll encodes URLs (a literal ``%`` too)."""
    return quote(path, safe=URL_SAFE)
