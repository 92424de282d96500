"""The command line's errors: one clear line naming the file, no traceback, and refused before any work
when a place to write is unusable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.plan import MANIFEST_NAME

ROOT = Path(__file__).resolve().parents[1]


def test_export_into_an_unwritable_place_fails_early_without_a_traceback(tmp_path):
    (tmp_path / "a-file").write_text("x")
    run = subprocess.run(
        [sys.executable, "-m", "migrate", "export", str(ROOT / "samples" / "blog-classic"), "--to", "hugo",
         "-o", str(tmp_path / "a-file" / "out")], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2
    assert "a-file is not a folder" in run.stderr and "Traceback" not in run.stderr


def test_a_cache_folder_that_cannot_be_made_only_costs_the_cache(tmp_path):
    (tmp_path / "a-file").write_text("x")
    run = subprocess.run(
        [sys.executable, "-m", "migrate", "export", str(ROOT / "samples" / "blog-classic"), "--to", "hugo",
         "-o", str(tmp_path / "out"), "--cache", str(tmp_path / "a-file" / "cache")],
        capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "converting without a cache" in run.stderr and "Traceback" not in run.stderr
    assert (tmp_path / "out" / MANIFEST_NAME).is_file()


@pytest.mark.parametrize("command", [
    ["export", "SITE", "--to", "hugo", "-o", "TMP/out", "--report", "TMP/a-file/report.html"],
    ["redirects", "SITE", "--to", "hugo", "--format", "nginx", "-o", "TMP/a-file/redirects.conf"],
])
def test_a_report_or_redirect_file_that_cannot_be_written_is_refused_before_any_work(tmp_path, command):
    (tmp_path / "a-file").write_text("x")
    argv = [a.replace("SITE", str(ROOT / "samples" / "blog-classic")).replace("TMP", str(tmp_path)) for a in command]
    run = subprocess.run([sys.executable, "-m", "migrate", *argv], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2
    assert "a-file is not a folder" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()  # refused before the export was written


def test_a_system_error_anywhere_is_one_clear_line(tmp_path, monkeypatch, capsys):
    from migrate import cli

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "locked"))

    monkeypatch.setattr(cli, "_read", refuse)
    assert cli.main(["inspect", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"jekyll-migrate: [Errno 13] Permission denied: '{tmp_path / 'locked'}'"


@pytest.mark.parametrize("target", ["hugo", "wordpress", "ghost"])
def test_file_names_that_are_not_utf8_are_warned_about_not_fatal(tmp_path, target):
    from tests.test_reader_bad_input import _make_bad_names

    site = tmp_path / "site"
    shutil.copytree(ROOT / "samples" / "blog-classic", site)
    _make_bad_names(site)
    run = subprocess.run([sys.executable, "-m", "migrate", "export", str(site), "--to", target, "-o",
                          str(tmp_path / "out"), "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "warning[file-name-not-utf8] _posts/2020-01-03-bad\\xffname.md" in run.stderr
    assert (tmp_path / "out" / MANIFEST_NAME).is_file()
