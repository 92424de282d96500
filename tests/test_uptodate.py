"""An export that would change nothing is skipped, and only then (issue 10: the rerun of an unchanged site)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from migrate.cli import main
from migrate.uptodate import RunRecords
from tests.conftest import SAMPLES_DIR

UP_TO_DATE = "is up to date"


def _cli(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, err.getvalue()


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLES_DIR / "blog-classic", copy)
    return copy


def _export(site: Path, out: Path, *extra: str, target: str = "hugo") -> tuple[int, str]:
    return _cli("export", str(site), "--to", target, "-o", str(out), "--cache", str(out.parent / "cache"), *extra)


@pytest.mark.parametrize("target", ["hugo", "wordpress", "ghost"])
def test_second_export_of_unchanged_site_is_skipped_and_replays_the_report(target, site, tmp_path):
    out = tmp_path / "out"
    code, first = _export(site, out, target=target)
    assert UP_TO_DATE not in first
    before = _tree(out)
    again, second = _export(site, out, target=target)
    assert UP_TO_DATE in second
    assert again == code
    assert _tree(out) == before  # not even rewritten: same bytes and same modification times
    # The same issues and the same accounting line as the run that wrote the output.
    issue_lines = lambda text: [ln for ln in text.splitlines() if ln.startswith(("error[", "warning[", "info["))]
    assert issue_lines(second) == issue_lines(first)
    assert second.strip().splitlines()[-1] == first.strip().splitlines()[-1]


def test_a_changed_post_runs_the_export_again(site, tmp_path):
    out = tmp_path / "out"
    _export(site, out)
    post = min((site / "_posts").glob("*.md"))
    post.write_text(post.read_text("utf-8") + "\nA sentence added after the first export.\n", "utf-8")
    _, err = _export(site, out)
    assert UP_TO_DATE not in err
    assert any("A sentence added after the first export." in p.read_text("utf-8", "replace")
               for p in (out / "content").rglob("*.md"))


def test_a_new_file_in_the_site_runs_the_export_again(site, tmp_path):
    out = tmp_path / "out"
    _export(site, out)
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / "new.txt").write_text("new\n", "utf-8")
    _, err = _export(site, out)
    assert UP_TO_DATE not in err
    assert list(out.rglob("new.txt"))


@pytest.mark.parametrize("damage", ["delete", "edit", "add"])
def test_a_touched_output_folder_is_written_again(damage, site, tmp_path):
    out = tmp_path / "out"
    _export(site, out)
    expected = {k: v[0] for k, v in _tree(out).items()}
    victim = out / "hugo.toml"
    if damage == "delete":
        victim.unlink()
    elif damage == "edit":
        victim.write_text(victim.read_text("utf-8") + "# edited by hand\n", "utf-8")
    else:
        (out / "stray.txt").write_text("not ours\n", "utf-8")
    _, err = _export(site, out)
    assert UP_TO_DATE not in err
    assert {k: v[0] for k, v in _tree(out).items()} == expected


def test_other_options_or_no_cache_run_the_export_again(site, tmp_path):
    out = tmp_path / "out"
    _export(site, out)
    assert UP_TO_DATE not in _export(site, out, "--urls", "hugo")[1]
    assert UP_TO_DATE in _export(site, out, "--urls", "hugo")[1]
    assert UP_TO_DATE not in _cli("export", str(site), "--to", "hugo", "-o", str(out), "--no-cache")[1]
    # a dry run never replays: it compares the plan with the folder
    _, err = _export(site, out, "--urls", "hugo", "--dry-run")
    assert UP_TO_DATE not in err


def test_a_record_expires_when_a_future_post_falls_due(site, tmp_path):
    post = site / "_posts" / "2999-01-01-far-future.md"
    post.write_text("---\ntitle: Later\n---\nNot yet.\n", "utf-8")
    out = tmp_path / "out"
    _export(site, out)
    records = RunRecords(tmp_path / "cache")
    path = next((tmp_path / "cache" / "runs").glob("*.json"))
    import json

    inputs = json.loads(path.read_text("utf-8"))["inputs"]
    assert records.replay(out, inputs) is not None
    assert records.replay(out, inputs, now=dt.datetime(2999, 1, 2, tzinfo=dt.timezone.utc)) is None


def test_output_and_cache_inside_the_site_do_not_count_as_inputs(site, tmp_path):
    out = site / "_site-hugo"  # an underscore folder: Jekyll, and so the reader, ignores it
    assert UP_TO_DATE not in _cli("export", str(site), "--to", "hugo", "-o", str(out))[1]
    assert (site / ".jekyll-migrate-cache").is_dir()
    assert UP_TO_DATE in _cli("export", str(site), "--to", "hugo", "-o", str(out))[1]
