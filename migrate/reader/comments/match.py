"""Which document a comment thread belongs to: by one of the document's old URLs, or by a key (slug, id)."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from migrate.ir import Document, Site


def url_key(url: str, baseurl: str = "") -> str:
    """A URL as the old site answered it, whatever spelling a comment system kept: without scheme and host,
    query and fragment, ``baseurl``, ``index.html``, ``.html`` and trailing slash, percent-decoded."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path or "/")
    if baseurl and (path == baseurl or path.startswith(baseurl + "/")):
        path = path[len(baseurl):] or "/"
    if not path.startswith("/"):
        path = "/" + path
    for tail in ("/index.html", "/index.htm"):
        if path.endswith(tail):
            path = path[: -len(tail) + 1]
    path = path.removesuffix(".html")
    return path.rstrip("/") or "/"


class UrlIndex:
    """Documents by every URL they answered at (their URL, ``redirect_from``, a language plugin's copies);
    the first document in source order keeps a URL two share."""

    def __init__(self, site: Site) -> None:
        self.baseurl = site.baseurl or ""
        self._by_key: dict[str, Document] = {}
        for doc in sorted(site.documents, key=lambda d: d.source):
            for url in (doc.url, *doc.redirect_from, *(u for _, u in doc.language_copies)):
                self._by_key.setdefault(url_key(url), doc)
        for doc in sorted(site.documents, key=lambda d: d.source):  # a disqus_identifier is often page.id
            self._by_key.setdefault(url_key(document_id(doc)), doc)

    def find(self, url: str) -> Document | None:
        return self._by_key.get(url_key(url, self.baseurl))


def slugify(text: str) -> str:
    """Jekyll's default ``slugify``: lower case, every run of characters other than letters and digits a
    hyphen, no hyphen at either end."""
    return re.sub(r"[^\w]+|_", "-", text.lower(), flags=re.ASCII).strip("-")


def document_id(doc: Document) -> str:
    """Jekyll's ``page.id`` of a collection document (posts included): the folder of its URL, then its slug
    (``/2020/01/hello`` for ``/2020/01/hello.html``); a page's URL without extension."""
    if doc.collection is None:
        return url_key(doc.url)
    folder = posixpath.dirname(doc.url.rstrip("/")) if doc.url != "/" else ""
    return posixpath.join(folder or "/", doc.slug)


class KeyIndex:
    """Documents by the keys themes name a post's comment folder with: ``page.slug``, the file name without
    extension, ``page.url`` or ``page.id`` slugified or without slashes. A key two documents share is
    ambiguous (:meth:`find` says which)."""

    def __init__(self, site: Site) -> None:
        self._by_key: dict[str, set[str]] = {}
        self._docs = {d.source: d for d in site.documents}
        for doc in site.documents:
            stem = doc.source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            keys = {doc.slug, stem}
            for path in (url_key(doc.url), document_id(doc)):
                keys |= {path, path.strip("/"), slugify(path), path.strip("/").replace("/", "-")}
            for key in keys:
                if key:
                    self._by_key.setdefault(key, set()).add(doc.source)

    def find(self, key: str) -> tuple[Document | None, tuple[str, ...]]:
        """The document named by ``key``, or None with the sources of every document it could name."""
        found = self._by_key.get(key) or self._by_key.get(key.lower()) or set()
        if len(found) > 1:  # a post whose slug it is wins over a page whose file name or URL it also is
            posts = {s for s in found if self._docs[s].slug == key and self._docs[s].kind == "post"}
            found = posts if len(posts) == 1 else found
        if len(found) == 1:
            return self._docs[next(iter(found))], ()
        return None, tuple(sorted(found))
