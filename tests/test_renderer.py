"""--renderer: bodies another renderer made go through the same link rewriting and target conversion; what it
did not render falls back to the built-in renderer, listed; without Jekyll, one line and no output (issue 19)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exporters.hugo import HugoExporter
from migrate.cli import main
from migrate.content import Targets
from migrate.content.pipeline import ContentPipeline, identity_targets
from migrate.export import build_plan
from migrate.reader import read_site
from migrate.renderers import RenderedBody, Rendering, add_generated_pages
from migrate.renderers.jekyll import _rendering as rendering_from_dump
from migrate.report import Report

FILES = {
    "_config.yml": "title: Renderer test\ntimezone: UTC\nurl: https://old.example\n",
    "_posts/2020-01-01-alpha.md": "---\ntitle: Alpha\n---\nAlpha says {% sitevideo https://v.example/1 %} and links "
                                  "[beta]({% post_url 2020-01-02-beta %}).\n",
    "_posts/2020-01-02-beta.md": "---\ntitle: Beta\n---\nBeta is *plain*.\n\nSecond paragraph.\n",
    "about.md": "---\ntitle: About\n---\nAbout us.\n",
}
ALPHA = "_posts/2020-01-01-alpha.md"
BETA = "_posts/2020-01-02-beta.md"
# what a site's own plugin made of alpha's tag
ALPHA_HTML = ('<p>Alpha says <figure class="oembed"><iframe src="https://v.example/1"></iframe></figure> and links '
              '<a href="/2020/01/02/beta.html">beta</a>.</p>\n')


@pytest.fixture()
def site_dir(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


def _rendering(site_dir: Path, *, beta: str = "<p>Beta is <em>plain</em>.</p>\n\n<p>Second paragraph.</p>\n"):
    return Rendering("jekyll", {
        ALPHA: RenderedBody(ALPHA_HTML, ALPHA_HTML, "/2020/01/01/alpha.html"),
        BETA: RenderedBody(beta, "<p>Beta is <em>plain</em>.</p>\n", "/2020/01/02/beta.html"),
    })


def test_a_body_that_differs_is_jekylls_with_links_rewritten(site_dir: Path) -> None:
    site = read_site(site_dir)
    urls = {d.source: "/new" + d.url for d in site.documents}
    pipeline = ContentPipeline(site, Targets(document_urls=urls, site_url=site.url), rendering=_rendering(site_dir))
    alpha = site.document(ALPHA)
    html = pipeline.convert(alpha, "html")
    assert '<figure class="oembed"><iframe src="https://v.example/1"></iframe></figure>' in html.body
    assert '<a href="/new/2020/01/02/beta.html">beta</a>' in html.body  # the same link rewriting
    assert not any(i.code == "liquid-unknown-tag" for i in html.issues)
    markdown = pipeline.convert(alpha, "markdown")
    assert "/new/2020/01/02/beta.html" in markdown.body and "oembed" in markdown.body
    builtin = ContentPipeline(site, Targets(document_urls=urls, site_url=site.url)).convert(alpha, "html")
    assert any(i.code == "liquid-unknown-tag" for i in builtin.issues)


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_a_body_that_agrees_gives_the_built_in_output_byte_for_byte(site_dir: Path, fmt: str) -> None:
    site = read_site(site_dir)
    beta = site.document(BETA)
    ours = ContentPipeline(site, identity_targets(site), rendering=_rendering(site_dir)).convert(beta, fmt)
    builtin = ContentPipeline(site, identity_targets(site)).convert(beta, fmt)
    assert ours == builtin


def test_a_body_that_differs_only_in_text_is_jekylls(site_dir: Path) -> None:
    site = read_site(site_dir)
    rendering = _rendering(site_dir, beta="<p>Beta is <em>special</em>.</p>\n")
    out = ContentPipeline(site, identity_targets(site), rendering=rendering).convert(site.document(BETA), "html")
    assert "special" in out.body


def test_a_document_jekyll_did_not_render_falls_back_and_is_listed(site_dir: Path) -> None:
    site = read_site(site_dir)
    pipeline = ContentPipeline(site, identity_targets(site), rendering=_rendering(site_dir))
    about = pipeline.convert(site.document("about.md"), "html")
    assert "<p>About us.</p>" in about.body
    assert [i.code for i in about.issues if i.code.startswith("renderer")] == ["renderer-fallback"]
    failed = Rendering("jekyll", failure="--renderer jekyll: jekyll build failed (exit 1): boom")
    issue = ContentPipeline(site, identity_targets(site), rendering=failed).convert(site.document(BETA), "html")
    assert [i.message for i in issue.issues if i.code == "renderer-fallback"] == [
        "rendered by the built-in renderer: --renderer jekyll: jekyll build failed (exit 1): boom"]


def test_the_conversion_cache_keys_on_the_renderer(site_dir: Path, tmp_path: Path) -> None:
    site = read_site(site_dir)
    cache = tmp_path / "cache"

    def body(rendering: Rendering | None) -> str:
        opts, _ = HugoExporter.validate_options({})
        plan = build_plan(site, HugoExporter, opts, Report(), cache_dir=cache, keep_bodies=True, rendering=rendering)
        return plan.bodies[ALPHA][1]

    assert "sitevideo https" in body(None)
    assert '<figure class="oembed">' in body(_rendering(site_dir))
    assert "sitevideo https" in body(None)


def test_urls_jekyll_reports_are_cross_checked_against_the_reader(site_dir: Path) -> None:
    site = read_site(site_dir)
    dumped = {"records": [
        {"source": ALPHA, "url": "/2020/01/01/alpha.html", "rendered": True, "content": "<p>a</p>", "excerpt": None},
        {"source": BETA, "url": "/somewhere/else/", "rendered": True, "content": "<p>b</p>", "excerpt": None},
        {"source": "extra.md", "url": "/extra/", "rendered": True, "content": "x"},
        {"source": None, "generated": True, "url": "/team/", "class": "TeamPage", "content": "<p>t</p>"},
    ]}
    rendering = _rendering_of(site, dumped)
    found = sorted((i.code, i.source) for i in rendering.issues)
    assert found == [("renderer-unknown-document", "extra.md"),
                     ("renderer-url-mismatch", BETA), ("renderer-url-mismatch", "about.md")]
    assert set(rendering.bodies) == {ALPHA, BETA}
    assert [g.url for g in rendering.generated] == ["/team/"]


def test_a_page_a_generator_made_becomes_a_page_with_jekylls_body(site_dir: Path) -> None:
    """Jekyll served it, so the export keeps it: a page at its URL with the body Jekyll rendered (through the
    same link rewriting); a generated URL the reader already has, or one that is no HTML page, is left alone."""
    site = read_site(site_dir)
    dumped = {"records": [
        {"source": ALPHA, "url": "/2020/01/01/alpha.html", "rendered": True, "content": "<p>a</p>", "excerpt": None},
        {"source": None, "generated": True, "url": "/team/", "output_path": "team/index.html", "class": "TeamPage",
         "content": '<p>Team of <a href="/2020/01/02/beta.html">beta</a></p>', "title": "The team"},
        {"source": None, "generated": True, "url": "/2020/01/01/alpha.html", "output_path": "2020/01/01/alpha.html",
         "class": "Other", "content": "<p>dup</p>"},
        {"source": None, "generated": True, "url": "/feed.json", "output_path": "feed.json", "class": "Feed",
         "content": "{}"},
    ]}
    site, rendering, issues = add_generated_pages(site, _rendering_of(site, dumped))
    page = site.document("team/index.html")
    assert page is not None and (page.url, page.title, page.kind) == ("/team/", "The team", "page")
    assert [(i.code, i.source) for i in issues] == [("renderer-generated", "team/index.html")]
    assert site.document("feed.json") is None
    urls = {d.source: "/new" + d.url for d in site.documents}
    html = ContentPipeline(site, Targets(document_urls=urls, site_url=site.url), rendering=rendering).convert(page, "html")
    assert html.body == '<p>Team of <a href="/new/2020/01/02/beta.html">beta</a></p>'


def _rendering_of(site, dumped):
    return rendering_from_dump(site, dumped, frozenset(), 0.0)


@pytest.fixture()
def no_jekyll(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin-without-jekyll"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_without_jekyll_the_renderer_is_one_line_and_writes_nothing(
    site_dir: Path, tmp_path: Path, no_jekyll: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["export", str(site_dir), "--to", "hugo", "-o", str(out), "--renderer", "jekyll", "--no-cache"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and not out.exists()
    assert err.count("\n") == 0 and "the jekyll command is not on the PATH" in err
    assert main(["convert", str(site_dir), "--renderer", "jekyll"]) == 2


def test_without_jekyll_jekyll_builtin_falls_back_for_every_document(
    site_dir: Path, tmp_path: Path, no_jekyll: None
) -> None:
    out, report = tmp_path / "out", tmp_path / "report.json"
    code = main(["export", str(site_dir), "--to", "hugo", "-o", str(out), "--renderer", "jekyll,builtin",
                 "--no-cache", "--report", str(report)])
    assert code == 0 and (out / "content").is_dir()
    issues = json.loads(report.read_text("utf-8"))["issues"]["issues"]
    assert [i["code"] for i in issues if i["code"] == "renderer-failed"] == ["renderer-failed"]
    assert sorted(i["source"] for i in issues if i["code"] == "renderer-fallback") == [ALPHA, BETA, "about.md"]


def test_compare_renderers_needs_the_jekyll_renderer(site_dir: Path, tmp_path: Path) -> None:
    assert main(["export", str(site_dir), "--to", "hugo", "-o", str(tmp_path / "o"), "--compare-renderers"]) == 2


def test_help_says_the_jekyll_renderer_runs_the_sites_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--to", "hugo", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "RUNS THE SITE'S RUBY CODE" in help_text and "builtin (default" in help_text
