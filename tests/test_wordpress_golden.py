"""Golden output: the whole WordPress export of one small sample, file by file, and byte-identical reruns
(see tests/support/golden.py)."""

from __future__ import annotations

from pathlib import Path

from exporters.wordpress import WordPressExporter
from tests.support.golden import GOLDEN_ROOT, assert_matches_golden, tree, write_sample

SAMPLE = "blog-classic"


def test_wordpress_export_matches_golden(tmp_path: Path) -> None:
    out = write_sample(SAMPLE, WordPressExporter, tmp_path / "out")
    assert_matches_golden(out, GOLDEN_ROOT / "wordpress" / SAMPLE)


def test_second_run_is_byte_identical(tmp_path: Path) -> None:
    one = write_sample(SAMPLE, WordPressExporter, tmp_path / "one")
    two = write_sample(SAMPLE, WordPressExporter, tmp_path / "two")
    assert tree(one) == tree(two)


BLOCKS = {"wp_content": "blocks"}


def test_wordpress_blocks_export_matches_golden(tmp_path: Path) -> None:
    """``--wp-content blocks``: the same export with each body as core blocks (see test_wordpress_blocks)."""
    out = write_sample(SAMPLE, WordPressExporter, tmp_path / "out", BLOCKS)
    assert_matches_golden(out, GOLDEN_ROOT / "wordpress-blocks" / SAMPLE)


def test_blocks_second_run_is_byte_identical(tmp_path: Path) -> None:
    one = write_sample(SAMPLE, WordPressExporter, tmp_path / "one", BLOCKS)
    two = write_sample(SAMPLE, WordPressExporter, tmp_path / "two", BLOCKS)
    assert tree(one) == tree(two)
