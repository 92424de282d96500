"""The intermediate representation: what the reader found in a Jekyll site, as small frozen dataclasses.

Every exporter depends on this module and on nothing that knows Jekyll. Sequences are tuples; mappings
are plain dicts that nobody mutates after the reader built them. Change a value with
``dataclasses.replace``. ``Site.to_dict()`` / ``Site.from_dict()`` round-trip through JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

DocumentKind = Literal["post", "draft", "page", "document"]
GeneratedKind = Literal["pagination", "archive", "feed", "sitemap", "other"]
CommentStatus = Literal["approved", "pending", "spam"]
Severity = Literal["error", "warning", "info"]

IR_VERSION = 2


@dataclass(frozen=True)
class Issue:
    """One problem found while reading, converting or exporting, kept as data and rendered once."""

    code: str
    """Stable, greppable identifier such as ``yaml-error`` or ``url-collision``; ``--suppress`` takes it."""
    severity: Severity
    """``error``: the thing concerned was not migrated; ``warning``: migrated, but look; ``info``."""
    message: str
    """One sentence a user can act on."""
    source: str | None = None
    """The site-relative path of the file concerned, or None for the site as a whole."""
    line: int | None = None
    """1-based line in ``source`` where known."""


@dataclass(frozen=True)
class Author:
    """A person credited on documents, from ``_data/authors.yml``-style data or front matter."""

    key: str
    """The identifier documents use in their ``author``/``authors`` front matter."""
    name: str
    """Display name."""
    email: str | None = None
    url: str | None = None
    bio: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Every other key of the author's data entry."""


@dataclass(frozen=True)
class Collection:
    """A Jekyll collection (``posts`` included) as configured."""

    label: str
    """The collection's name: ``posts``, ``docs``, ..."""
    output: bool
    """Whether Jekyll renders its documents to pages."""
    permalink: str
    """The permalink template its documents use unless front matter overrides it."""
    directory: str
    """Site-relative folder the documents live in (``_docs``; ``_posts`` for posts)."""


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader's comment on a document (from Staticman data files, a Disqus export, GitHub issues or
    discussions). The readers check threads: every ``parent`` is the ``id`` of an earlier comment of the
    same document, and there is no loop."""

    id: str
    """Unique among the document's comments: Staticman's ``_id`` (else the file name), Disqus's post id,
    GitHub's comment id."""
    parent: str | None
    """The ``id`` of the comment this one answers, None for a comment on the document itself."""
    author: str
    """The name the commenter gave ("" when none)."""
    date: _dt.datetime | None
    """When it was written, with its UTC offset; None when the source gave no usable date."""
    body: str
    """The text as the source stores it, in ``body_format``."""
    body_format: Literal["markdown", "html"] = "markdown"
    """``markdown`` (Staticman, GitHub) or ``html`` (Disqus)."""
    email: str | None = None
    """The commenter's address when the source has it in clear (Disqus)."""
    email_md5: str | None = None
    """The MD5 hex of the trimmed, lower-cased address (Gravatar's key; Staticman stores only this)."""
    author_url: str | None = None
    status: CommentStatus = "approved"
    source: str = ""
    """Where it was read: a site-relative data file (``_data/comments/hello/entry1.yml``) or the name of the
    export file given on the command line."""
    line: int | None = None
    """1-based line of ``source`` where the comment starts, when known."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Every other field of the source record (JSON-safe); never dropped."""


@dataclass(frozen=True, slots=True)
class Document:
    """One source file Jekyll renders (or would render with the right flags): a post, draft, page or
    collection document."""

    kind: DocumentKind
    """``post`` (in ``_posts``), ``draft`` (in ``_drafts``), ``page``, or ``document`` (other collection)."""
    source: str
    """Site-relative POSIX path of the source file, e.g. ``blog/_posts/2020-01-02-hello.md``."""
    url: str
    """The URL exactly as Jekyll writes it in ``page.url``: ``site.url``- and ``baseurl``-less, percent-encoded
    the way Jekyll encodes it, e.g. ``/news/2020/01/02/hello/`` or ``/about.html``."""
    output_path: str | None
    """Site-relative path of the file Jekyll writes for it (``news/2020/01/02/hello/index.html``), or
    None when the document is not rendered (collection with ``output: false``)."""
    title: str
    """Title from front matter, else Jekyll's fallback (the slug turned into words for posts)."""
    slug: str
    """Jekyll's ``slug``: from front matter, else the file name without date and extension."""
    collection: str | None = None
    """Collection label (``posts`` for posts and drafts), None for pages."""
    date: _dt.datetime | None = None
    """Publication date with its UTC offset, in the site timezone as Jekyll uses it; None for pages and
    documents without one."""
    last_modified: _dt.datetime | None = None
    """From ``last_modified_at`` (jekyll-last-modified-at convention) when present."""
    categories: tuple[str, ...] = ()
    """In Jekyll's order: folder categories first, then front matter."""
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    """Author keys or names from ``author``/``authors``."""
    excerpt: str | None = None
    """The front-matter ``excerpt`` when set (raw, unrendered); None otherwise."""
    excerpt_separator: str = "\n\n"
    """What separates the generated excerpt from the rest of the body."""
    published: bool = True
    """False for ``published: false``."""
    future: bool = False
    """True when the date lies after the reader's "now" (Jekyll skips such posts unless ``future: true``)."""
    built_by_jekyll: bool = True
    """Whether plain ``jekyll build`` with the site's config (and the reader's flags) writes this document."""
    layout: str | None = None
    language: str | None = None
    """From ``lang``/``language`` front matter, else the site language."""
    markup: str = "markdown"
    """``markdown``, ``html`` or the raw extension (``textile``...) for anything else."""
    extension: str = ".md"
    """Source file extension including the dot."""
    output_ext: str = ".html"
    """The extension Jekyll gives the output (``.html`` for Markdown and HTML)."""
    body: str = ""
    """The raw body after the front matter, with Liquid and Markdown unrendered, newlines normalised to LF."""
    body_line: int = 1
    """1-based line of the source file where ``body`` starts (for messages)."""
    render_with_liquid: bool = True
    redirect_from: tuple[str, ...] = ()
    """Extra old URLs of this document (jekyll-redirect-from), normalised to start with ``/``."""
    redirect_to: str | None = None
    """When set, this document is itself a redirect to that URL (absolute or site-relative)."""
    permalink: str | None = None
    """The front-matter ``permalink`` (after defaults) when one was given."""
    translations: tuple[str, ...] = ()
    """Sources of the other language versions of this document (jekyll-polyglot: the documents with the
    same permalink in other languages), sorted; () on a site with one language."""
    language_copies: tuple[tuple[str, str], ...] = ()
    """``(language, url)`` of each copy of this document a language plugin also wrote for a language that
    has no version of its own (jekyll-polyglot's fallback to the default language): old URLs that served
    this document's content."""
    front_matter: dict[str, Any] = field(default_factory=dict)
    """All front matter after defaults were applied, JSON-safe (dates as ISO strings)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Front-matter keys not mapped onto a field above; never dropped."""
    comments: tuple[Comment, ...] = ()
    """Readers' comments on it, in thread order: each reply right after its parent's subtree began (a
    depth-first walk), siblings by date then id. Empty unless a comment source was read."""

    @property
    def draft(self) -> bool:
        """A file of ``_drafts`` (the kind says so; no field repeats it)."""
        return self.kind == "draft"

    @property
    def is_draft(self) -> bool:
        """Whether the targets keep it unpublished: a file of ``_drafts`` or ``published: false`` (Jekyll
        builds neither without ``--drafts``/``--unpublished``). The one rule every exporter reads."""
        return self.draft or not self.published

    @property
    def served_by_jekyll(self) -> bool:
        """Whether the old site answered at ``url``: plain ``jekyll build`` wrote the document, to
        ``output_path``. The one rule every exporter reads for "which old URLs must keep answering"."""
        return self.built_by_jekyll and self.output_path is not None

    @property
    def own_date(self) -> _dt.datetime | None:
        """The date the document carries itself (its front matter or its file name), or None where Jekyll's
        ``date`` is only the build time (an undated page or collection document: recognisable by its
        microseconds, which no front matter or file name gives) or the file's modification time (a draft
        without a front-matter date): an export must not depend on when, or from which checkout, it ran.
        The one rule every exporter reads for "the document's date"."""
        if self.date is None or (self.kind in ("page", "document") and self.date.microsecond):
            return None
        if self.kind == "draft" and "date" not in self.front_matter:
            return None
        return self.date

    @property
    def old_url(self) -> str | None:
        """The URL the old site answered with this document: ``url`` when Jekyll wrote it, else None (a
        draft's or unpublished document's computed URL was never live, and may even hold the file's mtime)."""
        return self.url if self.served_by_jekyll else None

    @property
    def is_markdown(self) -> bool:
        """Whether Jekyll converts the body with kramdown (its extension is one of ``markdown_ext``). Any
        other body (HTML, a script, a feed template, text) is written as it is after Liquid."""
        return self.markup == "markdown"

    @property
    def is_html_page(self) -> bool:
        """Whether Jekyll writes a web page for it (``output_ext`` is one of Jekyll's ``HTML_EXTENSIONS``,
        its ``html?``). Otherwise the output is a file of that extension (a feed, script, stylesheet, text)
        whose text is the body after Liquid (and kramdown for Markdown): targets serve it as a file at its
        URL, never as a page of content."""
        return self.output_ext.lower() in HTML_OUTPUT_EXTENSIONS

    @property
    def served_url(self) -> str:
        """The URL a web server answers with this document's file: ``url``, except for a folder URL whose
        file is no ``index.html`` (``humans.txt`` with ``permalink: /contacts/humans/`` is written to
        ``contacts/humans/index.txt``, which neither nginx, Apache, GitHub Pages nor ``jekyll serve`` take
        as the folder's index): then the URL of the file itself (``/contacts/humans/index.txt``)."""
        if not self.url.endswith("/") or self.output_path is None:
            return self.url
        name = self.output_path.rsplit("/", 1)[-1]
        if name in ("index.html", "index.htm"):
            return self.url
        return self.url + _quote_segment(name)


HTML_OUTPUT_EXTENSIONS = (".html", ".htm", ".xhtml")
"""Jekyll's ``HTML_EXTENSIONS``: the output extensions of a web page."""


def _quote_segment(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="!$&'()*+,;=:@-._~")


@dataclass(frozen=True, slots=True)
class StaticFile:
    """A file Jekyll copies unchanged (no front matter)."""

    source: str
    """Site-relative POSIX path."""
    url: str
    """URL Jekyll serves it under (percent-encoded as Jekyll writes it)."""
    size: int
    """Size in bytes."""
    collection: str | None = None
    """The collection it belongs to when it lives in a collection folder."""
    origin_url: str | None = None
    """For a file downloaded with ``--download-remote-assets``: the absolute URL the site referenced it by
    (fragment dropped). None for a file of the site. Such a file was never served by Jekyll: ``source`` and
    ``url`` are made up for it, and no old URL or redirect concerns it."""
    local_path: str | None = None
    """Absolute path of the file's bytes when they are not at ``source_dir/source`` (a downloaded file sits
    in the download cache); None otherwise. Read the bytes through :meth:`Site.static_file_path`."""


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """A page a plugin wrote that no source file holds as such: one page of a paginated list, an archive
    of a tag, category or date, a feed, a sitemap. Its URL was live, so it needs an answer on the new site."""

    kind: GeneratedKind
    url: str
    """The URL exactly as Jekyll writes ``page.url`` for it (percent-encoded like a document's)."""
    output_path: str
    """Site-relative path of the file Jekyll wrote (``blog/page2/index.html``, ``feed.xml``)."""
    generator: str
    """The plugin (gem name) that wrote it: ``jekyll-paginate``, ``jekyll-paginate-v2``, ``jekyll-archives``,
    ``jekyll-feed``, ``jekyll-sitemap``, ``jekyll-polyglot``..."""
    template: str | None = None
    """Source of the page or layout it was rendered from (the paginated ``blog/index.html``), if any."""
    lists: str | None = "posts"
    """The collection whose documents it lists (``posts``); None when it lists no documents."""
    page_number: int | None = None
    """For a page of a paginated list: its number, from 1 (page 1 is usually the template's own URL)."""
    total_pages: int | None = None
    per_page: int | None = None
    category: str | None = None
    """The category it lists (a category archive, category pagination, a category feed)."""
    tag: str | None = None
    """The tag it lists."""
    period: str | None = None
    """For a date archive: ``2020``, ``2020/05`` or ``2020/05/17``."""
    language: str | None = None
    """The language it belongs to (a language plugin's copy), None for the site's only or default one."""
    members: tuple[str, ...] = ()
    """Sources of the documents it lists, in its order (for a paginated page: the ones on this page)."""


@dataclass(frozen=True, slots=True)
class AccountedFile:
    """A file under the site that is neither a document nor a static file, and why."""

    source: str
    reason: str
    """``excluded`` (config ``exclude``), ``hidden`` (dot or underscore name), ``layout``, ``include``,
    ``data``, ``sass``, ``config``, ``unpublished-collection``, ``special-file``, ``bad-name`` (not UTF-8:
    ``source`` then shows the bytes as ``\\xNN``), ``error``..."""


@dataclass(frozen=True)
class Site:
    """A whole Jekyll site as the reader normalised it."""

    source_dir: str
    """Absolute path of the site folder as given."""
    title: str = ""
    description: str = ""
    url: str = ""
    """The site's ``url`` (scheme and host), without trailing slash; may be empty."""
    baseurl: str = ""
    """The site's ``baseurl`` (path prefix), "" or starting with ``/`` without trailing slash."""
    language: str | None = None
    timezone: str | None = None
    """IANA name from ``timezone``; None means the reader machine's local zone was used."""
    permalink: str = "date"
    """The site-wide permalink setting (style name or template)."""
    authors: tuple[Author, ...] = ()
    collections: tuple[Collection, ...] = ()
    documents: tuple[Document, ...] = ()
    static_files: tuple[StaticFile, ...] = ()
    generated: tuple[GeneratedPage, ...] = ()
    """The pages plugins generated (pagination, archives, feeds, sitemaps), sorted by URL."""
    other_files: tuple[AccountedFile, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    """The merged configuration, JSON-safe."""
    data: dict[str, Any] = field(default_factory=dict)
    """``site.data``: the parsed ``_data`` folder."""
    issues: tuple[Issue, ...] = ()
    """Problems the reader found."""
    languages: tuple[str, ...] = ()
    """The site's languages (jekyll-polyglot ``languages``), the default first; () for a one-language site."""
    plugins: tuple[str, ...] = ()
    """The plugins Jekyll loads for the site (gem names): the configuration's ``plugins`` (or ``gems``), then
    the Gemfile's ``:jekyll_plugins`` group. A plugin's tags, filters and pages exist only when it is here."""
    time: _dt.datetime | None = None
    """``site.time``: the configured ``time``, else the moment the site was read (what decided which posts are
    in the future); one value for every document, as in one Jekyll build."""

    # -- lookups -------------------------------------------------------------------------------
    def document(self, source: str) -> Document | None:
        """The document read from ``source`` (a site-relative path), or None."""
        return self._documents_by_source.get(source)

    @functools.cached_property
    def _documents_by_source(self) -> dict[str, Document]:
        index: dict[str, Document] = {}
        for doc in self.documents:
            index.setdefault(doc.source, doc)
        return index

    def static_file_path(self, static: StaticFile) -> Path:
        """Where ``static``'s bytes are: in the site folder, or in the download cache for a remote asset."""
        if static.local_path is not None:
            return Path(static.local_path)
        return Path(self.source_dir) / static.source

    def served_static_files(self) -> tuple[StaticFile, ...]:
        """The static files Jekyll itself served (every one but the downloaded remote assets)."""
        return tuple(s for s in self.static_files if s.origin_url is None)

    # -- serialisation ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (dates as RFC 3339 strings) that :meth:`from_dict` reads back."""
        return {"ir_version": IR_VERSION, **_to_jsonable(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Site:
        data = dict(data)
        data.pop("ir_version", None)
        return Site(
            **{
                **data,
                "authors": tuple(Author(**a) for a in data.get("authors", ())),
                "collections": tuple(Collection(**c) for c in data.get("collections", ())),
                "documents": tuple(_document_from_dict(d) for d in data.get("documents", ())),
                "static_files": tuple(StaticFile(**s) for s in data.get("static_files", ())),
                "generated": tuple(_generated_from_dict(g) for g in data.get("generated", ())),
                "other_files": tuple(AccountedFile(**o) for o in data.get("other_files", ())),
                "issues": tuple(Issue(**i) for i in data.get("issues", ())),
                "plugins": tuple(data.get("plugins", ())),
                "languages": tuple(data.get("languages", ())),
                "time": _dt.datetime.fromisoformat(data["time"]) if data.get("time") else None,
            }
        )


_TUPLE_FIELDS = ("categories", "tags", "authors", "redirect_from")


def _generated_from_dict(data: dict[str, Any]) -> GeneratedPage:
    return GeneratedPage(**{**data, "members": tuple(data.get("members", ()))})


def _document_from_dict(data: dict[str, Any]) -> Document:
    values = dict(data)
    values.pop("draft", None)  # IR version 1 repeated the kind in a field
    values["translations"] = tuple(values.get("translations", ()))
    values["language_copies"] = tuple(tuple(pair) for pair in values.get("language_copies", ()))
    for name in ("date", "last_modified"):
        if values.get(name):
            values[name] = _dt.datetime.fromisoformat(values[name])
    for name in _TUPLE_FIELDS:
        values[name] = tuple(values.get(name, ()))
    values["comments"] = tuple(_comment_from_dict(c) for c in values.get("comments", ()))
    return Document(**values)


def _comment_from_dict(data: dict[str, Any]) -> Comment:
    values = dict(data)
    if values.get("date"):
        values["date"] = _dt.datetime.fromisoformat(values["date"])
    return Comment(**values)


def _to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return value


def jsonable(value: Any) -> Any:
    """Turn IR values (and YAML-loaded values such as dates) into JSON-safe ones."""
    return _to_jsonable(value)
