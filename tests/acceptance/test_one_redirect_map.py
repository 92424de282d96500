"""One redirect map per export: ``jekyll-migrate redirects`` renders exactly the rules the export applied.

For every sample and shared corpus and every target, the commands as a user runs them: ``export``, then
``redirects --format csv``, whose rules must equal the ``redirects`` of the export's ``migration.json``;
and where the target has redirect files of its own (Ghost's redirects.yaml/json, the WordPress
Redirection plugin's files), ``redirects`` in that format writes the very same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, all_sites, site_id

pytestmark = pytest.mark.acceptance

NATIVE = {"ghost": ("ghost", ("redirects.yaml", "redirects.json")),
          "wordpress": ("wordpress-redirection", ("redirects/redirection.csv", "redirects/redirection.json"))}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "migrate", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode in (0, 1), done.stderr[-2000:]  # 1: the site has warnings, which is no failure
    return done


@pytest.mark.parametrize("target", ["hugo", "wordpress", "ghost"])
@pytest.mark.parametrize("site", all_sites(), ids=site_id)
def test_redirects_command_gives_the_map_the_export_applied(site: Path, target: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _cli("export", str(site), "--to", target, "-o", str(out), "--no-cache")
    applied = {tuple(rule) for rule in json.loads((out / "migration.json").read_text("utf-8"))["redirects"]}

    rows = list(csv.reader(io.StringIO(_cli("redirects", str(site), "--to", target, "--format", "csv").stdout)))
    assert rows[0][:2] == ["source", "target"]
    rendered = {(row[0], row[1]) for row in rows[1:] if row}
    print(f"ONE_MAP site={site.name} target={target} export={len(applied)} redirects={len(rendered)} "
          f"only_export={len(applied - rendered)} only_redirects={len(rendered - applied)}")
    assert rendered == applied

    if target in NATIVE:
        fmt, names = NATIVE[target]
        folder = tmp_path / "native"
        _cli("redirects", str(site), "--to", target, "--format", fmt, "-o", str(folder) + "/")
        for name in names:
            produced = folder / Path(name).name
            assert produced.read_bytes() == (out / name).read_bytes(), name
