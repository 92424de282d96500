"""GitHub Pages builds and the content plugins it runs, with real Jekyll and the real plugins as the oracle.

Real Jekyll (Debian's 4.3.1) builds each site with GitHub Pages' configuration applied through a config overlay
the harness writes beside its copy of the site (``tests/support/jekyll.py``), and with the Debian packages of
jekyll-optional-front-matter, jekyll-readme-index, jekyll-titles-from-headings, jekyll-default-layout and
jekyll-relative-links. Its dumping plugin records every URL, each page's ``title`` and ``layout``, and each
body as the generators left it (before Liquid and Markdown), which is where jekyll-relative-links and
``strip_title`` act.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from migrate.cli import main
from migrate.reader import read_site
from tests.conftest import REPO, corpus_sites, site_id
from tests.support.jekyll import JekyllBuild, cached_jekyll_build, is_github_pages_site

pytestmark = pytest.mark.acceptance

SAMPLE = REPO / "samples" / "gh-pages-project"
FIXTURES = REPO / "tests" / "fixtures" / "reader"
PLUGIN_SITES = [SAMPLE, FIXTURES / "gh-pages-plugins", FIXTURES / "content-plugins"]
"""The sample, a GitHub Pages site found by its workflow, and a plain Jekyll site that lists the five plugins
with every option they read."""
CONTENT_PLUGINS = (
    "jekyll-optional-front-matter",
    "jekyll-readme-index",
    "jekyll-titles-from-headings",
    "jekyll-default-layout",
    "jekyll-relative-links",
)


def github_pages_corpora() -> list[Path]:
    return [p for p in corpus_sites() if is_github_pages_site(p)]


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory):
    root = tmp_path_factory.mktemp("jekyll-github-pages")
    return lambda site_dir, **options: cached_jekyll_build(site_dir, root, **options)


def _inspect(site_dir: Path, *flags: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["inspect", "--json", *flags, str(site_dir)])
    assert code in (0, 1)
    return json.loads(out.getvalue())


def _built_urls(payload: dict) -> set[str]:
    urls: set[str] = set()
    for doc in payload["documents"]:
        if doc["built"]:
            urls.add(doc["url"])
            urls.update(doc["redirect_from"])
    return urls


def _written(build: JekyllBuild) -> list[dict]:
    return [r for r in build.records if r["kind"] in ("page", "post", "draft", "document") and r["written"]]


@pytest.mark.parametrize("site_dir", PLUGIN_SITES + github_pages_corpora(), ids=site_id)
def test_urls_titles_layouts_and_bodies_equal_jekyll_with_the_plugins(site_dir: Path, jekyll, monkeypatch):
    """Every URL real Jekyll writes with the plugins is in ``inspect --json`` and nothing more; each page's
    title and layout are the ones the plugins gave it; each Markdown body is the one the generators left (links
    to ``.md`` files rewritten, a stripped heading gone; the harness empties stylesheets in its copy, so they
    are not compared); the static files are the ones Jekyll copied."""
    build = jekyll(site_dir)
    monkeypatch.setenv("TZ", build.timezone)
    payload = _inspect(site_dir)
    jekyll_urls, ours = build.urls, _built_urls(payload)
    matched = jekyll_urls & ours
    print(
        f"\nURLS site={site_dir.name} mode=plugins jekyll={len(jekyll_urls)} ours={len(ours)} matched={len(matched)}"
    )
    assert sorted(jekyll_urls - ours) == [] and sorted(ours - jekyll_urls) == []

    site = read_site(site_dir, now=build.time)
    assert set(CONTENT_PLUGINS) <= set(site.plugins)
    by_source = {d.source: d for d in site.documents if d.built_by_jekyll}
    records = _written(build)
    titles = [(r["relative_path"], r["title"] or "", by_source[r["relative_path"]].title) for r in records]
    layouts = [(r["relative_path"], r["layout"], by_source[r["relative_path"]].layout) for r in records]
    bodies = [
        (r["relative_path"], r["body"].replace("\r\n", "\n"), by_source[r["relative_path"]].body)
        for r in records
        if r.get("body") is not None and by_source[r["relative_path"]].markup == "markdown"
    ]
    title_diffs = [t for t in titles if t[1] != t[2]]
    layout_diffs = [t for t in layouts if t[1] != t[2]]
    body_diffs = [b[0] for b in bodies if b[1] != b[2]]
    print(
        f"TITLES site={site_dir.name} pages={len(titles)} equal={len(titles) - len(title_diffs)} "
        f"layouts_equal={len(layouts) - len(layout_diffs)} bodies={len(bodies)} "
        f"bodies_equal={len(bodies) - len(body_diffs)}"
    )
    assert title_diffs == [] and layout_diffs == [] and body_diffs == []
    statics = {
        s["relative_path"]: s["url"] for s in build.static_files if s["written"] and not s.get("theme")
    }
    assert {s.source: s.url for s in site.static_files} == statics


def test_the_sample_shows_what_github_pages_adds(jekyll, monkeypatch):
    """What the sample is for, as real Jekyll built it: the README at ``/``, pages made of Markdown without
    front matter, a title from a heading, a relative link rewritten, and the future-dated post published."""
    build = jekyll(SAMPLE)
    assert build.github_pages
    by_path = {r["relative_path"]: r for r in _written(build)}
    assert by_path["README.md"]["url"] == "/"
    assert by_path["install.md"]["title"] == "Installing"
    assert "(/widget-toolkit/docs/guide.html)" in by_path["install.md"]["body"]
    assert by_path["_posts/2999-12-31-next-millennium.md"]["url"] == "/2999/12/31/next-millennium.html"
    monkeypatch.setenv("TZ", build.timezone)
    site = read_site(SAMPLE, now=build.time)
    assert {"github-pages", "github-pages-plugin-ignored", "plugin-not-modelled"} <= {
        i.code for i in site.issues
    }
    ignored = [i.message for i in site.issues if i.code == "github-pages-plugin-ignored"]
    assert len(ignored) == 1 and "jekyll-archives" in ignored[0]


def test_no_github_pages_reads_the_sample_as_plain_jekyll(jekyll, monkeypatch):
    """``--no-github-pages`` refuses the detection: the URLs are then those of plain ``jekyll build`` with the
    site's own Gemfile (whose github-pages gem is not installed here, so no plugin runs)."""
    build = jekyll(SAMPLE, github_pages=False)
    monkeypatch.setenv("TZ", build.timezone)
    payload = _inspect(SAMPLE, "--no-github-pages")
    jekyll_urls, ours = build.urls, _built_urls(payload)
    print(
        f"\nURLS site={SAMPLE.name} mode=plain jekyll={len(jekyll_urls)} ours={len(ours)} "
        f"matched={len(jekyll_urls & ours)}"
    )
    assert ours == jekyll_urls
    assert "/" not in ours  # no README index without the plugins
    assert ours != _built_urls(_inspect(SAMPLE))


def test_github_pages_flag_reads_a_plain_site_as_github_builds_it(jekyll, monkeypatch, tmp_path):
    """``--github-pages`` on a site nothing marks as one: the same URLs as Jekyll with GitHub Pages'
    configuration forced on."""
    site_dir = tmp_path / "plain"
    (site_dir / "_posts").mkdir(parents=True)
    (site_dir / "_config.yml").write_text("title: Plain\n", "utf-8")
    (site_dir / "README.md").write_text("# Read me\n", "utf-8")
    (site_dir / "notes.md").write_text("Notes\n-----\n\nNo front matter.\n", "utf-8")
    (site_dir / "_posts" / "2998-01-01-ahead.md").write_text("---\ntitle: Ahead\n---\nLater.\n", "utf-8")
    build = jekyll(site_dir, github_pages=True)
    monkeypatch.setenv("TZ", build.timezone)
    ours = _built_urls(_inspect(site_dir, "--github-pages"))
    print(
        f"\nURLS site=flag-github-pages mode=plugins jekyll={len(build.urls)} ours={len(ours)} "
        f"matched={len(build.urls & ours)}"
    )
    assert ours == build.urls == {"/", "/notes.html", "/2998/01/01/ahead.html"}
    assert _built_urls(_inspect(site_dir)) == set()
