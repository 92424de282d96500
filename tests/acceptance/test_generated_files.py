"""Pages whose output is not a web page (a script, stylesheet, feed, JSON, text) against real Jekyll.

Jekyll decides a page's output by its extension: Markdown (``markdown_ext``) is converted to HTML, anything
else is written as it is after Liquid, with its own extension. Every such file must reach every target
with Jekyll's bytes (Hugo: a static file at its URL) or be reported as not imported (WordPress, Ghost)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from migrate.cli import main
from migrate.content.pipeline import ContentPipeline, identity_targets
from migrate.reader import read_site
from tests.acceptance.test_hugo_build import hugo_build

pytestmark = pytest.mark.acceptance

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "generated-files"


@pytest.fixture(scope="module")
def jekyll_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("jekyll")
    shutil.copytree(SITE, work / "src")
    run = subprocess.run(
        ["jekyll", "build", "--source", str(work / "src"), "--destination", str(work / "site")],
        capture_output=True, text=True, timeout=600, env=dict(os.environ, JEKYLL_ENV="development"), check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return work / "site"


def _files(site_dir: Path) -> dict[str, Path]:
    return {p.relative_to(site_dir).as_posix(): p for p in sorted(site_dir.rglob("*")) if p.is_file()}


def test_the_reader_and_pipeline_write_what_jekyll_writes(jekyll_site: Path) -> None:
    site = read_site(SITE)
    pipeline = ContentPipeline(site, identity_targets(site))
    written = _files(jekyll_site)
    files = [d for d in site.documents if not d.is_html_page]
    assert sorted(d.output_path or "" for d in files) == sorted(p for p in written if p != "index.html")
    for doc in files:
        theirs = written[doc.output_path or ""].read_text("utf-8")
        for fmt in ("html", "markdown"):
            assert pipeline.convert(doc, fmt).body == theirs, (doc.source, fmt)  # type: ignore[arg-type]
    print(f"GENERATED-FILES files={len(files)} identical-to-jekyll={len(files)}")


def _export(target: str, out: Path) -> dict:
    report = out.parent / f"{target}-report.json"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["export", str(SITE), "--to", target, "-o", str(out), "--no-cache", "--report", str(report)])
    assert code == 0, err.getvalue()
    return json.loads(report.read_text("utf-8"))


def test_hugo_serves_each_file_at_its_url_with_jekylls_bytes(jekyll_site: Path, tmp_path: Path) -> None:
    """Jekyll's bytes, but for the site's own URLs, which point where the export moved each document (the
    folder URL of ``humans.txt``, a file no server takes as the folder's index, became the file's URL)."""
    _export("hugo", tmp_path / "hugo")
    assert not list((tmp_path / "hugo" / "content").rglob("*.js"))
    public = hugo_build(tmp_path / "hugo")
    manifest = json.loads((tmp_path / "hugo" / "migration.json").read_text("utf-8"))
    moved = sorted(((d["new_url"].encode(), d["old_url"].encode()) for d in manifest["documents"]
                    if d.get("new_url") and d["new_url"] != d["old_url"]), key=lambda pair: -len(pair[0]))
    assert moved, "the fixture has a document whose URL the export moves"
    for rel, path in _files(jekyll_site).items():
        if rel != "index.html":
            ours = (public / rel).read_bytes()
            for new, old in moved:
                ours = ours.replace(new, old)
            assert ours == path.read_bytes(), rel


@pytest.mark.parametrize("target", ["wordpress", "ghost"])
def test_wordpress_and_ghost_report_each_file_they_cannot_import(target: str, tmp_path: Path) -> None:
    report = _export(target, tmp_path / target)
    site = read_site(SITE)
    files = {d.source for d in site.documents if not d.is_html_page}
    skipped = {d["source"] for d in report["documents"] if d["status"] == "skipped"}
    warned = {i["source"] for i in report["issues"]["issues"] if i["code"] == "generated-file-skipped"}
    assert files <= skipped and warned == files
