"""Worker processes convert and render documents; what comes back never depends on how many there are."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from migrate.cli import main
from tests.conftest import SAMPLES_DIR


def _export(site: Path, target: str, out: Path, jobs: int) -> tuple[int, dict]:
    report = out.parent / f"{out.name}.json"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["export", str(site), "--to", target, "-o", str(out), "--no-cache", "--jobs", str(jobs),
                     "--report", str(report)])
    return code, json.loads(report.read_text("utf-8"))


@pytest.mark.parametrize("target", ["hugo", "wordpress", "ghost"])
def test_issues_raised_while_rendering_in_workers_reach_the_report(target, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SAMPLES_DIR / "blog-classic", site)
    # Ghost cuts a title over 255 characters while rendering, in the worker that converted the post.
    (site / "_posts" / "2021-03-04-long-title.md").write_text(
        "---\ntitle: " + "Very long title " * 30 + "\n---\nBody.\n", "utf-8")
    one = _export(site, target, tmp_path / "one", 1)
    two = _export(site, target, tmp_path / "two", 2)
    assert one == two
    issues = two[1]["issues"]["issues"]
    if target == "ghost":
        cut = [i for i in issues if i["code"] == "ghost-title-cut"]
        assert [i["source"] for i in cut] == ["_posts/2021-03-04-long-title.md"]
    assert two[1]["documents"] == one[1]["documents"]
