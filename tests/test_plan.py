"""The plan writer: safe paths, atomic replacement, refusal of foreign folders, dry-run diffs."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

import pytest

from migrate.errors import MigrateError, UnsafePathError
from migrate.plan import (
    MANIFEST_NAME,
    DocumentOutcome,
    Plan,
    check_output_place,
    diff_plan,
    safe_relative_path,
    write_plan,
)
from migrate.plan.writer import _folder_writer


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "../x", "a/../../x", "C:/Windows/x", "C:\\Windows\\x", "..\\..\\x", "", ".", "a\x00b"],
)
def test_unsafe_paths_are_refused(path):
    with pytest.raises(UnsafePathError):
        safe_relative_path(path)


@pytest.mark.parametrize(
    ("path", "expected"),
    [("a/b.md", "a/b.md"), ("a/./b", "a/b"), ("a/x/../b", "a/b"), ("a\\b", "a/b"), ("café/ü.md", "café/ü.md")],
)
def test_safe_paths_are_normalised(path, expected):
    assert safe_relative_path(path) == expected


def _plan(**files: str) -> Plan:
    plan = Plan(target="test")
    for name, text in files.items():
        plan.add_text(name.replace("__", "/"), text)
    plan.record(DocumentOutcome("a.md", "page", "/a.html", "/a/", "exported"))
    plan.finalise()
    return plan


def test_write_plan_writes_exactly_the_plan(tmp_path):
    out = tmp_path / "out"
    write_plan(_plan(a__b="1", c="2"), out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a/b", "c", MANIFEST_NAME,
    ]
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert manifest["tool"] == "jekyll-migrate"
    assert manifest["documents"] == [
        {"source": "a.md", "kind": "page", "old_url": "/a.html", "new_url": "/a/", "status": "exported"}
    ]
    # A second write replaces the folder: files no longer planned disappear.
    write_plan(_plan(c="3"), out)
    assert not (out / "a").exists()
    assert (out / "c").read_text() == "3"
    # No staging folders are left beside the output.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


NESTED = {
    "a/b.md": "1", "a/b/c": "2", "a/b-c/d": "3", "a/b/e/f": "4", "a/b/e/g": "5", "a/bz/h": "6", "z": "7",
    "a/b/x": "8", "deep/" * 20 + "leaf": "9",
}


@pytest.mark.parametrize("descriptors", [True, False], ids=["folder-descriptors", "paths"])
def test_write_plan_writes_every_file_of_a_nested_tree(tmp_path, monkeypatch, descriptors):
    if not descriptors:  # the writer for systems without dir_fd, tested here on this one
        monkeypatch.setattr(os, "supports_dir_fd", set())
    plan = Plan(target="test")
    for name, text in NESTED.items():
        plan.add_text(name, text * 600)  # some inline, some spooled
    plan.add_copy("copied/file.bin", Path(__file__))
    write_plan(plan, tmp_path / "out")
    written = {p.relative_to(tmp_path / "out").as_posix(): p.read_bytes()
               for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert written == {**{name: (text * 600).encode() for name, text in NESTED.items()},
                       "copied/file.bin": Path(__file__).read_bytes()}


@pytest.mark.parametrize("descriptors", [True, False], ids=["folder-descriptors", "paths"])
def test_a_symlink_in_the_staging_tree_cannot_redirect_a_write(tmp_path, descriptors):
    staging, outside = tmp_path / "staging", tmp_path / "outside"
    staging.mkdir()
    outside.mkdir()
    (staging / "a").symlink_to(outside)
    with pytest.raises(UnsafePathError, match=r"'a(/planted\.md)?'"), _folder_writer(staging, descriptors=descriptors) as folders:
        folders.create(PurePosixPath("a/planted.md"))
    assert list(outside.iterdir()) == []


def test_a_file_where_the_plan_needs_a_folder_is_a_clear_error(tmp_path):
    plan = Plan(target="test")
    plan.add_text("a", "file")
    plan.add_text("a/b", "needs a to be a folder")
    with pytest.raises(MigrateError, match="'a'"):
        write_plan(plan, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_an_output_place_that_cannot_be_written_is_refused_before_any_work(tmp_path):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(MigrateError, match="a-file is not a folder"):
        check_output_place(tmp_path / "a-file" / "out")
    check_output_place(tmp_path / "new" / "out")  # a folder that can be made is fine
    assert not (tmp_path / "new").exists()  # and the check made nothing


def test_foreign_output_folder_is_refused_unless_forced(tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("do not delete")
    with pytest.raises(MigrateError, match="--force"):
        write_plan(_plan(c="1"), out)
    assert (out / "thesis.tex").read_text() == "do not delete"
    write_plan(_plan(c="1"), out, force=True)
    assert not (out / "thesis.tex").exists()


def test_failure_while_writing_leaves_output_as_it_was(tmp_path):
    out = tmp_path / "out"
    write_plan(_plan(c="old"), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    plan = _plan(c="new")
    plan.add_copy("missing", tmp_path / "does-not-exist")
    with pytest.raises(MigrateError, match="does-not-exist"):
        write_plan(plan, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_diff_plan_reports_created_changed_removed_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    write_plan(_plan(keep="same", edit="old", gone="x"), out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    diff = diff_plan(_plan(keep="same", edit="new", fresh="y"), out)
    assert diff.created == ["fresh"]
    assert diff.changed == ["edit", MANIFEST_NAME]  # the manifest lists the files, so it changes too
    assert diff.removed == ["gone"]
    assert "keep" in diff.unchanged and diff.has_changes
    text = "".join(diff.unified())
    assert "-old" in text and "+new" in text
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes


def test_itemized_diff_speaks_per_item(tmp_path):
    out = tmp_path / "out"
    write_plan(_plan(**{"site.json": json.dumps({"a": "1", "b": "2"})}), out)
    plan = _plan(**{"site.json": json.dumps({"a": "1", "b": "3", "c": "4"})})
    plan.itemizers["site.json"] = lambda data: {k: v + "\n" for k, v in json.loads(data).items()}
    text = "".join(diff_plan(plan, out).unified())
    assert "item changed: b" in text and "item added: c" in text and "item changed: a" not in text


def test_identical_plans_give_identical_bytes(tmp_path):
    write_plan(_plan(x="1", y="2"), tmp_path / "one")
    write_plan(_plan(y="2", x="1"), tmp_path / "two")
    for name in ("x", "y", MANIFEST_NAME):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_large_contents_wait_in_the_spool_and_are_written_unchanged(tmp_path):
    import hashlib

    from migrate.plan import INLINE_MAX

    small, large = b"x" * INLINE_MAX, bytes(range(256)) * 5000
    plan = Plan(target="test")
    plan.add_bytes("small", small)
    plan.add_bytes("large", large)
    assert plan.files["small"].data == small and plan.files["small"].spooled is None
    assert plan.files["large"].data is None and plan.files["large"].content == large
    assert plan.files["large"].digest() == hashlib.sha256(large).hexdigest()
    assert plan.files["large"].size == len(large)
    plan.finalise()
    write_plan(plan, tmp_path / "out")
    assert (tmp_path / "out" / "large").read_bytes() == large
    assert (tmp_path / "out" / "small").read_bytes() == small


def test_a_stream_writes_one_file_piece_by_piece_and_can_go_back(tmp_path):
    import io
    import zipfile

    def make_zip(fileobj):
        with zipfile.ZipFile(fileobj, "w") as archive:
            for n in range(3):
                archive.writestr(f"f{n}.txt", f"member {n} ".encode() * 50_000, compresslevel=6,
                                 compress_type=zipfile.ZIP_DEFLATED)

    expected = io.BytesIO()
    make_zip(expected)
    plan = Plan(target="test")
    plan.add_bytes("before", b"b" * 2000)
    with plan.open_stream("out.zip") as out:  # zipfile seeks back to fill in each member's header
        make_zip(out)
    plan.add_bytes("after", b"a" * 2000)
    assert plan.files["out.zip"].read() == expected.getvalue()
    assert plan.files["before"].read() == b"b" * 2000 and plan.files["after"].read() == b"a" * 2000


def test_nothing_is_added_while_a_stream_is_open_and_a_failed_stream_is_dropped():
    plan = Plan(target="test")
    with pytest.raises(ValueError, match="half way"), plan.open_stream("big.json") as out:
        out.write(b"[" * 10_000)
        with pytest.raises(RuntimeError):
            plan.add_bytes("other", b"o" * 1000)
        raise ValueError("the exporter failed half way")
    assert "big.json" not in plan.files
    plan.add_bytes("other", b"o" * 1000)
    with plan.open_stream("big.json") as out:
        out.write_text("é" * 1000)
    assert plan.files["big.json"].read() == ("é" * 1000).encode()
    assert plan.files["other"].read() == b"o" * 1000
