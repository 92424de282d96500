"""Every plain-text case (one per Liquid tag, filter and kramdown feature) against real Jekyll's output."""

from __future__ import annotations

import html
import re

import pytest

from migrate.content.pipeline import ContentPipeline, identity_targets
from tests.content.cases import Case, all_cases, case_document, fixture_site
from tests.content.htmlnorm import first_difference, normalise_html

CASES = all_cases()


@pytest.fixture(scope="module")
def pipeline() -> ContentPipeline:
    site = fixture_site([case_document(c) for c in CASES])
    return ContentPipeline(site, identity_targets(site))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, pipeline: ContentPipeline) -> None:
    doc = pipeline.site.document(case.page)
    assert doc is not None
    converted = pipeline.convert(doc, "html")
    ours, theirs = normalise_html(converted.body), normalise_html(case.expected)
    assert ours == theirs, first_difference(ours, theirs) + "\n" + converted.body


_PRE_CODE = re.compile(r"<pre\b[^>]*>\s*<code\b[^>]*>(.*?)</code>\s*</pre>", re.DOTALL)


def _code_blocks(text: str) -> list[str]:
    """The text of every code block, exact (white space counts here), highlighting markup removed."""
    return [html.unescape(re.sub(r"<[^>]+>", "", m.group(1))) for m in _PRE_CODE.finditer(text)]


@pytest.mark.parametrize("case", [c for c in CASES if "<pre" in c.expected], ids=lambda c: c.id)
def test_code_blocks_keep_their_white_space(case: Case, pipeline: ContentPipeline) -> None:
    doc = pipeline.site.document(case.page)
    assert doc is not None
    assert _code_blocks(pipeline.convert(doc, "html").body) == _code_blocks(case.expected)
