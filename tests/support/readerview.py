"""What a reader gets from a rendered page: its words in order, images by file name, links and heading ids.

Markup a renderer may choose is left out: classes and other attributes, a ``<p>`` around a lone image,
how an entity is spelt, where whitespace falls, inline tags inside a word (``foo<em>bar</em>`` reads
``foobar``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

INLINE = frozenset(
    """a abbr b bdi bdo cite code data del dfn em i ins kbd mark q s samp small span strong sub sup time u
var wbr""".split()
)
"""Elements inside a line of text: their tags do not separate words."""
PAGE_EXTENSIONS = frozenset({".html", ".htm", ".xml", ".php"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _View(HTMLParser):
    def __init__(self, base_url: str, resolve: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.base = urlsplit(base_url)
        self.resolve = resolve
        self.items: list[str] = []
        self.text: list[str] = []

    def _flush(self) -> None:
        words = "".join(self.text).replace("\u00a0", " ").split()
        self.items.extend(words)
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag not in INLINE:
            self._flush()
        if tag == "img":
            self._flush()
            path = unquote(urlsplit(values.get("src", "")).path)
            self.items.append(f"<img {posixpath.basename(path)}>")
        elif tag == "a" and "href" in values:
            self._flush()
            self.items.append(f"<a {self.link(values['href'])}>")
        elif tag in HEADINGS:
            self.items.append(f"<{tag} #{values['id']}>" if values.get("id") else f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self._flush()
        elif tag == "a":
            self._flush()
            self.items.append("</a>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def link(self, href: str) -> str:
        """A link as the place it leads to: the site's own URLs by path (its host and base path dropped)."""
        parts = urlsplit(href.strip())
        if parts.scheme in ("http", "https") and parts.netloc == self.base.netloc or not parts.scheme:
            path = unquote(parts.path)
            prefix = self.base.path.rstrip("/")
            if parts.netloc and prefix and path.startswith(prefix + "/"):
                path = path[len(prefix) :]
            path = self.resolve(path) if path else path
            name = posixpath.basename(path)
            if "." in name and posixpath.splitext(name)[1].lower() not in PAGE_EXTENSIONS:
                return "file " + name  # a file: it may move into the page's bundle
            return path + (f"?{parts.query}" if parts.query else "") + (
                f"#{unquote(parts.fragment)}" if parts.fragment else ""
            )
        return unquote(href.strip())  # Goldmark percent-encodes what kramdown writes as it is


def reader_view(html_text: str, base_url: str = "/", *, resolve: Callable[[str], str] = str) -> list[str]:
    """The words, ``<img NAME>``, ``<a TARGET>``/``</a>`` and ``<hN #ID>`` items of ``html_text``, in order;
    ``resolve`` gives the page a local link path lands on (through redirects)."""
    view = _View(base_url, resolve)
    view.feed(html_text)
    view.close()
    view._flush()
    return view.items


def same_view(ours: list[str], theirs: list[str]) -> bool:
    """Whether a reader gets the same from both; an id on a heading that had none hides nothing."""
    if len(ours) != len(theirs):
        return False
    return all(a == b or (b[:3] in HEADINGS_OPEN and b == b[:3] + ">" and a.startswith(b[:3] + " #"))
               for a, b in zip(ours, theirs))


HEADINGS_OPEN = frozenset("<" + h for h in HEADINGS)


def first_difference(ours: list[str], theirs: list[str]) -> str:
    """Where two views part: a few items of each around the first difference."""
    k = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if not same_view([a], [b])),
             min(len(ours), len(theirs)))
    lo = max(0, k - 6)
    return f"hugo {' '.join(ours[lo : k + 8])!r} / jekyll {' '.join(theirs[lo : k + 8])!r}"
