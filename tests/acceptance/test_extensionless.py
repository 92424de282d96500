"""Extensionless URLs (``/x``, which Jekyll writes as ``x.html`` and GitHub Pages serves at ``/x``) on the
Hugo export: a real ``hugo server`` on the export (the README's preview) and nginx, Apache and Caddy serving
the built site with the generated redirect config answer each with its page, and no folder of the built
site sits at such a URL (a folder ``x/`` beside ``x.html`` shadows ``/x`` on hosts that look for it first)."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import tomllib

from exporters.hugo import HugoExporter
from migrate.export import build_plan
from migrate.ir import Site
from migrate.plan import write_plan
from migrate.reader import read_site
from migrate.redirects import RedirectMap, render_redirects
from migrate.redirects.core import encode_path
from migrate.report import Report
from tests.acceptance.test_redirect_servers import SERVERS, _free_port, _hugo_binary, _stop
from tests.conftest import IN_CI, REPO, all_sites, site_id
from tests.support.jekyll import URL_KINDS, JekyllBuild, cached_jekyll_build
from tests.support.tz import local_timezone

pytestmark = pytest.mark.acceptance

FIXTURES = sorted(p.parent for p in (REPO / "tests" / "fixtures" / "extensionless").glob("*/_config.yml"))
SITES = all_sites() + FIXTURES
NAVIGATE = {"Sec-Fetch-Mode": "navigate"}
"""What a browser sends when it opens a page; ``hugo server`` rewrites only such requests (and, without
the header, paths with no dot at all)."""
_REFRESH = re.compile(r'<meta\s+http-equiv="refresh"\s+content="0;\s*url=([^"]+)"', re.IGNORECASE)
_IMG = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"', re.IGNORECASE)


@dataclass
class Exported:
    build: JekyllBuild
    site: Site
    out: Path
    """The Hugo export, as written (its own hugo.toml and baseURL)."""
    base_path: str
    """The path of the export's baseURL, without the trailing slash ("" or ``/sub``)."""
    public: Path
    """The export built by Hugo with baseURL ``http://127.0.0.1/`` (the site at the server's root)."""
    redirect_map: RedirectMap
    """The map the ``redirects`` command makes for this export, for a host serving ``public``."""


def _export(site_dir: Path, work: Path) -> Exported:
    build = cached_jekyll_build(site_dir, work / "jekyll")
    with local_timezone(build.timezone):
        site = read_site(site_dir, now=build.time)
        options, problems = HugoExporter.validate_options({"urls": "keep"})
        assert problems == []
        plan = build_plan(site, HugoExporter, options, Report())
    out = work / "hugo"
    write_plan(plan, out)
    base_url = tomllib.loads((out / "hugo.toml").read_text("utf-8"))["baseURL"]
    public = work / "public"
    proc = subprocess.run(
        [str(_hugo_binary()), "--source", str(out), "--destination", str(public), "--baseURL", "http://127.0.0.1/",
         "--logLevel", "warn", "--noBuildLock"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return Exported(build, site, out, urlsplit(base_url).path.rstrip("/"), public, plan.redirect_map)


_EXPORTED: dict[str, Exported] = {}


def exported(site_dir: Path, factory: pytest.TempPathFactory) -> Exported:
    key = site_id(site_dir)
    if key not in _EXPORTED:
        _EXPORTED[key] = _export(site_dir, factory.mktemp(f"extensionless-{key}"))
    return _EXPORTED[key]


def extensionless(build: JekyllBuild) -> list[dict[str, Any]]:
    """The pages and redirect pages real Jekyll wrote as ``NAME.html`` for a URL ``NAME`` (no trailing
    slash, no extension of its own)."""
    return [r for r in build.records
            if r["kind"] in URL_KINDS and r["written"] and not r["url"].endswith("/")
            and r["output"] == unquote(r["url"]).lstrip("/") + ".html"]


def _jekyll_destination(e: Exported, record: dict[str, Any]) -> str | None:
    """The output file of the page a Jekyll redirect page leads to, None when it leads off the site."""
    text = (e.build.dest / record["output"]).read_text("utf-8", "replace")
    refresh = _REFRESH.search(text)
    assert refresh, f"{record['output']} is no redirect page"
    target = html.unescape(refresh.group(1))
    prefix = (e.site.url or "").rstrip("/") + (e.site.baseurl or "")
    if prefix and target.startswith(prefix + "/"):
        target = target[len(prefix):]
    if urlsplit(target).scheme:
        return None
    path = unquote(urlsplit(target).path)
    outputs = {unquote(r["url"]): r["output"] for r in e.build.records if r["written"]}
    return outputs.get(path)


def _shows(e: Exported, record: dict[str, Any], text: str) -> bool:
    """Whether ``text`` is that Jekyll page on the Hugo site: its title, or for a redirect page, a refresh."""
    if record["kind"] == "redirect":
        return bool(_REFRESH.search(text))
    doc = e.site.document(record["relative_path"])
    assert doc is not None, record
    return html.escape(doc.title, quote=False) in text or doc.title in html.unescape(text)


@contextlib.contextmanager
def hugo_server(source: Path, base_path: str) -> Iterator[str]:
    """``hugo server`` on 127.0.0.1:<free port> for the export ``source`` (its own baseURL path kept), as its
    README starts it; stopped on exit."""
    port = _free_port()
    log = source.parent / f"hugo-server-{port}.log"
    cmd = [str(_hugo_binary()), "server", "--source", str(source), "--bind", "127.0.0.1", "--port", str(port),
           "--baseURL", f"http://127.0.0.1{base_path}/", "--disableLiveReload", "--renderToMemory",
           "--noBuildLock"]
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while "Web Server is available at" not in log.read_text("utf-8", "replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"hugo server did not start: {log.read_text('utf-8', 'replace')[-3000:]}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def _check_hugo_server(e: Exported, records: list[dict[str, Any]]) -> list[str]:
    """Each URL answers 200 from hugo server with the page Hugo publishes for it (the same bytes as its
    ``.html`` file), showing that Jekyll page; a redirect page refreshes to its target's URL."""
    import requests

    wrong = []
    with hugo_server(e.out, e.base_path) as origin, requests.Session() as session:
        for r in records:
            url = origin + e.base_path + encode_path(r["url"])
            answer = session.get(url, headers=NAVIGATE, timeout=30, allow_redirects=False)
            file = session.get(origin + e.base_path + encode_path("/" + r["output"]), headers=NAVIGATE, timeout=30,
                               allow_redirects=False)
            if answer.status_code != 200:
                wrong.append(f"hugo server {r['url']}: {answer.status_code}")
            elif file.status_code != 200 or answer.content != file.content:
                wrong.append(f"hugo server {r['url']}: not the page Hugo published as {r['output']}")
            elif not _shows(e, r, answer.text):
                wrong.append(f"hugo server {r['url']}: does not show {r['relative_path'] or r['output']}")
    return wrong


def _check_static_host(e: Exported, server: str, records: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """The built site on a real server with only the generated config (no ``.html`` lookup of its own):
    a page answers 200 with its own file; a redirect page's URL leads to its target's page."""
    import requests

    serving, fmt, filename = SERVERS[server]
    config = render_redirects(e.redirect_map, fmt)[filename]
    wrong = []
    ok = 0
    with serving(e.public, config) as origin, requests.Session() as session:
        for r in records:
            answer = session.get(origin + encode_path(r["url"]), timeout=30, allow_redirects=True)
            if r["kind"] == "redirect":
                destination = _jekyll_destination(e, r)
                expected = (e.public / destination).read_bytes() if destination else None
                fine = answer.status_code == 200 and bool(answer.history) and (
                    expected is None or answer.content == expected)
            else:
                expected = (e.public / r["output"]).read_bytes()
                fine = answer.status_code == 200 and not answer.history and answer.content == expected
            if fine:
                ok += 1
            else:
                hops = " -> ".join(f"{h.status_code} {h.headers.get('Location')}" for h in answer.history)
                wrong.append(f"{server} {r['url']}: {answer.status_code} {hops}")
    return ok, wrong


def _shadowed(e: Exported, records: list[dict[str, Any]]) -> list[str]:
    """Extensionless URLs with a folder of that name in the built site."""
    return [r["url"] for r in records if (e.public / unquote(r["url"]).lstrip("/")).is_dir()]


def _without_language_copies(e: Exported, records: list[dict[str, Any]]) -> tuple[list, list]:
    """The records, and apart from them the copies a language plugin wrote of a document for a language
    without its own version (the export leads those to the document itself)."""
    copies = {url for d in e.site.documents for _, url in d.language_copies}
    return [r for r in records if r["url"] not in copies], [r for r in records if r["url"] in copies]


def _check_copies(e: Exported, records: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """A language copy's URL leads (on nginx with the generated config) to its document's page."""
    import requests

    serving, fmt, filename = SERVERS["nginx"]
    config = render_redirects(e.redirect_map, fmt)[filename]
    wrong, ok = [], 0
    with serving(e.public, config) as origin, requests.Session() as session:
        for r in records:
            answer = session.get(origin + encode_path(r["url"]), timeout=30, allow_redirects=True)
            if answer.status_code == 200 and _shows(e, {**r, "kind": "page"}, answer.content.decode("utf-8", "replace")):
                ok += 1
            else:
                wrong.append(f"language copy {r['url']}: {answer.status_code} at {answer.url}")
    return ok, wrong


def _folders_beside_pages(e: Exported) -> list[str]:
    """Page files ``x.html`` of the built site with a folder ``x/`` beside them (which shadows ``/x``, the
    URL GitHub Pages answered with ``x.html``) where Jekyll's own output had no such folder."""
    found = []
    for page in e.public.rglob("*.html"):
        rel = page.relative_to(e.public).as_posix()[: -len(".html")]
        if page.name != "index.html" and page.with_suffix("").is_dir() and not (e.build.dest / rel).is_dir():
            found.append(rel + "/")
    return sorted(found)


@pytest.mark.parametrize("site_dir", SITES, ids=site_id)
def test_extensionless_urls_answer_on_hugo_server_and_nginx(
    site_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    e = exported(site_dir, tmp_path_factory)
    records, copies = _without_language_copies(e, extensionless(e.build))
    shadowed = _shadowed(e, records)
    wrong = [f"folder at {url} in the built site" for url in shadowed]
    wrong += [f"folder {folder} beside a page file in the built site" for folder in _folders_beside_pages(e)]
    served = nginx_ok = 0
    if records:
        on_hugo = _check_hugo_server(e, records)
        served = len(records) - len(on_hugo)
        nginx_ok, on_nginx = _check_static_host(e, "nginx", records)
        wrong += on_hugo + on_nginx
    copies_ok, on_copies = _check_copies(e, copies)
    wrong += on_copies
    print(f"EXTENSIONLESS site={site_id(site_dir)} urls={len(records)} hugo_server={served} nginx={nginx_ok} "
          f"shadowed={len(shadowed)} language_copies={len(copies)} copies_ok={copies_ok}")
    assert not wrong, "\n".join(wrong[:40])
    if site_dir in FIXTURES:
        assert len(records) >= 5  # the fixture's own cases: it must keep exercising them


@pytest.mark.parametrize("server", ["apache", "caddy"])
@pytest.mark.parametrize("site_dir", FIXTURES + [s for s in all_sites() if s.name in ("unicode-journal", "seed-ru")],
                         ids=site_id)
def test_extensionless_urls_on_other_servers(
    site_dir: Path, server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Apache and Caddy look up no ``x.html`` either: the generated config's rewrites serve the page."""
    e = exported(site_dir, tmp_path_factory)
    records = extensionless(e.build)
    assert records
    ok, wrong = _check_static_host(e, server, records)
    print(f"EXTENSIONLESS-HOST site={site_id(site_dir)} host={server} urls={len(records)} ok={ok}")
    assert not wrong, "\n".join(wrong[:40])


def _seed_site() -> Path:
    root = os.environ.get("JEKYLL_MIGRATE_CORPORA")
    seed = Path(root) / "seed-ru" if root else None
    if seed is None or not (seed / "_config.yml").is_file():
        if IN_CI:
            raise AssertionError("the seed-ru corpus must be in $JEKYLL_MIGRATE_CORPORA in CI")
        pytest.skip("JEKYLL_MIGRATE_CORPORA with seed-ru is not set")
    return seed


def test_seed_post_and_its_image_in_hugo_server(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The post this project started from, at its own URL in the export's preview, with its image."""
    import requests

    seed = _seed_site()
    e = exported(seed, tmp_path_factory)
    url = "/ru/pr-blog/anti-social-agencies2"
    assert url in {r["url"] for r in extensionless(e.build)}
    image = seed / "assets" / "upload" / "5423247360_8a50d029a1.jpg"
    manifest = json.loads((e.out / "migration.json").read_text("utf-8"))
    assert not (e.public / url.lstrip("/")).exists()
    with hugo_server(e.out, e.base_path) as origin, requests.Session() as session:
        page = session.get(origin + e.base_path + url, headers=NAVIGATE, timeout=30, allow_redirects=False)
        assert page.status_code == 200
        assert "Сложности продвижения в социальных сетях" in page.text
        sources = [s for s in _IMG.findall(page.text) if s.endswith(image.name)]
        assert sources, "the seed post shows no image"
        picture = session.get(urljoin(origin + e.base_path + url, html.unescape(sources[0])), timeout=30)
        assert picture.status_code == 200
        assert picture.content == image.read_bytes()
    print(f"SEED url={url} status={page.status_code} image={sources[0]} image_status={picture.status_code} "
          f"bundled_assets={manifest['hugo']['bundled_assets']}")
