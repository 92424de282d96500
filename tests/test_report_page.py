"""The HTML report's data: each document before and after, their text diff, URL fates, issues grouped by code,
images resolved and embedded once; one self-contained file (the browser checks are in
tests/acceptance/test_report_browser.py)."""

from __future__ import annotations

import base64
import contextlib
import gzip
import io
import json
import re
import time
from pathlib import Path

from migrate.cli import main
from migrate.ir import Issue
from migrate.plan import DocumentOutcome, Plan
from migrate.redirects.core import Redirect, RedirectMap
from migrate.report import Report
from migrate.report_bodies import render_markdown, text_diff, visible_text
from migrate.report_page import render_html, report_data, url_fates
from tests.conftest import SAMPLES_DIR


def _cli(*argv: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(list(argv))


def page_parts(page: str) -> tuple[dict, list[str], list[str]]:
    """The index, bodies and images a page embeds."""
    index = json.loads(re.search(r"id='jm-index'>(.*?)</script>", page, re.DOTALL).group(1))
    packed = re.search(r"id='jm-bodies'>(.*?)</script>", page, re.DOTALL).group(1)
    bodies = json.loads(gzip.decompress(base64.b64decode(packed)))
    images = json.loads(re.search(r"id='jm-images'>(.*?)</script>", page, re.DOTALL).group(1))
    return index, bodies, images


def test_visible_text_is_one_line_per_block_with_images_named() -> None:
    html = "<h1>Title</h1><p>Some <em>words</em>\n and more</p><p><img src='/a/b.png' alt='A cat'></p>" \
           "<script>var x;</script><pre><code>one\n\ntwo</code></pre>"
    assert visible_text(html) == ["Title", "Some words and more", "[image: A cat]", "one", "two"]


def test_text_diff_scores_and_shows_only_what_changed() -> None:
    same = text_diff(["a", "b"], ["a", "b"])
    assert same.score == 0 and same.diff == ""
    diff = text_diff(["a", "b", "c", "d"], ["a", "B", "c", "d", "e"])
    assert diff.diff.splitlines() == ["@@ -1,4 +1,5 @@", " a", "-b", "+B", " c", " d", "+e"]
    assert 0 < diff.score < text_diff(["a"], ["z"]).score == 1.0


def test_a_long_body_that_changed_on_every_line_is_diffed_in_linear_time() -> None:
    """A converted body can differ from Jekyll's on nearly every line. difflib.HtmlDiff pairs the lines of a
    changed block by similarity and diffs their characters: 600 such lines took about 8 seconds (1,500 took
    50), one of jekyll-docs' pages alone minutes. Whole lines are compared here: milliseconds."""
    n = 600
    plan = Plan(target="hugo")
    source = "_posts/2020-01-01-long.md"
    raw = "\n".join(f"Paragraph {i} with *some* words." for i in range(n))
    before = "".join(f"<p>Paragraph {i} with <em>some</em> words.</p>\n" for i in range(n))
    after = "\n\n".join(f"Paragraph {i} with *some* words, changed." for i in range(n))
    plan.record(DocumentOutcome(source, "post", "/long/", "/long/", "exported"))
    plan.bodies[source] = (raw, after)
    plan.body_format = "markdown"
    plan.jekyll_html[source] = (True, before)
    started = time.perf_counter()
    page = render_html(Report(), plan)
    seconds = time.perf_counter() - started
    print(f"REPORT lines={n} html_seconds={seconds:.3f}")
    assert seconds < 2.0
    index, bodies, _ = page_parts(page)
    (doc,) = index["docs"]
    diff = bodies[doc["b"][4]].splitlines()
    assert sum(1 for line in diff if line.startswith("-")) == n
    assert f"+Paragraph {n - 1} with some words, changed." in diff
    assert doc["d"] == 1.0


def test_hugo_markdown_is_rendered_with_html_kept_as_the_export_configures_goldmark() -> None:
    out = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ <span class=x>raw</span>\n\nnote[^1]\n\n"
                          "[^1]: the note\n")
    assert "<table>" in out and "<del>gone</del>" in out and "<span class=x>raw</span>" in out
    assert "the note" in out and "footnote" in out


def _fates_plan() -> Plan:
    plan = Plan(target="hugo")
    plan.record(DocumentOutcome("a.md", "page", "/a/", "/a/", "exported"))
    plan.record(DocumentOutcome("b.md", "post", "/2020/b.html", "/posts/b/", "exported"))
    plan.record(DocumentOutcome("c.md", "post", "/c/", None, "failed", "boom"))
    plan.record(DocumentOutcome("d.md", "page", "/%D1%81%D1%82/", "/%D1%81%D1%82/", "exported"))
    plan.redirect_map = RedirectMap(rules=(Redirect("/2020/b.html", "/posts/b/"), Redirect("/old/", "/a/"),
                                           Redirect("/%D0%B0/", "/a/"), Redirect("/а/", "/a/")))
    return plan


def test_every_old_url_is_kept_redirected_or_lost_and_each_spelling_is_one_row() -> None:
    fates = {row["old"]: (row["status"], row["new"]) for row in url_fates(_fates_plan())}
    assert fates == {
        "/a/": ("kept", "/a/"),
        "/2020/b.html": ("redirected", "/posts/b/"),
        "/c/": ("lost", None),
        "/%D1%81%D1%82/": ("kept", "/%D1%81%D1%82/"),
        "/old/": ("redirected", "/a/"),
        "/%D0%B0/ /а/": ("redirected", "/a/"),
    }


def test_the_summary_says_the_migration_is_not_complete_and_why() -> None:
    report = Report()
    report.emit("document-failed", "error", "boom", source="c.md")
    page = render_html(report, _fates_plan())
    index, _, _ = page_parts(page)
    assert index["verdict"] == "Migration not complete: 1 old URL lost, 1 document failed, 1 error."
    assert index["counts"] == {"urls": {"kept": 2, "redirected": 3, "lost": 1},
                               "documents": {"read": 4, "exported": 3, "skipped": 0, "failed": 1},
                               "issues": {"error": 1, "warning": 0, "info": 0}}
    assert "<b data-count='old URLs.lost'>1</b>" in page and "<svg viewBox" in page


def test_issues_are_grouped_by_code_with_their_messages_shared() -> None:
    report = Report()
    for n in range(440):
        report.add(Issue("liquid-undefined", "info", "undefined variable rendered empty", f"p{n}.md", n + 1))
    report.add(Issue("document-failed", "error", "boom", "c.md"))
    index, _, _ = report_data(report, Plan(target="hugo"))
    assert [(g["code"], g["sev"], len(g["o"])) for g in index["issues"]] == [
        ("document-failed", "error", 1), ("liquid-undefined", "info", 440)]
    assert index["issues"][1]["m"] == ["undefined variable rendered empty"]
    assert ["p9.md", 10, 0] in index["issues"][1]["o"]


def test_identical_bodies_are_stored_once() -> None:
    plan = Plan(target="wordpress")
    for n in range(50):
        source = f"_posts/2020-01-01-p{n}.md"
        plan.record(DocumentOutcome(source, "post", f"/p{n}/", f"/p{n}/", "exported"))
        plan.bodies[source] = ("Same *text*", "<p>Same <em>text</em></p>")
        plan.jekyll_html[source] = (True, "<p>Same <em>text</em></p>")
    index, bodies, _ = report_data(Report(), plan)
    assert len(bodies) == 3  # the source, the one HTML both sides share, and the empty diff
    assert all(d["b"][2] == d["b"][3] for d in index["docs"])


def test_the_page_is_one_file_that_names_nothing_outside_it(tmp_path: Path) -> None:
    """Every sample's report: a Content-Security-Policy that forbids any fetch, and no address of another
    file in its own markup (the pages' bodies are checked in a real browser by the acceptance test)."""
    report = tmp_path / "r.html"
    assert _cli("export", str(SAMPLES_DIR / "blog-classic"), "--to", "hugo", "-o", str(tmp_path / "out"),
                "--dry-run", "--report", str(report)) == 0
    page = report.read_text("utf-8")
    assert "default-src 'none'" in page
    outside = re.findall(r"""<(?:script|link|img|iframe)[^>]*\s(?:src|href)=""", page.split("<script type=")[0])
    assert outside == []
    index, bodies, images = page_parts(page)
    doc = next(d for d in index["docs"] if d["s"] == "_posts/2020-08-10-with-an-excerpt.md")
    assert "<img" in bodies[doc["b"][2]] and "<img" in bodies[doc["b"][3]]
    assert images[index["images"]["before"]["/assets/img/pixel.png"]].startswith("data:image/png;base64,")
    assert index["images"]["after"]["/assets/img/pixel.png"] == index["images"]["before"]["/assets/img/pixel.png"]


def test_a_ghost_image_is_found_inside_the_import_zip(tmp_path: Path) -> None:
    report = tmp_path / "r.html"
    assert _cli("export", str(SAMPLES_DIR / "blog-classic"), "--to", "ghost", "-o", str(tmp_path / "out"),
                "--dry-run", "--report", str(report)) == 0
    index, _, images = page_parts(report.read_text("utf-8"))
    after = index["images"]["after"]
    assert any(url.startswith("/content/images/") for url in after), after
    assert all(images[i].startswith("data:image/") for i in after.values())


def test_the_report_is_byte_identical_on_two_runs(tmp_path: Path) -> None:
    pages = []
    for n in (1, 2):
        report = tmp_path / f"r{n}.html"
        assert _cli("export", str(SAMPLES_DIR / "unicode-journal"), "--to", "wordpress", "-o",
                    str(tmp_path / "out"), "--dry-run", "--report", str(report)) == 0
        pages.append(report.read_bytes())
    assert pages[0] == pages[1]
