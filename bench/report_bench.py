"""Times the HTML report of a big site in headless Chromium: file size, time to interactive, search, opening a document.

``python bench/report_bench.py --posts 10000 --runs 5`` generates the site (``generate_site.py``), writes
``export --to hugo --dry-run --report report.html`` (and the other targets with ``--targets``), opens the
page ``--runs`` times in a fresh tab of one Chromium at 1280 px and prints medians:

- ``interactive_ms``: from navigation start to the page's script having drawn the summary, the first rows,
  the filters and the issue groups and bound the search (``performance.mark('jm-interactive')``);
- ``load_ms``: navigation start to the load event;
- ``search_ms``: typing a query into the search box until the rows are redrawn;
- ``open_ms``: clicking a document until its before/after frames are in place (the first click unpacks
  the bodies);
- the file's size, and how much of it is the packed bodies.
Run it from the repository root with ``PYTHONPATH=.`` (it uses ``tests/support/chromium.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate_site import generate

from migrate.cli import main
from tests.support.chromium import Browser

MEASURE = """(async function () {
  var t = performance.getEntriesByName('jm-interactive')[0].startTime;
  var load = performance.getEntriesByType('navigation')[0].loadEventStart;
  var rows = document.querySelectorAll('#docs-rows tr').length;
  var q = document.getElementById('q');
  var s0 = performance.now();
  q.value = 'migration'; q.dispatchEvent(new Event('input'));
  while (document.getElementById('docs-count').textContent.indexOf(' of ') < 0) await new Promise(r => setTimeout(r, 5));
  var search = performance.now() - s0 - 60;  // the search waits 60 ms for typing to pause
  var o0 = performance.now();
  document.querySelector('#docs-rows .doc button').click();
  while (document.querySelector('tr.detail[aria-busy]') || !document.querySelector('tr.detail iframe'))
    await new Promise(r => setTimeout(r, 5));
  var open = performance.now() - o0;
  return [t, load, rows, search, open, document.documentElement.scrollWidth - document.documentElement.clientWidth];
})()"""


def build(site: Path, target: str, report: Path) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["export", str(site), "--to", target, "-o", str(report.parent / f"out-{target}"), "--dry-run",
                     "--report", str(report)])
    if code not in (0, 1):
        raise SystemExit(f"export to {target} exited {code}")
    return time.perf_counter() - started


def measure(report: Path, runs: int) -> dict[str, float]:
    rows: list[list[float]] = []
    with Browser(width=1280, height=900) as browser:
        for _ in range(runs):
            page = browser.open(report)
            rows.append(page.eval(MEASURE, timeout=120))
            errors, requests = page.console_errors(), page.requests()
            page.close()
            if errors or requests:
                raise SystemExit(f"console errors {errors[:3]} or requests {requests[:3]}")
    keys = ("interactive_ms", "load_ms", "rows", "search_ms", "open_ms", "overflow_px")
    return {k: statistics.median(r[i] for r in rows) for i, k in enumerate(keys)}


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--targets", nargs="+", default=["hugo"])
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jm-report-bench-") as tmp:
        work = args.work or Path(tmp)
        site = work / f"site-{args.posts}"
        if not (site / "_config.yml").exists():
            generate(site, args.posts)
        for target in args.targets:
            report = work / f"report-{args.posts}-{target}.html"
            seconds = build(site, target, report)
            page = report.read_text("utf-8")
            packed = re.search(r"id='jm-bodies'>(.*?)</script>", page, re.DOTALL)
            index = re.search(r"id='jm-index'>(.*?)</script>", page, re.DOTALL)
            m = measure(report, args.runs)
            print(f"BENCH_REPORT posts={args.posts} target={target} bytes={report.stat().st_size} "
                  f"index_bytes={len(index.group(1)) if index else 0} "
                  f"packed_bodies_bytes={len(packed.group(1)) if packed else 0} write_s={seconds:.1f} "
                  + " ".join(f"{k}={v:.0f}" for k, v in m.items()))


if __name__ == "__main__":
    main_bench()
