"""Real Jekyll is the oracle: the URLs it writes equal the URLs the reader computes, on every site."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migrate.cli import main
from migrate.ir import Site
from migrate.reader import read_site
from tests.conftest import REPO, all_sites, corpus_sites, site_id
from tests.support.jekyll import JekyllBuild, cached_jekyll_build

pytestmark = pytest.mark.acceptance

FIXTURES = REPO / "tests" / "fixtures" / "reader"


def fixture_sites() -> list[Path]:
    """Reader fixture sites that real Jekyll builds (the ``bad-*`` ones show input Jekyll rejects)."""
    return sorted(p.parent for p in FIXTURES.glob("*/_config.yml") if not p.parent.name.startswith("bad-"))


def ir_urls(site: Site) -> set[str]:
    """The URL set ``inspect --json`` describes: built documents (and the copies a language plugin wrote of
    them in other languages) and the redirect pages Jekyll writes."""
    urls: set[str] = set()
    for doc in site.documents:
        if doc.built_by_jekyll:
            urls.add(doc.url)
            urls.update(doc.redirect_from)
            urls.update(url for _, url in doc.language_copies)
    return urls


def json_urls(payload: dict) -> set[str]:
    """The same set read from the ``inspect --json`` output."""
    urls: set[str] = set()
    for doc in payload["documents"]:
        if doc["built"]:
            urls.add(doc["url"])
            urls.update(doc["redirect_from"])
            urls.update(copy["url"] for copy in doc["language_copies"])
    return urls


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory):
    root = tmp_path_factory.mktemp("jekyll-builds")
    return lambda site_dir, **options: cached_jekyll_build(site_dir, root, **options)


def _read_like(build: JekyllBuild, site_dir: Path, monkeypatch, **options) -> Site:
    monkeypatch.setenv("TZ", build.timezone)
    return read_site(site_dir, now=build.time, **options)


def _compare(name: str, build: JekyllBuild, site: Site) -> None:
    jekyll_urls, ours = build.urls, ir_urls(site)
    matched = jekyll_urls & ours
    print(f"\nURLS site={name} jekyll={len(jekyll_urls)} ours={len(ours)} matched={len(matched)}")
    assert sorted(jekyll_urls - ours) == [] and sorted(ours - jekyll_urls) == []


@pytest.mark.parametrize("site_dir", all_sites() + fixture_sites(), ids=site_id)
def test_urls_equal_jekyll(site_dir: Path, jekyll, monkeypatch):
    build = jekyll(site_dir)
    site = _read_like(build, site_dir, monkeypatch)
    _compare(site_dir.name, build, site)


@pytest.mark.parametrize("site_dir", all_sites() + fixture_sites(), ids=site_id)
def test_output_paths_and_static_files_equal_jekyll(site_dir: Path, jekyll, monkeypatch):
    build = jekyll(site_dir)
    site = _read_like(build, site_dir, monkeypatch)
    if build.languages:  # one source is written once per language: compare (source, output) pairs
        pairs = {(r["relative_path"], r["output"]) for r in build.records
                 if r["kind"] in ("post", "draft", "document", "page") and r["written"]}
        own = {(d.source, d.output_path) for d in site.documents if d.served_by_jekyll}
        assert own <= pairs and len({src for src, _ in pairs}) == len(own)
        static_pairs = {(s["relative_path"], s["url"]) for s in build.static_files if s["written"]}
        copies = {(g.template, g.url) for g in site.generated
                  if g.generator in ("jekyll-polyglot", "jekyll-multiple-languages-plugin")}
        assert {(s.source, s.url) for s in site.static_files} | copies == static_pairs
        return
    written = {r["relative_path"]: r["output"] for r in build.records
               if r["kind"] in ("post", "draft", "document", "page") and r["written"]}
    ours = {d.source: d.output_path for d in site.documents if d.built_by_jekyll}
    assert ours == written
    statics = {s["relative_path"]: s["url"] for s in build.static_files if s["written"] and not s.get("theme")}
    assert {s.source: s.url for s in site.static_files} == statics


@pytest.mark.parametrize("site_dir", all_sites(), ids=site_id)
def test_inspect_json_urls_equal_jekyll(site_dir: Path, jekyll, monkeypatch):
    """The CLI's ``inspect --json`` (what users and other tools read) gives the same set."""
    build = jekyll(site_dir)
    monkeypatch.setenv("TZ", build.timezone)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["inspect", "--json", str(site_dir)])
    assert code in (0, 1)
    assert json_urls(json.loads(out.getvalue())) == build.urls


FLAG_CASES = [
    ("drafts", {"drafts": True}),
    ("future", {"future": True}),
    ("unpublished", {"unpublished": True}),
]


@pytest.mark.parametrize("flag,options", FLAG_CASES, ids=[c[0] for c in FLAG_CASES])
def test_flags_match_jekyll(flag: str, options: dict, jekyll, monkeypatch):
    site_dir = FIXTURES / "flags"
    build = jekyll(site_dir, **options)
    site = _read_like(build, site_dir, monkeypatch, **options)
    _compare(f"flags+{flag}", build, site)


def test_several_config_files_match_jekyll(jekyll, monkeypatch):
    site_dir = FIXTURES / "config-multi"
    files = ("_config.yml", "_config.prod.yml")
    build = jekyll(site_dir, config_files=files)
    site = _read_like(build, site_dir, monkeypatch, config_files=list(files))
    _compare("config-multi+prod", build, site)
    assert build.urls != jekyll(site_dir).urls  # the second file really changed the URLs


def test_inspect_speed_on_jekyll_docs():
    """The issue's budget: ``inspect`` on jekyllrb.com's docs in under two seconds."""
    sites = [p for p in corpus_sites() if p.name == "jekyll-docs"]
    if not sites:
        pytest.skip("JEKYLL_MIGRATE_CORPORA is not set")
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = main(["inspect", "--json", str(sites[0])])
    seconds = time.perf_counter() - start
    print(f"\nTIMING inspect site=jekyll-docs seconds={seconds:.2f} documents={len(json.loads(out.getvalue())['documents'])}")
    assert code in (0, 1)
    assert seconds < 2.0
    # the same as a fresh process, interpreter start-up included
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "migrate", "inspect", "--json", str(sites[0])],
                          capture_output=True, text=True, timeout=60, cwd=REPO, check=False)
    wall = time.perf_counter() - start
    print(f"TIMING inspect-process site=jekyll-docs seconds={wall:.2f}")
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert wall < 2.0


def test_oracle_strips_missing_plugins_only(jekyll):
    """Plugins that are not installed are left out of the build and named; installed ones stay."""
    sites = [p for p in corpus_sites() if p.name == "jekyll-docs"]
    if not sites:
        pytest.skip("JEKYLL_MIGRATE_CORPORA is not set")
    build = jekyll(sites[0])
    # CI installs jekyll-mentions (modelled) and jekyll-avatar (the --renderer jekyll tests load it)
    assert set(build.stripped_plugins) == {"jemoji"}
    assert any(r["kind"] == "redirect" for r in build.records)  # jekyll-redirect-from stayed




PROBE_STRINGS = [
    "The _config.yml file", "The _cönfig.yml file", "Привет, мир!", "  spaces  around  ", "C++ & C#",
    "50% off? yes!", "emoji 🎉 party", "日本語のタイトル", "Ünïcødé Tëst!", "über straße", "a--b__c..d",
    "(v2) [draft] {x}", "tab\tand\nnewline", "x:y/z", "Ça va", "Łódź Æsir Þór", "hello#world?q=1",
    "1999", "edge case", "dots...", "mailto:me", "100%25",
]
SLUG_MODES = [None, "raw", "default", "pretty", "ascii", "latin", "none"]

_RUBY_PROBE = r"""
require "jekyll"
require "json"
strings = JSON.parse(STDIN.read)
modes = [nil, "raw", "default", "pretty", "ascii", "latin", "none"]
Jekyll.logger.log_level = :error
out = {
  "slugify" => strings.map { |s| modes.map { |m| [Jekyll::Utils.slugify(s, mode: m), Jekyll::Utils.slugify(s, mode: m, cased: true)] } },
  "escape" => strings.map { |s| begin; Jekyll::URL.escape_path(s); rescue StandardError => e; "ERROR"; end },
}
puts JSON.generate(out)
"""


def test_slugify_and_escape_equal_jekyll_utils():
    """Our ``slugify`` (every mode) and ``escape_path`` give what Jekyll's own functions give."""
    from migrate.reader.urls import UrlError, escape_path, slugify

    proc = subprocess.run(
        ["ruby", "-e", _RUBY_PROBE], input=json.dumps(PROBE_STRINGS), capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    ruby = json.loads(proc.stdout)
    mismatches = []
    for text, results in zip(PROBE_STRINGS, ruby["slugify"]):
        for mode, (plain, cased) in zip(SLUG_MODES, results):
            if slugify(text, mode) != plain or slugify(text, mode, True) != cased:
                mismatches.append((text, mode, plain, slugify(text, mode)))
    for text, expected in zip(PROBE_STRINGS, ruby["escape"]):
        try:
            ours = escape_path(text)
        except UrlError:
            ours = "ERROR"
        if ours != expected:
            mismatches.append((text, "escape", expected, ours))
    print(f"\nSLUGIFY strings={len(PROBE_STRINGS)} modes={len(SLUG_MODES)} mismatches={len(mismatches)}")
    assert mismatches == []


def test_an_unknown_site_timezone_reads_dates_as_jekyll_does(tmp_path, jekyll, monkeypatch):
    """Jekyll puts the site's ``timezone`` in ``TZ``; a name the C library does not know means UTC, whatever
    zone the machine is in. A post at 20:00 UTC lands on the next day in Tokyo."""
    site_dir = tmp_path / "site"
    (site_dir / "_posts").mkdir(parents=True)
    (site_dir / "_config.yml").write_text("timezone: Mars/Olympus\n")
    (site_dir / "_posts" / "2020-01-01-late.md").write_text(
        "---\ntitle: Late\ndate: 2020-01-01 20:00:00 +0000\n---\nLate.\n")
    build = jekyll(site_dir, tz="Asia/Tokyo")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    site = read_site(site_dir, now=build.time)
    _compare("unknown-timezone", build, site)
    assert build.urls == {"/2020/01/01/late.html"}
    assert [i.code for i in site.issues] == ["unknown-timezone"]


def _written(dest: Path) -> set[str]:
    return {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()}


@pytest.mark.parametrize("safe", [True, False], ids=["safe", "unsafe"])
def test_symbolic_links_as_jekyll_follows_them(tmp_path, safe, monkeypatch):
    """Fixture symlinks plus links out of the site, built by Debian's Jekyll with and without ``--safe``
    (the dumping plugin cannot run in safe mode: the files written are compared). Inside the site both
    modes follow the same links as the reader; outside it safe mode refuses them as the reader does, and
    the unsafe build also copies what they point to, which the reader never reads."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "symlinks", site, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not the site's\n", "utf-8")
    os.symlink(outside, site / "outside-dir")
    os.symlink(outside / "secret.txt", site / "outside.txt")
    dest = tmp_path / "out"
    cmd = ["jekyll", "build", "--source", str(site), "--destination", str(dest), "--disable-disk-cache"]
    proc = subprocess.run(cmd + (["--safe"] if safe else []), capture_output=True, text=True, timeout=300,
                          cwd=tmp_path, env={**os.environ, "TZ": "UTC", "LANG": "C.UTF-8"}, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    monkeypatch.setenv("TZ", "UTC")
    ours = read_site(site)
    expected = {d.output_path for d in ours.documents if d.built_by_jekyll} | {
        s.url.lstrip("/") for s in ours.static_files}
    written = _written(dest)
    print(f"\nSYMLINKS safe={safe} jekyll_files={len(written)} ours={len(expected)}")
    refused = {i.source for i in ours.issues if i.code == "symlink" and i.severity == "warning"}
    assert refused == {"outside-dir", "outside.txt"}
    assert written - expected == (set() if safe else {"outside-dir/secret.txt", "outside.txt"})
    assert expected - written == set()
