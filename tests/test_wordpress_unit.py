"""WordPress exporter, pure parts: slugs as WordPress saves them, XML text, wpautop-safe HTML, structures."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exporters.wordpress import WordPressExporter
from exporters.wordpress.options import parse_size
from exporters.wordpress.permalinks import jekyll_template_to_structure, structure_url
from exporters.wordpress.slugs import wp_slug
from exporters.wordpress.wxr import autop_safe, cdata, esc, rfc2822_utc, wrap_html_block, xml_clean

# Expected values follow WordPress's sanitize_title() in the 'save' context (remove_accents, then
# sanitize_title_with_dashes): lower case, accents folded, other non-ASCII percent-encoded in lower-case
# hex, dots and slashes become dashes, typographic quotes and dashes dropped or dashed.
SLUGS = [
    ("Hello World", "hello-world"),
    ("hello-world", "hello-world"),
    ("Café-Crème", "cafe-creme"),
    ("Straße", "strasse"),
    ("привет-мир", "%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82-%d0%bc%d0%b8%d1%80"),
    ("per%cent", "percent"),
    ("per%25cent", "per25cent"),
    ("v1.2 release", "v1-2-release"),
    ("a--b__c", "a-b__c"),
    ("“Quoted” — text", "quoted-text"),
    ("<b>Bold</b> move", "bold-move"),
    ("50% off!", "50-off"),
    ("edge case/2009", "edge-case-2009"),
    ("  --trim--  ", "trim"),
    ("Ünïcödé", "unicode"),
    ("日本", "%e6%97%a5%e6%9c%ac"),
    ("", ""),
]


@pytest.mark.parametrize("text,expected", SLUGS, ids=[s[0] or "empty" for s in SLUGS])
def test_wp_slug(text: str, expected: str) -> None:
    assert wp_slug(text) == expected


@given(st.text(max_size=300))
def test_wp_slug_is_kept_unchanged_by_wordpress(text: str) -> None:
    slug = wp_slug(text)
    # what sanitize_title_with_dashes() leaves alone: [a-z0-9_-] and lower-case %xx octets, no stray or
    # doubled dashes, at most 200 characters
    assert re.fullmatch(r"(?:[a-z0-9_-]|%[0-9a-f]{2})*", slug)
    assert "--" not in slug and not slug.startswith("-") and not slug.endswith("-")
    assert len(slug) <= 200


@given(st.text())
def test_cdata_round_trips_through_a_strict_parser(text: str) -> None:
    parsed = ET.fromstring(f"<x>{cdata(text)}</x>").text or ""
    assert parsed == xml_clean(text).replace("\r\n", "\n").replace("\r", "\n")


@given(st.text())
def test_escaped_attribute_round_trips(text: str) -> None:
    element = ET.fromstring(f'<x a="{esc(text)}">{esc(text)}</x>')
    assert (element.text or "") == xml_clean(text).replace("\r\n", "\n").replace("\r", "\n")


def test_cdata_splits_the_terminator() -> None:
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800"])
def test_xml_clean_removes_characters_xml_cannot_carry(char: str) -> None:
    assert xml_clean(f"a{char}b") == "ab"


def test_xml_clean_keeps_tabs_newlines_and_astral_characters() -> None:
    assert xml_clean("a\tb\nc\rd😀") == "a\tb\nc\rd😀"


AUTOP = [
    ("soft line break inside a paragraph", "<p>one\ntwo</p>", "<p>one two</p>"),
    ("blank lines between blocks", "<p>a</p>\n\n\n<p>b</p>", "<p>a</p>\n<p>b</p>"),
    ("blank lines inside a div", "<div>\n\n<p>q</p>\n\n</div>", "<div>\n<p>q</p>\n</div>"),
    ("pre kept exactly", "<pre><code>x\n\n  y\n</code></pre>", "<pre><code>x\n\n  y\n</code></pre>"),
    ("script kept exactly", "<script>\nvar a;\n\nvar b;\n</script>", "<script>\nvar a;\n\nvar b;\n</script>"),
    ("blank line inside a comment", "<!-- a\n\nb -->", "<!-- a\nb -->"),
    (
        "inline markup across lines",
        "<p><em>a</em>\n<strong>b</strong></p>",
        "<p><em>a</em> <strong>b</strong></p>",
    ),
    ("list items", "<ul>\n  <li>a\nb</li>\n</ul>", "<ul>\n  <li>a b</li>\n</ul>"),
]


@pytest.mark.parametrize("name,html,expected", AUTOP, ids=[a[0] for a in AUTOP])
def test_autop_safe(name: str, html: str, expected: str) -> None:
    assert autop_safe(html) == expected


def test_autop_safe_leaves_no_blank_line_outside_pre() -> None:
    html = "<table>\n\n<tr><td>a\n\nb</td></tr>\n\n</table>\n\n<p>x</p>"
    assert "\n\n" not in autop_safe(html)


def test_wrap_html_block() -> None:
    assert wrap_html_block("<p>x</p>\n") == "<!-- wp:html -->\n<p>x</p>\n<!-- /wp:html -->"


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_rfc2822_utc_is_format_datetime(when: dt.datetime) -> None:
    from email.utils import format_datetime

    assert rfc2822_utc(when) == format_datetime(when.replace(tzinfo=dt.timezone.utc))


def test_structure_url() -> None:
    when = dt.datetime(2020, 5, 7, 8, 9, 10)
    assert structure_url("/%year%/%monthnum%/%day%/%postname%.html", slug="x", local=when, post_id=3) == (
        "/2020/05/07/x.html"
    )
    assert (
        structure_url("/%hour%%minute%%second%/%post_id%/", slug="x", local=when, post_id=3) == "/080910/3/"
    )
    # a tag WordPress does not know stays as written; a slug that looks like a tag is not expanded again
    assert structure_url("/%category%/%postname%/", slug="%year%", local=when, post_id=3) == "/%category%/%year%/"
    assert structure_url("/%%year%%/", slug="x", local=when, post_id=3) == "/%2020%/"


@pytest.mark.parametrize(
    "template,expected",
    [
        ("/news/:year/:month/:day/:title/", "/news/%year%/%monthnum%/%day%/%postname%/"),
        (":title", "/%postname%"),
        ("/:year/:title:output_ext", "/%year%/%postname%.html"),
        ("date", None),
        ("pretty", None),
        ("/:categories/:title/", None),
        ("/:year/:i_month/:title/", None),
        ("/:path/", None),
    ],
)
def test_jekyll_template_to_structure(template: str, expected: str | None) -> None:
    assert jekyll_template_to_structure(template) == expected


@pytest.mark.parametrize(
    "value,expected",
    [("15MB", 15 * 1024**2), ("500k", 500 * 1024), ("2000000", 2000000), ("1.5 MiB", int(1.5 * 1024**2))],
)
def test_parse_size(value: str, expected: int) -> None:
    assert parse_size(value) == expected


def test_options_are_validated_all_at_once() -> None:
    _, problems = WordPressExporter.validate_options(
        {
            "collection": ("docs=pages", "=post"),
            "split_size": "lots",
            "wp_permalinks": "%postname%",
            "asset_base_url": "ftp://x",
            "comments": "maybe",
        }
    )
    joined = "\n".join(problems)
    for name in ("--collection", "--split-size", "--wp-permalinks", "--asset-base-url", "--comments"):
        assert name in joined
    assert joined.count("--collection") == 2


def test_option_defaults() -> None:
    options, problems = WordPressExporter.validate_options({})
    assert problems == []
    assert options["split_size"] == 15 * 1024**2
    assert options["comments"] == "closed"
    assert options["wp_content"] == "classic"
    assert options["collection"] == ()


def test_autop_safe_is_linear_in_document_size():
    """A 20,000-paragraph body (the hostile 50 MB post was quadratic here) converts in well under a second
    per million characters: eight times the input costs about eight times as much, not sixty-four."""
    import time

    from exporters.wordpress.wxr import autop_safe

    def cost(n: int) -> float:
        html = "<p>para <em>x</em>\ncontinued</p>\n\n" * n
        start = time.perf_counter()
        autop_safe(html)
        return time.perf_counter() - start

    small, large = cost(10000), cost(80000)
    assert large < small * 24  # linear is ~8x; quadratic would be ~64x
