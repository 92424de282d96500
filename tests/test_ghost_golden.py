"""Golden output: the whole Ghost export of one small sample, and the same bytes on a second run.

The zip is compared entry by entry (its JSON and files are in ``zip/`` of the golden folder); the
byte-for-byte check of the zip itself is the second-run test. See tests/support/golden.py.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from exporters.ghost import GhostExporter
from migrate.plan import write_plan
from tests.support.golden import GOLDEN_ROOT, assert_matches_golden, export_sample

SAMPLE = "blog-classic"


def _unpacked(out: Path) -> Path:
    """The output folder with the zip replaced by its entries under ``zip/``."""
    with zipfile.ZipFile(out / "ghost-import.zip") as archive:
        archive.extractall(out / "zip")
    (out / "ghost-import.zip").unlink()
    return out


def test_ghost_export_matches_golden(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan(export_sample(SAMPLE, GhostExporter), out)
    assert_matches_golden(_unpacked(out), GOLDEN_ROOT / "ghost" / SAMPLE)


def test_second_run_is_byte_identical() -> None:
    first, second = export_sample(SAMPLE, GhostExporter), export_sample(SAMPLE, GhostExporter)
    assert sorted(first.files) == sorted(second.files)
    for name in first.files:
        assert first.files[name].read() == second.files[name].read(), name
    names = zipfile.ZipFile(io.BytesIO(first.files["ghost-import.zip"].read())).namelist()
    assert names == sorted(names) and "ghost-import.json" in names
