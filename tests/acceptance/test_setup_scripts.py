"""The README's first command on a newcomer's PATH: a virtual environment of the system python3, twice."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, sample_sites

pytestmark = pytest.mark.acceptance

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
TARGETS = ("hugo", "wordpress", "ghost")


def fresh_checkout(into: Path) -> Path:
    """The tracked files of this tree (as a clone would have them, with any uncommitted edits), no .venv."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = REPO / name
        if not source.is_file():
            continue
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return into


def run_demo(checkout: Path) -> subprocess.CompletedProcess[str]:
    # The machine's environment (its certificates, its package index), but only the system's own folders on
    # PATH and no trace of the environment the tests run in.
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "JEKYLL_MIGRATE_HYPOTHESIS")}
    env["PATH"] = SYSTEM_PATH
    return subprocess.run(["bash", "scripts/demo.sh"], cwd=checkout, env=env, capture_output=True,
                          text=True, timeout=900)


def digest_tree(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".jekyll-migrate-cache" not in path.parts
    }


def test_demo_installs_into_a_venv_and_migrates_every_sample_twice_alike(tmp_path: Path) -> None:
    if not Path("/usr/bin/python3").exists():
        pytest.fail("the newcomer's python3 (/usr/bin/python3) is missing on this machine")
    checkout = fresh_checkout(tmp_path / "clone")

    first = run_demo(checkout)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    venv_python = checkout / ".venv" / "bin" / "python"
    assert venv_python.exists()
    # The environment is the system python3's, not whatever Python ran the tests.
    base = subprocess.run([str(venv_python), "-c", "import sys; print(sys.base_prefix)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert base == "/usr", base
    assert "creating" in first.stdout and "installing jekyll-migrate" in first.stdout

    out = checkout / "out"
    names = [site.name for site in sample_sites()]
    for name in names:
        for target in TARGETS:
            migration = out / f"{name}-{target}" / "migration.json"
            assert migration.is_file(), f"{name} -> {target} wrote no migration.json"
    before = digest_tree(out)

    second = run_demo(checkout)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "creating" not in second.stdout and "installing" not in second.stdout, second.stdout[:2000]
    assert digest_tree(out) == before
    print(f"SETUP demo samples={len(names)} targets={len(TARGETS)} exports={len(names) * len(TARGETS)} "
          f"second_run_identical=True")
