"""Builds one old URL -> new URL redirect map from the IR and an exporter's URL decisions."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from migrate.ir import Document, Issue, Site

log = logging.getLogger(__name__)

# Jekyll (``Jekyll::URL.escape_path``) leaves unreserved characters, sub-delims, ":" and "@" alone.
_PATH_SAFE = "/!$&'()*+,;=:@-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_ABSOLUTE_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
# A path of only the characters encode_path() leaves alone (no "%" either): encoding keeps it as it is.
_ENCODED_AS_IS = re.compile(r"[A-Za-z0-9/!$&'()*+,;=:@\-._~]*")
_CONTROL = re.compile("[\x00-\x1f\x7f]")

# Who keeps an old path when several claim it, lowest rank first. Jekyll writes pages, then the
# redirect pages jekyll-redirect-from generates, then collection documents (posts included), and the
# file written last is the one served; within a rank the later claim wins the same way.
RANK_PLATFORM = -1
RANK_DOCUMENT = 0
RANK_REDIRECT_FROM = 1
RANK_PAGE = 2
RANK_FEED = 3
RANK_EXTRA = 4
RANK_ALTERNATE = 5

_RANK_NAMES = {
    RANK_PLATFORM: "platform",
    RANK_DOCUMENT: "document",
    RANK_REDIRECT_FROM: "redirect_from",
    RANK_PAGE: "page",
    RANK_FEED: "feed",
    RANK_EXTRA: "extra",
    RANK_ALTERNATE: "alternate",
}


@dataclass(frozen=True, slots=True)
class Redirect:
    """One rule: a request for ``source`` answers ``status`` with ``Location: target``."""

    source: str
    """Root-relative old path, with the base path, percent-encoded the way Jekyll encodes URLs (or the raw
    decoded form of such a path, which hosts also answer); may carry a ``?query``."""
    target: str
    """Root-relative new URL (with the base path; may carry a query or fragment) or an absolute URL."""
    status: int = 301
    origin: str | None = field(default=None, compare=False)
    """Site-relative source file that produced the rule (None for the feed and extra rules)."""

    @property
    def external(self) -> bool:
        """True when ``target`` is an absolute URL."""
        return is_absolute(self.target)


@dataclass(frozen=True)
class RedirectMap:
    """Every redirect a migrated site needs, sorted by source, with the problems met while building it."""

    rules: tuple[Redirect, ...] = ()
    issues: tuple[Issue, ...] = ()
    rewrites: tuple[Redirect, ...] = ()
    """Pages a static host must answer at ``source`` with its file at ``target`` (status 200, no redirect):
    an extensionless URL ``/x`` Jekyll wrote as ``x.html``, for hosts that do not look up ``x.html``
    themselves (nginx, Apache, Caddy, Vercel). Sorted by source; never a source of ``rules``."""

    def __iter__(self) -> Iterator[Redirect]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def as_dict(self) -> dict[str, str]:
        """``source -> target``."""
        return {r.source: r.target for r in self.rules}

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "redirects": [
                {"source": r.source, "target": r.target, "status": r.status, "origin": r.origin}
                for r in self.rules
            ],
            "issues": [
                {"code": i.code, "severity": i.severity, "source": i.source, "message": i.message}
                for i in self.issues
            ],
        }
        if self.rewrites:
            data["rewrites"] = [
                {"source": r.source, "target": r.target, "status": r.status, "origin": r.origin}
                for r in self.rewrites
            ]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RedirectMap:
        rules = tuple(
            Redirect(str(r["source"]), str(r["target"]), int(r.get("status", 301)), r.get("origin"))
            for r in data.get("redirects", ())
        )
        issues = tuple(
            Issue(code=i["code"], severity=i["severity"], message=i["message"], source=i.get("source"))
            for i in data.get("issues", ())
        )
        rewrites = tuple(
            Redirect(str(r["source"]), str(r["target"]), int(r.get("status", 200)), r.get("origin"))
            for r in data.get("rewrites", ())
        )
        return cls(rules, issues, rewrites)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


# -- URL helpers -------------------------------------------------------------------------------------


def is_absolute(url: str) -> bool:
    """True for ``scheme://...`` and protocol-relative ``//host/...`` URLs."""
    # The common case, without urlsplit: no scheme starts with "/" (urlsplit drops tabs and newlines
    # first, so "/\t/x" takes the long way).
    if url[:1] == "/" and url[1:2] not in ("\t", "\n", "\r"):
        return url[1:2] == "/"
    return url.startswith("//") or bool(urlsplit(url).scheme)


def encode_path(path: str) -> str:
    """Percent-encode a URL path the way Jekyll does (idempotent; hex digits upper-case)."""
    if _ENCODED_AS_IS.fullmatch(path):
        return path
    return quote(unquote(path), safe=_PATH_SAFE)


def encode_query(query: str) -> str:
    """Percent-encode what must be encoded in a query string, leaving existing escapes alone."""
    return quote(query, safe=_QUERY_SAFE + "%")


def normalise_relative(url: str) -> str:
    """A root-relative URL with its path encoded like Jekyll's, its query and fragment kept."""
    if url[:1] == "/" and url[1:2] != "/" and _ENCODED_AS_IS.fullmatch(url):
        return url  # a plain path, already encoded: what the rest would give
    parts = urlsplit(url if url.startswith("/") else "/" + url)
    out = encode_path(parts.path or "/")
    if parts.query:
        out += "?" + encode_query(parts.query)
    if parts.fragment:
        out += "#" + quote(parts.fragment, safe=_QUERY_SAFE + "%")
    return out


def normalise_absolute(url: str) -> str:
    """An absolute URL made ASCII (non-ASCII and spaces percent-encoded), otherwise unchanged."""
    return quote(url, safe=_ABSOLUTE_SAFE)


def normalise_base_path(base_path: str) -> str:
    """``""`` or ``/sub`` (leading slash, no trailing slash)."""
    base = base_path.strip().strip("/")
    return "/" + encode_path(base) if base else ""


def decoded_form(source: str) -> str | None:
    """The raw (percent-decoded) spelling of an encoded source path, when it differs and is usable."""
    path, sep, query = source.partition("?")
    if "%" not in path:
        return None  # nothing to decode
    if "%2f" in path.lower():
        return None  # an encoded slash is not a path separator: its decoded spelling is another path
    raw = unquote(path)
    if raw == path or "%" in raw or "?" in raw or "#" in raw or _CONTROL.search(raw):
        return None
    return raw + sep + query


def page_key(url: str, *, index_files: bool = True) -> str:
    """What a host treats as one page: ``/x`` and ``/x/``, and on a static host (``index_files``) also
    ``/x/index.html``."""
    path = url.split("#", 1)[0]
    if "?" in path:
        return path
    if index_files and path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path.rstrip("/") or "/"


def same_page(source: str, target: str, *, index_files: bool = True) -> bool:
    """True when a host serving ``target`` answers ``source`` with the same page by itself, so a rule
    would add nothing (or loop through the server's own index lookup): ``/x`` for ``/x/`` (hosts add
    the slash), and on a static host (``index_files``) ``/x/index.html`` for ``/x/`` and ``/x.html`` for
    an extensionless ``/x``, which only a host serving ``x.html`` for it can have. Applications such as
    Ghost and WordPress answer neither of the last two: pass ``index_files=False`` for them."""
    if source == target:
        return True
    if is_absolute(target) or "#" in target:
        return False
    if page_key(source, index_files=index_files) == page_key(target, index_files=index_files):
        return True
    if not index_files:
        return False
    last = target.rsplit("/", 1)[-1]
    return "?" not in target and bool(last) and "." not in last and source == target + ".html"


def served_forms(url: str) -> list[str]:
    """The encoded URL plus the other paths a Jekyll host (GitHub Pages) answers with the same file.

    ``/x/`` is also ``/x`` and ``/x/index.html``; ``/x.html`` is also ``/x``; an extensionless ``/x`` is
    written as ``x.html``, so ``/x.html`` answers too.
    """
    if "?" in url:
        return [url]
    forms = [url]
    if url.endswith("/"):
        forms.append(url + "index.html")
        if url != "/":
            forms.append(url[:-1])
    elif url.endswith("/index.html"):
        directory = url[: -len("index.html")]
        forms.append(directory)
        if directory != "/":
            forms.append(directory[:-1])
    elif url.endswith(".html"):
        forms.append(url[: -len(".html")])
    elif "." not in url.rsplit("/", 1)[-1]:
        forms.append(url + ".html")
    return forms


# -- building the map ------------------------------------------------------------------------------


@dataclass(slots=True)  # not frozen: a large site makes tens of thousands, and frozen ones are slow to make
class _Claim:
    source: str
    target: str
    rank: int
    origin: str | None
    seq: int
    """Position in Jekyll's write order: a later claim of the same rank replaced an earlier one."""
    primary: str | None = None
    """For another spelling of a URL (``RANK_ALTERNATE``): that URL, whose winner it follows."""


class _Builder:
    def __init__(self, site: Site, base_path: str, new_site_url: str | None = None) -> None:
        self.site = site
        self.base = normalise_base_path(base_path)
        parts = urlsplit(new_site_url or "")
        self.new_origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
        self.claims: list[_Claim] = []
        self.issues: list[Issue] = []
        self.old_site_prefixes = self._old_site_prefixes()

    def _old_site_prefixes(self) -> tuple[str, ...]:
        url = (self.site.url or "").rstrip("/")
        if not url:
            return ()
        prefixes = [url + (self.site.baseurl or ""), url]
        if url.startswith("https://"):
            prefixes += ["http://" + url[8:] + (self.site.baseurl or ""), "http://" + url[8:]]
        return tuple(dict.fromkeys(prefixes))

    def issue(self, code: str, severity: str, message: str, source: str | None = None) -> None:
        self.issues.append(Issue(code=code, severity=severity, message=message, source=source))  # type: ignore[arg-type]

    def old(self, url: str) -> str:
        """An old site URL as the redirect source (base path added)."""
        return self.base + normalise_relative(url).split("#", 1)[0] if url != "" else self.base + "/"

    def new(self, url: str, *, new_site: bool = False) -> str:
        """A target: absolute URLs on the old site's own domain (and, for a URL the export chose, on the
        new site's) become root-relative; the base path goes in front of relative ones."""
        url = url.strip()
        if new_site and self.new_origin and (url == self.new_origin or url.startswith(self.new_origin + "/")):
            return normalise_relative(url[len(self.new_origin) :] or "/")
        for prefix in self.old_site_prefixes:
            if url == prefix or url.startswith(prefix + "/"):
                url = url[len(prefix) :] or "/"
                break
        if is_absolute(url):
            return normalise_absolute(url)
        return self.base + normalise_relative(url)

    def claim_served(self, url: str, target: str, rank: int, origin: str | None, seq: int = 0) -> None:
        """Claim ``url`` and every other form a Jekyll host answers for it."""
        forms = served_forms(self.old(url))
        self.claims.append(_Claim(forms[0], target, rank, origin, seq))
        for form in forms[1:]:
            self.claims.append(_Claim(form, target, RANK_ALTERNATE, origin, seq, forms[0]))

    def check_source(self, raw: str, origin: str) -> str | None:
        """Validate a ``redirect_from`` entry; return the path to claim or None."""
        value = raw.strip()
        if not value:
            return None
        for prefix in self.old_site_prefixes:
            if value == prefix or value.startswith(prefix + "/"):
                value = value[len(prefix) :] or "/"
                break
        if is_absolute(value):
            self.issue(
                "redirect-from-absolute",
                "warning",
                f"redirect_from entry {raw!r} names another host; only paths of this site can redirect",
                origin,
            )
            return None
        if "#" in value:
            self.issue(
                "redirect-from-fragment",
                "warning",
                f"redirect_from entry {raw!r} has a fragment, which never reaches a server; it is dropped",
                origin,
            )
            value = value.split("#", 1)[0]
        if "?" in value:
            self.issue(
                "redirect-from-query",
                "info",
                f"redirect_from entry {raw!r} has a query string: Jekyll wrote it as a file named with "
                "'?', which no request reached; the map keeps it as a path plus query match",
                origin,
            )
        return value if value.startswith("/") else "/" + value


def jekyll_feed_paths(site: Site) -> list[str]:
    """The URLs jekyll-feed writes for ``site`` (main feed first), or [] when the plugin is off."""
    config = site.config or {}
    plugins: list[str] = []
    for key in ("plugins", "gems"):
        value = config.get(key)
        plugins += [str(p) for p in value] if isinstance(value, list) else [str(value)] if value else []
    if "jekyll-feed" not in plugins:
        return []
    raw_feed = config.get("feed")
    feed: dict[str, Any] = raw_feed if isinstance(raw_feed, dict) else {}
    path = str(feed.get("path") or "feed.xml")
    paths = ["/" + path.lstrip("/")]
    categories = feed.get("categories") or []
    if isinstance(categories, list):
        paths += [f"/feed/{c}.xml" for c in categories]
    return paths


def _jekyll_write_order(docs: Iterable[Document]) -> list[Document]:
    """Pages sorted by file name (``site.pages.sort_by!(&:name)``), then collection documents by path."""
    docs = list(docs)
    pages = sorted((d for d in docs if d.kind == "page"), key=lambda d: (d.source.rsplit("/", 1)[-1], d.source))
    others = sorted((d for d in docs if d.kind != "page"), key=lambda d: d.source)
    return pages + others


def _built(doc: Document) -> bool:
    return doc.served_by_jekyll


def build_redirect_map(
    site: Site,
    new_urls: Mapping[str, str],
    *,
    feed_url: str | None = None,
    base_path: str = "",
    extra: Iterable[tuple[str, str]] = (),
    status: int = 301,
    new_site_url: str | None = None,
    index_files: bool = True,
    platform_urls: Iterable[str] = (),
) -> RedirectMap:
    """Every old URL of ``site`` mapped onto where it lives now.

    ``new_urls`` maps a document's source path to its new URL (root-relative, without ``base_path``, or
    absolute). ``base_path`` (``/sub``) is put in front of every source and every relative target.
    ``feed_url`` is where the old feeds (jekyll-feed's ``feed.xml`` or configured path) go. ``extra`` adds
    ``(old, new)`` pairs. ``new_site_url``: absolute new URLs on that host become root-relative (kept as
    they are: its path already holds any sub-path). ``index_files``: the new host is a static file server
    that answers ``/x/index.html`` and ``/x.html`` by itself (False for Ghost and WordPress, which need
    rules for those spellings too). ``platform_urls``: old URLs the new platform answers with its own page
    (no rule takes them over; their other spellings lead there). Chains are collapsed, identities dropped, loops and conflicting
    claims reported.
    """
    b = _Builder(site, base_path, new_site_url)
    feed_paths = jekyll_feed_paths(site)
    feed_target = b.new(feed_url, new_site=True) if feed_url else None
    docs = _jekyll_write_order(d for d in site.documents if _built(d))
    live: dict[str, str] = {}
    """What the new host serves itself: page key -> the new URL there."""
    rewrites: dict[str, Redirect] = {}
    for seq, doc in enumerate(docs):
        rank = RANK_PAGE if doc.kind == "page" else RANK_DOCUMENT
        if doc.redirect_to:
            target = b.new(doc.redirect_to)
        elif new_urls.get(doc.source):
            target = b.new(new_urls[doc.source], new_site=True)
            if not is_absolute(target):
                key = page_key(target, index_files=index_files)
                live[key] = min(live.get(key, target), target)
                if index_files and _written_as_html(doc, new_urls[doc.source]):
                    rewrites[target] = Redirect(target, target + ".html", 200, doc.source)
        elif feed_target and doc.url in feed_paths:
            target = feed_target
        else:
            b.issue(
                "redirect-no-target",
                "info",
                f"{doc.url} has no new URL in this export, so no redirect is made for it",
                doc.source,
            )
            continue
        b.claim_served(doc.url, target, rank, doc.source, seq)
        for entry in doc.redirect_from:
            path = b.check_source(entry, doc.source)
            if path is not None:
                b.claim_served(path, target, RANK_REDIRECT_FROM, doc.source, seq)
    if feed_target:
        for path in feed_paths:
            b.claim_served(path, feed_target, RANK_FEED, None)
    for old, new in extra:
        b.claim_served(old, b.new(new, new_site=True), RANK_EXTRA, None)
    # The platform's own pages (WordPress's and Ghost's front page at /) keep their URLs before any old
    # page that stood there, and the other spellings of those URLs lead to them.
    for url in platform_urls:
        b.claim_served(url, b.old(url), RANK_PLATFORM, None)
    rules = _resolve(b, live, status, index_files)
    issues = tuple(sorted(b.issues, key=lambda i: (i.code, i.source or "", i.message)))
    return RedirectMap(rules=rules, issues=issues, rewrites=tuple(rewrites[k] for k in sorted(rewrites)))


def _written_as_html(doc: Document, new_url: str) -> bool:
    """Whether the page keeps a URL without trailing slash or extension that Jekyll wrote as ``NAME.html``
    (Jekyll appends the output extension to such a permalink): a static export writes the same file, which
    only hosts that look up ``x.html`` answer at ``/x``."""
    path = new_url.split("#", 1)[0]
    if "?" in path or path.endswith("/") or doc.output_path is None:
        return False
    return doc.output_path == unquote(path).lstrip("/") + ".html"


def _resolve(b: _Builder, live: Mapping[str, str], status: int, index_files: bool) -> tuple[Redirect, ...]:
    by_source: dict[str, list[_Claim]] = {}
    for c in b.claims:
        by_source.setdefault(c.source, []).append(c)

    chosen: dict[str, _Claim] = {}
    for source in sorted(by_source):
        claims = by_source[source]
        if len(claims) > 1:
            claims = sorted(claims, key=lambda c: (c.rank, -c.seq, c.origin or "", c.target))
        if claims[0].rank == RANK_ALTERNATE:
            continue
        chosen[source] = claims[0]
        _report_collisions(b, source, claims[0], claims[1:])
    # Another spelling answers with whatever the old host served at its URL: the winner's file. For
    # /x, GitHub Pages serves x.html before it adds a slash to the folder x/, so file URLs come first.
    # Where a migrated page now lives at that URL, the spelling answers with that page, as the URL does.
    for source in sorted(set(by_source) - set(chosen)):
        spellings = []
        for c in by_source[source]:
            assert c.primary is not None
            winner = chosen.get(c.primary)
            if winner is not None:
                spellings.append((c.primary.endswith("/"), winner.rank, -winner.seq, c.primary, winner))
        if spellings:
            *_, primary, winner = min(spellings, key=lambda t: t[:4])
            target = live.get(page_key(primary, index_files=index_files), winner.target)
            chosen[source] = _Claim(source, target, RANK_ALTERNATE, winner.origin, winner.seq)

    # Identities and the other forms of the very page the rule points at: the new host answers them
    # itself, and a rule for /x/index.html -> /x/ would loop through the server's own index lookup.
    rules: dict[str, _Claim] = {}
    for source, c in chosen.items():
        if same_page(source, c.target, index_files=index_files):
            continue
        if page_key(source, index_files=index_files) in live:
            if c.rank != RANK_ALTERNATE:
                b.issue(
                    "redirect-shadows-page",
                    "warning",
                    f"old URL {source} would redirect to {c.target}, but a migrated page now lives at "
                    f"{source}; the page is kept and the redirect dropped",
                    c.origin,
                )
            continue
        rules[source] = c

    final: dict[str, str] = {}
    looped: set[str] = set()
    for source in sorted(rules):
        seen = [source]
        target = rules[source].target
        while (nxt := _next_hop(target, rules)) is not None:
            if nxt in seen:
                cycle = seen[seen.index(nxt) :]
                first = cycle.index(min(cycle))
                cycle = cycle[first:] + cycle[:first]
                nxt = cycle[0]
                if not looped.intersection(cycle):
                    b.issue(
                        "redirect-loop",
                        "error",
                        "redirects form a loop: " + " -> ".join(cycle + [nxt]) + "; none of them is kept",
                        rules[nxt].origin,
                    )
                looped.update(seen)
                break
            seen.append(nxt)
            target = _follow(target, nxt, rules[nxt].target)
        else:
            final[source] = target
    out = []
    for source in sorted(final):
        if source in looped:
            continue
        target = final[source]
        rule = rules[source]
        # A target the chain left as it was has been checked already.
        if target != rule.target and same_page(source, target, index_files=index_files):
            continue
        origin = rule.origin
        out.append(Redirect(source, target, status, origin))
        raw = decoded_form(source)
        if raw is not None and raw not in final:
            out.append(Redirect(raw, target, status, origin))
    return tuple(sorted(out, key=lambda r: r.source))


def _next_hop(target: str, rules: Mapping[str, _Claim]) -> str | None:
    """The source of the rule a relative ``target`` runs into: its path and query, else its path."""
    if is_absolute(target):
        return None
    without_fragment = target.split("#", 1)[0]
    if without_fragment in rules:
        return without_fragment
    path = without_fragment.split("?", 1)[0]
    return path if path in rules else None


def _follow(target: str, hop: str, hop_target: str) -> str:
    """``target`` after the rule for ``hop``: a query and fragment the hop did not match travel on."""
    rest = target[len(hop) :]
    if not rest:
        return hop_target
    query, _, fragment = rest.partition("#")
    out = hop_target
    if query and "?" not in out.split("#", 1)[0]:
        base, sep, frag = out.partition("#")
        out = base + query + sep + frag
    if fragment and "#" not in out:
        out += "#" + fragment
    return out


def _report_collisions(b: _Builder, source: str, winner: _Claim, losers: list[_Claim]) -> None:
    if winner.rank == RANK_PLATFORM:
        return  # the platform's own page: the old page there is imported under another URL
    for loser in losers:
        if loser.target == winner.target or loser.rank == RANK_ALTERNATE:
            continue
        if winner.rank == loser.rank and winner.rank in (RANK_DOCUMENT, RANK_PAGE):
            b.issue(
                "url-collision",
                "warning",
                f"{loser.origin} and {winner.origin} both claim {source}; Jekyll wrote {winner.origin} last, "
                f"so {source} redirects to its new URL {winner.target}",
                loser.origin,
            )
        elif winner.rank == RANK_DOCUMENT and loser.rank == RANK_PAGE:
            b.issue(
                "url-collision",
                "warning",
                f"page {loser.origin} and document {winner.origin} both claim {source}; Jekyll writes "
                f"documents after pages, so {source} redirects to {winner.target}",
                loser.origin,
            )
        elif winner.rank == RANK_DOCUMENT and loser.rank == RANK_REDIRECT_FROM:
            b.issue(
                "redirect-shadowed",
                "warning",
                f"redirect_from {source} in {loser.origin} never worked: {winner.origin} is served at that URL "
                "(Jekyll writes documents after redirect pages)",
                loser.origin,
            )
        elif winner.rank == RANK_REDIRECT_FROM and loser.rank == RANK_PAGE:
            b.issue(
                "redirect-replaces-page",
                "warning",
                f"the redirect_from {source} of {winner.origin} replaced the page {loser.origin} on the old "
                f"site (Jekyll writes redirect pages after pages), so {source} redirects to {winner.target}",
                loser.origin,
            )
        else:
            b.issue(
                "redirect-conflict",
                "warning",
                f"{source} is claimed by {_describe(winner)} -> {winner.target} and by {_describe(loser)} -> "
                f"{loser.target}; the first (written last by Jekyll) is kept",
                loser.origin,
            )


def _describe(claim: _Claim) -> str:
    kind = _RANK_NAMES[claim.rank]
    return f"{kind} of {claim.origin}" if claim.origin else kind


def load_map(path: str) -> RedirectMap:
    """Read a redirect map written by the ``json`` or ``csv`` format, or the ``redirects`` of a
    ``migration.json`` manifest. Raises :class:`~migrate.errors.MigrateError` for anything else."""
    import csv

    from migrate.errors import MigrateError

    try:
        with open(path, encoding="utf-8", newline="") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise MigrateError(f"cannot read redirect map: {exc}", source=path) from None
    if path.endswith(".csv"):
        rows = list(csv.reader(text.splitlines()))
        if not rows or [c.strip().lower() for c in rows[0][:2]] != ["source", "target"]:
            raise MigrateError("a CSV redirect map needs a 'source,target[,status]' header", source=path)
        try:
            rules = tuple(
                Redirect(row[0], row[1], int(row[2]) if len(row) > 2 and row[2] else 301)
                for row in rows[1:]
                if row
            )
        except (IndexError, ValueError) as exc:
            raise MigrateError(f"bad CSV redirect map: {exc}", source=path) from None
        return RedirectMap(rules)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise MigrateError(f"not JSON: {exc}", source=path) from None
    try:
        if isinstance(data, dict) and data.get("tool") == "jekyll-migrate":
            return RedirectMap(tuple(Redirect(str(s), str(t)) for s, t in data.get("redirects", ())))
        if isinstance(data, dict) and isinstance(data.get("redirects"), list):
            return RedirectMap.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise MigrateError(f"bad redirect map: {exc}", source=path) from None
    raise MigrateError("not a redirect map (expected the json or csv redirect format)", source=path)
