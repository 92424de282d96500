"""The fast tag scanner of link rewriting agrees with the html.parser path on every input: same text out,
same references asked for, in the same order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from migrate.cli import main
from migrate.content import links
from tests.conftest import all_sites, site_id
from tests.support.budget import examples
from tests.support.markup import start_tags

SETTINGS = settings(max_examples=examples(1500), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _both(text: str) -> tuple[tuple[str, list[tuple[str, str]]], tuple[str, list[tuple[str, str]]]]:
    """(output, mapper calls) of the fast and the slow path; the mapper moves every URL, so every call
    shows in the output too."""
    results = []
    for rewrite in (links._rewrite_html, links._rewrite_html_slow):
        calls: list[tuple[str, str]] = []

        def mapper(url: str, kind: str, calls: list[tuple[str, str]] = calls) -> str:
            calls.append((url, kind))
            return f"/new{len(calls)}{url}"

        results.append((rewrite(text, mapper), calls))
    return results[0], results[1]


def _assert_same(text: str) -> None:
    fast, slow = _both(text)
    assert fast == slow


TAGS = [
    "a", "A", "img", "IMG", "pre", "PRE", "code", "Code", "p", "source", "video", "script", "SCRIPT", "style",
    "iframe", "textarea", "title", "span", "div", "link", "object", "embed", "base", "input", "plaintext",
    "xmp", "my-el", "a:b", "a.b", "br"
]
ATTRS = [
    "href", "HREF", "src", "srcset", "poster", "data", "style", "class", "title", "alt", "x:y", "data-x",
    "on-click", "'q", '"q', "a<b", "=", "/", "\u017frc", "Src", "DATA", "\u212aey"
]
VALUES = [
    "/a.png", "../b/", "http://e.x/c?d=1&amp;e=2", "#top", "/x y.png", "a>b", "a'b", 'a"b', "url(/i.png)",
    "background: url('/i.png')", "/1x.png 1x, /2x.png 2x", "&#47;p", "&amp;", "&#x2F;q", "", "x/", "/",
    "{{ site.url }}", "mailto:a@b", "a\nb", "\xa0/n", "`t`", "color: red", "x:url&#40;/e.png)", "URL(/U.png)",
    "\u0130/i.png"
]
START_TAGS = start_tags(TAGS, ATTRS, VALUES)


FRAGMENTS = [
    "</a>", "</pre>", "</PRE >", "</code>", "</ code>", "</script>", "</SCRIPT >", "</script foo>",
    "</style>", "</iframe>", "</textarea>", "</title>", "</>", "</ >", "</1>", "</a.b>", "<!--", "-->",
    "--!>", "-- >", "<!-- c -->", "<!-->", "<!--->", "<!---->", "<!DOCTYPE html>", "<![CDATA[x]]>", "<!x>",
    "<?php ?>", "<", "< a", "<1", "<=", "&", "&amp;", "&#", "&#38;", "&#x26;", "&#xZ;", "&#a", "&#1", ";",
    "&lt;", "&am", "text", "\n", "\r", " ", "x < y", "a>b", '"', "'", "`", "\x00", "url(", "href=", "é",
    "\u2028"
]
html_text = st.lists(
    st.one_of(START_TAGS, st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=14
).map("".join)


# Mostly markup the fast scanner handles itself, so its own logic is what gets compared.
GOOD_WS = st.sampled_from([" ", "\n", "\t", "  ", "\r\n"])
GOOD_VALUES = [v for v in VALUES if "\xa0" not in v and "&#" not in v or v in ("&#47;p", "&#x2F;q")]
GOOD_ATTRS = [
    "href", "HREF", "src", "srcset", "poster", "data", "style", "Style", "class", "x:y", "data-x", "alt",
    "\u017frc"
]
GOOD_TAGS = [t for t in TAGS if "." not in t and ":" not in t] + ["a", "img", "pre", "code", "p"] * 3


@st.composite
def good_start_tag(draw: st.DrawFn) -> str:
    out = "<" + draw(st.sampled_from(GOOD_TAGS))
    for _ in range(draw(st.integers(0, 3))):
        out += draw(GOOD_WS) + draw(st.sampled_from(GOOD_ATTRS))
        form = draw(st.sampled_from(["none", "dq", "sq", "bare"]))
        if form == "none":
            continue
        value = draw(st.sampled_from(GOOD_VALUES))
        out += draw(st.sampled_from(["=", " = ", "=\n"]))
        if form == "bare":
            out += "".join(c for c in value if c not in " \n\"'=<>`") or "v"
        else:
            q = '"' if form == "dq" else "'"
            out += q + value.replace(q, "") + q
    out += draw(st.sampled_from(["", " ", "\n"])) + draw(st.sampled_from([">"] * 6 + ["/>"]))
    return out


GOOD_FRAGMENTS = [
    "</a>", "</pre>", "</PRE >", "</code>", "</Code>", "</script>", "</SCRIPT>", "</style>", "</iframe>",
    "</textarea>", "</title>", "</div>", "<!-- c -->", "<!---->", "<!-- <a href=/c> -->", "&amp;", "&#38;",
    "&#x26;", "&lt;", "text", "\n", " ", "x < y", "a>b", "é", "href=", "url(/u)"
]
good_html_text = st.lists(
    st.one_of(good_start_tag(), st.sampled_from(GOOD_FRAGMENTS * 8 + FRAGMENTS)),
    max_size=16,
).map("".join)


@SETTINGS
@given(good_html_text)
def test_fast_scanner_matches_html_parser_on_mostly_good_markup(text: str) -> None:
    _assert_same(text)


@SETTINGS
@given(html_text)
@example('<p><a href="/a">x</a><pre><code><a href="/in-code">y</a></code></pre><img src=/b.png></p>')
@example('<script src="/s.js">var a = "<a href=/no>";</script><a href="/yes">')
@example('<a href="/a">&#xZ;<a href="/b">')
@example('<!-- <a href="/c"> --><a href=/d>')
@example('<pre/><a href="/e"><code/><a href="/f">')
@example('<a title="x>y" href="/g"/><A HREF=\'/h\'><img srcset="/1.png 1x, /2.png 2x" style="x:url(/u.png)">')
def test_fast_scanner_matches_html_parser(text: str) -> None:
    _assert_same(text)


@SETTINGS
@given(
    st.one_of(
        st.text(alphabet="hrefsctpoadulHREFSCTPOADUL(=\u017f\u212a\u0130\u0131 \n\t\xa0\u2028<", max_size=24),
        st.text(max_size=24),
    )
)
@example("\u0130href=")
@example("<img \u017frc=x>")
@example("HrEf\n\x0b=")
def test_url_hint_matches_the_regex(text: str) -> None:
    assert links._has_url_hint(text) == (links._URL_ATTR_HINT.search(text) is not None)


NASTY = [
    '<a href="/a">',
    "<a href=/a/>",
    '<pre class=x/><a href="/a"></pre><a href="/b">',
    '<code><pre></code><a href="/a"></pre><a href="/b">',
    '</pre><a href="/a">',
    '<script>if (a < b) {}</script><img src="/a.png">',
    '<script><!-- </script> --></script><img src="/a.png">',
    '<script src="/g.js"></script ><a href="/a">',
    '<script src="/g.js">',
    '<iframe src="/f.html"><a href="/a"></iframe>',
    '<textarea><a href="/a"></textarea><a href="/b">',
    '<title>x</title><a href="/a">',
    '<!-- <a href="/a"> -- ><a href="/b"> -->',
    '<!--> <a href="/a"> -->',
    '<a href="/a"> 1 < 2 <a href="/b">',
    '<a href="/a"> &#xG; <a href="/b">',
    '<a href="/a"> &#x41 <a href="/b">',
    '<a href="/a">&#xZ <a href="/b">',
    '<a href="/a">&#xZ;&#q;<a href="/b">',
    '<a href="/a">&#xZ;<a href="/b">',
    '<script/><a href="/b"></script><a href="/c">',
    '<style src=x/><a href="/b"></style><a href="/c">',
    '<pre/><a href="/b"></pre><a href="/c">',
    '<code title="t" /><a href="/b"></code><a href="/c">',
    '<a href="/a"><',
    '<a\xa0href="/a"><a href="/b">',
    '<a href="/a"\n  title="t"\n>',
    '<div style="background:url(/bg.png)"><span STYLE="background:url(&quot;/q.png&quot;)">',
    '<a href="/a" href="/b">',
    '<img src="/a.png" srcset="/a.png 1x,/b.png 2x">',
    '<p>a</p>\n<p><a href="/x">b</a></p>\n' * 3,
]


@pytest.mark.parametrize("text", NASTY)
def test_fast_scanner_matches_html_parser_on_nasty_markup(text: str) -> None:
    _assert_same(text)


def test_fast_scanner_handles_ordinary_bodies_itself() -> None:
    body = '<p><a href="/a">x</a><!-- more --></p><pre><code>&lt;a href="/b"&gt;</code></pre><img src=/c.png>'
    assert links._scan_tags(body) is not None


@pytest.mark.parametrize("site", all_sites(), ids=site_id)
def test_fast_scanner_matches_html_parser_on_converted_sites(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["convert", str(site), "--format", "html", "--json"])
    bodies = [item["body"] for item in json.loads(capsys.readouterr().out)]
    raw = [
        p.read_text("utf-8", errors="replace")
        for p in site.rglob("*")
        if p.suffix in (".html", ".md", ".markdown") and "_site" not in p.parts
    ]
    assert bodies
    for text in bodies + raw:
        _assert_same(text)


def _both_markdown(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(output, mapper calls) with ``fast`` on and off; the mapper moves two URLs in three."""
    results = []
    for fast in (True, False):
        calls: list[tuple[str, str]] = []

        def mapper(url: str, kind: str, calls: list[tuple[str, str]] = calls) -> str:
            calls.append((url, kind))
            return f"/new{len(calls)}{url}" if len(calls) % 3 else url

        results.append((links._rewrite_markdown(text, mapper, fast=fast), calls))
    return results


MD_FRAGMENTS = [
    "[a](/a)", "![i](/i.png)", "[a]( </x y> )", "[a](/p(1)q)", '[a](/a "t")', "[a](/a 'q')", "[a](/a (c))",
    "[[n]](/n)", "[a [b] c](/d)", "!", "[", "]", "(", ")", "](", "]:", "[r]: /r", "   [r]: <a b>", "[^1]: x",
    "`", "``", "`code [a](/c)`", "```\n[a](/f)\n```", "~~~\nx\n~~~", "    ```", "\n", " ", "\t", "<",
    '<a href="/h">', "<img src=/s.png>", '<span style="x:url(/u)">', "<!-- c -->", "<pre>", "</pre>", "\x00",
    "\x000\x00", "\x001\x00", "x", "é", "![", "[]()", "[a](", "<em>"
]
markdown_text = st.lists(st.one_of(st.sampled_from(MD_FRAGMENTS), st.text(max_size=6)), max_size=16).map(
    "".join
)


@SETTINGS
@given(markdown_text)
@example("See [a](/a) and ![i](/i.png) `[c](/c)`\n\n```\n[f](/f)\n```\n[r]: /r\n<a href='/h'>")
@example("![a](/a)[b](/b)!![c](/c)![[d]](/d)")
def test_fast_markdown_matches_reference(text: str) -> None:
    fast, slow = _both_markdown(text)
    assert fast == slow


def test_nul_digits_in_the_text_are_kept_and_do_not_break_masking():
    text = "a \x005\x00 and `code [x](/in/code/)` then [l](/a/)"
    assert links._rewrite_markdown(text, lambda url, _kind: url.upper()) == (
        "a \x005\x00 and `code [x](/in/code/)` then [l](/A/)"
    )
