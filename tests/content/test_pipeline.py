"""The content pipeline's contract: problems as issues, never a crash; new URLs everywhere; limits hold."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate import ir
from migrate.content import Targets
from migrate.content.liquid import Limits
from migrate.content.pipeline import ContentPipeline, convert_documents, identity_targets
from tests.content.cases import fixture_site
from tests.support.budget import examples


def page(body: str, source: str = "page.md", **fields: object) -> ir.Document:
    return ir.Document(
        kind="page",
        source=source,
        url="/" + source.replace(".md", ".html"),
        output_path=source.replace(".md", ".html"),
        title="A page",
        slug="page",
        body=body,
        body_line=5,
        **fields,
    )  # type: ignore[arg-type]


def convert(
    body: str,
    fmt: str = "html",
    *,
    targets: Targets | None = None,
    limits: Limits | None = None,
    **fields: object,
) -> ir.Document | object:
    doc = page(body, **fields)
    site = fixture_site([doc])
    pipeline = ContentPipeline(site, targets or identity_targets(site), limits=limits)
    return pipeline.convert(doc, fmt)  # type: ignore[arg-type]


def codes(converted: object) -> list[str]:
    return [i.code for i in converted.issues]  # type: ignore[attr-defined]


# -- Liquid: problems are data ------------------------------------------------------------------------------


def test_unknown_tag_is_kept_verbatim_and_reported_with_file_and_line() -> None:
    out = convert("Intro\n\n{% avatar user=ada size=24 %}\n\n{% if true %}{% seo %}{% endif %}\n")
    assert "{% avatar user=ada size=24 %}" in out.body
    assert "{% seo %}" in out.body  # inside an if: not lost
    issues = [i for i in out.issues if i.code == "liquid-unknown-tag"]
    assert {(i.source, i.line) for i in issues} == {("page.md", 7), ("page.md", 9)}


def test_unknown_filter_outputs_the_value_unfiltered_and_is_reported() -> None:
    # lax Liquid (Jekyll's default error mode) skips a filter it does not know; the rest of the chain runs
    out = convert("{{ 'x' | no_such_filter }} and {{ 'y' | no_such_filter: 1 | upcase }}")
    assert out.body == "<p>x and Y</p>\n"  # type: ignore[attr-defined]
    assert codes(out) == ["liquid-unknown-filter"]


def test_undefined_variable_renders_empty_and_is_reported_once_per_name() -> None:
    out = convert("a{{ missing }}b{{ missing }}c{{ page.nope }}")
    assert "<p>abc</p>" in out.body
    undefined = [i for i in out.issues if i.code == "liquid-undefined"]
    assert len(undefined) == 2
    assert all(i.severity == "info" for i in undefined)


def test_render_with_liquid_false_keeps_liquid() -> None:
    out = convert("{{ site.title }}", render_with_liquid=False)
    assert "{{ site.title }}" in out.body


def test_text_without_liquid_markers_is_not_parsed() -> None:
    out = convert("A {% and a %} only in code: `x`\n\nBraces } and { alone.")
    assert "Braces } and { alone." in out.body


def test_syntax_error_is_an_issue_not_a_crash() -> None:
    out = convert("{% if %}broken{% endif %} after")
    assert any(c.startswith("liquid-") for c in codes(out))


def test_loop_limit_stops_a_runaway_loop() -> None:
    out = convert("{% for i in (1..100000) %}x{% endfor %}", limits=Limits(loop_iterations=1000))
    assert "liquid-limit" in codes(out)


def test_recursive_include_hits_the_depth_limit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "_includes").mkdir()
    (tmp_path / "_includes" / "loop.html").write_text("x{% include loop.html %}", encoding="utf-8")
    doc = page("{% include loop.html %}")
    site = dataclasses.replace(fixture_site([doc]), source_dir=str(tmp_path))
    out = ContentPipeline(site, identity_targets(site), limits=Limits(include_depth=10)).convert(doc, "html")
    assert "liquid-limit" in codes(out)


def test_missing_include_is_reported() -> None:
    out = convert("{% include nothing-here.html %}")
    assert "liquid-include-missing" in codes(out)


# -- new URLs ------------------------------------------------------------------------------------------------


def moved_targets(site: ir.Site) -> Targets:
    urls = {d.source: f"/new/{d.slug}/" for d in site.documents}
    return Targets(document_urls=urls, site_url="https://new.example.org", base_path="")


def test_post_url_and_link_give_the_new_url() -> None:
    doc = page("[a]({% post_url 2020-01-02-first-post %}) [b]({% link docs/guide.md %})")
    site = fixture_site([doc])
    out = ContentPipeline(site, moved_targets(site)).convert(doc, "html")
    assert 'href="/new/first-post/"' in out.body
    assert 'href="/new/guide/"' in out.body
    assert set(out.linked_documents) == {"_posts/2020-01-02-first-post.md", "docs/guide.md"}


def test_post_url_to_nothing_is_a_broken_link() -> None:
    out = convert("[a]({% post_url 2019-01-01-nope %})")
    assert "broken-link" in codes(out)


def test_internal_links_in_markdown_and_html_are_rewritten() -> None:
    body = (
        "[old](/blog/2020/01/02/first-post.html) "
        "[abs](https://fixture.example.com/blog/docs/guide.html#part) "
        '<a href="/blog/docs/guide.html?x=1">html</a> [ext](https://elsewhere.org/x)\n\n'
        "    [in code](/blog/docs/guide.html)\n"
    )
    doc = page(body)
    site = fixture_site([doc])
    out = ContentPipeline(site, moved_targets(site)).convert(doc, "html")
    assert 'href="/new/first-post/"' in out.body
    assert 'href="/new/guide/#part"' in out.body
    assert 'href="/new/guide/?x=1"' in out.body
    assert 'href="https://elsewhere.org/x"' in out.body
    assert "[in code](/blog/docs/guide.html)" in out.body  # code is left alone


def test_markdown_output_rewrites_link_targets_and_reference_definitions() -> None:
    body = "See [it][ref] and ![img](/blog/2020/01/02/first-post.html).\n\n[ref]: /blog/docs/guide.html\n"
    doc = page(body)
    site = fixture_site([doc])
    out = ContentPipeline(site, moved_targets(site)).convert(doc, "markdown")
    assert "[ref]: /new/guide/" in out.body
    assert "(/new/first-post/)" in out.body


def asset_site(doc: ir.Document) -> ir.Site:
    statics = (
        ir.StaticFile("assets/img/a b.png", "/assets/img/a%20b.png", 10),
        ir.StaticFile("assets/img/x.jpg", "/assets/img/x.jpg", 10),
        ir.StaticFile("assets/v.mp4", "/assets/v.mp4", 10),
    )
    return dataclasses.replace(fixture_site([doc]), static_files=statics)


def cdn(document: ir.Document, asset: ir.StaticFile) -> str:
    return "https://cdn.example.org" + asset.url


def test_asset_references_everywhere_go_through_asset_url() -> None:
    body = (
        "![a](/blog/assets/img/a%20b.png)\n\n"
        '<img src="{{ site.url }}{{ site.baseurl }}/assets/img/x.jpg" '
        'srcset="/blog/assets/img/x.jpg 1x, /blog/assets/img/a%20b.png 2x">\n\n'
        '<video poster="/blog/assets/img/x.jpg" src="/blog/assets/v.mp4"></video>\n\n'
        "<div style=\"background: url('/blog/assets/img/x.jpg')\">bg</div>\n"
    )
    doc = page(body, front_matter={"image": "/assets/img/x.jpg", "header": {"teaser": "/assets/missing.png"}})
    site = asset_site(doc)
    out = ContentPipeline(site, Targets(document_urls={}, asset_url=cdn, base_path="/blog")).convert(
        doc, "html"
    )
    assert 'src="https://cdn.example.org/assets/img/a%20b.png"' in out.body
    assert 'src="https://cdn.example.org/assets/img/x.jpg"' in out.body
    assert (
        "https://cdn.example.org/assets/img/x.jpg 1x, https://cdn.example.org/assets/img/a%20b.png 2x"
        in out.body
    )
    assert 'poster="https://cdn.example.org/assets/img/x.jpg"' in out.body
    assert "url('https://cdn.example.org/assets/img/x.jpg')" in out.body
    assert set(out.assets) == {"assets/img/a b.png", "assets/img/x.jpg", "assets/v.mp4"}
    assert [i.message for i in out.issues if i.code == "missing-asset"] == [
        "'/assets/missing.png' names no file of the site"
    ]


def test_relative_references_resolve_against_the_document() -> None:
    doc = dataclasses.replace(page("![x](../assets/img/x.jpg) ![y](img/none.png)"), url="/docs/page.html")
    site = asset_site(doc)
    out = ContentPipeline(site, Targets(document_urls={}, asset_url=cdn)).convert(doc, "html")
    assert 'src="https://cdn.example.org/assets/img/x.jpg"' in out.body
    assert "missing-asset" in codes(out)


def test_identity_targets_leave_every_reference_as_written() -> None:
    body = "[a](../2020/01/02/first-post.html) [b]({{ '/docs/guide.html' | relative_url }})"
    out = convert(body)
    assert 'href="../2020/01/02/first-post.html"' in out.body
    assert 'href="/blog/docs/guide.html"' in out.body


# -- Markdown for Markdown targets --------------------------------------------------------------------------


def test_highlight_becomes_a_fence_for_markdown_targets() -> None:
    out = convert("{% highlight ruby %}\nputs 1\n{% endhighlight %}\n", "markdown")
    assert "```ruby\nputs 1\n```" in out.body


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_nothing_inside_code_is_rewritten(fmt: str) -> None:
    body = "A `f[T](implicit x: T)` b.\n\nText:\n\n    g[T](implicit y: T)\n"
    out = convert(body, fmt)
    assert "f[T](implicit x: T)" in out.body
    assert "g[T](implicit y: T)" in out.body
    assert "broken-link" not in codes(out)  # link-like text in code is no link


def test_emphasis_reads_in_goldmark_as_kramdown_paired_it() -> None:
    # kramdown has no flanking rule: this strong closes after punctuation, before a letter
    out = convert("**\u516c\u5f00\u3002**\u516c and **x**.\n", "markdown")
    assert "<strong>\u516c\u5f00\u3002</strong>\u516c and **x**." in out.body
    # inside an em kramdown takes a second ``_`` as text; CommonMark would pair it with the closer
    out = convert("orang _menggunakan projek, orang _memberi sumbangan_ dalam\n", "markdown")
    assert "orang _menggunakan projek, orang \\_memberi sumbangan_ dalam" in out.body
    out = convert("a snake_case_word and https://x.org/a_b_\n", "markdown")
    assert "a snake_case_word and https://x.org/a_b_" in out.body


def test_smart_quotes_for_markdown_targets_follow_kramdown() -> None:
    out = convert('For example, _"How do I..."_ or "so--" ok.\n', "markdown")
    assert "_\u201cHow do I\u2026\u201c_ or \u201cso\u2013\u201d ok." in out.body


def test_kramdown_syntax_becomes_goldmark_syntax() -> None:
    body = (
        "* toc\n{:toc}\n\n## Tables {#tab}\n\nA para.\n{: .lead}\n\n~~~\n$ ls\n~~~\n{: .language-bash}\n\n"
        "## Dashes -- here\n\n*[HTML]: Hyper Text\n"
    )
    out = convert(body, "markdown")
    assert "{:" not in out.body
    assert "## Tables {#tab}" in out.body
    assert "A para.\n{.lead}" in out.body
    assert "~~~bash\n$ ls\n~~~" in out.body
    # kramdown drops the en dash it makes of "--", Goldmark keeps both hyphens: the id is spelt out
    assert "## Dashes \u2013 here {#dashes--here}" in out.body
    assert "*[HTML]" not in out.body
    assert {"kramdown-toc", "kramdown-abbreviation"} <= set(codes(out))


def test_html_documents_become_markdown() -> None:
    body = (
        '<h2>Title</h2>\n<p>Text with <a href="/x">a link</a> and <img src="/i.png" alt="i"></p>\n'
        '<div class="language-python highlighter-rouge"><div class="highlight"><pre class="highlight">'
        "<code>print(1)\n</code></pre></div></div>\n<table><tr><th>a</th></tr><tr><td>1</td></tr></table>\n"
    )
    doc = dataclasses.replace(page(body, source="page.html"), markup="html", extension=".html")
    site = fixture_site([doc])
    out = ContentPipeline(site, identity_targets(site)).convert(doc, "markdown")
    assert "## Title" in out.body
    assert "[a link](/x)" in out.body
    assert "![i](/i.png)" in out.body
    assert "```python\nprint(1)\n```" in out.body
    assert "| a |" in out.body


# -- contract ----------------------------------------------------------------------------------------------


def test_excerpt_is_the_part_before_the_separator() -> None:
    out = convert("First *para*.\n\nSecond para.\n")
    assert out.excerpt is not None and "<em>para</em>" in out.excerpt and "Second" not in out.excerpt


def test_convert_documents_lists_source_url_and_body() -> None:
    site = fixture_site()
    rows, issues = convert_documents(site, ["docs/guide.md", "nope.md"], "html")
    assert rows == [{"source": "docs/guide.md", "url": "/docs/guide.html", "body": "<p>The guide.</p>\n"}]
    assert [i.code for i in issues] == ["unknown-source"]


@settings(max_examples=examples(150), deadline=None)
@given(st.text(alphabet=st.sampled_from(list("{}%|-*_`[]()<>!#:.'\"\n abc=~$^\\")), max_size=120))
def test_convert_never_raises(body: str) -> None:
    for fmt in ("html", "markdown"):
        out = convert(body, fmt)
        assert isinstance(out.body, str)


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_output_is_deterministic(fmt: str) -> None:
    body = "{% for p in site.data.people %}{{ p.name }} {% endfor %}\n\n# Head\n\nText[^1].\n\n[^1]: Note.\n"
    assert convert(body, fmt).body == convert(body, fmt).body


def test_render_time_limit_stops_a_slow_render() -> None:
    out = convert("{% for i in (1..50) %}{% for j in (1..50) %}x{% endfor %}{% endfor %}",
                  limits=Limits(render_seconds=0.0))
    assert "liquid-limit" in codes(out)


@pytest.mark.parametrize("body", ["**a " * 2000, "*a " * 2000, ("x _y_ " * 50 + "\n") * 200])
def test_emphasis_costs_linear_time(body: str) -> None:
    """kramdown's emphasis rule scans ahead for a closer: a paragraph of unclosed delimiters must not cost
    quadratic time (2,000 of them took 86 s before the scans were shared)."""
    import time

    from migrate.content.markdown import KramdownConverter

    start = time.perf_counter()
    KramdownConverter().convert(body)
    assert time.perf_counter() - start < 15


def test_large_markdown_is_split_only_at_blank_lines_outside_code() -> None:
    from migrate.content.pipeline import split_large_markdown

    text = "para one\n\n```\ncode\n\nstill code\n```\n\npara two\n\npara three\n"
    parts = split_large_markdown(text, 5)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")
    assert any("code\n\nstill code" in p for p in parts)  # the fence stays whole
    assert len(parts) >= 3


# -- the excerpt: taken from the converted body when that gives the same HTML --------------------------------

_EXCERPT_PIECES = st.sampled_from([
    "word", "Two words", "*em*", "**strong**", "_under_", "`code`", "[a link](/x/)", "[ref link][r]", "[r]",
    "![img](/i.png)", "<span>x</span>", "{{ page.title }}", "{% raw %}{{x}}{% endraw %}", "[^1]", "$$x$$",
    "\"quoted\"", "it's", "a -- b", "...", "<<", "HTML", "\\*", "&amp;", "http://example.com",
    "# heading", "> quote", "- item", "1. one", "| a | b |", ": def", "    code", "{: .c}", "~~~", "***", "===",
])
_REST_PIECES = st.sampled_from([
    "More text.", ": a definition", "{: .cls}", "*[HTML]: Hyper", "[r]: /ref/", "[^1]: note", "- list",
    "=====", "~~~\ncode\n~~~", "    indented", "## Heading", "<div>\nblock\n</div>", "Tail [r].",
])


@settings(max_examples=examples(300), deadline=None)
@given(
    head_lines=st.lists(st.lists(_EXCERPT_PIECES, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=3),
    rest=st.lists(_REST_PIECES, min_size=1, max_size=3).map("\n\n".join),
)
def test_an_excerpt_taken_from_the_body_equals_the_excerpt_converted_alone(head_lines: list[str], rest: str) -> None:
    import migrate.content.pipeline as pipeline_module

    body = "\n".join(head_lines) + "\n\n" + rest + "\n"
    reused = convert(body)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(pipeline_module, "_plain_paragraph", lambda head, rest: False)
        alone = convert(body)
    assert (reused.excerpt, reused.issues) == (alone.excerpt, alone.issues)  # type: ignore[attr-defined]


def test_a_plain_first_paragraph_is_reused_and_others_are_converted_alone() -> None:
    from migrate.content.pipeline import _plain_paragraph

    assert _plain_paragraph("Plain words, a [link](/x/) and *stars* inside.", "More.")
    assert not _plain_paragraph("Term", ": its definition")  # the definition makes the head a term
    assert not _plain_paragraph("A [ref] link", "[ref]: /somewhere/")  # resolved only with the body
    assert not _plain_paragraph("HTML is short", "*[HTML]: Hypertext")  # abbreviations reach back
    assert not _plain_paragraph("{{ page.title }} first", "More.")  # Liquid
    assert not _plain_paragraph("# A heading", "More.")


def test_without_excerpt_the_excerpt_is_not_converted() -> None:
    doc = page("First {% bogus %} paragraph.\n\nSecond.\n")
    site = fixture_site([doc])
    converted = ContentPipeline(site, identity_targets(site)).convert(doc, "html", with_excerpt=False)
    assert converted.excerpt is None
    assert "Second" in converted.body


def test_site_time_is_the_configured_time_in_every_document(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from migrate.reader import read_site

    (tmp_path / "_config.yml").write_text("time: 2001-02-03 04:05:06 +0000\n")
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text("---\n---\nBuilt {{ site.time | date: '%Y-%m-%d %H:%M' }}.\n")
    site = read_site(tmp_path)
    pipelines = [ContentPipeline(site, identity_targets(site)) for _ in range(2)]  # as two workers would
    bodies = {p.convert(d, "html").body for p, d in zip(pipelines, site.documents)}
    assert bodies == {"<p>Built 2001-02-03 04:05.</p>\n"}
    assert site.time is not None and site.time.year == 2001


def test_include_cached_without_the_plugin_is_rendered_and_names_the_plugin() -> None:
    # Jekyll stops the build on the unknown tag when jekyll-include-cache is not enabled
    doc = page('{% include_cached greet.html name="World" %}')
    site = dataclasses.replace(fixture_site([doc]), plugins=())
    converted = ContentPipeline(site, identity_targets(site)).convert(doc, "html")
    assert converted.body.strip() == "<p>Hello World</p>"
    warnings = [i for i in converted.issues if i.code == "plugin-not-enabled"]
    assert len(warnings) == 1 and "jekyll-include-cache" in warnings[0].message
    assert (warnings[0].source, warnings[0].line) == ("page.md", 5)


def test_include_cached_with_the_plugin_is_include() -> None:
    converted = convert('{% include_cached greet.html name="World" %}')
    assert converted.body.strip() == "<p>Hello World</p>"  # type: ignore[attr-defined]
    assert codes(converted) == []


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_a_page_that_is_not_a_web_page_is_its_text_after_liquid(fmt: str) -> None:
    # Jekyll converts only markdown_ext files; a script or feed is written as it is after Liquid
    body = '<?xml version="1.0"?>\n<x>\n    <b>"{{ 1 | plus: 1 }}"</b> *not emphasis*\n</x>\n'
    feed = page(body, source="feed.xml", markup="xml", extension=".xml", output_ext=".xml")
    text = page("# Not a heading {{ 'x' }}\n", source="notes.text", markup="text", extension=".text",
                output_ext=".text")
    site = fixture_site([feed, text])
    pipeline = ContentPipeline(site, identity_targets(site))
    assert pipeline.convert(feed, fmt).body == body.replace('{{ 1 | plus: 1 }}', "2")  # type: ignore[arg-type]
    assert pipeline.convert(text, fmt).body == "# Not a heading x\n"  # type: ignore[arg-type]


# -- jekyll-gist and jekyll-mentions (expected texts as real Jekyll 4.3.1 with the plugins writes them) ------


def _with_plugins(doc: ir.Document, *plugins: str, **config: object) -> ContentPipeline:
    site = fixture_site([doc])
    site = dataclasses.replace(site, plugins=plugins, config={**site.config, **config})
    return ContentPipeline(site, identity_targets(site))


def test_gist_tag_is_the_gists_script_embed_when_the_site_loads_jekyll_gist() -> None:
    doc = page('{% gist parkr/c08ee0f2726fd0e3909d test.md %}\n\nx {% assign g = "ben/123456" %}{% gist g %}\n')
    converted = _with_plugins(doc, "jekyll-gist").convert(doc, "html")
    assert converted.body == (
        '<script src="https://gist.github.com/parkr/c08ee0f2726fd0e3909d.js?file=test.md"> </script>\n'
        '<p>x <script src="https://gist.github.com/ben/123456.js"> </script></p>\n'
    )
    # the plugin's default <noscript> copy needs the network: left out, and said so
    assert {i.code for i in converted.issues} == {"gist-noscript"}
    quiet = _with_plugins(doc, "jekyll-gist", gist={"noscript": False}).convert(doc, "html")
    assert quiet.issues == () and quiet.body == converted.body


def test_gist_tag_without_the_plugin_stays_an_unknown_tag() -> None:
    doc = page("{% gist parkr/c08ee0f2726fd0e3909d %}\n")
    converted = _with_plugins(doc).convert(doc, "html")
    assert "{% gist parkr/c08ee0f2726fd0e3909d %}" in converted.body
    assert codes(converted) == ["liquid-unknown-tag"]


def test_mentions_link_names_in_text_only_when_the_site_loads_jekyll_mentions() -> None:
    body = "Thanks @parkr and @jekyll/core, a@example.com, @mention; `@in-code` [@in-link](https://example.com) @dot.ted @x.\n"
    linked = _with_plugins(page(body), "jekyll-mentions").convert(page(body), "html")
    assert linked.body == (
        '<p>Thanks <a href="https://github.com/parkr" class="user-mention">@parkr</a> and @jekyll/core, '
        'a@example.com, @mention; <code class="language-plaintext highlighter-rouge">@in-code</code> '
        '<a href="https://example.com">@in-link</a> @dot.ted <a href="https://github.com/x" class="user-mention">'
        "@x</a>.</p>\n"
    )
    assert _with_plugins(page(body)).convert(page(body), "html").body.count("user-mention") == 0


def test_mentions_base_url_and_opt_out_per_page_and_site() -> None:
    site_base = _with_plugins(page("Hi @ada\n"), "jekyll-mentions", **{"jekyll-mentions": "https://gitlab.com/"})
    assert '<a href="https://gitlab.com/ada" class="user-mention">@ada</a>' in site_base.convert(
        page("Hi @ada\n"), "html"
    ).body
    own = page("Hi @ada\n", front_matter={"jekyll-mentions": {"base_url": "https://twitter.com"}})
    assert 'href="https://twitter.com/ada"' in _with_plugins(own, "jekyll-mentions").convert(own, "html").body
    off = page("Hi @ada\n", front_matter={"jekyll-mentions": False})
    assert _with_plugins(off, "jekyll-mentions").convert(off, "html").body == "<p>Hi @ada</p>\n"


def test_mentions_skip_pre_code_a_style_and_script() -> None:
    from migrate.content.mentions import mentionify

    text = '<p><code>@a</code> <a href="@b">@c</a> <script>if(a<b) @d</script><style>@media x</style><pre>@e</pre> @f</p>'
    assert mentionify(text, "https://github.com") == text.replace(
        " @f", ' <a href="https://github.com/f" class="user-mention">@f</a>'
    )
    # html-pipeline matches on the text's HTML: after "&amp;", and never twice off one "@"
    assert mentionify("&amp;@x @@y @a@b", "https://github.com") == (
        '&amp;<a href="https://github.com/x" class="user-mention">@x</a> '
        '@<a href="https://github.com/y" class="user-mention">@y</a> '
        '<a href="https://github.com/a" class="user-mention">@a</a>@b'
    )


def test_mentions_in_markdown_output_are_the_same_links_as_html() -> None:
    # Hugo renders raw HTML: the anchors Jekyll writes, in text only (code, links, escapes as in the HTML)
    body = "Hi @ada, `@code` [@link](https://example.com) \\_@escaped *@em*\n\n```\n@fenced\n```\n\n<p>@html</p>\n"
    out = _with_plugins(page(body), "jekyll-mentions").convert(page(body), "markdown").body  # type: ignore[attr-defined]
    assert out == (
        'Hi <a href="https://github.com/ada" class="user-mention">@ada</a>, `@code` [@link](https://example.com) '
        '\\_@escaped *<a href="https://github.com/em" class="user-mention">@em</a>*\n\n```\n@fenced\n```\n\n'
        '<p><a href="https://github.com/html" class="user-mention">@html</a></p>\n'
    )
    html_page = page("<p>Hi @ada</p>\n", source="p.html", markup="html", extension=".html")
    converted = _with_plugins(html_page, "jekyll-mentions").convert(html_page, "markdown")
    assert "[@ada](https://github.com/ada)" in converted.body  # type: ignore[attr-defined]


def test_a_mentions_setting_the_plugin_refuses_is_reported_and_the_default_base_used() -> None:
    # jekyll-mentions raises InvalidJekyllMentionConfig (the build stops) for anything but a URL or a mapping
    converted = _with_plugins(page("Hi @ada\n"), "jekyll-mentions", **{"jekyll-mentions": True}).convert(
        page("Hi @ada\n"), "html"
    )
    assert 'href="https://github.com/ada"' in converted.body  # type: ignore[attr-defined]
    assert codes(converted) == ["mentions-config"]


def test_mentions_take_linear_time_on_hostile_markup() -> None:
    # unclosed tags, quotes, comments and attribute braces: each scan stops at the next "<" (or the end
    # once); quadratic scanning took 22 s for the first of these at 60 kB, minutes at this size
    import time

    from migrate.content.mentions import mentionify, mentionify_markdown
    from migrate.content.to_markdown import goldmark_parser

    start = time.monotonic()
    for unit in ("<a ", '<a "x', "<!--"):
        assert "@x" in mentionify(unit * 100_000 + " @x", "B")
    for unit in ("<a>", "<!--", "{#", "<a "):
        mentionify_markdown("p " + unit * 100_000 + " @x\n", "B", goldmark_parser())
    assert time.monotonic() - start < 20


# -- jemoji (GitHub's emoji names as Unicode; jemoji itself is not packaged by Debian: rules from its source) --


def test_emoji_names_become_unicode_in_text_only_when_the_site_loads_jemoji() -> None:
    body = "Ship it :+1: :tada::heart: [:rocket:](/:smile:/) `:smile:` :no_such_emoji: ![:x:](a.png) a:b:c 10:30:45\n"
    on = _with_plugins(page(body), "jemoji").convert(page(body), "html").body
    assert on == (
        '<p>Ship it 👍 🎉❤️ <a href="/:smile:/">🚀</a> <code class="language-plaintext highlighter-rouge">:smile:</code> '
        ':no_such_emoji: <img src="a.png" alt=":x:" /> a🅱️c 10:30:45</p>\n'
    )
    assert _with_plugins(page(body)).convert(page(body), "html").body.count("👍") == 0


def test_emoji_skip_pre_code_and_tt_and_stay_inside_body() -> None:
    from migrate.content.emoji import emojify

    assert emojify("<pre>:x:</pre><tt>:x: <b>:x:</b></tt><p>:x:</p><script>':x:'</script>") == (
        "<pre>:x:</pre><tt>:x: <b>:x:</b></tt><p>❌</p><script>':x:'</script>"
    )
    page_html = "<html><head><title>:x:</title></head><body class='a'>\n:x:</body></html>:x:"
    assert emojify(page_html) == "<html><head><title>:x:</title></head><body class='a'>\n❌</body></html>:x:"
    # the first name that fits, scanning left to right, as a Ruby gsub does
    assert emojify("::smile: :foo:smile: :smile:smile:") == ":😄 :foo😄 😄smile:"


def test_emoji_in_markdown_output_leave_code_and_targets_alone() -> None:
    body = "Hi :wave: `:wave:` [:wave:](/:wave:/)\n\n    :wave: in code\n\n<div>:wave: <code>:wave:</code></div>\n"
    doc = page(body)
    out = _with_plugins(doc, "jemoji").convert(doc, "markdown").body
    assert "Hi 👋 `:wave:` [👋](/:wave:/)" in out
    assert "    :wave: in code" in out
    assert "<div>👋 <code>:wave:</code></div>" in out


def test_emoji_only_on_the_pages_jemoji_runs_on() -> None:
    feed = page("Hi :wave:\n", source="feed.xml", output_ext=".xml")
    assert ":wave:" in _with_plugins(feed, "jemoji").convert(feed, "html").body
