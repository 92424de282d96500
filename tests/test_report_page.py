"""The HTML report: every body shown beside its conversion, at a cost linear in the bodies' length."""

from __future__ import annotations

import html
import re
import time

from migrate.plan import Plan
from migrate.report import Report
from migrate.report_page import render_html, side_by_side


def test_side_by_side_shows_every_line_of_both_sides_paired_by_a_line_diff() -> None:
    raw = "# Title\n\nsame line\n*old* <line>\ndropped\n\tindented\nend"
    converted = "<h1>Title</h1>\n\nsame line\n<em>old</em> &lt;line&gt;\n    indented\nend\nadded"
    table = side_by_side(raw, converted)
    cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", table)]
    for line in raw.expandtabs(4).splitlines() + converted.splitlines():
        assert line in cells, line
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    assert "<td class='n'>3</td><td>same line</td><td class='n'>3</td><td>same line</td>" in rows
    assert any("class='diff_chg'>*old* &lt;line&gt;<" in r and "&amp;lt;line&amp;gt;" in r for r in rows)
    assert any("class='diff_add'>added<" in r for r in rows)
    assert any("class='diff_sub'>dropped<" in r or "class='diff_chg'>dropped<" in r for r in rows)


def test_a_body_longer_than_the_limit_says_how_much_is_left_out() -> None:
    table = side_by_side("a\nb\nc\nd", "a\nb", limit=3)
    assert "(1 more lines not compared)" in table and "(0 more lines not compared)" in table
    assert ">d<" not in table


def test_a_long_body_that_changed_on_every_line_is_rendered_in_linear_time() -> None:
    """A converted body differs from its source on nearly every line. difflib.HtmlDiff pairs the lines of a
    changed block by similarity and diffs their characters: 600 such lines took about 8 seconds (1,500 took
    50), one of jekyll-docs' pages alone minutes. A line diff takes milliseconds."""
    n = 600
    raw = "\n".join(f"Paragraph {i} with *some* words about [a link](/p/{i}/) and `code {i}`." for i in range(n))
    converted = "\n".join(f'<p>Paragraph {i} with <em>some</em> words about <a href="/p/{i}/">a link</a> and '
                          f"<code>code {i}</code>.</p>" for i in range(n))
    plan = Plan(target="hugo")
    plan.bodies["_posts/2020-01-01-long.md"] = (raw, converted)
    started = time.perf_counter()
    page = render_html(Report(), plan)
    seconds = time.perf_counter() - started
    print(f"REPORT lines={n} html_seconds={seconds:.3f}")
    assert seconds < 2.0
    assert page.count("class='diff_chg'") == 2 * n
    assert html.escape(f'<p>Paragraph {n - 1} with <em>some</em>', quote=False) in page
