"""Links Liquid already wrote with new URLs pass the link rewriter untouched, under a baseurl, for every target."""

from __future__ import annotations

import pytest

from migrate.export import build_plan
from migrate.exporter import Registry
from migrate.reader import read_site
from migrate.report import Report
from tests.conftest import SAMPLES_DIR


@pytest.mark.parametrize("target", ["hugo", "wordpress", "ghost"])
def test_no_false_broken_links_and_no_doubled_base(target):
    site = read_site(str(SAMPLES_DIR / "unicode-journal"))  # baseurl: /journal, links via relative_url and link
    exporter = Registry.load().get(target)
    report = Report()
    plan = build_plan(site, exporter, exporter.validate_options({})[0], report)
    broken = [i for i in report.issues if i.code == "broken-link"]
    assert broken == []
    for path, planned in plan.files.items():
        if path.endswith((".xml", ".json", ".md", ".html")):
            assert b"/journal/journal/" not in planned.read(), path
