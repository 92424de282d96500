"""``--wp-content blocks`` read by WordPress's own block code: every post and page of every sample and
corpus, exported as blocks, is parsed by ``@wordpress/blocks`` with ``@wordpress/block-library``'s core
blocks registered (the wp/6.5 line, as WordPress 6.5 ships it) and each block validated the way the block
editor does when it opens the post: no invalid block, no "Classic" block; ``core/html`` fallbacks counted.

One Node process reads every site (see tests/support/wp_blocks.py). Prints, per site,
``BLOCKS site=NAME posts=N blocks=B invalid=0 html_fallback=H``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exporters.wordpress import WordPressExporter
from exporters.wordpress.blocks import to_blocks
from migrate.export import build_plan
from migrate.plan import write_plan
from migrate.reader import read_site
from migrate.report import Report
from tests.conftest import all_sites
from tests.content.cases import read_cases
from tests.support.wp_blocks import validate

pytestmark = pytest.mark.acceptance

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "wp_blocks" / "cases.txt"
_ITEM = re.compile(r"<item>.*?</item>", re.DOTALL)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)


def _field(item: str, name: str) -> str:
    match = re.search(rf"<{name}>(.*?)</{name}>", item, re.DOTALL)
    return "" if match is None else "".join(_CDATA.findall(match.group(1))) or match.group(1)


def _items(out: Path) -> list[dict[str, str]]:
    items = []
    for wxr in sorted(out.glob("wordpress*.xml")):
        for block in _ITEM.findall(wxr.read_text(encoding="utf-8")):
            meta = dict(re.findall(r"<wp:meta_key><!\[CDATA\[(.*?)\]\]></wp:meta_key>"
                                   r"<wp:meta_value><!\[CDATA\[(.*?)\]\]></wp:meta_value>", block, re.DOTALL))
            items.append({
                "id": _field(block, "wp:post_id"),
                "type": _field(block, "wp:post_type"),
                "content": _field(block, "content:encoded").replace("]]]]><![CDATA[>", "]]>"),
                "attachment_url": _field(block, "wp:attachment_url"),
                "footnotes": meta.get("footnotes", ""),
            })
    return items


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Report]]:
    root = tmp_path_factory.mktemp("wp-blocks")
    options, problems = WordPressExporter.validate_options({"wp_content": "blocks"})
    assert problems == []
    out: dict[str, tuple[Path, Report]] = {}
    for site_dir in all_sites():
        report = Report()
        plan = build_plan(read_site(site_dir), WordPressExporter, options, report)
        write_plan(plan, root / site_dir.name)
        out[site_dir.name] = (root / site_dir.name, report)
    return out


@pytest.fixture(scope="module")
def validated(exports: dict[str, tuple[Path, Report]]) -> dict[str, dict]:
    return validate({name: path for name, (path, _) in exports.items()})


def test_wordpress_accepts_every_block_of_every_post(validated: dict[str, dict]) -> None:
    for name, result in validated.items():
        print(f"BLOCKS site={name} posts={result['posts']} blocks={result['blocks']} invalid={result['invalid']} "
              f"html_fallback={result['html']} classic={result['freeform']} resaved={result['resaved']}")
    bad = {name: r["problems"][:3] for name, r in validated.items() if r["invalid"] or r["freeform"]}
    assert bad == {}
    assert all(r["posts"] > 0 for r in validated.values())


def test_every_html_fallback_is_in_the_report(
    exports: dict[str, tuple[Path, Report]], validated: dict[str, dict]
) -> None:
    reported = {
        name: sum(int(i.message.split(" ", 1)[0]) for i in report.issues if i.code == "wp-block-html")
        for name, (_, report) in exports.items()
    }
    assert reported == {name: r["html"] for name, r in validated.items()}


def test_image_blocks_name_the_attachments_of_their_wxr(exports: dict[str, tuple[Path, Report]]) -> None:
    checked = 0
    for name, (out, _) in exports.items():
        items = _items(out)
        attachments = {int(i["id"]): i["attachment_url"] for i in items if i["type"] == "attachment"}
        by_url = {url: ident for ident, url in attachments.items()}
        for item in items:
            for attrs, src in re.findall(r'<!-- wp:image (\{.*?\}) -->\n<figure[^>]*>(?:<a [^>]*>)?<img src="([^"]*)"',
                                         item["content"]):
                src = src.replace("&amp;", "&")
                ident = json.loads(attrs).get("id")
                assert ident == by_url.get(src), (name, item["id"], src)
                if ident is not None:
                    assert f'class="wp-image-{ident}"' in item["content"]
                    checked += 1
    assert checked > 0


def test_footnotes_are_post_meta_the_content_refers_to(exports: dict[str, tuple[Path, Report]]) -> None:
    posts = 0
    for out, _ in exports.values():
        for item in _items(out):
            refs = re.findall(r'<sup data-fn="([^"]+)" class="fn">', item["content"])
            if "<!-- wp:footnotes /-->" not in item["content"]:
                assert not item["footnotes"] and not refs
                continue
            notes = json.loads(item["footnotes"])
            assert [n["id"] for n in notes] == list(dict.fromkeys(refs))
            assert all(n["content"] for n in notes)
            posts += 1
    assert posts > 0


def test_the_conversion_cases_are_what_wordpress_saves(tmp_path: Path) -> None:
    """The expected blocks of tests/fixtures/wp_blocks/cases.txt, as WordPress validates them and as its own
    serializer writes them back."""
    cases = read_cases(CASES)
    media = {"http://example.org/assets/a.png": 7, "http://example.org/assets/b.png": 8}
    for case in cases:  # the unit test checks this too; here it makes sure WordPress saw the same text
        assert to_blocks(case.input, media=media.get, key="case").content == case.expected, case.title
    data = tmp_path / "cases.json"
    data.write_text(json.dumps([{"id": c.title, "content": c.expected} for c in cases]), encoding="utf-8")
    result = validate({"cases": data}, json_input=True)["cases"]
    assert (result["invalid"], result["freeform"]) == (0, 0), result["problems"]
    assert result["resaved"] == len(cases), result["resave_diffs"]
