"""Remote assets (``--download-remote-assets``): files the site embeds from other hosts, fetched once.

The posts' references to images, media and files on other hosts are found, each file is fetched through
one guarded fetcher into a download cache, and added to the site as a static file that the exporters place
like any other (the link resolver points every reference at it).

The fetcher is built on requests, already the project's one network seam (``verify`` uses it): a
``Session`` gives connection reuse, streaming and proxy settings from the environment, and requests'
own redirect following is switched off so that every hop is checked (http and https only) and counted.
Nothing here runs unless the user asks for it; tests use a local server.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import posixpath
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import requests

from migrate import __version__, ir
from migrate.content.links import IMAGE_FRONT_MATTER, ReferenceKind, find_references, remote_key, site_hosts

log = logging.getLogger(__name__)

REMOTE_FOLDER = "assets/remote"
"""Where downloaded files land in the site's static-file namespace: ``assets/remote/<host>/<path>``."""
DOWNLOAD_EXTENSIONS = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff", ".heic",
    ".pdf", ".mp3", ".mp4", ".m4a", ".m4v", ".webm", ".ogg", ".oga", ".ogv", ".wav", ".flac", ".mov", ".vtt",
    ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".tar", ".epub", ".csv", ".txt", ".json",
    ".ppt", ".pptx", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".odp", ".key", ".rtf",
})
"""A link (not an image) is downloaded only when its path ends in one of these: a file, not a page."""
CONTENT_TYPE_EXTENSIONS = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
    "image/svg+xml": ".svg", "image/avif": ".avif", "image/bmp": ".bmp", "image/x-icon": ".ico",
    "image/vnd.microsoft.icon": ".ico", "image/tiff": ".tif", "image/heic": ".heic",
    "application/pdf": ".pdf", "application/zip": ".zip", "application/gzip": ".gz",
    "video/mp4": ".mp4", "video/webm": ".webm", "video/ogg": ".ogv", "video/quicktime": ".mov",
    "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/ogg": ".ogg", "audio/wav": ".wav",
    "audio/x-wav": ".wav", "audio/flac": ".flac", "text/vtt": ".vtt", "text/csv": ".csv",
    "text/plain": ".txt", "application/json": ".json",
}
"""The extension a URL without one gets, by Content-Type (a fixed table: the platform's mimetypes
database differs between machines, and the output must not)."""
_KNOWN_EXTENSIONS = DOWNLOAD_EXTENSIONS | set(CONTENT_TYPE_EXTENSIONS.values())
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 50_000_000
DEFAULT_MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_SEGMENT_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")
_MAX_SEGMENT = 80
_MAX_NAME = 180
_HASH_CHARS = 10


# -- finding references ----------------------------------------------------------------------------------


def remote_url(reference: str, kind: ReferenceKind, own_hosts: set[str]) -> str | None:
    """The absolute URL to download for one reference, or None when it is not a remote asset: not http(s),
    on the site's own host, not shown inline and not a link to a file, or still holding Liquid."""
    ref = reference.strip()
    if not ref or "{{" in ref or "{%" in ref or kind == "code":
        return None
    if ref.startswith("//"):
        ref = "https:" + ref
    try:
        parts = urlsplit(ref)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
    except ValueError:  # a malformed URL (``http://[::1/x``) is no download
        return None
    if parts.netloc.lower() in own_hosts:
        return None
    if kind == "link" and posixpath.splitext(unquote(parts.path))[1].lower() not in DOWNLOAD_EXTENSIONS:
        return None
    return ref.partition("#")[0]


def find_remote_assets(site: ir.Site, *, sources: Collection[str] | None = None) -> dict[str, str]:
    """Every remote asset the site's documents (or those of ``sources``) reference in bodies, excerpts and
    image front matter: URL -> the source of the first document naming it, documents taken in source
    order. Two spellings of one URL (``é`` and ``%C3%A9``) count once, under the first."""
    own = site_hosts(site)
    found: dict[str, str] = {}
    seen: set[str] = set()

    def add(url: str | None, source: str) -> None:
        if url is not None and remote_key(url) not in seen:
            seen.add(remote_key(url))
            found[url] = source

    for doc in sorted(site.documents, key=lambda d: d.source):
        if sources is not None and doc.source not in sources:
            continue
        if not doc.is_html_page:
            continue  # a feed, script or text file is written as Jekyll wrote it: its references stay
        markdown = doc.is_markdown
        for text in (doc.body, doc.excerpt or ""):
            for ref, kind in find_references(text, markdown=markdown):
                add(remote_url(ref, kind, own), doc.source)
        for key in IMAGE_FRONT_MATTER:
            value: Any = doc.front_matter
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if isinstance(value, str):
                add(remote_url(value, "embed", own), doc.source)
    return found


# -- fetching --------------------------------------------------------------------------------------------


class FetchError(Exception):
    """A remote file that was not downloaded; the message says why, in a few words."""


@dataclass(frozen=True)
class Fetched:
    """A downloaded file, as the cache remembers it."""

    url: str
    """The URL asked for."""
    final_url: str
    """Where the last redirect led."""
    content_type: str | None
    """The media type the server gave, lower case, without parameters."""
    size: int
    """Bytes stored."""


class RemoteFetcher:
    """The one way remote assets are fetched: http and https only (every redirect hop too), connect and
    read timeouts plus a deadline for the whole download, a size cap enforced while streaming, a bounded
    number of redirects. Safe to share between threads (one ``requests.Session`` per thread)."""

    user_agent = f"jekyll-migrate/{__version__} (remote asset download)"

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        max_seconds: float | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.max_seconds = max_seconds if max_seconds is not None else max(300.0, 10 * timeout)
        """A deadline for one whole download: a server dripping a byte per read timeout cannot hold it."""
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.user_agent
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def fetch(self, url: str, dest: Path) -> Fetched:
        """Download ``url`` into the file ``dest`` (whole or not at all); raises :class:`FetchError`."""
        current = url
        for _ in range(self.max_redirects + 1):
            _check_scheme(current, redirected=current != url)
            try:
                response = self._session().get(
                    current, stream=True, allow_redirects=False, timeout=(self.timeout, self.timeout)
                )
            except requests.Timeout:
                raise FetchError(f"no answer within {self.timeout:g} s") from None
            except requests.RequestException as exc:
                log.debug("request for %s failed", current, exc_info=True)
                raise FetchError(f"could not connect ({type(exc).__name__})") from None
            with response:
                if response.status_code in _REDIRECT_STATUSES:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {response.status_code} without a Location header")
                    current = urljoin(current, location.strip())
                    continue
                if response.status_code != 200:
                    raise FetchError(f"HTTP {response.status_code}")
                content_type = _media_type(response.headers.get("Content-Type"))
                if content_type in ("text/html", "application/xhtml+xml"):
                    raise FetchError("the server answered with an HTML page, not a file")
                length = response.headers.get("Content-Length", "").strip()
                if length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(
                        f"{_megabytes(int(length))} is over the limit of {_megabytes(self.max_bytes)}"
                    )
                size = self._save(response, dest)
                return Fetched(url=url, final_url=current, content_type=content_type, size=size)
        raise FetchError(f"more than {self.max_redirects} redirects")

    def _save(self, response: requests.Response, dest: Path) -> int:
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(f"{dest.name}.part-{os.getpid()}-{threading.get_ident()}")
        deadline = time.monotonic() + self.max_seconds
        size = 0
        try:
            with open(partial, "wb") as fh:
                for chunk in response.iter_content(_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"more than the limit of {_megabytes(self.max_bytes)}")
                    if time.monotonic() > deadline:
                        raise FetchError(f"not finished within {self.max_seconds:g} s")
                    fh.write(chunk)
            os.replace(partial, dest)
        except requests.RequestException as exc:
            partial.unlink(missing_ok=True)
            if isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower():
                raise FetchError(f"no data within {self.timeout:g} s") from None
            raise FetchError(f"the connection broke ({type(exc).__name__})") from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return size


def _check_scheme(url: str, *, redirected: bool) -> None:
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() in ("http", "https") and parts.hostname:
            return
    except ValueError:
        raise FetchError(("redirected to " if redirected else "") + "a malformed URL") from None
    what = f"a {parts.scheme}: URL" if parts.scheme else "a URL without a scheme or host"
    raise FetchError(("redirected to " if redirected else "") + f"{what}, refused (only http and https)")


def _media_type(header: str | None) -> str | None:
    return (header or "").split(";")[0].strip().lower() or None


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


# -- the download cache ----------------------------------------------------------------------------------


class DownloadCache:
    """Downloaded files keyed by the SHA-256 of their URL: ``<key[:2]>/<key>`` holds the bytes and
    ``<key>.json`` what the server said (written last, so a file with its ``.json`` is complete)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, url: str) -> Path:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.directory / key[:2] / key

    def get(self, url: str) -> Fetched | None:
        data = self.path(url)
        try:
            meta = json.loads(data.with_name(data.name + ".json").read_text("utf-8"))
            fetched = Fetched(**meta)
            if fetched.url != url or data.stat().st_size != fetched.size:
                return None
        except (OSError, ValueError, TypeError):
            return None
        return fetched

    def put(self, fetched: Fetched) -> None:
        data = self.path(fetched.url)
        meta = data.with_name(data.name + ".json")
        partial = meta.with_name(f"{meta.name}.part-{os.getpid()}-{threading.get_ident()}")
        partial.write_text(json.dumps(dataclasses.asdict(fetched), sort_keys=True), "utf-8")
        os.replace(partial, meta)


# -- names -----------------------------------------------------------------------------------------------


def _short_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:_HASH_CHARS]


def _segment(text: str) -> str:
    """One decoded path segment made safe: ASCII letters, digits, ``.``, ``_`` and ``-``; no leading dot
    (no hidden files, no ``..``)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SEGMENT_UNSAFE.sub("-", text).strip(".-")


def _host(url: str) -> str:
    parts = urlsplit(url)
    host = _segment((parts.hostname or "").replace(":", "-")) or "host"
    try:
        port = parts.port
    except ValueError:  # not a number: the download fails, the name only has to be safe
        port = None
    return (f"{host}-{port}" if port else host)[:_MAX_SEGMENT]


def _split_name(url: str) -> tuple[str, str]:
    """(path without extension, extension as written) under :data:`REMOTE_FOLDER` for ``url``; the
    extension is "" when the URL has none."""
    raw = [unquote(part) for part in urlsplit(url).path.split("/")]
    last = raw.pop() if raw else ""
    match = _EXTENSION.search(last)
    ext = match.group(0) if match and match.start() > 0 else ""
    if ext.lower() not in _KNOWN_EXTENSIONS:
        ext = ""  # .php, .asp, .2: none to keep; the Content-Type gives one
    # no dot in the stem: ``x.php.png`` would run as PHP on a server that maps every extension
    stem = _segment(last[: len(last) - len(ext)]).replace(".", "-")
    segments = [s for s in (_segment(part) for part in raw) if s]
    if ext and not stem:  # a name of letters the ASCII form has none of (日本.png)
        stem = _short_hash(url)
    segments = [s[:_MAX_SEGMENT].rstrip(".-") or "x" for s in [*segments, *([stem] if stem else [])]]
    return "/".join([REMOTE_FOLDER, _host(url), *(segments or [_short_hash(url)])]), ext


def _hashed(url: str, stem: str) -> str:
    return f"{stem}-{_short_hash(url)}"


def _fallback_name(url: str, ext: str) -> str:
    return f"{REMOTE_FOLDER}/{hashlib.sha256(url.encode('utf-8')).hexdigest()[:32]}{ext}"


def plan_names(
    urls: Iterable[str], content_types: Mapping[str, str | None], taken: Iterable[str]
) -> dict[str, str]:
    """A site path for each URL: ``assets/remote/<host>/<path>``, decoded and made safe, keeping the
    extension (or taking one from the Content-Type). Names that two URLs (or a URL and a file of the site)
    would share, compared without case, all get a short hash of their URL, so no name depends on which other
    downloads succeeded; a name too long or clashing with a folder falls back to a hash."""
    urls = sorted(set(urls))
    taken_lower = {t.lower().strip("/") for t in taken}
    planned = {url: _split_name(url) for url in urls}
    by_key: dict[str, list[str]] = {}
    for url, (stem, ext) in planned.items():
        by_key.setdefault((stem + ext).lower(), []).append(url)
    names: dict[str, str] = {}
    for url in urls:
        stem, ext = planned[url]
        key = (stem + ext).lower()
        if not ext:
            ext = CONTENT_TYPE_EXTENSIONS.get(content_types.get(url) or "", ".bin")
            stem = _hashed(url, stem)  # the name has no extension to clash on: always unique
        elif len(by_key[key]) > 1 or key in taken_lower:
            stem = _hashed(url, stem)
        name = stem + ext
        if len(name) > _MAX_NAME:
            name = _fallback_name(url, ext)
        names[url] = name
    # A name must not be a folder of another one, nor sit in or over a file of the site.
    files = taken_lower | {n.lower() for n in names.values()}
    folders = {posixpath.dirname(f) for f in files}
    folders = {p for f in folders for p in _ancestors(f)}
    for url, name in sorted(names.items()):
        low = name.lower()
        if low in folders or any(a in taken_lower for a in _ancestors(posixpath.dirname(low))) \
                or low in taken_lower:
            names[url] = _fallback_name(url, posixpath.splitext(name)[1])
    return names


def _ancestors(folder: str) -> list[str]:
    parts = folder.split("/") if folder else []
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


# -- the whole step --------------------------------------------------------------------------------------

Progress = Callable[[Iterable[Any]], Iterable[Any]]


def _no_progress(items: Iterable[Any]) -> Iterable[Any]:
    return items


def download_remote_assets(
    site: ir.Site,
    cache_dir: Path,
    *,
    fetcher: RemoteFetcher | None = None,
    jobs: int = 4,
    progress: Progress = _no_progress,
    sources: Collection[str] | None = None,
) -> tuple[ir.Site, tuple[ir.Issue, ...]]:
    """The site with one more static file per remote asset downloaded (or found in ``cache_dir``), and
    the issues: one warning per URL that could not be fetched (its references stay as written), one info
    line with the count. ``sources`` limits the search to those documents. The result does not depend on
    the order downloads finish in."""
    wanted = find_remote_assets(site, sources=sources)
    if not wanted:
        return site, ()
    cache = DownloadCache(cache_dir)
    results: dict[str, Fetched | FetchError] = {}
    todo = []
    for url in wanted:
        hit = cache.get(url)
        if hit is not None:
            results[url] = hit
        else:
            todo.append(url)
    own_fetcher = fetcher is None
    fetcher = fetcher or RemoteFetcher()

    def fetch(url: str) -> tuple[str, Fetched | FetchError]:
        try:
            fetched = fetcher.fetch(url, cache.path(url))
        except FetchError as exc:
            return url, exc
        except OSError as exc:  # the cache folder cannot be written: this URL fails, the others go on
            return url, FetchError(f"could not store it ({exc.strerror or exc})")
        except Exception as exc:  # whatever a hostile server provokes, the other downloads go on
            log.debug("downloading %s failed", url, exc_info=True)
            return url, FetchError(f"{type(exc).__name__}: {exc}")
        cache.put(fetched)
        log.info("downloaded %s (%d bytes)", url, fetched.size)
        return url, fetched

    try:
        if todo:
            with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(todo)))) as pool:
                for url, outcome in progress(pool.map(fetch, todo)):
                    results[url] = outcome
    finally:
        if own_fetcher:
            fetcher.close()

    issues: list[ir.Issue] = []
    fetched = {url: r for url, r in results.items() if isinstance(r, Fetched)}
    for url in sorted(wanted):
        outcome = results[url]
        if isinstance(outcome, FetchError):
            issues.append(ir.Issue("remote-asset-failed", "warning",
                                   f"{url} was not downloaded: {outcome}; the reference keeps the remote URL",
                                   wanted[url]))
    taken = [s.source for s in site.static_files] + [unquote(s.url).lstrip("/") for s in site.static_files]
    taken += [d.source for d in site.documents] + [unquote(d.url).lstrip("/") for d in site.documents]
    names = plan_names(wanted, {u: f.content_type for u, f in fetched.items()}, taken)
    added = [
        ir.StaticFile(source=names[url], url="/" + names[url], size=f.size, origin_url=url,
                      local_path=str(cache.path(url).absolute()))
        for url, f in fetched.items()
    ]
    added.sort(key=lambda s: s.source)
    if added:
        from_cache = len(fetched) - sum(1 for u in todo if u in fetched)
        issues.append(ir.Issue("remote-assets-downloaded", "info",
                               f"{len(added)} remote asset(s) downloaded and exported with the site"
                               + (f" ({from_cache} from the download cache)" if from_cache else "")))
    return dataclasses.replace(site, static_files=site.static_files + tuple(added)), tuple(issues)
