"""Markdown written for Goldmark: each kramdown construct in the form Goldmark renders the same (proved
with real Jekyll and real Hugo by tests/acceptance/test_fidelity.py::test_hugo_pages_read_as_jekyll_pages)."""

from __future__ import annotations

import pytest

from migrate.content.to_markdown import escape_shortcodes, goldmark_id
from tests.content.test_pipeline import codes, convert


@pytest.mark.parametrize("text, expected", [
    ("Community is the ❤️ of open source", "community-is-the--of-open-source"),  # U+FE0F is a mark: dropped
    ("İstanbul", "istanbul"),  # Go lowers one rune to one rune
    ("Ünïcode x_y 3½ a.b", "ünïcode-x_y-3-ab"),  # ½ is a number but not a decimal digit
    ("  Trimmed  ", "trimmed"),
])
def test_goldmark_heading_ids(text, expected):
    assert goldmark_id(text) == expected


def test_heading_whose_goldmark_id_differs_says_kramdowns():
    out = convert("## Community is the ❤️ of open source\n\n## Plain words\n", "markdown").body
    assert "## Community is the ❤️ of open source {#community-is-the-️-of-open-source}" in out
    assert "## Plain words\n" in out + "\n"


def test_toc_is_the_shortcode_without_no_toc_headings():
    out = convert("1. x\n{:toc}\n\n## One\n\n## Two\n{: .no_toc}\n", "markdown")
    assert out.body.startswith('{{< toc list="ol" exclude="two" >}}\n')
    assert "kramdown-toc" in codes(out)


def test_text_that_looks_like_the_toc_call_is_escaped():
    out = convert("{% raw %}\n```\n{{< toc >}}\n```\n{% endraw %}\n", "markdown").body
    assert "{{</* toc */>}}" in out
    assert escape_shortcodes(out) == out  # the exporter's pass changes nothing more


def test_named_footnotes_keep_kramdowns_ids():
    out = convert("A[^js-disabled] b[^js-disabled].\n\n[^js-disabled]: Note.\n", "markdown").body
    assert '<sup id="fnref:js-disabled" role="doc-noteref"><a href="#fn:js-disabled"' in out
    assert '<sup id="fnref:js-disabled:1"' in out
    assert '<li id="fn:js-disabled" role="doc-endnote">' in out
    assert "[^js-disabled]" not in out


def test_numbered_footnotes_stay_markdown():
    out = convert("A[^1] b[^2].\n\n[^1]: One.\n[^2]: Two.\n", "markdown").body
    assert "A[^1] b[^2]." in out and "<sup" not in out


def test_span_ial_paragraph_becomes_kramdowns_html():
    out = convert("[Go](https://example.org/){: .btn } and **b**{: .x} *not_here*.\n", "markdown").body
    assert out.strip() == (
        '<a href="https://example.org/" class="btn">Go</a> and <strong class="x">b</strong> <em>not\\_here</em>.'
    )


def test_table_with_a_span_ial_becomes_kramdowns_html():
    out = convert("| a | b |\n|---|---|\n| *x*{: .y} | z |\n", "markdown").body
    assert '<td><em class="y">x</em></td>' in out and "{:" not in out


def test_span_ial_in_a_heading_is_dropped_and_reported():
    out = convert("## A *b*{: .y} c\n", "markdown")
    assert out.body.startswith("## A *b* c")
    assert "kramdown-span-ial" in codes(out)


def test_table_that_reads_the_same_stays_markdown():
    out = convert("| a | b |\n|---|---|\n| *x* | z |\n", "markdown").body
    assert out.startswith("| a | b |\n|---|---|\n| *x* | z |")


def test_maths_keeps_kramdowns_delimiters():
    out = convert("Inline $$x_1$$.\n\n$$\ne = mc^2\n$$\n", "markdown").body
    assert "Inline \\\\(x\\_1\\\\)." in out
    assert "\\\\\\[e = mc^2\\\\\\]" in out


def test_more_marker_in_code_is_escaped():
    out = convert("```\nexcerpt_separator: <!--more-->\n```\n", "markdown").body
    assert "<!--more-->" not in out and "&lt;!--more--&gt;" in out


def test_highlight_inside_raw_html_is_jekylls_html():
    out = convert('<div class="n">\n<p>x</p>\n{% highlight diff %}\n- a\n{% endhighlight %}\n</div>\n', "markdown").body
    assert '<figure class="highlight"><pre><code class="language-diff" data-lang="diff">- a</code></pre></figure>' in out
    assert "```" not in out


def test_a_reference_definitions_title_keeps_straight_quotes():
    """Typographic quotes would make the definition plain text for Goldmark (kramdown reads the title as
    written: it is an attribute, never typeset); a footnote's text is still typeset."""
    out = convert('See [g][g] and "this"[^1].\n\n[g]: /a.html "The title"\n[^1]: A "note".\n', "markdown").body
    assert '[g]: /a.html "The title"' in out
    assert "“this”" in out and "“note”" in out
