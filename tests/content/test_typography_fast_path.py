"""Typography for Markdown targets skips its block parse only when the parse could not change a thing."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.content import to_markdown as tm
from migrate.content.markdown import KramdownConverter
from migrate.content.pipeline import ContentPipeline, identity_targets
from migrate.reader import read_site
from tests.conftest import all_sites, site_id
from tests.support.budget import examples

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = SimpleNamespace(kramdown=KramdownConverter())


def parsed(text: str) -> str:
    """What markdown_typography gives when it always parses the blocks."""
    original = tm._typography_changes_nothing
    tm._typography_changes_nothing = lambda _text: False
    try:
        return tm.markdown_typography(PIPELINE, text)
    finally:
        tm._typography_changes_nothing = original


LINES = [
    "", " ", "\t", "plain words", "it's \"quoted\" -- and...", "a << b >> c", "|:--|--:|", "| a | b |", "---",
    "```", "```ruby", "````", "~~~", "~~~ x `y`", "``` a`b", " ```", "   ```", "    ```", "\t```", "> ```",
    "- ```", "1. ```", "puts 'hi'", "    code 'x'", "  indented 'x'", "<div>", "</div>", "<!--", "-->",
    "<pre>", "</pre>", "<script>", "</script>", '<aside class="note">Note.</aside>', "<?php", "?>",
    "<![CDATA[", "]]>", "* item 'x'", "> quote 'x'", "[^1]: note 'x'", ": definition 'x'", "Term",
    "`code 'x'`", "{: .class}", "a\rb", "```\r", "# Heading 'x'",
]
texts = st.lists(st.sampled_from(LINES), max_size=14).map("\n".join)


@settings(max_examples=examples(3000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_skipping_the_parse_never_changes_the_result(text):
    if tm._typography_changes_nothing(text):
        assert parsed(text) == text


@pytest.mark.parametrize("text", [
    "Para.\n\n```ruby\nputs 'hi'\n```\n\n|:--|--:|\n",  # quotes in code only, dashes in a table rule
    '<aside class="note">Remember this.</aside>\n\nText.\n',  # a quote inside a tag only
    "```\nit's\n```",  # a fence never closed is code to the end
])
def test_the_common_cases_take_the_shortcut(text):
    assert tm._typography_changes_nothing(text)
    assert parsed(text) == text


@pytest.mark.parametrize("text", [
    "<!--\n\n```\n-->\nIt's here\n```",  # an HTML block hides the fence: "It's" is text
    "<pre>\n\n```\n</pre>\nIt's here\n```",  # the same with a tag that changes nothing itself
    "```\n    ```\n\n```\nIt's\n```",  # an indented line of backticks does not close a fence
    "````\n```\n\n````\nIt's\n```",  # nor does a shorter one
    " ```\n\n```\nIt's\n```",  # an indented fence closes at the second one: "It's" is text
    "```\ncode\n```\n```\nIt's\n```",  # a fence right after a fence: not trusted
    "Text 'quoted'.",
])
def test_cases_where_the_parse_decides(text):
    assert not tm._typography_changes_nothing(text)


def _bodies(site_dir: Path) -> list[str]:
    """Each Markdown document's body as typography sees it (after Liquid and the kramdown rewrite)."""
    site = read_site(site_dir)
    pipeline = ContentPipeline(site, identity_targets(site))
    bodies = []
    for doc in site.documents:
        if pipeline.is_markdown(doc):
            body, _, _ = pipeline.render_liquid(doc, fmt="markdown")
            bodies.append(tm._rewrite_kramdown(pipeline, doc, body, tm._kramdown_heading_ids(pipeline, body), []))
    return bodies


@pytest.mark.parametrize("site_dir", all_sites(), ids=site_id)
def test_samples_and_corpora_give_the_same_typography(site_dir):
    for body in _bodies(site_dir):
        if tm._typography_changes_nothing(body):
            assert parsed(body) == body
