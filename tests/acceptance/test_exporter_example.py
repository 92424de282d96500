"""The third-party exporter of docs/exporters.md, installed as a distribution of its own, is a target like
the built-in ones: found through the entry-point group, driven by the core, its outcomes recorded by the
core (the example calls no recording function)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES_DIR

pytestmark = pytest.mark.acceptance

DOC = REPO / "docs" / "exporters.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", DOC.read_text("utf-8"), flags=re.S | re.M)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The example built and installed (with pip, as a user would) into a folder of its own; the
    environment in which jekyll-migrate sees it."""
    root = tmp_path_factory.mktemp("plain-html")
    project = root / "plain-html"
    project.mkdir()
    (project / "plain_html_exporter.py").write_text(_blocks("python")[0], "utf-8")
    (project / "pyproject.toml").write_text(_blocks("toml")[0], "utf-8")
    target = root / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "--target", str(target), str(project)], check=True, timeout=300)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(REPO)])}


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "migrate", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)


def test_the_example_is_at_most_fifty_lines_and_records_nothing_itself() -> None:
    example = _blocks("python")[0]
    assert len(example.splitlines()) <= 50
    assert "record" not in example and "DocumentOutcome" not in example


def test_the_installed_example_exports_a_sample(installed: dict[str, str], tmp_path: Path) -> None:
    listed = _cli(installed, "exporters")
    assert "plain-html" in listed.stdout, listed.stderr

    site = SAMPLES_DIR / "blog-classic"
    out = tmp_path / "out"
    done = _cli(installed, "export", str(site), "--to", "plain-html", "--lang", "de", "-o", str(out))
    assert done.returncode in (0, 1), done.stderr  # 1: the sample's deliberate warnings
    manifest = json.loads((out / "migration.json").read_text("utf-8"))
    inspected = json.loads(_cli(installed, "inspect", str(site), "--json").stdout)
    counts = manifest["counts"]
    print(f"EXAMPLE_EXPORTER documents={len(inspected['documents'])} counts={counts}")
    assert counts["read"] == len(inspected["documents"])
    assert counts["exported"] + counts["skipped"] == counts["read"] and counts["failed"] == 0
    assert counts["exported"] > 0
    for line in manifest["documents"]:
        if line["status"] == "exported":  # each exported page is where its outcome says
            path = line["new_url"].lstrip("/") + ("index.html" if line["new_url"].endswith("/") else "")
            assert 'lang="de"' in (out / path).read_text("utf-8"), path
    for name in inspected["static_files"]:
        assert (out / name["source"]).is_file() or name["url"] != "/" + name["source"]

    redirects = _cli(installed, "redirects", str(site), "--to", "plain-html", "--format", "csv")
    rows = [line for line in redirects.stdout.splitlines()[1:] if line]
    assert len(rows) == len(manifest["redirects"])


def test_the_documented_test_passes(installed: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-c", _blocks("python")[1]], cwd=REPO, env=installed,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
