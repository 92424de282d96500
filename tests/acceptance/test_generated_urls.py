"""Real Jekyll with the plugins each site enables is the oracle for the pages those plugins write.

Every URL the build wrote (documents, redirect pages, the pages jekyll-paginate, jekyll-archives, jekyll-feed
and jekyll-sitemap generated, static files) is in ``inspect --json``, and nothing more."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from migrate.cli import main
from tests.conftest import REPO, all_sites, site_id
from tests.support.jekyll import JekyllBuild, cached_jekyll_build

pytestmark = pytest.mark.acceptance

FIXTURES = REPO / "tests" / "fixtures" / "generated"
LANGUAGE_PLUGINS = ("jekyll-polyglot", "jekyll-multiple-languages-plugin")


def fixture_sites() -> list[Path]:
    """This feature's fixture sites, and the reader's (those real Jekyll builds: not the ``bad-*`` ones)."""
    reader = REPO / "tests" / "fixtures" / "reader"
    return sorted(p.parent for p in FIXTURES.glob("*/_config.yml")) + sorted(
        p.parent for p in reader.glob("*/_config.yml") if not p.parent.name.startswith("bad-"))


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory):
    root = tmp_path_factory.mktemp("jekyll-plugin-builds")
    return lambda site_dir, **options: cached_jekyll_build(site_dir, root, **options)


def jekyll_urls(build: JekyllBuild) -> set[str]:
    generated = {r["url"] for r in build.records if r["kind"] == "generated" and r["written"]}
    return build.urls | generated | build.static_urls


def inspect_json(site_dir: Path) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["inspect", "--json", str(site_dir)])
    assert code in (0, 1)
    return json.loads(out.getvalue())


def inspect_urls(payload: dict) -> set[str]:
    """The URLs ``inspect --json`` lists. jekyll-paginate-v2 removes its template pages from the site and
    writes page 1 in their place (``/blog/index.html`` where the page was ``/blog/``): the IR keeps such a
    template as a document (its content is what the list pages show), so its own URL is not counted."""
    urls = {g["url"] for g in payload["generated"]} | {s["url"] for s in payload["static_files"]}
    v2_templates = {g["template"] for g in payload["generated"] if g["generator"] == "jekyll-paginate-v2"}
    for doc in payload["documents"]:
        if doc["built"] and doc["source"] not in v2_templates:
            urls.add(doc["url"])
            urls.update(doc["redirect_from"])
            urls.update(copy["url"] for copy in doc.get("language_copies", ()))  # a language plugin's copies
    return urls


@pytest.mark.parametrize("site_dir", all_sites() + fixture_sites(), ids=site_id)
def test_generated_urls_equal_jekyll_with_plugins(site_dir: Path, jekyll, monkeypatch):
    build = jekyll(site_dir)
    monkeypatch.setenv("TZ", build.timezone)
    payload = inspect_json(site_dir)
    theirs, ours = jekyll_urls(build), inspect_urls(payload)
    matched = theirs & ours
    generated = {r["url"] for r in build.records if r["kind"] == "generated" and r["written"]}
    print(f"\nURLS site={site_dir.name} mode=plugins jekyll={len(theirs)} ours={len(ours)} matched={len(matched)} "
          f"generated={len(generated)}")
    assert sorted(theirs - ours) == [] and sorted(ours - theirs) == []


def _written(build: JekyllBuild) -> dict[str, str]:
    return {r["output"]: r["url"] for r in build.records if r["kind"] == "generated" and r["written"]}


@pytest.mark.parametrize("site_dir", all_sites() + fixture_sites(), ids=site_id)
def test_generated_output_files_equal_jekyll(site_dir: Path, jekyll, monkeypatch):
    """Each generated page's ``output_path`` is the file Jekyll wrote for that URL."""
    build = jekyll(site_dir)
    monkeypatch.setenv("TZ", build.timezone)
    payload = inspect_json(site_dir)
    # jekyll-paginate's page 1 is the template page itself (a document); every other generated page is a file
    # (a language plugin's copy of a static file is a static file to Jekyll: test_language_urls checks those)
    ours = {g["output_path"] for g in payload["generated"]
            if not (g["generator"] == "jekyll-paginate" and g["page_number"] == 1)
            and not (g["generator"] in LANGUAGE_PLUGINS and g["kind"] == "other")}
    assert ours == set(_written(build))


def test_plugin_blog_lists_what_each_plugin_wrote(jekyll, monkeypatch):
    """The sample's pagination, archives and feeds carry what they list, checked against Jekyll's output."""
    site_dir = REPO / "samples" / "plugin-blog"
    build = jekyll(site_dir)
    monkeypatch.setenv("TZ", build.timezone)
    generated = inspect_json(site_dir)["generated"]
    docs = {d["source"]: d for d in inspect_json(site_dir)["documents"]}
    pagination = [g for g in generated if g["kind"] == "pagination"]
    assert [g["page_number"] for g in pagination] == [1, 2, 3]
    for page in pagination:
        html = (build.dest / page["output_path"]).read_text("utf-8")
        listed = [docs[s]["url"] for s in page["members"]]
        at = [html.find(f'href="{url}"') for url in listed]
        assert listed and -1 not in at and at == sorted(at), page["url"]
        assert f"page {page['page_number']} of 3" in html
    archives = {g["url"]: g for g in generated if g["kind"] == "archive"}
    assert archives["/2024/02/"]["period"] == "2024/02" and len(archives["/2024/02/"]["members"]) == 2
    assert archives["/section/site-news/"]["category"] == "Site News"
    for page in archives.values():
        html = (build.dest / page["output_path"]).read_text("utf-8")
        assert all(f'href="{docs[s]["url"]}"' in html for s in page["members"]), page["url"]
    feeds = {g["url"]: g for g in generated if g["kind"] == "feed"}
    assert feeds["/feed/releases.xml"]["category"] == "releases"
    atom = "{http://www.w3.org/2005/Atom}"
    for page in feeds.values():
        root = ElementTree.parse(build.dest / page["output_path"]).getroot()
        links = [e.find(f"{atom}link[@rel='alternate']").get("href") for e in root.iter(f"{atom}entry")]
        assert links == [f"https://plugins.example.org{docs[s]['url']}" for s in page["members"]], page["url"]
    print(f"\nPLUGIN-BLOG pagination={len(pagination)} archives={len(archives)} feeds={len(feeds)}")


@pytest.mark.parametrize("name", ["paginate-root", "paginate-v2"])
def test_pagination_members_equal_what_jekyll_listed(name: str, jekyll, monkeypatch):
    """The fixtures' list pages print ``paginator.posts`` URLs: each page's members, in order, are those."""
    site_dir = FIXTURES / name
    build = jekyll(site_dir)
    monkeypatch.setenv("TZ", build.timezone)
    payload = inspect_json(site_dir)
    urls = {d["source"]: d["url"] for d in payload["documents"]}
    pages = [g for g in payload["generated"] if g["kind"] == "pagination"]
    assert pages
    for page in pages:
        printed = (build.dest / page["output_path"]).read_text("utf-8").split()
        assert printed == [urls[s] for s in page["members"]], page["url"]
    print(f"\nPAGINATION-MEMBERS site={name} pages={len(pages)} members={sum(len(p['members']) for p in pages)}")
