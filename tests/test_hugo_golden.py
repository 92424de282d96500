"""Golden output: the whole Hugo export of one small sample, file by file.

Regenerate after an intended change with ``JEKYLL_MIGRATE_REGEN_GOLDEN=1 pytest tests/test_hugo_golden.py``
and review the diff like code.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from exporters.hugo import HugoExporter
from migrate.export import build_plan
from migrate.plan import write_plan
from migrate.reader import read_site
from migrate.report import Report
from tests.conftest import SAMPLES_DIR

SAMPLE = "unicode-journal"
GOLDEN = Path(__file__).parent / "golden" / "hugo" / SAMPLE
REGENERATE = os.environ.get("JEKYLL_MIGRATE_REGEN_GOLDEN") == "1"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_hugo_export_matches_golden(tmp_path):
    site = read_site(SAMPLES_DIR / SAMPLE)
    options, problems = HugoExporter.validate_options({})
    assert problems == []
    plan = build_plan(site, HugoExporter, options, Report())
    out = tmp_path / "out"
    write_plan(plan, out)
    if REGENERATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    produced, expected = _tree(out), _tree(GOLDEN)
    assert sorted(produced) == sorted(expected)
    for name, content in produced.items():
        if name.endswith((".md", ".toml", ".json", ".html")):
            assert content.decode("utf-8") == expected[name].decode("utf-8"), name
        else:
            assert content == expected[name], name
