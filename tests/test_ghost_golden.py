"""Golden output: the whole Ghost export of one small sample, and the same bytes on a second run.

Regenerate after an intended change with ``JEKYLL_MIGRATE_REGEN_GOLDEN=1 pytest tests/test_ghost_golden.py``
and review the diff like code. The zip is compared entry by entry (its JSON and files are in
``zip/``); the byte-for-byte check of the zip itself is the second-run test.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

from exporters.ghost import GhostExporter
from migrate.export import build_plan
from migrate.plan import Plan, write_plan
from migrate.reader import read_site
from migrate.report import Report
from tests.conftest import SAMPLES_DIR

SAMPLE = "blog-classic"
GOLDEN = Path(__file__).parent / "golden" / "ghost" / SAMPLE
REGENERATE = os.environ.get("JEKYLL_MIGRATE_REGEN_GOLDEN") == "1"
TEXT = (".json", ".yaml", ".txt", ".md", ".html")


def _export() -> Plan:
    site = read_site(SAMPLES_DIR / SAMPLE)
    options, problems = GhostExporter.validate_options({})
    assert problems == []
    return build_plan(site, GhostExporter, options, Report())


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _unpacked(out: Path) -> Path:
    """The output folder with the zip replaced by its entries under ``zip/``."""
    with zipfile.ZipFile(out / "ghost-import.zip") as archive:
        archive.extractall(out / "zip")
    (out / "ghost-import.zip").unlink()
    return out


def test_ghost_export_matches_golden(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan(_export(), out)
    _unpacked(out)
    if REGENERATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    produced, expected = _tree(out), _tree(GOLDEN)
    assert sorted(produced) == sorted(expected)
    for name, content in produced.items():
        if name.endswith(TEXT):
            assert content.decode("utf-8") == expected[name].decode("utf-8"), name
        else:
            assert content == expected[name], name


def test_second_run_is_byte_identical() -> None:
    first, second = _export(), _export()
    assert sorted(first.files) == sorted(second.files)
    for name in first.files:
        assert first.files[name].read() == second.files[name].read(), name
    names = zipfile.ZipFile(io.BytesIO(first.files["ghost-import.zip"].read())).namelist()
    assert names == sorted(names) and "ghost-import.json" in names
