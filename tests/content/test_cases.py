"""Every plain-text case (one per Liquid tag, filter and kramdown feature) against real Jekyll's output."""

from __future__ import annotations

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
