"""Dry run, --check, --diff, determinism and interrupted runs, for every exporter (issue 8)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migrate.cli import main
from tests.conftest import REPO, SAMPLES_DIR

pytestmark = pytest.mark.acceptance

TARGETS = ("hugo", "wordpress", "ghost")
SAMPLE = SAMPLES_DIR / "blog-classic"


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under root with its content hash and mtime."""
    return {
        p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture()
def site(tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy)
    return copy


@pytest.mark.parametrize("target", TARGETS)
def test_dry_run_writes_nothing(target, site, tmp_path):
    out = tmp_path / "out"
    code, stdout, _ = _cli("export", str(site), "--to", target, "-o", str(out), "--dry-run")
    assert code in (0, 1)
    assert not out.exists()
    assert "to create" in stdout
    # Against an existing export: nothing changes on disk, and nothing is reported as changing.
    assert _cli("export", str(site), "--to", target, "-o", str(out), "--no-cache")[0] in (0, 1)
    before = _snapshot(tmp_path)
    code, stdout, _ = _cli("export", str(site), "--to", target, "-o", str(out), "--dry-run", "--diff")
    assert _snapshot(tmp_path) == before
    assert "0 to create, 0 to change, 0 to remove" in stdout


@pytest.mark.parametrize("target", TARGETS)
def test_check_and_diff_show_exactly_the_changed_post(target, site, tmp_path):
    out = tmp_path / "out"
    assert _cli("export", str(site), "--to", target, "-o", str(out), "--no-cache")[0] in (0, 1)
    assert _cli("export", str(site), "--to", target, "-o", str(out), "--check")[0] == 0
    post = next(p for p in sorted((site / "_posts").glob("*.md")))
    post.write_text(post.read_text("utf-8") + "\nA sentence added for the diff test.\n", "utf-8")
    code, stdout, _ = _cli("export", str(site), "--to", target, "-o", str(out), "--check", "--diff")
    assert code == 1
    assert "A sentence added for the diff test." in stdout
    changed = [line.split(" ", 3)[-1] for line in stdout.splitlines() if line.startswith("  change ")]
    assert not [line for line in stdout.splitlines() if line.startswith(("  create ", "  remove "))]
    slug = post.stem[11:]  # the file name without its date
    items = [line for line in stdout.splitlines() if " item " in line and line.split(": ", 1)[0] in changed]
    single_file = {"wordpress": {"wordpress.xml"}, "ghost": {"ghost-import.json", "ghost-import.zip"}}
    if target in single_file:
        # One file holds every post: the diff speaks per item, and exactly one item changed.
        assert set(changed) <= single_file[target] and changed
        assert len([i for i in items if "item changed" in i]) == 1 and slug in items[0], items
        assert not [i for i in items if "item added" in i or "item removed" in i]
    else:
        assert len(changed) == 1 and slug in changed[0], changed


@pytest.mark.parametrize("target", TARGETS)
def test_two_runs_are_byte_identical(target, site, tmp_path):
    for name in ("a", "b"):
        assert _cli("export", str(site), "--to", target, "-o", str(tmp_path / name), "--no-cache",
                    "--jobs", "1" if name == "a" else "2")[0] in (0, 1)
    a = {k: v[0] for k, v in _snapshot(tmp_path / "a").items()}
    b = {k: v[0] for k, v in _snapshot(tmp_path / "b").items()}
    assert a == b


def _wait_until_stopped(pid: int) -> None:
    deadline = time.monotonic() + 30
    while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "T":
        assert time.monotonic() < deadline, "the run did not stop"
        time.sleep(0.001)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_killed_run_leaves_output_as_before(sig, site, tmp_path):
    out = tmp_path / "out"
    assert _cli("export", str(site), "--to", "hugo", "-o", str(out), "--no-cache")[0] in (0, 1)
    before = _snapshot(out)
    # Many static files make the writing phase long enough to be interrupted while it runs.
    bulk = site / "assets" / "bulk"
    bulk.mkdir(parents=True)
    for i in range(30000):
        (bulk / f"f{i:05d}.txt").write_bytes(b"x" * 2048)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for _attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "migrate", "export", str(site), "--to", "hugo", "-o",
                                 str(out), "--no-cache", "--jobs", "1"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                # Ctrl-C as a terminal sends it: a run started in the background (a CI job)
                                # inherits SIGINT ignored, and Python then keeps ignoring it
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + 120
        while not any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir()):
            assert proc.poll() is None, "the run finished before it started writing"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        # Frozen the moment its staging folder shows, so a busy machine cannot let it finish unseen; the
        # staging folder still there proves it is inside the writing phase (the swap renames it away).
        proc.send_signal(signal.SIGSTOP)
        _wait_until_stopped(proc.pid)  # a signal lands when the process next leaves the kernel, not at once
        if any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir()):
            break
        proc.send_signal(signal.SIGCONT)  # it got past the swap before it stopped: let it end, try again
        proc.communicate(timeout=120)
        before = _snapshot(out)
    else:
        pytest.fail("three runs all finished writing before they could be stopped")
    proc.send_signal(sig)
    if sig != signal.SIGKILL:
        proc.send_signal(signal.SIGCONT)  # a stopped process handles SIGINT once it runs again
    proc.communicate(timeout=60)
    assert _snapshot(out) == before
    if sig == signal.SIGINT:  # an orderly interruption also removes its staging folder
        assert proc.returncode != 0
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


def test_permalink_climbing_out_writes_nothing_outside(tmp_path):
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\n")
    (site / "_posts" / "2020-01-01-x.md").write_text("---\ntitle: X\npermalink: /../../etc/x\n---\nbody\n")
    (site / "evil.md").write_text("---\ntitle: E\npermalink: /../../../evil.html\n---\nbody\n")
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    for target in TARGETS:
        out = sandbox / "deep" / target
        code, _, err = _cli("export", str(site), "--to", target, "-o", str(out), "--no-cache")
        assert code in (0, 1)
        outside = [p for p in tmp_path.rglob("*") if p.is_file() and sandbox / "deep" not in p.parents
                   and site not in p.parents]
        assert outside == []
        assert not Path("/etc/x").exists()
        assert "etc" in err or "permalink" in err or "outside" in err


def test_html_report_renders_in_chromium(site, tmp_path):
    chromium = shutil.which("chromium")
    assert chromium, "Debian chromium is installed by .ci/install.sh"
    report = tmp_path / "report.html"
    code, _, err = _cli("export", str(site), "--to", "hugo", "-o", str(tmp_path / "out"), "--report", str(report),
                        "--no-cache")
    assert code in (0, 1) and report.exists()
    profile = tmp_path / "profile"
    common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              f"--user-data-dir={profile}"]
    shot = tmp_path / "report.png"
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1200,900", report.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 5000
    dom = subprocess.run([*common, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120)
    text = dom.stdout
    import re
    counts = re.search(r"read (\d+), exported (\d+)", err)
    assert counts
    # the summary the browser shows holds the counts the command printed
    assert f"{counts.group(1)} documents read." in text
    assert f'<b data-count="documents.exported">{counts.group(2)}</b> exported' in text
