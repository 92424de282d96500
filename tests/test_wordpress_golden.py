"""Golden output: the whole WordPress export of one small sample, file by file, and byte-identical reruns.

Regenerate after an intended change with ``JEKYLL_MIGRATE_REGEN_GOLDEN=1 pytest tests/test_wordpress_golden.py``
and review the diff like code.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from exporters.wordpress import WordPressExporter
from migrate.export import build_plan
from migrate.plan import write_plan
from migrate.reader import read_site
from migrate.report import Report
from tests.conftest import SAMPLES_DIR

SAMPLE = "blog-classic"
GOLDEN = Path(__file__).parent / "golden" / "wordpress" / SAMPLE
REGENERATE = os.environ.get("JEKYLL_MIGRATE_REGEN_GOLDEN") == "1"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _export(out: Path) -> dict[str, bytes]:
    site = read_site(SAMPLES_DIR / SAMPLE)
    options, problems = WordPressExporter.validate_options({})
    assert problems == []
    plan = build_plan(site, WordPressExporter, options, Report())
    write_plan(plan, out)
    return _tree(out)


def test_wordpress_export_matches_golden(tmp_path: Path) -> None:
    produced = _export(tmp_path / "out")
    if REGENERATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(tmp_path / "out", GOLDEN)
    expected = _tree(GOLDEN)
    assert sorted(produced) == sorted(expected)
    for name, content in produced.items():
        if name.endswith((".xml", ".csv", ".json", ".txt")):
            assert content.decode("utf-8") == expected[name].decode("utf-8"), name
        else:
            assert content == expected[name], name


def test_second_run_is_byte_identical(tmp_path: Path) -> None:
    assert _export(tmp_path / "one") == _export(tmp_path / "two")
