"""The reader's generated pages (pagination, archives, feeds, sitemaps) travel with the IR and ``inspect``.

Which pages exist is decided against real Jekyll in ``tests/acceptance/test_generated_urls.py``; these fast
checks cover what the oracle cannot see: the IR round trip and the plugins being off unless enabled."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

from migrate.cli import main
from migrate.ir import Site
from migrate.reader import read_site
from tests.conftest import REPO

SAMPLE = REPO / "samples" / "plugin-blog"


def test_generated_pages_survive_the_ir_round_trip():
    site = read_site(SAMPLE)
    assert site.generated
    again = Site.from_dict(json.loads(json.dumps(site.to_dict())))
    assert again.generated == site.generated


def test_no_generated_pages_without_the_plugins(tmp_path: Path):
    """The same site with ``plugins: []`` has the same documents and no generated page at all."""
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy)
    config = (copy / "_config.yml").read_text("utf-8")
    start = config.index("plugins:")
    end = config.index("jekyll-archives:")
    (copy / "_config.yml").write_text(config[:start] + "plugins: []\n" + config[end:], "utf-8")
    bare, full = read_site(copy), read_site(SAMPLE)
    assert bare.generated == ()
    assert [d.url for d in bare.documents] == [d.url for d in full.documents]


def test_inspect_json_lists_generated_pages_with_what_they_list():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["inspect", "--json", str(SAMPLE)]) == 0
    generated = json.loads(out.getvalue())["generated"]
    kinds = {g["kind"] for g in generated}
    assert kinds == {"pagination", "archive", "feed", "sitemap"}
    page2 = next(g for g in generated if g["url"] == "/blog/page2/")
    assert (page2["generator"], page2["page_number"], page2["total_pages"], page2["per_page"]) == (
        "jekyll-paginate", 2, 3, 3)
    assert page2["template"] == "blog/index.html" and len(page2["members"]) == 3
    year = next(g for g in generated if g["url"] == "/2023/")
    assert (year["generator"], year["period"], year["template"]) == ("jekyll-archives", "2023", "_layouts/archive-date.html")
    tag = next(g for g in generated if g["url"] == "/feed/by_tag/start.xml")
    assert tag["tag"] == "start" and len(tag["members"]) == 2
