"""Every page a plugin generated on the old site (a page of a paginated list, an archive, a feed, a
sitemap) still answers after the migration, on the real programs: Hugo's own build (a page, a redirect page
or a file at the old URL), nginx serving that build with the export's redirect map, and the WordPress
Redirection plugin's rules. The old URLs are the ones real Jekyll wrote with the plugins each site enables.
(Real Ghost is checked in test_ghost_import.py.)"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
import requests

from migrate.export import build_plan
from migrate.exporter import Registry
from migrate.plan import write_plan
from migrate.reader import read_site
from migrate.redirects import render_redirects
from migrate.redirects.core import encode_path
from migrate.report import Report
from tests.acceptance.test_redirect_servers import _hugo_binary, nginx_serving
from tests.conftest import REPO, all_sites, site_id
from tests.support.jekyll import JekyllBuild, cached_jekyll_build
from tests.support.tz import local_timezone

pytestmark = pytest.mark.acceptance

FIXTURES = REPO / "tests" / "fixtures" / "generated"
SITES = all_sites() + sorted(p.parent for p in FIXTURES.glob("*/_config.yml"))


def generated_urls(build: JekyllBuild) -> list[str]:
    """The URLs of the pages real Jekyll's plugins wrote (jekyll-paginate-v2 writes page 1 in its template's
    place: that one is the template's URL too)."""
    return sorted({encode_path(r["url"]) for r in build.records if r["kind"] == "generated" and r["written"]})


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("jekyll-generated")
    return lambda site_dir: cached_jekyll_build(site_dir, root)


def _export(site_dir: Path, build: JekyllBuild, target: str, out: Path, **options: str):
    exporter = Registry.load().get(target)
    with local_timezone(build.timezone):
        site = read_site(site_dir, now=build.time)
        values, problems = exporter.validate_options(options)
        assert problems == []
        plan = build_plan(site, exporter, values, Report())
    write_plan(plan, out)
    return site, plan


def _hugo_has_file(public: Path, url: str) -> bool:
    path = unquote(url).lstrip("/")
    candidates = [public / path / "index.html"] if url.endswith("/") or not path else [public / path]
    return any(c.is_file() for c in candidates)


def _answers(base: str, url: str) -> bool:
    """200 at the end of at most three redirects (a browser, a feed reader or a crawler follows them)."""
    try:
        answer = requests.get(base + url, timeout=20, allow_redirects=True)
    except requests.RequestException:
        return False
    return answer.status_code == 200 and len(answer.history) <= 3


@pytest.mark.parametrize("site_dir", SITES, ids=site_id)
def test_generated_pages_answer_on_hugo_and_nginx(site_dir: Path, jekyll, tmp_path: Path) -> None:
    build = jekyll(site_dir)
    urls = generated_urls(build)
    site, plan = _export(site_dir, build, "hugo", tmp_path / "hugo", new_site_url="http://127.0.0.1/")
    placed = {encode_path(g.url): g for g in plan.generated}
    documents = {d.url for d in site.documents if d.served_by_jekyll} | {
        "/" + d.output_path for d in site.documents if d.served_by_jekyll and d.output_path}
    # The reader knows every page the plugins wrote (test_generated_urls proves it URL by URL); each one
    # is placed on the target or is a document's own URL or file.
    assert [u for u in urls if u not in placed and unquote(u) not in documents and u not in documents] == []
    public = tmp_path / "public"
    proc = subprocess.run([str(_hugo_binary()), "--source", str(tmp_path / "hugo"), "--destination", str(public),
                           "--logLevel", "warn", "--noBuildLock"], capture_output=True, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    by_hugo = [u for u in urls if _hugo_has_file(public, u)]
    config = render_redirects(plan.redirect_map, "nginx")["redirects.nginx.conf"]
    with nginx_serving(public, config) as base:
        by_nginx = [u for u in urls if _answers(base, u)]
    html_pages = [u for u in urls if u.endswith("/") or u.endswith((".html", ".htm"))]
    print(f"\nGENERATED site={site_dir.name} target=hugo urls={len(urls)} answering={len(by_hugo)} "
          f"html_pages={len(html_pages)} html_answering={len(set(by_hugo) & set(html_pages))}")
    print(f"GENERATED site={site_dir.name} target=nginx urls={len(urls)} answering={len(by_nginx)}")
    assert sorted(set(urls) - set(by_nginx)) == []
    # Hugo alone (any static host) answers every old page; a feed or sitemap renamed needs the host's map.
    assert sorted(set(html_pages) - set(by_hugo)) == []


@pytest.mark.parametrize("site_dir", SITES, ids=site_id)
def test_generated_pages_have_wordpress_rules(site_dir: Path, jekyll, tmp_path: Path) -> None:
    build = jekyll(site_dir)
    urls = generated_urls(build)
    out = tmp_path / "wordpress"
    site, plan = _export(site_dir, build, "wordpress", out)
    rows = list(csv.reader(io.StringIO((out / "redirects" / "redirection.csv").read_text("utf-8"))))
    rules = {row[0]: row[1] for row in rows[1:] if row}
    manifest = json.loads((out / "migration.json").read_text("utf-8"))
    base = site.baseurl or ""  # WordPress at the old site's sub-path, as the export assumes
    native = {encode_path(g["url"]) for g in manifest.get("generated", ())
              if g["new_url"] in (g["url"], base + g["url"])}
    documents = {d.url for d in site.documents if d.served_by_jekyll}
    answering = [u for u in urls if base + u in rules or u in native or u in documents or base + u == base + "/"]
    print(f"\nGENERATED site={site_dir.name} target=wordpress urls={len(urls)} answering={len(answering)} "
          f"(a Redirection rule or WordPress's own URL)")
    assert sorted(set(urls) - set(answering)) == []
