"""What ``--renderer jekyll`` adds to an export: times ``export --to hugo`` of a site with the built-in renderer
and with the site's own Jekyll, interleaved, and prints the medians and the ``RENDERER_TIME`` line.

    python bench/renderer_time.py SITE [--runs 3] [--jobs 1]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"builtin": [], "jekyll": []}
    with tempfile.TemporaryDirectory(prefix="jm-renderer-bench-") as tmp:
        for run in range(args.runs):
            for renderer in ("builtin", "jekyll"):
                out = Path(tmp) / f"{renderer}-{run}"
                started = time.monotonic()
                proc = subprocess.run([sys.executable, "-m", "migrate", "export", args.site, "--to", "hugo", "-o",
                                       str(out), "--no-cache", "--jobs", str(args.jobs), "--renderer", renderer],
                                      capture_output=True, text=True, check=False)
                times[renderer].append(time.monotonic() - started)
                if proc.returncode not in (0, 1):
                    print(proc.stderr, file=sys.stderr)
                    return proc.returncode
    builtin, jekyll = statistics.median(times["builtin"]), statistics.median(times["jekyll"])
    print(f"RENDERER_TIME site={Path(args.site).name} runs={args.runs} builtin={builtin:.1f}s "
          f"jekyll={jekyll:.1f}s extra={jekyll - builtin:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
