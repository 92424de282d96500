"""The code fingerprint that keys the conversion cache and the up-to-date record."""

from __future__ import annotations

from pathlib import Path

from migrate import __version__
from migrate.fingerprint import fingerprint_of, tool_fingerprint


def test_any_change_to_the_code_or_templates_changes_the_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "migrate").mkdir()
    (tmp_path / "exporters" / "hugo_layouts").mkdir(parents=True)
    code = tmp_path / "migrate" / "convert.py"
    layout = tmp_path / "exporters" / "hugo_layouts" / "single.html"
    code.write_text("A = 1\n")
    layout.write_text("{{ .Content }}")
    first = fingerprint_of(tmp_path)
    assert first == fingerprint_of(tmp_path)

    code.write_text("A = 2\n")
    second = fingerprint_of(tmp_path)
    layout.write_text("<main>{{ .Content }}</main>")
    third = fingerprint_of(tmp_path)
    (tmp_path / "migrate" / "convert.pyc").write_bytes(b"compiled")  # not source: no change
    assert len({first, second, third}) == 3
    assert fingerprint_of(tmp_path) == third
    assert all(f.startswith(__version__ + "+") for f in (first, second, third))


def test_the_installed_tool_has_one_fingerprint() -> None:
    assert tool_fingerprint() == fingerprint_of(Path(__file__).resolve().parent.parent)
