"""Converted HTML as WordPress core blocks (``--wp-content blocks``): the cases of
tests/fixtures/wp_blocks/cases.txt, whose expected blocks WordPress's own code validates and writes back byte
for byte (tests/acceptance/test_wordpress_blocks.py), and the parts of an export that go with them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exporters.wordpress import WordPressExporter
from exporters.wordpress.blocks import serialize_attributes, to_blocks
from migrate.export import build_plan
from migrate.reader import read_site
from migrate.report import Report
from tests.conftest import SAMPLES_DIR
from tests.content.cases import Case, read_cases

CASES = read_cases(Path(__file__).resolve().parent / "fixtures" / "wp_blocks" / "cases.txt")
MEDIA = {"http://example.org/assets/a.png": 7, "http://example.org/assets/b.png": 8}


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_case(case: Case) -> None:
    assert to_blocks(case.input, media=MEDIA.get, key="case").content == case.expected


def test_fallbacks_are_named() -> None:
    made = to_blocks("<p>a</p>\n<script>x()</script>\n<dl><dt>t</dt></dl>\n<!-- c -->\n<p>b</p>")
    assert made.fallbacks == ("<script>",)  # the three stand together: one Custom HTML block
    assert made.content.count("<!-- wp:html -->") == 1


def test_footnotes_are_post_meta_with_ids_stable_per_document() -> None:
    body = (
        '<p>A<sup id="fnref:n" role="doc-noteref"><a href="#fn:n" class="footnote" rel="footnote">1</a></sup></p>\n'
        '<div class="footnotes" role="doc-endnotes">\n<ol>\n<li id="fn:n" role="doc-endnote">\n'
        '<p>One.</p>\n<p>Two&nbsp;<a href="#fnref:n" class="reversefootnote" role="doc-backlink">&#8617;</a></p>\n'
        "</li>\n</ol>\n</div>\n"
    )
    one = to_blocks(body, key="_posts/a.md")
    notes = json.loads(one.footnotes or "")
    assert [n["content"] for n in notes] == ["One.<br>Two"]
    assert f'data-fn="{notes[0]["id"]}"' in one.content
    assert to_blocks(body, key="_posts/a.md") == one
    assert to_blocks(body, key="_posts/b.md").footnotes != one.footnotes


def test_footnotes_that_no_footnote_block_holds_stay_as_they_are() -> None:
    body = (
        '<p>A<sup id="fnref:n" role="doc-noteref"><a href="#fn:n" class="footnote" rel="footnote">1</a></sup></p>\n'
        '<div class="footnotes" role="doc-endnotes"><ol><li id="fn:n" role="doc-endnote">'
        "<pre>code</pre></li></ol></div>"
    )
    made = to_blocks(body)
    assert made.footnotes is None
    assert 'href="#fn:n"' in made.content and "data-fn" not in made.content
    assert made.fallbacks == ("<div>",)


def test_block_comment_attributes_are_escaped_as_wordpress_does() -> None:
    assert serialize_attributes({"className": 'a--b <c> & "d"'}) == (
        '{"className":"a\\u002d\\u002db \\u003cc\\u003e \\u0026 \\u0022d\\u0022"}'
    )


def test_markup_the_parser_cannot_place_is_kept_whole() -> None:
    made = to_blocks("<p>a</b></p>")
    assert made.content == "<!-- wp:html -->\n<p>a</b></p>\n<!-- /wp:html -->"


def _blocks_export(sample: str) -> tuple[str, Report]:
    options, problems = WordPressExporter.validate_options({"wp_content": "blocks"})
    assert problems == []
    report = Report()
    plan = build_plan(read_site(SAMPLES_DIR / sample), WordPressExporter, options, report)
    return plan.files["wordpress.xml"].read().decode("utf-8"), report


def test_image_blocks_name_their_attachment_items() -> None:
    wxr, _ = _blocks_export("blog-classic")
    ids = re.findall(r'<!-- wp:image \{"id":(\d+),', wxr)
    assert ids
    for ident in ids:
        item = re.search(rf"<item>(?:(?!</item>).)*<wp:post_id>{ident}</wp:post_id>(?:(?!</item>).)*</item>", wxr, re.DOTALL)
        assert item is not None and "<wp:post_type><![CDATA[attachment]]></wp:post_type>" in item.group(0)


def test_footnotes_meta_is_written_with_the_post() -> None:
    wxr, _ = _blocks_export("pretty-docs")
    assert "<!-- wp:footnotes /-->" in wxr
    meta = re.findall(r"<wp:meta_key><!\[CDATA\[footnotes\]\]></wp:meta_key><wp:meta_value><!\[CDATA\[(.*?)\]\]>", wxr)
    assert meta and all(json.loads(m) for m in meta)


def test_classic_is_still_the_default() -> None:
    options, _ = WordPressExporter.validate_options({})
    assert options["wp_content"] == "classic"


def test_attachments_open_the_wxr_so_the_importer_keeps_their_ids() -> None:
    """The importer creates items in file order and gives a post whose ID is taken the next free ID above
    every ID in use: attachments created before any post keep the IDs the image blocks name."""
    wxr, _ = _blocks_export("blog-classic")
    types = re.findall(r"<wp:post_type><!\[CDATA\[(\w+)\]\]></wp:post_type>", wxr)
    count = types.count("attachment")
    assert count > 0 and types[:count] == ["attachment"] * count


def test_html_fallbacks_are_reported_once_per_document_with_their_count() -> None:
    _, report = _blocks_export("pretty-docs")
    issues = [i for i in report.issues if i.code == "wp-block-html"]
    assert issues and all(i.severity == "info" and i.source for i in issues)
    assert sum(int(i.message.split(" ", 1)[0]) for i in issues) == 2  # a definition list and a comment
    assert len({i.source for i in issues}) == len(issues)
