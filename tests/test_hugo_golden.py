"""Golden output: the whole Hugo export of one small sample, file by file (see tests/support/golden.py)."""

from __future__ import annotations

from exporters.hugo import HugoExporter
from tests.support.golden import GOLDEN_ROOT, assert_matches_golden, write_sample

SAMPLE = "unicode-journal"


def test_hugo_export_matches_golden(tmp_path):
    out = write_sample(SAMPLE, HugoExporter, tmp_path / "out")
    assert_matches_golden(out, GOLDEN_ROOT / "hugo" / SAMPLE)
