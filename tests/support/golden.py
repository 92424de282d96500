"""Golden-output helpers shared by the exporters' golden tests: export a sample, compare folder trees.

Regenerate after an intended change with ``JEKYLL_MIGRATE_REGEN_GOLDEN=1 pytest tests/test_*_golden.py`` and
review the diff like code.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from migrate.export import build_plan
from migrate.plan import Plan, write_plan
from migrate.reader import read_site
from migrate.report import Report
from tests.conftest import SAMPLES_DIR

GOLDEN_ROOT = Path(__file__).resolve().parent.parent / "golden"
REGENERATE = os.environ.get("JEKYLL_MIGRATE_REGEN_GOLDEN") == "1"
TEXT_SUFFIXES = (".md", ".toml", ".json", ".html", ".xml", ".csv", ".txt", ".yaml")


def export_sample(sample: str, exporter_cls: type, options: dict | None = None) -> Plan:
    """The plan of exporting ``samples/<sample>`` with the exporter's default options (or these)."""
    site = read_site(SAMPLES_DIR / sample)
    values, problems = exporter_cls.validate_options(options or {})
    assert problems == []
    return build_plan(site, exporter_cls, values, Report())


def write_sample(sample: str, exporter_cls: type, out: Path, options: dict | None = None) -> Path:
    write_plan(export_sample(sample, exporter_cls, options), out)
    return out


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_matches_golden(out: Path, golden: Path) -> None:
    """``out`` holds exactly the golden files with the same bytes (text files compared as text, for diffs)."""
    if REGENERATE:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(out, golden)
    produced, expected = tree(out), tree(golden)
    assert sorted(produced) == sorted(expected)
    for name, content in produced.items():
        if name.endswith(TEXT_SUFFIXES):
            assert content.decode("utf-8") == expected[name].decode("utf-8"), name
        else:
            assert content == expected[name], name
