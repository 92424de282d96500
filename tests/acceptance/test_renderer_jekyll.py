"""``--renderer jekyll``: every body the export uses equals what real Jekyll writes for the same site (with its
own plugins) before the layout, on every sample, the shared corpora and the sample with plugins of its own."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from migrate.cli import main
from migrate.content.pipeline import ContentPipeline, identity_targets
from migrate.reader import read_site
from migrate.renderers.jekyll import render_with_jekyll
from tests.acceptance.test_fidelity import jemoji_stand_in
from tests.conftest import all_sites, site_id
from tests.content.htmlnorm import first_difference, normalise_html
from tests.support.jekyll import jekyll_build

pytestmark = pytest.mark.acceptance

PLUGINS_OWN = Path(__file__).resolve().parents[2] / "samples" / "renderer" / "plugins-own"


def content_layouts_build(site_dir: Path, work: Path):
    """The oracle: real Jekyll (tests/support/jekyll.py, its own dumping plugin, the site's ``_plugins``)
    on a copy whose layouts are all ``{{ content }}``, so each written file is the content before the layout."""
    src = work / "src"
    shutil.copytree(site_dir.resolve(), src, symlinks=True)
    layouts = src / "_layouts"
    for layout in layouts.rglob("*") if layouts.is_dir() else ():
        if layout.is_file():
            layout.write_text("{{ content }}", encoding="utf-8")
    return jekyll_build(src, work / "oracle" / "_site")


@dataclass
class Result:
    documents: int
    identical: int
    fallback: int
    differences: dict[str, str]
    url_issues: list[str]
    unknown_tags: list[str]
    seconds: float


def measure(site_dir: Path, work: Path) -> Result:
    site = read_site(site_dir)
    rendering = render_with_jekyll(site)
    oracle = content_layouts_build(site_dir, work)
    claims: dict[str, int] = {}
    for record in oracle.records:
        if record["written"] and record.get("output"):
            claims[record["output"]] = claims.get(record["output"], 0) + 1
    written = {(r["relative_path"], r["url"]): r for r in oracle.records
               if r["written"] and r["kind"] in ("post", "document", "page") and r.get("relative_path")}
    pipeline = ContentPipeline(site, identity_targets(site), rendering=rendering)
    documents = identical = fallback = 0
    differences: dict[str, str] = {}
    unknown = [f"{i.source}: {i.message}" for i in rendering.issues if i.code == "liquid-unknown-tag"]
    for doc in sorted(site.documents, key=lambda d: d.source):
        record = written.get((doc.source, doc.url))
        if not doc.served_by_jekyll or not doc.is_html_page or doc.redirect_to or record is None:
            continue
        if claims.get(record["output"], 0) > 1:
            continue  # two documents (or a redirect page) claim one file: it holds only one of them
        # jemoji is in no Debian package: neither build has it, the export writes its emoji (as test_fidelity)
        theirs = jemoji_stand_in(site, (oracle.dest / record["output"]).read_text("utf-8", "replace"))
        if 'http-equiv="refresh"' in theirs and "http-equiv" not in doc.body:
            continue  # jekyll-redirect-from wrote a redirect page over this document
        documents += 1
        if doc.source not in rendering.bodies:
            fallback += 1
        converted = pipeline.convert(doc, "html")
        unknown += [f"{i.source}: {i.message}" for i in converted.issues if i.code == "liquid-unknown-tag"]
        ours = normalise_html(converted.body)
        if ours == normalise_html(theirs):
            identical += 1
        else:
            differences[doc.source] = first_difference(ours, normalise_html(theirs))
    url_issues = [f"{i.source}: {i.message}" for i in rendering.issues
                  if i.code in ("renderer-url-mismatch", "renderer-unknown-document")]
    return Result(documents, identical, fallback, differences, url_issues, unknown, rendering.seconds)


KNOWN_DIFFERENCES = {
    "pages/jekyllconf.md": "shows a talk picked at random from site.time ('%s%N' | modulo): two Jekyll runs differ",
}


@pytest.mark.parametrize("site_dir", [*all_sites(), PLUGINS_OWN], ids=site_id)
def test_jekyll_renderer_bodies_equal_jekyll(site_dir: Path, tmp_path: Path) -> None:
    result = measure(site_dir, tmp_path)
    print(f"RENDERER site={site_id(site_dir)} documents={result.documents} identical={result.identical} "
          f"fallback={result.fallback} jekyll-seconds={result.seconds:.1f}")
    for source, why in sorted(result.differences.items()):
        print(f"  differs {source}: {KNOWN_DIFFERENCES.get(source, why)}")
    for line in result.url_issues:
        print(f"  url {line}")
    assert result.documents > 0
    assert set(result.differences) <= set(KNOWN_DIFFERENCES), result.differences
    assert result.fallback == 0
    assert result.unknown_tags == []
    assert result.url_issues == []


def test_plugins_own_exports_what_its_plugins_make(tmp_path: Path) -> None:
    """The sample's own tag, block, filter and hooks and the jekyll-avatar gem show in the Hugo export as
    Jekyll renders them; the built-in renderer keeps the unknown tags (and says so); the generator's pages
    come back as generated pages; --compare-renderers counts the documents that differ."""
    out, report = tmp_path / "out", tmp_path / "report.json"
    code = main(["export", str(PLUGINS_OWN), "--to", "hugo", "-o", str(out), "--no-cache", "--renderer", "jekyll",
                 "--compare-renderers", "--report", str(report)])
    assert code == 0
    issues = json.loads(report.read_text("utf-8"))["issues"]["issues"]
    codes = [i["code"] for i in issues]
    assert "liquid-unknown-tag" not in codes
    welcome = (out / "content" / "posts" / "welcome" / "index.md").read_text("utf-8")
    assert '<a class="team" href="/team/moncef/">Moncef Belyamani</a>' in welcome  # the filter
    assert '<figure class="oembed"><iframe src="https://media.example.com/42"' in welcome  # the tag
    assert "read in\n1 minute" in welcome  # the :pre_render hook's page data
    assert '<div class="table-wrap"><table>' in welcome  # the :post_convert hook
    assert 'class="avatar avatar-small"' in welcome  # jekyll-avatar, a Debian gem without a Gemfile
    careful = (out / "content" / "posts" / "careful" / "index.md").read_text("utf-8")
    assert '<aside class="callout callout-warning"><p>A site’s own plugins <strong>run Ruby</strong>' in careful
    generated = sorted(i["message"].split()[2] for i in issues if i["code"] == "renderer-generated")
    assert generated == ["/team/ada/", "/team/moncef/"]
    # the generator's pages are exported with the body Jekyll rendered, and the links to them resolve
    manifest = json.loads((out / "migration.json").read_text("utf-8"))
    team = {d["old_url"]: d["status"] for d in manifest["documents"] if (d["old_url"] or "").startswith("/team/")}
    assert team == {"/team/ada/": "exported", "/team/moncef/": "exported"}
    assert not [i for i in issues if i["code"] == "broken-link" and "/team/" in i["message"]]
    compared = [i["message"] for i in issues if i["code"] == "renderers-compared"]
    differ = [i["source"] for i in issues if i["code"] == "renderer-differs"]
    assert compared == [(f"5 documents compared: {5 - len(differ)} identical, {len(differ)} differ "
                         "(built-in renderer against the site's own Jekyll)")]
    assert sorted(differ) == ["_posts/2024-03-01-welcome.md", "_posts/2024-04-02-careful.md",
                              "_projects/migrator.md", "about.md"]

    builtin_report = tmp_path / "builtin.json"
    main(["export", str(PLUGINS_OWN), "--to", "hugo", "-o", str(tmp_path / "builtin"), "--no-cache",
          "--report", str(builtin_report)])
    builtin = json.loads(builtin_report.read_text("utf-8"))["issues"]["issues"]
    # the site's own block tag is unknown to the built-in renderer (its {% oembed %} is one of the well-known
    # embed tags the built-in renderer writes its own way)
    assert any(i["code"] == "liquid-unknown-tag" and "callout" in i["message"] for i in builtin)


@pytest.mark.parametrize("target", ["hugo", "wordpress", "ghost"])
def test_bodies_agreeing_with_jekyll_export_byte_identical(tmp_path: Path, target: str) -> None:
    """Where Jekyll's body agrees with the built-in one, the export is the built-in export, byte for byte:
    the output differs only where the bodies differ."""
    site = Path(__file__).resolve().parents[2] / "samples" / "blog-classic"
    for renderer in ("builtin", "jekyll"):
        assert main(["export", str(site), "--to", target, "-o", str(tmp_path / renderer), "--no-cache",
                     "--renderer", renderer]) in (0, 1)
    ours = {p.relative_to(tmp_path / "jekyll"): p.read_bytes() for p in (tmp_path / "jekyll").rglob("*")
            if p.is_file() and p.suffix != ".log" and p.name != "migration.json"}
    base = {p.relative_to(tmp_path / "builtin"): p.read_bytes() for p in (tmp_path / "builtin").rglob("*")
            if p.is_file() and p.suffix != ".log" and p.name != "migration.json"}
    assert ours == base


def _broken_site(tmp_path: Path) -> Path:
    site = tmp_path / "broken"
    shutil.copytree(PLUGINS_OWN, site)
    (site / "_plugins" / "zz_broken.rb").write_text(
        'Jekyll::Hooks.register :site, :post_read do |_site|\n  raise "the site\'s plugin gave up"\nend\n', "utf-8")
    return site


def test_a_failing_build_is_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["export", str(_broken_site(tmp_path)), "--to", "hugo", "-o", str(out), "--no-cache",
                 "--renderer", "jekyll"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and not out.exists()
    assert err.count("\n") == 0 and "jekyll build failed" in err and "the site's plugin gave up" in err, err
    assert "_plugins/zz_broken.rb:2" in err and "jekyll-migrate-render-" not in err  # the site's file and line


def test_a_failing_build_falls_back_when_asked(tmp_path: Path) -> None:
    out, report = tmp_path / "out", tmp_path / "report.json"
    code = main(["export", str(_broken_site(tmp_path)), "--to", "hugo", "-o", str(out), "--no-cache",
                 "--renderer", "jekyll,builtin", "--report", str(report)])
    assert code == 0 and (out / "content").is_dir()
    issues = json.loads(report.read_text("utf-8"))["issues"]["issues"]
    fallback = sorted(i["source"] for i in issues if i["code"] == "renderer-fallback")
    assert fallback == ["_posts/2024-03-01-welcome.md", "_posts/2024-04-02-careful.md", "_projects/migrator.md",
                        "about.md", "index.html"]


def test_a_build_over_time_is_stopped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "slow"
    shutil.copytree(PLUGINS_OWN, site)
    (site / "_plugins" / "zz_slow.rb").write_text("Jekyll::Hooks.register :site, :post_read do |_site|\n"
                                                  "  sleep 60\nend\n", "utf-8")
    out = tmp_path / "out"
    started = time.monotonic()
    code = main(["export", str(site), "--to", "hugo", "-o", str(out), "--no-cache", "--renderer", "jekyll",
                 "--renderer-timeout", "3"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and not out.exists() and time.monotonic() - started < 30
    assert "longer than 3 seconds" in err and err.count("\n") == 0


@pytest.mark.parametrize(("gems", "command"), [(["jekyll", "jekyll-avatar"], "bundle exec jekyll"),
                                               (["jekyll", "jekyll-no-such-gem-here"], "jekyll")])
def test_a_gemfile_bundler_resolves_offline_runs_bundle_exec(tmp_path: Path, gems: list[str], command: str) -> None:
    """With a Gemfile that Bundler resolves from the installed gems (``bundle check``), Jekyll runs through
    ``bundle exec``; with one it cannot resolve offline, plain ``jekyll`` renders the same bodies."""
    site_dir = tmp_path / "site"
    shutil.copytree(PLUGINS_OWN, site_dir)
    lines = ['source "https://rubygems.org"', *(f'gem "{g}"' for g in gems)]
    (site_dir / "Gemfile").write_text("\n".join(lines) + "\n", "utf-8")
    rendering = render_with_jekyll(read_site(site_dir))
    plain = render_with_jekyll(read_site(PLUGINS_OWN))
    assert rendering.command == command
    assert rendering.bodies == plain.bodies and len(rendering.bodies) == 5
    assert not (site_dir / "Gemfile.lock").exists()  # the site is never written


def test_drafts_future_and_unpublished_are_passed_on(tmp_path: Path) -> None:
    site_dir = Path(__file__).resolve().parents[2] / "samples" / "blog-classic"
    wanted = {"_drafts/a-half-written-idea.md", "_posts/2020-09-01-not-published.md",
              "_posts/2099-01-01-from-the-future.md"}
    assert not wanted & set(render_with_jekyll(read_site(site_dir)).bodies)
    site = read_site(site_dir, drafts=True, future=True, unpublished=True)
    rendering = render_with_jekyll(site, drafts=True, future=True, unpublished=True)
    assert wanted <= set(rendering.bodies)
    assert [i for i in rendering.issues if i.code == "renderer-url-mismatch"] == []


def test_convert_prints_the_body_jekyll_rendered(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(PLUGINS_OWN), "about.md", "--renderer", "jekyll", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["url"] == "/about/"
    assert '<figure class="oembed"><iframe src="https://media.example.com/7" loading="lazy"></iframe></figure>' in row["body"]
    assert '<div class="table-wrap"><table>' in row["body"]
