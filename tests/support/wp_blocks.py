"""WordPress's own block code (npm, the wp/6.5 line) reading our block content: runs
``tests/support/wordpress/blocks/validate.js`` once for many sites and returns its counts per site.

The packages are those ``.ci/install.sh`` installs into ``$JM_NPM_PREFIX/wp-blocks``; on a developer machine
without them they are installed once into ``$JEKYLL_MIGRATE_TOOLS/wp-blocks`` (default
``~/.cache/jekyll-migrate``) from the same package.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "wordpress" / "blocks"
PACKAGE = HERE / "package.json"
SCRIPT = HERE / "validate.js"


def _installed(root: Path) -> bool:
    return (root / "node_modules" / "@wordpress" / "block-library").is_dir() and (
        (root / "package.json").exists() and (root / "package.json").read_bytes() == PACKAGE.read_bytes()
    )


def node_modules() -> Path:
    """The folder holding the pinned @wordpress packages and jsdom, installing them if needed."""
    prefix = Path(os.environ.get("JM_NPM_PREFIX", "/opt/jm-npm")) / "wp-blocks"
    if _installed(prefix):
        return prefix / "node_modules"
    root = Path(os.environ.get("JEKYLL_MIGRATE_TOOLS", Path.home() / ".cache" / "jekyll-migrate")) / "wp-blocks"
    if not _installed(root):
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to install WordPress's block packages (see .ci/install.sh)")
        root.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PACKAGE, root / "package.json")
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=root, check=True,
                       capture_output=True, timeout=900)
    return root / "node_modules"


def validate(sites: dict[str, Path], *, json_input: bool = False) -> dict[str, dict[str, Any]]:
    """Counts per site (see validate.js): ``sites`` maps a name to an export folder, or with ``json_input``
    to a JSON file of ``[{"id", "content"}]``."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is needed to run WordPress's block validator")
    args = [node, str(SCRIPT)] + (["--json"] if json_input else []) + [f"{k}={v}" for k, v in sites.items()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=1800, check=False,
                          env={**os.environ, "NODE_PATH": str(node_modules())})
    if done.returncode != 0:
        raise RuntimeError(f"validate.js failed ({done.returncode}): {done.stderr[-3000:]}")
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {r["site"]: r for r in results}
