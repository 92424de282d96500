"""The fast reading of a body for Ghost's HTML cards (``htmlscan`` tokens) agrees with the html.parser
reading on every input: the same chunks where it reads the body at all, and always the same output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exporters.ghost import cards
from migrate.cli import main
from tests.conftest import all_sites, site_id
from tests.support.budget import examples
from tests.support.markup import start_tags

SETTINGS = settings(max_examples=examples(1500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
GOLDEN_CARDS = Path(__file__).parent / "golden" / "ghost" / "html-cards.txt"


def _assert_same(body: str) -> None:
    fast = cards._chunks_fast(body)
    if fast is not None:
        assert fast == cards._chunks_slow(body)
    assert cards.ghost_html(body) == cards.ghost_html(body, fast=False)


# -- nasty markup: anything html.parser may meet, mostly what the fast path must refuse ---------------------

TAGS = [
    "p", "P", "h1", "h2", "H2", "h3", "ul", "ol", "li", "div", "pre", "PRE", "code", "span", "a", "em", "table",
    "td", "blockquote", "figure", "img", "br", "hr", "script", "SCRIPT", "style", "iframe", "textarea", "title",
    "noscript", "xmp", "plaintext", "sup", "my-el", "a:b", "a.b"
]
ATTRS = [
    "id", "ID", "class", "Class", "style", "data-lang", "data-x", "onclick", "href", "title", "x:y", "'q",
    '"q', "=", "/", "\u017frc"
]
VALUES = [
    "intro", "Intro", "a b", "highlighter-rouge", "language-ruby highlighter-rouge", "highlight", "&amp;",
    "a&amp;b", "language-&lt;x&gt;", "fn:1", "&#8617;", "caf&eacute;", "&notin;x", "&#xZ;", "&#65", "x>y",
    "a'b", 'a"b', "", "\n", "section-1", "/x.png"
]
START_TAGS = start_tags(TAGS, ATTRS, VALUES)


FRAGMENTS = [
    "</p>", "</li>", "</ul>", "</h2>", "</H2 >", "</pre>", "</code>", "</div>", "</blockquote>", "</table>",
    "</script>", "</SCRIPT >", "</script foo>", "</style>", "</iframe>", "</textarea>", "</title>", "</>",
    "</ >", "</1>", "<!--", "-->", "--!>", "-- >", "<!-- c -->", "<!-->", "<!--->", "<!---->",
    "<!--kg-card-begin: html-->", "<!DOCTYPE html>", "<![CDATA[x]]>", "<!x>", "<?php ?>", "<", "< 3", "<1",
    "&", "&amp;", "&nbsp;", "&#8617;", "&#", "&#xZ;", "&am", "&amp", "&lt;p&gt;", "Intro", "Section 1",
    "text", "\n", "\n\n", " ", "\r", "a>b", '"', "'", "\x00", "é", "\u2028", "\xa0"
]
html_text = st.lists(
    st.one_of(START_TAGS, st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=16
).map("".join)


@SETTINGS
@given(html_text)
@example("<h2 id=\"intro\">Intro</h2>\n<p>a &amp; b</p>\n<script>if (a < b) {}</script>\n")
@example("stray &amp; text<p>x</p>")
@example("<pre><code>a &lt; b\n</code></pre><h2 id='q&amp;a'>Q&amp;A</h2>")
@example("<p>x</p><!--> <p>y</p> -->")
@example("<textarea>a &amp; b</textarea><pre><title>&lt;</title></pre>")
@example("<p>1 < 2</p>")
def test_fast_path_matches_html_parser(body: str) -> None:
    _assert_same(body)


# -- markup as kramdown writes it: what the fast path must read itself --------------------------------------

HEADING_TEXTS = ["Intro", "Section &amp; more", "Caf&eacute; <em>au lait</em>", "Q&amp;A", "1. Start", "Intro"]
HEADING_IDS = ["intro", "section--more", "section-more", "caf-au-lait", "qa", "q&amp;a", "1-start", "intro-1"]
INLINE = [
    "plain text", "a &amp; b", "&lt;tag&gt;", "&quot;quoted&quot;", "caf&eacute;", "<em>em</em>",
    "<strong>strong</strong>", '<a href="/x/?a=1&amp;b=2">link</a>', "<code>&lt;x&gt; &amp;&amp;</code>",
    "<br />", '<img src="/i.png" alt="An &quot;image&quot;" />', '<span style="color: red">red</span>',
    '<sup id="fnref:1" role="doc-noteref"><a href="#fn:1" class="footnote" rel="footnote">1</a></sup>',
    '<abbr title="HyperText">HTML</abbr>', "<kbd>Ctrl</kbd>", "\u00a0", "&nbsp;"
]
CODE = [
    '<span class="k">def</span> <span class="nf">f</span><span class="p">(</span>x<span class="p">):</span>',
    "a &lt; b &amp;&amp; c &gt; d", "\n", "  return x\n", "&quot;s&quot;", "é", "\t"
]
LANGUAGES = ["ruby", "python", "plaintext", "c&amp;c", "shell"]


@st.composite
def code_block(draw: st.DrawFn) -> str:
    code = "".join(draw(st.lists(st.sampled_from(CODE), max_size=6)))
    lang = draw(st.sampled_from(LANGUAGES))
    return draw(st.sampled_from([
        (f'<div class="language-{lang} highlighter-rouge"><div class="highlight"><pre class="highlight">'
         f"<code>{code}</code></pre></div></div>"),
        (f'<figure class="highlight"><pre><code class="language-{lang}" data-lang="{lang}">{code}</code></pre>'
         "</figure>"),
        (f'<figure class="highlight"><pre><code class="language-{lang}" data-lang="{lang}"><table class="rouge-'
         f'table"><tbody><tr><td class="gutter gl"><pre class="lineno">1\n</pre></td><td class="code"><pre>'
         f"{code}</pre></td></tr></tbody></table></code></pre></figure>"),
        f"<pre><code>{code}</code></pre>",
        f'<pre><code class="language-{lang}">{code}</code></pre>',
    ]))  # fmt: skip


@st.composite
def block(draw: st.DrawFn) -> str:
    inline = "".join(draw(st.lists(st.sampled_from(INLINE), min_size=1, max_size=5)))
    level = draw(st.integers(1, 6))
    kind = draw(st.sampled_from([
        "heading", "heading", "p", "p", "p", "list", "code", "table", "footnotes", "script", "comment",
        "blockquote", "figure", "hr", "iframe", "text", "div"
    ]))  # fmt: skip
    if kind == "heading":
        heading = draw(st.sampled_from(HEADING_TEXTS))
        ident = draw(st.sampled_from([*HEADING_IDS, None]))
        attr = f' id="{ident}"' if ident is not None else ""
        return f"<h{level}{attr}>{heading}</h{level}>"
    if kind == "p":
        return f"<p>{inline}</p>"
    if kind == "list":
        tag = draw(st.sampled_from(["ul", "ol"]))
        items = draw(st.lists(st.sampled_from([f"<li>{inline}</li>", f"<li>\n<p>{inline}</p>\n</li>",
                                               f"<li>{inline}\n<ul>\n<li>x</li>\n</ul>\n</li>",
                                               f"<li>{draw(code_block())}</li>"]), min_size=1, max_size=3))
        return f"<{tag}>\n" + "\n".join(items) + f"\n</{tag}>"
    if kind == "code":
        return draw(code_block())
    if kind == "table":
        return (
            "<table>\n  <thead>\n    <tr>\n      <th>a</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n"
            f"      <td>{inline}</td>\n    </tr>\n  </tbody>\n</table>"
        )
    if kind == "footnotes":
        return (
            '<div class="footnotes" role="doc-endnotes">\n  <ol>\n    <li id="fn:1">\n'
            f'      <p>{inline} <a href="#fnref:1" class="reversefootnote" role="doc-backlink">&#8617;</a></p>\n'
            "    </li>\n  </ol>\n</div>"
        )
    if kind == "script":
        return draw(st.sampled_from([
            '<script>if (a < b && c) { x = "<p>"; }</script>', '<script src="/s.js"></script>',
            "<style>p > a { color: red; }</style>", '<script type="text/x-template">&amp;</script>',
        ]))  # fmt: skip
    if kind == "comment":
        return draw(st.sampled_from(["<!-- more -->", "<!---->", "<!-- <p>x</p> -->"]))
    if kind == "blockquote":
        return draw(st.sampled_from([
            f"<blockquote>\n  <p>{inline}</p>\n</blockquote>",
            f"<blockquote>\n  <p>{inline}</p>\n  <p>two</p>\n</blockquote>",
            f'<blockquote class="challenge">\n  <h2 id="x">X</h2>\n  <p>{inline}</p>\n</blockquote>',
        ]))  # fmt: skip
    if kind == "figure":
        return f'<figure><img src="/i.png" alt="a &amp; b" /><figcaption>{inline}</figcaption></figure>'
    if kind == "hr":
        return draw(st.sampled_from(["<hr />", "<hr>"]))
    if kind == "iframe":
        return '<iframe src="https://example.org/embed?a=1&amp;b=2" allowfullscreen></iframe>'
    if kind == "div":
        return f'<div class="note" markdown="1">\n<p>{inline}</p>\n</div>'
    return inline  # top-level text, as raw HTML blocks around it leave it


kramdown_html = st.lists(block(), max_size=8).flatmap(
    lambda blocks: st.lists(st.sampled_from(["\n", "\n\n", "", " \n"]), min_size=len(blocks),
                            max_size=len(blocks)).map(lambda seps: "".join(b + s for b, s in zip(blocks, seps)))
)


@SETTINGS
@given(kramdown_html)
def test_fast_path_reads_kramdown_output_itself_and_alike(body: str) -> None:
    assert cards._chunks_fast(body) is not None
    _assert_same(body)


NASTY = [
    "",
    "   \n",
    "plain text only &amp; more",
    "<p>a</p>",
    "<p>a</p>\n<p>b",
    "<p>a</p></div><p>b</p>",
    '<h2 id="intro">Intro</h2>\n<h2 id="intro-1">Intro</h2>\n<h2 id="intro">Intro</h2>',
    '<h2 id="q&amp;a">Q&amp;A</h2>',
    '<h2 id="caf">Caf&eacute;</h2><h2 id="caf%C3%A9">Caf&eacute;</h2>',
    "&amp; top-level text<p>x</p>",
    "&nbsp;<p>x</p>",
    "text &amp",
    "text &amp;x=1 and more than thirty-four characters of tail",
    "<p>x</p> &a",
    '<div class="highlighter-rouge"><pre class="highlight"><code>a &lt; b &amp;c\n</code></pre></div>',
    '<pre class="highlight"><code class="language-ru&amp;by">x</code></pre>',
    '<div class="language-ruby highlighter-rouge" data-lang="&quot;x"><pre><code>y</code></pre></div>',
    "<script>if (a < b) {}</script>\n<p>x</p>",
    "<script><!-- </script> --></script><p>x</p>",
    "<script>x</script ><p>y</p>",
    "<script>x",
    "<script/><p>x</p></script>",
    "<style>a &amp; b</style>",
    "<pre><style>a &amp; b</style></pre>",
    "<pre><textarea>a &amp; b</textarea></pre>",
    "<pre><noscript>a &amp; b</noscript></pre>",
    "<pre><title>a</title></pre>",
    "<iframe><p>x</p></iframe>",
    "<pre><iframe><b>x</b></iframe></pre>",
    '<h2 id="x"><title><b>x</b></title></h2>',
    "<!-- a --><p>x</p><!-- b -->",
    "<!-- a -- ><p>x</p> -->",
    "<!-- a --!><p>x</p> -->",
    "<!--><p>x</p>-->",
    "<p>a<!-- c -->b</p>",
    "<![CDATA[x]]><p>y</p>",
    "<p><![CDATA[x]]></p>",
    "<!DOCTYPE html><p>y</p>",
    "<?php echo 1; ?><p>y</p>",
    "<p>1 < 2</p>",
    "<p>a</p><",
    "<p>a</p>< p>",
    "<p\xa0class=x>y</p>",
    '<p class="a"class="b">y</p>',
    "<p class=>y</p>",
    "<p class=a/>y",
    "<br/>text<br />",
    "<img src=/a.png>",
    "<ul>\n<li><pre><code>x</code></pre></li>\n</ul>",
    "<ol><li><h2>x</h2></li></ol>",
    "<blockquote><p>a</p><p>b</p></blockquote>",
    "<blockquote><em>a</em><p>b</p></blockquote>",
    "<blockquote><p>a</p></blockquote></blockquote>",
    "<table><tr><td>a</td></tr></table>",
    '<p style="color: red">x</p><p onclick="y()">z</p><p data-x="1">w</p><p data-lang="c">v</p>',
    "<P ID=X>y</P>",
    "<h2>a<h3>b</h3></h2>",
    "<h2 id=a>x</h2 >",
    "<my-el>x</my-el><a:b>y</a:b>",
    "\r\n<p>\r\nx\r\n</p>\r\n",
]


@pytest.mark.parametrize("body", NASTY)
def test_fast_path_matches_html_parser_on_nasty_markup(body: str) -> None:
    _assert_same(body)


def _golden_card_inputs() -> list[str]:
    blocks = re.split(r"^\.\n", GOLDEN_CARDS.read_text("utf-8"), flags=re.MULTILINE)
    return blocks[1::3]


@pytest.mark.parametrize("body", _golden_card_inputs())
def test_fast_path_matches_html_parser_on_golden_cards(body: str) -> None:
    _assert_same(body)


@pytest.mark.parametrize("site", all_sites(), ids=site_id)
def test_fast_path_matches_html_parser_on_converted_sites(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["convert", str(site), "--format", "html", "--json"])
    bodies = [item["body"] for item in json.loads(capsys.readouterr().out)]
    assert bodies
    for body in bodies:
        _assert_same(body)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "html.parser"])
def test_top_level_text_with_character_references_stays_whole_in_its_card(fast: bool) -> None:
    # The text ends where the next tag starts, not after as many characters as its unescaped form has.
    body = "a &amp; b &amp; c &#8212; d<p>x</p>"
    assert cards.ghost_html(body, fast=fast) == (
        f"{cards.CARD_BEGIN}a &amp; b &amp; c &#8212; d{cards.CARD_END}<p>x</p>"
    )
