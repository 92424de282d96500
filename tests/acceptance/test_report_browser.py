"""The HTML reports in a real browser (headless Chromium over the DevTools protocol): every sample's report on
each target opens with no console error and requests nothing; its summary equals migration.json; no
horizontal scroll at 1280 px; the search narrows the rows; a document with an image shows before and after;
keyboard and dark theme work; the verify report shows each redirect chain.

The shared corpora are checked the same way wherever ``JEKYLL_MIGRATE_CORPORA`` is set (CI sets it)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import tomli_w
import tomllib

from migrate.cli import main
from migrate.report_bodies import render_markdown, visible_text
from tests.acceptance.test_hugo_build import hugo_binary
from tests.conftest import SAMPLES_DIR
from tests.support.chromium import CHROMIUM, Browser, Page
from tests.support.local_http import serve_locally

pytestmark = [pytest.mark.acceptance,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it)")]

TARGETS = ("hugo", "wordpress", "ghost")
SAMPLES = sorted(p.name for p in SAMPLES_DIR.iterdir() if (p / "_config.yml").exists())
CORPORA = Path(os.environ.get("JEKYLL_MIGRATE_CORPORA", "/nonexistent"))
IMAGE_POST = "_posts/2020-08-10-with-an-excerpt.md"


def _cli(*argv: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(list(argv))


@pytest.fixture(scope="module")
def browser():
    with Browser(width=1280, height=900) as b:
        yield b


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$JEKYLL_MIGRATE_SCREENSHOTS`` (the README links the ones in docs/report/),
    else a temporary folder."""
    wanted = os.environ.get("JEKYLL_MIGRATE_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def export_report(site: Path, target: str, out: Path, *, dry_run: bool = True) -> Path:
    report = out.parent / f"{out.name}.html"
    code = _cli("export", str(site), "--to", target, "-o", str(out), "--report", str(report),
                *(["--dry-run"] if dry_run else []))
    assert code in (0, 1), f"export of {site.name} to {target} exited {code}"
    return report


OPEN_EVERY_DOCUMENT = """(async function () {
  var more = document.getElementById('docs-more');
  while (more && !more.hidden) more.click();
  var buttons = [...document.querySelectorAll('#docs-rows tr:not(.detail) .doc button')];
  var frames = 0;
  for (var i = 0; i < buttons.length; i += 25) {
    var batch = buttons.slice(i, i + 25);
    batch.forEach(b => b.click());
    for (var t = 0; t < 200 && document.querySelector('tr.detail[aria-busy]'); t++)
      await new Promise(r => setTimeout(r, 25));
    frames += document.querySelectorAll('tr.detail iframe').length;
    await new Promise(r => setTimeout(r, 150));
    batch.forEach(b => b.click());
  }
  document.querySelectorAll('details.group').forEach(d => d.open = true);
  var u = document.getElementById('urls-more');
  while (u && !u.hidden) u.click();
  await new Promise(r => setTimeout(r, 100));
  return [buttons.length, frames];
})()"""

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def check_report(browser: Browser, report: Path) -> dict:
    """Open ``report``, then every document's before and after, every issue group and the whole URL map;
    return what the page logged and requested and whether it scrolled sideways."""
    page = browser.open(report)
    try:
        assert page.eval("document.documentElement.getAttribute('data-ready')") == "1"
        overflow = page.eval(OVERFLOW)
        documents, frames = page.eval(OPEN_EVERY_DOCUMENT, timeout=600)
        return {"errors": page.console_errors(), "requests": page.requests(), "documents": documents,
                "frames": frames, "overflow": max(overflow, page.eval(OVERFLOW))}
    finally:
        page.close()


def wait_until(page: Page, expression: str, *, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.eval(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"never true: {expression}")
        time.sleep(0.05)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_report_opens_with_no_error_and_no_request(browser: Browser, tmp_path: Path, sample: str,
                                                          target: str) -> None:
    report = export_report(SAMPLES_DIR / sample, target, tmp_path / "out")
    seen = check_report(browser, report)
    print(f"REPORT_BROWSER {sample} {target} documents={seen['documents']} frames={seen['frames']} "
          f"bytes={report.stat().st_size}")
    assert seen["errors"] == []
    assert seen["requests"] == []
    assert seen["overflow"] <= 0
    assert seen["documents"] > 0 and seen["frames"] > 0


@pytest.mark.skipif(not CORPORA.is_dir(), reason="JEKYLL_MIGRATE_CORPORA is not set (CI sets it)")
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("corpus", sorted(p.name for p in CORPORA.iterdir() if p.is_dir()) if CORPORA.is_dir()
                         else ["(none)"])
def test_corpus_report_opens_with_no_error_and_no_request(browser: Browser, tmp_path: Path, corpus: str,
                                                          target: str) -> None:
    started = time.monotonic()
    report = export_report(CORPORA / corpus, target, tmp_path / "out")
    exported = time.monotonic() - started
    seen = check_report(browser, report)
    print(f"REPORT_BROWSER {corpus} {target} documents={seen['documents']} frames={seen['frames']} "
          f"bytes={report.stat().st_size} export_s={exported:.1f}")
    assert seen["errors"] == [] and seen["requests"] == [] and seen["overflow"] <= 0


def test_summary_equals_migration_json_and_the_page_works_at_1280(browser: Browser, tmp_path: Path,
                                                                  shots: Path) -> None:
    """A real export (it writes migration.json): the page's numbers are the manifest's, its URL map names
    every redirect of the manifest, its issue counts are the JSON report's; the search narrows the rows."""
    site = SAMPLES_DIR / "blog-classic"
    out = tmp_path / "out"
    report = export_report(site, "hugo", out, dry_run=False)
    manifest = json.loads((out / "migration.json").read_text("utf-8"))
    assert _cli("export", str(site), "--to", "hugo", "-o", str(tmp_path / "again"), "--dry-run", "--report",
                str(tmp_path / "r.json")) == 0
    issues = json.loads((tmp_path / "r.json").read_text("utf-8"))["issues"]["counts"]
    page = browser.open(report)
    shown = page.eval("Object.fromEntries([...document.querySelectorAll('[data-count]')]"
                      ".map(n => [n.getAttribute('data-count'), +n.textContent]))")
    for key in ("exported", "skipped", "failed"):
        assert shown[f"documents.{key}"] == manifest["counts"][key], key
    for key in ("error", "warning", "info"):
        assert shown[f"issues.{key}"] == issues[key], key
    old_urls = ({unquote(d["old_url"]) for d in manifest["documents"] if d["old_url"]}
                | {unquote(src) for src, _ in manifest["redirects"]} | {unquote(g["url"]) for g in manifest["generated"]})
    assert shown["old URLs.kept"] + shown["old URLs.redirected"] + shown["old URLs.lost"] == len(old_urls)
    assert shown["old URLs.lost"] == 0
    assert page.eval("document.getElementById('verdict').textContent").startswith("Migration complete")
    assert page.eval(OVERFLOW) <= 0
    page.screenshot(shots / "report-summary.png", clip={"x": 0, "y": 0, "width": 1280, "height": 520})

    # the URL map, filtered to redirects, names every redirect source of the manifest (as people read it)
    page.eval("document.querySelector('.filters[data-for=urls] button[data-status=redirected]').click()")
    page.eval("(() => { var m = document.getElementById('urls-more'); while (!m.hidden) m.click(); })()")
    listed = set(page.eval("[...document.querySelectorAll('#urls-rows tr td:first-child span')]"
                           ".flatMap(s => (s.title || s.textContent).split('\\n'))"))
    sources = {unquote(src) for src, _ in manifest["redirects"]}
    assert sources <= {unquote(u) for u in listed}
    fates = page.eval("[...document.querySelectorAll('#urls-rows td:nth-child(2)')].map(n => n.textContent)")
    assert set(fates) == {"redirected"} and len(fates) == shown["old URLs.redirected"]

    # the search narrows the document rows to those that match
    before = page.eval("document.querySelectorAll('#docs-rows tr').length")
    page.eval("(() => { var q = document.getElementById('q'); q.value = 'excerpt'; "
              "q.dispatchEvent(new Event('input')); })()")
    wait_until(page, f"document.querySelectorAll('#docs-rows tr').length < {before}")
    rows = page.eval("[...document.querySelectorAll('#docs-rows tr')].map(r => r.getAttribute('data-source'))")
    assert rows == [IMAGE_POST]
    assert page.eval("document.getElementById('docs-count').textContent") == f"1 of {len(manifest['documents'])} documents"
    assert page.console_errors() == [] and page.requests() == []
    page.close()


@pytest.mark.parametrize("target", TARGETS)
def test_a_document_with_an_image_shows_before_and_after_with_the_image(browser: Browser, tmp_path: Path,
                                                                        shots: Path, target: str) -> None:
    report = export_report(SAMPLES_DIR / "blog-classic", target, tmp_path / "out")
    page = browser.open(report)
    page.eval(f"location.hash = 'doc=' + encodeURIComponent({json.dumps(IMAGE_POST)})")
    wait_until(page, "document.querySelectorAll('tr.detail:not([aria-busy]) iframe').length == 2")
    frames = page.eval("[...document.querySelectorAll('tr.detail iframe')].map(f => [f.closest('figure').className, "
                       "f.getAttribute('sandbox'), f.srcdoc])")
    assert [(side, sandbox) for side, sandbox, _ in frames] == [("before", ""), ("after", "")]
    for side, _, srcdoc in frames:
        assert 'alt="A tiny square"' in srcdoc and 'src="data:image/png;base64,' in srcdoc, side
        assert "checklist (PDF)" in srcdoc
    assert page.eval("document.querySelector('tr.detail pre.diff').textContent") == "The two renderings read the same."
    time.sleep(0.3)
    if target == "hugo":
        page.eval("document.querySelector('tr.detail').previousSibling.scrollIntoView()")
        y = page.eval("window.scrollY")
        page.screenshot(shots / "report-before-after.png", clip={"x": 0, "y": y, "width": 1280, "height": 620})
    assert page.eval(OVERFLOW) <= 0
    assert page.console_errors() == [] and page.requests() == []
    page.close()


def test_keyboard_opens_a_document_and_an_issue_links_to_its_line(browser: Browser, tmp_path: Path) -> None:
    report = export_report(SAMPLES_DIR / "blog-classic", "hugo", tmp_path / "out")
    page = browser.open(report)
    page.eval("document.querySelector('#docs-rows .doc button').focus()")
    for kind in ("keyDown", "keyUp"):
        page.browser.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                     "windowsVirtualKeyCode": 13, "text": "\r"}, session=page.session)
    wait_until(page, "document.querySelector('tr.detail:not([aria-busy])') !== null")
    assert page.eval("document.querySelector('#docs-rows .doc button').getAttribute('aria-expanded')") == "true"

    # the issue liquid-undefined names _posts/2020-10-01-filters-at-work.md line 17: its link opens that line
    page.eval("document.querySelector('details.group[data-code=liquid-undefined]').open = true")
    wait_until(page, "document.querySelector('details.group[data-code=liquid-undefined] a') !== null")
    href = page.eval("document.querySelector('details.group[data-code=liquid-undefined] a').getAttribute('href')")
    assert href == "#doc=_posts%2F2020-10-01-filters-at-work.md&line=17"
    page.eval("document.querySelector('details.group[data-code=liquid-undefined] a').click()")
    wait_until(page, "document.querySelector('.ln.hit') !== null")
    assert page.eval("document.querySelector('.ln.hit').getAttribute('data-n')") == "17"
    assert "no_such_variable" in page.eval("document.querySelector('.ln.hit').textContent")
    assert page.console_errors() == []
    page.close()


def test_unicode_urls_read_as_written_with_the_encoded_form_on_hover(browser: Browser, tmp_path: Path) -> None:
    report = export_report(SAMPLES_DIR / "unicode-journal", "hugo", tmp_path / "out")
    page = browser.open(report)
    spans = page.eval("[...document.querySelectorAll('#urls-rows td:first-child span')]"
                      ".map(s => [s.textContent, s.title])")
    cyrillic = [(text, title) for text, title in spans if "привет" in text]
    assert cyrillic, spans
    assert all("%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82" in title for _, title in cyrillic)
    page.close()


def test_dark_theme(browser: Browser, tmp_path: Path) -> None:
    report = export_report(SAMPLES_DIR / "blog-classic", "ghost", tmp_path / "out")
    page = browser.open(report)
    light = page.eval("getComputedStyle(document.body).backgroundColor")
    page.browser.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
                      session=page.session)
    dark = page.eval("getComputedStyle(document.body).backgroundColor")
    assert light == "rgb(255, 255, 255)" and dark == "rgb(22, 24, 28)"
    page.close()


def test_verify_report_shows_each_redirect_chain(browser: Browser, tmp_path: Path) -> None:
    """/old/ -> /middle/ -> /new/ (200): its chain has three steps; /gone/ answers 404."""
    hops = {"/old/": "/middle/", "/middle/": "/new/", "/gone/": None}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if hops.get(path):
                self.send_response(301)
                self.send_header("Location", hops[path])
            else:
                self.send_response(200 if path in ("/new/", "/привет/") else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    map_file = tmp_path / "map.json"
    map_file.write_text(json.dumps({"redirects": [{"source": "/old/", "target": "/new/"},
                                                  {"source": "/gone/", "target": "/new/"},
                                                  {"source": "/%D1%81%D1%82/", "target": "/привет/"}]}))
    report = tmp_path / "verify.html"
    with serve_locally(Handler) as base:
        code = _cli("verify", str(map_file), "--base-url", base, "--report", str(report), "--retries", "0")
    assert code == 1
    page = browser.open(report)
    rows = page.eval("[...document.querySelectorAll('#checks-rows tr')].map(r => [r.cells[0].textContent, "
                     "[...r.querySelectorAll('.chain li')].map(li => li.textContent), r.cells[2].textContent])")
    by_source = {row[0]: row for row in rows}
    assert by_source["/old/"][1] == [f"{base}/old/ 301", f"{base}/middle/ 301", f"{base}/new/ 200"]
    assert by_source["/gone/"][1] == [f"{base}/gone/ 404"] and by_source["/gone/"][2].startswith("failed")
    assert by_source["/ст/"][1] == [f"{base}/ст/ 404"]  # read as written; the encoded form is the title
    assert page.eval("document.getElementById('verdict').textContent") == "3 of 3 old URLs do not answer as the map says."
    assert page.console_errors() == [] and page.requests() == []
    page.close()


STAND_IN_CASES = """\
Some *emphasis*, **strong**, `code`, a [link](/a/) and ~~struck~~ text.
{.note .info}

> A quote
{.purple}

## A heading {#my-id .x}

- one
- two
  1. nested
{.list}

| a | b |
|---|---|
| 1 | 2 |

A note[^1] and a line  
with a hard break.

Term
: Definition

```ruby
puts 1
```

<div class="raw">raw *html* kept</div>

![An image](/img/a.png "title")

[^1]: The note.
"""


def test_the_hugo_stand_in_reads_as_goldmark_with_the_exports_settings(tmp_path: Path) -> None:
    """The report renders Hugo's Markdown with markdown-it-py as a stand-in for Goldmark. With the Goldmark
    settings a real export writes (its hugo.toml), real Hugo renders the same constructs to the same text a
    reader sees, block by block, and the same attributes on the same blocks."""
    export_report(SAMPLES_DIR / "blog-classic", "hugo", tmp_path / "out", dry_run=False)
    markup = tomllib.loads((tmp_path / "out" / "hugo.toml").read_text("utf-8"))["markup"]
    site = tmp_path / "hugo-site"
    (site / "content").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
    (site / "layouts" / "_default" / "list.html").write_text("")
    (site / "hugo.toml").write_text(tomli_w.dumps({"baseURL": "http://example.org/", "markup": markup}))
    (site / "content" / "p.md").write_text("---\ntitle: p\n---\n" + STAND_IN_CASES)
    subprocess.run([str(hugo_binary()), "--quiet", "-s", str(site), "-d", str(site / "public")], check=True,
                   capture_output=True, timeout=120)
    built = (site / "public" / "p" / "index.html").read_text("utf-8")
    ours = render_markdown(STAND_IN_CASES)
    assert visible_text(ours) == visible_text(built)
    for marker in ('<p class="note info">', '<blockquote class="purple">', '<h2 id="my-id" class="x">',
                   '<ul class="list">', "<del>struck</del>", "<br", "<dl>", '<div class="raw">raw *html* kept</div>'):
        assert marker in built and marker in ours, marker
